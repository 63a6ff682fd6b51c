import {
	answers,
	axisId,
	contextOf,
	cubeAnswerQuery,
	cubeBuildQuery,
	cubeSampleQuery,
	cubeRowsQuery,
	cubeTable,
	heldAnswer,
	holdCube,
	TEMP_CUBES,
	type HeldCube,
	type CubeAxis,
	type CubeHome,
	type CubeDim,
	onGrain
} from './cube';
import { holdRange, rangeAnswer, rangeAnswers, rangeBytes, rangeColumnsQuery, rangeKeysQuery, summable, type RangeTable } from './range-tables';
import { dayCubeBuildQuery, dayRangeAnswerQuery, hasDays } from './day-cube';
import { viewQuery, type ViewSpec } from '$lib/metrics/service';
import { tableName } from '$lib/sql/identifiers';
import type { Engine, Query, Row } from '$lib/engine/types';
import { EMPTY_FILTER, type Filter } from '$lib/filters/filter';

/**
 * Decides, for each view and filter, whether a cube answers it, and builds cubes: ahead of
 * time for the filters users move first (department, agent, time from an unfiltered
 * start), and on demand when one filter moves under others. A question no cube answers
 * goes to the calls table, so every answer is exact; cubes only make it faster.
 */
interface Entry {
	name: string;
	table: string;
	axis: CubeAxis;
	ready: Promise<void>;
	rows: number;
	used: number;
	/** A small value cube's rows, held in memory: its answers need no engine (see HOLD_ROWS). */
	held?: HeldCube;
	/** A time cube's days (`day-cube.ts`): a range's whole days read there, the days it cuts from the buckets. */
	days?: string;
	/** A time cube's table held in the page (`activateTime`), by its key in `ranges`: it goes with the cube. */
	range?: string;
}

/** The axes a cube may take, in the order a question tries them. */
const AXES: CubeAxis[] = [
	{ dim: 'queue', grain: null },
	{ dim: 'agent', grain: null },
	{ dim: 'outcome', grain: null },
	{ dim: 'time', grain: 60 },
	{ dim: 'time', grain: 15 }
];
/** Built ahead of time, in this order: the filters a user reaches for first. */
export const AHEAD: readonly CubeAxis[] = [AXES[0]!, AXES[1]!, AXES[3]!];

/**
 * A cube made before (a server's store keeps those of its datasets' first views: server/saved-cubes.ts),
 * found by its build query (`savedCubeKey`): the tables it is copied from instead of being built from
 * the calls. `days` when the time cube's days were kept too.
 */
export interface SavedCube {
	buckets: string;
	days: string | null;
}
export type SavedCubes = (key: string) => SavedCube | undefined;
/** Beyond this many cubes the least recently used is dropped (each is at most a few MB). */
const CUBE_LIMIT = 60;
/**
 * Value cubes up to this many rows are also held in memory, up to HOLD_BUDGET rows in all
 * (the least recently used let go first).
 * Even a finished answer's lookup cost 5–50 ms in the browser's engine (its worker, the
 * statement's planning, the Arrow round trip; five per change at 1,000,000 calls, profiled),
 * while the held rows answer at once, and a change's five answers arrive together (one
 * repaint). The largest cube (the time chart by agent: hundreds of agents × every hour) stays
 * in the engine; reading 15,000 rows into the page costs about 10 ms of its main thread.
 */
const HOLD_ROWS = 15_000;
const HOLD_BUDGET = 200_000;
/**
 * Time cubes up to RANGE_ROWS rows are held in the page while the time control is active
 * (`activateTime`), in typed columns: a row takes 4 + 4 bytes (bucket, key index) and 8 per
 * partial column, 96 bytes for the Service page's 11, so 400,000 rows take 38 MB. At
 * 1,000,000 calls over 50 days the hourly tables of the summary, the time chart and the
 * departments hold 1,200–3,600 rows, the wait histogram's about 40,000, the agents' about
 * 166,000 (16 MB); the agents' 15-minute table, several hundred thousand, may stay in the
 * engine. All held tables together keep within RANGE_BYTES (the least recently used let go
 * first): the tables of a few activations, well under the engine's own memory for the calls.
 */
const RANGE_ROWS = 400_000;
const RANGE_BYTES = 96 * 2 ** 20;

