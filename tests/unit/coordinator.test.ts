import { describe, expect, it } from 'vitest';
import { Coordinator, SqlCoordinator } from '$lib/query/coordinator';
import { httpViewServer, NAMED_VIEWS, type NamedViewRequest, type ViewServer } from '$lib/query/remote-views';
import type { Engine, Query, Row } from '$lib/engine/types';
import { importFiles } from '$lib/imports/pipeline';
import { inspectFile } from '$lib/imports/inspect';
import { fromBytes } from '$lib/imports/source';
import { engine, fixture } from './import-helpers';

/**
 * The query coordinator against a fake engine that records what it was asked, in order, and
 * answers only when the test releases it: ordering, sharing, caching and invalidation are
 * then visible without timing.
 */
class FakeEngine {
	asked: string[] = [];
	private pending: { sql: string; release: (rows: Row[]) => void; fail: (e: Error) => void }[] = [];

	/** The same fake as a holdline server: a named view is asked as its JSON. */
	readonly server: ViewServer = { view: (request) => this.engine.query({ sql: JSON.stringify(request), params: [] }) };

	readonly engine = {
		query: <T extends Row>(q: Query) =>
			new Promise<T[]>((resolve, reject) => {
				this.asked.push(q.sql);
				this.pending.push({ sql: q.sql, release: (rows) => resolve(rows as T[]), fail: reject });
			}),
		exec: (sql: string) =>
			new Promise<void>((resolve, reject) => {
				this.asked.push(sql);
				this.pending.push({ sql, release: () => resolve(), fail: reject });
			})
	} as unknown as Engine;

	/** Answers the oldest question still open (with its SQL as the one row's value). */
	async answer() {
		await flush();
		const next = this.pending.shift();
		if (!next) throw new Error('nothing was asked');
		next.release([{ sql: next.sql }]);
		await flush();
	}

	async failNext() {
		await flush();
		this.pending.shift()!.fail(new Error('engine failed'));
		await flush();
	}

