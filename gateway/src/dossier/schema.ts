/**
 * The MLA request dossier (`mlat-ledger/dossier/v1`): the structured content of a request for mutual legal
 * assistance, modelled on Council of Europe 1959 Convention art. 14, the EU European Investigation Order
 * (Directive 2014/41/EU, Annex A) and UNTOC art. 18(15). Only the fields the ledger itself needs are
 * required; which others a requested state insists on is its published requirements' business
 * (see `requirements.ts` and `checkCompleteness`). Documented field by field in docs/api/dossier.md.
 */
import { z } from "zod";
import { manifestSchema } from "../../../sdk/src/crypto/manifest";
import {
  AssistanceTypeSchema,
  ASSISTANCE_TYPE_NAMES,
  Bytes32Schema,
  DateSchema,
  DOSSIER_LIMITS,
  EmailSchema,
  LanguageSchema,
  line,
  PhoneSchema,
  StateCodeSchema,
  text,
  uniqueBy,
} from "./fields";

/**
 * Value of a dossier's `format` field.
 *
 * @example
 * const dossier = { format: DOSSIER_FORMAT, … };
 */
export const DOSSIER_FORMAT = "mlat-ledger/dossier/v1";

/** Whom the requested authority asks when it has a question. */
const ContactSchema = z.strictObject({
  name: line().optional().describe("Contact officer's name."),
  email: EmailSchema.optional(),
  phone: PhoneSchema.optional(),
});

/**
 * A judicial or central authority: state, name, address, contact officer and its file reference.
 *
 * @example
 * AuthoritySchema.parse({ state: "MX", name: "Fiscalía General de la República" });
 */
export const AuthoritySchema = z.strictObject({
  state: StateCodeSchema.describe("ISO 3166-1 alpha-2 code of the authority's state."),
  name: line().describe("Name of the authority."),
  address: text(DOSSIER_LIMITS.address).optional().describe("Postal address."),
  contact: ContactSchema.optional().describe("Contact officer for this request."),
  reference: line().optional().describe("The authority's own file or reference number."),
});

/** The legal basis: the ledger's treaty id and the treaty's title. */
const TreatySchema = z.strictObject({
  treatyId: Bytes32Schema.describe("The treaty's id on the ledger."),
  title: line().describe("Title of the treaty, e.g. the UN Convention against Transnational Organized Crime."),
});

/** The proceedings in which assistance is requested (UNTOC art. 18(15)(b)). */
const ProceedingsSchema = z.strictObject({
  stage: z.enum(["investigation", "prosecution", "trial", "post_conviction", "other"]),
  conductingAuthority: line().optional().describe("Name and function of the authority conducting them."),
  caseReference: line().optional().describe("Case number of the proceedings."),
});

/** One offence under investigation or prosecution. */
const OffenceSchema = z.strictObject({
  legalQualification: line().describe("Name of the offence in the requesting state's law."),
  statutoryProvision: text().optional().describe("Text of the provision that defines the offence."),
  maximumPenalty: line().optional().describe("Maximum penalty the provision carries."),
  description: text().optional().describe("Time, place and degree of participation."),
});

/** A natural or legal person concerned by the request. */
const PersonSchema = z
  .strictObject({
    role: z.enum(["suspect", "accused", "witness", "victim", "account_holder", "other"]),
    familyName: line().optional(),
    givenNames: line().optional(),
    otherNames: z.array(line()).min(1).max(DOSSIER_LIMITS.otherNames).optional().describe("Aliases, birth names."),
    organisationName: line().optional().describe("Name of a legal person (company, association)."),
    dateOfBirth: DateSchema.optional(),
    placeOfBirth: line().optional(),
    nationalities: z.array(StateCodeSchema).min(1).max(DOSSIER_LIMITS.nationalities).optional(),
    identificationDocuments: z
      .array(
        z.strictObject({
          kind: z.enum(["passport", "national_id", "driving_licence", "residence_permit", "tax_id", "other"]),
          number: line(),
          issuingState: StateCodeSchema.optional(),
          expiresOn: DateSchema.optional(),
        }),
      )
      .max(DOSSIER_LIMITS.identificationDocuments)
      .optional(),
    address: text(DOSSIER_LIMITS.address).optional().describe("Last known address."),
    description: text().optional().describe("Other identifying details and the person's part in the case."),
  })
  .superRefine((p, ctx) => {
    if (p.familyName === undefined && p.organisationName === undefined && p.description === undefined) {
      ctx.addIssue({
        code: "custom",
        message: "a person needs a familyName, an organisationName or a description",
        path: ["familyName"],
      });
    }
  });

/** Whether the conduct is also an offence in the requested state (CoE 1959 art. 5; EIO art. 11(1)(g)). */
const DualCriminalitySchema = z.strictObject({
  conductIsOffenceInRequestedState: z.enum(["yes", "no", "unknown"]),
  explanation: text().optional().describe("Why: the corresponding offence and provision of the requested state."),
});

