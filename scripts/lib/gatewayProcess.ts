import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { killWithParent } from "./killWithParent";
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
}

/** The compiled entry point (`npm run build:gateway`). */
export const COMPILED_MAIN = "dist/gateway/src/main.js";

/** Starts `config` as a child process and waits until it answers. */
export async function startGatewayProcess(config: GatewayConfigInput, options: GatewayProcessOptions = {}): Promise<GatewayProcess> {
  const entry = options.compiled ? [COMPILED_MAIN] : ["-r", "ts-node/register/transpile-only", "gateway/src/main.ts"];
  if (options.compiled && !existsSync(COMPILED_MAIN)) throw new Error(`${COMPILED_MAIN} is missing: run npm run build:gateway first`);
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...entry], {
    env: { ...process.env, ...configEnv(config), TS_NODE_TRANSPILE_ONLY: "1" },
    stdio: ["ignore", "pipe", "pipe"],
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
  for (;;) {
    if (child.exitCode !== null) {
      await exited;
      throw new Error(`the gateway exited at start:\n${output}`);
    }
    const ok = await fetch(`${url}/v1/info`).then((r) => r.ok, () => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    child,
    output: () => output,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}
