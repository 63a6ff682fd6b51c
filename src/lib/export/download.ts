/** Hands a file to the browser's download manager; nothing is uploaded anywhere. */
export function download(blob: Blob, fileName: string): void {
	const url = URL.createObjectURL(blob);
	const link = document.createElement('a');
	link.href = url;
	link.download = fileName;
	link.rel = 'noopener';
	document.body.append(link);
	link.click();
	link.remove();
	setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A file-system-safe name: keeps letters (Chinese too), digits, dash and underscore. */
export function safeFileName(text: string): string {
	return (
		text
			.replace(/[^\p{L}\p{N}_-]+/gu, '-')
			.replace(/^-+|-+$/g, '')
			.slice(0, 80) || 'chart'
	);
}

/**
 * The name of a chart's exported files: the app, the chart's title and the active filter
 * values, all as the page shows them (so in the chosen language); empty parts are left out.
 */
export function exportFileStem(title: string, parts: readonly (string | null | undefined)[] = []): string {
	return safeFileName(['holdline', title, ...parts.filter((p): p is string => !!p?.trim())].join('-'));
}
