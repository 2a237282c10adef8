import { writeSync } from "node:fs";
import { GatewayError } from "./http/errors";

/**
 * Failpoints: named places where the gateway's crash windows are, so a test can crash the process at
 * exactly that moment and prove that nothing acknowledged is lost and nothing is done twice.
 *
 * Test-only and inert: they are armed only by the `MLAT_FAILPOINTS` environment variable when the
 * gateway process starts (`main.ts`); unset, each {failpoint} call is one comparison and changes nothing.
 * Order of the names below: the life of a write, from its bytes to its anchor.
 */
export const FAILPOINTS = {
  "blob.afterRename": "a blob is in place (temp file fsynced, renamed, directory fsynced); no record refers to it yet",
  "evidence.afterBlobs": "an upload's payload and manifest blobs are in place; the transaction that records them has not run",
  "intent.afterCommit": "a prepared call is committed with its records (documents, audit entry); the client has no answer yet",
  "signature.afterCommit": "a signature and its relay job are committed; no 202 yet, the outbox worker not woken",
  "outbox.afterClaim": "outbox jobs are leased (status running); their handler has not started",
  "tx.beforeBroadcast": "a relayer transaction's hash is stored; the transaction is not broadcast",
  "tx.afterBroadcast": "a relayer transaction is broadcast; its receipt has not been seen",
  "relay.afterReceipt": "a relayed batch is mined and its receipt seen; its intents are not marked",
  "outbox.beforeComplete": "a job handler finished (its effects happened); the jobs are not marked done or retried",
} as const;

/** The name of a failpoint. */
export type FailpointName = keyof typeof FAILPOINTS;

/** What an armed failpoint does when its hit comes: SIGKILL the process, or throw {FailpointError}. */
export type FailpointAction = "kill" | "throw";

/** One armed failpoint: its action and the hit (1-based) that triggers it. */
export interface FailpointArm {
  action: FailpointAction;
  hit: number;
}

/** The environment variable that arms failpoints. */
export const FAILPOINTS_ENV = "MLAT_FAILPOINTS";

/** Thrown by a failpoint armed with `throw`. */
export class FailpointError extends Error {
  override readonly name = "FailpointError";
  constructor(readonly point: FailpointName) {
    super(`failpoint ${point} fired`);
  }
}

const SPEC = /^([a-z]+\.[A-Za-z]+)=(kill|throw)(?:@([1-9][0-9]{0,6}))?$/;

/**
 * Parses a failpoint specification: comma-separated `name=action[@n]`, where `action` is `kill`
 * (SIGKILL this process) or `throw`, and `n` (default 1) is the hit that triggers it — `@3` fires the
 * third time the point is reached; other hits pass. Throws CONFIG_INVALID naming the bad entry and the
 * known points.
 * @example parseFailpoints("tx.afterBroadcast=kill@3,blob.afterRename=throw") // Map { "tx.afterBroadcast" => { action: "kill", hit: 3 }, … }
 */
export function parseFailpoints(spec: string): Map<FailpointName, FailpointArm> {
  const arms = new Map<FailpointName, FailpointArm>();
  const bad = (entry: string, why: string) =>
    new GatewayError("CONFIG_INVALID", `${FAILPOINTS_ENV}: ${JSON.stringify(entry)} ${why}; known failpoints: ${Object.keys(FAILPOINTS).join(", ")}`);
  for (const raw of spec.split(",")) {
    const entry = raw.trim();
    if (entry === "") continue;
    const m = SPEC.exec(entry);
    if (!m) throw bad(entry, "is not name=kill|throw[@n] (n ≥ 1)");
    const name = m[1]!;
    if (!Object.hasOwn(FAILPOINTS, name)) throw bad(entry, `names no failpoint`);
    if (arms.has(name as FailpointName)) throw bad(entry, "arms a failpoint twice");
    arms.set(name as FailpointName, { action: m[2] as FailpointAction, hit: m[3] ? Number(m[3]) : 1 });
  }
  if (arms.size === 0) throw bad(spec, "arms no failpoint");
  return arms;
}

/** The armed failpoints with their hit counts; undefined (the production state) when none is armed. */
let armed: Map<FailpointName, FailpointArm & { seen: number }> | undefined;

/**
 * Arms the failpoints of `env.MLAT_FAILPOINTS` for this process (nothing when unset or empty). Call once
 * at process start; throws CONFIG_INVALID on a bad specification.
 * @example armFailpoints(process.env);
 */
export function armFailpoints(env: NodeJS.ProcessEnv): void {
  const spec = env[FAILPOINTS_ENV];
  if (spec === undefined || spec.trim() === "") {
    armed = undefined;
    return;
  }
  armed = new Map([...parseFailpoints(spec)].map(([name, arm]) => [name, { ...arm, seen: 0 }]));
  writeSync(2, `${FAILPOINTS_ENV} armed (test only): ${spec}\n`);
}

/**
 * Marks a crash window. Inert unless armed: then counts the hit, and on the armed hit writes one line to
 * stderr and SIGKILLs the process (no cleanup, no flush: a power cut of the process) or throws.
 * @example await blobs.commit(temp, digest); failpoint("blob.afterRename");
 */
export function failpoint(name: FailpointName): void {
  if (armed === undefined) return;
  const arm = armed.get(name);
  if (!arm) return;
  arm.seen += 1;
  if (arm.seen !== arm.hit) return;
  writeSync(2, `failpoint ${name} hit ${arm.seen}: ${arm.action}\n`);
  if (arm.action === "kill") {
    process.kill(process.pid, "SIGKILL");
    // Not one more instruction of this process runs: block until the signal lands.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  }
  throw new FailpointError(name);
}
