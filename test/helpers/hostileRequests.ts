/**
 * Hostile HTTP requests generated with fast-check from a gateway's own OpenAPI document: for each
 * operation, path parameters (traversal, encodings, NUL, overlong, non-hex, unicode), query parameters
 * (wrong types, huge numbers, arrays, unknown and prototype keys), bodies that violate the operation's
 * schema (wrong types, missing or extra keys, deep nesting, prototype keys, huge values, invalid JSON,
 * wrong or missing content type), and headers (malformed, forged, expired or revoked bearer tokens, odd
 * Content-Length and Transfer-Encoding, other methods). Requests are rendered as raw bytes
 * (see rawHttp.ts), so they can be anything a client can put on the wire.
 */
import { randomBytes } from "node:crypto";
import fc from "fast-check";

/** A JSON Schema as the OpenAPI document carries it. */
export type JsonSchema = Record<string, unknown>;

/** One parameter of an operation. */
export interface FuzzParam {
  name: string;
  in: "path" | "query" | "header";
  required: boolean;
  schema: JsonSchema;
}

/** One operation of the OpenAPI document, as the fuzzer needs it. */
export interface FuzzOperation {
  method: string;
  /** Templated path (`/v1/requests/{id}`). */
  path: string;
  auth: "bearer" | "peer" | "none";
  params: FuzzParam[];
  body?: { contentType: string; schema: JsonSchema };
}

type OpenApi = {
  paths: Record<string, Record<string, { security?: Record<string, unknown>[]; parameters?: FuzzParam[]; requestBody?: { content: Record<string, { schema: JsonSchema }> } }>>;
  components?: { schemas?: Record<string, JsonSchema> };
};

/** Every operation of an OpenAPI document, `$ref`s resolved. */
export function fuzzOperations(doc: OpenApi): FuzzOperation[] {
  const resolve = (s: JsonSchema): JsonSchema => {
    const ref = s.$ref;
    return typeof ref === "string" ? resolve(doc.components!.schemas![ref.replace("#/components/schemas/", "")]!) : s;
  };
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => {
      const scheme = Object.keys(op.security?.[0] ?? {})[0];
      const [contentType, media] = Object.entries(op.requestBody?.content ?? {})[0] ?? [];
      return {
        method: method.toUpperCase(),
        path,
        auth: scheme === "siweSession" ? "bearer" : scheme === "peerSignature" ? "peer" : "none",
        params: (op.parameters ?? []).map((p) => ({ ...p, schema: resolve(p.schema) })),
        body: contentType && media ? { contentType, schema: resolve(media.schema) } : undefined,
      } satisfies FuzzOperation;
    }),
  );
}

/** What the fuzzer may use of the running consortium. */
export interface FuzzContext {
  /** Bearer tokens: valid ones reach the handlers behind sign-in; the others must all be refused. */
  tokens: { authority: string; agency: string; expired: string; revoked: string; otherGateway: string };
  /** Ids of records that exist and that this gateway's state may see. */
  real: { requestId: string; documentDigest: string };
  /** Reads whose success writes nothing (no audit entry): the only ones sent with real ids and no other fault. */
  quietReads: readonly string[];
}

/** A generated request, its bytes and what it is allowed to be answered. */
export interface HostileRequest {
  /** `METHOD /templated/path` of the operation it was derived from. */
  operation: string;
  method: string;
  target: string;
  headers: [string, string][];
  body: Buffer;
  /** Send the body with `Transfer-Encoding: chunked` (the generator chose it). */
  chunked: boolean;
  /** Raw bytes that replace the whole request (parser-level attacks); undefined for a normal request. */
  raw?: Buffer;
  /** The framing is broken on purpose: the connection cannot carry another request after it. */
  lastOnConnection: boolean;
  /** True when no answer but a refusal (4xx) is acceptable: any 2xx would mean a hostile call went through. */
  mustRefuse: boolean;
  /** Short description for reports. */
  label: string;
}

const hex = (bytes: number) => fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((b) => "0x" + Buffer.from(b).toString("hex"));

