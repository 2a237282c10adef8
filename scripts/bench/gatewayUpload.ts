import { createWriteStream, readFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { connectGateway, type Intent } from "../../sdk/src/gateway/client";
import { uploadEvidence } from "../../sdk/src/gateway/evidence";
import type { GatewayProcess } from "../lib/gatewayProcess";
import type { LocalConsortium } from "../lib/localConsortium";
import { benchDossier } from "./benchDossier";

const MiB = 1024 * 1024;

/** Writes `mib` MiB of random bytes (incompressible, like seized media) to `path`. */
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
}

/** A memory figure of a process from /proc (VmHWM: peak resident set; VmRSS: current), MiB. */
function memoryMiB(pid: number, field: "VmHWM" | "VmRSS"): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

/**
 * One evidence upload of `mib` MiB to the executing state's (MX) gateway, from request to a registration
 * ready to sign: MB/s of plaintext end to end (HTTP upload, sealing, hashing, blob commit) and the
 * gateway process's peak RSS.
 */
export async function benchUpload(
  _rpcUrl: string,
  consortium: LocalConsortium,
  urls: Record<string, string>,
  gateway: GatewayProcess,
  mib: number,
  dir: string,
): Promise<{ mbPerSec: number; peakRssMiB: number; rssBeforeUploadMiB: number; sizeMiB: number; seconds: number }> {
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
  process.stderr.write(`uploading ${mib} MiB to the MX gateway (resident ${rssBeforeMiB} MiB, peak so far ${peakBeforeMiB} MiB) …\n`);
  const started = performance.now();
  const answer = await uploadEvidence(mxAgency, requestId, file, { mediaType: "application/octet-stream", description: "bench" }, "none");
  const seconds = (performance.now() - started) / 1000;
  if (answer.size !== mib * MiB) throw new Error(`the gateway sealed ${answer.size} bytes, not ${mib * MiB}`);
  return {
    mbPerSec: Math.round((mib * MiB) / 1e6 / seconds),
    peakRssMiB: memoryMiB(gateway.child.pid!, "VmHWM"),
    rssBeforeUploadMiB: rssBeforeMiB,
    sizeMiB: mib,
    seconds: Math.round(seconds * 100) / 100,
  };
}
