/**
 * Delay before retry `attempt` (1-based): exponential from `baseMs`, capped, with ±20 % jitter so that
 * many failed jobs do not retry in lockstep.
 * @example backoffMs(3) // ≈ 2,000 ms
 */
export function backoffMs(attempt: number, baseMs = 500, capMs = 30_000, random: () => number = Math.random): number {
  const exp = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp * (0.8 + 0.4 * random()));
}
