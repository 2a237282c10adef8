/**
 * The compiled gateway the crash tests run as child processes (`npm run build:gateway`, `dist/`), built
 * once for every crash test file running in parallel.
 */
import { execFileSync } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, statSync, unlinkSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";

const ROOT = join(__dirname, "..", "..", "..");
const BUILD_LOCK = join(ROOT, "dist", ".crash-build.lock");

/**
 * Compiles the gateway (`npm run build:gateway`, incremental: a few seconds when nothing changed) once for
 * every crash test file running in parallel: the first takes a lock file, the others wait for it.
 */
export function ensureCompiledGateway(): void {
  mkdirSync(dirname(BUILD_LOCK), { recursive: true });
  for (;;) {
    try {
      const fd = openSync(BUILD_LOCK, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch {
      if (stale()) rmSync(BUILD_LOCK, { force: true });
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.build.json"], { cwd: ROOT, stdio: "pipe" });
  } finally {
    unlinkSync(BUILD_LOCK);
  }
}

/** The lock's holder is gone (its pid is dead, or it never wrote one within 30 s). */
function stale(): boolean {
  try {
    const holder = Number(readFileSync(BUILD_LOCK, "utf8"));
    if (holder > 0) return !alive(holder);
    return Date.now() - statSync(BUILD_LOCK).mtimeMs > 30_000;
  } catch {
    return false; // released meanwhile: try again
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
