/**
 * How long a test waits for something that must happen (a server to answer, a model to swap in):
 * minutes, so that a slow or busy machine never fails a test; only a hang does.
 */
export const PATIENCE_MS = 5 * 60_000;

/**
 * Polls `probe` until it returns something other than undefined or false, and returns that.
 * Throws, naming `what`, when `timeoutMs` passes first.
 */
export async function waitUntil<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  { timeoutMs = PATIENCE_MS, intervalMs = 50 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`gave up after ${timeoutMs / 1000}s: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
