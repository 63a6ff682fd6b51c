import { describe, expect, it } from 'vitest';
import { CSV_HEADER, csvLine, generateCalls, queueLogLines, type GeneratorOptions } from '$lib/synthetic/generate';
import { engine, importFixtures } from './import-helpers';
import { incidentQuery } from '$lib/metrics/incident';
import { summaryQuery, DEFAULT_SETTINGS, NO_FILTER } from '$lib/metrics/service';

const base: GeneratorOptions = { rows: 30_000, seed: 42, start: '2008-05-11', incident: '2008-05-12 14:28:00', completeShare: 0.6 };
const csv = (o: GeneratorOptions) => [CSV_HEADER, ...[...generateCalls(o)].map(csvLine)].join('\n') + '\n';

describe('synthetic call generator', () => {
	it('is deterministic: the same seed gives the same bytes, another seed other calls', () => {
		const small = { ...base, rows: 2000 };
		expect(csv(small)).toBe(csv(small));
		expect(csv({ ...small, seed: 43 })).not.toBe(csv(small));
		expect(csv(small).split('\n').filter(Boolean)).toHaveLength(2001);
	});

	it('labels every record synthetic and keeps times consistent', () => {
		for (const call of generateCalls({ ...base, rows: 5000 })) {
			expect(call.call_id.startsWith('SYN')).toBe(true);
			expect(call.end).toBeGreaterThanOrEqual(call.answer ?? call.arrival);
			if (call.answer !== null) expect(call.answer - call.arrival).toBe(call.wait_s);
		}
		expect(queueLogLines([...generateCalls({ ...base, rows: 1 })][0]!)[0]).toContain('ENTERQUEUE');
	});

	it('calibrated to the article at the 14:28 onset: most calls in service complete, most of them run over 2 minutes', async () => {
		const result = await importFixtures([['synthetic.csv', csv(base)]]);
		expect(result.rows).toBe(30_000);
		const [i] = await (await engine()).query({ ...incidentQuery(result.table, { onset: base.incident!, end: null, longS: 120 }, NO_FILTER) });
		expect(Number(i!.in_service)).toBeGreaterThan(20);
		expect(Number(i!.completed_share)).toBeGreaterThan(0.5);
		expect(Number(i!.long_share)).toBeGreaterThan(0.5);
		expect(Number(i!.interrupted)).toBeGreaterThan(0);
		// Interrupted calls were answered: they count as answered in the service level.
		const [s] = await (await engine()).query({ ...summaryQuery(result.table, DEFAULT_SETTINGS, NO_FILTER) });
		expect(Number(s!.answered) + Number(s!.abandoned)).toBe(30_000);
	}, 60_000);
});
