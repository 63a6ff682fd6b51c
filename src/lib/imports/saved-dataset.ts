import type { FormatId } from './formats';
import type { QualityReport } from './quality';

/** What a dataset's table holds: one row per call, or one row per queue per interval (an ACD's interval report). */
export type DatasetKind = 'calls' | 'intervals';

/**
 * What an import leaves of a dataset: its id (also its table's name, `dataset-id.ts`), the files
 * it came from, its rows and quality report. The browser's library keeps a list of these, the
 * server's store and its `GET /api/datasets` the same records.
 */
export interface SavedDataset {
	id: string;
	name: string;
	format: FormatId;
	files: string[];
	/** Sizes of the files in bytes (with the names, what tells a repeated import). */
	fileSizes?: number[];
	rows: number;
	/** Size of the stored file. */
	bytes: number;
	from: string | null;
	to: string | null;
	importedAt: string;
	/** Rows skipped as bad during import. */
	skipped: number;
	/** Made by the generator, not a real call center: shown with a badge wherever it appears. */
	synthetic?: boolean;
	/** The import's data-quality report (datasets imported before reports existed have none). */
	quality?: QualityReport;
	/** An interval report's dataset (absent: calls). */
	kind?: DatasetKind;
	/** An interval dataset's interval length in minutes (1440 for days). */
	intervalMinutes?: number;
	/** An interval dataset whose file gave no dates: its time axis is relative. */
	relativeTime?: boolean;
}
