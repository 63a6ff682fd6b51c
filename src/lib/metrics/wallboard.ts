import type { AgentNow } from './agent-states';

/**
 * What the wallboard shows, as the server sends it (`server/live.ts`, over Server-Sent Events)
 * and the page lays it out: per queue, the calls waiting now and the day's measures against the
 * queue's targets; per agent, the state now. The measures are the service views' (`service.ts`,
 * asked by name); waiting calls and agent states are live state kept from the followed log.
 */

/**
 * A queue's service-level target: `percent` of offered calls answered within `thresholdS`; and
 * its agents' wrap-up after each call, `wrapUpS` (queue_log does not log it: the queue's
 * `wrapuptime` in Asterisk's queues.conf), for the agents' states.
 */
export interface QueueTarget {
	percent: number;
	thresholdS: number;
	wrapUpS: number;
}

export const DEFAULT_TARGET: QueueTarget = { percent: 80, thresholdS: 20, wrapUpS: 0 };

/** Within this many points below the target is amber; further below is red. */
export const AMBER_POINTS = 5;

/**
 * `--queue-targets` FILE: JSON, `{ "default": { "percent": 80, "thresholdS": 20, "wrapUpS": 0 },
 * "queues": { "sales": { "percent": 90, "thresholdS": 15 } } }`; either part may be left out,
 * and a queue may give only some of the numbers (the rest are the default's).
 */
export interface QueueTargets {
	default: QueueTarget;
	queues: Record<string, QueueTarget>;
}

function target(value: unknown, where: string, base: QueueTarget): QueueTarget {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${where}: expected { "percent": …, "thresholdS": … }`);
	const v = value as Record<string, unknown>;
	for (const key of Object.keys(v))
		if (key !== 'percent' && key !== 'thresholdS' && key !== 'wrapUpS') throw new Error(`${where}.${key}: unknown field (percent, thresholdS, wrapUpS)`);
	const percent = v.percent ?? base.percent;
	const thresholdS = v.thresholdS ?? base.thresholdS;
	const wrapUpS = v.wrapUpS ?? base.wrapUpS;
	if (typeof wrapUpS !== 'number' || !Number.isInteger(wrapUpS) || wrapUpS < 0 || wrapUpS > 3600)
		throw new Error(`${where}.wrapUpS: whole seconds from 0 to 3600`);
	if (typeof percent !== 'number' || !(percent >= 0 && percent <= 100)) throw new Error(`${where}.percent: a number from 0 to 100`);
	if (typeof thresholdS !== 'number' || !Number.isInteger(thresholdS) || thresholdS < 0 || thresholdS > 3600)
		throw new Error(`${where}.thresholdS: whole seconds from 0 to 3600`);
	return { percent, thresholdS, wrapUpS };
}

/** The targets file's JSON, checked; errors name the field. */
export function parseQueueTargets(json: unknown): QueueTargets {
	if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error('expected { "default": …, "queues": { … } }');
	const j = json as Record<string, unknown>;
	for (const key of Object.keys(j)) if (key !== 'default' && key !== 'queues') throw new Error(`${key}: unknown field (default, queues)`);
	const fallback = j.default === undefined ? DEFAULT_TARGET : target(j.default, 'default', DEFAULT_TARGET);
	const queues: Record<string, QueueTarget> = {};
	if (j.queues !== undefined) {
		if (typeof j.queues !== 'object' || j.queues === null || Array.isArray(j.queues)) throw new Error('queues: expected { "QUEUE": { … } }');
		for (const [name, value] of Object.entries(j.queues)) queues[name] = target(value, `queues.${JSON.stringify(name)}`, fallback);
	}
	return { default: fallback, queues };
}

export const targetOf = (targets: QueueTargets, queue: string): QueueTarget => targets.queues[queue] ?? targets.default;

/** green: at or above target; amber: within AMBER_POINTS below; red: further below; none: no calls yet. */
export type Standing = 'green' | 'amber' | 'red' | 'none';

/** How a service level (a share, 0–1, or null) stands against a target. */
export function serviceStanding(level: number | null, t: QueueTarget): Standing {
	if (level === null) return 'none';
	const points = level * 100;
	return points >= t.percent ? 'green' : points >= t.percent - AMBER_POINTS ? 'amber' : 'red';
}

/**
 * How an abandon rate stands: its target is what the service-level target leaves (100 − SL
 * target, e.g. 20 % at 80/20), and amber within AMBER_POINTS above it.
 */
export function abandonStanding(rate: number | null, t: QueueTarget): Standing {
	if (rate === null) return 'none';
	const allowed = 100 - t.percent;
	const points = rate * 100;
	return points <= allowed ? 'green' : points <= allowed + AMBER_POINTS ? 'amber' : 'red';
}

/** The measures of one window of arrivals (today, the last 15 or 60 minutes). */
export interface WindowMeasures {
	offered: number;
	answered: number;
	abandoned: number;
	/** Shares 0–1, null without offered calls (the service views' `service_level`, `abandon_rate`). */
	serviceLevel: number | null;
	abandonRate: number | null;
}

export const WINDOWS = ['today', 'last60', 'last15'] as const;
export type WindowName = (typeof WINDOWS)[number];
/** Each window's length in minutes (today: since midnight). */
export const WINDOW_MINUTES: Record<Exclude<WindowName, 'today'>, number> = { last60: 60, last15: 15 };

/** An agent's state now (`agent-states.ts`): since when (epoch seconds), calls and talk today, pause reason. */
export type AgentRow = AgentNow;

export interface QueueBoard {
	queue: string;
	target: QueueTarget;
	/** Calls in the queue now, and when the one waiting longest entered (epoch seconds), for the ticking longest wait. */
	waiting: number;
	longestSince: number | null;
	agents: { available: number; onCall: number; paused: number; wrapUp: number };
	windows: Record<WindowName, WindowMeasures>;
	asaS: number | null;
	ahtS: number | null;
}

export interface WallboardSnapshot {
	/** The server's clock when it was made (epoch ms): the page ticks waits from it. */
	now: number;
	/** The day shown (local wall-clock date of the log) and the last line's time (epoch seconds), or null before any. */
	day: string | null;
	lastEvent: number | null;
	/** Lines read since the start (all files), and the dataset the calls are in. */
	lines: number;
	dataset: { id: string; name: string; calls: number };
	queues: QueueBoard[];
	agents: AgentRow[];
	/** Whether agent states are known (the log has agent events, and they are tracked). */
	agentsTracked: boolean;
}

/** Seconds waited by a call that entered at `since`, at `nowMs` (never negative). */
export const waitedSeconds = (since: number, nowMs: number): number => Math.max(0, Math.floor(nowMs / 1000 - since));
