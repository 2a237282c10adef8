import type { ChildProcess } from "node:child_process";

/**
 * Kills `child` (with `kill`, e.g. its whole process group) when this process exits, so a timed-out test
 * or an interrupted benchmark leaves no node or gateway behind. Forgotten once the child exits.
 * @example killWithParent(child, () => process.kill(-child.pid!, "SIGKILL"));
 */
export function killWithParent(child: ChildProcess, kill: () => void = () => child.kill("SIGKILL")): void {
  const reap = () => {
    try {
      kill();
    } catch {
      // already gone
    }
  };
  process.once("exit", reap);
  child.once("exit", () => process.off("exit", reap));
}