/** Percent-encodes every byte of the UTF-8 form except unreserved characters (lone surrogates become U+FFFD). */
export function encodeSegment(s: string): string {
  return [...Buffer.from(s, "utf8")].map((b) => (/[A-Za-z0-9\-._~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : "%" + b.toString(16).toUpperCase().padStart(2, "0"))).join("");
}

/** Path segment values: traversal, broken and double encodings, NUL, overlong, non-hex, unicode. */
const HOSTILE_SEGMENTS = [
  "..",
  "../..",
  "..%2F..%2F..%2Fetc%2Fpasswd",
  "%2e%2e",
  "%2e%2e%2f%2e%2e%2f",
  "%252e%252e%252f",
  "..%5c..%5cwindows",
  "%c0%ae%c0%ae%c0%af",
  "....%2F%2F",
  "%00",
  "0x%00",
  "%",
  "%zz",
  "%E0%A4%A",
  "0x" + "g".repeat(64),
  "0X" + "a".repeat(64),
  "0x" + "a".repeat(63),
  "0x" + "a".repeat(65),
  "0x" + "a".repeat(64) + "%00",
  "0x" + "a".repeat(64) + "%2F..",
  "0x",
  "0",
  "-1",
  "1e308",
  "NaN",
  "null",
  "undefined",
  "true",
  "__proto__",
  "constructor",
  "prototype",
  "[object Object]",
  "%7B%7D",
  "*",
  "~",
  "%20",
  "%0d%0aX-Injected:%201",
];

function pathValue(param: FuzzParam, op: FuzzOperation, ctx: FuzzContext, allowReal: boolean): fc.Arbitrary<{ value: string; real: boolean }> {
  const hostile = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_SEGMENTS) },
    { weight: 2, arbitrary: fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 }).map(encodeSegment) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 24 }).map(encodeSegment) },
    { weight: 1, arbitrary: fc.oneof(fc.integer({ min: 65, max: 400 }), fc.constantFrom(5_000, 20_000)).map((n) => "0x" + "a".repeat(n)) },
    { weight: 1, arbitrary: fc.oneof(hex(16), hex(20), hex(31), hex(33)) },
  ).map((value) => ({ value, real: false }));
  const absent = fc.oneof(hex(32), hex(16)).map((value) => ({ value, real: false }));
  const reals = param.name === "digest" ? [ctx.real.documentDigest] : op.path.startsWith("/v1/requests/") ? [ctx.real.requestId] : [];
  if (!allowReal || reals.length === 0) return fc.oneof({ weight: 5, arbitrary: hostile }, { weight: 2, arbitrary: absent });
  return fc.oneof({ weight: 5, arbitrary: hostile }, { weight: 2, arbitrary: absent }, { weight: 3, arbitrary: fc.constantFrom(...reals).map((value) => ({ value, real: true })) });
}

/** Query values: wrong types, huge numbers, empties, long and odd strings. */
const queryValue = fc.oneof(
  fc.constantFrom("", "abc", "-1", "0", "0.5", "1e309", "99999999999999999999999", "NaN", "Infinity", "true", "null", "[]", "{}", "%00", "%", "Submitted", "US", "MX", "any", "mined", "indexed", "2030-13-45T25:61:61Z", "1:1", "1:"),
  fc.string({ maxLength: 30 }).map(encodeURIComponent),
  fc.string({ unit: "grapheme", maxLength: 20 }).map(encodeSegment),
  fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 201, max: 600 }) }, { weight: 1, arbitrary: fc.constantFrom(4_000, 12_000) }).map((n) => "x".repeat(n)),
  fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }).map(String),
);

function queryString(op: FuzzOperation): fc.Arbitrary<string> {
  const declared = op.params.filter((p) => p.in === "query").map((p) => p.name);
  const key = fc.oneof(
    { weight: declared.length > 0 ? 4 : 0, arbitrary: declared.length > 0 ? fc.constantFrom(...declared) : fc.constant("x") },
    { weight: 1, arbitrary: declared.length > 0 ? fc.constantFrom(...declared.map((d) => `${d}[]`), ...declared.map((d) => `${d}[a]`)) : fc.constant("a[]") },
    { weight: 2, arbitrary: fc.constantFrom("__proto__", "__proto__[polluted]", "constructor[prototype][polluted]", "constructor", "prototype", "hasOwnProperty", "toString", "lastEventId", "fileName", "wait", "limit", "cursor") },
    { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 12 }).map(encodeURIComponent) },
  );
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant("") },
    { weight: 6, arbitrary: fc.array(fc.tuple(key, queryValue), { minLength: 1, maxLength: 6 }).map((pairs) => "?" + pairs.map(([k, v]) => `${k}=${v}`).join("&")) },
    { weight: 1, arbitrary: fc.constantFrom("?", "?&&&", "?=", "?=x", "?a", "?%", "?a=1&a=2&a=3", "?a=1;b=2", "?" + "a=1&".repeat(2000)) },
  );
}

