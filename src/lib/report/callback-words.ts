/** A share as a percentage with one decimal, the same in both languages ('—' when unknown). */
export const formatPercentPlain = (share: number | null | undefined): string => (share == null ? '—' : `${(Number(share) * 100).toFixed(1)}%`);
