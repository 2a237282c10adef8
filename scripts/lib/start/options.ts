/** Command-line options and environment of `npm start` and `npm run demo`. */
import { parseArgs, UsageError } from "../args";

export const DEFAULT_DATA_DIR = ".data";
export const DEFAULT_PORT_BASE = 7100;

/** What `npm start` runs with. */
export interface StartOptions {
  dataDir: string;
  portBase: number;
}

/**
 * `--data-dir DIR` (`MLAT_DATA_DIR`, default `.data`) and `--port-base N` (`MLAT_PORT_BASE`, default 7100);
 * a flag wins over its variable. Throws a `UsageError` naming the bad value.
 * @example startOptions(["--port-base", "7200"], process.env) // { dataDir: ".data", portBase: 7200 }
 */
export function startOptions(argv: readonly string[], env: NodeJS.ProcessEnv): StartOptions {
  const args = parseArgs(argv, { values: ["data-dir", "port-base"] });
  const base = stringOf(args["port-base"]) ?? env.MLAT_PORT_BASE ?? String(DEFAULT_PORT_BASE);
  const portBase = Number(base);
  if (!/^\d+$/.test(base) || portBase < 1 || portBase > 65532) {
    throw new UsageError(`--port-base / MLAT_PORT_BASE takes a port from 1 to 65532 (the stack uses four), not "${base}"`);
  }
  return { dataDir: dataDirOf(args, env), portBase };
}

/** `--data-dir` or `MLAT_DATA_DIR` or `.data`. */
export function dataDirOf(args: Record<string, string | true>, env: NodeJS.ProcessEnv): string {
  return stringOf(args["data-dir"]) ?? (env.MLAT_DATA_DIR || DEFAULT_DATA_DIR);
}

function stringOf(v: string | true | undefined): string | undefined {
  return typeof v === "string" ? v : undefined;
}
