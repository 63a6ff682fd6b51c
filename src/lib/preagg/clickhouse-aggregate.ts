import { openClickHouseEngine, type ClickHouseEngine } from '$lib/engine/clickhouse';
import { LOAD_COLUMN, LOCAL_TABLE, ROWS_TABLE, chIdentifier, committedCondition, type LoadTarget } from '$lib/imports/clickhouse-load';
import { aggregateTables } from '$lib/imports/clickhouse-loads';
import {
	HELD_SHORT_ABANDONS,
	HELD_THRESHOLDS,
	SERVICE_AGGREGATE,
	WAIT_AGGREGATE,
	WAIT_HISTOGRAM_CALLS,
	type AggregateColumn
} from './service-aggregate-columns';

/**
 * The calls pre-aggregated on ClickHouse: a materialized view on the calls table (every shard's
 * `calls_local` on a cluster) fills an AggregatingMergeTree at the grain the dashboard's common
 * questions fall on — department × 15 minutes of arrival — so the summary, the intervals
 * (15 min to a week) and the per-department views read one row per department and quarter
 * hour instead of one per call. `preagg/service-aggregate-clickhouse.ts` asks it.
 *
 * Per group it holds -State columns that add up across groups and shards, derived from the
 * service measures' definitions (`preagg/service-aggregate-columns.ts`), so they cannot drift:
 *   volume, offered, answered, abandoned, unanswered   counts (sums of 0/1)
 *   within_T     answered calls that waited at most T s, for each T in HELD_THRESHOLDS
 *   short_S      abandons after waiting less than S s (no wait as 0), for each S in HELD_SHORT_ABANDONS
 *   asa_sum, asa_n / aht_sum, aht_n     sum and count of the wait and of talk + hold + wrap of
 *                                       answered calls (the means are divided at the end)
 * Users' databases hold aggregates with these names and types: the unit tests pin them.
 * Within-T and short abandons depend on the settings, so the usual ones are held, each as its
 * own count: a threshold or short-abandon setting outside them goes to the calls table. (Waits
 * per whole second in a sumMap answered every whole T exactly, but merging the maps made the
 * views 2–4× slower than the calls table on 1,000,000 calls: plain sums instead.)
 *
 * Tables: one server: `calls_agg_rows` and the view `calls_agg_mv` on `calls_rows`. A cluster:
 * `calls_agg_local` and `calls_agg_mv` on every shard, and `calls_agg_rows` a Distributed table
 * over them (a group may have rows on several shards; -Merge over the Distributed table
 * combines them). The grain also holds the load (`load_id`), and `calls_agg` is a view of the
 * committed loads' groups, as `calls` is of their calls (imports/clickhouse-load.ts).
 * The aggregate is there when the materialized view is: it is created last. The detail and
 * wait-histogram aggregates below are laid out the same way under their own names
 * (`calls_detail_rows`, `calls_detail_local`, `calls_detail_mv` and the view `calls_detail`, …).
 */
export const AGGREGATE_TABLE = 'calls_agg';
export const AGGREGATE_VIEW = 'calls_agg_mv';

export { HELD_SHORT_ABANDONS, HELD_THRESHOLDS };

/** One key of a pre-aggregate's grain: its column, and the expression over calls that fills it. */
interface GrainColumn {
	name: string;
	type: string;
	select: string;
}

/**
 * A pre-aggregate: its tables (`imports/clickhouse-loads.ts` names them: the view of committed
 * loads the queries read, the rows under it, each shard's own and the materialized view that
 * fills them), grain and -State columns.
 */
export interface AggregateSpec {
	table: string;
	rows: string;
	local: string;
	view: string;
	grain: GrainColumn[];
	states: AggregateColumn[];
	/** The calls it holds (all when absent). */
	where?: string;
	/** Its sort key: the columns a filter narrows first. */
	order: string[];
}

const NO_TIME = `toDateTime(0, 'UTC')`;
const TIME = `DateTime('UTC')`;

