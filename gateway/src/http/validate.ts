import { z } from "zod";
import { GatewayError } from "./errors";

/**
 * Parses untrusted input with a zod schema; failures are a 400 naming every bad field.
 * @example const body = parseInput(CreateRequestBody, req.body, "body");
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, where: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new GatewayError("VALIDATION_FAILED", `the ${where} is invalid`, {
      extensions: {
        errors: result.error.issues.slice(0, 50).map((i) => ({ path: i.path.map(String).join("."), message: i.message })),
      },
    });
  }
  return result.data;
}

/** A `bytes32` in hex, normalized to lower case. */
export const Bytes32 = z
  .string()
  .regex(/^0x[0-9a-fA-F]{64}$/, "a 0x-prefixed 32-byte hex value")
  .transform((s) => s.toLowerCase());

/** A 20-byte address. */
export const Address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "a 0x-prefixed 20-byte address");

/** An ISO 3166-1 alpha-2 state code; a `bytes32` already in canonical lower-case form (responses, job payloads). */
export { StateCodeSchema as StateCode, Bytes32Schema as Hex32 } from "../dossier/fields";
