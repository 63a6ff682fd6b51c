import type { FormatId } from './formats';
import type { AssemblyContext, CallAssembly } from './calls/sql';
import { asteriskCdr } from './calls/asterisk-cdr';
import { bankResearch } from './calls/bank-research';
import { freeswitch } from './calls/freeswitch';
import { grandstream } from './calls/grandstream';
import { mapped } from './calls/mapped';
import { legs } from './calls/legs';
import { queueLog } from './calls/queue-log';

/**
 * The registry of call assemblers, one per format: which rows become one call, and why, is
 * written in each module. Apart from the canonical model (`canonical.ts`), which every
 * assembler imports, so the model does not import them back.
 */
const ASSEMBLERS: Record<FormatId, (ctx: AssemblyContext) => CallAssembly> = {
	'asterisk-cdr': asteriskCdr,
	queue_log: queueLog,
	freeswitch,
	'bank-research': bankResearch,
	grandstream,
	mapped,
	legs
};

/** How a staged (all-text) file of `format` becomes canonical calls. */
export function assembleCalls(format: FormatId, ctx: AssemblyContext): CallAssembly {
	return ASSEMBLERS[format](ctx);
}
