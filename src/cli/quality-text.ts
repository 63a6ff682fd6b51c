/** The data-quality report as the command line prints it (`metrics`, `load`): the app's English words. */
import { MESSAGES } from '$lib/i18n/messages';
import { describeImportError, extraText, isImportProblem } from '$lib/imports/errors';
import { isQualityCode, type QualityCode, type QualityEntry, type QualityReport } from '$lib/imports/quality';

/** A quality code's sentence: the app's English words. */
export const codeText = (code: QualityCode) => MESSAGES.en[`quality.code.${code}`];

export function reason(entry: QualityEntry): string {
	if (isQualityCode(entry.code)) return codeText(entry.code);
	return isImportProblem(entry.code) ? describeImportError({ problem: entry.code }) : entry.code;
}

export function qualityText(report: QualityReport): string {
	const lines = [`Data quality: ${report.rowsRead} rows read → ${report.calls} calls (clock-skew tolerance ${report.settings.clockSkewS} s)`];
	if (!report.entries.length) lines.push('  nothing repaired, excluded, merged or skipped');
	for (const e of report.entries) {
		lines.push(`  ${e.kind.padEnd(8)} ${String(e.count).padStart(7)}  ${e.code}: ${reason(e)}`);
		for (const x of e.examples.slice(0, 3))
			lines.push(
				`             ${x.file}:${x.line}${x.column ? ` column ${JSON.stringify(x.column)}` : ''}${x.value !== undefined ? ` ${JSON.stringify(x.value)}` : ''}${extraText(x, 'en') ? ` (${extraText(x, 'en')})` : ''}`
			);
	}
	return lines.join('\n') + '\n';
}
