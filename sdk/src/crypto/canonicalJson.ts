/**
 * Canonical JSON: object keys sorted by UTF-16 code units, no whitespace, strings and numbers as
 * `JSON.stringify` writes them. For the values it accepts (strings, safe integers, booleans, null,
 * arrays and plain objects) this is the JSON Canonicalization Scheme of RFC 8785, so the same document
 * always has the same bytes and the same digest. Anything else (non-integer or unsafe numbers,
 * `undefined`, functions, class instances, cycles) throws a `TypeError`.
 *
 * @example
 * canonicalJson({ b: 1, a: [true, "x"] }); // '{"a":[true,"x"],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  return write(value, new Set());
}

function write(value: unknown, seen: Set<object>): string {
  if (value === null || typeof value === "boolean" || typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) throw new TypeError(`canonical JSON takes safe integers only, not ${value}`);
    return JSON.stringify(value);
  }
  if (typeof value !== "object") throw new TypeError(`canonical JSON cannot encode a ${typeof value}`);
  if (seen.has(value)) throw new TypeError("canonical JSON cannot encode a cycle");
  seen.add(value);
  try {
    if (Array.isArray(value)) return `[${value.map((v) => write(v, seen)).join(",")}]`;
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) throw new TypeError("canonical JSON takes plain objects only");
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${write((value as Record<string, unknown>)[k], seen)}`);
    return `{${entries.join(",")}}`;
  } finally {
    seen.delete(value);
  }
}
