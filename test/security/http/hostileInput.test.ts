/**
 * Hostile input that must be refused with a problem document and change nothing: malformed, deeply
 * nested and prototype-polluting JSON on every JSON operation, bodies that are not JSON, and requests
 * Node's HTTP layer would otherwise answer on its own (bare 400s, silent closes). Each case names the
 * rule it checks; the fuzzer (httpFuzz.test.ts) covers the same ground at random.
 */
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { GatewaySession, Intent } from "../../../sdk/src/gateway/client";
import { sessionOf, submittedRequest } from "../../helpers/gatewayFixtures";
import { STORES, startTestNetwork, type TestNetwork } from "../../helpers/gateways";
import { RawConnection, rawRequest, type RawOutcome } from "../../helpers/rawHttp";
import { storeCensus } from "../../helpers/storeCensus";
import { settled } from "../../helpers/settled";

const ABSENT = "0x" + "6b".repeat(32);

/** Asserts a problem document with `status` (and `code`), naming the case on failure. */
function expectProblem(out: RawOutcome, status: number, what: string, code?: string): void {
  expect(out.response?.status, `${what}: ${out.received.toString("latin1").slice(0, 300)}`).toBe(status);
  expect(out.response!.headers["content-type"], what).toMatch(/^application\/problem\+json/);
  const problem = JSON.parse(out.response!.body.toString()) as { status: number; detail: string; code: string };
  expect(problem.status, what).toBe(status);
  expect(problem.detail, what).toMatch(/\w{3,}/);
  if (code) expect(problem.code, what).toBe(code);
}

const nested = (depth: number) => "[".repeat(depth) + "]".repeat(depth);

/** Malformed and hostile JSON bodies, each answered 400 whatever the operation. */
const HOSTILE_JSON: [string, string][] = [
  ["malformed JSON", '{"document": {'],
  ["trailing garbage", '{"document": {}} x'],
  ["a bare null (must not pass for no body)", "null"],
  ["a bare number", "7"],
  ["a bare string", '"x"'],
  ["__proto__ at the top", '{"__proto__": {"polluted": true}}'],
  ["__proto__ deep inside", `{"document": {"a": [{"b": {"__proto__": {"polluted": true}}}]}}`],
  ["constructor.prototype", '{"constructor": {"prototype": {"polluted": true}}}'],
  ["prototype as a key", '{"document": {"prototype": {"polluted": true}}}'],
  ["arrays nested 100,000 deep", `{"document": {"x": ${nested(100_000)}}}`],
  ["objects nested 40 deep", `{"document": ${'{"a":'.repeat(40)}1${"}".repeat(40)}}`],
];

