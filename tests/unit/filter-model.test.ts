import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	CALLS_SCHEMA,
	EMPTY_FILTER,
	filterWhere,
	isFiltered,
	parseFilter,
	serializeFilter,
	REPORT_SCHEMA,
	type Filter,
	type FilterSchema
} from '$lib/filters/filter';
import { DIMENSIONS, MAX_LIST } from '$lib/filters/dimensions';
import { toggled } from '$lib/filters/choices';
import { departmentsLine, parseReportParams, serializeReportParams } from '$lib/report/spec';
import { describeFilter, filterValues } from '$lib/filters/describe';
import { HOURLY_UP_TO_DAYS, intervalFor, parseServiceView, serializeServiceView } from '$lib/metrics/service-view';
import { nativeEngine, openNativeDatabase, type NativeEngine } from '$lib/engine/native';
import { OUTCOMES } from '$lib/story/dataset';
import { STORY_SCHEMA } from '$lib/story/schema';
import { CANONICAL_OUTCOMES } from '$lib/imports/canonical';
import { CLICKHOUSE } from '$lib/sql/dialect-clickhouse';

/** A name as data may have it: any text, already trimmed, at most the 200 characters a URL value keeps. */
const name = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }).filter((s) => s.trim() === s && s.length > 0 && s.length <= 200);
const time = fc
	.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2030-12-31T23:59:59Z'), noInvalidDate: true })
	.map((d) => d.toISOString().slice(0, 19).replace('T', ' '));

/** A filter the dataset can hold: every dimension it has, set or not. */
function filterOf(schema: FilterSchema) {
	const has = (field: keyof typeof schema.columns) => !!schema.columns[field];
	return fc.record({
		queue: fc.option(name),
		agent: fc.option(name),
		outcome: fc.option(fc.constantFrom(...schema.outcomes)),
		from: has('from') ? fc.option(time) : fc.constant(null),
		to: has('to') ? fc.option(time) : fc.constant(null)
	}) as fc.Arbitrary<Filter>;
}

const dimensionKeys = new Set(DIMENSIONS.flatMap((d) => [d.key, ...d.aliases]));
const unrelated = fc.dictionary(
	fc.string({ minLength: 1, maxLength: 8 }).filter((k) => !dimensionKeys.has(k)),
	fc.string({ maxLength: 20 }),
	{ maxKeys: 3 }
);

describe('filter ⇄ URL, every dimension', () => {
	for (const [label, schema] of [
		['story', STORY_SCHEMA],
		['imported calls', CALLS_SCHEMA]
	] as const) {
		it(`round-trips any ${label} filter, keeps unrelated parameters and leaves defaults out`, () => {
			fc.assert(
				fc.property(filterOf(schema), unrelated, (filter, other) => {
					const base = new URLSearchParams(other);
					const params = serializeFilter(filter, schema, base);
					expect(parseFilter(params, schema)).toEqual(filter);
					for (const [key, value] of Object.entries(other)) expect(params.get(key)).toBe(value);
					// Only set dimensions are written, each under its one key.
					const written = [...params.keys()].filter((k) => dimensionKeys.has(k));
					const set = DIMENSIONS.filter((d) => filter[d.field]).map((d) => d.key);
					expect(written.sort()).toEqual(set.sort());
				}),
				{ numRuns: 300 }
			);
		});
	}

	it('drops what is not a value: unknown outcome codes, unreadable times, blank text', () => {
		const parsed = parseFilter(new URLSearchParams('outcome=DROP TABLE&from=yesterday&to=2024-13&dept=%20%20&agent='), CALLS_SCHEMA);
		expect(parsed).toEqual(EMPTY_FILTER);
		// Each dataset has its own outcome codes.
		expect(parseFilter(new URLSearchParams('outcome=completed'), CALLS_SCHEMA).outcome).toBeNull();
		expect(parseFilter(new URLSearchParams('outcome=completed'), STORY_SCHEMA).outcome).toBe('completed');
		expect(parseFilter(new URLSearchParams('outcome=abandoned'), STORY_SCHEMA).outcome).toBeNull();
		// The story has no arrival column: a time range is not its filter.
		expect(parseFilter(new URLSearchParams('from=2008-05-12 14:00'), STORY_SCHEMA).from).toBeNull();
	});
});

