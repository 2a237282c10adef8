/** Refuses to start on a taken port, naming the port and who wanted it. */
import { existsSync, readFileSync } from "node:fs";
import { freePort, isPortFree } from "../freePort";

/** A port the stack needs is taken. */
export class PortTakenError extends Error {
  override readonly name = "PortTakenError";
  constructor(
    readonly port: number,
    readonly purpose: string,
    hint: string,
  ) {
    super(`port ${port} (${purpose}) is taken; ${hint}`);
  }
}

/** The pid in `pidFile` when that process still runs. */
function leftoverPid(pidFile: string | undefined): number | undefined {
  if (!pidFile || !existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, "utf8").trim());
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

/**
 * Throws a {@link PortTakenError} for the first of `ports` something already listens on. `chainPidFile`
 * names an anvil left by an earlier run that was killed hard, so the message can say which process to stop.
 * @example await assertPortsFree("127.0.0.1", [{ port: 7100, purpose: "chain" }], { chainPidFile });
 */
export async function assertPortsFree(
  host: string,
  ports: readonly { port: number; purpose: string }[],
  options: { chainPidFile?: string } = {},
): Promise<void> {
  for (const { port, purpose } of ports) {
    if (await isPortFree(port, host)) continue;
    const pid = leftoverPid(options.chainPidFile);
    const hint =
      pid !== undefined
        ? `an anvil of an earlier run (pid ${pid}) may still hold it: stop it with \`kill -INT ${pid}\` (it saves its state), or choose other ports with --port-base / MLAT_PORT_BASE`
        : "choose other ports with --port-base N (or MLAT_PORT_BASE): the chain takes N, the gateways N+1..N+3";
    throw new PortTakenError(port, purpose, hint);
  }
}

/**
 * A port base whose four ports are free, below Linux's ephemeral range (32768+) so that no outgoing
 * connection grabs one of them between this check and the moment a gateway listens (tests, measurements).
 * @example const portBase = await freePortBase();
 */
export function freePortBase(host = "127.0.0.1"): Promise<number> {
  return freePort(host, 4);
}
