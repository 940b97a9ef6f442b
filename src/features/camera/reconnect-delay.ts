/**
 * Wait before the `attempt`-th try (1-based) to reopen a camera that went away: 1 s, 2 s, 4 s, then every
 * 8 s. A replugged USB camera takes about a second to enumerate again; a camera held by another app may
 * come back at any time, so tries never stop while the user waits on the page.
 */
export function reconnectDelayMs(attempt: number, firstMs = 1000, maxMs = 8000): number {
  return Math.min(maxMs, firstMs * 2 ** Math.max(0, attempt - 1));
}
