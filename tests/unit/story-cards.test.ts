import { describe, expect, it } from 'vitest';
import { EMPTY_FILTER } from '$lib/filters/filter';
import { translator } from '$lib/i18n';
import { storyChartColumns, storyKpiCards } from '$lib/components/story-cards';
import { storyViewQuery, type StoryRows } from '$lib/story/views';
import { storyEngine } from './helpers';

async function rows<N extends 'kpis' | 'facts' | 'timeline'>(name: N): Promise<StoryRows[N][]> {
	const engine = await storyEngine();
	return engine.query<StoryRows[N] & Record<string, unknown>>(storyViewQuery(name, EMPTY_FILTER));
}

// Hand-worked from data/calls.csv and data/facts.csv (see story-metrics.test.ts): 6 calls
// described, 5 in progress, 3 of 5 known outcomes completed, in-quake times 213, 132 and 120 s
// (two over 120 s); the article reports "more than 200" agents and "more than 50%" twice.
describe('the overview key figures, by name from the story views', () => {
	it('sets each computed figure beside the article’s', async () => {
		const [kpis, facts] = [(await rows('kpis'))[0], await rows('facts')];
		const cards = storyKpiCards({ kpis, facts, agents: 6, filtered: false, t: translator('en'), lang: 'en' });
		const card = (id: string) => cards.find((c) => c.id === id)!;
		expect(cards.map((c) => c.id)).toEqual(['agents-online', 'in-progress', 'completed', 'service-time', 'over-two', 'last-left']);
		expect(card('agents-online').value).toBe('> 200');
		expect(card('in-progress').value).toBe(5);
		expect(card('completed').value).toBeCloseTo(3 / 5, 10);
		expect(card('over-two').value).toBeCloseTo(2 / 3, 10);
		expect(card('service-time').value).toBe(213);
		expect(card('completed').reported).toMatch(/50/);
		expect(card('over-two').reported).toMatch(/50/);
		expect(card('in-progress').basis).toBe('Computed from the 6 calls described');
		expect(card('completed').reportedLabel).toBe('Reported by the article');
	});

	it('says the article’s figures are the whole centre’s under a filter, and waits with "…" before an answer', async () => {
		const facts = await rows('facts');
		const cards = storyKpiCards({ kpis: undefined, facts, agents: 0, filtered: true, t: translator('en'), lang: 'en' });
		expect(cards.find((c) => c.id === 'completed')!.reportedLabel).toBe('Reported by the article (whole center, not filtered)');
		expect(cards.find((c) => c.id === 'in-progress')!.value).toBeUndefined();
		expect(cards.find((c) => c.id === 'in-progress')!.basis).toBe('Computed from the … calls described');
	});

	it('writes the timeline table’s times on the clock around the 14:28 onset', async () => {
		const timeline = await rows('timeline');
		const { timeline: columns } = storyChartColumns(translator('en'), 'en');
		const start = columns.find((c) => c.key === 'start')!;
		const c06 = timeline.find((r) => r.id === 'C06')!;
		expect(start.value(c06)).toMatch(/^14:31/); // C06 started at 14:31
	});
});
