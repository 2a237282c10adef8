/**
 * anvil (npm `@foundry-rs/anvil`) as a child process that keeps its chain in a state file: loaded at
 * start when it exists, dumped every `stateIntervalSeconds` and on a clean exit (SIGINT/SIGTERM).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const ARCH: Partial<Record<string, string>> = { x64: "amd64", arm64: "arm64" };

/** A running anvil. */
export interface AnvilNode {
  url: string;
  pid: number;
  /** What anvil printed so far (for error messages). */
  output(): string;
  /** Resolves when anvil has exited, for whatever reason. */
  exited: Promise<void>;
  /** SIGINT (anvil dumps its state file on it) and wait for the exit. */
  stop(): Promise<void>;
  /** SIGKILL: no dump — only what the last interval dump saved survives. */
  kill(): Promise<void>;
}

/** Options of {@link startAnvil}. */
export interface StartAnvilParameters {
  port: number;
  host?: string;
  /** The state file (`--state`); absent: nothing kept. */
  stateFile?: string;
  /** Dump the state this often as well as on exit (`--state-interval`); default 5. */
  stateIntervalSeconds?: number;
  /** Chain id; default anvil's 31337. */
  chainId?: number;
  /** Funded development accounts; default 20 (a local consortium uses accounts 0–12; anvil funds 10 unless told). */
  accounts?: number;
  /** Extra anvil arguments (e.g. `["--block-time", "1"]`). */
  extraArgs?: readonly string[];
}

/** The anvil binary of the installed platform package (the npm shim only forwards to it). */
export function anvilBinary(): string {
  const root = join(__dirname, "..", "..", "..");
  const req = createRequire(join(root, "package.json"));
  const arch = ARCH[process.arch];
  const exe = process.platform === "win32" ? "anvil.exe" : "anvil";
  if (arch) {
    try {
      const bin = req.resolve(`@foundry-rs/anvil-${process.platform}-${arch}/bin/${exe}`);
      if (existsSync(bin)) return bin;
    } catch {
      // not installed for this platform: fall back to the shim, which forwards SIGINT/SIGTERM
    }
  }
  const shim = join(root, "node_modules", ".bin", exe);
  if (existsSync(shim)) return shim;
  throw new Error("anvil is not installed: run `npm ci` (devDependency @foundry-rs/anvil)");
}

/**
 * Starts anvil and waits until it answers JSON-RPC; rejects with anvil's output if it exits first.
 * @example const node = await startAnvil({ port: 8545, stateFile: ".data/chain/state.json" }); …; await node.stop();
 */
export async function startAnvil(p: StartAnvilParameters): Promise<AnvilNode> {
  const host = p.host ?? "127.0.0.1";
  const args = ["--host", host, "--port", String(p.port), "--chain-id", String(p.chainId ?? 31337), "--accounts", String(p.accounts ?? 20)];
  if (p.stateFile) args.push("--state", p.stateFile, "--state-interval", String(p.stateIntervalSeconds ?? 5));
  args.push(...(p.extraArgs ?? []));
  // Its own process group: a Ctrl-C in the terminal reaches only our process, which stops the gateways
  // before it asks anvil to save its state and exit.
  const child: ChildProcess = spawn(anvilBinary(), args, { stdio: ["ignore", "pipe", "pipe"], detached: true });
  let output = "";
  const keep = (d: Buffer) => {
    output = (output + d.toString()).slice(-20_000);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  // Never outlive the process that started it: a hard exit of the parent kills the chain (its last interval dump stays).
  const reap = () => child.kill("SIGKILL");
  process.once("exit", reap);
  child.once("exit", () => process.off("exit", reap));
  const url = `http://${host}:${p.port}`;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`anvil exited at start:\n${output.trim()}`);
    if (await answers(url)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    url,
    pid: child.pid!,
    exited,
    output: () => output,
    stop: async () => {
      if (running()) child.kill("SIGINT");
      await exited;
    },
    kill: async () => {
      if (running()) child.kill("SIGKILL");
      await exited;
    },
  };
}

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
    });
    return res.ok;
  } catch {
    return false;
  }
}
