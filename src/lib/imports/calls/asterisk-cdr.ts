import { maskedNumber } from '../caller-mask';
import {
	blank,
	callsFromLegs,
	channelName,
	columnSeconds,
	columnTime,
	durationCheck,
	legTimeChecks,
	optional,
	present,
	requiredCheck,
	type AssemblyContext,
	type CallAssembly
} from './sql';

/**
 * Asterisk CDR (cdr-csv `Master.csv`, no header; or the `cdr` table exported from a
 * database, with a header row and `calldate` instead of start/answer/end).
 *
 * Which rows are one call: Asterisk writes one CDR row per channel pair (leg). A ring
 * group or queue dialling three phones writes three rows for one caller.
 * - Legs are grouped by `linkedid` (Asterisk ≥ 1.8) where the file has it and it is set,
 *   else by `uniqueid`: without linkedid, the legs Dial() forks from one caller channel
 *   share the caller's uniqueid (Asterisk 1.4–11 cdr-csv). A row with neither is a call.
 * - A leg is offered to an agent when it has a destination channel or ran Dial/Queue.
 *   A call none of whose legs was offered (IVR, voicemail menus, echo tests) is `other`:
 *   counted in volume, never as an abandon.
 * - A leg is answered by an agent when it has a destination channel, its disposition is
 *   ANSWERED and its last application is not VoiceMail (a mailbox answering is not an
 *   agent). The first such leg by answer time answers the call: its answer time, its
 *   destination channel (without the per-call suffix) as the agent, its billsec as talk.
 * - arrival = the first leg's start; ended = the last leg's end; queue = the first leg's
 *   dst (the number called); wait = answer − arrival, or ended − arrival when nobody answered;
 *   caller = the first leg's src, else the number in its clid (`"Name" <number>`).
 * - Offered, not answered: abandoned when a leg ended NO ANSWER (the caller hung up while
 *   it rang or queued), else unanswered (BUSY, FAILED, CONGESTION, voicemail).
 *
 * A PBX with queues (the file has queue legs: lastapp Queue, or a dcontext naming a queue such
 * as `ext-queues` / `from-queue`) also writes its outbound and internal calls to the same CDR.
 * There a call that reached no queue and did not come in from outside is an outbound or an
 * internal call: never offered, left out and counted (see QUEUE_RULES in sql.ts). Inbound calls
 * keep the rules above, whether queued or not (a ring group is offered like a queue; the IVR
 * alone is `other`). A file with no queue leg (a small office PBX) keeps the rules above for
 * every call: each one some leg dialled is offered.
 *
 * FreePBX answers the caller's channel on entering the queue, to play music on hold: its
 * queue legs are ANSWERED at their start second, so their answer is the PBX's, not an agent's.
 * Where (nearly) every leg that ran Queue() was answered at its start, those legs' answer and
 * billsec say nothing of the wait or the talk: an agent's answer comes from the member leg
 * (Local/… or SIP/… dialled by the queue, grouped by linkedid) where the file has it, and
 * otherwise the call is answered with its wait and talk unknown (`wait_unknown`).
 */
export function asteriskCdr(ctx: AssemblyContext): CallAssembly {
	const has = (c: string) => ctx.columns.includes(c);
	const startColumn = has('start') ? 'start' : 'calldate';
	const start = columnTime(startColumn);
	const duration = columnSeconds('duration');
	const billsec = columnSeconds('billsec');
	const answered = `trim(disposition) = 'ANSWERED'`;
	// A database export may lack answer and end: they follow from duration and billsec.
	const answer = has('answer') ? columnTime('answer') : `CASE WHEN ${answered} THEN ${start} + to_seconds(${duration} - ${billsec}) END`;
	const end = has('end') ? columnTime('end') : `${start} + to_seconds(${duration})`;
	const key = `coalesce(${optional(ctx, 'linkedid')}, ${optional(ctx, 'uniqueid')}, __file || ':' || __line)`;
	const app = `lower(trim(coalesce(lastapp, '')))`;
	const offered = `(${blank('dstchannel')} IS NOT NULL OR ${app} IN ('dial', 'queue'))`;
	const byAgent = `(${blank('dstchannel')} IS NOT NULL AND ${answered} AND ${app} <> 'voicemail')`;
	const legs = `SELECT ${key} AS call_key, ${blank('dst')} AS l_queue, NULL::VARCHAR AS l_fallback_queue,
    ${channelName(blank('dstchannel'))} AS l_agent, ${start} AS l_start, ${answer} AS l_answer, ${end} AS l_end, ${billsec} AS l_talk,
    (${offered} OR ${queueLeg(ctx, app)}) AS offered, ${byAgent} AS by_agent, trim(disposition) = 'NO ANSWER' AS no_answer,
    ${app} = 'queue' AS ran_queue, ${queueLeg(ctx, app)} AS queue_leg, ${callKind(ctx, app)} AS l_kind,
    ${maskedNumber(`coalesce(${optional(ctx, 'src')}, '')`)} || ' → ' || ${maskedNumber(`coalesce(${optional(ctx, 'dst')}, '')`)} AS l_example,
    coalesce(${optional(ctx, 'src')}, ${blank(`regexp_extract(${optional(ctx, 'clid')}, '<([^>]*)>', 1)`)}) AS l_caller, ${optional(ctx, 'dst')} AS l_callee, __file, __line
  FROM ${ctx.stage}`;
	return {
		select: callsFromLegs(pbxAnsweredQueues(legs), true),
		checks: [
			...legTimeChecks(ctx, startColumn, 'answer', 'end'),
			...present(ctx, [requiredCheck('disposition'), durationCheck('duration'), durationCheck('billsec')])
		],
		exclusions: [],
		noteValue: NOTE_VALUE
	};
}

