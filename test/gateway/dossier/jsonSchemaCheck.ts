/**
 * A small validator for the JSON Schema keywords the dossier schemas use (type, const, enum, pattern,
 * length and item bounds, properties, required, additionalProperties, propertyNames, items, minimum,
 * maximum), so tests can show the generated schema accepts and refuses what zod does without adding a
 * JSON Schema library. Any other keyword fails loudly, so the helper cannot silently under-check.
 */
type Schema = Record<string, unknown>;

const KNOWN = new Set([
  "$schema", "title", "description", "format", "type", "const", "enum", "pattern", "minLength", "maxLength",
  "minItems", "maxItems", "items", "properties", "required", "additionalProperties", "propertyNames",
  "minimum", "maximum",
]);

function typeOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

/** The JSON-pointer-like paths where `value` breaks `schema`; empty when it conforms. */
export function schemaErrors(schema: Schema, value: unknown, at = ""): string[] {
  const errors: string[] = [];
  const fail = (why: string) => errors.push(`${at || "/"}: ${why}`);
  for (const k of Object.keys(schema)) if (!KNOWN.has(k)) throw new Error(`unsupported keyword ${k} at ${at}`);
  const t = typeOf(value);
  if (schema.type !== undefined && schema.type !== t && !(schema.type === "number" && t === "integer")) {
    fail(`expected ${String(schema.type)}, got ${t}`);
    return errors;
  }
  if ("const" in schema && schema.const !== value) fail("const");
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) fail("enum");
  if (typeof value === "string") {
    const length = [...value].length;
    if (typeof schema.minLength === "number" && length < schema.minLength) fail("minLength");
    if (typeof schema.maxLength === "number" && length > schema.maxLength) fail("maxLength");
    if (typeof schema.pattern === "string" && !new RegExp(schema.pattern, "u").test(value)) fail("pattern");
  }
  if (typeof value === "number") {
    if (typeof schema.minimum === "number" && value < schema.minimum) fail("minimum");
    if (typeof schema.maximum === "number" && value > schema.maximum) fail("maximum");
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === "number" && value.length < schema.minItems) fail("minItems");
    if (typeof schema.maxItems === "number" && value.length > schema.maxItems) fail("maxItems");
    const items = schema.items as Schema | undefined;
    if (items) value.forEach((v, i) => errors.push(...schemaErrors(items, v, `${at}/${i}`)));
  }
  if (t === "object") {
    const obj = value as Record<string, unknown>;
    const props = (schema.properties ?? {}) as Record<string, Schema>;
    for (const r of (schema.required ?? []) as string[]) if (!(r in obj)) fail(`required ${r}`);
    for (const [k, v] of Object.entries(obj)) {
      if (schema.propertyNames) errors.push(...schemaErrors(schema.propertyNames as Schema, k, `${at}/${k}#name`));
      const sub = Object.hasOwn(props, k) ? props[k] : schema.additionalProperties;
      if (sub === false) fail(`additional property ${k}`);
      else if (sub && typeof sub === "object") errors.push(...schemaErrors(sub as Schema, v, `${at}/${k}`));
    }
  }
  return errors;
}