/** The dimensions whose values differ between two filters. */
export function movedDims(before: Filter, after: Filter): CubeDim[] {
	const moved: CubeDim[] = [];
	for (const dim of ['queue', 'agent', 'outcome'] as const) if (before[dim] !== after[dim]) moved.push(dim);
	if (before.from !== after.from || before.to !== after.to) moved.push('time');
	return moved;
}

/** The cube axis for a moved dimension: time uses the coarsest bucket its bounds fall on. */
function axisFor(dim: CubeDim, filter: Filter): CubeAxis | null {
	if (dim !== 'time') return { dim, grain: null };
	const grain = ([60, 15] as const).find((g) => onGrain(filter.from, g) && onGrain(filter.to, g));
	return grain ? { dim, grain } : null;
}

/** What identifies a cube made before: its build query (the same SQL and values, the same rows), with the name left out. */
export function savedCubeKey(table: string, view: ViewSpec, axis: CubeAxis, filter: Filter): string {
	const { sql, params } = cubeBuildQuery('cube', table, view, axis, filter);
	return JSON.stringify([sql, params]);
}

/** A copy of a saved table (`source`, as SQL names it), rows in the same order (DuckDB keeps insertion order). */
function copyQuery(name: string, source: string, home: CubeHome): Query {
	return { sql: `CREATE OR REPLACE ${'temp' in home ? 'TEMP ' : ''}TABLE ${cubeTable(name, home)} AS SELECT * FROM ${source}`, params: [] };
}

export class CubeIndex {
	private cubes = new Map<string, Entry>();
	private last = new Map<string, Filter>();
	private clock = 0;
	private heldRows = 0;
	/** Counted across indexes: a server's indexes (one per dataset) make their cubes in one catalog. */
	private static made = 0;
	private generation = 0;
	/** Warming is best effort; tests listen here so that a broken warm-up cannot pass unseen. */
	onWarmError?: (error: unknown) => void;

	constructor(
		private engine: () => Promise<Engine>,
		/** Resolves when no user query is waiting: ahead-of-time builds yield to them. */
		private idle: () => Promise<void> = async () => {},
		/** Where the cubes are made: TEMP tables (one connection), or a catalog a server's connections share. */
		private home: CubeHome = TEMP_CUBES,
		/** How many cube rows may be held in memory in all. */
		private holdBudget = HOLD_BUDGET
	) {}

	private dead = new Set<string>();
	private building = new Set<Promise<void>>();
	/** Time cubes held in the page for the active time control, by `rangeKey`. */
	private ranges = new Map<string, RangeTable>();
	/** The bytes the held time tables take together (`rangeBytes`). */
	private rangeHeldBytes = 0;
	private activating = new Map<string, Promise<void>>();

	private rangeKey(table: string, view: ViewSpec, grain: number, filter: Filter) {
		const c = contextOf(filter, 'time');
		return JSON.stringify([table, view.id, grain, c.queue, c.agent, c.outcome]);
	}

	private keyOf(table: string, view: ViewSpec, axis: CubeAxis, filter: Filter) {
		const c = contextOf(filter, axis.dim);
		return JSON.stringify([table, view.id, axisId(axis), c.queue, c.agent, c.outcome, c.from, c.to]);
	}

	private lastKey = (table: string, view: ViewSpec) => JSON.stringify([table, view.id]);

	/** The query that answers `view` under `filter`: from a cube when one can, else the table. */
	async answer(table: string, view: ViewSpec, filter: Filter): Promise<Query> {
		// Cubes keep one value per dimension: a choice of several queues goes to the table.
		if (filter.queues?.length) return viewQuery(table, view, filter);
		const found = await this.find(table, view, filter);
		if (found) return found;
		// The one filter that moved since this view last asked is likely to move again: index it,
		// in the background once the user's questions are answered (this one goes to the table).
		const previous = this.last.get(this.lastKey(table, view));
		this.last.set(this.lastKey(table, view), filter);
		const moved = previous ? movedDims(previous, filter) : [];
		const axis = moved.length === 1 ? axisFor(moved[0]!, filter) : null;
		if (axis && !this.cubes.has(this.keyOf(table, view, axis, filter))) {
			const generation = this.generation;
			const later = this.idle()
				.then(() => {
					if (generation === this.generation) return this.build(table, view, axis, filter).ready;
				})
				// A table deleted meanwhile (build refuses it) or a failed build: the table answers.
				.catch(() => {});
			this.building.add(later);
			void later.finally(() => this.building.delete(later));
		}
		return viewQuery(table, view, filter);
	}

