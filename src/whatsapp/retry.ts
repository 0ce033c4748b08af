/**
 * Delay before reconnect attempt `attempt` (1-based): 2 s, 4 s, 8 s, ... capped at 60 s,
 * with ±20% jitter so several bridges do not retry in lockstep. Never gives up: a laptop
 * that was offline for an hour should reconnect by itself when the network returns.
 */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(60_000, 2_000 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}
