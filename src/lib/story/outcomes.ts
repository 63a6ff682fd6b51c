/** The story's outcome codes (data/README.md), apart from its CSV so the command line can read them. */
export const OUTCOMES = ['completed', 'ended_by_customer', 'interrupted_by_evacuation', 'callback_advised', 'unknown'] as const;
export type Outcome = (typeof OUTCOMES)[number];
