/** Progress output of the demo: numbered steps and polling that says what it waits for. */

/** Where the demo writes its lines. */
export type Say = (line: string) => void;

/** Megabytes, one decimal. */
export const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;

/**
 * Polls `probe` every `intervalMs` until it returns a value, saying what it waits for every 5 s;
 * gives up after `timeoutMs` with an error naming `what`.
 * @example const held = await waitFor(say, "the US gateway to receive the ciphertext", async () => …);
 */
export async function waitFor<T>(
  say: Say,
  what: string,
  probe: () => Promise<T | undefined>,
  options: { intervalMs?: number; timeoutMs?: number } = {},
): Promise<T> {
  const started = Date.now();
  const timeoutMs = options.timeoutMs ?? 300_000;
  let lastSaid = started;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      lastError = e;
    }
    const now = Date.now();
    if (now - started > timeoutMs) {
      const why = lastError instanceof Error ? ` (last error: ${lastError.message})` : "";
      throw new Error(`gave up waiting for ${what} after ${Math.round(timeoutMs / 1000)} s${why}`);
    }
    if (now - lastSaid >= 5000) {
      say(`      … still waiting for ${what} (${Math.round((now - started) / 1000)} s)`);
      lastSaid = now;
    }
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 200));
  }
}
