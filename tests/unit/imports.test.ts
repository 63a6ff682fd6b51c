import { describe, expect, it } from 'vitest';
import { engine, fixture, importFixtures, STRICT } from './import-helpers';
import { inspectFile } from '$lib/imports/inspect';
import { fromBytes } from '$lib/imports/source';
import { ImportError } from '$lib/imports/errors';
import { importFiles, MAX_IMPORT_BYTES, type ImportProgress } from '$lib/imports/pipeline';
import { summaryQuery, DEFAULT_SETTINGS } from '$lib/metrics/service';
import { EMPTY_FILTER } from '$lib/filters/filter';

async function rows(table: string) {
	const db = await engine();
	return db.query<Record<string, unknown>>({
		sql: `SELECT * EXCLUDE (source_file), strftime(arrival, '%Y-%m-%d %H:%M:%S') AS arr, strftime(answer, '%Y-%m-%d %H:%M:%S') AS ans, strftime(ended, '%Y-%m-%d %H:%M:%S') AS en FROM ${table} ORDER BY arrival`,
		params: []
	});
}

async function importError(promise: Promise<unknown>): Promise<ImportError> {
	try {
		await promise;
	} catch (error) {
		expect(error).toBeInstanceOf(ImportError);
		return error as ImportError;
	}
	throw new Error('expected the import to fail');
}

describe('format detection', () => {
	it.each([
		['Master.csv', 'asterisk-cdr'],
		['queue_log', 'queue_log'],
		['freeswitch-Master.csv', 'freeswitch'],
		['bank-research.txt', 'bank-research'],
		['mapped-utf8.csv', 'mapped'],
		['mapped.jsonl', 'mapped'],
		['mapped.parquet', 'mapped']
	])('%s is %s', async (name, format) => {
		const inspection = await inspectFile(fromBytes(name, fixture(name)));
		expect(inspection.format).toBe(format);
	});

	it.each([
		['mapped-utf8.csv', 'utf-8'],
		['mapped-utf8-bom.csv', 'utf-8'],
		['mapped-gb18030.csv', 'gb18030'],
		['mapped-utf16.csv', 'utf-16le']
	])('%s is read as %s, header and mapping guessed', async (name, encoding) => {
		const inspection = await inspectFile(fromBytes(name, fixture(name)));
		expect(inspection.encoding).toBe(encoding);
		expect(inspection.layout.header).toBe(true);
		expect(inspection.layout.columns).toEqual(['呼叫编号', '部门', '坐席', '来电时间', '应答时间', '结束时间', '结果']);
		expect(inspection.suggested).toEqual({
			call_id: '呼叫编号',
			queue: '部门',
			agent: '坐席',
			arrival: '来电时间',
			answer: '应答时间',
			end: '结束时间',
			outcome: '结果'
		});
		expect(inspection.preview[0]).toEqual(['M1', '座席一部', '彭昭', '2024-03-04 14:20:00', '2024-03-04 14:20:15', '2024-03-04 14:31:33', '接通']);
	});

	it('finds the tab delimiter', async () => {
		const inspection = await inspectFile(fromBytes('mapped.tsv', fixture('mapped.tsv')));
		expect(inspection.layout.delimiter).toBe('\t');
	});
});

