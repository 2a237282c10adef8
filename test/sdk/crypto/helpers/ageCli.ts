import { spawn, spawnSync } from "node:child_process";

/**
 * The `age` and `age-keygen` commands (Debian package `age`). CI installs them (`.ci/run`); a missing
 * binary fails the interop tests instead of skipping them.
 */
export function requireAgeCli(): { version: string } {
  const r = spawnSync("age", ["--version"], { encoding: "utf8" });
  if (r.error || r.status !== 0) {
    throw new Error(
      "the `age` CLI is not on PATH: install it (`apt-get install -y age`); the interop tests do not skip without it",
    );
  }
  return { version: r.stdout.trim() };
}

/** Runs a command with `input` on stdin; resolves with stdout, stderr and the exit code. */
export function run(cmd: string, args: string[], input?: Uint8Array): Promise<{ stdout: Buffer; stderr: string; code: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.on("error", reject);
    child.on("close", (code) => resolve({ stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString("utf8"), code: code ?? -1 }));
    child.stdin.on("error", () => undefined); // the child may exit before reading everything
    child.stdin.end(input ?? Buffer.alloc(0));
  });
}
