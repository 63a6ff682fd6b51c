import { describe, expect, it } from 'vitest';
import { splitLine } from '$lib/imports/formats';
import { ImportError, extraText } from '$lib/imports/errors';
import { SqlDumpReader, looksLikeDump, type DumpRow } from '$lib/imports/sql-dump';
import { importFiles, type ImportProgress, type ImportResult } from '$lib/imports/pipeline';
import { inspectFile } from '$lib/imports/inspect';
import { fromBytes } from '$lib/imports/source';
import { engine, fixture, importFixtures } from './import-helpers';

/**
 * SQL dumps of Asterisk's `cdr` and `queue_log` tables import as the same table exported as
 * CSV with a header: the dumps here are written from the rows of the CSV fixtures (some values
 * changed to carry quotes, backslashes and line breaks, in the CSV too), and the calls of both
 * imports must be the same.
 */

type Table = { columns: string[]; rows: (string | null)[][] };

/** A CSV fixture (no quoted line breaks) as its header and rows; an empty field is NULL. */
function csvTable(name: string): Table {
	const [header, ...lines] = new TextDecoder().decode(fixture(name)).trim().split('\n');
	return { columns: splitLine(header!, ','), rows: lines.map((l) => splitLine(l, ',').map((v) => (v === '' ? null : v))) };
}

/** The table as CSV with a header, every value quoted (NULL empty). */
function toCsv({ columns, rows }: Table): string {
	const cell = (v: string | null) => (v === null ? '' : `"${v.replace(/"/g, '""')}"`);
	return [columns.join(','), ...rows.map((r) => r.map(cell).join(','))].join('\n') + '\n';
}

/** MySQL's quoting, as mysqldump writes it: backslash escapes, numbers bare. */
function mysqlValue(v: string | null): string {
	if (v === null) return 'NULL';
	if (/^-?\d+$/.test(v) && !/^0\d/.test(v)) return v;
	return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}'`;
}

/** PostgreSQL with standard_conforming_strings on: quotes doubled, backslashes as they are. */
const pgValue = (v: string | null) => (v === null ? 'NULL' : `'${v.replace(/'/g, "''")}'`);

/** A COPY field: `\N` for NULL, backslash escapes for tab, line break and backslash. */
const copyValue = (v: string | null) => (v === null ? '\\N' : v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r'));

const MYSQL_HEAD = `-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)
--
-- Host: localhost    Database: asteriskcdrdb
-- ------------------------------------------------------
/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!50503 SET NAMES utf8mb4 */;
/*!40103 SET TIME_ZONE='+00:00' */;
/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;
`;

function mysqlCreate(name: string, columns: string[]): string {
	return `
--
-- Table structure for table \`${name}\`
--

DROP TABLE IF EXISTS \`${name}\`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!50503 SET character_set_client = utf8mb4 */;
CREATE TABLE \`${name}\` (
${columns.map((c) => `  \`${c}\` varchar(80) NOT NULL DEFAULT '',`).join('\n')}
  PRIMARY KEY (\`${columns[0]}\`),
  KEY \`idx_${columns[1]}\` (\`${columns[1]}\`(10))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='call records; one row per leg';
/*!40101 SET character_set_client = @saved_cs_client */;
`;
}

/** mysqldump's extended insert: every row on one line. */
function mysqlInsert(name: string, { columns, rows }: Table, columnList: boolean): string {
	const list = columnList ? ` (${columns.map((c) => `\`${c}\``).join(', ')})` : '';
	return `
LOCK TABLES \`${name}\` WRITE;
/*!40000 ALTER TABLE \`${name}\` DISABLE KEYS */;
INSERT INTO \`${name}\`${list} VALUES ${rows.map((r) => `(${r.map(mysqlValue).join(',')})`).join(',')};
/*!40000 ALTER TABLE \`${name}\` ENABLE KEYS */;
UNLOCK TABLES;
`;
}

const PG_HEAD = `--
-- PostgreSQL database dump
--

SET statement_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;

CREATE FUNCTION public.touch() RETURNS trigger
    LANGUAGE plpgsql
    AS $$ BEGIN NEW.note := 'it''s; done'; RETURN NEW; END; $$;
`;

function pgCopy(name: string, { columns, rows }: Table): string {
	return `
--
-- Data for Name: ${name}; Type: TABLE DATA; Schema: public; Owner: asterisk
--

COPY public.${name} (${columns.join(', ')}) FROM stdin;
${rows.map((r) => r.map(copyValue).join('\t')).join('\n')}
\\.

`;
}

