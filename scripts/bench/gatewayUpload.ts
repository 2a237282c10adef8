import { createWriteStream, readFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { open } from "node:fs/promises";
import { connectGateway, type Intent } from "../../sdk/src/gateway/client";
import { uploadEvidence } from "../../sdk/src/gateway/evidence";
import type { GatewayProcess } from "../lib/gatewayProcess";
import type { LocalConsortium } from "../lib/localConsortium";
import { benchDossier } from "./benchDossier";

const MiB = 1024 * 1024;

/**
 * Writes `mib` MiB of random bytes (incompressible, like seized media) to `path`, and flushes them to
 * disk: evidence on an agency's disk was written long before it is uploaded, and a gigabyte still
 * waiting for write-back would slow the gateway's own writes during the measured upload.
 */
async function writeRandomFile(path: string, mib: number): Promise<void> {
  const out = createWriteStream(path);
  const block = randomBytes(MiB);
  // One random MiB written over and over: nothing on the path compresses or deduplicates, and a block
  // queued in the stream is never changed under it.
  for (let i = 0; i < mib; i++) {
    if (!out.write(block)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
  const handle = await open(path, "r");
  await handle.sync().finally(() => handle.close());
}

/** A memory figure of a process from /proc (VmHWM: peak resident set; VmRSS: current), MiB. */
function memoryMiB(pid: number, field: "VmHWM" | "VmRSS"): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

/**
 * `repeat` evidence uploads of `mib` MiB each to the executing state's (MX) gateway, from request to a
 * registration ready to sign: MB/s of plaintext end to end (HTTP upload, sealing, hashing, blob commit)
 * of each run and the best of them (this machine's disk and CPU are shared: single runs vary), and the
 * gateway process's peak RSS over all of them.
 */
export async function benchUpload(
  _rpcUrl: string,
  consortium: LocalConsortium,
  urls: Record<string, string>,
  gateway: GatewayProcess,
  mib: number,
  dir: string,
  repeat = 1,
): Promise<{ mbPerSec: number; runsMbPerSec: number[]; peakRssMiB: number; rssBeforeUploadMiB: number; sizeMiB: number; seconds: number }> {
  const us = await connectGateway(urls.US!, consortium.states.US!.authority);
  const mx = await connectGateway(urls.MX!, consortium.states.MX!.authority);
  const mxAgency = await connectGateway(urls.MX!, consortium.states.MX!.agency);
  const { requestId } = await us.write<{ requestId: string; intent: Intent }>("/v1/requests", { dossier: benchDossier(consortium, 10 * 1024) });
  for (;;) {
    const seen = await mx.call<{ status: string }>("GET", `/v1/requests/${requestId}`).catch(() => undefined);
    if (seen) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  for (const step of ["acknowledge", "accept", "start-execution"]) await mx.write(`/v1/requests/${requestId}/${step}`, {});
  const file = join(dir, "evidence.bin");
  process.stderr.write(`writing a ${mib} MiB evidence file …\n`);
  await writeRandomFile(file, mib);
  const rssBeforeMiB = memoryMiB(gateway.child.pid!, "VmRSS");
  const peakBeforeMiB = memoryMiB(gateway.child.pid!, "VmHWM");
  const runs: number[] = [];
  for (let run = 1; run <= repeat; run++) {
    process.stderr.write(`uploading ${mib} MiB to the MX gateway, run ${run} of ${repeat} (resident ${memoryMiB(gateway.child.pid!, "VmRSS")} MiB, peak so far ${peakBeforeMiB} MiB) …\n`);
    const cpuBefore = processCpu(gateway.child.pid!);
    const started = performance.now();
    const answer = await uploadEvidence(mxAgency, requestId, file, { mediaType: "application/octet-stream", description: `bench ${run}` }, "none");
    const seconds = (performance.now() - started) / 1000;
    if (answer.size !== mib * MiB) throw new Error(`the gateway sealed ${answer.size} bytes, not ${mib * MiB}`);
    runs.push(Math.round((mib * MiB) / 1e6 / seconds));
    const cpu = processCpu(gateway.child.pid!);
    const user = cpu.user - cpuBefore.user;
    const system = cpu.system - cpuBefore.system;
    process.stderr.write(`  ${runs.at(-1)} MB/s in ${seconds.toFixed(2)} s; gateway CPU ${user.toFixed(2)} s user + ${system.toFixed(2)} s system\n`);
  }
  const best = Math.max(...runs);
  return {
    mbPerSec: best,
    runsMbPerSec: runs,
    peakRssMiB: memoryMiB(gateway.child.pid!, "VmHWM"),
    rssBeforeUploadMiB: rssBeforeMiB,
    sizeMiB: mib,
    seconds: Math.round(((mib * MiB) / 1e6 / best) * 100) / 100,
  };
}

/** CPU seconds a process has used (all its threads), user and system, from /proc. */
function processCpu(pid: number): { user: number; system: number } {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return { user: Number(fields[11]) / 100, system: Number(fields[12]) / 100 };
}
