import { randomExponential, randomInt, randomLcg, randomLogNormal, randomUniform } from 'd3';
import type { CanonicalOutcome } from '$lib/imports/canonical';
import type { QualityKind } from '$lib/imports/quality';

/**
 * Seeded synthetic call records of a credit-card service center: about 200 agents in three
 * departments, arrivals with a daily profile, lognormal talk times, caller patience (and so
 * abandonment), hold and wrap-up, and optionally an incident at a chosen moment after which
 * the calls then in service either complete or are cut short. Everything it makes is marked
 * synthetic. The same options give the same calls, in the same order.
 */
export interface GeneratorOptions {
	rows: number;
	seed: number;
	/** First day, 'YYYY-MM-DD'. */
	start: string;
	/** Onset of an incident, local 'YYYY-MM-DD HH:MM:SS', or null. */
	incident: string | null;
	/** Share of the calls in service at the onset that complete (the rest are cut short). */
	completeShare: number;
	/** Realistic dirt in the file written (see `DirtOptions`); none when absent. Never changes the calls themselves. */
	dirt?: DirtOptions;
	/** Calls a day (the last day takes what is left of `rows`); `CALLS_PER_DAY` when absent. */
	callsPerDay?: number;
}

export interface SyntheticCall {
	call_id: string;
	department: string;
	agent: string | null;
	/** Seconds since the epoch, in local wall-clock terms (no time zone). */
	arrival: number;
	answer: number | null;
	end: number;
	wait_s: number;
	talk_s: number | null;
	hold_s: number | null;
	wrap_s: number | null;
	outcome: 'answered' | 'abandoned' | 'interrupted';
}

export const DEPARTMENTS = ['座席一部', '座席二部', '座席三部'];
export const AGENTS_PER_DEPARTMENT = [70, 70, 60];

/** Share of a day's calls arriving in each hour (a credit-card line: busy late morning and afternoon). */
const HOURLY = [2, 1, 1, 1, 1, 2, 4, 10, 30, 55, 70, 68, 52, 50, 62, 66, 60, 50, 38, 30, 24, 18, 10, 5];
export const CALLS_PER_DAY = 20_000;

export function* generateCalls(options: GeneratorOptions): Generator<SyntheticCall> {
	const source = randomLcg(options.seed / 2 ** 32);
	const uniform = randomUniform.source(source)();
	const talk = randomLogNormal.source(source)(Math.log(170), 0.6);
	const wait = randomExponential.source(source)(1 / 22);
	const patience = randomExponential.source(source)(1 / 75);
	const wrap = randomUniform.source(source)(8, 45);
	const hold = randomExponential.source(source)(1 / 40);
	const department = randomInt.source(source)(0, DEPARTMENTS.length);
	const agentIn = AGENTS_PER_DEPARTMENT.map((n) => randomInt.source(source)(1, n + 1));
	const hourTotal = HOURLY.reduce((a, b) => a + b, 0);
	const startDay = Date.parse(`${options.start}T00:00:00Z`) / 1000;
	const onset = options.incident ? Date.parse(`${options.incident.replace(' ', 'T')}Z`) / 1000 : null;

	const perDay = options.callsPerDay ?? CALLS_PER_DAY;
	if (!(Number.isInteger(perDay) && perDay >= 1)) throw new Error('callsPerDay must be a positive whole number');
	let made = 0;
	for (let day = 0; made < options.rows; day++) {
		const today = Math.min(perDay, options.rows - made);
		const arrivals: number[] = [];
		for (let hour = 0; hour < 24; hour++) {
			const n = Math.round((today * HOURLY[hour]!) / hourTotal);
			for (let i = 0; i < n; i++) arrivals.push(startDay + day * 86400 + hour * 3600 + Math.floor(uniform() * 3600));
		}
		while (arrivals.length < today) arrivals.push(startDay + day * 86400 + 12 * 3600 + Math.floor(uniform() * 3600));
		arrivals.length = today;
		arrivals.sort((a, b) => a - b);
		for (const arrival of arrivals) {
			made++;
			const d = department();
			const call_id = `SYN${String(made).padStart(9, '0')}`;
			const waited = Math.round(wait());
			const patient = Math.round(patience());
			if (patient < waited) {
				yield {
					call_id,
					department: DEPARTMENTS[d]!,
					agent: null,
					arrival,
					answer: null,
					end: arrival + patient,
					wait_s: patient,
					talk_s: null,
					hold_s: null,
					wrap_s: null,
					outcome: 'abandoned'
				};
				continue;
			}
			const answer = arrival + waited;
			let talked = Math.max(20, Math.round(talk()));
			const held = uniform() < 0.2 ? Math.round(hold()) : 0;
			let outcome: SyntheticCall['outcome'] = 'answered';
			if (onset !== null && answer <= onset && answer + talked + held > onset) {
				if (uniform() < options.completeShare) {
					// Calls that carry on through the incident mostly run on for minutes.
					const after = uniform() < 0.9 ? 121 + Math.round(uniform() * 240) : 10 + Math.round(uniform() * 100);
					talked = onset - answer + after - held;
				} else {
					talked = Math.max(1, onset - answer + Math.round(uniform() * 40) - held);
					outcome = 'interrupted';
				}
			}
			yield {
				call_id,
				department: DEPARTMENTS[d]!,
				agent: `S${d + 1}-${String(agentIn[d]!()).padStart(3, '0')}`,
				arrival,
				answer,
				end: answer + talked + held,
				wait_s: waited,
				talk_s: talked,
				hold_s: held,
				wrap_s: Math.round(wrap()),
				outcome
			};
		}
	}
}

