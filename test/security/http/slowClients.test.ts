/**
 * Oversized and slow clients: 413 before a byte too many is buffered, slowloris cut off by the headers
 * timeout, stalled and trickled bodies cut off by progress (never by total time, so an upload of any size
 * passes), a client that stops reading an answer dropped, and the gateway's own thinking never counted
 * against a client. Short timeouts from the configuration keep it fast.
 */
import { createHash, randomBytes } from "node:crypto";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { GatewaySession, Intent } from "../../../sdk/src/gateway/client";
import { uploadEvidence } from "../../../sdk/src/gateway/evidence";
import { sessionOf, submittedRequest } from "../../helpers/gatewayFixtures";
import { STORES, startTestNetwork, type TestNetwork } from "../../helpers/gateways";
import { RawConnection, rawRequest, sendSlowly, type RawOutcome } from "../../helpers/rawHttp";
import { storeCensus } from "../../helpers/storeCensus";
import { randomFile, requestInExecution } from "../../gateway/evidence/scenario";
import { settled } from "../../helpers/settled";

const LIMITS = { jsonLimitBytes: 16 * 1024, headersTimeoutMs: 500, idleTimeoutMs: 800, bodyMinBytesPerSecond: 2048, rateLimitPerMinute: 0 };
const ABSENT = "0x" + "5a".repeat(32);

interface Operation {
  method: string;
  path: string;
  bodyType?: string;
}

/** Every operation of an OpenAPI document, with the media type of its body. */
function operationsOf(doc: { paths: Record<string, Record<string, { requestBody?: { content: Record<string, unknown> } }>> }): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase(), path, bodyType: op.requestBody ? Object.keys(op.requestBody.content)[0] : undefined })),
  );
}

/** A concrete target for a templated path: every parameter an id that exists nowhere. */
const concrete = (path: string) => path.replace(/\{[^}]+\}/g, ABSENT);