/** JSON values of any shape, including the awkward ones. */
const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(0, -0, 1e308, -1e308, 2 ** 53 + 1, 0.1, "", "\u0000", "\ud800", "𝓍", true, false, null, [], {}),
);

/** A value that does not satisfy `schema` (defined only for schemas that constrain their value). */
function violating(schema: JsonSchema): fc.Arbitrary<unknown> | undefined {
  const type = schema.type;
  const options: fc.Arbitrary<unknown>[] = [];
  if (type === "string") {
    options.push(fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 2 }), fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 })));
    if (Array.isArray(schema.enum)) options.push(fc.string().filter((s) => !(schema.enum as unknown[]).includes(s)));
    if (typeof schema.pattern === "string") {
      const re = new RegExp(schema.pattern as string);
      options.push(fc.oneof(fc.string(), fc.constantFrom(...HOSTILE_SEGMENTS.map(decodeSafe))).filter((s) => !re.test(s)));
    }
    if (typeof schema.maxLength === "number") options.push(fc.constant("y".repeat((schema.maxLength as number) + 1)));
  } else if (type === "integer" || type === "number") {
    options.push(fc.oneof(fc.string(), fc.boolean(), fc.constant(null), fc.constant([1]), fc.constant({})));
    if (type === "integer") options.push(fc.constantFrom(0.5, 1e-9, 2 ** 53 + 2.5));
    if (typeof schema.minimum === "number") options.push(fc.constant((schema.minimum as number) - 1));
    if (typeof schema.maximum === "number") options.push(fc.constantFrom((schema.maximum as number) + 1, 1e308));
  } else if (type === "object") {
    options.push(fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 2 })));
  } else if (type === "array") {
    options.push(fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.constant({})));
    if (typeof schema.maxItems === "number") options.push(fc.constant(Array.from({ length: (schema.maxItems as number) + 1 }, () => "x")));
    if (typeof schema.minItems === "number" && (schema.minItems as number) > 0) options.push(fc.constant([]));
  }
  return options.length > 0 ? fc.oneof(...options) : undefined;
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** A value that satisfies `schema` (for the properties a hostile body leaves intact). */
function conforming(schema: JsonSchema): unknown {
  if (Array.isArray(schema.enum)) return schema.enum[0];
  if (schema.type === "string") {
    const p = String(schema.pattern ?? "");
    if (p.includes("{130}")) return "0x" + randomBytes(65).toString("hex");
    if (p.includes("{64}")) return "0x" + randomBytes(32).toString("hex");
    if (p.includes("{40}")) return "0x" + randomBytes(20).toString("hex");
    if (p.includes("[A-Z]{2}")) return "MX";
    if (schema.format === "date-time") return "2031-01-01T00:00:00Z";
    return "x";
  }
  if (schema.type === "integer" || schema.type === "number") return schema.minimum ?? 1;
  if (schema.type === "array") return [conforming((schema.items as JsonSchema) ?? {})];
  if (schema.type === "object") return {};
  return {};
}

/** Nests `inner` `depth` levels deep in arrays or objects. */
const deeplyNested = fc.tuple(fc.integer({ min: 33, max: 20_000 }), fc.boolean()).map(([depth, arrays]) => (arrays ? "[".repeat(depth) + "]".repeat(depth) : '{"a":'.repeat(depth) + "1" + "}".repeat(depth)));

const FORBIDDEN_KEYS = ["__proto__", "constructor", "prototype"];