function pgInserts(name: string, { columns, rows }: Table): string {
	return rows.map((r) => `INSERT INTO public.${name} (${columns.join(', ')}) VALUES (${r.map(pgValue).join(', ')});\n`).join('');
}

/** The cdr fixture, with a caller name carrying a quote, a backslash, a doubled quote and a line break. */
function cdrTable(): Table {
	const table = csvTable('asterisk-cdr-table.csv');
	const clid = table.columns.indexOf('clid');
	table.rows[0]![clid] = `"O'Brien \\ ''x''" <13800000001>`;
	table.rows[2]![clid] = `Li\nLei <13800000002>`;
	return table;
}

const queueLogTable = () => csvTable('queue_log-table.csv');

/** The calls of an import, without where they came from. */
async function calls(result: ImportResult) {
	return (await engine()).query({
		sql: `SELECT call_id, queue, agent, strftime(arrival, '%Y-%m-%d %H:%M:%S') AS arrival, strftime(answer, '%Y-%m-%d %H:%M:%S') AS answer,
		        strftime(ended, '%Y-%m-%d %H:%M:%S') AS ended, wait_s, talk_s, outcome FROM ${result.table} ORDER BY call_id, arrival`,
		params: []
	});
}

async function sameCallsAsCsv(dump: string, table: Table, csvName: string, pieceBytes?: number): Promise<ImportResult> {
	const fromDump = await importFixtures([['calls.sql', dump]], {}, pieceBytes);
	const fromCsv = await importFixtures([[csvName, toCsv(table)]]);
	expect(fromDump.rows).toBeGreaterThan(0);
	expect(await calls(fromDump)).toEqual(await calls(fromCsv));
	expect(fromDump.quality.rowsRead).toBe(table.rows.length);
	return fromDump;
}

const entry = (result: ImportResult, code: string) => result.quality.entries.find((e) => e.code === code);

describe('SQL dumps of the cdr table', () => {
	it('mysqldump, extended insert without a column list: the CREATE TABLE gives the order', async () => {
		const table = cdrTable();
		// The CREATE TABLE's order differs from Asterisk's default: the dump's own must be followed.
		const reordered: Table = { columns: [...table.columns].reverse(), rows: table.rows.map((r) => [...r].reverse()) };
		const dump = MYSQL_HEAD + mysqlCreate('cdr', reordered.columns) + mysqlInsert('cdr', reordered, false);
		expect(looksLikeDump(dump)).toBe(true);
		const result = await sameCallsAsCsv(dump, table, 'cdr.csv');
		expect(entry(result, 'dump_tables')).toMatchObject({ kind: 'read', count: table.rows.length, examples: [{ value: 'cdr' }] });
	});

	it('mysqldump with a column list in its own order, no CREATE TABLE', async () => {
		const table = cdrTable();
		const order = [...table.columns.keys()].sort((a, b) => ((a * 7) % 19) - ((b * 7) % 19));
		const shuffled: Table = { columns: order.map((i) => table.columns[i]!), rows: table.rows.map((r) => order.map((i) => r[i]!)) };
		await sameCallsAsCsv(MYSQL_HEAD + mysqlInsert('cdr', shuffled, true), table, 'cdr.csv');
	});

	it("mysqldump with neither: Asterisk's documented column order", async () => {
		const table = cdrTable();
		await sameCallsAsCsv(MYSQL_HEAD + mysqlInsert('cdr', table, false), table, 'cdr.csv');
	});

	it('pg_dump --inserts: backslashes are ordinary characters, quotes doubled', async () => {
		const table = cdrTable();
		const dump = PG_HEAD + pgInserts('cdr', table);
		const result = await sameCallsAsCsv(dump, table, 'cdr.csv');
		// Each row's line is the dump line its INSERT is on.
		const first = PG_HEAD.split('\n').length;
		const [row] = await (await engine()).query<{ line: number }>({ sql: `SELECT min(source_line) AS line FROM ${result.table}`, params: [] });
		expect(Number(row!.line)).toBe(first);
	});
});

