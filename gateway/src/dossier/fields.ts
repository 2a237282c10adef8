/**
 * The field types of the dossier and requirements formats: bounded texts, codes, identifiers and the
 * assistance-type names. Every string and array is bounded, because dossiers arrive over HTTP from
 * untrusted clients. Strings are validated, never transformed: the parsed dossier is the one received.
 */
import { z } from "zod";
import { AssistanceType, type AssistanceTypeName } from "../../../sdk/src/ledger/types";

/**
 * Upper bounds of the dossier format (characters for texts, items for arrays).
 *
 * @example
 * import { DOSSIER_LIMITS } from "./fields";
 * if (facts.length > DOSSIER_LIMITS.factsSummary) throw …;
 */
export const DOSSIER_LIMITS = {
  /** One-line texts: names, titles, references, penalties. */
  line: 200,
  /** Postal addresses and places (may span lines). */
  address: 500,
  /** Descriptions, explanations, reasons, conditions. */
  text: 4000,
  /** The summary of the facts. */
  factsSummary: 32_000,
  /** Requirement notes. */
  notes: 8000,
  offences: 20,
  persons: 50,
  measures: 50,
  attachments: 50,
  /** Other names (aliases) of one person. */
  otherNames: 10,
  /** Nationalities of one person. */
  nationalities: 5,
  /** Identification documents of one person. */
  identificationDocuments: 10,
  /** Languages a state accepts. */
  languages: 30,
  /** Paths of one list of mandatory fields. */
  paths: 200,
} as const;

/**
 * The assistance-type names of the SDK (`AssistanceType`), in bit order: a dossier's `assistanceTypes`
 * become the on-chain bit set with `assistanceMask`.
 *
 * @example
 * ASSISTANCE_TYPE_NAMES[0]; // "TAKING_EVIDENCE" (bit 0)
 */
export const ASSISTANCE_TYPE_NAMES = (Object.keys(AssistanceType) as AssistanceTypeName[]).sort(
  (a, b) => AssistanceType[a] - AssistanceType[b],
) as readonly AssistanceTypeName[];

/**
 * One assistance-type name, e.g. `"BANK_RECORDS"`.
 *
 * @example
 * AssistanceTypeSchema.parse("BANK_RECORDS");
 */
export const AssistanceTypeSchema = z.enum(ASSISTANCE_TYPE_NAMES as [AssistanceTypeName, ...AssistanceTypeName[]]);

// Single line: no control characters, no leading or trailing white space (linear-time pattern).
const LINE = /^[^\s\u0000-\u001f\u007f](?:[^\u0000-\u001f\u007f]*[^\s\u0000-\u001f\u007f])?$/;
// Multi-line text: TAB, LF and CR allowed; other C0 controls and DEL refused.
const TEXT = /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/;

/**
 * A one-line text of at most `max` characters: no control characters, no leading or trailing spaces.
 *
 * @example
 * const name = line(); // ≤ 200 characters
 */
export function line(max: number = DOSSIER_LIMITS.line) {
  return z
    .string()
    .min(1)
    .max(max)
    .regex(LINE, { message: "one line of text: no control characters, no leading or trailing spaces" });
}

/**
 * A text of at most `max` characters that may span lines (TAB, LF, CR); not blank.
 *
 * @example
 * const explanation = text(); // ≤ 4000 characters
 */
export function text(max: number = DOSSIER_LIMITS.text) {
  return z
    .string()
    .min(1)
    .max(max)
    .regex(TEXT, { message: "text without control characters other than tab and line breaks" })
    .refine((s) => s.trim().length > 0, { message: "must not be blank" });
}

/**
 * An ISO 3166-1 alpha-2 state code, as the ledger packs it (`toStateBytes`).
 *
 * @example
 * StateCodeSchema.parse("MX");
 */
export const StateCodeSchema = z.string().regex(/^[A-Z]{2}$/, { message: "an ISO 3166-1 alpha-2 code such as MX" });

/**
 * A language: a two- or three-letter ISO 639 code in lower case (the primary subtag of BCP 47).
 *
 * @example
 * LanguageSchema.parse("es");
 */
export const LanguageSchema = z
  .string()
  .regex(/^[a-z]{2,3}$/, { message: "an ISO 639 language code in lower case, such as en or es" });

/**
 * A `bytes32` ledger identifier: `0x` and 64 lower-case hex digits.
 *
 * @example
 * Bytes32Schema.parse("0x" + "ab".repeat(32));
 */
export const Bytes32Schema = z
  .string()
  .regex(/^0x[0-9a-f]{64}$/, { message: "a bytes32: 0x and 64 lower-case hex digits" });

/**
 * A calendar date, ISO 8601 `YYYY-MM-DD`.
 *
 * @example
 * DateSchema.parse("2025-09-30");
 */
export const DateSchema = z.iso.date({ message: "an ISO 8601 date such as 2025-09-30" });

/**
 * An e-mail address (at most 254 characters).
 *
 * @example
 * EmailSchema.parse("officer@example.org");
 */
export const EmailSchema = z.email({ message: "an e-mail address" }).max(254);

/**
 * A telephone number: digits with an optional leading `+`, spaces, dots, dashes, slashes and parentheses.
 *
 * @example
 * PhoneSchema.parse("+34 91 123 45 67");
 */
export const PhoneSchema = z
  .string()
  .max(40)
  .regex(/^\+?[0-9(][0-9 ().\/-]{2,37}[0-9]$/, { message: "a telephone number such as +34 91 123 45 67" });

/**
 * A `superRefine` check that refuses two items of an array with the same key, naming the later one.
 *
 * @example
 * z.array(LanguageSchema).superRefine(uniqueBy((l) => l, "language"));
 */
export function uniqueBy<T>(key: (item: T) => string, what: string) {
  return (items: readonly T[], ctx: z.RefinementCtx): void => {
    const seen = new Set<string>();
    items.forEach((item, i) => {
      const k = key(item);
      if (seen.has(k)) ctx.addIssue({ code: "custom", message: `duplicate ${what} "${k}"`, path: [i] });
      seen.add(k);
    });
  };
}
