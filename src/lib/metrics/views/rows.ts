import type { IncidentRow } from '../incident';
import type { ServiceRow, WaitBin } from '../service';
import type { StaffingLoadRow } from '../staffing-load';
import type { AgentEventRow } from '../agent-events-view';
import type { CallbackRow, RepeatCallersRow } from '../callers';

/**
 * The row each named view answers, by the view's name. Engines hand back plain rows (numbers,
 * text, null: BIGINT and DECIMAL already numbers, `engine/`), so the registry names their type
 * once here and every path (page, report, command line) reads typed rows without a cast.
 */

/** A service row per interval (`key`: the interval's start as text), department or agent. */
export type KeyedRow = ServiceRow & { key: string };
export type IntervalRow = KeyedRow;

/** The incident's figures per department or agent. */
export type KeyedIncidentRow = IncidentRow & { key: string };

/** A filter menu's choice: a department or agent and its number of calls. */
export interface OptionRow {
	/** 'queue' or 'agent'. */
	field: string;
	value: string;
	n: number;
}

/** The dataset's reach of waits (a high quantile), which the wait histogram's bins go up to. */
export interface WaitReachRow {
	reach_s: number | null;
}

/** Service after onset: bins of seconds, the last (`bin_end` null) holding every longer one. */
export interface AfterOnsetBin {
	bin_start: number;
	bin_end: number | null;
	calls: number;
}

export interface ViewRows {
	summary: ServiceRow;
	intervals: IntervalRow;
	queues: KeyedRow;
	agents: KeyedRow;
	waits: WaitBin;
	waitReach: WaitReachRow;
	options: OptionRow;
	incident: IncidentRow;
	incidentQueues: KeyedIncidentRow;
	afterOnset: AfterOnsetBin;
	staffingLoad: StaffingLoadRow;
	reportQueues: KeyedRow;
	reportAgents: KeyedRow;
	incidentAgents: KeyedIncidentRow;
	agentEvents: AgentEventRow;
	callbacks: CallbackRow;
	repeatCallers: RepeatCallersRow;
}
