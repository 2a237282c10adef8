/**
 * Schema-driven HTTP fuzzing of a gateway running as its own process: the operations come from the
 * gateway's `/openapi.json`, the hostile requests from fast-check (test/helpers/hostileRequests.ts), sent
 * over raw keep-alive connections signed in and not. Every answer must be below 500, every refusal an
 * RFC 9457 problem document with a clear detail and no internals, no hostile write may succeed; and
 * after the run the process still answers, its heap and RSS (after a forced GC) grew by less than 50 MB,
 * nothing was stored (every table counted, blob files counted, no block mined) and no prototype was
 * polluted. Counts: `scaled(ci, deep)` below; the summary is printed per store.
 */
import { createHash } from "node:crypto";
import { resolve } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore, type Store } from "../../../gateway/src/store/database";
import { startGatewayProcess, type GatewayProcess } from "../../../scripts/lib/gatewayProcess";
import { connectGateway, type GatewaySession, type Intent } from "../../../sdk/src/gateway/client";
import { dossierFor, sessionOf } from "../../helpers/gatewayFixtures";
import { eventually, STORES, startTestNetwork, type StoreKind, type TestNetwork } from "../../helpers/gateways";
import { fuzzOperations, hostileRequest, renderRequest, type FuzzContext, type HostileRequest } from "../../helpers/hostileRequests";
import { RawConnection, type RawOutcome } from "../../helpers/rawHttp";
import { scaled } from "../../helpers/scale";
import { storeCensus, type Census } from "../../helpers/storeCensus";

/** Hostile requests per store: 50,000 per CI run in all, ten times as many under test:deep. */
const REQUESTS: Record<StoreKind, number> = { sqlite: scaled(30_000, 300_000), postgres: scaled(20_000, 200_000) };
const BATCH = 250;
const CONNECTIONS = 16;
const MEMORY_BUDGET = 50 * 1024 * 1024;
const SEED = Number(process.env.MLAT_FUZZ_SEED ?? Date.now() % 2 ** 31);
const CONFIG = {
  rateLimitPerMinute: 0,
  jsonLimitBytes: 16 * 1024,
  uploadLimitBytes: 1024 * 1024,
  headersTimeoutMs: 2000,
  idleTimeoutMs: 1000,
  bodyMinBytesPerSecond: 1024,
  // The fuzzer writes nothing: no need to poll the chain often (CPU for the requests).
  pollIntervalMs: 1000,
};

/** Reads whose success writes nothing (no audit entry): sent with real ids too. */
const QUIET_READS = ["GET /v1/requests/{id}", "GET /v1/requests/{id}/evidence"];