describe('SQL dumps of the queue_log table', () => {
	it('pg_dump COPY: tab-separated rows, \\N for NULL', async () => {
		const table = queueLogTable();
		await sameCallsAsCsv(PG_HEAD + pgCopy('queue_log', table), table, 'queue_log.csv');
	});

	it('rows staged in several batches import the same', async () => {
		const table = queueLogTable();
		await sameCallsAsCsv(PG_HEAD + pgCopy('queue_log', table), table, 'queue_log.csv', 64);
	});

	it('a dump with cdr, queue_log and other tables reads queue_log and names the rest', async () => {
		const table = queueLogTable();
		const users: Table = {
			columns: ['id', 'name'],
			rows: [
				['1', 'admin'],
				['2', "o'neil"]
			]
		};
		const dump =
			MYSQL_HEAD +
			mysqlCreate('users', users.columns) +
			mysqlInsert('users', users, false) +
			mysqlInsert('cdr', cdrTable(), false) +
			mysqlInsert('queue_log', table, true);
		const result = await sameCallsAsCsv(dump, table, 'queue_log.csv');
		expect(result.quality.entries.filter((e) => e.kind === 'read').map((e) => e.code)).toEqual(['dump_tables_ignored', 'dump_tables']);
		expect(entry(result, 'dump_tables')).toMatchObject({ count: table.rows.length, examples: [{ value: 'queue_log' }] });
		const ignored = entry(result, 'dump_tables_ignored')!;
		expect(ignored.examples.map((x) => x.value)).toEqual(['users', 'cdr']);
		expect(ignored.count).toBe(2 + cdrTable().rows.length);
		expect(extraText(ignored.examples[1]!, 'en')).toBe(`table cdr: ${cdrTable().rows.length} rows not read`);
	});

	it('each row is numbered with the dump line its tuple starts on', async () => {
		const table = queueLogTable();
		const head = `${MYSQL_HEAD}INSERT INTO queue_log (${table.columns.join(', ')}) VALUES\n`;
		const dump = head + table.rows.map((r) => `  (${r.map(mysqlValue).join(', ')})`).join(',\n') + ';\n';
		const result = await importFixtures([['q.sql', dump]]);
		const lines = await (await engine()).query<{ line: number }>({ sql: `SELECT source_line AS line FROM ${result.table} ORDER BY 1`, params: [] });
		const first = head.split('\n').length;
		// Calls start at their ENTERQUEUE rows: rows 1, 4 and 6 (the loans call has none).
		expect(lines.map((l) => Number(l.line))).toEqual([first, first + 3, first + 5]);
	});

	it('a dump without cdr or queue_log stops naming the tables it has', async () => {
		const users: Table = { columns: ['id', 'name'], rows: [['1', 'admin']] };
		const dump = MYSQL_HEAD + mysqlCreate('users', users.columns) + mysqlInsert('users', users, false) + mysqlCreate('cel', ['id', 'eventtype']);
		const error = await importFixtures([['other.sql', dump]]).then(
			() => null,
			(e: unknown) => e
		);
		expect(error).toBeInstanceOf(ImportError);
		expect((error as ImportError).detail).toMatchObject({ problem: 'unrecognised', file: 'other.sql' });
		expect((error as ImportError).message).toContain('tables found: users, cel');
	});

	it('a tuple with the wrong number of values is skipped, naming its line and the counts', async () => {
		const table = queueLogTable();
		const call = table.rows.slice(0, 3).map((r) => `(${r.map(mysqlValue).join(',')}),\n`);
		const dump = `${MYSQL_HEAD}INSERT INTO queue_log (${table.columns.join(', ')}) VALUES\n${call.join('')}(1,2,3);\n`;
		const result = await importFixtures([['short.sql', dump]]);
		expect(result.rows).toBe(1);
		const skipped = entry(result, 'malformed')!;
		expect(skipped.examples[0]).toMatchObject({ file: 'short.sql', line: MYSQL_HEAD.split('\n').length + 4 });
		expect(extraText(skipped.examples[0]!, 'en')).toBe(`expected ${table.columns.length} fields, found 3`);
	});
});

