import { openClickHouseEngine, type ClickHouseEngine } from '$lib/engine/clickhouse';
import { LOAD_COLUMN, LOCAL_TABLE, ROWS_TABLE, chIdentifier, committedCondition, type LoadTarget } from '$lib/imports/clickhouse-load';
import { HELD_SHORT_ABANDONS, HELD_THRESHOLDS, SERVICE_AGGREGATE } from './service-aggregate-columns';

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
 * The aggregate is there when the materialized view is: it is created last.
 */
export const AGGREGATE_TABLE = 'calls_agg';
const AGGREGATE_ROWS = 'calls_agg_rows';
const AGGREGATE_LOCAL = 'calls_agg_local';
export const AGGREGATE_VIEW = 'calls_agg_mv';

export { HELD_SHORT_ABANDONS, HELD_THRESHOLDS };

/** Its columns: derived from the service measures (`preagg/service-aggregate-columns.ts`). */
const STATES = SERVICE_AGGREGATE.columns;
const NO_TIME = `toDateTime(0, 'UTC')`;

/** The grain: department ('' for none), whether the call has an arrival, its quarter hour (1970 when none). */
const GRAIN_DDL = `queue String, has_arrival UInt8, slot DateTime('UTC'), ${LOAD_COLUMN} UInt64`;
const GRAIN_SELECT = `ifNull(queue, '') AS queue, toUInt8(arrival IS NOT NULL) AS has_arrival, ifNull(toStartOfFifteenMinutes(arrival, 'UTC'), ${NO_TIME}) AS slot, ${LOAD_COLUMN}`;
const COLUMNS_DDL = `${GRAIN_DDL}, ${STATES.map(({ name, type }) => `${name} ${type}`).join(', ')}`;
const ENGINE = `AggregatingMergeTree PARTITION BY toYYYYMM(slot) ORDER BY (queue, has_arrival, slot, ${LOAD_COLUMN})`;

/** The aggregate of `from`'s calls: what the materialized view inserts, and the first fill. */
function aggregateSelect(db: string, from: string): string {
	return `SELECT ${GRAIN_SELECT}, ${STATES.map(({ name, state }) => `${state} AS ${name}`).join(', ')}
FROM ${db}.${from}
GROUP BY queue, has_arrival, slot, ${LOAD_COLUMN}`;
}

/**
 * On one server (a shard, or the only one): the aggregate table, filled once from the calls
 * already there, then the view that keeps it filled. Run only where the view is missing, so
 * nothing is counted twice: a table left by a run that stopped before the view is made again.
 * (Loads are the only writers, one at a time: no calls arrive between the fill and the view.)
 */
export function aggregateStatements(database: string, cluster: boolean): string[] {
	const db = chIdentifier(database);
	const [from, into] = cluster ? [LOCAL_TABLE, AGGREGATE_LOCAL] : [ROWS_TABLE, AGGREGATE_ROWS];
	return [
		`DROP TABLE IF EXISTS ${db}.${into}`,
		`CREATE TABLE ${db}.${into} (${COLUMNS_DDL}) ENGINE = ${ENGINE}`,
		`INSERT INTO ${db}.${into} ${aggregateSelect(db, from)}`,
		`CREATE MATERIALIZED VIEW ${db}.${AGGREGATE_VIEW} TO ${db}.${into} AS ${aggregateSelect(db, from)}`
	];
}

/** The Distributed table over every shard's aggregate, made on each shard after all are filled. */
export function distributedAggregateStatement(database: string, cluster: string): string {
	const db = chIdentifier(database);
	return `CREATE TABLE IF NOT EXISTS ${db}.${AGGREGATE_ROWS} (${COLUMNS_DDL}) ENGINE = Distributed(${chIdentifier(cluster)}, ${db}, ${AGGREGATE_LOCAL}, rand())`;
}

/** `calls_agg`: the committed loads' groups (every column, `load_id` too), on each server asked. */
export function committedAggregateStatement(database: string, cluster: boolean): string {
	const db = chIdentifier(database);
	return `CREATE VIEW IF NOT EXISTS ${db}.${AGGREGATE_TABLE} AS SELECT * FROM ${db}.${AGGREGATE_ROWS} WHERE ${committedCondition(database, cluster)}`;
}

const hasTable = async (ch: ClickHouseEngine, name: string) =>
	(
		await ch.query<{ n: number }>({
			sql: `SELECT count() AS n FROM system.tables WHERE database = currentDatabase() AND name = '${name}'`,
			params: []
		})
	)[0]!.n > 0;

/**
 * Makes the aggregate where it is missing (every named shard, or the one server). A cluster
 * asked through `ON CLUSTER` (no shard named) gets none: each shard's first fill needs its own
 * address; serving then reads `calls`, as before.
 */
export async function createAggregate(target: LoadTarget): Promise<void> {
	if (target.cluster && !target.shards.length) return;
	const servers = target.cluster ? target.shards : [target.url];
	const on = async (url: string, work: (ch: ClickHouseEngine) => Promise<void>) => {
		const ch = openClickHouseEngine({ ...target, url });
		try {
			await work(ch);
		} finally {
			await ch.close();
		}
	};
	for (const url of servers)
		await on(url, async (ch) => {
			if (await hasTable(ch, AGGREGATE_VIEW)) return;
			// The tables over it keep the columns they were made with: made again below.
			for (const name of target.cluster ? [AGGREGATE_TABLE, AGGREGATE_ROWS] : [AGGREGATE_TABLE])
				await ch.exec(`DROP TABLE IF EXISTS ${chIdentifier(target.database)}.${name}`);
			for (const sql of aggregateStatements(target.database, !!target.cluster)) await ch.exec(sql);
		});
	for (const url of servers)
		await on(url, async (ch) => {
			if (target.cluster) await ch.exec(distributedAggregateStatement(target.database, target.cluster));
			await ch.exec(committedAggregateStatement(target.database, !!target.cluster));
		});
}

/** The aggregate table to ask, or null where the database has none (loaded before it existed). */
export async function findAggregate(ch: ClickHouseEngine): Promise<string | null> {
	return (await hasTable(ch, AGGREGATE_VIEW)) && (await hasTable(ch, AGGREGATE_TABLE)) ? AGGREGATE_TABLE : null;
}