describe('links made before the filter model was one', () => {
	it('the story pages’ ?dept= opens that department, and is the key written', () => {
		const filter = parseFilter(new URLSearchParams(`dept=${encodeURIComponent('座席二部')}&outcome=completed`), STORY_SCHEMA);
		expect(filter).toEqual({ ...EMPTY_FILTER, queue: '座席二部', outcome: 'completed' });
		expect(serializeFilter(filter, STORY_SCHEMA).toString()).toBe(`dept=${encodeURIComponent('座席二部')}&outcome=completed`);
	});

	it('the Service page’s ?queue=…&from=… opens that queue and range; the next link writes dept=', () => {
		const view = parseServiceView(
			new URLSearchParams('ds=ds_abc123&queue=8001&agent=SIP%2F2001&outcome=abandoned&from=2024-03-01T08:00&to=2024-03-01 12:30:00&t=30')
		);
		expect(view.filter).toEqual({ queue: '8001', agent: 'SIP/2001', outcome: 'abandoned', from: '2024-03-01 08:00:00', to: '2024-03-01 12:30:00' });
		expect(view.settings.thresholdS).toBe(30);
		const again = serializeServiceView(view);
		expect(again.get('dept')).toBe('8001');
		expect(again.has('queue')).toBe(false);
		expect(parseServiceView(again)).toEqual(view);
	});

	it('the chart interval: as the link chose it, else by the data’s span (hourly up to a month, then daily)', () => {
		expect(parseServiceView(new URLSearchParams('interval=15')).interval).toBe(15);
		expect(parseServiceView(new URLSearchParams('interval=60')).interval).toBe(60);
		for (const none of ['', 'interval=7', 'interval=week']) expect(parseServiceView(new URLSearchParams(none)).interval, none).toBeNull();
		// A chosen interval is written even when it is the one the span would give: it stays chosen.
		expect(serializeServiceView(parseServiceView(new URLSearchParams('interval=60'))).get('interval')).toBe('60');
		expect(serializeServiceView(parseServiceView(new URLSearchParams(''))).has('interval')).toBe(false);
		const day = (d: number) => new Date(Date.UTC(2024, 0, 1) + d * 86_400_000).toISOString().slice(0, 19).replace('T', ' ');
		fc.assert(
			fc.property(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 0, max: 86_399 }), (days, seconds) => {
				const to = new Date(Date.parse(`${day(days).replace(' ', 'T')}Z`) + seconds * 1000).toISOString().slice(0, 19).replace('T', ' ');
				const spanDays = days + seconds / 86_400;
				expect(intervalFor(day(0), to)).toBe(spanDays > HOURLY_UP_TO_DAYS ? 'day' : 60);
			})
		);
		expect(intervalFor(null, null)).toBe(60);
	});

	it('the current key wins over an old one in the same link', () => {
		expect(parseFilter(new URLSearchParams('queue=old&dept=new'), CALLS_SCHEMA).queue).toBe('new');
		const cleared = serializeFilter(EMPTY_FILTER, CALLS_SCHEMA, new URLSearchParams('queue=old&x=1'));
		expect(cleared.toString()).toBe('x=1');
	});
});

/** Rows in both layouts: the same dimension is `department` in the story, `queue` in imported tables. */
const QUEUES = ['座席一部', '8001', "x'); DROP TABLE calls; --", 'a"b', '100%_'];
const AGENTS = ['彭昭', 'SIP/2001', '?', ''];
const TIMES = ['2024-03-01 07:59:59', '2024-03-01 08:00:00', '2024-03-01 08:00:01', '2024-03-01 12:30:00', '2024-03-02 00:00:00'];
interface SampleRow {
	id: number;
	queue: string | null;
	agent: string | null;
	outcome: string;
	arrival: string | null;
}
const rows: SampleRow[] = [];
for (let id = 0; id < 120; id++)
	rows.push({
		id,
		queue: id % 11 === 0 ? null : QUEUES[id % QUEUES.length]!,
		agent: id % 13 === 0 ? null : AGENTS[(id * 7) % AGENTS.length]!,
		outcome: id % 2 ? CANONICAL_OUTCOMES[id % CANONICAL_OUTCOMES.length]! : OUTCOMES[id % OUTCOMES.length]!,
		arrival: id % 17 === 0 ? null : TIMES[(id * 3) % TIMES.length]!
	});