/** A JSON body for `schema` that the gateway must refuse: each variant breaks the schema or JSON itself. */
function invalidJsonBody(schema: JsonSchema, limitBytes: number): fc.Arbitrary<string> {
  const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = (schema.required ?? []) as string[];
  const base = (): Record<string, unknown> => Object.fromEntries(required.map((k) => [k, conforming(props[k] ?? {})]));
  const variants: fc.Arbitrary<string>[] = [
    fc.constantFrom('{"a":', "{", "}", "[", '{"a":1,}', "{'a':1}", '{"a":01}', '{"a":NaN}', '{"a":undefined}', "\u0000", '{"a":"\\x"}', '{"a" 1}', "{}{}", "nul", "tru"),
    fc.string({ minLength: 1, maxLength: 200 }).filter((s) => !isJson(s)),
    fc.oneof(fc.integer(), fc.double(), fc.string(), fc.boolean(), fc.constant(null), fc.array(anyJson, { maxLength: 4 })).map((v) => JSON.stringify(v)),
    fc.tuple(fc.constantFrom(...FORBIDDEN_KEYS), anyJson, fc.integer({ min: 0, max: 5 })).map(([key, value, depth]) => {
      let inner = `{${JSON.stringify(key)}: ${JSON.stringify(value ?? null)}}`;
      for (let i = 0; i < depth; i++) inner = `{"document": ${inner}}`;
      return inner;
    }),
    deeplyNested.map((nest) => `{"document": {"x": ${nest}}}`),
    fc.integer({ min: limitBytes + 1, max: limitBytes * 2 }).map((n) => JSON.stringify({ ...base(), document: { text: "z".repeat(n) } })),
  ];
  if (schema.additionalProperties === false) {
    const unknownKey = fc.oneof(fc.string({ minLength: 1, maxLength: 20 }), fc.constantFrom("admin", "isAdmin", "role", "state", "actor", "__proto__")).filter((k) => !(k in props));
    variants.push(fc.tuple(unknownKey, anyJson).map(([k, v]) => JSON.stringify({ ...base(), [k]: v ?? null })));
  }
  if (required.length > 0) variants.push(fc.constantFrom(...required).map((k) => JSON.stringify(Object.fromEntries(Object.entries(base()).filter(([key]) => key !== k)))));
  const breakable = Object.entries(props).flatMap(([k, s]) => {
    const bad = violating(s);
    return bad ? [bad.map((v) => JSON.stringify({ ...base(), [k]: v }))] : [];
  });
  if (breakable.length > 0) variants.push(fc.oneof(...breakable));
  return fc.oneof(...variants);
}

function isJson(s: string): boolean {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
}

/** A body that is neither read by nor allowed on the operation (GETs, DELETE, raw routes). */
const junkBody = fc.oneof(
  { weight: 6, arbitrary: fc.constant({ body: Buffer.alloc(0), type: undefined as string | undefined }) },
  { weight: 1, arbitrary: fc.tuple(fc.uint8Array({ minLength: 1, maxLength: 2048 }), fc.constantFrom("application/octet-stream", "text/plain", "application/json", undefined)).map(([b, type]) => ({ body: Buffer.from(b), type })) },
  { weight: 1, arbitrary: anyJson.map((v) => ({ body: Buffer.from(JSON.stringify(v ?? null)), type: "application/json" as string | undefined })) },
);

/** Content types for a body, including lies about it. */
const contentTypes = fc.constantFrom(
  "application/json",
  "application/json; charset=utf-8",
  "application/json; charset=latin1",
  "application/json; charset=utf-16",
  "application/merge-patch+json",
  "APPLICATION/JSON",
  "text/plain",
  "text/json",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/octet-stream",
  "application/pdf",
  "x/y/z",
  ";;;",
  "application/json; charset=",
);

