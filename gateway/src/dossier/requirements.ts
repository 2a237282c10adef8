/**
 * What a requested state publishes about the dossiers it accepts (`mlat-ledger/requirements/v1`): the
 * languages it reads, the fields it insists on for every request and for each kind of assistance, and
 * the longest summary of facts it accepts. Each gateway serves its own state's requirements; a requesting
 * gateway fetches and caches them and checks a dossier with `checkCompleteness` before submitting it.
 */
import { z } from "zod";
import type { AssistanceTypeName } from "../../../sdk/src/ledger/types";
import {
  ASSISTANCE_TYPE_NAMES,
  AssistanceTypeSchema,
  DOSSIER_LIMITS,
  LanguageSchema,
  StateCodeSchema,
  text,
  uniqueBy,
} from "./fields";
import { DossierPathSchema } from "./paths";

/**
 * Value of a requirements document's `format` field.
 *
 * @example
 * const requirements = { format: REQUIREMENTS_FORMAT, state: "MX", … };
 */
export const REQUIREMENTS_FORMAT = "mlat-ledger/requirements/v1";

const Paths = z
  .array(DossierPathSchema)
  .max(DOSSIER_LIMITS.paths)
  .superRefine(uniqueBy((p) => p, "path"));

/**
 * The requirements' zod schema. Paths must be dossier field paths (`DOSSIER_PATHS`); a path that names
 * an array means "a non-empty array", a path through an array applies to every element
 * (`"persons.dateOfBirth"`: every person's date of birth).
 *
 * @example
 * const requirements = RequirementsSchema.parse(await (await fetch(`${peer}/v1/requirements`)).json());
 */
export const RequirementsSchema = z
  .strictObject({
    format: z.literal(REQUIREMENTS_FORMAT),
    state: StateCodeSchema.describe("The requested state these requirements are of."),
    acceptedLanguages: z
      .array(LanguageSchema)
      .min(1)
      .max(DOSSIER_LIMITS.languages)
      .superRefine(uniqueBy((l) => l, "language"))
      .describe("Languages a dossier may be written in."),
    mandatoryFields: Paths.describe("Dossier fields every request must fill in."),
    assistanceTypeFields: z
      .partialRecord(AssistanceTypeSchema, Paths)
      .optional()
      .describe("Further mandatory fields of requests that ask for a given kind of assistance."),
    maxFactsLength: z
      .int()
      .min(1)
      .max(DOSSIER_LIMITS.factsSummary)
      .optional()
      .describe("Longest factsSummary accepted, in characters."),
    notes: text(DOSSIER_LIMITS.notes).optional().describe("Anything else requesting authorities should know."),
  })
  .meta({ title: "Dossier requirements of a requested state", description: `Format ${REQUIREMENTS_FORMAT}.` });

/**
 * Validated requirements.
 *
 * @example
 * const requirements: Requirements = RequirementsSchema.parse(body);
 */
export type Requirements = z.infer<typeof RequirementsSchema>;

// UNTOC art. 18(15): identity of the requesting authority, the proceedings and the authority conducting
// them, a description of the assistance sought, its purpose; dual criminality and the offences as every
// central authority asks for them.
const EVERY_REQUEST = [
  "requestingAuthority.address",
  "requestingAuthority.contact.name",
  "requestingAuthority.contact.email",
  "requestingAuthority.reference",
  "proceedings",
  "proceedings.conductingAuthority",
  "offences",
  "offences.statutoryProvision",
  "offences.maximumPenalty",
  "purpose",
  "measuresRequested",
];

// Art. 18(15)(c): a summary of the facts, except for the service of judicial documents. Coercive measures
// (search, seizure, freezing, confiscation) usually require dual criminality (CoE 1959 art. 5(1)(a)).
const BY_TYPE: Partial<Record<AssistanceTypeName, string[]>> = {
  WITNESS_HEARING: ["persons", "persons.address"],
  SERVICE_OF_DOCUMENTS: ["persons", "persons.address"],
  SEARCH_AND_SEIZURE: ["dualCriminality", "dualCriminality.explanation"],
  BANK_RECORDS: ["persons"],
  FREEZING_OF_ASSETS: ["persons", "dualCriminality", "dualCriminality.explanation"],
  CONFISCATION: ["persons", "dualCriminality", "dualCriminality.explanation"],
  LOCATING_PERSONS: ["persons", "persons.dateOfBirth", "persons.nationalities"],
  TEMPORARY_TRANSFER_OF_DETAINED_PERSONS: ["persons", "persons.dateOfBirth", "persons.identificationDocuments"],
};

/**
 * Sensible requirements for a state that publishes none of its own: English only, the items of UNTOC
 * art. 18(15) for every request, a summary of the facts for every kind of assistance except the service
 * of documents, persons for hearings, service, bank records and locating, dual criminality for coercive
 * measures. Throws a `ZodError` when `state` is not an ISO 3166-1 alpha-2 code.
 *
 * @example
 * const requirements = DEFAULT_REQUIREMENTS("MX");
 * checkCompleteness(dossier, requirements);
 */
export function DEFAULT_REQUIREMENTS(state: string): Requirements {
  const assistanceTypeFields: Partial<Record<AssistanceTypeName, string[]>> = {};
  for (const type of ASSISTANCE_TYPE_NAMES) {
    const facts = type === "SERVICE_OF_DOCUMENTS" ? [] : ["factsSummary"];
    assistanceTypeFields[type] = [...facts, ...(BY_TYPE[type] ?? [])];
  }
  return RequirementsSchema.parse({
    format: REQUIREMENTS_FORMAT,
    state,
    acceptedLanguages: ["en"],
    mandatoryFields: EVERY_REQUEST,
    assistanceTypeFields,
  });
}
