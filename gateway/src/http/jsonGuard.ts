import type { RequestHandler } from "express";
import { GatewayError } from "./errors";

/** Deepest nesting accepted in a JSON body. */
export const MAX_JSON_DEPTH = 32;
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/** The first problem of a parsed JSON value: too deep, or a key that could reach a prototype. */
export function jsonProblem(value: unknown, maxDepth = MAX_JSON_DEPTH): string | undefined {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== "object") continue;
    if (depth > maxDepth) return `the JSON nests deeper than ${maxDepth} levels`;
    if (Array.isArray(v)) {
      for (const item of v) stack.push([item, depth + 1]);
      continue;
    }
    for (const key of Object.keys(v)) {
      if (FORBIDDEN_KEYS.has(key)) return `the JSON contains the reserved key "${key}"`;
      stack.push([(v as Record<string, unknown>)[key], depth + 1]);
    }
  }
  return undefined;
}

/** Rejects parsed JSON bodies that nest too deep or carry prototype keys (400), before any handler sees them. */
export const jsonGuard: RequestHandler = (req, _res, next) => {
  if (req.body !== undefined && typeof req.body === "object") {
    const problem = jsonProblem(req.body);
    if (problem) throw new GatewayError("BAD_REQUEST", problem);
  }
  next();
};