function bearerFor(ctx: FuzzContext, op: FuzzOperation): fc.Arbitrary<string | undefined> {
  const t = ctx.tokens;
  // Signing out with a live token would end the fuzzer's own sessions: the session path gets only dead ones.
  const live = op.path === "/v1/auth/session" ? [] : [`Bearer ${t.authority}`, `Bearer ${t.agency}`];
  const dead = [
    undefined,
    "Bearer",
    "Bearer ",
    `Bearer ${t.revoked}`,
    `Bearer ${t.otherGateway}`,
    "Basic dXNlcjpwYXNzd29yZA==",
    `Bearer ${"A".repeat(101)}`,
    `Bearer ${"A".repeat(6000)}`,
    `Bearer ${t.authority.slice(0, -1)}`,
    `bearer ${t.authority}`,
    `Bearer  ${t.authority}`,
    `Bearer ${t.authority} ${t.agency}`,
    `Bearer ${t.authority}==`,
    "Bearer ../../etc/passwd",
    "Bearer %00",
    "Bearer null",
    "Bearer undefined",
    "Token abc",
  ];
  if (live.length > 0) dead.push(`Bearer ${t.expired}`);
  const forged = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => `Bearer ${Buffer.from(b).toString("base64url")}`);
  return fc.oneof(
    { weight: live.length > 0 ? 6 : 0, arbitrary: live.length > 0 ? fc.constantFrom(...live) : fc.constant(undefined) },
    { weight: 4, arbitrary: fc.constantFrom(...dead) },
    { weight: 1, arbitrary: forged },
    { weight: 1, arbitrary: fc.string({ maxLength: 60 }).map((s) => s.replace(/[\r\n]/g, "")) },
  );
}

/** Extra headers: the operation's own (with hostile values), and ones no operation expects. */
function extraHeaders(op: FuzzOperation): fc.Arbitrary<[string, string][]> {
  const own = op.params.filter((p) => p.in === "header").map((p) => p.name);
  const name = fc.oneof(
    { weight: own.length > 0 ? 3 : 0, arbitrary: own.length > 0 ? fc.constantFrom(...own) : fc.constant("x-none") },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        "x-file-name",
        "x-evidence-id",
        "x-collected-at",
        "x-mlat-from-state",
        "x-mlat-signature",
        "last-event-id",
        "x-forwarded-for",
        "x-forwarded-host",
        "origin",
        "range",
        "if-none-match",
        "accept",
        "accept-encoding",
        "cookie",
        "x-http-method-override",
        "__proto__",
      ),
    },
  );
  const value = fc.oneof(
    fc.constantFrom("", "MX", "US", "ES", "XX", "0x" + "ab".repeat(65), "0x" + "ab".repeat(32), "../../etc/passwd", "%00", "%E0%A4%A", "1:1", "bytes=0-", "*", "1.2.3.4, 10.0.0.1", "evil.example", "DELETE", "🙂".repeat(3)),
    fc.string({ maxLength: 80 }).map((s) => s.replace(/[\r\n\0]/g, "")),
    fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 200, max: 1000 }) }, { weight: 1, arbitrary: fc.constantFrom(8_000, 17_000) }).map((n) => "v".repeat(n)),
  );
  return fc.array(fc.tuple(name, value), { maxLength: 4 });
}

const READS = ["GET", "HEAD", "OPTIONS"];
const OTHER_METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE", "PROPFIND", "SEARCH", "PURGE", "LINK"];

