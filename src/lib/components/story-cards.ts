import { formatClaim, formatClock, formatDuration } from '$lib/i18n/format';
import type { Lang, Translate } from '$lib/i18n/messages';
import type { Column } from '$lib/export/csv';
import type { AgentServiceRow, FactRow, OutcomeRow, StoryKpis, TimelineRow } from '$lib/story/metrics';
import type { Outcome } from '$lib/story/dataset';
import type { KpiSpec } from './kpi-spec';
import { agentName, departmentName } from './labels';

/** What the overview's key figures are made of: its views' rows, in the page's language. */
export interface StoryFigures {
	/** The KPI view's one row; undefined until answered. */
	kpis: StoryKpis | undefined;
	facts: FactRow[];
	/** Distinct agents among the timeline's records. */
	agents: number;
	/** Whether a filter is set: the article's figures are about the whole centre and say so. */
	filtered: boolean;
	t: Translate;
	lang: Lang;
}

/** The article's reported figure for `claim`, written as the article puts it, or null. */
function reported(facts: FactRow[], claim: string, lang: Lang): string | null {
	const fact = facts.find((f) => f.claim === claim);
	return fact ? formatClaim(fact.operator, fact.value, fact.unit, lang) : null;
}

/** The overview's key figures: computed from the calls described, the article's aggregate beside two of them. */
export function storyKpiCards({ kpis: k, facts, agents, filtered, t, lang }: StoryFigures): KpiSpec[] {
	const reportedText = filtered ? t('kpi.reportedWhole') : t('kpi.reported');
	const computed = t('kpi.computed', { n: k?.calls_described ?? '…' });
	return [
		{
			id: 'agents-online',
			label: 'kpi.agentsOnline',
			value: reported(facts, 'agents_online_at_onset', lang),
			format: 'text',
			detail: t('kpi.agentsOnline.computed', { n: agents }),
			basis: reportedText
		},
		{
			id: 'in-progress',
			label: 'kpi.inProgress',
			value: k?.in_progress_at_onset,
			format: 'count',
			detail: t('kpi.inProgress.detail', { n: k?.calls_described ?? '…' }),
			basis: computed
		},
		{
			id: 'completed',
			label: 'kpi.completed',
			value: k?.completed_share,
			format: 'percent',
			detail: t('kpi.completed.detail', { completed: k?.completed ?? '…', known: k?.known_outcome ?? '…' }),
			basis: computed,
			reported: reported(facts, 'share_completed_in_quake', lang),
			reportedLabel: reportedText
		},
		{
			id: 'service-time',
			label: 'kpi.serviceTime',
			value: k?.max_in_quake_seconds,
			format: 'duration',
			detail: t('kpi.serviceTime.detail', { median: k ? formatDuration(k.median_in_quake_seconds, lang) : '…', n: k?.timed_calls ?? '…' }),
			basis: computed
		},
		{
			id: 'over-two',
			label: 'kpi.overTwo',
			value: k?.over_two_minutes_share,
			format: 'percent',
			detail: t('kpi.overTwo.detail', { over: k?.over_two_minutes ?? '…', n: k?.timed_calls ?? '…' }),
			basis: computed,
			reported: reported(facts, 'share_over_two_minutes', lang),
			reportedLabel: reportedText
		},
		{
			id: 'last-left',
			label: 'kpi.lastLeft',
			value: k?.last_agent_left_seconds,
			format: 'duration',
			detail: t('kpi.lastLeft.detail'),
			basis: t('kpi.computedRecords')
		}
	];
}

/** The columns of the overview charts' tables and CSV downloads. */
export function storyChartColumns(t: Translate, lang: Lang) {
	const outcome = (r: { outcome: Outcome }) => t(`outcome.${r.outcome}`);
	const clock = (offset: number | null) => (offset == null ? null : formatClock(offset));
	const service: Column<AgentServiceRow>[] = [
		{ key: 'id', header: t('col.id'), value: (r) => r.id },
		{ key: 'agent', header: t('col.agent'), value: (r) => agentName(r, lang) },
		{ key: 'department', header: t('col.department'), value: (r) => r.department },
		{ key: 'outcome', header: t('col.outcome'), value: outcome },
		{ key: 'in_quake_seconds', header: t('col.inQuakeSeconds'), value: (r) => r.in_quake_seconds }
	];
	const outcomes: Column<OutcomeRow>[] = [
		{ key: 'department', header: t('col.department'), value: (r) => departmentName(r, lang) },
		{ key: 'outcome', header: t('col.outcome'), value: outcome },
		{ key: 'calls', header: t('col.calls'), value: (r) => r.calls }
	];
	const timeline: Column<TimelineRow>[] = [
		{ key: 'id', header: t('col.id'), value: (r) => r.id },
		{ key: 'agent', header: t('col.agent'), value: (r) => agentName(r, lang) },
		{ key: 'department', header: t('col.department'), value: (r) => r.department },
		{ key: 'start', header: t('col.start'), value: (r) => clock(r.start_offset_seconds) },
		{ key: 'end', header: t('col.end'), value: (r) => clock(r.end_offset_seconds) },
		{ key: 'left', header: t('col.left'), value: (r) => clock(r.agent_left_after_onset_seconds) },
		{ key: 'outcome', header: t('col.outcome'), value: outcome },
		{ key: 'derived', header: t('col.derived'), value: (r) => r.derived_fields }
	];
	return { service, outcomes, timeline };
}
