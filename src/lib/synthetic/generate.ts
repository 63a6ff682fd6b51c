import { randomExponential, randomInt, randomLcg, randomLogNormal, randomUniform } from 'd3';

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
const CALLS_PER_DAY = 20_000;

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

	let made = 0;
	for (let day = 0; made < options.rows; day++) {
		const today = Math.min(CALLS_PER_DAY, options.rows - made);
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
				yield { call_id, department: DEPARTMENTS[d]!, agent: null, arrival, answer: null, end: arrival + patient, wait_s: patient, talk_s: null, hold_s: null, wrap_s: null, outcome: 'abandoned' };
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
		lines.push(`${c.end}|${c.call_id}|${queue}|${c.agent}|${c.outcome === 'interrupted' ? 'COMPLETEAGENT' : 'COMPLETECALLER'}|${c.wait_s}|${c.end - c.answer}|1`);
	}
	return lines;
}

/** An Asterisk Master.csv line (no header). */
export function masterCsvLine(c: SyntheticCall): string {
	const q = (s: string) => `"${s}"`;
	const answered = c.answer !== null;
	return [
		q(''), q('synthetic'), q(`${8000 + DEPARTMENTS.indexOf(c.department) + 1}`), q('from-pstn'), q('"synthetic" <0>'),
		q(`SIP/trunk-${c.call_id}`), q(answered ? `SIP/${c.agent}-${c.call_id}` : ''), q('Queue'), q('cards'),
		q(clock(c.arrival)), q(answered ? clock(c.answer!) : ''), q(clock(c.end)),
		c.end - c.arrival, answered ? c.end - c.answer! : 0, q(answered ? 'ANSWERED' : 'NO ANSWER'), q('DOCUMENTATION'), q(c.call_id), q('synthetic')
	].join(',');
}
