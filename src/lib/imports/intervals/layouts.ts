import type { IntervalField, SlBase } from './fields';

/**
 * The interval exports holdline knows by name, with the column names their documentation gives
 * (docs/intervals.md cites each source). A vendor is told by a few of its own names; the rest of
 * its columns are read by the generic rules (names.ts), which know the vendors' names too.
 */
export type IntervalLayoutId = 'generic' | 'cms' | 'uccx' | 'genesys' | 'connect';
export const INTERVAL_LAYOUTS: IntervalLayoutId[] = ['generic', 'cms', 'uccx', 'genesys', 'connect'];

export interface IntervalVendor {
	id: IntervalLayoutId;
	/** Loose names (lower case, spaces collapsed) all of which the header holds. */
	signature: string[];
	/** The denominator of the stated service level, where the vendor's documentation says it; else asked. */
	slBase: SlBase | null;
	/** The header the generator writes (the documented names), field by field. */
	header: [string, IntervalField][];
	delimiter: string;
	/** How the generator writes durations: `h:mm:ss` (whole seconds) or seconds with two decimals. */
	durations: 'clock' | 'seconds';
	/** How the generator writes percentages. */
	percent: 'sign' | 'fraction' | 'number';
	/** How the generator writes the time: one start column, or date and time columns. */
	time: 'start' | 'date+time';
}

export const INTERVAL_VENDORS: Record<IntervalLayoutId, IntervalVendor> = {
	// The layout of the issue's file: a semicolon-separated export with Chinese platforms' English names.
	generic: {
		id: 'generic',
		signature: [],
		slBase: null,
		delimiter: ';',
		durations: 'clock',
		percent: 'sign',
		time: 'date+time',
		header: [
			['Date', 'date'],
			['Interval', 'time'],
			['Queue', 'queue'],
			['Incoming Calls', 'offered'],
			['Answered Calls', 'answered'],
			['Answer Rate', 'unused'],
			['Abandoned Calls', 'abandoned'],
			['Answer Speed (AVG)', 'asa'],
			['Talk Duration (AVG)', 'talk_avg'],
			['Waiting Time (AVG)', 'unused'],
			['Service Level (20 Seconds)', 'sl_pct']
		]
	},
	// Avaya CMS / BCMS split (skill) interval report: ACD Calls, Aban Calls, Avg Speed Ans, Avg ACD Time,
	// Avg ACW Time, % Within Service Level, Avg Pos Staff. The service level counts completed (answered) calls.
	cms: {
		id: 'cms',
		signature: ['acd calls', 'avg speed ans'],
		slBase: 'answered',
		delimiter: ',',
		durations: 'clock',
		percent: 'number',
		time: 'date+time',
		header: [
			['Split/Skill', 'queue'],
			['Date', 'date'],
			['Time', 'time'],
			['ACD Calls', 'answered'],
			['Aban Calls', 'abandoned'],
			['Avg Speed Ans', 'asa'],
			['Avg Aban Time', 'abandon_wait_avg'],
			['Avg ACD Time', 'talk_avg'],
			['Avg ACW Time', 'wrap_avg'],
			['% Within Service Level', 'sl_pct']
		]
	},
	// Cisco Unified CCX, Contact Service Queue Activity Report (by Interval).
	uccx: {
		id: 'uccx',
		signature: ['calls presented', 'calls handled'],
		slBase: 'answered',
		delimiter: ',',
		durations: 'clock',
		percent: 'sign',
		time: 'start',
		header: [
			['Interval Start Time', 'start'],
			['CSQ Name', 'queue'],
			['Calls Presented', 'offered'],
			['Calls Handled', 'answered'],
			['Calls Abandoned', 'abandoned'],
			['Avg Speed of Answer', 'asa'],
			['Avg Handle Time', 'aht'],
			['Service Level (sec)', 'sl_threshold'],
			['Percentage of Service Level Met - Only Handled', 'sl_pct']
		]
	},
	// Genesys Cloud, Queues Performance view export. Service Level % = answered within target /
	// (answered + abandoned) with the default options: offered, in holdline's terms.
	genesys: {
		id: 'genesys',
		signature: ['offer', 'answer', 'abandon'],
		slBase: 'offered',
		delimiter: ',',
		durations: 'seconds',
		percent: 'fraction',
		time: 'start',
		header: [
			['Interval Start', 'start'],
			['Queue', 'queue'],
			['Offer', 'offered'],
			['Answer', 'answered'],
			['Abandon', 'abandoned'],
			['ASA', 'asa'],
			['AHT', 'aht'],
			['Service Level %', 'sl_pct']
		]
	},
	// Amazon Connect historical metrics report (the metrics' UI names).
	connect: {
		id: 'connect',
		signature: ['contacts queued', 'contacts handled'],
		slBase: null,
		delimiter: ',',
		durations: 'seconds',
		percent: 'number',
		time: 'start',
		header: [
			['Queue', 'queue'],
			['StartInterval', 'start'],
			['Contacts queued', 'offered'],
			['Contacts handled', 'answered'],
			['Contacts abandoned', 'abandoned'],
			['Average queue answer time', 'asa'],
			['Average handle time', 'aht'],
			['After contact work time', 'wrap_avg'],
			['Average queue abandon time', 'abandon_wait_avg'],
			['Service level 20 seconds', 'sl_pct']
		]
	}
};

/** A header's loose form: lower case, spaces and underscores collapsed, trimmed. */
export const looseHeader = (name: string) =>
	name
		.replace(/^\uFEFF/, '')
		.toLowerCase()
		.replace(/[\s_]+/g, ' ')
		.trim();

/** The vendor whose names the header holds (generic when none). */
export function vendorOf(columns: string[]): IntervalLayoutId {
	const loose = new Set(columns.map(looseHeader));
	for (const id of INTERVAL_LAYOUTS) {
		const vendor = INTERVAL_VENDORS[id];
		if (vendor.signature.length && vendor.signature.every((name) => loose.has(name))) return id;
	}
	return 'generic';
}
