import { CANONICAL_COLUMNS } from '$lib/imports/canonical';
import { QUEUE_LOG_COLUMNS } from '$lib/imports/formats';
import { assembleCalls } from '$lib/imports/assemble';
import { reviewCalls } from '$lib/imports/review';
import { emptyReport } from '$lib/imports/quality';
import type { NativeEngine } from '$lib/engine/native';
import { tableName } from '$lib/sql/identifiers';

/**
 * Today's calls of a followed `queue_log`, in tables of the served in-memory database, assembled
 * the way an import assembles them (`imports/calls/queue-log.ts`, then the import's review,
 * `imports/review.ts`): at any moment the calls table holds what importing the log's lines read
 * so far would give — finished calls, and answered calls still talking (talk unknown); calls
 * still waiting are left out until their outcome is known.
 *
 * live_events  the day's call events (time, callid, queue, agent, event, data1…5 as text, and
 *              `__line`, the order lines were read in across rotated files)
 * live_calls   the canonical calls, with `callid` (the log's id the call was assembled from)
 *
 * Each batch of lines is appended to live_events; the calls whose ids it touches are assembled
 * again from all their events (a batch table) and replace their old rows. A call is so always
 * one definition, whichever line completed it.
 */
export const LIVE_CALLS = 'live_calls';
const EVENTS = 'live_events';
const BATCH = 'live_batch';
const WORK = 'live_work';

/** One queue_log line, split (time in epoch seconds). */
export interface LogEvent {
	time: number;
	callid: string;
	queue: string;
	agent: string;
	event: string;
	data: string[];
}

/** A queue_log line → its event, or null when it is not one (no readable epoch time or event). */
export function parseLogLine(line: string): LogEvent | null {
	const fields = line.split('|');
	if (fields.length < 5) return null;
	const [time, callid, queue, agent, event, ...rest] = fields as [string, string, string, string, string, ...string[]];
	const seconds = Number(time.trim());
	if (!/^\s*\d+(\.\d+)?\s*$/.test(time) || !Number.isFinite(seconds) || !event.trim()) return null;
	// Data past the fifth field stays in the fifth, as a database export's data5 holds it.
	const data = rest.length > 5 ? [...rest.slice(0, 4), rest.slice(4).join('|')] : rest;
	return { time: seconds, callid: callid.trim(), queue: queue.trim(), agent: agent.trim(), event: event.trim(), data };
}

/** Events that are no call's (agent and queue events carry the id NONE). */
export const isCallEvent = (e: LogEvent) => e.callid !== '' && e.callid !== 'NONE';

const ROWS_PER_INSERT = 400;

/** A connection, and where statements are queued on it, a way to use it with nothing else running. */
export type LiveEngine = NativeEngine & { alone?: <T>(work: () => Promise<T>) => Promise<T> };

export class LiveCalls {
	private line = 0;
	/** Events kept (for tests of the retained size). */
	events = 0;

	constructor(
		private engine: LiveEngine,
		private source: string,
		private offsetSeconds: number
	) {}

	/** Makes the tables, and `view`: the dataset's calls under its id, as a store's dataset is a view of its calls. */
	async init(view: string): Promise<void> {
		const text = QUEUE_LOG_COLUMNS.map((c) => `"${c}" VARCHAR`).join(', ');
		await this.engine.exec(`CREATE OR REPLACE TABLE ${EVENTS} (${text}, __file VARCHAR, __line BIGINT);
CREATE OR REPLACE TABLE ${LIVE_CALLS} AS SELECT ${CANONICAL_COLUMNS.map((c) => `NULL::${c === 'arrival' || c === 'answer' || c === 'ended' ? 'TIMESTAMP' : /_s$/.test(c) ? 'DOUBLE' : c === 'source_line' ? 'BIGINT' : 'VARCHAR'} AS ${c}`).join(', ')}, NULL::VARCHAR AS callid WHERE false;
CREATE OR REPLACE VIEW ${tableName(view)} AS SELECT ${CANONICAL_COLUMNS.join(', ')} FROM ${LIVE_CALLS}`);
	}

	/** Appends call events and assembles the calls they touch again; returns the calls that changed. */
	async add(events: LogEvent[]): Promise<number> {
		const calls = events.filter(isCallEvent);
		if (!calls.length) return 0;
		const first = this.line + 1;
		await this.append(calls);
		this.events += calls.length;
		return this.assemble(`__line >= ${first}`);
	}