/** The grain's keys: department ('' for none), agent, outcome, whether the call has an arrival, its quarter hour or day (1970 when none). */
const QUEUE: GrainColumn = { name: 'queue', type: 'String', select: `ifNull(queue, '')` };
const AGENT: GrainColumn = { name: 'agent', type: 'String', select: `ifNull(agent, '')` };
const OUTCOME: GrainColumn = { name: 'outcome', type: 'String', select: `ifNull(outcome, '')` };
const HAS_ARRIVAL: GrainColumn = { name: 'has_arrival', type: 'UInt8', select: 'toUInt8(arrival IS NOT NULL)' };
const SLOT: GrainColumn = { name: 'slot', type: TIME, select: `ifNull(toStartOfFifteenMinutes(arrival, 'UTC'), ${NO_TIME})` };
const DAY: GrainColumn = { name: 'day', type: TIME, select: `ifNull(toStartOfDay(arrival, 'UTC'), ${NO_TIME})` };
/** The month's first day at 00:00 UTC, a DateTime as the day's (18.16's toStartOfMonth gives a Date, read in the server's zone). */
const MONTH: GrainColumn = {
	name: 'month',
	type: TIME,
	select: `ifNull(addDays(toStartOfDay(arrival, 'UTC'), 1 - toDayOfMonth(arrival, 'UTC')), ${NO_TIME})`
};
/** The load the calls came from: each group is of one load, so the view keeps the committed ones. */
const LOAD: GrainColumn = { name: LOAD_COLUMN, type: 'UInt64', select: LOAD_COLUMN };
/** The wait in whole seconds (none below 0): the histogram's bins are whole seconds wide, so floor(wait / w) = floor(floor(wait) / w). */
const WAIT: GrainColumn = { name: 'wait_s', type: 'Float64', select: 'floor(greatest(assumeNotNull(wait_s), 0))' };

/** The service measures per department and quarter hour: the summary, intervals and departments without an agent or outcome filter. */
export const SLOT_AGGREGATE: AggregateSpec = {
	...aggregateTables(AGGREGATE_TABLE),
	grain: [QUEUE, HAS_ARRIVAL, SLOT, LOAD],
	states: SERVICE_AGGREGATE.columns,
	order: ['queue', 'has_arrival', 'slot', LOAD_COLUMN]
};

/**
 * The same per department by day and by month: a range's whole months and days read a few rows
 * a department, however many years the data holds (the quarter hours only for the days it cuts).
 */
const service = (table: 'calls_agg_day' | 'calls_agg_month', time: GrainColumn): AggregateSpec => ({
	...aggregateTables(table),
	grain: [QUEUE, HAS_ARRIVAL, time, LOAD],
	states: SERVICE_AGGREGATE.columns,
	order: ['queue', 'has_arrival', time.name, LOAD_COLUMN]
});
export const SERVICE_DAYS = service('calls_agg_day', DAY);
export const SERVICE_MONTHS = service('calls_agg_month', MONTH);

/**
 * The sort key's lead: by day for the quarter hours (the views read them only for the one or
 * two days a time filter cuts, `service-aggregate-clickhouse.ts`), none for the days.
 */
const dayFirst = (time: GrainColumn) => (time === SLOT ? [`toDate(${SLOT.name})`] : []);

/**
 * The service measures per department, agent and outcome, by quarter hour and by day: any
 * filter on those answers from the days inside its time range and the quarter hours of the
 * (at most two) days it cuts, however long the data. Then by agent: an agent filter reads
 * that agent's rows.
 */
const detail = (table: 'calls_detail' | 'calls_detail_day' | 'calls_detail_month', time: GrainColumn): AggregateSpec => ({
	...aggregateTables(table),
	grain: [QUEUE, AGENT, OUTCOME, HAS_ARRIVAL, time, LOAD],
	states: SERVICE_AGGREGATE.columns,
	order: [...dayFirst(time), 'agent', 'queue', 'outcome', 'has_arrival', time.name, LOAD_COLUMN]
});
export const DETAIL_SLOTS = detail('calls_detail', SLOT);
export const DETAIL_DAYS = detail('calls_detail_day', DAY);
export const DETAIL_MONTHS = detail('calls_detail_month', MONTH);

/**
 * The wait histogram's counts per department, outcome and whole second of wait, by quarter
 * hour and by day (answered and abandoned calls with a wait). Not per agent: the questions
 * without an agent filter read these (an agent key would multiply their rows by the agents).
 */
const waits = (table: 'calls_waits' | 'calls_waits_day' | 'calls_waits_month', time: GrainColumn): AggregateSpec => ({
	...aggregateTables(table),
	grain: [QUEUE, OUTCOME, HAS_ARRIVAL, time, WAIT, LOAD],
	states: WAIT_AGGREGATE.columns,
	where: WAIT_HISTOGRAM_CALLS,
	order: [...dayFirst(time), 'queue', 'outcome', 'has_arrival', time.name, 'wait_s', LOAD_COLUMN]
});
export const WAIT_SLOTS = waits('calls_waits', SLOT);
export const WAIT_DAYS = waits('calls_waits_day', DAY);
export const WAIT_MONTHS = waits('calls_waits_month', MONTH);