	/**
	 * A view's rows asked through `ask`: of the cube that answers it, else of the table. A cube
	 * dropped meanwhile (or failing) never costs the answer: the table is asked then, unless
	 * `stands(error)` (a server's refusals: busy, timeout). `onCube` is told a cube was asked.
	 */
	async rows<T>(
		table: string,
		view: ViewSpec,
		filter: Filter,
		ask: (query: Query) => Promise<T[]>,
		{ stands = () => false, onCube = () => {} }: { stands?: (error: unknown) => boolean; onCube?: () => void } = {}
	): Promise<T[]> {
		const held = this.held(table, view, filter);
		if (held) {
			onCube();
			return held as T[];
		}
		const query = await this.answer(table, view, filter);
		const direct = viewQuery(table, view, filter);
		if (query.sql === direct.sql) return ask(direct);
		onCube();
		try {
			return await ask(query);
		} catch (error) {
			if (stands(error)) throw error;
			return ask(direct);
		}
	}

	/**
	 * The view's answer under `filter` from a cube held in memory, synchronously, or undefined
	 * when none holds it (then `rows` asks the engine). The same rows as the cube's lookup.
	 */
	held(table: string, view: ViewSpec, filter: Filter): Row[] | undefined {
		if (filter.queues?.length) return undefined;
		for (const axis of AXES) {
			if (axis.dim === 'time') continue;
			const entry = this.cubes.get(this.keyOf(table, view, axis, filter));
			if (!entry?.held) continue;
			entry.used = ++this.clock;
			this.last.set(this.lastKey(table, view), filter);
			return heldAnswer(entry.held, view, axis.dim, filter);
		}
		for (const grain of [60, 15] as const) {
			const key = this.rangeKey(table, view, grain, filter);
			const range = this.ranges.get(key);
			if (!range || !rangeAnswers(range, filter)) continue;
			// Most recently used last, the cube it came from too: the others are let go first.
			this.ranges.delete(key);
			this.ranges.set(key, range);
			const cube = this.cubes.get(this.keyOf(table, view, { dim: 'time', grain }, filter));
			if (cube) cube.used = ++this.clock;
			this.last.set(this.lastKey(table, view), filter);
			return rangeAnswer(range, view, filter);
		}
		return undefined;
	}

	/**
	 * The time control is active (pointer over it, or focus): builds, for each view, its time
	 * cube at `grain` under the filter's other dimensions, and holds the small ones in the page,
	 * so that the next range is summed there for every view at once (`held`). Resolves when
	 * they are in; again for the same views and filter, at once.
	 */
	activateTime(table: string, views: ViewSpec[], filter: Filter, grain: NonNullable<CubeAxis['grain']>): Promise<void> {
		if (filter.queues?.length || this.dead.has(table)) return Promise.resolve();
		const axis: CubeAxis = { dim: 'time', grain };
		return Promise.all(
			views.filter(summable).map((view) => {
				const key = this.rangeKey(table, view, grain, filter);
				if (this.ranges.has(key)) return;
				const pending = this.activating.get(key);
				if (pending) return pending;
				const made = (async () => {
					await this.idle();
					const entry = this.build(table, view, axis, filter);
					await entry.ready;
					if (entry.rows > RANGE_ROWS) return; // asked of the engine, from the same cube
					const engine = await this.engine();
					const keys = await engine.query<Row>(rangeKeysQuery(entry.name, view, this.home));
					const [columns] = await engine.query<Row>(rangeColumnsQuery(entry.name, view, this.home));
					// Not when its cube was dropped meanwhile (or its table deleted): a held table goes with its cube.
					if (this.cubes.get(this.keyOf(table, view, axis, filter)) !== entry || !columns) return;
					this.holdRangeTable(key, holdRange(keys, columns, view, grain));
					entry.range = key;
				})()
					.catch(() => {}) // best effort: the engine still answers, exactly
					.finally(() => this.activating.delete(key));
				this.activating.set(key, made);
				return made;
			})
		).then(() => {});
	}

	/** Holds a time cube's table, letting the least recently used go while all of them would pass RANGE_BYTES. */
	private holdRangeTable(key: string, held: RangeTable) {
		const bytes = rangeBytes(held);
		if (bytes > RANGE_BYTES) return;
		this.letRangeGo(key);
		for (const oldest of this.ranges.keys()) {
			if (this.rangeHeldBytes + bytes <= RANGE_BYTES) break;
			this.letRangeGo(oldest);
		}
		this.ranges.set(key, held);
		this.rangeHeldBytes += bytes;
	}