	/** Appends events to live_events with DuckDB's appender (bound INSERTs took 0.4 ms a row). */
	private async append(events: LogEvent[]): Promise<void> {
		const alone = this.engine.alone ?? ((work) => work());
		await alone(async () => {
			const appender = await this.engine.connection.createAppender(EVENTS);
			try {
				for (const e of events) {
					for (const value of [String(e.time), e.callid, e.queue, e.agent, e.event]) appender.appendVarchar(value);
					for (let k = 0; k < 5; k++) {
						const d = e.data[k];
						if (d === undefined) appender.appendNull();
						else appender.appendVarchar(d);
					}
					appender.appendVarchar(this.source);
					appender.appendBigInt(BigInt(++this.line));
					appender.endRow();
				}
				appender.flushSync();
			} finally {
				appender.closeSync();
			}
		});
	}

	/** Assembles again every call with an event matching `touched` (SQL over live_events). */
	private async assemble(touched: string): Promise<number> {
		const e = this.engine;
		await e.exec(`CREATE OR REPLACE TABLE ${BATCH} AS SELECT * FROM ${EVENTS} WHERE callid IN (SELECT DISTINCT callid FROM ${EVENTS} WHERE ${touched})`);
		const assembly = assembleCalls('queue_log', { stage: BATCH, columns: QUEUE_LOG_COLUMNS, mapping: {}, offsetSeconds: this.offsetSeconds });
		// The import's own order of steps: assemble, then review (its notes, repairs and exclusions).
		await e.exec(`CREATE OR REPLACE TABLE ${WORK} AS ${assembly.select}`);
		const plan = { format: 'queue_log' as const, mapping: {}, onBadRows: 'skip' as const, utcOffsetSeconds: this.offsetSeconds };
		await reviewCalls(e, WORK, plan, emptyReport(), () => {}, assembly.noteValue);
		const ids = `SELECT DISTINCT trim(callid) FROM ${BATCH}`;
		await e.exec(`DELETE FROM ${LIVE_CALLS} WHERE callid IN (${ids})`);
		// A call's id is its callid, or callid#n for the n-th call of a reused id (two equality joins: an OR would loop).
		const [inserted] = await e.query<{ Count: number }>({
			sql: `INSERT INTO ${LIVE_CALLS} SELECT ${CANONICAL_COLUMNS.map((c) => `w.${c}`).join(', ')}, coalesce(whole.callid, numbered.callid)
FROM ${WORK} w LEFT JOIN (${ids}) AS whole(callid) ON w.call_id = whole.callid
LEFT JOIN (${ids}) AS numbered(callid) ON regexp_extract(w.call_id, '^(.*)#[0-9]+$', 1) = numbered.callid`,
			params: []
		});
		await e.exec(`DROP TABLE ${WORK}; DROP TABLE ${BATCH}`);
		return Number(inserted?.Count ?? 0);
	}

	/**
	 * A new day: only the events of calls still in progress (`keep`, their ids) stay, so they are
	 * whole when they end; the calls of the day before go.
	 */
	async rollOver(keep: Iterable<string>): Promise<void> {
		const ids = [...keep];
		await this.engine.exec(`CREATE OR REPLACE TEMP TABLE live_keep (callid VARCHAR)`);
		for (let i = 0; i < ids.length; i += ROWS_PER_INSERT) {
			const part = ids.slice(i, i + ROWS_PER_INSERT);
			await this.engine.query({ sql: `INSERT INTO live_keep VALUES ${part.map(() => '(?)').join(', ')}`, params: part });
		}
		await this.engine.exec(`DELETE FROM ${EVENTS} WHERE callid NOT IN (SELECT callid FROM live_keep);
DELETE FROM ${LIVE_CALLS} WHERE callid NOT IN (SELECT callid FROM live_keep);
DROP TABLE live_keep`);
		const [kept] = await this.engine.query<{ n: number }>({ sql: `SELECT count(*) AS n FROM ${EVENTS}`, params: [] });
		this.events = Number(kept?.n ?? 0);
	}

	/** The dataset's size and span, as the store's dataset list gives them. */
	async summary(): Promise<{ rows: number; from: string | null; to: string | null }> {
		const [s] = await this.engine.query<{ rows: number; from: string | null; to: string | null }>({
			sql: `SELECT count(*) AS rows, strftime(min(arrival), '%Y-%m-%d %H:%M:%S') AS "from", strftime(max(arrival), '%Y-%m-%d %H:%M:%S') AS "to" FROM ${LIVE_CALLS}`,
			params: []
		});
		return { rows: Number(s?.rows ?? 0), from: s?.from ?? null, to: s?.to ?? null };
	}
}