/**
 * The same counts per agent too, for the wait histogram under an agent filter: sorted by
 * agent (after the day, for the quarter hours), so the filter reads that agent's rows only.
 * An agent's waits are nearly one row per call, but the calls table is sorted by department
 * first: there an agent filter reads every call.
 */
const agentWaits = (table: 'calls_agent_waits' | 'calls_agent_waits_day' | 'calls_agent_waits_month', time: GrainColumn): AggregateSpec => ({
	...aggregateTables(table),
	grain: [QUEUE, AGENT, OUTCOME, HAS_ARRIVAL, time, WAIT, LOAD],
	states: WAIT_AGGREGATE.columns,
	where: WAIT_HISTOGRAM_CALLS,
	order: [...dayFirst(time), 'agent', 'queue', 'outcome', 'has_arrival', time.name, 'wait_s', LOAD_COLUMN]
});
export const AGENT_WAIT_SLOTS = agentWaits('calls_agent_waits', SLOT);
export const AGENT_WAIT_DAYS = agentWaits('calls_agent_waits_day', DAY);
export const AGENT_WAIT_MONTHS = agentWaits('calls_agent_waits_month', MONTH);

/** Every pre-aggregate a load makes, in the order it makes them. */
export const AGGREGATES: AggregateSpec[] = [
	SLOT_AGGREGATE,
	DETAIL_SLOTS,
	DETAIL_DAYS,
	WAIT_SLOTS,
	WAIT_DAYS,
	AGENT_WAIT_SLOTS,
	AGENT_WAIT_DAYS,
	SERVICE_DAYS,
	SERVICE_MONTHS,
	DETAIL_MONTHS,
	WAIT_MONTHS,
	AGENT_WAIT_MONTHS
];

const columnsDdl = (spec: AggregateSpec) => [...spec.grain, ...spec.states].map(({ name, type }) => `${name} ${type}`).join(', ');

/**
 * Each table's partitions: few, because every part of a table is opened by a statement that
 * reads it and yields at least one granule however few of its rows match. The quarter hours by
 * month (the views read one or two days of them), the days by year, the months in one partition.
 * By month throughout, 50,000,000 calls over seven years left hundreds of parts a table, and
 * each statement about 2 s (docs/performance.md).
 */
export function partitionKey(spec: AggregateSpec): string {
	const time = spec.grain.find((g) => g.type === TIME)!;
	return time === SLOT ? `toYYYYMM(${time.name})` : time === DAY ? `toYear(${time.name})` : 'tuple()';
}
const engineDdl = (spec: AggregateSpec) => `AggregatingMergeTree PARTITION BY ${partitionKey(spec)} ORDER BY (${spec.order.join(', ')})`;

/**
 * The aggregate of `from`'s calls: what the materialized view inserts (every row a load sends,
 * committed later or never), and with `committed` (the committed loads' condition) the first fill.
 */
function aggregateSelect(db: string, from: string, spec: AggregateSpec, committed?: string): string {
	const keys = spec.grain.map((g) => g.name);
	const where = [spec.where, committed].filter((w): w is string => !!w);
	return `SELECT ${spec.grain.map((g) => (g.select === g.name ? g.name : `${g.select} AS ${g.name}`)).join(', ')}, ${spec.states.map(({ name, state }) => `${state} AS ${name}`).join(', ')}
FROM ${db}.${from}${where.length ? `\nWHERE ${where.map((w) => (where.length > 1 ? `(${w})` : w)).join(' AND ')}` : ''}
GROUP BY ${keys.join(', ')}`;
}

/**
 * On one server (a shard, or the only one): the aggregate table, filled once from the committed
 * loads' calls already there (with their `load_id`), then the view that keeps it filled. Run
 * only where the view is missing, so nothing is counted twice: a table left by a run that
 * stopped before the view is made again. (Loads are the only writers, one at a time: no calls
 * arrive between the fill and the view.)
 */
export function aggregateStatements(database: string, cluster: boolean, spec: AggregateSpec = SLOT_AGGREGATE): string[] {
	const db = chIdentifier(database);
	const [from, into] = cluster ? [LOCAL_TABLE, spec.local] : [ROWS_TABLE, spec.rows];
	return [
		`DROP TABLE IF EXISTS ${db}.${into}`,
		`CREATE TABLE ${db}.${into} (${columnsDdl(spec)}) ENGINE = ${engineDdl(spec)}`,
		`INSERT INTO ${db}.${into} ${aggregateSelect(db, from, spec, committedCondition(database, cluster))}`,
		`CREATE MATERIALIZED VIEW ${db}.${spec.view} TO ${db}.${into} AS ${aggregateSelect(db, from, spec)}`
	];
}