describe('progress and cancel', () => {
	it('reports bytes and rows as it reads, and stops when cancelled', async () => {
		const table = queueLogTable();
		const dump = PG_HEAD + pgCopy('queue_log', table);
		const inspection = await inspectFile(fromBytes('q.sql', dump));
		expect(inspection).toMatchObject({ kind: 'sqldump', format: 'queue_log', dump: { table: 'queue_log' } });
		const plan = { format: inspection.format, mapping: {}, onBadRows: 'skip', utcOffsetSeconds: 0 } as const;
		const seen: ImportProgress[] = [];
		await importFiles(await engine(), [inspection], plan, { table: 'dump_progress', pieceBytes: 64, onProgress: (p) => seen.push(p) });
		expect(seen.at(-1)).toMatchObject({ bytesRead: dump.length, totalBytes: dump.length, rows: table.rows.length });
		expect(seen.some((p) => p.rows > 0 && p.rows < table.rows.length)).toBe(true);

		const controller = new AbortController();
		const cancelled = importFiles(await engine(), [inspection], plan, {
			table: 'dump_cancelled',
			pieceBytes: 64,
			signal: controller.signal,
			onProgress: (p) => p.rows > 0 && controller.abort()
		});
		await expect(cancelled).rejects.toMatchObject({ detail: { problem: 'cancelled' } });
	});
});

describe('the dump reader', () => {
	const dump =
		MYSQL_HEAD +
		mysqlCreate('cdr', ['calldate', 'clid']) +
		"INSERT INTO `cdr` VALUES ('2024-03-04 09:00:00','it\\'s \\\\ a \\\"test\\\"\\n'),('x',NULL),(\\N,'a''b'),(_binary 'bin',0x0A),(-1.5e3,'semi;colon)');\n" +
		PG_HEAD +
		pgCopy('queue_log', {
			columns: ['time', 'callid'],
			rows: [
				['t\tab', null],
				['back\\slash', 'new\nline']
			]
		}) +
		"INSERT INTO public.queue_log (time, callid) VALUES (E'e\\'sc', 'plain\\n');\n";

	const expected: Omit<DumpRow, 'line'>[] = [
		{ table: 'cdr', columns: ['calldate', 'clid'], values: ['2024-03-04 09:00:00', 'it\'s \\ a "test"\n'] },
		{ table: 'cdr', columns: ['calldate', 'clid'], values: ['x', null] },
		{ table: 'cdr', columns: ['calldate', 'clid'], values: [null, "a'b"] },
		{ table: 'cdr', columns: ['calldate', 'clid'], values: ['bin', '0x0A'] },
		{ table: 'cdr', columns: ['calldate', 'clid'], values: ['-1.5e3', 'semi;colon)'] },
		{ table: 'queue_log', columns: ['time', 'callid'], values: ['t\tab', null] },
		{ table: 'queue_log', columns: ['time', 'callid'], values: ['back\\slash', 'new\nline'] },
		{ table: 'queue_log', columns: ['time', 'callid'], values: ["e'sc", 'plain\\n'] }
	];

	function read(text: string, chunk: number): DumpRow[] {
		const rows: DumpRow[] = [];
		const reader = new SqlDumpReader((row) => rows.push(row));
		for (let at = 0; at < text.length; at += chunk) reader.push(text.slice(at, at + chunk));
		reader.end();
		return rows;
	}

	it('reads strings, escapes, NULL and \\N, numbers and COPY rows', () => {
		expect(read(dump, dump.length).map(({ line: _, ...row }) => row)).toEqual(expected);
	});

	it('reads the same whatever size the chunks are: a tuple, a string or an escape cut in two waits for the rest', () => {
		const whole = read(dump, dump.length);
		for (let chunk = 1; chunk <= 97; chunk++) expect(read(dump, chunk), `chunks of ${chunk}`).toEqual(whole);
	});

	it('numbers each row with the line it starts on', () => {
		const lines = dump.split('\n');
		const lineOf = (text: string) => lines.findIndex((l) => l.includes(text)) + 1;
		const markers = ['2024-03-04 09:00:00', "('x'", "a''b", '_binary', 'semi;colon', 't\\tab', 'back\\\\slash', "E'e"];
		expect(read(dump, 13).map((row) => row.line)).toEqual(markers.map(lineOf));
	});

	it('recognises dumps from their first bytes, and not CSV', () => {
		expect(looksLikeDump(PG_HEAD)).toBe(true);
		expect(looksLikeDump('INSERT INTO cdr VALUES (1);')).toBe(true);
		expect(looksLikeDump('COPY public.cdr (calldate) FROM stdin;\n')).toBe(true);
		expect(looksLikeDump(new TextDecoder().decode(fixture('asterisk-cdr-table.csv')))).toBe(false);
		expect(looksLikeDump(new TextDecoder().decode(fixture('queue_log')))).toBe(false);
	});
});
