/**
 * The field paths of the dossier, derived from `DossierSchema` itself so that requirements can only
 * name fields that exist. A path is the dotted list of property names from the root (`"persons"`,
 * `"requestingAuthority.contact.email"`); array elements are stepped through without an index
 * (`"persons.dateOfBirth"` is the date of birth of every person).
 */
import { z } from "zod";
import { DossierSchema } from "./schema";

/** What a dossier path leads to: an object, an array, or a value (string, enum, number, boolean). */
export type DossierPathKind = "object" | "array" | "value";

function unwrap(schema: z.ZodType): z.ZodType {
  return schema instanceof z.ZodOptional ? unwrap(schema.unwrap() as z.ZodType) : schema;
}

function kindOf(schema: z.ZodType): DossierPathKind {
  const s = unwrap(schema);
  return s instanceof z.ZodArray ? "array" : s instanceof z.ZodObject ? "object" : "value";
}

function collect(schema: z.ZodType, prefix: string, out: Map<string, DossierPathKind>): void {
  const s = unwrap(schema);
  if (s instanceof z.ZodArray) {
    collect(s.element as z.ZodType, prefix, out);
  } else if (s instanceof z.ZodObject) {
    for (const [key, field] of Object.entries(s.shape as Record<string, z.ZodType>)) {
      const path = prefix === "" ? key : `${prefix}.${key}`;
      out.set(path, kindOf(field));
      collect(field, path, out);
    }
  }
}

const kinds = new Map<string, DossierPathKind>();
collect(DossierSchema, "", kinds);
kinds.delete("format");

/**
 * Every path of a dossier field, in the schema's order, with the kind of value it leads to (`format`,
 * always present, is left out).
 *
 * @example
 * DOSSIER_PATH_KINDS.get("persons"); // "array"
 */
export const DOSSIER_PATH_KINDS: ReadonlyMap<string, DossierPathKind> = kinds;

/**
 * Every path of a dossier field, in the schema's order.
 *
 * @example
 * DOSSIER_PATHS.includes("dualCriminality.explanation"); // true
 */
export const DOSSIER_PATHS: readonly string[] = [...kinds.keys()];

/**
 * One dossier path; anything else is refused, so a typo in published requirements is caught when they
 * are published, not when a dossier is checked against them.
 *
 * @example
 * DossierPathSchema.parse("requestingAuthority.contact.email");
 */
export const DossierPathSchema = z.enum(DOSSIER_PATHS as [string, ...string[]], {
  message: "a dossier field path such as persons or dualCriminality.explanation (docs/api/dossier.md)",
});
