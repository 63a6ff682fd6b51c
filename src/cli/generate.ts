/**
 * npm run generate -- --rows N --seed S --out FILE [--format csv|parquet|queue_log|master.csv]
 *   [--start 2008-05-05] [--incident "2008-05-12 14:28:00"] [--complete-share 0.6]
 * Writes synthetic call records (labelled synthetic in the file and its name).
 */
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { CSV_HEADER, csvLine, generateCalls, masterCsvLine, queueLogLines } from '$lib/synthetic/generate';

const { values } = parseArgs({
	options: {
		rows: { type: 'string', default: '100000' },
		seed: { type: 'string', default: '1' },
		out: { type: 'string' },
		format: { type: 'string', default: 'csv' },
		start: { type: 'string', default: '2008-05-05' },
		incident: { type: 'string' },
		'complete-share': { type: 'string', default: '0.6' }
	}
});

function fail(message: string): never {
	console.error(`holdline generate: ${message}`);
	process.exit(2);
}

const rows = Number(values.rows);
const seed = Number(values.seed);
if (!Number.isInteger(rows) || rows < 1) fail('--rows must be a positive whole number');
if (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32) fail('--seed must be a whole number from 0 to 4294967295');
if (!values.out) fail('--out FILE is required');
const format = values.format!;
if (!['csv', 'parquet', 'queue_log', 'master.csv'].includes(format)) fail(`unknown --format ${format}`);
if (!/^\d{4}-\d{2}-\d{2}$/.test(values.start!)) fail('--start must look like 2008-05-05');
if (values.incident && !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(values.incident)) fail('--incident must look like "2008-05-12 14:28:00"');
const completeShare = Number(values['complete-share']);
if (!(completeShare >= 0 && completeShare <= 1)) fail('--complete-share must be between 0 and 1');

const calls = generateCalls({ rows, seed, start: values.start!, incident: values.incident ?? null, completeShare });
const out = values.out!;
const textPath = format === 'parquet' ? `${out}.csv.tmp` : out;
const stream = createWriteStream(textPath);
let buffer: string[] = [];
async function write(line: string) {
	buffer.push(line);
	if (buffer.length >= 5000) {
		if (!stream.write(buffer.join('\n') + '\n')) await once(stream, 'drain');
		buffer = [];
	}
}
if (format === 'csv' || format === 'parquet') await write(CSV_HEADER);
for (const call of calls) {
	if (format === 'queue_log') for (const line of queueLogLines(call)) await write(line);
	else if (format === 'master.csv') await write(masterCsvLine(call));
	else await write(csvLine(call));
}
if (buffer.length) stream.write(buffer.join('\n') + '\n');
stream.end();
await once(stream, 'finish');

if (format === 'parquet') {
	// Native DuckDB writes the Parquet file (a development dependency, like this generator).
	const { DuckDBInstance } = await import('@duckdb/node-api');
	const db = await DuckDBInstance.create(':memory:');
	const connection = await db.connect();
	const tmp = `${out}.tmp`;
	await connection.run(
		`COPY (SELECT * FROM read_csv($csv, header = true, all_varchar = true)) TO $out (FORMAT parquet)`,
		{ csv: textPath, out: tmp }
	);
	await rename(tmp, out);
	await rm(textPath);
}
console.log(`${rows} synthetic calls (seed ${seed}) → ${out}`);
