import { z } from "zod";
import type { StateDirectory } from "../chain/stateDirectory";
import type { GatewayContext } from "../context";
import { Hex32, StateCode } from "../http/validate";
import { backoffMs } from "../outbox/backoff";
import type { JobHandler, JobOutcome } from "../outbox/worker";
import type { JobRow } from "../store/tables";
import { PEER_HEADERS, peerPushMessage } from "./message";

/** The outbox job kind that pushes a held blob to a peer gateway. */
export const PUSH_JOB = "push";

/** A push job's payload. */
export const PushPayloadSchema = z.strictObject({
  digest: Hex32,
  toState: StateCode,
});
export type PushPayload = z.infer<typeof PushPayloadSchema>;

/**
 * The deterministic id of the push of `digest` to `toState`: enqueueing it again is a no-op, so each blob
 * goes to each peer exactly once.
 * @example pushJobId("0xab…", "MX") // "push:0xab…:MX"
 */
export function pushJobId(digest: string, toState: string): string {
  return `push:${digest}:${toState}`;
}

/** Statuses after which the same push can succeed later (peer not ready, membership caches lagging). */
const RETRYABLE = new Set([401, 403, 408, 409, 425, 429]);
/** Allow this many seconds for the peer to take each MiB, on top of a fixed minute. */
const SECONDS_PER_MIB = 2;
const PUSHES_AT_ONCE = 4;

/**
 * Pushes held blobs to peer gateways: `PUT <peer>/v1/peer/blobs/<digest>`, streamed from the blob store
 * (`duplex: "half"`), signed with the state's GATEWAY key. A peer that is down, or that has not indexed
 * the commitment yet (409), is retried with backoff through the outbox; a refusal that cannot change
 * (400, 404, 413, 422) parks the job.
 */
export function pushHandler(ctx: GatewayContext, directory: StateDirectory): JobHandler {
  return {
    kind: PUSH_JOB,
    batchSize: PUSHES_AT_ONCE,
    run: async (jobs) => new Map(await Promise.all(jobs.map(async (j) => [j.id, await pushJob(ctx, directory, j)] as const))),
  };
}

async function pushJob(ctx: GatewayContext, directory: StateDirectory, job: JobRow): Promise<JobOutcome> {
  const parsed = PushPayloadSchema.safeParse(JSON.parse(job.payload));
  if (!parsed.success) return { ok: false, error: "malformed push job payload", permanent: true };
  try {
    return await push(ctx, directory, parsed.data, job.attempts + 1);
  } catch (e) {
    return { ok: false, error: `peer ${parsed.data.toState} unreachable: ${e instanceof Error ? e.message : String(e)}` };
  }
}

async function peerUrl(ctx: GatewayContext, directory: StateDirectory, state: string): Promise<string | undefined> {
  const peers = ctx.config.peers;
  if (peers) return peers[state];
  return (await directory.get(state)).gatewayUrl || undefined;
}

async function push(ctx: GatewayContext, directory: StateDirectory, p: PushPayload, attempt: number): Promise<JobOutcome> {
  const size = await ctx.blobs.sizeOf(p.digest);
  if (size === undefined) return { ok: false, error: `blob ${p.digest} is not held here`, permanent: true };
  const base = await peerUrl(ctx, directory, p.toState);
  if (!base) {
    const permanent = ctx.config.peers !== undefined;
    return { ok: false, error: `no gateway URL for ${p.toState}${permanent ? " among the configured peers" : " on the chain"}`, permanent };
  }
  const signature = await ctx.chain.sender.signMessage(peerPushMessage(p.digest, p.toState));
  const body = ctx.blobs.read(p.digest);
  try {
    const init: RequestInit & { duplex: "half" } = {
      method: "PUT",
      headers: {
        "content-type": "application/octet-stream",
        "content-length": String(size),
        [PEER_HEADERS.fromState]: ctx.config.state,
        [PEER_HEADERS.signature]: signature,
      },
      body: body as unknown as ReadableStream<Uint8Array>,
      duplex: "half",
      signal: AbortSignal.timeout((60 + Math.ceil(size / 2 ** 20) * SECONDS_PER_MIB) * 1000),
    };
    const res = await fetch(new URL(`/v1/peer/blobs/${p.digest}`, base), init);
    const detail = await res.text().catch(() => "");
    if (res.ok) {
      ctx.log.info("peer blob pushed", { digest: p.digest, to: p.toState, status: res.status });
      return { ok: true };
    }
    const error = `peer ${p.toState} answered ${res.status}: ${detail.slice(0, 300)}`;
    if (res.status >= 500 || RETRYABLE.has(res.status)) {
      const after = Number(res.headers.get("retry-after"));
      return { ok: false, error, retryInMs: Number.isFinite(after) && after > 0 ? after * 1000 : backoffMs(attempt) };
    }
    return { ok: false, error, permanent: true };
  } finally {
    body.destroy();
  }
}
