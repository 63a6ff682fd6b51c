import type { Lang } from '$lib/i18n/messages';
import type { ServiceSettings, SlVariant } from './service';

/**
 * Each service measure's definition in words, in both languages, beside the measures
 * (`serviceMeasures` in service.ts writes their SQL): the report's definitions and the command
 * line's JSON read them here, and nowhere else holds a copy. Placeholders: {t} = T, {s} = S,
 * {base} = the service level's denominator under the abandon treatment.
 */
interface Words {
	zh: string;
	en: string;
}

const MEASURES = {
	volume: { zh: '数据中的每一通电话', en: 'every call in the data' },
	offered: {
		zh: '进入队列（分配给座席）的电话：已接听 + 放弃 + 未接（不含在 IVR 中结束的电话）',
		en: 'calls offered to agents: answered + abandoned + unanswered (not calls that ended in the IVR)'
	},
	answered: { zh: '座席接起的电话（包括接起后中断的）', en: 'calls an agent answered (including ones cut off afterwards)' },
	abandoned: { zh: '来电者在等待中挂断的电话', en: 'calls whose caller hung up while waiting' },
	unanswered: {
		zh: '进入队列但既未接听、也不是来电者在等待中挂断的电话（超时、忙、失败）',
		en: 'offered calls that ended without an answer or a hang-up while waiting (timed out, busy, failed)'
	},
	short_abandoned: { zh: '等待不到 {s} 秒就放弃的电话', en: 'abandons after waiting less than {s} s' },
	answered_within: { zh: '等待不超过 {t} 秒即接听的电话', en: 'answered calls that waited at most {t} s' },
	service_level: { zh: '{t} 秒内接听 / {base}', en: 'answered within {t} s / {base}' },
	asa_s: { zh: '已接听电话的平均等待时长（秒）', en: 'mean wait of answered calls, seconds' },
	aht_s: {
		zh: '已接听电话的通话 + 保持 + 话后处理的平均时长（秒；保持与话后处理按数据中有的部分）',
		en: 'mean talk + hold + wrap-up of answered calls, seconds (hold and wrap-up where the data has them)'
	},
	abandon_rate: { zh: '放弃 / 进入队列（含短放弃）', en: 'abandoned / offered (short abandons included)' }
} satisfies Record<string, Words>;

/** The abandon rate when short abandons are left out (`exclude_short`). */
const ABANDON_RATE_SHORT: Words = {
	zh: '（放弃 − 短放弃）/（进入队列 − 短放弃），短放弃 = 不到 {s} 秒',
	en: '(abandoned − short abandons) / (offered − short abandons), short = under {s} s'
};

/** The service level's denominator per abandon treatment ({base}). */
const BASE: Record<SlVariant, Words> = {
	count: { zh: '进入队列的电话', en: 'offered calls' },
	exclude: { zh: '已接听的电话（放弃不计）', en: 'answered calls (abandons left out)' },
	exclude_short: { zh: '进入队列的电话减去短放弃（不到 {s} 秒）', en: 'offered calls less short abandons (under {s} s)' }
};

/**
 * The callers' measures (`metrics/callers.ts`), defined apart from the service measures above:
 * they need the caller's number, which not every dataset has.
 */
const CALLER_MEASURES = {
	// A proxy for first-contact resolution (1 − rate).
	repeat_rate_24h: {
		zh: '24 小时内同一号码再次来电的电话 / 有来电号码的电话（号码按其数字比较；匿名、无号码的电话不计）',
		en: 'calls whose number called again within 24 h / calls with a caller number (numbers compared by their digits; anonymous calls and calls without a number left out)'
	},
	repeat_rate_7d: {
		zh: '7 天内同一号码再次来电的电话 / 有来电号码的电话',
		en: 'calls whose number called again within 7 days / calls with a caller number'
	}
} satisfies Record<string, Words>;

export type CallerMeasure = keyof typeof CALLER_MEASURES;

/** The callers' measures' definitions in `lang` (English for the command line's JSON). */
export function callerDefinitions(lang: Lang = 'en'): Record<CallerMeasure, string> {
	return Object.fromEntries(Object.entries(CALLER_MEASURES).map(([m, words]) => [m, inLang(words, lang)])) as Record<CallerMeasure, string>;
}

export type DefinedMeasure = keyof typeof MEASURES;
export const DEFINED_MEASURES = Object.keys(MEASURES) as DefinedMeasure[];

const inLang = (words: Words, lang: Lang) => (lang === 'en' ? words.en : words.zh);

/** Each measure's definition under these settings, in `lang` (English for the command line's JSON). */
export function metricDefinitions(settings: ServiceSettings, lang: Lang = 'en'): Record<DefinedMeasure, string> {
	const fill = (text: string): string =>
		text.replace(/\{(\w+)\}/g, (whole, name: string) =>
			name === 't'
				? String(settings.thresholdS)
				: name === 's'
					? String(settings.shortAbandonS)
					: name === 'base'
						? fill(inLang(BASE[settings.variant], lang))
						: whole
		);
	const words = (measure: DefinedMeasure): Words =>
		measure === 'abandon_rate' && settings.variant === 'exclude_short' ? ABANDON_RATE_SHORT : MEASURES[measure];
	return Object.fromEntries(DEFINED_MEASURES.map((m) => [m, fill(inLang(words(m), lang))])) as Record<DefinedMeasure, string>;
}

/**
 * The agents' measures from a queue_log's agent events (`agent-states.ts`; every rule in
 * docs/metrics.md, "Agent states and occupancy"), in both languages: the report defines them
 * where it has its agents table.
 */
const AGENT_MEASURES = {
	logged_in_s: {
		zh: '座席员加入任一队列（ADDMEMBER / AGENTLOGIN）到退出（REMOVEMEMBER / AGENTLOGOFF）之间的时长，及其通话、振铃时长',
		en: 'time from joining any queue (ADDMEMBER / AGENTLOGIN) to leaving it (REMOVEMEMBER / AGENTLOGOFF), and any time ringing or on a call'
	},
	wrap_s: {
		zh: '每通电话结束后按设置的话后处理秒数（queue_log 不记录），在座席员的下一条事件时截止',
		en: 'the wrap-up seconds set for the queue after each call (queue_log does not log them), cut short by the agent’s next event'
	},
	paused_s: { zh: 'PAUSE 到 UNPAUSE 之间的时长，按 PAUSE 的原因（data1）分列', en: 'time from PAUSE to UNPAUSE, by the reason PAUSE gives (data1)' },
	idle_s: { zh: '空闲 + 振铃：已登录、未暂停、不在通话或话后处理中', en: 'available + ringing: logged in, not paused, on no call and in no wrap-up' },
	occupancy: {
		zh: '（通话 + 话后处理）÷（空闲 + 振铃 + 通话 + 话后处理）；没有空闲时长时不计',
		en: '(talk + wrap-up) ÷ (available + ringing + talk + wrap-up); none without available time'
	},
	ring_no_answer: { zh: '期间内该座席员的 RINGNOANSWER 事件数', en: 'the agent’s RINGNOANSWER events in the period' }
} satisfies Record<string, Words>;

export type AgentMeasure = keyof typeof AGENT_MEASURES;
export const AGENT_MEASURE_NAMES = Object.keys(AGENT_MEASURES) as AgentMeasure[];

/** Each agent measure's definition in `lang`. */
export function agentDefinitions(lang: Lang = 'en'): Record<AgentMeasure, string> {
	return Object.fromEntries(AGENT_MEASURE_NAMES.map((m) => [m, inLang(AGENT_MEASURES[m], lang)])) as Record<AgentMeasure, string>;
}
