import type { Engine, Row } from '$lib/engine/types';
import { DEFAULT_SETTINGS, summaryQuery, type ServiceRow } from '$lib/metrics/service';
import type { CanonicalOutcome } from '$lib/imports/canonical';
import { ImportError, type ImportErrorDetail } from '$lib/imports/errors';
import type { Inspection } from '$lib/imports/inspect';
import { importFiles, type ImportPlan } from '$lib/imports/pipeline';
import type { SourceFile } from '$lib/imports/source';
import { EMPTY_FILTER } from '$lib/filters/filter';

/**
 * The first rows of a file imported as calls with the mapping being chosen, through the real
 * pipeline into a table of its own (dropped after), so a wrong mapping shows in the calls and
 * the KPIs before the whole file is imported.
 */

/** Records the preview imports, and the most bytes it reads for them. */
export const PREVIEW_RECORDS = 1000;
export const PREVIEW_BYTES = 256 * 1024;

export type PreviewCall = {
	arrival: string | null;
	answer: string | null;
	wait_s: number | null;
	talk_s: number | null;
	agent: string | null;
	outcome: CanonicalOutcome;
};

export type CallsPreview =
	| { ok: true; calls: PreviewCall[]; summary: ServiceRow; rows: number; skipped: { count: number; first?: ImportErrorDetail } }
	| { ok: false; failure: ImportErrorDetail };

/** Files the preview reads: text and JSON lines, cut at a line end (a workbook or Parquet file is not cut so simply). */
export const previewable = (inspection: Inspection) => inspection.format === 'mapped' && (inspection.kind === 'text' || inspection.kind === 'jsonl');

/** The bytes of `head` up to and including the line end after `records` records (and the header, if any). */
export function headBytes(head: Uint8Array, lines: number, whole: boolean): Uint8Array {
	let seen = 0;
	for (let i = 0; i < head.byteLength; i++) {
		if (head[i] !== 0x0a) continue;
		if (++seen === lines) return head.subarray(0, i + 1);
	}
	if (whole) return head;
	// Cut at the last whole line: the rest of the head is part of a line.
	const last = head.lastIndexOf(0x0a);
	return last < 0 ? head : head.subarray(0, last + 1);
}

/** The file's first records as a file of their own. */
export async function headFile(file: SourceFile, header: boolean, records = PREVIEW_RECORDS): Promise<SourceFile> {
	const head = await file.head(PREVIEW_BYTES);
	const bytes = headBytes(head, records + (header ? 1 : 0), head.byteLength >= file.size && !file.compressed);
	return {
		name: file.name,
		size: bytes.byteLength,
		stream: () =>
			new ReadableStream<Uint8Array>({
				start(controller) {
					controller.enqueue(bytes.slice());
					controller.close();
				}
			}),
		head: async (n) => bytes.slice(0, n),
		bytes: async () => bytes
	};
}

/** Imports the head of `inspection`'s file with `plan`, reads its calls and KPIs, and drops the table. */
export async function previewCalls(engine: Engine, inspection: Inspection, plan: ImportPlan, signal?: AbortSignal): Promise<CallsPreview> {
	const table = `preview_${Math.random().toString(36).slice(2, 10)}`;
	try {
		const file = await headFile(inspection.file, inspection.layout.header);
		// Bad rows are left out, as a default import leaves them: the first is named beside the figures.
		const run = (onBadRows: ImportPlan['onBadRows']) => importFiles(engine, [{ ...inspection, file }], { ...plan, onBadRows }, { table, signal });
		const result = await run('skip').catch(async (error: unknown) => {
			// Every row left out: the first one's reason says more than "no calls".
			if (error instanceof ImportError && error.detail.problem === 'empty') await run('abort');
			throw error;
		});
		const calls = await engine.query<PreviewCall>({
			sql: `SELECT strftime(arrival, '%Y-%m-%d %H:%M:%S') AS arrival, strftime(answer, '%Y-%m-%d %H:%M:%S') AS answer, wait_s, talk_s, agent, outcome
			      FROM ${result.table} ORDER BY source_file, source_line LIMIT 5`,
			params: []
		});
		const [summary] = await engine.query<ServiceRow & Row>(summaryQuery(result.table, DEFAULT_SETTINGS, EMPTY_FILTER));
		return { ok: true, calls, summary: summary!, rows: result.rows, skipped: { count: result.skipped.count, first: result.skipped.examples[0] } };
	} catch (error) {
		return {
			ok: false,
			failure: error instanceof ImportError ? error.detail : { problem: 'unreadable', detail: error instanceof Error ? error.message : String(error) }
		};
	} finally {
		await engine.exec(`DROP TABLE IF EXISTS ${table}`).catch(() => {});
	}
}