	get open() {
		return this.pending.length;
	}
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
const q = (sql: string, ...params: (string | number)[]): Query => ({ sql, params });

function setup(concurrency = 1) {
	const fake = new FakeEngine();
	return { fake, coordinator: new SqlCoordinator(async () => fake.engine, concurrency) };
}

describe('the query coordinator', () => {
	it('asks one question at a time; a user question goes before waiting prefetches and builds', async () => {
		const { fake, coordinator } = setup();
		const answers: string[] = [];
		const track = (p: Promise<Row[]>, name: string) => p.then(() => answers.push(name));
		track(coordinator.query(q('SELECT build1'), { priority: 'build', cache: false }), 'build1');
		await flush();
		track(coordinator.query(q('SELECT build2'), { priority: 'build', cache: false }), 'build2');
		track(coordinator.query(q('SELECT pre'), { priority: 'prefetch' }), 'pre');
		track(coordinator.query(q('SELECT user')), 'user');
		await flush();
		expect(fake.asked).toEqual(['SELECT build1']); // already running: not interrupted
		for (let i = 0; i < 4; i++) await fake.answer();
		expect(fake.asked).toEqual(['SELECT build1', 'SELECT user', 'SELECT pre', 'SELECT build2']);
		expect(answers).toEqual(['build1', 'user', 'pre', 'build2']);
	});

	it('times each question from its turn to its answer as a User Timing measure, with its key and priority', async () => {
		const { fake, coordinator } = setup();
		const before = performance.getEntriesByName('holdline:ask').length;
		const answered = coordinator.query(q('SELECT timed', 7), { priority: 'prefetch' });
		await flush();
		expect(performance.getEntriesByName('holdline:ask').length).toBe(before); // not answered yet
		await fake.answer();
		await answered;
		const last = performance.getEntriesByName('holdline:ask').at(-1) as PerformanceMeasure;
		expect(last.detail).toEqual({ priority: 'prefetch', key: SqlCoordinator.key(q('SELECT timed', 7)) });
		expect(last.duration).toBeGreaterThanOrEqual(0);
	});

	it('background work asked in the same moment as a user question starts after it', async () => {
		const { fake, coordinator } = setup();
		const staffing = coordinator.query(q('SELECT staffing'), { priority: 'prefetch' });
		// The views come a few microtasks later (after their cube lookups), still in the same task.
		await Promise.resolve();
		const view = coordinator.query(q('SELECT view'));
		await flush();
		expect(fake.asked).toEqual(['SELECT view']);
		await fake.answer();
		await view;
		expect(fake.asked).toEqual(['SELECT view', 'SELECT staffing']);
		await fake.answer();
		await staffing;
	});

	it('identical questions share one engine call, in flight and afterwards', async () => {
		const { fake, coordinator } = setup();
		const a = coordinator.query(q('SELECT x WHERE q = ?', 'A'));
		const b = coordinator.query(q('SELECT x WHERE q = ?', 'A'));
		const other = coordinator.query(q('SELECT x WHERE q = ?', 'B')); // other values: another question
		await fake.answer();
		await fake.answer();
		expect(await a).toBe(await b);
		await other;
		expect(await coordinator.query(q('SELECT x WHERE q = ?', 'A'))).toBe(await a);
		expect(fake.asked).toEqual(['SELECT x WHERE q = ?', 'SELECT x WHERE q = ?']);
	});

	it('a user asking what a prefetch queued moves it ahead of the builds', async () => {
		const { fake, coordinator } = setup();
		void coordinator.query(q('SELECT running'), { priority: 'build', cache: false });
		await flush(); // running: background work starts a task after it is asked
		void coordinator.query(q('SELECT build'), { priority: 'build', cache: false });
		void coordinator.query(q('SELECT view'), { priority: 'prefetch' });
		void coordinator.query(q('SELECT later'), { priority: 'prefetch' });
		const user = coordinator.query(q('SELECT view'));
		await fake.answer();
		await fake.answer();
		expect(fake.asked.slice(0, 2)).toEqual(['SELECT running', 'SELECT view']);
		expect(await user).toEqual([{ sql: 'SELECT view' }]);
	});

	it('a failed answer is not kept: the next ask goes to the engine again', async () => {
		const { fake, coordinator } = setup();
		const first = coordinator.query(q('SELECT flaky'));
		await fake.failNext();
		await expect(first).rejects.toThrow('engine failed');
		const second = coordinator.query(q('SELECT flaky'));
		await fake.answer();
		expect(await second).toEqual([{ sql: 'SELECT flaky' }]);
		expect(fake.asked).toEqual(['SELECT flaky', 'SELECT flaky']);
	});

	it('invalidating a table forgets the answers that read it, and only those', async () => {
		const { fake, coordinator } = setup();
		const reads = [q('SELECT count(*) FROM ds_abc123'), q('SELECT count(*) FROM ds_abc1234'), q('SELECT 1 FROM ds_other, ds_abc123 x')];
		for (const r of reads) void coordinator.query(r);
		for (let i = 0; i < 3; i++) await fake.answer();
		coordinator.invalidate('ds_abc123');
		for (const r of reads) void coordinator.query(r);
		await flush();
		// The first and third read ds_abc123 and are asked again; ds_abc1234 is another table.
		expect(fake.open).toBe(1);
		await fake.answer();
		await fake.answer();
		expect(fake.asked.slice(3)).toEqual([reads[0]!.sql, reads[2]!.sql]);
	});

	it('pinned answers (built with the app) are known synchronously and survive invalidation', async () => {
		const { fake, coordinator } = setup();
		const story = q('SELECT * FROM calls_story WHERE dept = ?', '座席二部');
		coordinator.pin(SqlCoordinator.key(story), [{ n: 5 }]);
		expect(coordinator.known(story)).toEqual([{ n: 5 }]);
		coordinator.invalidate('calls_story');
		expect(await coordinator.query(story)).toEqual([{ n: 5 }]);
		expect(fake.asked).toEqual([]);
	});

	it('idle() waits for the user questions waiting or running, not for background work', async () => {
		const { fake, coordinator } = setup();
		void coordinator.query(q('SELECT build'), { priority: 'build', cache: false });
		let idle = false;
		void coordinator.idle().then(() => (idle = true));
		await flush();
		expect(idle).toBe(true); // only a build is running
		void coordinator.query(q('SELECT user'));
		idle = false;
		void coordinator.idle().then(() => (idle = true));
		await fake.answer(); // the build
		expect(idle).toBe(false);
		await fake.answer(); // the user's
		expect(idle).toBe(true);
	});

	it('statements go through the same queue and are never cached', async () => {
		const { fake, coordinator } = setup();
		const made = coordinator.exec('CREATE TABLE cube_1 AS SELECT 1', 'build');
		await flush();
		const user = coordinator.query(q('SELECT 2'));
		await fake.answer();
		await fake.answer();
		await made;
		await user;
		void coordinator.exec('CREATE TABLE cube_1 AS SELECT 1', 'build');
		await fake.answer();
		expect(fake.asked).toEqual(['CREATE TABLE cube_1 AS SELECT 1', 'SELECT 2', 'CREATE TABLE cube_1 AS SELECT 1']);
	});

	it('keeps at most 200 answers besides the pinned ones, dropping the least recently used', async () => {
		const { fake, coordinator } = setup(4);
		// Many answers pinned (the story's build-time ones) do not crowd out the live ones.
		for (let i = 0; i < 450; i++) coordinator.pin(SqlCoordinator.key(q(`SELECT pinned ${i}`)), []);
		const first = q('SELECT 0');
		void coordinator.query(first);
		await fake.answer();
		for (let i = 1; i <= 200; i++) {
			void coordinator.query(q(`SELECT ${i}`));
			if (i === 150) void coordinator.query(first); // used again: recent
			await fake.answer();
		}
		expect(coordinator.size).toBe(450 + 200);
		void coordinator.query(first);
		void coordinator.query(q('SELECT 1'));
		await flush();
		expect(fake.open).toBe(1); // 'SELECT 0' kept (used at 150), 'SELECT 1' dropped
		expect(fake.asked.at(-1)).toBe('SELECT 1');
	});
});

/** A gate that holds the SQL reading `ds_a` until released, as the library holds a stored dataset until attached. */
function gated() {
	const fake = new FakeEngine();
	let release!: () => void;
	let fail!: (error: Error) => void;
	const attached = new Promise<void>((resolve, reject) => {
		release = resolve;
		fail = reject;
	});
	attached.catch(() => {});
	const gateCalls: string[] = [];
	const coordinator = new SqlCoordinator(
		async () => fake.engine,
		1,
		(sql) => {
			if (!/\bds_a\b/.test(sql)) return undefined;
			gateCalls.push(sql);
			return attached;
		}
	);
	return { fake, coordinator, release, fail, gateCalls };
}

describe('the coordinator and stored datasets (remembered answers, attaching)', () => {
	it('no question or statement on a table reaches the engine before its gate opens; others pass meanwhile', async () => {
		const { fake, coordinator, release } = gated();
		const held = coordinator.query(q('SELECT count(*) FROM ds_a'));
		const build = coordinator.query(q('CREATE TABLE cube_1 AS SELECT * FROM ds_a'), { priority: 'build', cache: false });
		const statement = coordinator.exec('DROP TABLE IF EXISTS cube_ds_a_0; SELECT 1 FROM ds_a');
		const other = coordinator.query(q('SELECT count(*) FROM calls_story'));
		await fake.answer();
		expect(await other).toEqual([{ sql: 'SELECT count(*) FROM calls_story' }]);
		expect(fake.asked).toEqual(['SELECT count(*) FROM calls_story']);
		release();
		for (let i = 0; i < 3; i++) await fake.answer();
		await Promise.all([held, build, statement]);
		expect(fake.asked.slice(1)).toEqual([
			'SELECT count(*) FROM ds_a',
			'DROP TABLE IF EXISTS cube_ds_a_0; SELECT 1 FROM ds_a',
			'CREATE TABLE cube_1 AS SELECT * FROM ds_a'
		]);
	});

	it('a pinned (remembered) answer is given without the gate: nothing is opened for it', async () => {
		const { fake, coordinator, gateCalls } = gated();
		coordinator.pin(SqlCoordinator.key(q('SELECT n FROM ds_a WHERE queue = ?', 'cards')), [{ n: 4 }]);
		expect(await coordinator.query(q('SELECT n FROM ds_a WHERE queue = ?', 'cards'))).toEqual([{ n: 4 }]);
		expect(gateCalls).toEqual([]);
		// Another value is another question: it waits for the gate, it is not given the pinned rows.
		const other = coordinator.query(q('SELECT n FROM ds_a WHERE queue = ?', 'sales'));
		await flush();
		expect(gateCalls).toEqual(['SELECT n FROM ds_a WHERE queue = ?']);
		expect(fake.asked).toEqual([]);
		void other;
	});

	it('a gate that fails is the answer of the questions behind it, and they no longer hold idle()', async () => {
		const { fake, coordinator, fail } = gated();
		const held = coordinator.query(q('SELECT count(*) FROM ds_a'));
		let idle = false;
		void coordinator.idle().then(() => (idle = true));
		await flush();
		expect(idle).toBe(false);
		fail(new Error('missing'));
		await expect(held).rejects.toThrow('missing');
		await flush();
		expect(idle).toBe(true);
		expect(fake.asked).toEqual([]);
	});

	it('lists the arrived answers that read a table, least recently used first, pinned ones included', async () => {
		const { fake, coordinator } = setup();
		coordinator.pin(SqlCoordinator.key(q('SELECT pinned FROM ds_a')), [{ p: 1 }]);
		void coordinator.query(q('SELECT first FROM ds_a'));
		void coordinator.query(q('SELECT other FROM ds_b'));
		await fake.answer();
		await fake.answer();
		void coordinator.query(q('SELECT waiting FROM ds_a')); // not arrived: not listed
		await coordinator.query(q('SELECT pinned FROM ds_a')); // used again: now the most recent
		const keys = coordinator.answered('ds_a').map(([key]) => JSON.parse(key)[0]);
		expect(keys).toEqual(['SELECT first FROM ds_a', 'SELECT pinned FROM ds_a']);
		expect(coordinator.answered('ds_a')[1]![1]).toEqual([{ p: 1 }]);
	});

	it('invalidating with pinned forgets remembered answers too; the next ask goes to the engine', async () => {
		const { fake, coordinator } = setup();
		const pinned = q('SELECT n FROM ds_a');
		coordinator.pin(SqlCoordinator.key(pinned), [{ n: 1 }]);
		coordinator.invalidate('ds_a');
		expect(coordinator.known(pinned)).toEqual([{ n: 1 }]);
		coordinator.invalidate('ds_a', { pinned: true });
		expect(coordinator.known(pinned)).toBeUndefined();
		expect(coordinator.answered('ds_a')).toEqual([]);
		void coordinator.query(pinned);
		await flush();
		expect(fake.asked).toEqual(['SELECT n FROM ds_a']);
	});
});

const DEFAULT_SETTINGS: NamedViewRequest['settings'] = {
	thresholdS: 20,
	shortAbandonS: 5,
	variant: 'count',
	interval: 60,
	onset: null,
	end: null,
	longS: 120
};
const view = (dataset: string, name: NamedViewRequest['view'], queue: string | null = null): NamedViewRequest => ({
	dataset,
	view: name,
	filter: { queue, agent: null, outcome: null, from: null, to: null },
	settings: DEFAULT_SETTINGS
});

describe('the coordinator over a holdline server (named views)', () => {
	function remote(concurrency = 1) {
		const fake = new FakeEngine();
		return { fake, coordinator: new Coordinator(async () => fake.server, NAMED_VIEWS, concurrency) };
	}

	it('user views go before waiting prefetches and builds; a user asking a queued prefetch moves it up', async () => {
		const { fake, coordinator } = remote();
		const order: string[] = [];
		const track = (request: NamedViewRequest, priority: 'user' | 'prefetch' | 'build') =>
			void coordinator.query(request, { priority }).then(() => order.push(`${request.view}:${priority}`));
		track(view('ds_aaaaaa', 'options'), 'build');
		await flush(); // running: background work starts a task after it is asked
		track(view('ds_aaaaaa', 'agents'), 'build');
		track(view('ds_aaaaaa', 'queues'), 'prefetch');
		track(view('ds_aaaaaa', 'waits'), 'prefetch');
		track(view('ds_aaaaaa', 'summary'), 'user');
		track(view('ds_aaaaaa', 'waits'), 'user'); // queued as a prefetch: now the user's
		for (let i = 0; i < 5; i++) await fake.answer();
		// The raised prefetch keeps its place in line among the user's questions (it was asked first).
		expect(fake.asked.map((json) => JSON.parse(json).view)).toEqual(['options', 'waits', 'summary', 'queues', 'agents']);
		expect(order).toEqual(['options:build', 'waits:prefetch', 'waits:user', 'summary:user', 'queues:prefetch', 'agents:build']);
	});

	it('sends more at once when told the server answers side by side (a ClickHouse server): the waiting ones start then', async () => {
		const { fake, coordinator } = remote(2);
		const views = (['summary', 'intervals', 'queues', 'agents', 'waits'] as const).map((name) => view('ds_aaaaaa', name, '座席一部'));
		for (const r of views) void coordinator.query(r);
		await flush();
		expect(fake.open).toBe(2);
		coordinator.setConcurrency(6);
		await flush();
		expect(fake.open).toBe(5);
		expect(fake.asked.map((json) => JSON.parse(json).view)).toEqual(['summary', 'intervals', 'queues', 'agents', 'waits']);
		for (let i = 0; i < 5; i++) await fake.answer();
		expect(fake.open).toBe(0);
	});

	it('an equal request is one question, in flight and afterwards; another filter is another', async () => {
		const { fake, coordinator } = remote(2);
		const a = coordinator.query(view('ds_aaaaaa', 'summary', '座席一部'));
		const b = coordinator.query(view('ds_aaaaaa', 'summary', '座席一部'));
		const other = coordinator.query(view('ds_aaaaaa', 'summary', '座席二部'));
		await fake.answer();
		await fake.answer();
		expect(await a).toBe(await b);
		expect(await other).not.toBe(await a);
		expect(await coordinator.query(view('ds_aaaaaa', 'summary', '座席一部'))).toBe(await a);
		expect(fake.asked).toHaveLength(2);
	});

	it('invalidating a dataset forgets its views only; a failed view is asked again', async () => {
		const { fake, coordinator } = remote(4);
		const asks = [view('ds_aaaaaa', 'summary'), view('ds_bbbbbb', 'summary'), view('ds_aaaaaa', 'queues')];
		for (const r of asks) void coordinator.query(r);
		for (let i = 0; i < 3; i++) await fake.answer();
		coordinator.invalidate('ds_aaaaaa');
		for (const r of asks) void coordinator.query(r);
		await flush();
		expect(fake.asked.slice(3).map((json) => JSON.parse(json))).toEqual([asks[0], asks[2]]);
		await fake.failNext();
		await fake.answer();
		void coordinator.query(asks[0]!);
		await flush();
		expect(fake.open).toBe(1); // the failure was not kept
	});

	it('keeps at most 200 views, dropping the least recently used', async () => {
		const { fake, coordinator } = remote(4);
		const first = view('ds_aaaaaa', 'summary', 'q0');
		void coordinator.query(first);
		await fake.answer();
		for (let i = 1; i <= 200; i++) {
			void coordinator.query(view('ds_aaaaaa', 'summary', `q${i}`));
			if (i === 150) void coordinator.query(first);
			await fake.answer();
		}
		expect(coordinator.size).toBe(200);
		void coordinator.query(first);
		void coordinator.query(view('ds_aaaaaa', 'summary', 'q1'));
		await flush();
		expect(fake.open).toBe(1);
		expect(JSON.parse(fake.asked.at(-1)!).filter.queue).toBe('q1');
	});

	it("the HTTP server posts the request as JSON and fails with the server's words", async () => {
		const posted: { url: string; body: string }[] = [];
		const reply = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
		const answers = [reply(200, { rows: [{ calls: 3 }] }), reply(400, { error: { code: 'invalid_value', message: 'filter.from: must be a time' } })];
		const server = httpViewServer(async (url, init) => {
			posted.push({ url: String(url), body: String(init?.body) });
			return answers.shift()!;
		});
		const request = view('ds_aaaaaa', 'summary', '座席一部');
		expect(await server.view(request)).toEqual([{ calls: 3 }]);
		expect(posted[0]).toEqual({ url: '/api/view', body: JSON.stringify(request) });
		await expect(server.view(request)).rejects.toThrow('filter.from: must be a time');
	});
});

describe('writes through the coordinator (imports, the dataset library)', () => {
	it('a write runs in turn with the questions, and forgets the answers read from the tables it changes, and only those', async () => {
		const { fake, coordinator } = setup();
		coordinator.pin(SqlCoordinator.key(q('SELECT remembered FROM ds_a')), [{ n: 1 }]);
		void coordinator.query(q('SELECT n FROM ds_a'));
		void coordinator.query(q('SELECT n FROM ds_b'));
		await fake.answer();
		await fake.answer();
		const written = coordinator.write((engine) => engine.exec('INSERT INTO ds_a VALUES (2)'), { changes: ['ds_a'] });
		const before = coordinator.query(q('SELECT first FROM ds_a')); // asked before the write: answered after it, in turn
		await flush();
		// Until the write has run, the answer read before it is the answer.
		await coordinator.query(q('SELECT n FROM ds_a'));
		await fake.answer();
		await written;
		await fake.answer();
		await before;
		expect(fake.asked.slice(2)).toEqual(['INSERT INTO ds_a VALUES (2)', 'SELECT first FROM ds_a']);
		void coordinator.query(q('SELECT n FROM ds_a'));
		void coordinator.query(q('SELECT n FROM ds_b'));
		await flush();
		expect(fake.asked.slice(4)).toEqual(['SELECT n FROM ds_a']); // ds_b's answer is still good
		expect(coordinator.known(q('SELECT remembered FROM ds_a'))).toEqual([{ n: 1 }]); // remembered ones are their owner's to forget
	});

	it('a failed write forgets the answers too (a half-done change is a change)', async () => {
		const { fake, coordinator } = setup();
		void coordinator.query(q('SELECT n FROM ds_a'));
		await fake.answer();
		const written = coordinator.write((engine) => engine.exec('DROP TABLE ds_a'), { changes: ['ds_a'] });
		const failed = expect(written).rejects.toThrow('engine failed');
		await fake.failNext();
		await failed;
		void coordinator.query(q('SELECT n FROM ds_a'));
		await flush();
		expect(fake.asked).toEqual(['SELECT n FROM ds_a', 'DROP TABLE ds_a', 'SELECT n FROM ds_a']);
	});

	it('a write is not held by the gate: attaching a stored table is itself a write', async () => {
		const { fake, coordinator } = gated();
		const held = coordinator.query(q('SELECT count(*) FROM ds_a'));
		const attach = coordinator.write((engine) => engine.exec('CREATE OR REPLACE VIEW ds_a AS SELECT 1'));
		await fake.answer();
		await attach;
		expect(fake.asked).toEqual(['CREATE OR REPLACE VIEW ds_a AS SELECT 1']);
		void held;
	});

	it('the writer queues each statement on its own, so a question may go between them, and caches nothing it reads', async () => {
		const { fake, coordinator } = setup();
		const writer = coordinator.writer(['ds_new']);
		const steps = (async () => {
			await writer.exec('CREATE TABLE ds_new_stage (a VARCHAR)');
			await writer.query(q('SELECT count(*) FROM ds_new_stage'));
			await writer.query(q('SELECT count(*) FROM ds_new_stage'));
		})();
		await flush();
		const between = coordinator.query(q('SELECT n FROM calls_story'));
		for (let i = 0; i < 4; i++) await fake.answer();
		await Promise.all([steps, between]);
		expect(fake.asked).toEqual([
			'CREATE TABLE ds_new_stage (a VARCHAR)',
			'SELECT n FROM calls_story',
			'SELECT count(*) FROM ds_new_stage',
			'SELECT count(*) FROM ds_new_stage'
		]);
	});

	it("the writer's statements forget the answers of its table when they name it, not when they name another (its staging table)", async () => {
		const { fake, coordinator } = setup();
		const writer = coordinator.writer(['ds_new']);
		const count = () => coordinator.query(q('SELECT count(*) FROM ds_new'));
		void count();
		await fake.answer();
		const staged = writer.exec('INSERT INTO ds_new_stage VALUES (1)');
		await fake.answer();
		await staged;
		void count(); // still the answer held
		await flush();
		expect(fake.asked).toEqual(['SELECT count(*) FROM ds_new', 'INSERT INTO ds_new_stage VALUES (1)']);
		const made = writer.exec('CREATE TABLE ds_new AS SELECT * FROM ds_new_stage');
		await fake.answer();
		await made;
		void count();
		await flush();
		expect(fake.asked.at(-1)).toBe('SELECT count(*) FROM ds_new');
		expect(fake.asked).toHaveLength(4);
	});

	it('on a real engine, a question asked after an import or a deletion through the client sees the new data', async () => {
		const db = await engine();
		const client = new SqlCoordinator(async () => db);
		const table = 't_client_writes';
		const count = () => client.query<{ n: number }>(q(`SELECT count(*)::INTEGER AS n FROM ${table}`)).then(([row]) => Number(row!.n));
		const importInto = async (name: string, changes: string[]) => {
			const inspection = await inspectFile(fromBytes(name, fixture(name)));
			const plan = { format: inspection.format, mapping: inspection.suggested, onBadRows: 'skip', utcOffsetSeconds: 8 * 3600 } as const;
			return importFiles(client.writer(changes), [inspection], plan, { table });
		};
		const first = await importInto('Master.csv', [table]);
		expect(await count()).toBe(first.rows);
		const second = await importInto('freeswitch-Master.csv', [table]);
		expect(second.rows).not.toBe(first.rows);
		expect(await count()).toBe(second.rows);
		// The cache is real: a write that does not name the table leaves its answer as it was.
		await importInto('Master.csv', []);
		expect(await count()).toBe(second.rows);
		await client.write((engine) => engine.exec(`DROP TABLE ${table}`), { changes: [table] });
		await expect(count()).rejects.toThrow(/t_client_writes/);
	});
});