/** The Distributed table over every shard's aggregate, made on each shard after all are filled. */
export function distributedAggregateStatement(database: string, cluster: string, spec: AggregateSpec = SLOT_AGGREGATE): string {
	const db = chIdentifier(database);
	return `CREATE TABLE IF NOT EXISTS ${db}.${spec.rows} (${columnsDdl(spec)}) ENGINE = Distributed(${chIdentifier(cluster)}, ${db}, ${spec.local}, rand())`;
}

/** The view the queries read: the committed loads' groups (every column, `load_id` too), on each server asked. */
export function committedAggregateStatement(database: string, cluster: boolean, spec: AggregateSpec = SLOT_AGGREGATE): string {
	const db = chIdentifier(database);
	return `CREATE VIEW IF NOT EXISTS ${db}.${spec.table} AS SELECT * FROM ${db}.${spec.rows} WHERE ${committedCondition(database, cluster)}`;
}

/**
 * An aggregate made with other partitions than `partitionKey` (by month throughout, before the
 * days and months had theirs) loses its materialized view, so that `createAggregate` makes it
 * again, filled from the committed calls as a missing one is.
 */
async function remakeRepartitioned(target: LoadTarget, on: (url: string, work: (ch: ClickHouseEngine) => Promise<void>) => Promise<void>) {
	const db = chIdentifier(target.database);
	// Named shards one by one; the one server, or a cluster through `ON CLUSTER` from the server named.
	const onCluster = target.cluster && !target.shards.length ? ` ON CLUSTER ${chIdentifier(target.cluster)}` : '';
	for (const url of target.cluster && target.shards.length ? target.shards : [target.url])
		await on(url, async (ch) => {
			for (const spec of AGGREGATES) {
				const [made] = await ch.query<{ key: string }>({
					sql: `SELECT partition_key AS key FROM system.tables WHERE database = currentDatabase() AND name = '${target.cluster ? spec.local : spec.rows}'`,
					params: []
				});
				if (made && normalKey(made.key) !== normalKey(partitionKey(spec))) await ch.exec(`DROP TABLE IF EXISTS ${db}.${spec.view}${onCluster}`);
			}
		});
}

/** A partition key as ClickHouse writes it back; none (a table made without one) is `tuple()`. */
const normalKey = (key: string) => (key.replace(/\s+/g, '') === 'tuple()' ? '' : key.replace(/\s+/g, ''));

const hasTable = async (ch: ClickHouseEngine, name: string) =>
	(
		await ch.query<{ n: number }>({
			sql: `SELECT count() AS n FROM system.tables WHERE database = currentDatabase() AND name = '${name}'`,
			params: []
		})
	)[0]!.n > 0;

/**
 * A cluster asked through `ON CLUSTER` (no shard named): each shard's table and view made by
 * distributed DDL, and the first fill through the Distributed tables. Grouped over every
 * shard's committed calls and sent to any shard, the fill's states add up as the view's do (a
 * group may have rows on several shards: -Merge combines them). The materialized view is made
 * last, as on one server; the tables over it are made again, so they take its columns.
 */
export function clusterAggregateStatements(database: string, cluster: string, spec: AggregateSpec): string[] {
	const db = chIdentifier(database);
	const on = `ON CLUSTER ${chIdentifier(cluster)}`;
	return [
		...[spec.table, spec.rows, spec.local].map((name) => `DROP TABLE IF EXISTS ${db}.${name} ${on}`),
		`CREATE TABLE ${db}.${spec.local} ${on} (${columnsDdl(spec)}) ENGINE = ${engineDdl(spec)}`,
		distributedAggregateStatement(database, cluster, spec).replace(` (${columnsDdl(spec)})`, ` ${on} (${columnsDdl(spec)})`),
		`INSERT INTO ${db}.${spec.rows} ${aggregateSelect(db, ROWS_TABLE, spec, committedCondition(database, true))}`,
		`CREATE MATERIALIZED VIEW ${db}.${spec.view} ${on} TO ${db}.${spec.local} AS ${aggregateSelect(db, LOCAL_TABLE, spec)}`
	];
}