	private async find(table: string, view: ViewSpec, filter: Filter): Promise<Query | null> {
		// Finished answers (value axes) before partial sums (time), then the smallest; a cube
		// still building is awaited (the table would queue behind it).
		const candidates = AXES.filter((axis) => answers(axis, filter))
			.map((axis) => this.cubes.get(this.keyOf(table, view, axis, filter)))
			.filter((e): e is Entry => !!e);
		for (const entry of candidates) await entry.ready.catch(() => {});
		const rank = (e: Entry) => (e.axis.dim === 'time' ? 1 : 0);
		const best = candidates.filter((e) => e.rows >= 0).sort((a, b) => rank(a) - rank(b) || a.rows - b.rows)[0];
		if (best) this.last.set(this.lastKey(table, view), filter);
		return best ? this.use(best, view, filter) : null;
	}

	private use(entry: Entry, view: ViewSpec, filter: Filter): Query {
		entry.used = ++this.clock;
		const byDay = entry.days ? dayRangeAnswerQuery(entry.days, entry.name, view, filter, this.home) : null;
		return byDay ?? cubeAnswerQuery(entry.name, view, entry.axis, filter, this.home);
	}

	private build(table: string, view: ViewSpec, axis: CubeAxis, filter: Filter, saved?: SavedCube): Entry {
		const key = this.keyOf(table, view, axis, filter);
		const existing = this.cubes.get(key);
		if (existing) return existing;
		if (this.dead.has(table)) throw new Error(`Table ${table} was deleted`);
		const name = tableName(`cube_${++CubeIndex.made}`);
		const entry: Entry = { name, table, axis, rows: -1, used: ++this.clock, ready: Promise.resolve() };
		entry.ready = (async () => {
			const engine = await this.engine();
			const built = cubeBuildQuery(name, table, view, axis, filter, this.home);
			// A saved cube that cannot be read (gone since) is built from the calls as before.
			const copied = saved
				? await engine.query(copyQuery(name, saved.buckets, this.home)).then(
						() => true,
						() => false
					)
				: false;
			if (copied) this.copied++;
			else await engine.query(built);
			const [counted] = await engine.query<{ n: number }>({ sql: `SELECT count(*) AS n FROM ${cubeTable(name, this.home)}`, params: [] });
			entry.rows = Number(counted?.n ?? 0);
			if (axis.dim === 'time' && hasDays(view)) {
				// Summed from the buckets just made: a small fraction of the calls' scan. Best effort:
				// without its days, the buckets answer every range.
				const days = tableName(`${name}_days`);
				const made = await engine.query(copied && saved?.days ? copyQuery(days, saved.days, this.home) : dayCubeBuildQuery(days, name, view, this.home)).then(
					() => true,
					() => false
				);
				if (made) entry.days = days;
			}
			if (axis.dim !== 'time' && entry.rows <= HOLD_ROWS) {
				// Best effort: a cube whose rows cannot be read is still answered by the engine.
				const rows = await engine.query<Row>(cubeRowsQuery(name, this.home)).catch(() => null);
				if (rows && this.cubes.get(key) === entry) this.hold(entry, rows);
			}
		})();
		entry.ready.catch(() => this.cubes.get(key) === entry && this.cubes.delete(key));
		this.cubes.set(key, entry);
		this.evict();
		return entry;
	}

	/**
	 * Holds `entry`'s rows, releasing those of the least recently used held cubes while the
	 * budget is short: after a setting changes (new views), the cubes of the views shown now
	 * are held, not those of the views before.
	 */
	private hold(entry: Entry, rows: Row[]) {
		if (entry.rows > this.holdBudget) return;
		const held = [...this.cubes.values()].filter((e) => e.held && e !== entry).sort((a, b) => a.used - b.used);
		while (this.heldRows + entry.rows > this.holdBudget && held.length) this.release(held.shift()!);
		// Rows of cubes already dropped from the index are let go once their drop runs.
		if (this.heldRows + entry.rows > this.holdBudget) return;
		entry.held = holdCube(rows);
		this.heldRows += entry.rows;
	}

	private release(entry: Entry) {
		if (entry.held) this.heldRows -= entry.rows;
		entry.held = undefined;
	}