/** The filter applied one row at a time, as a reader would: what the SQL must keep. */
function keeps(row: SampleRow, f: Filter, schema: FilterSchema): boolean {
	const outcomeKnown = f.outcome !== null && schema.outcomes.includes(f.outcome);
	return (
		(!f.queue || row.queue === f.queue) &&
		(!f.queues?.length || (row.queue !== null && f.queues.includes(row.queue))) &&
		(!f.agent || row.agent === f.agent) &&
		(!outcomeKnown || row.outcome === f.outcome) &&
		(!f.from || (row.arrival !== null && row.arrival >= f.from)) &&
		(!f.to || (row.arrival !== null && row.arrival < f.to))
	);
}

describe('WHERE from the model equals the filter applied row by row (native DuckDB)', () => {
	let engine: NativeEngine;
	beforeAll(async () => {
		engine = await nativeEngine(await openNativeDatabase(':memory:'));
		await engine.exec(`CREATE TABLE imported (id INTEGER, queue VARCHAR, agent VARCHAR, outcome VARCHAR, arrival TIMESTAMP)`);
		await engine.exec(`CREATE TABLE story (id INTEGER, department VARCHAR, agent VARCHAR, outcome VARCHAR)`);
		for (const r of rows) {
			await engine.query({ sql: 'INSERT INTO imported VALUES (?, ?, ?, ?, CAST(? AS TIMESTAMP))', params: [r.id, r.queue, r.agent, r.outcome, r.arrival] });
			await engine.query({ sql: 'INSERT INTO story VALUES (?, ?, ?, ?)', params: [r.id, r.queue, r.agent, r.outcome] });
		}
	});
	afterAll(() => engine?.close());

	const pick = <T>(values: readonly T[]) => fc.option(fc.constantFrom(...values));
	for (const [table, schema] of [
		['imported', CALLS_SCHEMA],
		['story', STORY_SCHEMA]
	] as const) {
		it(`on the ${table} table`, async () => {
			const filters = fc.record({
				queue: pick(QUEUES),
				agent: pick(AGENTS.filter(Boolean)),
				// Both datasets' codes: one the table's schema does not know is no condition.
				outcome: pick([...CANONICAL_OUTCOMES, ...OUTCOMES]),
				from: table === 'story' ? fc.constant(null) : pick(TIMES),
				to: table === 'story' ? fc.constant(null) : pick(TIMES),
				queues: fc.option(fc.subarray(QUEUES, { minLength: 1 }))
			}) as fc.Arbitrary<Filter>;
			await fc.assert(
				fc.asyncProperty(filters, async (filter) => {
					const { where, params } = filterWhere(filter, schema);
					// Column, operator, placeholder: no value in the SQL text.
					expect(where.replaceAll('CAST(? AS TIMESTAMP)', '?')).toMatch(
						/^(TRUE|[a-z_]+ (=|>=|<) \?|[a-z_]+ IN \((\?, )*\?\))( AND ([a-z_]+ (=|>=|<) \?|[a-z_]+ IN \((\?, )*\?\)))*$/
					);
					const got = await engine.query<{ id: number }>({ sql: `SELECT id FROM ${table} WHERE ${where} ORDER BY id`, params });
					expect(got.map((r) => r.id)).toEqual(rows.filter((r) => keeps(r, filter, schema)).map((r) => r.id));
				}),
				{ numRuns: 150 }
			);
		});
	}

	it('a report link’s departments: calls of any of them, as a reader would pick them out', async () => {
		await fc.assert(
			fc.asyncProperty(fc.subarray(QUEUES), async (chosen) => {
				const query = new URLSearchParams(chosen.map((q) => ['dept', q]));
				const filter = parseFilter(query, REPORT_SCHEMA);
				const { where, params } = filterWhere(filter, CALLS_SCHEMA);
				const got = await engine.query<{ id: number }>({ sql: `SELECT id FROM imported WHERE ${where} ORDER BY id`, params });
				const expected = rows.filter((r) => chosen.length === 0 || (r.queue !== null && chosen.includes(r.queue))).map((r) => r.id);
				expect(got.map((r) => r.id)).toEqual(expected);
				expect(params).toEqual(chosen);
			}),
			{ numRuns: 40 }
		);
	});

	it('names each dataset’s column, and inlines values only as escaped literals for ClickHouse', () => {
		const filter = { ...EMPTY_FILTER, queue: "8001'", outcome: 'completed' };
		expect(filterWhere(filter, STORY_SCHEMA)).toEqual({ where: 'department = ? AND outcome = ?', params: ["8001'", 'completed'] });
		expect(filterWhere(filter, CALLS_SCHEMA)).toEqual({ where: 'queue = ?', params: ["8001'"] });
		expect(filterWhere(filter, CALLS_SCHEMA, CLICKHOUSE).where).toBe("queue = '8001\\''");
		expect(filterWhere(EMPTY_FILTER, STORY_SCHEMA)).toEqual({ where: 'TRUE', params: [] });
	});
});