describe('known formats land in the canonical model', () => {
	it('Asterisk Master.csv: one row per CDR, agent from the channel, NO ANSWER as abandoned', async () => {
		const result = await importFixtures(['Master.csv']);
		expect(result.rows).toBe(6);
		const r = await rows(result.table);
		expect(r.map((x) => [x.call_id, x.queue, x.agent, x.outcome, x.wait_s, x.talk_s])).toEqual([
			['1709514000.1', '8001', 'SIP/agent101', 'answered', 10, 180],
			['1709514300.3', '8001', 'SIP/agent102', 'answered', 30, 120],
			['1709514600.5', '8001', null, 'abandoned', 3, null],
			['1709515200.6', '8002', null, 'abandoned', 45, null],
			['1709516400.7', '8001', 'SIP/agent101', 'answered', 5, 300],
			['1709517720.9', '8002', null, 'unanswered', 20, null]
		]);
		expect([r[0]!.arr, r[0]!.ans, r[0]!.en]).toEqual(['2024-03-04 09:00:00', '2024-03-04 09:00:10', '2024-03-04 09:03:10']);
		expect(r[0]!.source_line).toBe(1);
	});

	it('queue_log: events rebuilt into one record per call, epoch times in local time', async () => {
		const result = await importFixtures(['queue_log'], { utcOffsetSeconds: 8 * 3600 });
		const r = await rows(result.table);
		expect(r.map((x) => [x.call_id, x.queue, x.agent, x.outcome, x.wait_s, x.talk_s, x.arr, x.ans, x.en])).toEqual([
			['1709514000.1', 'cards', 'Agent/101', 'answered', 10, 180, '2024-03-04 09:00:00', '2024-03-04 09:00:10', '2024-03-04 09:03:10'],
			['1709514300.3', 'cards', null, 'abandoned', 3, null, '2024-03-04 09:05:00', null, '2024-03-04 09:05:03'],
			['1709514600.4', 'cards', 'Agent/102', 'answered', 60, 300, '2024-03-04 09:10:00', '2024-03-04 09:11:00', '2024-03-04 09:16:00'],
			['1709515200.6', 'loans', null, 'unanswered', 300, null, '2024-03-04 09:20:00', null, '2024-03-04 09:25:00']
		]);
	});

	it('FreeSWITCH cdr_csv: answered by answer_stamp, caller cancel as abandoned', async () => {
		const result = await importFixtures(['freeswitch-Master.csv']);
		const r = await rows(result.table);
		expect(r.map((x) => [x.queue, x.outcome, x.wait_s, x.talk_s])).toEqual([
			['8001', 'answered', 8, 120],
			['8001', 'abandoned', 30, null],
			['8002', 'answered', 25, 120]
		]);
	});

	it('bank research layout: dated from the date column, 0:00:00 as none, HANG without queueing as other', async () => {
		const result = await importFixtures(['bank-research.txt']);
		const r = await rows(result.table);
		expect(r.map((x) => [x.call_id, x.queue, x.agent, x.outcome, x.wait_s, x.talk_s, x.arr, x.ans, x.en])).toEqual([
			['AA0101/33116', 'PS', 'MICHAL', 'answered', 79, 242, '1999-09-01 11:45:39', '1999-09-01 11:46:58', '1999-09-01 11:51:00'],
			['AA0101/33117', 'PS', 'BASCH', 'answered', 0, 234, '1999-09-01 14:49:06', '1999-09-01 14:49:06', '1999-09-01 14:53:00'],
			['AA0101/33118', 'PS', null, 'abandoned', 18, null, '1999-09-01 14:58:48', null, '1999-09-01 14:59:06'],
			['AA0102/33119', 'NW', null, 'other', 0, null, '1999-09-01 15:08:13', null, '1999-09-01 15:08:13']
		]);
	});

	it('every encoding, delimiter, JSON lines and Parquet give the same calls', async () => {
		const names = ['mapped-utf8.csv', 'mapped-utf8-bom.csv', 'mapped-gb18030.csv', 'mapped-utf16.csv', 'mapped.tsv', 'mapped.jsonl', 'mapped.parquet'];
		const results = [];
		for (const name of names) {
			const result = await importFixtures([name]);
			results.push((await rows(result.table)).map((x) => [x.call_id, x.queue, x.agent, x.outcome, x.wait_s, x.talk_s, x.arr, x.en]));
		}
		expect(results[0]).toHaveLength(7);
		expect(results[0]![0]).toEqual(['M1', '座席一部', '彭昭', 'answered', 15, 678, '2024-03-04 14:20:00', '2024-03-04 14:31:33']);
		expect(results[0]![3]).toEqual(['M4', '座席二部', null, 'abandoned', 60, null, '2024-03-04 14:27:30', '2024-03-04 14:28:30']);
		for (const other of results.slice(1)) expect(other).toEqual(results[0]);
	});

	it('several files append to one dataset, with their own file and line', async () => {
		const second = new TextDecoder().decode(fixture('mapped-utf8.csv')).replace(/\nM/g, '\nN');
		const result = await importFixtures(['mapped-utf8.csv', ['second.csv', second]]);
		expect(result.rows).toBe(14);
		const r = await rows(result.table);
		expect(r.filter((x) => x.call_id === 'M7' || x.call_id === 'N7').map((x) => [x.call_id, x.source_line])).toEqual([
			['M7', 8],
			['N7', 8]
		]);
	});

	it('the same calls in two files are kept once, and the merge is reported', async () => {
		const result = await importFixtures(['mapped-utf8.csv', ['copy.csv', fixture('mapped-utf8.csv')]]);
		expect(result.rows).toBe(7);
		expect(result.quality.entries).toEqual([
			expect.objectContaining({
				kind: 'merged',
				code: 'duplicate_rows',
				count: 7,
				examples: expect.arrayContaining([expect.objectContaining({ line: 2, value: 'call M1' })])
			})
		]);
	});

	it('reads files in small pieces without losing or splitting a row (quoted line breaks too)', async () => {
		const whole = await importFixtures(['hostile.csv'], { onBadRows: 'skip' });
		const pieces = await importFixtures(['hostile.csv'], { onBadRows: 'skip' }, 40);
		expect((await rows(pieces.table)).map((x) => [x.call_id, x.queue, x.agent, x.source_line])).toEqual(
			(await rows(whole.table)).map((x) => [x.call_id, x.queue, x.agent, x.source_line])
		);
	});
});