	private evict() {
		while (this.cubes.size > CUBE_LIMIT) {
			const [key, oldest] = [...this.cubes.entries()].sort((a, b) => a[1].used - b[1].used)[0]!;
			this.cubes.delete(key);
			if (oldest.range) this.letRangeGo(oldest.range);
			void this.drop(oldest);
		}
	}

	private letRangeGo(key: string) {
		const held = this.ranges.get(key);
		if (!held) return;
		this.ranges.delete(key);
		this.rangeHeldBytes -= rangeBytes(held);
	}

	private async drop(entry: Entry) {
		await entry.ready.catch(() => {});
		this.release(entry);
		const engine = await this.engine();
		for (const name of [entry.name, ...(entry.days ? [entry.days] : [])])
			await engine.exec(`DROP TABLE IF EXISTS ${cubeTable(name, this.home)}`).catch(() => {});
	}

	/**
	 * Builds, one at a time and only while no user query waits, the cubes for moving
	 * department, agent and time from `filter` in each of `views`. A newer call (another
	 * dataset or other settings) stops the older one's remaining builds; resolves to whether
	 * this call finished. Cubes of other tables are dropped: one dataset is indexed at a time.
	 */
	async prepare(table: string, views: ViewSpec[], filter: Filter = EMPTY_FILTER, saved: SavedCubes = () => undefined): Promise<boolean> {
		const generation = ++this.generation;
		for (const other of new Set([...this.cubes.values()].map((e) => e.table))) if (other !== table) this.forget(other);
		for (const axis of AHEAD)
			for (const view of views) {
				await this.idle();
				if (generation !== this.generation || this.dead.has(table)) return false;
				const entry = this.build(table, view, axis, filter, saved(savedCubeKey(table, view, axis, filter)));
				if (
					await entry.ready.then(
						() => true,
						() => false
					)
				)
					// A held cube answers without the engine: nothing to warm.
					if (!entry.held) await this.warm(entry, view, filter).catch((error) => this.onWarmError?.(error));
			}
		return generation === this.generation;
	}

	/** Resolves once the cubes being built on demand are in (for tests). */
	async settled(): Promise<void> {
		while (this.building.size) await Promise.all([...this.building]);
	}

	/**
	 * Answers once with the axis's filter cleared and once set to a value the cube holds: this
	 * prepares both statements a filter change uses, and has the engine compile the code they
	 * run (WebAssembly is compiled function by function on first use, which makes a fresh
	 * engine's first run of each kind of query several times slower than the next).
	 */
	private async warm(entry: Entry, view: ViewSpec, filter: Filter) {
		const engine = await this.engine();
		const [sample] = await engine.query<{ value: unknown }>(cubeSampleQuery(entry.name, entry.axis, this.home));
		const value = sample?.value == null ? null : String(sample.value);
		const set: Filter = entry.axis.dim === 'time' ? { ...filter, from: value, to: null } : { ...filter, [entry.axis.dim]: value };
		await engine.query(cubeAnswerQuery(entry.name, view, entry.axis, contextOf(filter, entry.axis.dim), this.home));
		if (value != null) await engine.query(cubeAnswerQuery(entry.name, view, entry.axis, set, this.home));
		if (entry.days && value != null) {
			// A range that cuts a day (one hour into it) to its end: the days and the buckets together.
			const cut = dayRangeAnswerQuery(entry.days, entry.name, view, { ...set, from: `${value.slice(0, 10)} 01:00:00` }, this.home);
			if (cut) await engine.query(cut);
		}
	}

	/** Forgets (and drops) every cube of a deleted table, and builds none for it again. */
	invalidate(table: string) {
		this.dead.add(table);
		this.generation++; // stops a `prepare` under way
		this.forget(table);
	}

	private forget(table: string) {
		for (const [key, entry] of this.cubes)
			if (entry.table === table) {
				this.cubes.delete(key);
				void this.drop(entry);
			}
		for (const key of this.last.keys()) if (JSON.parse(key)[0] === table) this.last.delete(key);
		for (const key of this.ranges.keys()) if (JSON.parse(key)[0] === table) this.letRangeGo(key);
	}

	/** Cubes copied from saved ones instead of built from the calls (for tests and diagnostics). */
	copied = 0;

	/** How many cubes exist (for tests and diagnostics). */
	get size() {
		return this.cubes.size;
	}
}
