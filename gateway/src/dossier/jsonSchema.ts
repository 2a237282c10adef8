/**
 * The JSON Schemas (draft 2020-12) of the dossier and of the requirements, generated from the zod schemas
 * so that the OpenAPI document and the validation never disagree. Self-contained: no `$ref`, so they can
 * be embedded anywhere (e.g. under `components.schemas`). What JSON Schema cannot say is checked by zod
 * only: no blank texts, unique list items, an urgent request's reasons, distinct states, measures under
 * listed assistance types, a person's name or description.
 */
import { z } from "zod";
import { RequirementsSchema } from "./requirements";
import { DossierSchema } from "./schema";

/**
 * A JSON Schema document as zod produces it.
 *
 * @example
 * const schema: JsonSchema = dossierJsonSchema();
 */
export type JsonSchema = z.core.JSONSchema.BaseSchema;

function generate(schema: z.ZodType): JsonSchema {
  // io "input": the shape a client sends (there are no defaults or transforms, so it equals the output).
  return z.toJSONSchema(schema, { target: "draft-2020-12", io: "input", unrepresentable: "throw", reused: "inline" });
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/**
 * The dossier's JSON Schema, computed once and frozen.
 *
 * @example
 * openapi.components.schemas.Dossier = dossierJsonSchema(); // a copy you may change
 * DOSSIER_JSON_SCHEMA.properties; // read-only
 */
export const DOSSIER_JSON_SCHEMA: Readonly<JsonSchema> = deepFreeze(generate(DossierSchema));

/**
 * The requirements' JSON Schema, computed once and frozen.
 *
 * @example
 * res.json(REQUIREMENTS_JSON_SCHEMA);
 */
export const REQUIREMENTS_JSON_SCHEMA: Readonly<JsonSchema> = deepFreeze(generate(RequirementsSchema));

/**
 * A fresh, mutable copy of the dossier's JSON Schema.
 *
 * @example
 * const schema = dossierJsonSchema();
 * delete schema.$schema; // e.g. before embedding in an OpenAPI 3.1 document
 */
export function dossierJsonSchema(): JsonSchema {
  return structuredClone(DOSSIER_JSON_SCHEMA) as JsonSchema;
}

/**
 * A fresh, mutable copy of the requirements' JSON Schema.
 *
 * @example
 * openapi.components.schemas.Requirements = requirementsJsonSchema();
 */
export function requirementsJsonSchema(): JsonSchema {
  return structuredClone(REQUIREMENTS_JSON_SCHEMA) as JsonSchema;
}