/** Asserts a problem document with the status, naming the operation on failure. */
function expectProblem(out: RawOutcome, status: number, what: string): void {
  expect(out.response?.status, `${what}: ${out.received.toString("latin1").slice(0, 300)}`).toBe(status);
  expect(out.response!.headers["content-type"], what).toMatch(/^application\/problem\+json/);
  const problem = JSON.parse(out.response!.body.toString()) as { status: number; detail: string };
  expect(problem.status, what).toBe(status);
  expect(problem.detail, what).toMatch(/\w{3,}/);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(STORES)("slow and oversized clients (%s)", (store) => {
  let net: TestNetwork;
  let s: Record<"us" | "mx" | "usAgency" | "mxAgency", GatewaySession>;
  let us: { host: string; port: number };
  let mx: { host: string; port: number };
  let jsonOps: Operation[];
  let executing: string;

  beforeAll(async () => {
    net = await startTestNetwork(store, { codes: ["US", "MX"], overrides: LIMITS });
    const [usCa, mxCa, usAgency, mxAgency] = await Promise.all([sessionOf(net, "US"), sessionOf(net, "MX"), sessionOf(net, "US", "agency"), sessionOf(net, "MX", "agency")]);
    s = { us: usCa, mx: mxCa, usAgency, mxAgency };
    const hostPort = (url: string) => ({ host: new URL(url).hostname, port: Number(new URL(url).port) });
    us = hostPort(net.gateways.US!.url);
    mx = hostPort(net.gateways.MX!.url);
    const doc = (await (await fetch(`${net.gateways.US!.url}/openapi.json`)).json()) as Parameters<typeof operationsOf>[0];
    jsonOps = operationsOf(doc).filter((o) => o.bodyType === "application/json");
    executing = await requestInExecution(net, s.us, s.mx);
  });
  afterAll(async () => net?.stop());
  // Each test compares what the gateways hold before and after: an earlier step's peer push must have landed.
  beforeEach(() => settled(net));

  const census = (code: "US" | "MX") => storeCensus(net.gateways[code]!.ctx.store.db, net.configs[code]!.blobDir!, net.configs[code]!.storeSchema);
  const headersFor = (session: GatewaySession, extra: Record<string, string>) => ({ host: "gateway", authorization: `Bearer ${session.token}`, ...extra });

  describe("oversized JSON bodies", () => {
    it("answers 413 to a declared Content-Length over the limit on every JSON operation, without waiting for the body", async () => {
      expect(jsonOps.length).toBeGreaterThan(15);
      const before = await census("US");
      for (const op of jsonOps) {
        const c = new RawConnection(us.host, us.port);
        const headers = headersFor(s.us, { "content-type": "application/json", "content-length": String(LIMITS.jsonLimitBytes + 1) });
        expectProblem(await c.exchange({ bytes: rawRequest(op.method, concrete(op.path), headers) }), 413, `${op.method} ${op.path}`);
        c.close();
      }
      expect(await census("US")).toEqual(before);
    });

    it("answers 413 to a chunked body that grows past the limit, on every JSON operation, signed in or not", async () => {
      const before = await census("US");
      const big = JSON.stringify({ document: { text: "x".repeat(LIMITS.jsonLimitBytes) } });
      for (const op of jsonOps) {
        for (const auth of [true, false]) {
          const c = new RawConnection(us.host, us.port);
          const headers = { ...(auth ? headersFor(s.us, {}) : { host: "gateway" }), "content-type": "application/json", "transfer-encoding": "chunked" };
          const chunked = Buffer.concat([Buffer.from(`${big.length.toString(16)}\r\n`), Buffer.from(big), Buffer.from("\r\n0\r\n\r\n")]);
          expectProblem(await c.exchange({ bytes: rawRequest(op.method, concrete(op.path), headers, chunked) }), 413, `${op.method} ${op.path} auth=${auth}`);
          c.close();
        }
      }
      expect(await census("US")).toEqual(before);
    });

    it("answers 413 to a gzip body that inflates past the limit (no decompression bomb)", async () => {
      const bomb = gzipSync(Buffer.from(JSON.stringify({ dossier: { facts: "a".repeat(8 * 1024 * 1024) } })));
      expect(bomb.length).toBeLessThan(LIMITS.jsonLimitBytes);
      const rssBefore = process.memoryUsage().rss;
      const c = new RawConnection(us.host, us.port);
      const headers = headersFor(s.us, { "content-type": "application/json", "content-encoding": "gzip", "content-length": String(bomb.length) });
      expectProblem(await c.exchange({ bytes: rawRequest("POST", "/v1/requests", headers, bomb) }), 413, "gzip bomb");
      c.close();
      // The gateway runs in this process: inflating 8 MiB whole would show.
      expect(process.memoryUsage().rss - rssBefore).toBeLessThan(64 * 1024 * 1024);
    });

    it("answers 413 to an upload declared larger than uploadLimitBytes before reading it", async () => {
      const before = await census("MX");
      const c = new RawConnection(mx.host, mx.port);
      const headers = headersFor(s.mxAgency, { "content-type": "application/octet-stream", "x-file-name": "huge.bin", "content-length": String(64 * 1024 ** 3 + 1) });
      expectProblem(await c.exchange({ bytes: rawRequest("POST", `/v1/requests/${executing}/evidence`, headers) }), 413, "upload");
      c.close();
      expect(await census("MX")).toEqual(before);
    });
  });

  describe("slow headers (slowloris)", () => {
    it("answers 408 and closes a connection that sends nothing within headersTimeoutMs", async () => {
      const out = await sendSlowly(us.host, us.port, [], 50);
      expectProblem(out, 408, "silent client");
    });

    it("answers 408 and closes a connection that trickles header lines forever", async () => {
      let n = 0;
      const out = await sendSlowly(us.host, us.port, ["GET /v1/info HTTP/1.1\r\nHost: gateway\r\n"], 100, { keepSending: () => `X-Drip-${n++}: 1\r\n` });
      expectProblem(out, 408, "slowloris");
      expect(n).toBeGreaterThan(1);
    });
  });

  describe("slow bodies", () => {
    const createHead = (length: number) =>
      rawRequest("POST", "/v1/requests", headersFor(s.us, { "content-type": "application/json", "content-length": String(length) }));

    it("answers 408 and closes a JSON body that stalls, and stores nothing", async () => {
      const before = await census("US");
      const out = await sendSlowly(us.host, us.port, [createHead(1000), '{"dossier": {'], 10);
      expectProblem(out, 408, "stalled JSON body");
      expect(JSON.parse(out.response!.body.toString()).detail).toMatch(/no byte of the request body/);
      expect(await census("US")).toEqual(before);
    });

    it("answers 408 and closes a JSON body that trickles below bodyMinBytesPerSecond (never idle long enough to stall)", async () => {
      const before = await census("US");
      let n = 0;
      const out = await sendSlowly(us.host, us.port, [createHead(10_000), '{"dossier": {"facts": "'], 100, { keepSending: () => (n++, "aaaaa") });
      expectProblem(out, 408, "trickled JSON body");
      expect(JSON.parse(out.response!.body.toString()).detail).toMatch(/slower than 2048 bytes\/s/);
      expect(n).toBeGreaterThan(3);
      expect(await census("US")).toEqual(before);
    });

    const uploadHead = (length: number, name: string) =>
      rawRequest(
        "POST",
        `/v1/requests/${executing}/evidence`,
        headersFor(s.mxAgency, { "content-type": "application/octet-stream", "x-file-name": name, "content-length": String(length) }),
      );

    it("answers 408 and closes an evidence upload that stalls, and keeps nothing of it (no blob, no temp file, no record)", async () => {
      const before = await census("MX");
      const out = await sendSlowly(mx.host, mx.port, [uploadHead(4 * 1024 * 1024, "stalled.bin"), randomBytes(256 * 1024)], 10);
      expectProblem(out, 408, "stalled upload");
      await expect.poll(() => census("MX"), { timeout: 20_000 }).toEqual(before);
    });

    it("answers 408 and closes an evidence upload that trickles, and keeps nothing of it", async () => {
      const before = await census("MX");
      const out = await sendSlowly(mx.host, mx.port, [uploadHead(4 * 1024 * 1024, "trickled.bin")], 100, { keepSending: () => randomBytes(16) });
      expectProblem(out, 408, "trickled upload");
      await expect.poll(() => census("MX"), { timeout: 20_000 }).toEqual(before);
    });

    it("never cuts a steady upload, however many idle timeouts it lasts (no limit on total time)", async () => {
      const chunk = 2048;
      const chunks = 90; // 180 KiB at ~20 KiB/s: about 9 s, 11 idle timeouts, ten times the minimum rate
      const bytes = randomBytes(chunk * chunks);
      const parts = [uploadHead(bytes.length, "steady.bin"), ...Array.from({ length: chunks }, (_, i) => bytes.subarray(i * chunk, (i + 1) * chunk))];
      const started = Date.now();
      const c = new RawConnection(mx.host, mx.port);
      const answer = c.exchange({ bytes: parts[0]! });
      for (const p of parts.slice(1)) {
        await sleep(100);
        await c.write(p);
      }
      const out = await answer;
      c.close();
      expect(Date.now() - started).toBeGreaterThan(10 * LIMITS.idleTimeoutMs);
      expect(out.response?.status, out.received.toString().slice(0, 300)).toBe(201);
      const uploaded = JSON.parse(out.response!.body.toString()) as { plaintextSha256: string; size: number; intent: Intent };
      expect(uploaded.size).toBe(bytes.length);
      expect(uploaded.plaintextSha256).toBe(createHash("sha256").update(bytes).digest("hex"));
      // Sign the registration, so the agency's next intents are not held behind an unsigned one.
      expect((await s.mxAgency.sign(uploaded.intent, "mined")).status).toBe("mined");
    });
  });

  describe("slow readers and slow answers", () => {
    it("closes the connection of a client that stops reading a download for longer than idleTimeoutMs", async () => {
      const file = randomFile(net, "download.bin", 48 * 1024 * 1024);
      const { evidenceId } = await uploadEvidence(s.mxAgency, executing, file.path, { mediaType: "application/octet-stream" });
      const { connect } = await import("node:net");
      const socket = connect(mx.port, mx.host);
      let received = 0;
      let closed = false;
      socket.on("close", () => (closed = true));
      socket.on("error", () => undefined);
      await new Promise((r) => socket.once("connect", r));
      socket.write(rawRequest("GET", `/v1/evidence/${evidenceId}/content`, headersFor(s.mxAgency, {})));
      socket.pause();
      await sleep(6 * LIMITS.idleTimeoutMs);
      socket.on("data", (d: Buffer) => (received += d.length));
      socket.resume();
      await new Promise<void>((r) => (closed ? r() : socket.once("close", () => r())));
      expect(received).toBeLessThan(file.bytes.length);
    });

    it("answers a call the gateway takes longer than idleTimeoutMs to answer (?wait=mined while no block is mined)", async () => {
      const requestId = await submittedRequest(net, s.us, "MX");
      const { priority } = await s.us.call<{ priority: string }>("GET", `/v1/requests/${requestId}`);
      const flipped = priority === "urgent" ? "routine" : "urgent";
      const { intent } = await s.us.call<{ intent: Intent }>("POST", `/v1/requests/${requestId}/priority`, { priority: flipped });
      const t = intent.typedData;
      const signature = await net.consortium.states.US!.authority.signTypedData(t.domain, t.types, t.message);
      const rpc = (method: string, params: unknown[] = []) =>
        fetch(net.node.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
      await rpc("evm_setAutomine", [false]);
      try {
        const answer = fetch(`${s.us.url}/v1/intents/${intent.id}/signature?wait=mined`, {
          method: "POST",
          headers: { authorization: `Bearer ${s.us.token}`, "content-type": "application/json" },
          body: JSON.stringify({ signature }),
        });
        await sleep(4 * LIMITS.idleTimeoutMs);
        await rpc("evm_mine");
        const res = await answer;
        expect(res.status).toBe(202);
        expect(((await res.json()) as { status: string }).status).toBe("mined");
      } finally {
        await rpc("evm_setAutomine", [true]);
      }
    });
  });
});
