/**
 * The completeness check: does a dossier give a requested state everything that state publishes as
 * mandatory? Run before anything is encrypted or anchored, so that an incomplete request is answered in
 * milliseconds with every missing item named, instead of bouncing between central authorities for months.
 */
import { ASSISTANCE_TYPE_NAMES } from "./fields";
import { DOSSIER_PATH_KINDS } from "./paths";
import type { Requirements } from "./requirements";
import type { Dossier } from "./schema";

/**
 * One missing or unacceptable item: the concrete path in the dossier (array elements by index,
 * `persons[1].dateOfBirth`) and why it is reported.
 *
 * @example
 * const m: Missing = { path: "dualCriminality.explanation", reason: "MX requires this field; it is absent" };
 */
export type Missing = { path: string; reason: string };

/**
 * A concrete path where a field is missing, and how: not there at all, or there but empty.
 *
 * @example
 * const gap: FieldGap = { path: "persons[0].address", how: "absent" };
 */
export type FieldGap = { path: string; how: "absent" | "empty" };

function emptiness(value: unknown): FieldGap["how"] | undefined {
  if (value === undefined || value === null) return "absent";
  if (typeof value === "string") return value.trim() === "" ? "empty" : undefined;
  if (Array.isArray(value)) return value.length === 0 ? "empty" : undefined;
  if (typeof value === "object") return Object.values(value).every((v) => v === undefined) ? "empty" : undefined;
  return undefined;
}

/**
 * Collects the concrete paths where `rest` is missing below `value` (found at `at`, schema path `schemaPath`).
 * An absent object makes its fields missing; an absent or empty array has no elements to miss anything.
 */
function missingBelow(value: unknown, rest: readonly string[], at: string, schemaPath: string, out: FieldGap[]): void {
  const [head, ...tail] = rest;
  if (head === undefined) {
    const how = emptiness(value);
    if (how !== undefined) out.push({ path: at, how });
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((element, i) => missingBelow(element, rest, `${at}[${i}]`, schemaPath, out));
    return;
  }
  if (value === undefined || value === null) {
    if (DOSSIER_PATH_KINDS.get(schemaPath) !== "array") out.push({ path: [at, ...rest].join("."), how: "absent" });
    return;
  }
  // Own properties only: a path such as "constructor" must not find Object.prototype's.
  const child = Object.hasOwn(value, head) ? (value as Record<string, unknown>)[head] : undefined;
  const join = (prefix: string) => (prefix === "" ? head : `${prefix}.${head}`);
  missingBelow(child, tail, join(at), join(schemaPath), out);
}

/**
 * The concrete paths of `dossier` where the field at dossier path `path` is absent or empty.
 *
 * @example
 * missingAt(dossier, "persons.dateOfBirth"); // [{ path: "persons[2].dateOfBirth", how: "absent" }]
 */
export function missingAt(dossier: Dossier, path: string): FieldGap[] {
  const out: FieldGap[] = [];
  missingBelow(dossier, path.split("."), "", "", out);
  return out;
}

/**
 * Checks a dossier against a requested state's requirements and names every missing item, in this order:
 * the addressee (`requestedAuthority.state` must be the requirements' state), the language, the length of
 * the facts, the fields mandatory for every request (in the requirements' order), the fields mandatory for
 * each assistance type the dossier asks for (in bit order), and an assistance type without a measure
 * under it. A path is reported once, with its first reason. An empty result means complete.
 * Pure and deterministic: no clock, no I/O.
 *
 * @example
 * const missing = checkCompleteness(dossier, requirements);
 * if (missing.length > 0) throw new GatewayError("DOSSIER_INCOMPLETE", "the dossier is incomplete", { extensions: { missing } });
 */
export function checkCompleteness(dossier: Dossier, req: Requirements): Missing[] {
  const found: Missing[] = [];
  const reported = new Set<string>();
  const report = (path: string, reason: string) => {
    if (reported.has(path)) return;
    reported.add(path);
    found.push({ path, reason });
  };

  if (dossier.requestedAuthority.state !== req.state) {
    report(
      "requestedAuthority.state",
      `these are the requirements of ${req.state}; the dossier is addressed to ${dossier.requestedAuthority.state}`,
    );
  }
  if (!req.acceptedLanguages.includes(dossier.language)) {
    report(
      "language",
      `${req.state} accepts dossiers in ${req.acceptedLanguages.join(", ")}; this one is in ${dossier.language}`,
    );
  }
  const facts = dossier.factsSummary;
  if (req.maxFactsLength !== undefined && facts !== undefined && facts.length > req.maxFactsLength) {
    report("factsSummary", `${req.state} accepts at most ${req.maxFactsLength} characters; this has ${facts.length}`);
  }

  const requireAll = (paths: readonly string[], why: string) => {
    for (const path of paths) {
      for (const gap of missingAt(dossier, path)) report(gap.path, `${req.state} requires this field${why}; it is ${gap.how}`);
    }
  };
  requireAll(req.mandatoryFields, "");
  for (const type of ASSISTANCE_TYPE_NAMES) {
    if (dossier.assistanceTypes.includes(type)) requireAll(req.assistanceTypeFields?.[type] ?? [], ` for ${type}`);
  }

  const withoutMeasure = ASSISTANCE_TYPE_NAMES.filter(
    (t) => dossier.assistanceTypes.includes(t) && !dossier.measuresRequested?.some((m) => m.assistanceType === t),
  );
  if (withoutMeasure.length > 0) {
    report("measuresRequested", `no measure is requested under ${withoutMeasure.join(", ")}`);
  }
  return found;
}
