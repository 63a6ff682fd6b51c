import type { Query, SqlParam } from '$lib/db/types';
import { tableName } from '$lib/db/identifiers';
import { serviceWhere, type ServiceFilter, type ViewSpec } from './service';

/**
 * Pre-aggregated answers for one view while one filter moves (a data-cube index, as in
 * Mosaic). A cube keeps the view's partial aggregates grouped by the view's key and by the
 * *active* filter dimension `a`, with every other filter applied when it is built. Moving
 * the active filter then reads a few thousand cube rows instead of millions of calls, and
 * gives the same answer as the calls table: counts and sums add up across groups, and a
 * time filter is answered only when its bounds fall on the cube's bucket edges.
 */
export type CubeDim = 'queue' | 'agent' | 'outcome' | 'time';
export const CUBE_DIMS: CubeDim[] = ['queue', 'agent', 'outcome', 'time'];

/** Time buckets, in minutes, that a time cube may use (each divides an hour). */
export type TimeGrain = 60 | 15;

export interface CubeAxis {
	dim: CubeDim;
	/** For `time`: the bucket width in minutes. */
	grain: TimeGrain | null;
}

export const axisId = (axis: CubeAxis) => (axis.dim === 'time' ? `time:${axis.grain}` : axis.dim);

function axisKey(axis: CubeAxis): string {
	switch (axis.dim) {
		case 'queue':
			return 'queue';
		case 'agent':
			return 'agent';
		case 'outcome':
			return 'outcome';
		case 'time':
			return `time_bucket(INTERVAL ${Number(axis.grain)} MINUTE, arrival)`;
	}
}

/** The filter without the axis's own dimension: what the cube is built under. */
export function contextOf(filter: ServiceFilter, dim: CubeDim): ServiceFilter {
	if (dim === 'time') return { ...filter, from: null, to: null };
	return { ...filter, [dim]: null };
}

/** 'YYYY-MM-DD HH:MM:SS' on a bucket edge of `grain` minutes (buckets start on the hour). */
export function onGrain(time: string | null, grain: TimeGrain): boolean {
	if (time == null) return true;
	const match = /^\d{4}-\d{2}-\d{2} \d{2}:(\d{2}):(\d{2})$/.exec(time);
	return !!match && match[2] === '00' && Number(match[1]) % grain === 0;
}

/** Whether a cube on `axis` can answer this filter's value of the axis's dimension. */
export function answers(axis: CubeAxis, filter: ServiceFilter): boolean {
	return axis.dim !== 'time' || (onGrain(filter.from, axis.grain!) && onGrain(filter.to, axis.grain!));
}

/** Creates the cube `name` for `view` on `axis`, under the filter's other dimensions. */
export function cubeBuildQuery(name: string, table: string, view: ViewSpec, axis: CubeAxis, filter: ServiceFilter): Query {
	const { where, params } = serviceWhere(contextOf(filter, axis.dim));
	const key = view.key ? `${view.key} AS key, ` : '';
	return {
		// Ordered by the axis so a value's rows sit together and the scan skips the rest.
		sql: `CREATE OR REPLACE TEMP TABLE ${tableName(name)} AS
WITH ${view.prelude}
SELECT ${key}${axisKey(axis)} AS a, ${view.measures.flatMap((m) => m.stored).join(', ')}
FROM ${tableName(table)}, ${view.using}
WHERE ${view.scope} AND ${where}
GROUP BY ALL
ORDER BY a`,
		params: [...view.preludeParams, ...params]
	};
}

/** The view's answer from a cube, for the filter's value of the axis's dimension. */
export function cubeAnswerQuery(name: string, view: ViewSpec, axis: CubeAxis, filter: ServiceFilter): Query {
	const conditions: string[] = [];
	const params: SqlParam[] = [];
	if (axis.dim === 'time') {
		if (filter.from) conditions.push('a >= CAST(? AS TIMESTAMP)'), params.push(filter.from);
		if (filter.to) conditions.push('a < CAST(? AS TIMESTAMP)'), params.push(filter.to);
	} else {
		// Same validation as the calls table's WHERE (an unknown outcome is no condition).
		const { params: bound } = serviceWhere({ queue: null, agent: null, outcome: null, from: null, to: null, [axis.dim]: filter[axis.dim] });
		if (bound.length) conditions.push('a = ?'), params.push(...bound);
	}
	return {
		sql: `WITH ${view.prelude},
counts AS NOT MATERIALIZED (
  SELECT ${view.key ? 'key, ' : ''}${view.measures.map((m) => `${m.rollup} AS ${m.name}`).join(', ')}
  FROM ${tableName(name)}
  WHERE ${conditions.length ? conditions.join(' AND ') : 'TRUE'}
  ${view.key ? 'GROUP BY key' : ''}
)
${view.finish}`,
		params: [...view.preludeParams, ...params]
	};
}