describe.each(STORES)("hostile input (%s)", (store) => {
  let net: TestNetwork;
  let us: GatewaySession;
  let jsonOps: { method: string; path: string }[];
  let host: string;
  let port: number;
  let requestId: string;

  beforeAll(async () => {
    net = await startTestNetwork(store, { codes: ["US", "MX"], overrides: { jsonLimitBytes: 256 * 1024, rateLimitPerMinute: 0 } });
    us = await sessionOf(net, "US");
    host = new URL(us.url).hostname;
    port = Number(new URL(us.url).port);
    const doc = (await (await fetch(`${us.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, { requestBody?: { content: Record<string, unknown> } }>> };
    jsonOps = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => op.requestBody?.content["application/json"])
        .map(([method]) => ({ method: method.toUpperCase(), path })),
    );
    requestId = await submittedRequest(net, us, "MX");
  });
  afterAll(async () => net?.stop());
  // Each test compares what the gateway holds before and after: an earlier step's peer push must have landed.
  beforeEach(() => settled(net));

  const census = () => storeCensus(net.gateways.US!.ctx.store.db, net.configs.US!.blobDir!, net.configs.US!.storeSchema);
  const send = async (bytes: Buffer, head = false) => {
    const c = new RawConnection(host, port);
    try {
      return await c.exchange({ bytes, head });
    } finally {
      c.close();
    }
  };
  const authed = (extra: Record<string, string> = {}) => ({ host: "gateway", authorization: `Bearer ${us.token}`, ...extra });

  describe("malformed, deeply nested and prototype-polluting JSON", () => {
    it.each(HOSTILE_JSON)("answers %s with 400 on every JSON operation, stores nothing, pollutes nothing", async (name, body) => {
      expect(jsonOps.length).toBeGreaterThan(15);
      const before = await census();
      for (const op of jsonOps) {
        // The real request's id where there is one: the refusal must come from the body, not the id.
        const target = op.path.replace("{id}", op.path.startsWith("/v1/intents") ? "0x" + "ab".repeat(16) : requestId).replace(/\{[^}]+\}/g, ABSENT);
        const out = await send(rawRequest(op.method, target, authed({ "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) }), body));
        expectProblem(out, 400, `${name} → ${op.method} ${op.path}`);
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain("polluted");
      expect(await census()).toEqual(before);
    });
  });

  describe("bodies that are not JSON", () => {
    it("refuses a text/plain body on a lifecycle step (415) instead of running the step as if no body had been sent", async () => {
      const before = await census();
      const body = JSON.stringify({ document: { grounds: "withdrawn because…" } });
      const out = await send(rawRequest("POST", `/v1/requests/${requestId}/withdraw`, authed({ "content-type": "text/plain", "content-length": String(body.length) }), body));
      expectProblem(out, 415, "text/plain body", "UNSUPPORTED_MEDIA_TYPE");
      expect(await census()).toEqual(before);
    });

    it.each([
      ["a form body", "application/x-www-form-urlencoded", "document=x"],
      ["a body without Content-Type", undefined, '{"document": {}}'],
      ["a UTF-16 JSON body", "application/json; charset=utf-16", '{"document": {}}'],
    ])("refuses %s on a JSON route (415)", async (_name, type, body) => {
      const before = await census();
      const headers = authed({ "content-length": String(body.length), ...(type ? { "content-type": type } : {}) });
      expectProblem(await send(rawRequest("POST", `/v1/requests/${requestId}/withdraw`, headers, body)), 415, String(type), "UNSUPPORTED_MEDIA_TYPE");
      expect(await census()).toEqual(before);
    });

    it("refuses an unknown Content-Encoding (415) and a body that is not the gzip it claims (400)", async () => {
      const body = '{"document": {}}';
      const brotliClaim = authed({ "content-type": "application/json", "content-encoding": "compress", "content-length": String(body.length) });
      expectProblem(await send(rawRequest("POST", `/v1/requests/${requestId}/withdraw`, brotliClaim, body)), 415, "compress");
      const fakeGzip = authed({ "content-type": "application/json", "content-encoding": "gzip", "content-length": String(body.length) });
      expectProblem(await send(rawRequest("POST", `/v1/requests/${requestId}/withdraw`, fakeGzip, body)), 400, "fake gzip");
      const realGzip = gzipSync(Buffer.from('{"__proto__": {"polluted": true}}'));
      const gz = authed({ "content-type": "application/json", "content-encoding": "gzip", "content-length": String(realGzip.length) });
      expectProblem(await send(rawRequest("POST", `/v1/requests/${requestId}/withdraw`, gz, realGzip)), 400, "gzip with __proto__");
    });

    it("runs the same step when its body is sent as JSON (the refusals above are about the body, not the step)", async () => {
      const r = await us.call<{ intent: Intent }>("POST", `/v1/requests/${requestId}/withdraw`, { document: { grounds: "withdrawn because…" } });
      expect(r.intent).toMatchObject({ kind: "request.withdraw", status: "awaiting-signature" });
    });
  });

  describe("requests the HTTP layer answers before any route", () => {
    it.each([
      ["a NUL byte in the path", 400, Buffer.from("GET /v1/info\0 HTTP/1.1\r\nHost: gateway\r\n\r\n")],
      ["an unknown method", 400, Buffer.from("FROB /v1/info HTTP/1.1\r\nHost: gateway\r\n\r\n")],
      ["a Content-Length that is not a number", 400, Buffer.from("POST /v1/requests HTTP/1.1\r\nHost: gateway\r\nContent-Length: abc\r\n\r\n")],
      ["both Content-Length and Transfer-Encoding (request smuggling)", 400, Buffer.from("POST /v1/requests HTTP/1.1\r\nHost: gateway\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")],
      ["two different Content-Lengths", 400, Buffer.from("POST /v1/requests HTTP/1.1\r\nHost: gateway\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd")],
      ["a header line without a colon", 400, Buffer.from("GET /v1/info HTTP/1.1\r\nHost: gateway\r\nno colon here\r\n\r\n")],
      ["a request line that is not HTTP", 400, Buffer.from("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 TLS hello\r\n\r\n", "latin1")],
      ["headers over 16 KiB", 431, Buffer.from(`GET /v1/info HTTP/1.1\r\nHost: gateway\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`)],
      ["HTTP/1.1 without Host", 400, Buffer.from("GET /v1/info HTTP/1.1\r\n\r\n")],
      ["CONNECT", 405, Buffer.from("CONNECT example.org:443 HTTP/1.1\r\nHost: example.org:443\r\n\r\n")],
      ["an Expect other than 100-continue", 417, Buffer.from("POST /v1/requests HTTP/1.1\r\nHost: gateway\r\nExpect: 200-ok\r\nContent-Length: 0\r\n\r\n")],
    ] as const)("answers %s with a %i problem document", async (name, status, bytes) => {
      expectProblem(await send(bytes), status, name);
      // …and the gateway still answers the next client.
      expect((await fetch(`${us.url}/healthz`)).status).toBe(200);
    });
  });
});