/** One measure asked for, under one of the request's assistance types. */
const MeasureSchema = z.strictObject({
  assistanceType: AssistanceTypeSchema,
  description: text().describe("What is to be done: which accounts, which premises, which questions."),
  procedure: text().optional().describe("Formalities or procedures to be followed (UNTOC art. 18(17))."),
  location: text(DOSSIER_LIMITS.address).optional().describe("Where the measure is to be carried out."),
});

/** Routine or urgent; an urgent request says why. */
const UrgencySchema = z
  .strictObject({
    level: z.enum(["routine", "urgent"]),
    reasons: text().optional().describe("Why the request is urgent; required when urgent."),
  })
  .superRefine((u, ctx) => {
    if (u.level === "urgent" && u.reasons === undefined) {
      ctx.addIssue({ code: "custom", message: "an urgent request must give its reasons", path: ["reasons"] });
    }
  });

/** A document sent with the request: its descriptor only; the content travels separately. */
const AttachmentSchema = z.strictObject({
  name: manifestSchema.shape.fileName,
  mediaType: manifestSchema.shape.mediaType,
  sha256: manifestSchema.shape.sha256.describe("SHA-256 of the content, 64 lower-case hex digits."),
  size: manifestSchema.shape.size.describe("Size of the content in bytes."),
  description: text().optional(),
});

/**
 * The dossier's zod schema. Unknown keys are refused at every level (so `__proto__`, `constructor` … are
 * refused too); every string and array is bounded (`DOSSIER_LIMITS`).
 *
 * @example
 * const result = DossierSchema.safeParse(req.body);
 * if (!result.success) throw new GatewayError("VALIDATION_FAILED", z.prettifyError(result.error));
 */
export const DossierSchema = z
  .strictObject({
    format: z.literal(DOSSIER_FORMAT),
    requestingAuthority: AuthoritySchema.describe("The authority that issues the request."),
    requestedAuthority: AuthoritySchema.describe("The central authority the request is addressed to."),
    treaty: TreatySchema.describe("The legal basis of the request."),
    assistanceTypes: z
      .array(AssistanceTypeSchema)
      .min(1)
      .max(ASSISTANCE_TYPE_NAMES.length)
      .superRefine(uniqueBy((t) => t, "assistance type"))
      .describe("The kinds of assistance asked for; they become the on-chain bit set."),
    proceedings: ProceedingsSchema.optional().describe("The proceedings in which assistance is requested."),
    offences: z.array(OffenceSchema).max(DOSSIER_LIMITS.offences).optional().describe("The offences concerned."),
    factsSummary: text(DOSSIER_LIMITS.factsSummary).optional().describe("Summary of the relevant facts."),
    purpose: text().optional().describe("Why the evidence or assistance is sought (UNTOC art. 18(15)(f))."),
    persons: z.array(PersonSchema).max(DOSSIER_LIMITS.persons).optional().describe("Persons concerned."),
    dualCriminality: DualCriminalitySchema.optional(),
    measuresRequested: z
      .array(MeasureSchema)
      .max(DOSSIER_LIMITS.measures)
      .optional()
      .describe("The measures asked for, each under one of assistanceTypes."),
    urgency: UrgencySchema,
    confidentialityConditions: text()
      .optional()
      .describe("What the requested state must keep confidential (UNTOC art. 18(20))."),
    specialityConditions: text()
      .optional()
      .describe("Limits on the use of the evidence to these proceedings (UNTOC art. 18(19))."),
    requestedDeadline: DateSchema.optional().describe("Date by which the requesting authority needs the answer."),
    language: LanguageSchema.describe("Language the dossier is written in."),
    attachments: z
      .array(AttachmentSchema)
      .max(DOSSIER_LIMITS.attachments)
      .superRefine(uniqueBy((a) => a.name, "attachment name"))
      .optional()
      .describe("Descriptors of the documents sent with the request."),
  })
  .superRefine((d, ctx) => {
    if (d.requestedAuthority.state === d.requestingAuthority.state) {
      ctx.addIssue({
        code: "custom",
        message: `a state cannot request assistance from itself (${d.requestingAuthority.state})`,
        path: ["requestedAuthority", "state"],
      });
    }
    // With no assistance type listed, that is the one issue to report, not every measure.
    d.measuresRequested?.forEach((m, i) => {
      if (d.assistanceTypes.length > 0 && !d.assistanceTypes.includes(m.assistanceType)) {
        ctx.addIssue({
          code: "custom",
          message: `${m.assistanceType} is not one of the dossier's assistanceTypes`,
          path: ["measuresRequested", i, "assistanceType"],
        });
      }
    });
  })
  .meta({ title: "MLA request dossier", description: `Format ${DOSSIER_FORMAT}; see docs/api/dossier.md.` });

/**
 * A validated dossier.
 *
 * @example
 * const dossier: Dossier = DossierSchema.parse(req.body);
 */
export type Dossier = z.infer<typeof DossierSchema>;
