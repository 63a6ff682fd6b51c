import { afterOnsetHistogramQuery, afterOnsetRange, incidentByQuery, incidentQuery, type IncidentRow, type IncidentWindow } from '../incident';
import type { NamedViewSpec, ViewQuestion } from './spec';

const windowOf = ({ settings }: ViewQuestion): IncidentWindow => ({ onset: settings.onset!, end: settings.end, longS: settings.longS });

/** The calls in progress at the onset, classified (`incident.ts`). */
export const incident: NamedViewSpec = { windowed: true, query: (r, table, d) => incidentQuery(table, windowOf(r), r.filter, d) };
export const incidentQueues: NamedViewSpec = { windowed: true, query: (r, table, d) => incidentByQuery(table, windowOf(r), r.filter, 'queue', d) };
export const incidentAgents: NamedViewSpec = { windowed: true, query: (r, table, d) => incidentByQuery(table, windowOf(r), r.filter, 'agent', d) };

/** Service after onset in bins up to the incident row's reach (`afterOnsetRange`): the `incident` view is asked first. */
export const afterOnset: NamedViewSpec = {
	windowed: true,
	needs: 'incident',
	query: (r, table, d, rows) => {
		const { binS, maxS } = afterOnsetRange(rows[0] as IncidentRow | undefined);
		return afterOnsetHistogramQuery(table, windowOf(r), r.filter, binS, maxS, d);
	}
};
