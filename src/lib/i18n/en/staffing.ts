import type { staffing as zh } from '../zh/staffing';

/** Staffing: agents needed (Erlang C and A) beside agents seen, per interval. Typed from the Chinese: a key missing here fails the type check. */
export const staffing: Record<keyof typeof zh, string> = {
	'staffing.title': 'Agents needed vs seen per interval',
	'staffing.desc':
		'Bars: agents the data shows handling calls in each interval; solid line: agents Erlang C needs for the goal; dashed: the same with abandonment (Erlang A).',
	'staffing.note':
		"Needed assumes Poisson arrivals and exponential handle times, from each interval's offered calls and AHT; agents seen are those with a call in service during the interval (agents logged in but idle leave no trace in call records).",
	'staffing.patience': 'Mean patience {p} (total wait of all queued calls ÷ {n} abandons).',
	'staffing.noPatience': 'No abandons to estimate patience from: Erlang C only.',
	'staffing.noPatienceWaits': 'The data gives no time to abandon to estimate patience from: Erlang C only.',
	'staffing.axis': 'Agents',
	'staffing.seen': 'Agents seen',
	'staffing.busy': 'Agents busy (mean)',
	'staffing.neededC': 'Needed (Erlang C)',
	'staffing.neededA': 'Needed (Erlang A, with abandons)',
	'staffing.offered': 'Offered',
	'staffing.aht': 'AHT (s)',
	'staffing.load': 'Load (Erlangs)',
	'staffing.asaC': 'ASA with needed (s)',
	'staffing.slSeen': 'Erlang C service level with agents seen',
	'staffing.abandonA': 'Erlang A abandonment with needed',
	'staffing.line': '{when}: {needed} {agents} needed for {goal} (Erlang C), {seen} seen',
	'staffing.line.a': '{when}: {needed} {agents} needed for {goal} (Erlang C; {neededA} with abandonment, Erlang A), {seen} seen',
	'staffing.agent': 'agent',
	'staffing.agents': 'agents',
	'staffing.line.none': 'Every interval had at least the agents Erlang C needs for {goal}.'
};
