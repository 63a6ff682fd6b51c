import { CLICKHOUSE, clickhouseLiteral, knownTrue, meanRows } from '$lib/sql/dialect-clickhouse';
import { serviceMeasures, waitHistogramView, type Measure, type MeasureParts, type ServiceSettings } from '$lib/metrics/service';

/** Thresholds T (seconds) the aggregate holds: the industry's usual service-level targets. */
export const HELD_THRESHOLDS = [10, 15, 20, 30, 45, 60, 90, 120, 180, 300] as const;
/** Short-abandon limits S (seconds) it holds: 5 s is the default, 3 and 10 s the usual others. */
export const HELD_SHORT_ABANDONS = [3, 5, 10] as const;

/** One column of ClickHouse's pre-aggregate: its type, and the -State over calls that fills it. */
export interface AggregateColumn {
	name: string;
	type: string;
	state: string;
}

/** The aggregate's columns, and each measure merged from them under held settings. */
export interface AggregateLayout {
	columns: AggregateColumn[];
	merged(settings: ServiceSettings): Record<string, string>;
}

/** The measures with T and S given as SQL (service.ts's `serviceMeasures` for ClickHouse). */
export type MeasuresAt = (refs: Record<'t' | 's', string>) => Measure[];

/**
 * The columns' names where they are not the measure's own: the aggregates in users' databases
 * were made with these, and are served from as they are, so they stay.
 */
const STORED_NAMES: Record<string, string> = { short_abandoned: 'short', answered_within: 'within', asa_s: 'asa', aht_s: 'aht' };

const COUNT = 'AggregateFunction(sum, UInt64)';
const SUM = 'AggregateFunction(sum, Float64)';

interface Held {
	t: number;
	s: number;
}

/** Whether a setting is among the held values. */
export const isHeld = (values: readonly number[], x: number) => values.includes(x);

/** A count: a sum of 0/1. A mean: the sum and the count of its values, divided when merged. */
function columnsOf(name: string, parts: MeasureParts): AggregateColumn[] {
	if ('count' in parts) return [{ name, type: COUNT, state: `sumState(toUInt64(${parts.count === null ? '1' : knownTrue(parts.count)}))` }];
	const { mean, condition } = parts;
	return [
		{ name: `${name}_sum`, type: SUM, state: `sumState(toFloat64(if(${knownTrue(condition)}, ifNull(${mean}, 0), 0)))` },
		{ name: `${name}_n`, type: COUNT, state: `sumState(toUInt64(${meanRows(mean, condition)}))` }
	];
}

/** As meanIf: NULL over no values. */
const mergeOf = (name: string, parts: MeasureParts) => ('count' in parts ? `sumMerge(${name})` : `sumMerge(${name}_sum) / nullIf(sumMerge(${name}_n), 0)`);

/**
 * The aggregate of these measures. Each is rendered at every held T and S: one that reads T
 * (answered within T) gets a column per held T, `within_20`; one that reads S a column per
 * held S, `short_5`; the others one column. Which setting a measure reads is seen in its
 * rendered parts, so a definition that starts or stops reading one changes the columns too.
 * Order: the columns no setting changes, then those per T, then per S (as the first
 * aggregates were made).
 */
export function aggregateLayout(measuresAt: MeasuresAt): AggregateLayout {
	const rendered = new Map<string, Map<string, MeasureParts>>();
	const at = ({ t, s }: Held) => {
		const key = `${t}|${s}`;
		if (!rendered.has(key)) rendered.set(key, new Map(measuresAt({ t: clickhouseLiteral(t), s: clickhouseLiteral(s) }).map((m) => [m.name, m.parts])));
		return rendered.get(key)!;
	};
	const first: Held = { t: HELD_THRESHOLDS[0], s: HELD_SHORT_ABANDONS[0] };
	const names = [...at(first).keys()];
	const reads = (name: string, key: keyof Held, values: readonly number[]) => {
		const text = (held: Held) => JSON.stringify(at(held).get(name));
		return values.some((v) => text({ ...first, [key]: v }) !== text(first));
	};
	const read = new Map(names.map((name) => [name, { t: reads(name, 't', HELD_THRESHOLDS), s: reads(name, 's', HELD_SHORT_ABANDONS) }]));
	const columnName = (name: string, { t, s }: Held) => {
		const { t: readsT, s: readsS } = read.get(name)!;
		return [STORED_NAMES[name] ?? name, ...(readsT ? [t] : []), ...(readsS ? [s] : [])].join('_');
	};
	const heldOf = (name: string): Held[] => {
		const { t: readsT, s: readsS } = read.get(name)!;
		return (readsT ? HELD_THRESHOLDS : [first.t]).flatMap((t) => (readsS ? HELD_SHORT_ABANDONS : [first.s]).map((s) => ({ t, s })));
	};
	const rank = (name: string) => (read.get(name)!.t ? 1 : 0) + (read.get(name)!.s ? 2 : 0);
	const ordered = [...names].sort((a, b) => rank(a) - rank(b));
	return {
		columns: ordered.flatMap((name) => heldOf(name).flatMap((held) => columnsOf(columnName(name, held), at(held).get(name)!))),
		merged({ thresholdS, shortAbandonS }) {
			const held = { t: thresholdS, s: shortAbandonS };
			if (!isHeld(HELD_THRESHOLDS, thresholdS) || !isHeld(HELD_SHORT_ABANDONS, shortAbandonS))
				throw new Error(`The aggregate holds no counts for T = ${thresholdS} s and S = ${shortAbandonS} s: ask the calls table`);
			return Object.fromEntries([...at(held)].map(([name, parts]) => [name, mergeOf(columnName(name, held), parts)]));
		}
	};
}

/** ClickHouse's pre-aggregate of the service measures (`preagg/clickhouse-aggregate.ts` makes it). */
export const SERVICE_AGGREGATE = aggregateLayout((refs) => serviceMeasures(CLICKHOUSE, refs));

/** The wait histogram's view (its measures and the calls it counts do not depend on its bins). */
const WAIT_HISTOGRAM = waitHistogramView(1, 1, CLICKHOUSE);
/** The calls the wait histogram counts: its aggregate holds only these. */
export const WAIT_HISTOGRAM_CALLS = WAIT_HISTOGRAM.scope;
/** The wait histogram's counts (answered, abandoned), derived from its measures as the service aggregate's are. */
export const WAIT_AGGREGATE = aggregateLayout(() => WAIT_HISTOGRAM.measures);
