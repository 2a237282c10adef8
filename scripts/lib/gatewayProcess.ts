import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { killWithParent } from "./killWithParent";
import { GATEWAY_MALLOC_ENV } from "./mallocEnv";
import { CONFIG_ENV } from "../../gateway/src/config/loadConfig";
import type { GatewayConfig, GatewayConfigInput } from "../../gateway/src/config/schema";

/** A gateway running as its own process (`gateway/src/main.ts`), to be killed for real. */
export interface GatewayProcess {
  url: string;
  child: ChildProcess;
  /** SIGKILL: no cleanup, no flush — a power cut. */
  kill(): Promise<void>;
  /** SIGTERM and wait for a clean exit. */
  stop(): Promise<void>;
  output(): string;
}

/** The `MLAT_*` environment of a configuration. */
export function configEnv(config: GatewayConfigInput): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) {
    if (value === undefined) continue;
    const name = CONFIG_ENV[key as keyof GatewayConfig];
    env[name] = key === "peers" ? Object.entries(value as Record<string, string>).map(([k, v]) => `${k}=${v}`).join(",") : String(value);
  }
  return env;
}

/** How to run a gateway process. */
export interface GatewayProcessOptions {
  /** Extra Node flags (e.g. `--cpu-prof`). */
  nodeArgs?: string[];
  /**
   * Run the JavaScript `npm run build:gateway` emitted (no TypeScript compiler in the process: about 100 MiB
   * less resident memory, faster start) instead of the sources through ts-node.
   */
  compiled?: boolean;
  /** Extra environment variables (e.g. `MLAT_FAILPOINTS` for a crash test). */
  env?: Record<string, string>;
}

/** The compiled entry point (`npm run build:gateway`). */
export const COMPILED_MAIN = "dist/gateway/src/main.js";

/** A spawned gateway process, not yet known to answer. */
interface Spawned {
  child: ChildProcess;
  url: string;
  output(): string;
  exited: Promise<void>;
}

function spawnGateway(config: GatewayConfigInput, options: GatewayProcessOptions, standby: boolean): Spawned {
  const compiled = options.compiled || standby;
  // A standby loads the gateway's code (most of a start) and runs main.js when a line arrives on stdin.
  const entry = standby
    ? ["-e", `require(process.argv[1].replace(/main\\.js$/, "gateway.js")); process.stdin.once("data", () => { process.stdin.destroy(); require(process.argv[1]); });`, resolve(COMPILED_MAIN)]
    : compiled
      ? [COMPILED_MAIN]
      : ["-r", "ts-node/register/transpile-only", "gateway/src/main.ts"];
  if (compiled && !existsSync(COMPILED_MAIN)) throw new Error(`${COMPILED_MAIN} is missing: run npm run build:gateway first`);
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...entry], {
    env: { ...GATEWAY_MALLOC_ENV, ...process.env, ...configEnv(config), ...(options.env ?? {}), TS_NODE_TRANSPILE_ONLY: "1" },
    stdio: [standby ? "pipe" : "ignore", "pipe", "pipe"],
  });
  // Never outlive the process that started it (a test that times out, a bench that fails).
  killWithParent(child);
  // The last 20 KB of its output (a long-running gateway must not grow this without bound).
  let output = "";
  const keep = (d: Buffer) => (output = (output + d.toString()).slice(-20_000));
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const url = `http://${config.host ?? "127.0.0.1"}:${config.port}`;
  // "close", not "exit": the output streams may still hold the child's last words at "exit".
  const exited = new Promise<void>((r) => child.once("close", () => r()));
  return { child, url, output: () => output, exited };
}

/** Sends `signal` unless the process has already exited, and waits until it has. */
async function signalAndWait({ child, exited }: Pick<Spawned, "child" | "exited">, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  await exited;
}

async function answering({ child, url, output, exited }: Spawned): Promise<GatewayProcess> {
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await exited;
      throw new Error(`the gateway exited at start (${child.signalCode ?? child.exitCode}):\n${output()}`);
    }
    const ok = await fetch(`${url}/v1/info`).then((r) => r.ok, () => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  return {
    url,
    child,
    output,
    kill: () => signalAndWait({ child, exited }, "SIGKILL"),
    stop: () => signalAndWait({ child, exited }, "SIGTERM"),
  };
}

/** Starts `config` as a child process and waits until it answers. */
export async function startGatewayProcess(config: GatewayConfigInput, options: GatewayProcessOptions = {}): Promise<GatewayProcess> {
  return answering(spawnGateway(config, options, false));
}

/** A compiled gateway process with its code loaded, waiting to start (see {standbyGatewayProcess}). */
export interface GatewayStandby {
  /** Starts it (it opens the store, connects, listens) and waits until it answers. */
  start(): Promise<GatewayProcess>;
  /** Kills it unstarted. */
  cancel(): Promise<void>;
}

/**
 * Spawns the compiled gateway of `config` as a standby: it loads its code (most of a start's time) now,
 * and touches nothing — store, blobs, chain, port — until `start()`. A crash test spawns the next
 * process while the current one still runs, so each kill costs only the real start that follows it.
 * @example const next = standbyGatewayProcess(config); await current.kill(); current = await next.start();
 */
export function standbyGatewayProcess(config: GatewayConfigInput, options: GatewayProcessOptions = {}): GatewayStandby {
  const spawned = spawnGateway(config, options, true);
  return {
    start: () => {
      spawned.child.stdin!.write("start\n");
      return answering(spawned);
    },
    cancel: () => signalAndWait(spawned, "SIGKILL"),
  };
}
