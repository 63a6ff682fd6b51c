import { describe, expect, it } from 'vitest';
import type { SavedDataset } from '$lib/datasets/library.svelte';
import {
	daysInMonth,
	findSample,
	openSampleMonth,
	SAMPLE_FILE,
	SAMPLE_MONTH,
	sampleBytes,
	sampleMonthOptions,
	sampleName,
	type SampleLibrary,
	type SampleProgress
} from '$lib/datasets/sample-month';
import { ImportError } from '$lib/imports/errors';
import { clock, CSV_HEADER, csvLine, generateCalls } from '$lib/synthetic/generate';
import { engine } from './import-helpers';

/** The dataset library as the module sees it, in memory: what was saved, and how often an id was asked for. */
function memoryLibrary(failSave = false) {
	let ids = 0;
	const saved: Omit<SavedDataset, 'bytes' | 'importedAt'>[] = [];
	const library: SampleLibrary & { saved: typeof saved; ids: () => number } = {
		get list() {
			return saved.map((d) => ({ ...d, bytes: 1, importedAt: '2024-04-01T00:00:00Z' }));
		},
		newId: () => `ds_sample_${++ids}`,
		async save(meta) {
			if (failSave) throw new Error('the storage is full');
			saved.push(meta);
			return { ...meta, bytes: 1, importedAt: '2024-04-01T00:00:00Z' };
		},
		saved,
		ids: () => ids
	};
	return library;
}

async function tablesNamed(prefix: string): Promise<string[]> {
	const rows = await (
		await engine()
	).query<{ table_name: string }>({ sql: `SELECT table_name FROM duckdb_tables() WHERE starts_with(table_name, ?)`, params: [prefix] });
	return rows.map((r) => r.table_name);
}

const options = sampleMonthOptions();
const calls = [...generateCalls(options)];
const day = (seconds: number) => clock(seconds).slice(0, 10);

describe('the sample month', () => {
	it('covers every day of a calendar month, with a size a browser builds in seconds', () => {
		expect(daysInMonth('2024-03')).toBe(31);
		expect(daysInMonth('2024-02')).toBe(29);
		expect(daysInMonth('2023-02')).toBe(28);
		expect(daysInMonth('2024-04')).toBe(30);
		expect(calls).toHaveLength(options.rows);
		expect(calls.length).toBeGreaterThanOrEqual(60_000);
		expect(calls.length).toBeLessThanOrEqual(120_000);
		expect(day(calls[0]!.arrival)).toBe(`${SAMPLE_MONTH}-01`);
		expect(day(calls.at(-1)!.arrival)).toBe(`${SAMPLE_MONTH}-${daysInMonth(SAMPLE_MONTH)}`);
		// Every day is a full day: the same number of calls each, morning to late evening.
		const perDay = new Map<string, number>();
		for (const c of calls) perDay.set(day(c.arrival), (perDay.get(day(c.arrival)) ?? 0) + 1);
		expect(perDay.size).toBe(daysInMonth(SAMPLE_MONTH));
		expect(new Set(perDay.values())).toEqual(new Set([options.callsPerDay]));
		expect(clock(calls.at(-1)!.arrival).slice(11, 13)).toBe('23');
	});

	it("is named in the user's language", () => {
		expect(sampleName('zh-CN')).toBe('示例月份');
		expect(sampleName('en')).toBe('Sample month');
	});

	it('a month of another length is covered too', () => {
		const february = [...generateCalls(sampleMonthOptions('2023-02'))];
		expect(day(february[0]!.arrival)).toBe('2023-02-01');
		expect(day(february.at(-1)!.arrival)).toBe('2023-02-28');
	});

	it("is the generator command line's CSV, marked synthetic, reported as it is written", async () => {
		const small = { ...options, rows: 25_000 };
		const seen: number[] = [];
		const text = new TextDecoder().decode(await sampleBytes(small, { onRows: (n) => seen.push(n) }));
		expect(text).toBe([CSV_HEADER, ...[...generateCalls(small)].map(csvLine)].join('\n') + '\n');
		expect(text.split('\n', 1)[0]!.split(',').at(-1)).toBe('synthetic');
		expect(seen.at(-1)).toBe(25_000);
		expect(seen).toEqual([...seen].sort((a, b) => a - b));
		expect(seen.length).toBeGreaterThan(2);
	});

	it('is imported as a file would be and saved as a synthetic dataset named in the language; a second opening reuses it', async () => {
		const library = memoryLibrary();
		const steps = new Set<SampleProgress['step']>();
		const id = await openSampleMonth({ engine: await engine(), library, lang: 'zh-CN', onProgress: (p) => steps.add(p.step) });
		expect([...steps]).toEqual(['generating', 'importing', 'saving']);
		expect(library.saved).toHaveLength(1);
		const saved = library.saved[0]!;
		expect(saved).toMatchObject({ id, name: '示例月份', files: [SAMPLE_FILE], synthetic: true, rows: calls.length, skipped: 0 });
		expect(saved.from).toBe(clock(Math.min(...calls.map((c) => c.arrival))));
		expect(saved.to).toBe(clock(Math.max(...calls.map((c) => c.arrival))));
		// The calls imported are the generator's, outcome by outcome.
		const counted = await (
			await engine()
		).query<{ outcome: string; n: number }>({
			sql: `SELECT outcome, count(*)::INTEGER AS n FROM ${id} GROUP BY outcome ORDER BY outcome`,
			params: []
		});
		const expected = new Map<string, number>();
		for (const c of calls) expected.set(c.outcome, (expected.get(c.outcome) ?? 0) + 1);
		expect(new Map(counted.map((r) => [r.outcome, Number(r.n)]))).toEqual(expected);
		expect(findSample(library.list)?.id).toBe(id);

		const again = await openSampleMonth({ engine: await engine(), library, lang: 'en' });
		expect(again).toBe(id);
		expect(library.saved).toHaveLength(1);
		expect(library.ids()).toBe(1);
		await (await engine()).exec(`DROP TABLE ${id}`);
	}, 120_000);

	it('cancelled while the calls are generated, nothing is imported or saved', async () => {
		const library = memoryLibrary();
		const controller = new AbortController();
		const run = openSampleMonth({
			engine: await engine(),
			library,
			lang: 'en',
			signal: controller.signal,
			onProgress: (p) => p.step === 'generating' && p.rows >= 20_000 && controller.abort()
		});
		await expect(run).rejects.toSatisfy((e) => e instanceof ImportError && e.detail.problem === 'cancelled');
		expect(library.saved).toHaveLength(0);
		expect(library.ids()).toBe(0);
	});

	it('cancelled while importing, no table is left behind', async () => {
		const library = memoryLibrary();
		const controller = new AbortController();
		const run = openSampleMonth({
			engine: await engine(),
			library,
			lang: 'en',
			signal: controller.signal,
			onProgress: (p) => p.step === 'importing' && p.rows > 0 && controller.abort()
		});
		await expect(run).rejects.toSatisfy((e) => e instanceof ImportError && e.detail.problem === 'cancelled');
		expect(library.saved).toHaveLength(0);
		expect(await tablesNamed('ds_sample_')).toEqual([]);
	}, 120_000);

	it('when saving fails, the imported table is dropped and the failure reaches the page', async () => {
		const library = memoryLibrary(true);
		await expect(openSampleMonth({ engine: await engine(), library, lang: 'en' })).rejects.toThrow('the storage is full');
		expect(await tablesNamed('ds_sample_')).toEqual([]);
	}, 120_000);
});