describe('bad input is named precisely and never half-loaded', () => {
	it('a row with an extra field: file, line and the row', async () => {
		const error = await importError(importFixtures(['bad-extra-field.csv'], STRICT));
		expect(error.detail).toMatchObject({ problem: 'malformed', file: 'bad-extra-field.csv', line: 3 });
		expect(error.detail.value).toContain('surplus');
		expect(error.message).toContain('bad-extra-field.csv, line 3');
		// The reader's reason in the app's words, with its counts: 7 columns in the header, 8 in the row.
		expect(error.detail.hint).toEqual({ key: 'hint.field_count', values: { expected: 7, found: 8 } });
		expect(error.message).toContain('(expected 7 fields, found 8)');
		expect(error.message).not.toMatch(/Expected Number of Columns/);
	});

	it("columns the format's assembly cannot use: the app's words, the file and the step, never the database's", async () => {
		// A cdr export of only some columns (no dst, dstchannel, lastapp, duration): the database cannot bind them.
		const error = await importError(importFixtures(['bad-cdr-few-columns.csv']));
		expect(error.detail).toEqual({ problem: 'not_assembled', file: 'bad-cdr-few-columns.csv', hint: { key: 'hint.step_assemble' } });
		expect(error.message).toBe(
			"file bad-cdr-few-columns.csv: this file's columns could not be turned into calls: check the column mapping, or choose the file's format (while assembling the calls)"
		);
		expect(error.message).not.toMatch(/Binder|Parser|Conversion|Catalog|Invalid Input Error/);
	});

	it('skipping bad rows keeps the rest, counts the skipped and keeps true line numbers', async () => {
		const result = await importFixtures(['bad-extra-field.csv'], { onBadRows: 'skip' });
		expect(result.rows).toBe(2);
		expect(result.skipped.count).toBe(1);
		expect(result.skipped.examples[0]).toMatchObject({ problem: 'malformed', line: 3 });
		const r = await rows(result.table);
		expect(r.map((x) => [x.call_id, x.source_line])).toEqual([
			['B1', 2],
			['B3', 4]
		]);
	});

	it('an unreadable time: column and value', async () => {
		const error = await importError(importFixtures(['bad-time.csv'], STRICT));
		expect(error.detail).toMatchObject({ problem: 'time', file: 'bad-time.csv', line: 3, column: 'arrival', value: '2024-13-45 09:02:00' });
	});

	it('an end before its start', async () => {
		const error = await importError(importFixtures(['bad-end-before-start.csv'], STRICT));
		expect(error.detail).toMatchObject({ problem: 'end_before_arrival', file: 'bad-end-before-start.csv', line: 3 });
		// The failed check, and the two values it compared, in the order they should be.
		expect(error.message).toMatch(/check "end not before arrival" failed.*arrival 2024-03-04 \d\d:\d\d:\d\d, end 2024-03-04/);
		const skipped = await importFixtures(['bad-end-before-start.csv'], { onBadRows: 'skip' });
		expect(skipped.rows).toBe(1);
	});

	it('invalid GB18030 bytes', async () => {
		const error = await importError(importFixtures(['bad-gbk-truncated.csv'], STRICT));
		expect(error.detail).toMatchObject({ problem: 'encoding', file: 'bad-gbk-truncated.csv' });
	});

	it('a column the mapping needs but the file lacks', async () => {
		const error = await importError(importFixtures(['mapped-utf8.csv'], { ...STRICT, mapping: { arrival: '来电时间', agent: '工号' } }));
		expect(error.detail).toMatchObject({ problem: 'missing_column', column: '工号' });
	});

	it('files of different layouts are refused together', async () => {
		const error = await importError(importFixtures(['mapped-utf8.csv', 'Master.csv'], STRICT));
		expect(error.detail).toMatchObject({ problem: 'mixed_layouts', file: 'Master.csv' });
	});

	it('a failed import leaves existing tables untouched and no staging behind', async () => {
		const good = await importFixtures(['mapped-utf8.csv']);
		await importError(importFixtures(['bad-time.csv'], STRICT));
		const db = await engine();
		const [count] = await db.query<{ n: number }>({ sql: `SELECT count(*) AS n FROM ${good.table}`, params: [] });
		expect(Number(count!.n)).toBe(7);
		const leftovers = await db.query({ sql: `SELECT table_name FROM duckdb_tables() WHERE table_name LIKE '%stage%'`, params: [] });
		expect(leftovers).toEqual([]);
	});

	it('hostile cell text is kept as plain text', async () => {
		const result = await importFixtures(['hostile.csv'], { onBadRows: 'skip' });
		expect(result.skipped.count).toBe(1);
		// Physical lines, as an editor shows them: X2's quoted line break makes it lines 3–4.
		expect(result.skipped.examples[0]).toMatchObject({ problem: 'malformed', line: 6 });
		const r = await rows(result.table);
		expect(r.map((x) => [x.call_id, x.queue, x.agent])).toEqual([
			['X1', '=HYPERLINK("http://example.com")', '<script>alert(1)</script>'],
			['X2', 'line one\nline two', `O'Brien "the agent"`],
			['X3', '+cmd|calc', null],
			['X5', 'cards', '<img src=x onerror=alert(2)>']
		]);
		expect(r.map((x) => x.source_line)).toEqual([2, 3, 5, 7]);
	});

	it('reports progress in bytes and rows, and cancel stops without leaving a table', async () => {
		const db = await engine();
		const source = fromBytes('progress.csv', fixture('mapped-utf8.csv'));
		const inspection = await inspectFile(source);
		const plan = { format: inspection.format, mapping: inspection.suggested, onBadRows: 'abort' as const, utcOffsetSeconds: 0 };
		const seen: ImportProgress[] = [];
		await importFiles(db, [inspection], plan, { table: 't_progress', pieceBytes: 100, onProgress: (p) => seen.push(p) });
		expect(seen.at(-1)).toMatchObject({ bytesRead: source.size, totalBytes: source.size, rows: 7 });
		expect(seen.some((p) => p.rows > 0 && p.rows < 7)).toBe(true);
		for (let i = 1; i < seen.length; i++) expect(seen[i]!.bytesRead).toBeGreaterThanOrEqual(seen[i - 1]!.bytesRead);

		const controller = new AbortController();
		const cancelled = importFiles(db, [inspection], plan, {
			table: 't_cancelled',
			pieceBytes: 100,
			signal: controller.signal,
			onProgress: () => controller.abort()
		});
		expect((await importError(cancelled)).detail.problem).toBe('cancelled');
		const left = await db.query({ sql: `SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 't_cancelled%'`, params: [] });
		expect(left).toEqual([]);
	});

	it('refuses files larger than the browser can hold before reading them', async () => {
		const db = await engine();
		const inspection = await inspectFile(fromBytes('huge.csv', fixture('mapped-utf8.csv')));
		const huge = { ...inspection, file: { ...inspection.file, size: MAX_IMPORT_BYTES + 1 } };
		const error = await importError(
			importFiles(db, [huge], { format: 'mapped', mapping: inspection.suggested, onBadRows: 'abort', utcOffsetSeconds: 0 }, { table: 't_huge' })
		);
		expect(error.detail.problem).toBe('too_large');
		expect(error.message).toContain('GiB');
		// A load into native DuckDB says how much it takes (the machine's memory): the same file is read.
		const loaded = await importFiles(
			db,
			[huge],
			{ format: 'mapped', mapping: inspection.suggested, onBadRows: 'abort', utcOffsetSeconds: 0 },
			{ table: 't_huge', maxBytes: Infinity }
		);
		expect(loaded.rows).toBeGreaterThan(0);
	});

	it('a dataset survives the round trip through stored Arrow bytes', async () => {
		const result = await importFixtures(['mapped-utf8.csv']);
		const db = await engine();
		const bytes = await db.exportTable(result.table);
		// An IPC stream (continuation marker first), not the file layout DuckDB produces.
		expect([...bytes.subarray(0, 4)]).toEqual([0xff, 0xff, 0xff, 0xff]);
		await db.importTable('t_roundtrip', bytes);
		expect(await rows('t_roundtrip')).toEqual(await rows(result.table));
	});

	it('metrics run on an imported dataset', async () => {
		const result = await importFixtures(['Master.csv']);
		const [s] = await (await engine()).query({ ...summaryQuery(result.table, DEFAULT_SETTINGS, EMPTY_FILTER) });
		expect(Number(s!.volume)).toBe(6);
	});
});

describe('database memory', () => {
	it('reports the memory the database holds and its limit, and grows with a table', async () => {
		const { databaseMemory } = await import('$lib/engine/memory');
		const db = await engine();
		const before = await databaseMemory(db);
		await db.exec(`CREATE OR REPLACE TABLE t_memory AS SELECT range AS i, 'call ' || range AS s FROM range(300000)`);
		const after = await databaseMemory(db);
		expect(after.usedBytes).toBeGreaterThan(before.usedBytes);
		expect(after.limit).toMatch(/B$/);
		await db.exec('DROP TABLE t_memory');
	});
});
