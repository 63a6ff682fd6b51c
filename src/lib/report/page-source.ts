import { library } from '$lib/datasets/library.svelte';
import { runQuery } from '$lib/query/client';
import { localViews, type AskView } from '$lib/query/named-views';
import { askServer, server } from '$lib/query/remote.svelte';
import type { NamedViewRequest } from '$lib/metrics/views/registry';
import { viewSettings } from '$lib/metrics/views/spec';
import { DEFAULT_SETTINGS } from '$lib/metrics/service';
import { datasetChoices, type Choice } from '$lib/filters/choices';
import { EMPTY_FILTER } from '$lib/filters/filter';
import type { DatasetKind } from '$lib/imports/saved-dataset';

/**
 * Where the Report page asks its figures: the holdline server that served the page (named
 * views, through its coordinator), or the browser's engine over the dataset's table (the same
 * views rendered here). Also the dataset's departments, for the page's choice. `kind`: an
 * interval dataset's views are its own (`metrics/views/interval-views.ts`).
 */
export interface ReportAsker {
	ask: AskView;
	queues: Choice[];
}

export async function openReportSource(dataset: string, kind?: DatasetKind): Promise<ReportAsker> {
	const ask: AskView = server.info
		? (request) => askServer(request)
		: localViews((query) => runQuery(query), await library.open(dataset), undefined, null, kind);
	const options: NamedViewRequest<'options'> = {
		dataset,
		...(kind ? { kind } : {}),
		view: 'options',
		filter: EMPTY_FILTER,
		settings: viewSettings(DEFAULT_SETTINGS)
	};
	const rows = await ask(options);
	return { ask, queues: datasetChoices(rows).queue };
}