/** Parser-level attacks: bytes no well-behaved client sends. */
function rawAttack(op: FuzzOperation, ctx: FuzzContext): fc.Arbitrary<Buffer> {
  // Ids of nothing: some of these are well-formed requests (HTTP/1.0, absolute form, Expect) that must not write.
  const path = op.path.replace(/\{[^}]+\}/g, "0x" + "7e".repeat(32));
  // (Never a live token on the session path: a well-formed DELETE would end the fuzzer's session.)
  const auth = op.path === "/v1/auth/session" ? "" : `Authorization: Bearer ${ctx.tokens.authority}\r\n`;
  return fc.oneof(
    fc.constantFrom(
      `${op.method} ${path}\0 HTTP/1.1\r\nHost: gw\r\n\r\n`,
      `${op.method} ${path} HTTP/1.1\r\nHost: gw\r\nContent-Length: abc\r\n\r\n`,
      `${op.method} ${path} HTTP/1.1\r\nHost: gw\r\nContent-Length: -1\r\n\r\n`,
      `${op.method} ${path} HTTP/1.1\r\nHost: gw\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab`,
      `${op.method} ${path} HTTP/1.1\r\nHost: gw\r\n${auth}Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
      `${op.method} ${path} HTTP/1.1\r\nHost: gw\r\n${auth}Transfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n`,
      `${op.method} ${path} HTTP/1.1\r\nHost: gw\r\n${auth}Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n`,
      `${op.method} ${path} HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: xchunked\r\n\r\n`,
      `${op.method} ${path} HTTP/1.1\r\nHost: gw\r\n${auth}X-Bad: a\rb\r\n\r\n`,
      `${op.method} ${path} HTTP/1.1\r\nHost: gw\r\n ${auth}\r\n`,
      `${op.method} ${path} HTTP/1.1\r\n${auth}\r\n`,
      `${op.method} ${path} HTTP/9.9\r\nHost: gw\r\n\r\n`,
      `${op.method} ${path} HTTP/1.0\r\n${auth}\r\n`,
      `${op.method.toLowerCase()} ${path} HTTP/1.1\r\nHost: gw\r\n\r\n`,
      `FROB ${path} HTTP/1.1\r\nHost: gw\r\n\r\n`,
      `CONNECT ${path} HTTP/1.1\r\nHost: gw\r\n\r\n`,
      `${op.method} ${path} HTTP/1.1\r\nHost: gw\r\n${auth}Expect: 100-continue\r\nContent-Length: 2\r\nContent-Type: application/json\r\n\r\n{}`,
      `${op.method} ${path} HTTP/1.1\r\nHost: gw\r\nExpect: bananas\r\n\r\n`,
      `${op.method} ${path} HTTP/1.1\r\nHost: gw\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n${auth}\r\n`,
      `${op.method} http://evil.example${path} HTTP/1.1\r\nHost: gw\r\n\r\n`,
      `${op.method} * HTTP/1.1\r\nHost: gw\r\n\r\n`,
      `${op.method} ${path} HTTP/1.1\r\nHost: gw\r\nX-Big: ${"a".repeat(17_000)}\r\n\r\n`,
      `${op.method} /${"a/".repeat(4000)} HTTP/1.1\r\nHost: gw\r\n\r\n`,
      `PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n`,
      `\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03`,
      `\r\n\r\n`,
    ),
    fc.uint8Array({ minLength: 1, maxLength: 300 }).map((b) => Buffer.concat([Buffer.from(b), Buffer.from("\r\n\r\n")])),
    fc.string({ unit: "grapheme", minLength: 1, maxLength: 30 }).map((s) => `${op.method} /${s} HTTP/1.1\r\nHost: gw\r\n\r\n`),
  ).map((s) => (typeof s === "string" ? Buffer.from(s, "latin1") : s));
}

/**
 * Hostile requests for `ops`. Real record ids appear only where the request stays refused for another
 * reason (a body that breaks the schema) or the read writes nothing ({@link FuzzContext.quietReads}),
 * so that nothing a fuzzer sends can legitimately store anything.
 * @example fc.sample(hostileRequest(fuzzOperations(doc), ctx, 64 * 1024), 10)
 */
/**
 * True for a call that may succeed whoever sends it: reads, and signing out, which is idempotent (any
 * token, even none, may be "signed out": 204) — also when it arrives as a bare HTTP/1.0 request line.
 */
function mayAnswerAnyone(method: string, path: string): boolean {
  return READS.includes(method) || (method === "DELETE" && path === "/v1/auth/session");
}