/**
 * Makes each aggregate where it is missing (every named shard, the one server, or the cluster
 * through `ON CLUSTER`): a database loaded before one of them existed gets it, filled from its
 * calls, on its next load.
 */
export async function createAggregate(target: LoadTarget): Promise<void> {
	const on = async (url: string, work: (ch: ClickHouseEngine) => Promise<void>) => {
		const ch = openClickHouseEngine({ ...target, url });
		try {
			await work(ch);
		} finally {
			await ch.close();
		}
	};
	await remakeRepartitioned(target, on);
	if (target.cluster && !target.shards.length)
		return on(target.url, async (ch) => {
			for (const spec of AGGREGATES) {
				if (await hasTable(ch, spec.view)) continue;
				for (const sql of clusterAggregateStatements(target.database, target.cluster!, spec)) await ch.exec(sql);
			}
			for (const spec of AGGREGATES)
				if (!(await hasTable(ch, spec.table)))
					await ch.exec(
						committedAggregateStatement(target.database, true, spec).replace(` AS SELECT`, ` ON CLUSTER ${chIdentifier(target.cluster!)} AS SELECT`)
					);
		});
	const servers = target.cluster ? target.shards : [target.url];
	for (const url of servers)
		await on(url, async (ch) => {
			for (const spec of AGGREGATES) {
				if (await hasTable(ch, spec.view)) continue;
				// The tables over it keep the columns they were made with: made again below.
				for (const name of target.cluster ? [spec.table, spec.rows] : [spec.table])
					await ch.exec(`DROP TABLE IF EXISTS ${chIdentifier(target.database)}.${name}`);
				for (const sql of aggregateStatements(target.database, !!target.cluster, spec)) await ch.exec(sql);
			}
		});
	for (const url of servers)
		await on(url, async (ch) => {
			for (const spec of AGGREGATES) {
				if (target.cluster) await ch.exec(distributedAggregateStatement(target.database, target.cluster, spec));
				await ch.exec(committedAggregateStatement(target.database, !!target.cluster, spec));
			}
		});
}

/** The legacy aggregate to ask (department × quarter hour), or null where the database has none (loaded before it existed). */
export async function findAggregate(ch: ClickHouseEngine): Promise<string | null> {
	return (await hasTable(ch, AGGREGATE_VIEW)) && (await hasTable(ch, AGGREGATE_TABLE)) ? AGGREGATE_TABLE : null;
}

/** One set of an aggregate's rows by time: quarter hours, days, and months (absent in a database loaded before them). */
export interface Tiers {
	slots: string;
	days: string;
	months: string | null;
}

/** The pre-aggregates a database holds, for the views to choose from (`service-aggregate-clickhouse.ts`). */
export interface Aggregates {
	/** Department × quarter hour. */
	slots: string | null;
	/** The same by quarter hour, day and month (absent in a database loaded before the days: its next load makes them). */
	service: Tiers | null;
	/** Department × agent × outcome, by quarter hour, day and month. */
	detail: Tiers | null;
	/** The wait histogram's counts, by quarter hour, day and month. */
	waits: Tiers | null;
	/** The same per agent (absent in a database loaded before them: its next load makes them). */
	agentWaits: Tiers | null;
}

/** Which aggregates are there (each whole: its view and its table on the server asked), or null for none. */
export async function findAggregates(ch: ClickHouseEngine): Promise<Aggregates | null> {
	const names = new Set(
		(
			await ch.query<{ name: string }>({
				sql: `SELECT name FROM system.tables WHERE database = currentDatabase()`,
				params: []
			})
		).map((r) => r.name)
	);
	const has = (spec: AggregateSpec) => names.has(spec.view) && names.has(spec.table);
	const tiers = (slots: AggregateSpec, days: AggregateSpec, months: AggregateSpec): Tiers | null =>
		has(slots) && has(days) ? { slots: slots.table, days: days.table, months: has(months) ? months.table : null } : null;
	const found: Aggregates = {
		slots: has(SLOT_AGGREGATE) ? SLOT_AGGREGATE.table : null,
		service: tiers(SLOT_AGGREGATE, SERVICE_DAYS, SERVICE_MONTHS),
		detail: tiers(DETAIL_SLOTS, DETAIL_DAYS, DETAIL_MONTHS),
		waits: tiers(WAIT_SLOTS, WAIT_DAYS, WAIT_MONTHS),
		agentWaits: tiers(AGENT_WAIT_SLOTS, AGENT_WAIT_DAYS, AGENT_WAIT_MONTHS)
	};
	return found.slots || found.detail || found.waits || found.agentWaits ? found : null;
}
