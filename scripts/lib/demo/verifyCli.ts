/** A verifier's check of a delivered file with the `mlat verify` command, as a court would run it. */
import { spawn } from "node:child_process";
import { join } from "node:path";

/** What `mlat verify` said. */
export interface CliVerdict {
  /** 0 verified, 1 not verified, 2 usage or input error. */
  exitCode: number;
  output: string;
  /** The command line, to show and to rerun by hand. */
  command: string;
}

const MLAT = join(__dirname, "..", "..", "..", "bin", "mlat.js");

/**
 * Runs `mlat verify FILE --bundle BUNDLE --rpc URL` (the bundle checked against the chain as well).
 * @example const v = await runMlatVerify({ file, bundleFile, rpcUrl }); v.exitCode === 0
 */
export function runMlatVerify(p: { file: string; bundleFile: string; rpcUrl: string }): Promise<CliVerdict> {
  const args = ["verify", p.file, "--bundle", p.bundleFile, "--rpc", p.rpcUrl];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MLAT, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.once("error", reject);
    child.once("exit", (code, signal) =>
      resolve({ exitCode: code ?? (signal ? 128 : 1), output, command: `node bin/mlat.js ${args.join(" ")}` }),
    );
  });
}