describe('the description line, in both languages', () => {
	const story: Filter = { ...EMPTY_FILTER, queue: '座席一部', agent: '彭昭', outcome: 'completed' };
	const calls: Filter = { queue: '8001', agent: null, outcome: 'abandoned', from: '2024-03-01 08:00:00', to: '2024-03-01 12:00:00' };

	it('story: the department, its English name where the page gives one', () => {
		expect(describeFilter(story, STORY_SCHEMA, 'zh-CN')).toBe('部门 = 座席一部 · 座席员 = 彭昭 · 结果 = 办理完毕');
		const names = { queue: () => 'Agent Team 1', agent: () => 'Peng Zhao' };
		expect(describeFilter(story, STORY_SCHEMA, 'en', names)).toBe('Department = Agent Team 1 · Agent = Peng Zhao · Outcome = Completed');
		expect(filterValues(story, STORY_SCHEMA, 'en', names)).toEqual(['Agent Team 1', 'Peng Zhao', 'Completed']);
	});

	it('imported calls: department/queue, outcome and the time range', () => {
		expect(describeFilter(calls, CALLS_SCHEMA, 'zh-CN')).toBe('部门/队列 = 8001 · 结果 = 放弃 · 从 2024-03-01 08:00:00 · 到 2024-03-01 12:00:00');
		expect(describeFilter(calls, CALLS_SCHEMA, 'en')).toBe(
			'Department / queue = 8001 · Outcome = abandoned · From 2024-03-01 08:00:00 · To 2024-03-01 12:00:00'
		);
		expect(describeFilter({ ...EMPTY_FILTER, queues: ['8001', '8002'] }, CALLS_SCHEMA, 'en')).toBe('Department / queue = 8001, 8002');
		// File names take the chosen values, not the times.
		expect(filterValues(calls, CALLS_SCHEMA, 'zh-CN')).toEqual(['8001', '放弃']);
	});

	it('nothing chosen says so', () => {
		expect(describeFilter(EMPTY_FILTER, STORY_SCHEMA, 'zh-CN')).toBe('无（全部记录）');
		expect(describeFilter(EMPTY_FILTER, CALLS_SCHEMA, 'en')).toBe('none (all records)');
		expect(isFiltered(EMPTY_FILTER)).toBe(false);
		expect(isFiltered({ ...EMPTY_FILTER, to: '2024-03-01 00:00:00' })).toBe(true);
	});
});

