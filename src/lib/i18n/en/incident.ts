import type { incident as zh } from '../zh/incident';

/** The incident analysis: calls in progress at an onset and what became of them. Typed from the Chinese: a key missing here fails the type check. */
export const incident: Record<keyof typeof zh, string> = {
	'incident.title': 'Incident window',
	'incident.intro':
		'Pick the moment an incident struck (and optionally when it ended) to see what became of the calls in progress: completed, ended early, and service time after the onset.',
	'incident.onset': 'Onset',
	'incident.end': 'End (optional)',
	'incident.apply': 'Analyse',
	'incident.clear': 'Clear',
	'incident.inProgress': 'Calls in progress at onset',
	'incident.inProgress.detail': '{service} in service, {waiting} waiting',
	'incident.completed': 'In-service calls completed',
	'incident.completed.detail': '{completed} of {service}',
	'incident.endedEarly': 'Ended early',
	'incident.endedEarly.detail': '{interrupted} cut off in service; {waiting} waiting, {answered} of them answered later',
	'incident.after': 'Service after onset (median)',
	'incident.after.detail': 'longest {max}; over 2 minutes: {share}',
	'incident.byQueue.title': 'Calls in progress at onset by department / queue',
	'incident.byQueue.desc': 'Calls in service or waiting in each department or queue when the incident struck.',
	'incident.hist.title': 'Service time after onset',
	'incident.hist.desc': 'How long the calls in service at onset went on after it; the line marks 2 minutes.',
	'incident.afterAxis': 'Service after onset',
	'incident.twoMin': '2 min',
	'incident.none': 'No calls were in progress at that moment.',
	'incident.cannotTell': 'cannot tell',
	'incident.completed.cannotTell': '{format} does not record interrupted calls: the {service} in-service calls end alike whether finished or cut off',
	'incident.waitingEnded': 'Waiting calls ended early',
	'incident.waitingEnded.detail': 'of {waiting} waiting, {answered} answered later; interruptions in service cannot be told from this data',
	'incident.queueDetail': '{completed} of {service} in service completed · {early} ended early',
	'incident.queueDetailCannotTell': '{service} in service (completion cannot be told) · {waiting} waiting, {early} of them ended early'
};
