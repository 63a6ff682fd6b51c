/** Staffing: agents needed (Erlang C and A) beside agents seen, per interval. */
export const staffing = {
	'staffing.title': '所需座席员与实际见到的座席员（按时段）',
	'staffing.desc': '柱：数据中每个时段有通话在办理的座席员数；实线：按 Erlang C 达到目标所需人数；虚线：计入放弃（Erlang A）所需人数。',
	'staffing.note':
		'所需人数假定来电为泊松到达、处理时长服从指数分布，用该时段的呼入量和 AHT 计算；见到的座席员只包括该时段有通话在办理的人，空闲的在线座席员在通话记录中看不到。',
	'staffing.patience': '平均耐心时间 {p}（全部排队电话的总等待时长 ÷ 放弃数 {n}）。',
	'staffing.noPatience': '没有放弃记录，无法估计耐心时间：只给出 Erlang C。',
	'staffing.noPatienceWaits': '数据没有给出放弃前的等待时长，无法估计耐心时间：只给出 Erlang C。',
	'staffing.axis': '座席员',
	'staffing.seen': '见到的座席员',
	'staffing.busy': '平均同时忙碌',
	'staffing.neededC': '所需（Erlang C）',
	'staffing.neededA': '所需（Erlang A，计入放弃）',
	'staffing.offered': '呼入量',
	'staffing.aht': 'AHT（秒）',
	'staffing.load': '话务量（Erlang）',
	'staffing.asaC': '所需人数下的 ASA（秒）',
	'staffing.slSeen': '按见到人数的 Erlang C 服务水平',
	'staffing.abandonA': '所需人数下的 Erlang A 放弃率',
	'staffing.line': '{when}：达到 {goal} 需要 {needed} 名座席员（Erlang C），数据中见到 {seen} 名',
	'staffing.line.a': '{when}：达到 {goal} 需要 {needed} 名座席员（Erlang C；计入放弃的 Erlang A 为 {neededA} 名），数据中见到 {seen} 名',
	'staffing.agent': '名座席员',
	'staffing.agents': '名座席员',
	'staffing.line.none': '每个时段见到的座席员都不少于 Erlang C 达到 {goal} 所需的人数。'
};