/** Local wall-clock seconds → 'YYYY-MM-DD HH:MM:SS'. */
export function clock(seconds: number): string {
	return new Date(seconds * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

export const CSV_HEADER = 'call_id,department,agent,arrival,answer,end,wait_s,talk_s,hold_s,wrap_s,outcome,synthetic';

export function csvLine(c: SyntheticCall): string {
	const v = (x: number | null) => (x === null ? '' : String(x));
	return `${c.call_id},${c.department},${c.agent ?? ''},${clock(c.arrival)},${c.answer === null ? '' : clock(c.answer)},${clock(c.end)},${c.wait_s},${v(c.talk_s)},${v(c.hold_s)},${v(c.wrap_s)},${c.outcome},synthetic`;
}

/** Asterisk queue_log lines for one call (epoch seconds taken as UTC). */
export function queueLogLines(c: SyntheticCall): string[] {
	const queue = `q${DEPARTMENTS.indexOf(c.department) + 1}`;
	const lines = [`${c.arrival}|${c.call_id}|${queue}|NONE|ENTERQUEUE||synthetic|1`];
	if (c.answer === null) lines.push(`${c.end}|${c.call_id}|${queue}|NONE|ABANDON|1|1|${c.wait_s}`);
	else {
		lines.push(`${c.answer}|${c.call_id}|${queue}|${c.agent}|CONNECT|${c.wait_s}|${c.call_id}.1|1`);
		lines.push(
			`${c.end}|${c.call_id}|${queue}|${c.agent}|${c.outcome === 'interrupted' ? 'COMPLETEAGENT' : 'COMPLETECALLER'}|${c.wait_s}|${c.end - c.answer}|1`
		);
	}
	return lines;
}

/** An Asterisk Master.csv line (no header). */
export function masterCsvLine(c: SyntheticCall): string {
	const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
	const answered = c.answer !== null;
	// Channels carry a hex suffix as Asterisk's do, so the agent is the channel without it.
	const suffix = (Number(c.call_id.replace(/\D/g, '')) || 0).toString(16).padStart(8, '0');
	return [
		q(''),
		q('synthetic'),
		q(`${8000 + DEPARTMENTS.indexOf(c.department) + 1}`),
		q('from-pstn'),
		q('"synthetic" <0>'),
		q(`SIP/trunk-${suffix}`),
		q(answered ? `SIP/${c.agent}-${suffix}` : ''),
		q('Queue'),
		q('cards'),
		q(clock(c.arrival)),
		q(answered ? clock(c.answer!) : ''),
		q(clock(c.end)),
		c.end - c.arrival,
		answered ? c.end - c.answer! : 0,
		q(answered ? 'ANSWERED' : 'NO ANSWER'),
		q('DOCUMENTATION'),
		q(c.call_id),
		q('synthetic')
	].join(',');
}

/* ───────────────────────────── Files, with realistic dirt ───────────────────────────── */

/** The text layouts the generator writes (Parquet is the `csv` text converted). */
export type TextFormat = 'csv' | 'master.csv' | 'queue_log' | 'freepbx-report';

/**
 * Dirt real exports carry, written into the file while the calls stay the same (the dirt is
 * drawn from its own random stream, seeded from the seed, so the calls of a seed do not
 * change). Shares are probabilities from 0 to 1; absent or 0 means none.
 *
 * Asterisk `master.csv` (with dirt the rows have all 21 columns, channels get Asterisk's
 * hexadecimal suffix, and rows are in the order cdr-csv writes them: by end time):
 * - `ringGroups`: calls rung through a ring group (Dial of 2–4 phones): one leg per phone,
 *   same linkedid, at most one ANSWERED, the rest NO ANSWER.
 * - `queueAttempts`: calls the queue offered to 1–3 members in turn before the answer (or
 *   the abandon): one NO ANSWER leg per attempt, within the wait.
 * - `transfers`: answered calls transferred when the first agent's part ends: a second
 *   ANSWERED leg later (same linkedid). The first answering leg still answers the call.
 * - `ivrCalls`: extra calls, per generated call, that never left the IVR (lastapp
 *   Playback/BackGround, no destination channel): outcome `other`.
 *
 * `csv` (and `parquet`):
 * - `clockSkew`: answered calls whose answer is written 1–5 s before the arrival (the wait
 *   column says so too): the import repairs them to answer = arrival, wait 0.
 * - `duplicates`: rows written again, identically, 1 or 2 times a few rows later (an export
 *   overlap): kept once.
 * - `resave`: the file as a spreadsheet re-saves it: times `2008/5/5 9:03` (seconds lost),
 *   CRLF line ends, a UTF-8 byte-order mark. Warned of (minute precision); the waits and talk
 *   times stay right, since their columns carry them. Not with `clockSkew` (the seconds the
 *   skew lives in are gone).
 */
export interface DirtOptions {
	ringGroups?: number;
	queueAttempts?: number;
	transfers?: number;
	ivrCalls?: number;
	clockSkew?: number;
	duplicates?: number;
	resave?: boolean;
}

export const MASTER_DIRT = ['ringGroups', 'queueAttempts', 'transfers', 'ivrCalls'] as const;
/** The FreePBX report leaves linkedid empty: a transfer (a new uniqueid) cannot be joined to its call there, and is not written. */
export const REPORT_DIRT = ['ringGroups', 'queueAttempts', 'ivrCalls'] as const;
export const CSV_DIRT = ['clockSkew', 'duplicates'] as const;

/** The shares `--dirt all` uses. */
export const DEFAULT_DIRT: Required<Omit<DirtOptions, 'resave'>> = {
	ringGroups: 0.15,
	queueAttempts: 0.15,
	transfers: 0.05,
	ivrCalls: 0.05,
	clockSkew: 0.03,
	duplicates: 0.02
};

/** One call as the app should see it after importing the file (after the documented repairs and merges). */
export interface CallTruth {
	call_id: string;
	queue: string;
	agent: string | null;
	outcome: CanonicalOutcome;
	wait_s: number;
	talk_s: number | null;
}

/** A quality-report key, `kind:code`, e.g. `merged:legs`, `repaired:clock_skew`. */
export type DirtKey = `${QualityKind}:${string}`;

/** What a file written with dirt should import as. */
export interface Truth {
	/** Every call, once. */
	calls: CallTruth[];
	/** What the quality report should count, per `kind:code` (only non-zero entries). */
	dirt: Partial<Record<DirtKey, number>>;
	/** Records written (data rows, not the header). */
	records: number;
}

export const emptyTruth = (): Truth => ({ calls: [], dirt: {}, records: 0 });

/** Throws when dirt does not apply to the format or a share is out of range. */
export function checkDirt(format: TextFormat, dirt: DirtOptions | undefined): void {
	if (!dirt) return;
	for (const [name, value] of Object.entries(dirt)) {
		if (name === 'resave') continue;
		if (typeof value !== 'number' || !(value >= 0 && value <= 1)) throw new Error(`dirt ${name} must be a share from 0 to 1`);
	}
	const applies: readonly string[] =
		format === 'master.csv' ? MASTER_DIRT : format === 'freepbx-report' ? REPORT_DIRT : format === 'csv' ? [...CSV_DIRT, 'resave'] : [];
	for (const [name, value] of Object.entries(dirt)) if (value && !applies.includes(name)) throw new Error(`dirt ${name} does not apply to ${format}`);
	if (dirt.resave && dirt.clockSkew) throw new Error('dirt resave and clockSkew cannot be combined (the re-save loses the seconds the skew is in)');
}

/**
 * The file's text, record by record (each with its line end; the header first where the
 * format has one). Without `options.dirt` these are exactly the bytes the generator always
 * wrote. `truth`, when given, is filled with the calls as the app should import them and the
 * dirt injected — for `csv`, and for `master.csv` with dirt (the 21-column layout).
 */
export function* generateText(options: GeneratorOptions, format: TextFormat, truth?: Truth): Generator<string> {
	checkDirt(format, options.dirt);
	const calls = generateCalls(options);
	if (format === 'queue_log') {
		if (truth) throw new Error('truth is recorded for csv and master.csv');
		for (const call of calls)
			yield queueLogLines(call)
				.map((line) => line + '\n')
				.join('');
	} else if (format === 'master.csv') {
		if (!options.dirt) {
			if (truth) throw new Error('truth is recorded for master.csv written with dirt (the 21-column layout)');
			for (const call of calls) yield masterCsvLine(call) + '\n';
		} else yield* dirtyMaster(calls, options, truth);
	} else if (format === 'freepbx-report') yield* freepbxReport(calls, { ...options, dirt: options.dirt ?? {} }, truth);
	else yield* csvRecords(calls, options, truth);
}

/** The whole file in memory, with its truth (tests, small runs). */
export function generateFile(options: GeneratorOptions, format: 'csv' | 'master.csv' | 'freepbx-report'): Truth & { text: string } {
	const truth = emptyTruth();
	const text = [...generateText(options, format, truth)].join('');
	return { text, ...truth };
}

function add(truth: Truth | undefined, key: DirtKey, n: number) {
	if (truth && n > 0) truth.dirt[key] = (truth.dirt[key] ?? 0) + n;
}

/** The dirt's own random stream: the same seed gives the same dirt, and the calls are untouched. */
function dirtRandom(seed: number) {
	const source = randomLcg(((seed ^ 0x5bd1e995) >>> 0) / 2 ** 32);
	const chance = (p: number | undefined) => !!p && source() < p;
	const between = (lo: number, hi: number) => lo + Math.floor(source() * (hi - lo + 1));
	return { chance, between, pick: <T>(xs: readonly T[]) => xs[Math.floor(source() * xs.length)]! };
}

const answeredOutcome = (c: SyntheticCall) => c.outcome === 'answered' || c.outcome === 'interrupted';

/** 'YYYY/M/D H:MM' with the seconds dropped, as a spreadsheet shows and re-saves a time. */
function spreadsheetClock(seconds: number): string {
	const d = new Date(Math.floor(seconds / 60) * 60_000);
	return `${d.getUTCFullYear()}/${d.getUTCMonth() + 1}/${d.getUTCDate()} ${d.getUTCHours()}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}

function* csvRecords(calls: Iterable<SyntheticCall>, options: GeneratorOptions, truth?: Truth): Generator<string> {
	const dirt = options.dirt ?? {};
	const random = dirtRandom(options.seed);
	const eol = dirt.resave ? '\r\n' : '\n';
	const line = (c: SyntheticCall) => (dirt.resave ? csvLineWith(c, spreadsheetClock) : csvLine(c)) + eol;
	yield (dirt.resave ? '\uFEFF' : '') + CSV_HEADER + eol;
	// Copies waiting to be written again: [calls still to come before it, text].
	let later: { after: number; text: string }[] = [];
	let times = 0;
	let count = 0;
	for (const c of calls) {
		const answered = answeredOutcome(c);
		let written = c;
		let skewed = false;
		if (answered && random.chance(dirt.clockSkew)) {
			const k = random.between(1, 5);
			written = { ...c, answer: c.arrival - k, wait_s: -k };
			skewed = true;
		}
		const text = line(written);
		count++;
		truth?.calls.push({
			call_id: c.call_id,
			queue: c.department,
			agent: answered ? c.agent : null,
			outcome: c.outcome,
			wait_s: skewed ? 0 : c.wait_s,
			talk_s: answered ? c.talk_s : null
		});
		times += c.answer === null ? 2 : 3;
		let copies = 0;
		if (random.chance(dirt.duplicates)) {
			copies = random.chance(0.2) ? 2 : 1;
			for (let i = 0; i < copies; i++) later.push({ after: random.between(0, 5), text });
		}
		add(truth, 'merged:duplicate_rows', copies);
		if (skewed) add(truth, 'repaired:clock_skew', 1 + copies);
		if (truth) truth.records++;
		yield text;
		const due = later.filter((l) => l.after === 0);
		later = later.filter((l) => l.after > 0).map((l) => ({ ...l, after: l.after - 1 }));
		for (const copy of due) {
			if (truth) truth.records++;
			yield copy.text;
		}
	}
	for (const copy of later) {
		if (truth) truth.records++;
		yield copy.text;
	}
	// The importer warns when every one of at least five times is on a whole minute.
	if (dirt.resave && times >= 5) add(truth, 'warning:minute_precision', count);
}

function csvLineWith(c: SyntheticCall, at: (seconds: number) => string): string {
	const v = (x: number | null) => (x === null ? '' : String(x));
	return `${c.call_id},${c.department},${c.agent ?? ''},${at(c.arrival)},${c.answer === null ? '' : at(c.answer)},${at(c.end)},${c.wait_s},${v(c.talk_s)},${v(c.hold_s)},${v(c.wrap_s)},${c.outcome},synthetic`;
}

/** One Asterisk CDR leg (a row of Master.csv). */
interface Leg {
	dst: string;
	dcontext: string;
	channel: string;
	dstchannel: string;
	lastapp: string;
	lastdata: string;
	start: number;
	answer: number | null;
	end: number;
	disposition: 'ANSWERED' | 'NO ANSWER';
	uniqueid: string;
	linkedid: string;
}

/** A Master.csv row with all 21 columns, text quoted as cdr-csv quotes it (inner quotes doubled). */
function cdrRow(leg: Leg, sequence: number): string {
	const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
	return (
		[
			q(''),
			q('synthetic'),
			q(leg.dst),
			q(leg.dcontext),
			q('"synthetic" <0>'),
			q(leg.channel),
			q(leg.dstchannel),
			q(leg.lastapp),
			q(leg.lastdata),
			q(clock(leg.start)),
			q(leg.answer === null ? '' : clock(leg.answer)),
			q(clock(leg.end)),
			leg.end - leg.start,
			leg.answer === null ? 0 : leg.end - leg.answer,
			q(leg.disposition),
			q('DOCUMENTATION'),
			q(leg.uniqueid),
			q('synthetic'),
			q(''),
			q(leg.linkedid),
			sequence
		].join(',') + '\n'
	);
}

/** A min-heap of rows by (end, sequence): cdr-csv writes a row when its leg ends. */
class RowHeap {
	private items: { end: number; seq: number; text: string }[] = [];
	get size() {
		return this.items.length;
	}
	private less(i: number, j: number) {
		const a = this.items[i]!;
		const b = this.items[j]!;
		return a.end < b.end || (a.end === b.end && a.seq < b.seq);
	}
	private swap(i: number, j: number) {
		[this.items[i], this.items[j]] = [this.items[j]!, this.items[i]!];
	}
	peekEnd(): number {
		return this.items[0]!.end;
	}
	push(item: { end: number; seq: number; text: string }) {
		this.items.push(item);
		for (let i = this.items.length - 1; i > 0;) {
			const parent = (i - 1) >> 1;
			if (!this.less(i, parent)) break;
			this.swap(i, parent);
			i = parent;
		}
	}
	pop(): string {
		const top = this.items[0]!;
		const last = this.items.pop()!;
		if (this.items.length) {
			this.items[0] = last;
			for (let i = 0; ;) {
				const l = 2 * i + 1;
				const r = l + 1;
				let m = i;
				if (l < this.items.length && this.less(l, m)) m = l;
				if (r < this.items.length && this.less(r, m)) m = r;
				if (m === i) break;
				this.swap(i, m);
				i = m;
			}
		}
		return top.text;
	}
}

function* dirtyMaster(
	calls: Iterable<SyntheticCall>,
	options: GeneratorOptions,
	truth?: Truth,
	row: (leg: Leg, sequence: number) => string = cdrRow
): Generator<string> {
	const dirt = options.dirt ?? {};
	const random = dirtRandom(options.seed);
	const rows = new RowHeap();
	let sequence = 0;
	let channels = 0;
	let ivrCalls = 0;
	const hex = () => (++channels).toString(16).padStart(8, '0');
	const put = (legs: Leg[]) => {
		for (const leg of legs) rows.push({ end: leg.end, seq: ++sequence, text: row(leg, sequence) });
		if (truth) truth.records += legs.length;
		add(truth, 'merged:legs', legs.length - 1);
	};
	for (const c of calls) {
		// Rows of this call and later ones end at or after its arrival: everything ended before is final.
		while (rows.size && rows.peekEnd() <= c.arrival) yield rows.pop();
		const d = DEPARTMENTS.indexOf(c.department);
		const dst = `800${d + 1}`;
		const answered = c.answer !== null;
		const trunk = `SIP/trunk-${hex()}`;
		const leg = (over: Partial<Leg>): Leg => ({
			dst,
			dcontext: 'from-pstn',
			channel: trunk,
			dstchannel: '',
			lastapp: 'Queue',
			lastdata: 'cards',
			start: c.arrival,
			answer: null,
			end: c.end,
			disposition: 'NO ANSWER',
			uniqueid: c.call_id,
			linkedid: c.call_id,
			...over
		});
		const phone = (agent: string) => `SIP/${agent}-${hex()}`;
		// Other members of the department (not the answering agent, no one twice).
		const taken = new Set<string>(c.agent ? [c.agent] : []);
		const member = () => {
			for (;;) {
				const agent = `S${d + 1}-${String(random.between(1, AGENTS_PER_DEPARTMENT[d]!)).padStart(3, '0')}`;
				if (!taken.has(agent)) {
					taken.add(agent);
					return agent;
				}
			}
		};
		const answering = () => leg({ dstchannel: phone(c.agent!), answer: c.answer, disposition: 'ANSWERED' });
		const waited = (answered ? c.answer! : c.end) - c.arrival;
		let legs: Leg[];
		if (random.chance(dirt.ringGroups)) {
			const phones = random.between(2, 4);
			const others = Array.from({ length: answered ? phones - 1 : phones }, member);
			const ringing = others.map((agent) => leg({ dstchannel: phone(agent), lastapp: 'Dial', end: answered ? c.answer! : c.end }));
			if (answered)
				ringing.splice(random.between(0, ringing.length), 0, leg({ dstchannel: phone(c.agent!), lastapp: 'Dial', answer: c.answer, disposition: 'ANSWERED' }));
			const dialled = [...(answered ? [c.agent!] : []), ...others].map((a) => `SIP/${a}`).join('&');
			legs = ringing.map((l) => ({ ...l, lastdata: `${dialled},20` }));
		} else if (random.chance(dirt.queueAttempts) && waited >= 1) {
			const tries = Math.min(waited, random.between(1, 3));
			const attempts = Array.from({ length: tries }, (_, i) =>
				leg({ dstchannel: phone(member()), start: c.arrival + Math.floor((i * waited) / tries), end: c.arrival + Math.floor(((i + 1) * waited) / tries) })
			);
			legs = [answered ? answering() : leg({}), ...attempts];
		} else legs = [answered ? answering() : leg({})];
		if (answered && random.chance(dirt.transfers)) {
			const to = member();
			const answer = c.end + random.between(2, 15);
			legs.push(
				leg({
					dcontext: 'from-internal',
					dst: to,
					dstchannel: phone(to),
					lastapp: 'Dial',
					lastdata: `SIP/${to},20`,
					start: c.end,
					answer,
					end: answer + random.between(20, 300),
					disposition: 'ANSWERED',
					uniqueid: `${c.call_id}.2`
				})
			);
		}
		put(legs);
		truth?.calls.push({
			call_id: c.call_id,
			queue: dst,
			agent: answered ? `SIP/${c.agent}` : null,
			outcome: answered ? 'answered' : 'abandoned',
			wait_s: waited,
			talk_s: answered ? c.end - c.answer! : null
		});
		if (random.chance(dirt.ivrCalls)) {
			const id = `SYN-IVR-${String(++ivrCalls).padStart(7, '0')}`;
			const start = c.arrival + random.between(0, 59);
			const end = start + random.between(5, 90);
			const app = random.pick(['Playback', 'BackGround']);
			put([
				leg({
					dst: 's',
					dcontext: 'ivr-main',
					channel: `SIP/trunk-${hex()}`,
					lastapp: app,
					lastdata: app === 'Playback' ? 'custom/closed' : 'custom/main-menu',
					start,
					answer: start,
					end,
					disposition: 'ANSWERED',
					uniqueid: id,
					linkedid: id
				})
			]);
			truth?.calls.push({ call_id: id, queue: 's', agent: null, outcome: 'other', wait_s: end - start, talk_s: null });
		}
	}
	while (rows.size) yield rows.pop();
}

/**
 * The FreePBX "CDR Reports" page's CSV download (docs/pbx-exports.md, "FreePBX"): the cdr
 * module's 26-column header; each row the `cdr` table's columns the page selects, so
 * `recordingfile`, `linkedid`, `peeraccount` and `sequence` are left empty; `amaflags` as the
 * table's number; PHP's fputcsv quoting (a field in quotes when it holds a space, a comma, a
 * quote, a tab or a line break); rows by `calldate`, newest first (the page's default order).
 */
export const FREEPBX_REPORT_HEADER =
	'calldate,clid,src,dst,dcontext,channel,dstchannel,lastapp,lastdata,duration,billsec,disposition,amaflags,accountcode,uniqueid,userfield,did,cnum,cnam,outbound_cnum,outbound_cnam,dst_cnam,recordingfile,linkedid,peeraccount,sequence';

const fputcsv = (s: string) => (/[ ,"\t\r\n\\]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

function reportRow(leg: Leg): string {
	const fields = [
		clock(leg.start),
		'"synthetic" <0>',
		'synthetic',
		leg.dst,
		leg.dcontext,
		leg.channel,
		leg.dstchannel,
		leg.lastapp,
		leg.lastdata,
		String(leg.end - leg.start),
		String(leg.answer === null ? 0 : leg.end - leg.answer),
		leg.disposition,
		'3',
		'',
		leg.uniqueid,
		'synthetic',
		...Array<string>(10).fill('')
	];
	return fields.map(fputcsv).join(',') + '\n';
}

function* freepbxReport(calls: Iterable<SyntheticCall>, options: GeneratorOptions, truth?: Truth): Generator<string> {
	yield FREEPBX_REPORT_HEADER + '\n';
	// The calldate leads each row in a fixed form: sorting the rows sorts by it (stable for equal ones).
	const rows = [...dirtyMaster(calls, options, truth, reportRow)];
	const calldate = (row: string) => row.slice(0, 21);
	yield* rows.sort((a, b) => (calldate(a) < calldate(b) ? 1 : calldate(a) > calldate(b) ? -1 : 0));
}
