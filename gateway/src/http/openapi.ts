import { z } from "zod";
import { ERROR_STATUS } from "./errors";
import { EXTRA_SCHEMAS, OPERATIONS, PATH_PARAMS, type JsonSchemaObject, type OperationSpec, type SchemaSource } from "./openapiOperations";
import { ProblemSchema } from "./openapiSchemas";

/** An OpenAPI 3.1 document (plain JSON). */
export type OpenApiDocument = Record<string, unknown> & { openapi: "3.1.0"; paths: Record<string, Record<string, unknown>> };

/**
 * Express path → OpenAPI path template.
 * @example openApiPath("/v1/requests/:id") // "/v1/requests/{id}"
 */
export function openApiPath(expressPath: string): string {
  return expressPath.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, "{$1}");
}

/** JSON Schema of a zod schema (request side: what a client may send) or a ready JSON Schema. */
function jsonSchema(source: SchemaSource, io: "input" | "output"): JsonSchemaObject {
  if (!(source instanceof z.ZodType)) return source;
  const { $schema: _drop, ...schema } = z.toJSONSchema(source, { io, unrepresentable: "any", target: "draft-2020-12" }) as JsonSchemaObject;
  return schema;
}

const problemRef = { $ref: "#/components/schemas/Problem" };
const problemResponse = (description: string) => ({ description, content: { "application/problem+json": { schema: problemRef } } });

function operation(spec: OperationSpec): Record<string, unknown> {
  const parameters: Record<string, unknown>[] = [];
  for (const [, name] of spec.path.matchAll(/:([A-Za-z_][A-Za-z0-9_]*)/g)) {
    const p = spec.params?.[name!] ?? PATH_PARAMS[name!] ?? { schema: z.string(), description: name! };
    parameters.push({ name, in: "path", required: true, description: p.description, schema: jsonSchema(p.schema, "input") });
  }
  if (spec.query) {
    const q = jsonSchema(spec.query, "input") as { properties?: Record<string, JsonSchemaObject>; required?: string[] };
    for (const [name, schema] of Object.entries(q.properties ?? {})) {
      parameters.push({ name, in: "query", required: q.required?.includes(name) ?? false, schema });
    }
  }
  for (const [name, h] of Object.entries(spec.headers ?? {})) parameters.push({ name, in: "header", required: h.required, description: h.description, schema: { type: "string" } });

  const responses: Record<string, unknown> = {};
  for (const [status, r] of Object.entries(spec.responses)) {
    responses[status] = {
      description: r.description,
      ...(r.headers ? { headers: Object.fromEntries(Object.entries(r.headers).map(([h, d]) => [h, { description: d, schema: { type: "string" } }])) } : {}),
      ...(r.schema ? { content: { [r.contentType ?? "application/json"]: { schema: jsonSchema(r.schema, "output") } } } : {}),
    };
  }
  responses["400"] ??= problemResponse("malformed input (VALIDATION_FAILED, BAD_REQUEST): `errors` names each bad field");
  if (spec.auth === "bearer") {
    responses["401"] ??= problemResponse("no valid session (UNAUTHENTICATED)");
    responses["403"] ??= problemResponse("the account lacks the role, or its state is not active (FORBIDDEN)");
  }
  if (spec.path.includes(":")) responses["404"] ??= problemResponse("absent, or not visible to this state (same answer for both)");
  if (spec.method !== "get") responses["422"] ??= problemResponse("the ledger would refuse the call (LEDGER_REFUSED, with `ledgerError` and `ledgerArgs`)");
  responses["429"] ??= problemResponse("rate limited (RATE_LIMITED, with Retry-After)");
  responses.default = problemResponse("any other error, as RFC 9457 problem details");

  return {
    operationId: operationId(spec),
    summary: spec.summary,
    tags: [spec.tag],
    security: spec.auth === "bearer" ? [{ siweSession: [] }] : spec.auth === "peer" ? [{ peerSignature: [] }] : [],
    ...(parameters.length ? { parameters } : {}),
    ...(spec.body
      ? {
          requestBody: {
            required: true,
            ...(spec.body.description ? { description: spec.body.description } : {}),
            content: { [spec.body.contentType ?? "application/json"]: { schema: jsonSchema(spec.body.schema, "input") } },
          },
        }
      : {}),
    responses,
  };
}

function operationId(spec: OperationSpec): string {
  const words = spec.path
    .split("/")
    .filter((s) => s && s !== "v1")
    .map((s) => (s.startsWith(":") ? "by-" + s.slice(1) : s))
    .join("-")
    .replace(/[^A-Za-z0-9]+(.)/g, (_m, c: string) => c.toUpperCase())
    .replace(/[^A-Za-z0-9]/g, "");
  return spec.method + words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * The gateway's OpenAPI 3.1 document, built from the routes' own zod schemas (`z.toJSONSchema`), the
 * dossier's JSON Schema, the SIWE bearer security scheme and RFC 9457 problem responses.
 * @example res.json(openApiDocument({ state: "MX", serverUrl: "https://mlat.mx.example" }))
 */
export function openApiDocument(options: { state: string; serverUrl?: string }): OpenApiDocument {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of OPERATIONS) (paths[openApiPath(spec.path)] ??= {})[spec.method] = operation(spec);
  return {
    openapi: "3.1.0",
    info: {
      title: `MLAT Ledger gateway (${options.state})`,
      version: "1",
      description:
        "A member state's gateway: requests and evidence off-chain and encrypted, ledger calls prepared for EIP-712 signature and relayed, " +
        "an anchored audit log, Server-Sent Events. Errors are RFC 9457 problem details; every `code` is listed in components.schemas.ErrorCode.",
    },
    ...(options.serverUrl ? { servers: [{ url: options.serverUrl }] } : {}),
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    paths,
    components: {
      securitySchemes: {
        siweSession: {
          type: "http",
          scheme: "bearer",
          description: "Token from POST /v1/auth/session after signing an EIP-4361 (Sign-In with Ethereum) message with a nonce from GET /v1/auth/nonce",
        },
        peerSignature: { type: "apiKey", in: "header", name: "x-mlat-signature", description: "a GATEWAY account's EIP-191 signature of the push" },
      },
      schemas: {
        Problem: jsonSchema(ProblemSchema, "output"),
        ErrorCode: { type: "string", enum: Object.keys(ERROR_STATUS) },
        ...Object.fromEntries(Object.entries(EXTRA_SCHEMAS).map(([k, v]) => [k, jsonSchema(v, "output")])),
      },
    },
  };
}
