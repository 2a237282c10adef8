import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openApiPath, type OpenApiDocument } from "../../../gateway/src/http/openapi";
import { startTestNetwork, type TestNetwork } from "../../helpers/gateways";

/** A layer of Express 5's router stack: a route, or a mounted router with its own stack. */
interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/** Every `METHOD path` mounted in an Express app (all routers of the gateway are mounted at `/`). */
function mountedRoutes(stack: readonly Layer[]): string[] {
  const out: string[] = [];
  for (const layer of stack) {
    if (layer.route) {
      const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
      for (const p of paths) for (const [m, on] of Object.entries(layer.route.methods)) if (on && m !== "_all") out.push(`${m.toUpperCase()} ${openApiPath(p)}`);
    } else if (layer.handle?.stack) {
      out.push(...mountedRoutes(layer.handle.stack));
    }
  }
  return out;
}

/** Every `$ref` in a JSON value. */
function refsOf(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) refsOf(v, out);
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (k === "$ref" && typeof v === "string") out.push(v);
      else refsOf(v, out);
    }
  }
  return out;
}

// The document does not depend on the store: one flavour suffices.
describe("GET /openapi.json", () => {
  let net: TestNetwork;
  let doc: OpenApiDocument;

  beforeAll(async () => {
    net = await startTestNetwork("sqlite", { codes: ["US", "MX"] });
    const res = await fetch(`${net.gateways.US!.url}/openapi.json`);
    expect(res.status).toBe(200);
    doc = (await res.json()) as OpenApiDocument;
  });
  afterAll(async () => net?.stop());

  type Operation = {
    operationId: string;
    parameters?: { name: string; in: string; required?: boolean }[];
    responses: Record<string, { description: string; content?: Record<string, { schema: unknown }> }>;
    security: Record<string, string[]>[];
  };
  const operations = () =>
    Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method, op: op as Operation })));

  it("describes every route mounted in the running gateway, and no route that is not", () => {
    const app = net.gateways.US!.app as unknown as { router: { stack: Layer[] } };
    const mounted = [...new Set(mountedRoutes(app.router.stack))].sort();
    const documented = operations()
      .map((o) => `${o.method.toUpperCase()} ${o.path}`)
      .sort();
    expect(mounted.length).toBeGreaterThan(20);
    expect(documented).toEqual(mounted);
  });

  it("is an OpenAPI 3.1 document with unique operation ids, declared path parameters and resolvable references", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info).toMatchObject({ title: expect.stringContaining("US"), version: expect.any(String) });
    const ids = operations().map((o) => o.op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    const components = doc.components as { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
    for (const { path, op } of operations()) {
      const templated = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      const declared = (op.parameters ?? []).filter((p) => p.in === "path").map((p) => p.name).sort();
      expect(declared, path).toEqual(templated);
      expect((op.parameters ?? []).filter((p) => p.in === "path").every((p) => p.required === true)).toBe(true);
      expect(Object.keys(op.responses).length).toBeGreaterThan(0);
      for (const r of Object.values(op.responses)) expect(typeof r.description).toBe("string");
      for (const s of op.security) for (const name of Object.keys(s)) expect(components.securitySchemes).toHaveProperty(name);
    }
    for (const ref of refsOf(doc)) {
      const m = /^#\/components\/schemas\/(.+)$/.exec(ref);
      expect(m, ref).not.toBeNull();
      expect(components.schemas).toHaveProperty(m![1]!);
    }
  });

  it("uses SIWE bearer auth on /v1 routes behind sign-in and RFC 9457 problems for errors", () => {
    const components = doc.components as { securitySchemes: Record<string, { type: string; scheme?: string }>; schemas: Record<string, { required?: string[] }> };
    expect(components.securitySchemes.siweSession).toMatchObject({ type: "http", scheme: "bearer" });
    expect(components.schemas.Problem!.required).toEqual(expect.arrayContaining(["type", "title", "status", "code"]));
    const list = doc.paths["/v1/requests"]!.get as Operation;
    expect(list.security).toEqual([{ siweSession: [] }]);
    expect(list.responses["401"]!.content).toHaveProperty("application/problem+json");
    expect((doc.paths["/healthz"]!.get as Operation).security).toEqual([]);
    const create = doc.paths["/v1/requests"]!.post as Operation & { requestBody: { content: Record<string, { schema: { properties: object } }> } };
    expect(create.requestBody.content["application/json"]!.schema.properties).toHaveProperty("dossier");
    const audit = doc.paths["/v1/audit"]!.get as Operation;
    expect(audit.parameters!.map((p) => p.name)).toEqual(expect.arrayContaining(["limit", "cursor", "action", "subject"]));
  });
});