export function hostileRequest(ops: readonly FuzzOperation[], ctx: FuzzContext, limitBytes: number): fc.Arbitrary<HostileRequest> {
  return fc.constantFrom(...ops).chain((op) => {
    const name = `${op.method} ${op.path}`;
    const pathParams = op.params.filter((p) => p.in === "path");
    const isJsonOp = op.body?.contentType === "application/json";
    const bodyArb: fc.Arbitrary<{ body: Buffer; type?: string; invalid: boolean }> = isJsonOp
      ? fc.oneof(
          { weight: 8, arbitrary: invalidJsonBody(op.body!.schema, limitBytes).map((s) => ({ body: Buffer.from(s), type: "application/json", invalid: true })) },
          { weight: 2, arbitrary: fc.tuple(invalidJsonBody(op.body!.schema, limitBytes), contentTypes).map(([s, type]) => ({ body: Buffer.from(s), type, invalid: true })) },
          { weight: 1, arbitrary: junkBody.map((j) => ({ ...j, invalid: false })) },
        )
      : junkBody.map((j) => ({ ...j, invalid: op.method === "POST" || op.method === "PUT" }));
    const normal = fc
      .record({
        body: bodyArb,
        method: fc.oneof({ weight: 9, arbitrary: fc.constant(op.method) }, { weight: 1, arbitrary: fc.constantFrom(...OTHER_METHODS) }),
        query: queryString(op),
        auth: op.auth === "peer" ? fc.constant(undefined) : bearerFor(ctx, op),
        headers: extraHeaders(op),
        chunked: fc.boolean(),
        lengthLie: fc.oneof({ weight: 30, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom("abc", "-1", " 5", "5, 5", "+5", "0x10", "1e3", "00", "99999999999999999999") }),
      })
      .chain((r) => {
        // A length lie sends no body at all ("00" is a valid zero), so only a body actually sent can be what refuses the call.
        const bodyRefuses = r.body.invalid && r.lengthLie === undefined;
        const allowReal = (bodyRefuses && (op.method === "POST" || op.method === "PUT")) || (ctx.quietReads.includes(name) && r.method === op.method);
        const values = pathParams.length === 0 ? fc.constant([] as { value: string; real: boolean }[]) : fc.tuple(...pathParams.map((p) => pathValue(p, op, ctx, allowReal)));
        return values.map((vals) => {
          let target = op.path;
          pathParams.forEach((p, i) => (target = target.replace(`{${p.name}}`, vals[i]!.value)));
          target += r.query;
          const headers: [string, string][] = [["host", "gateway"]];
          if (r.auth !== undefined) headers.push(["authorization", r.auth]);
          if (r.body.type) headers.push(["content-type", r.body.type]);
          headers.push(...r.headers);
          const usesReal = vals.some((v) => v.real);
          // A GET with real ids and no fault of its own may succeed (a quiet read); everything else must be refused.
          const mustRefuse = !mayAnswerAnyone(r.method, op.path);
          const req: HostileRequest = {
            operation: name,
            method: r.method,
            target,
            headers,
            body: r.body.body,
            chunked: r.chunked && r.body.body.length > 0,
            lastOnConnection: r.lengthLie !== undefined,
            mustRefuse: mustRefuse || (usesReal && !READS.includes(r.method)),
            label: `${r.method} ${target.slice(0, 120)}`,
          };
          if (r.lengthLie !== undefined) req.headers.push(["content-length", r.lengthLie]);
          return req;
        });
      });
    const raw = rawAttack(op, ctx).map(
      (bytes): HostileRequest => ({ operation: name, method: op.method, target: op.path, headers: [], body: Buffer.alloc(0), chunked: false, raw: bytes, lastOnConnection: true, mustRefuse: !mayAnswerAnyone(op.method, op.path), label: `raw ${JSON.stringify(bytes.subarray(0, 60).toString("latin1"))}` }),
    );
    return fc.oneof({ weight: 19, arbitrary: normal }, { weight: 1, arbitrary: raw });
  });
}

/** The request's bytes on the wire (Content-Length or chunked framing added unless the generator lied about it). */
export function renderRequest(r: HostileRequest): Buffer {
  if (r.raw) return r.raw;
  const lies = r.headers.some(([k]) => k === "content-length");
  const headers = [...r.headers];
  let body = r.body;
  if (!lies && r.body.length > 0) {
    if (r.chunked) {
      headers.push(["transfer-encoding", "chunked"]);
      const parts: Buffer[] = [];
      for (let i = 0; i < body.length; i += 4096) {
        const piece = body.subarray(i, i + 4096);
        parts.push(Buffer.from(piece.length.toString(16) + "\r\n"), piece, Buffer.from("\r\n"));
      }
      parts.push(Buffer.from("0\r\n\r\n"));
      body = Buffer.concat(parts);
    } else headers.push(["content-length", String(body.length)]);
  }
  const head = `${r.method} ${r.target} HTTP/1.1\r\n` + headers.map(([k, v]) => `${k}: ${v}`).join("\r\n") + "\r\n\r\n";
  return Buffer.concat([Buffer.from(head, "utf8"), lies ? Buffer.alloc(0) : body]);
}
