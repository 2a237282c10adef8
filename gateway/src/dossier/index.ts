/**
 * The dossier module: the MLA request dossier format, the requirements a requested state publishes, the
 * completeness check between the two, and their JSON Schemas. Pure: no I/O, no clock, no configuration.
 *
 * @example
 * import { DossierSchema, checkCompleteness, DEFAULT_REQUIREMENTS } from "./dossier";
 * const missing = checkCompleteness(DossierSchema.parse(body), DEFAULT_REQUIREMENTS("MX"));
 */
export { checkCompleteness, missingAt, type FieldGap, type Missing } from "./completeness";
export {
  ASSISTANCE_TYPE_NAMES,
  AssistanceTypeSchema,
  Bytes32Schema,
  DateSchema,
  DOSSIER_LIMITS,
  EmailSchema,
  LanguageSchema,
  PhoneSchema,
  StateCodeSchema,
} from "./fields";
export {
  DOSSIER_JSON_SCHEMA,
  REQUIREMENTS_JSON_SCHEMA,
  dossierJsonSchema,
  requirementsJsonSchema,
  type JsonSchema,
} from "./jsonSchema";
export { dossierLedgerFields, type DossierLedgerFields } from "./ledgerFields";
export { DOSSIER_PATHS, DOSSIER_PATH_KINDS, DossierPathSchema, type DossierPathKind } from "./paths";
export { DEFAULT_REQUIREMENTS, REQUIREMENTS_FORMAT, RequirementsSchema, type Requirements } from "./requirements";
export { AuthoritySchema, DOSSIER_FORMAT, DossierSchema, type Dossier } from "./schema";