/** A call's example in the report: its id, and for a call counted apart, who called whom. */
const NOTE_VALUE = `'call ' || call_id || coalesce(': ' || __example, '')`;

/** Channels of a trunk (the outside world): `SIP/trunk…`, `PJSIP/…trunk…`, `DAHDI/…`, `IAX2/…`. */
const TRUNK = `'^(sip/trunk|pjsip/[^&,]*trunk|dahdi/|iax2/)'`;
const isTrunk = (expr: string) => `coalesce(regexp_matches(lower(${expr}), ${TRUNK}), false)`;

/** A leg in a queue: it ran Queue(), or its dialplan context is a queue's (`ext-queues`, `from-queue`, …). */
function queueLeg(ctx: AssemblyContext, app: string): string {
	return `(${app} = 'queue' OR coalesce(contains(lower(${optional(ctx, 'dcontext')}), 'queue'), false))`;
}

/**
 * Which way a leg goes, for calls that never reached a queue. `inbound`: it came in on a trunk
 * (a trunk channel, an inbound context such as `from-trunk` / `from-pstn` / `from-did…`, or an
 * outside caller — 7+ digits — calling an inside number). `outbound`: it dials out (a trunk
 * destination channel, Dial() of a trunk, or an outside number of 7+ digits called from
 * inside). NULL: extension to extension.
 */
function callKind(ctx: AssemblyContext, app: string): string {
	const outside = (expr: string) => `coalesce(regexp_full_match(${expr}, '\\+?[0-9]{7,}'), false)`;
	const src = optional(ctx, 'src');
	const dst = optional(ctx, 'dst');
	const inbound = `(${isTrunk(optional(ctx, 'channel'))}
      OR coalesce(regexp_matches(lower(${optional(ctx, 'dcontext')}), '^(from-trunk|from-pstn|from-did|ext-did)'), false)
      OR (${outside(src)} AND NOT ${outside(dst)}))`;
	const dialsTrunk = `(${app} = 'dial' AND coalesce(regexp_matches(lower(${optional(ctx, 'lastdata')}), '(^|&)\\s*(sip/trunk|pjsip/[^&,]*trunk|dahdi/|iax2/)'), false))`;
	const outbound = `(${isTrunk(optional(ctx, 'dstchannel'))} OR ${dialsTrunk} OR ${outside(dst)})`;
	return `CASE WHEN ${inbound} THEN 'inbound' WHEN ${outbound} THEN 'outbound' END`;
}

/** Share of the legs that ran Queue() answered at their start second from which a file is taken as answering callers on entering the queue. */
export const PBX_ANSWER_SHARE = 0.95;

/**
 * FreePBX's queue legs (see above): where at least PBX_ANSWER_SHARE of a file's legs that ran
 * Queue() were answered at their start second, such a leg's answer and billsec are the PBX's:
 * set to NULL (`answer_unknown`). Where the call has member legs (other legs with a destination
 * channel), they alone tell whether an agent answered; without them, a destination channel on
 * the queue leg says one did, at an unknown time. Not answered, the caller hung up in the
 * queue (Queue() was still the last application, and the PBX had answered): an abandon.
 */
function pbxAnsweredQueues(legs: string): string {
	const atStart = `(ran_queue AND l_answer IS NOT NULL AND date_trunc('second', l_answer) = date_trunc('second', l_start))`;
	const agentHere = `(by_agent AND NOT (answer_unknown AND has_members))`;
	return `SELECT call_key, l_queue, l_fallback_queue, l_agent, l_start,
    CASE WHEN answer_unknown THEN NULL ELSE l_answer END AS l_answer, l_end,
    CASE WHEN answer_unknown THEN NULL ELSE l_talk END AS l_talk,
    offered, ${agentHere} AS by_agent, no_answer OR (answer_unknown AND NOT ${agentHere}) AS no_answer,
    answer_unknown, queue_leg, bool_or(queue_leg) OVER (PARTITION BY __file) AS file_queues, l_kind, l_example, l_caller, l_callee, __file, __line
  FROM (
    SELECT *, coalesce(${atStart} AND sum(CASE WHEN ${atStart} THEN 1 ELSE 0 END) OVER (PARTITION BY __file)
        >= ${PBX_ANSWER_SHARE} * sum(CASE WHEN ran_queue THEN 1 ELSE 0 END) OVER (PARTITION BY __file), false) AS answer_unknown,
      bool_or(NOT ran_queue AND l_agent IS NOT NULL) OVER (PARTITION BY call_key) AS has_members
    FROM (${legs}))`;
}