describe('the report’s departments: the `queues` dimension', () => {
	const names = fc.uniqueArray(name, { maxLength: 12 });

	it('round-trips any choice through the URL, one `dept` per value, and leaves other parameters alone', () => {
		fc.assert(
			fc.property(names, unrelated, (chosen, other) => {
				const filter = { ...EMPTY_FILTER, queues: chosen.length ? chosen : null };
				const params = serializeFilter(filter, REPORT_SCHEMA, new URLSearchParams(other));
				expect(params.getAll('dept')).toEqual(chosen);
				for (const [key, value] of Object.entries(other)) expect(params.get(key)).toBe(value);
				expect(parseFilter(params, REPORT_SCHEMA)).toEqual(filter);
			}),
			{ numRuns: 300 }
		);
	});

	it('the report reads only its own dimension; the other pages read `dept` as one department', () => {
		const query = new URLSearchParams('dept=A&dept=B&agent=x&outcome=answered');
		expect(parseFilter(query, REPORT_SCHEMA)).toEqual({ ...EMPTY_FILTER, queues: ['A', 'B'] });
		expect(parseFilter(query, CALLS_SCHEMA)).toEqual({ ...EMPTY_FILTER, queue: 'A', agent: 'x', outcome: 'answered' });
	});

	it('values are trimmed, blank and repeated ones dropped, and at most MAX_LIST kept', () => {
		const query = new URLSearchParams([
			['dept', ' 8001 '],
			['dept', '   '],
			['dept', '8001'],
			['dept', '8002']
		]);
		expect(parseFilter(query, REPORT_SCHEMA).queues).toEqual(['8001', '8002']);
		const many = new URLSearchParams(Array.from({ length: MAX_LIST + 20 }, (_, i) => ['dept', `q${i}`]));
		const parsed = parseFilter(many, REPORT_SCHEMA).queues!;
		expect(parsed.length).toBe(MAX_LIST);
		expect(parsed.at(-1)).toBe(`q${MAX_LIST - 1}`);
		expect(parseFilter(new URLSearchParams(`dept=${'x'.repeat(300)}`), REPORT_SCHEMA).queues).toEqual(['x'.repeat(200)]);
	});

	it('report links made before still open, and are written the same way', () => {
		const old = `ds=ds_abc123&from=2024-03-11&to=2024-03-17&dept=${encodeURIComponent('座席一部')}&dept=${encodeURIComponent('座席二部')}&by=week&t=30`;
		const spec = parseReportParams(new URLSearchParams(old));
		expect(spec).toMatchObject({ dataset: 'ds_abc123', from: '2024-03-11', to: '2024-03-17', queues: ['座席一部', '座席二部'], by: 'week' });
		expect(spec.settings.thresholdS).toBe(30);
		expect(serializeReportParams(spec).toString()).toBe(old);
		// A link without departments: all of them.
		expect(parseReportParams(new URLSearchParams('from=2024-03-11&to=2024-03-17')).queues).toEqual([]);
	});

	it('its description line, in both languages: the chosen values, or "all"', () => {
		expect(departmentsLine({ queues: ['座席一部', '座席二部'] }, 'zh-CN')).toEqual({ label: '部门/队列', values: '座席一部、座席二部' });
		expect(departmentsLine({ queues: ['8001', '8002'] }, 'en')).toEqual({ label: 'Department / queue', values: '8001, 8002' });
		expect(departmentsLine({ queues: [] }, 'zh-CN').values).toBe('全部');
		expect(departmentsLine({ queues: [] }, 'en').values).toBe('all');
		expect(describeFilter({ ...EMPTY_FILTER, queues: ['座席一部', '座席二部'] }, REPORT_SCHEMA, 'zh-CN')).toBe('部门/队列 = 座席一部、座席二部');
	});

	it('a tick adds a value in the order the choices offer them; unticking the last one chooses all again', () => {
		const choices = ['c', 'a', 'b'].map((v) => ({ value: v, label: v }));
		expect(toggled(null, 'b', true, choices)).toEqual(['b']);
		expect(toggled(['b'], 'c', true, choices)).toEqual(['c', 'b']);
		expect(toggled(['c', 'b'], 'c', false, choices)).toEqual(['b']);
		expect(toggled(['b'], 'b', false, choices)).toBeNull();
	});
});
