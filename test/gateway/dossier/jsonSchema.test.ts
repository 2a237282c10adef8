import { describe, expect, it } from "vitest";
import {
  DEFAULT_REQUIREMENTS,
  DOSSIER_JSON_SCHEMA,
  DOSSIER_PATHS,
  REQUIREMENTS_JSON_SCHEMA,
  dossierJsonSchema,
  requirementsJsonSchema,
  type JsonSchema,
} from "../../../gateway/src/dossier";
import { exampleDossier, exampleRequirements } from "./example";
import { schemaErrors } from "./jsonSchemaCheck";

/** Every object schema inside `s`, with where it stands. */
function objectSchemas(s: unknown, at = "#"): { at: string; schema: Record<string, unknown> }[] {
  if (Array.isArray(s)) return s.flatMap((x, i) => objectSchemas(x, `${at}/${i}`));
  if (s === null || typeof s !== "object") return [];
  const o = s as Record<string, unknown>;
  const here = o.type === "object" ? [{ at, schema: o }] : [];
  return [...here, ...Object.entries(o).flatMap(([k, v]) => objectSchemas(v, `${at}/${k}`))];
}

describe("DOSSIER_JSON_SCHEMA", () => {
  const schema = DOSSIER_JSON_SCHEMA as Record<string, unknown>;

  it("is a self-contained draft 2020-12 schema", () => {
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(schema.title).toBe("MLA request dossier");
    expect(JSON.stringify(schema)).not.toContain("$ref");
    expect(schema.required).toEqual(["format", "requestingAuthority", "requestedAuthority", "treaty", "assistanceTypes", "urgency", "language"]);
  });

  it("closes every object to unknown keys", () => {
    const objects = objectSchemas(schema).filter((o) => o.schema.propertyNames === undefined);
    expect(objects.length).toBeGreaterThan(8);
    for (const o of objects) expect(o.schema.additionalProperties, o.at).toBe(false);
  });

  it("bounds every string and array", () => {
    const walk = (s: unknown, at: string): void => {
      if (Array.isArray(s)) return s.forEach((x, i) => walk(x, `${at}/${i}`));
      if (s === null || typeof s !== "object") return;
      const o = s as Record<string, unknown>;
      if (o.type === "string" && o.const === undefined && o.enum === undefined) {
        expect(o.maxLength !== undefined || typeof o.pattern === "string", at).toBe(true);
      }
      if (o.type === "array") expect(o.maxItems, at).toBeTypeOf("number");
      for (const [k, v] of Object.entries(o)) walk(v, `${at}/${k}`);
    };
    walk(schema, "#");
  });

  it("accepts the example dossier", () => {
    expect(schemaErrors(schema, exampleDossier())).toEqual([]);
  });

  it("refuses what zod refuses structurally", () => {
    const d = exampleDossier() as Record<string, unknown>;
    expect(schemaErrors(schema, { ...d, extra: 1 })).toEqual(["/: additional property extra"]);
    expect(schemaErrors(schema, { ...d, language: "EN" })).toEqual(["/language: pattern"]);
    expect(schemaErrors(schema, { ...d, assistanceTypes: ["TELEPATHY"] })).toEqual(["/assistanceTypes/0: enum"]);
    expect(schemaErrors(schema, { ...d, requestedDeadline: "2025-02-30" })).toEqual(["/requestedDeadline: pattern"]);
    expect(schemaErrors(schema, { ...d, factsSummary: "f".repeat(32_001) })).toEqual(["/factsSummary: maxLength"]);
    const { urgency: _urgency, ...withoutUrgency } = d;
    expect(schemaErrors(schema, withoutUrgency)).toEqual(["/: required urgency"]);
  });

  it("is frozen, and copies are fresh and mutable", () => {
    expect(Object.isFrozen(DOSSIER_JSON_SCHEMA)).toBe(true);
    const copy: JsonSchema = dossierJsonSchema();
    expect(copy).toEqual(DOSSIER_JSON_SCHEMA);
    delete copy.$schema;
    expect(DOSSIER_JSON_SCHEMA.$schema).toBeDefined();
    expect(dossierJsonSchema()).not.toBe(dossierJsonSchema());
  });
});

describe("REQUIREMENTS_JSON_SCHEMA", () => {
  const schema = REQUIREMENTS_JSON_SCHEMA as Record<string, unknown>;

  it("accepts the default and example requirements", () => {
    expect(schemaErrors(schema, DEFAULT_REQUIREMENTS("MX"))).toEqual([]);
    expect(schemaErrors(schema, exampleRequirements())).toEqual([]);
  });

  it("lists the dossier paths a requirement may name", () => {
    const mandatory = (schema.properties as { mandatoryFields: { items: { enum: string[] } } }).mandatoryFields;
    expect(mandatory.items.enum).toEqual(DOSSIER_PATHS);
    expect(schemaErrors(schema, exampleRequirements({ mandatoryFields: ["persons.shoeSize"] }))).toEqual(["/mandatoryFields/0: enum"]);
  });

  it("refuses unknown assistance types as keys", () => {
    const bad = { ...exampleRequirements(), assistanceTypeFields: { TELEPATHY: ["persons"] } };
    expect(schemaErrors(schema, bad)).toEqual(["/assistanceTypeFields/TELEPATHY#name: enum"]);
  });

  it("is frozen, and copies are fresh", () => {
    expect(Object.isFrozen(REQUIREMENTS_JSON_SCHEMA)).toBe(true);
    expect(requirementsJsonSchema()).toEqual(REQUIREMENTS_JSON_SCHEMA);
    expect(requirementsJsonSchema()).not.toBe(REQUIREMENTS_JSON_SCHEMA);
  });
});