/** What is wrong with an answer, or undefined. */
function violation(r: HostileRequest, out: RawOutcome): string | undefined {
  const res = out.response;
  if (!res) return "the connection closed without an answer";
  if (res.status >= 500) return `answered ${res.status}`;
  if (res.status === 304 && !r.mustRefuse) return undefined; // a conditional read (If-None-Match: *)
  if (res.status < 200 || (res.status >= 300 && res.status < 400)) return `answered ${res.status}`;
  if (res.status < 300) return r.mustRefuse ? `a hostile ${r.method} was accepted (${res.status})` : undefined;
  if (!/^application\/problem\+json/.test(res.headers["content-type"] ?? "")) return `a ${res.status} that is not a problem document (${res.headers["content-type"]})`;
  if (r.method === "HEAD") return undefined;
  let p: Record<string, unknown>;
  try {
    p = JSON.parse(res.body.toString()) as Record<string, unknown>;
  } catch {
    return `a ${res.status} whose body is not JSON`;
  }
  if (p.status !== res.status) return `problem status ${String(p.status)} ≠ HTTP ${res.status}`;
  if (typeof p.type !== "string" || typeof p.title !== "string" || typeof p.code !== "string") return "a problem without type, title or code";
  if (typeof p.detail !== "string" || !/\w{3,}/.test(p.detail)) return `a problem without a clear detail (${JSON.stringify(p.detail)})`;
  if (/\bat \S+ \(|node_modules|\/work\/|\/tmp\/|\.ts:\d+/.test(JSON.stringify(p))) return `a problem that leaks internals: ${JSON.stringify(p).slice(0, 200)}`;
  return undefined;
}

/** Sends `reqs` over `conns`, each connection one request at a time. */
async function sendAll(reqs: readonly HostileRequest[], conns: readonly RawConnection[]): Promise<RawOutcome[]> {
  const out: RawOutcome[] = new Array(reqs.length);
  let next = 0;
  await Promise.all(
    conns.map(async (c) => {
      for (let i = next++; i < reqs.length; i = next++) {
        const r = reqs[i]!;
        // A parser-level attack is about a connection's first bytes: it gets a connection of its own.
        if (r.raw) c.close();
        out[i] = await c.exchange({ bytes: renderRequest(r), head: r.method === "HEAD" });
        if (r.lastOnConnection) c.close();
      }
    }),
  );
  return out;
}

interface Probe {
  seq: number;
  /** CPU time of the process so far (µs, user + system). */
  cpu: number;
  rss: number;
  heapUsed: number;
  external: number;
  polluted: string[];
}

/** Asks the gateway process to collect garbage and report its memory and prototypes (gcProbe.cjs). */
async function probe(gw: GatewayProcess, after: number): Promise<Probe> {
  gw.child.kill("SIGUSR2");
  return eventually(async () => {
    const lines = [...gw.output().matchAll(/MLAT-PROBE (\{.*\})/g)].map((m) => JSON.parse(m[1]!) as Probe);
    return lines.find((l) => l.seq > after);
  });
}

const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;

describe.each(STORES)("schema-driven HTTP fuzzing of a gateway process (%s)", (store) => {
  let net: TestNetwork;
  let gw: GatewayProcess;
  let db: Store;
  let ctx: FuzzContext;
  let authority: GatewaySession;
  let doc: Parameters<typeof fuzzOperations>[0];

  const census = () => storeCensus(db.db, net.configs.US!.blobDir!, net.configs.US!.storeSchema);
  const blockNumber = async () => {
    const res = await fetch(net.node.url, { method: "POST", headers: { "content-type": "application/json" }, body: '{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber","params":[]}' });
    return Number(((await res.json()) as { result: string }).result);
  };

  beforeAll(async () => {
    net = await startTestNetwork(store, { codes: ["US", "MX"], start: ["MX"], overrides: CONFIG });
    gw = await startGatewayProcess({ ...net.configs.US!, logLevel: "error" }, { nodeArgs: ["--expose-gc", "-r", resolve("test/helpers/gcProbe.cjs")] });
    const us = net.consortium.states.US!;
    authority = await connectGateway(gw.url, us.authority);
    const agency = await connectGateway(gw.url, us.agency);
    const expired = await connectGateway(gw.url, us.verifier);
    const revoked = await connectGateway(gw.url, us.verifier);
    await fetch(`${gw.url}/v1/auth/session`, { method: "DELETE", headers: { authorization: `Bearer ${revoked.token}` } });
    const otherGateway = (await sessionOf(net, "MX")).token;
    const { requestId, documentDigest } = await authority.write<{ requestId: string; documentDigest: string; intent: Intent }>("/v1/requests", { dossier: dossierFor(net, "US", "MX") });
    db = await openStore(net.configs.US!.storeUrl!, net.configs.US!.storeSchema);
    const hash = createHash("sha256").update(expired.token).digest("hex");
    await db.db.updateTable("sessions").set({ expires_at: 1 }).where("token_hash", "=", hash).execute();
    ctx = {
      tokens: { authority: authority.token, agency: agency.token, expired: expired.token, revoked: revoked.token, otherGateway },
      real: { requestId, documentDigest },
      quietReads: QUIET_READS,
    };
    doc = (await (await fetch(`${gw.url}/openapi.json`)).json()) as typeof doc;
    // Quiet: the relay and the push to MX done, so that nothing changes the store but the fuzzer.
    let last = "";
    await eventually(async () => {
      const busy = await db.db.selectFrom("jobs").select("id").where("status", "in", ["pending", "running"]).execute();
      const now = JSON.stringify(await census());
      const quiet = busy.length === 0 && now === last;
      last = now;
      return quiet ? true : undefined;
    }, 1000);
  }, 600_000);

  afterAll(async () => {
    await gw?.stop();
    await db?.close();
    await net?.stop();
  });

  it(`answers ${REQUESTS[store]} hostile requests: no 5xx, problem documents, nothing stored, memory flat, no prototype polluted`, { timeout: 30 * 60_000 }, async () => {
    const ops = fuzzOperations(doc);
    expect(ops.length).toBeGreaterThan(40);
    const arb = hostileRequest(ops, ctx, CONFIG.jsonLimitBytes);
    const conns = Array.from({ length: CONNECTIONS }, () => new RawConnection("127.0.0.1", Number(new URL(gw.url).port)));
    const statuses = new Map<string, number>();
    const perOperation = new Map<string, number>();
    let sent = 0;
    let noncesIssued = 0;
    const tally = (r: HostileRequest, out: RawOutcome) => {
      sent++;
      const key = out.response ? String(out.response.status) : "closed";
      statuses.set(key, (statuses.get(key) ?? 0) + 1);
      perOperation.set(r.operation, (perOperation.get(r.operation) ?? 0) + 1);
      if (r.operation === "GET /v1/auth/nonce" && out.response?.status === 200) noncesIssued++; // raw attacks included: a well-enough-formed one is answered a nonce too
    };
    const run = async (count: number, seed: number) => {
      const details = await fc.check(
        fc.asyncProperty(fc.array(arb, { minLength: BATCH, maxLength: BATCH }), async (batch) => {
          const outcomes = await sendAll(batch, conns);
          const bad: string[] = [];
          batch.forEach((r, i) => {
            tally(r, outcomes[i]!);
            const v = violation(r, outcomes[i]!);
            if (v) bad.push(`${v}\n    request: ${JSON.stringify(renderRequest(r).subarray(0, 1500).toString("latin1"))}\n    answer: ${JSON.stringify(outcomes[i]!.received.subarray(0, 400).toString("latin1"))}`);
          });
          if (bad.length > 0) throw new Error(`${bad.length} of ${batch.length} answers are wrong; the first:\n  ${bad.slice(0, 3).join("\n  ")}`);
        }),
        { numRuns: Math.ceil(count / BATCH), seed, endOnFailure: true },
      );
      if (details.failed) {
        throw new Error(`seed ${details.seed} (MLAT_FUZZ_SEED=${SEED}): ${String((details.errorInstance as Error | undefined)?.message ?? details.errorInstance)}\n--- gateway log (tail) ---\n${gw.output().slice(-3000)}`);
      }
    };

    // Warm up (JIT, caches, pools), then measure from a collected heap.
    await run(BATCH * 2, SEED + 1);
    const before = await census();
    const blocksBefore = await blockNumber();
    const memBefore = await probe(gw, 0);
    const started = Date.now();
    const clientCpu = process.cpuUsage();
    await run(REQUESTS[store], SEED);
    const seconds = (Date.now() - started) / 1000;
    const clientCpuUs = Object.values(process.cpuUsage(clientCpu)).reduce((a, b) => a + b, 0);
    const memAfter = await probe(gw, memBefore.seq);
    for (const c of conns) c.close();

    // The process lives, answers, and the fuzzer's own session was never ended.
    expect(gw.child.exitCode).toBeNull();
    expect((await fetch(`${gw.url}/healthz`)).status).toBe(200);
    expect((await authority.call<{ requestId: string }>("GET", `/v1/requests/${ctx.real.requestId}`)).requestId).toBe(ctx.real.requestId);
    // Nothing stored: every table and the blob directory as before, but for the nonces handed out to anyone who asks.
    const after = await census();
    const withoutNonces = (c: Census) => Object.fromEntries(Object.entries(c).filter(([k]) => k !== "login_nonces"));
    expect(withoutNonces(after)).toEqual(withoutNonces(before));
    expect(after.login_nonces! - before.login_nonces!).toBeLessThanOrEqual(noncesIssued);
    expect(await blockNumber()).toBe(blocksBefore);
    // No prototype polluted in the gateway process; memory flat after a forced GC.
    expect(memAfter.polluted).toEqual([]);
    const heapGrowth = memAfter.heapUsed - memBefore.heapUsed;
    const rssGrowth = memAfter.rss - memBefore.rss;

    const byStatus = [...statuses.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k}: ${n}`).join(", ");
    console.log(
      [
        `HTTP fuzz (${store}), seed ${SEED}: ${sent} requests (${sent - BATCH * 2} measured) over ${ops.length} operations in ${seconds.toFixed(0)} s (${(REQUESTS[store] / seconds).toFixed(0)}/s)`,
        `  by status: ${byStatus}`,
        `  CPU per request: gateway ${((memAfter.cpu - memBefore.cpu) / REQUESTS[store]).toFixed(0)} µs, fuzzer (generation and client) ${(clientCpuUs / REQUESTS[store]).toFixed(0)} µs`,
        `  fewest per operation: ${[...perOperation.entries()].sort(([, a], [, b]) => a - b).slice(0, 3).map(([op, n]) => `${op} ${n}`).join(", ")}`,
        `  gateway heap after GC: ${mib(memBefore.heapUsed)} → ${mib(memAfter.heapUsed)} (${mib(heapGrowth)}); external ${mib(memBefore.external)} → ${mib(memAfter.external)}; RSS ${mib(memBefore.rss)} → ${mib(memAfter.rss)} (${mib(rssGrowth)})`,
        `  nonces handed out: ${noncesIssued}; other tables unchanged: ${Object.keys(before).length - 1}`,
      ].join("\n"),
    );
    expect(perOperation.size).toBe(ops.length);
    expect(heapGrowth).toBeLessThan(MEMORY_BUDGET);
    expect(rssGrowth).toBeLessThan(MEMORY_BUDGET);
    expect([...statuses.keys()].filter((s) => s === "closed" || Number(s) >= 500)).toEqual([]);
  });
});
