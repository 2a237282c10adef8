/**
 * Enumerations and bit sets of the ledger contracts, mirrored one-to-one from
 * `contracts/types/MlatTypes.sol` (a test compares them with the compiled ABI).
 */

/** Role bits of an account in its state. */
export const Role = {
  CENTRAL_AUTHORITY: 1,
  AGENCY: 2,
  GATEWAY: 4,
  VERIFIER: 8,
} as const;
/** A role name. */
export type RoleName = keyof typeof Role;

/** @example rolesMask(["AGENCY", "GATEWAY"]) // 6 */
export function rolesMask(roles: readonly RoleName[]): number {
  return roles.reduce((mask, r) => mask | Role[r], 0);
}

/** Status of a member state. */
export enum StateStatus {
  None,
  Active,
  Suspended,
  Removed,
}

/** Governance proposal kinds. */
export enum ProposalKind {
  None,
  AdmitState,
  SuspendState,
  ReinstateState,
  RemoveState,
  ChangeThreshold,
}

/** Governance proposal statuses (Expired is derived on-chain). */
export enum ProposalStatus {
  None,
  Pending,
  Executed,
  Expired,
}

/** Lifecycle of an MLA request. */
export enum RequestStatus {
  None,
  Submitted,
  Acknowledged,
  ClarificationRequested,
  Accepted,
  PartiallyAccepted,
  Refused,
  InExecution,
  Executed,
  Closed,
  Withdrawn,
}

/** Request urgency. */
export enum Priority {
  Routine,
  Urgent,
}

/** Reason codes of a refusal. */
export enum RefusalReason {
  None,
  SovereigntySecurityOrdrePublic,
  DualCriminalityAbsent,
  PoliticalOrMilitaryOffence,
  NeBisInIdem,
  DeathPenaltyOrHumanRightsAssuranceMissing,
  InsufficientInformation,
  OutsideTreatyScope,
  Other,
}

/** Kinds of custody-chain entry after registration. */
export enum CustodyAction {
  None,
  Offered,
  OfferCancelled,
  OfferRejected,
  Transferred,
  Reencrypted,
  Returned,
  Destroyed,
  Released,
}

/**
 * Assistance types: bit positions of a treaty's scope and a request's `assistanceTypes`.
 * The numbering is part of the protocol: never reorder, only append.
 */
export const AssistanceType = {
  TAKING_EVIDENCE: 0,
  WITNESS_HEARING: 1,
  SERVICE_OF_DOCUMENTS: 2,
  SEARCH_AND_SEIZURE: 3,
  BANK_RECORDS: 4,
  ELECTRONIC_EVIDENCE: 5,
  FREEZING_OF_ASSETS: 6,
  CONFISCATION: 7,
  LOCATING_PERSONS: 8,
  TEMPORARY_TRANSFER_OF_DETAINED_PERSONS: 9,
  EXPERT_EXAMINATION: 10,
  JOINT_INVESTIGATION: 11,
} as const;
/** An assistance type name. */
export type AssistanceTypeName = keyof typeof AssistanceType;

/** @example assistanceMask(["BANK_RECORDS", "ELECTRONIC_EVIDENCE"]) // 0b110000 = 48 */
export function assistanceMask(types: readonly AssistanceTypeName[]): number {
  return types.reduce((mask, t) => mask | (1 << AssistanceType[t]), 0);
}

/** @example assistanceNames(48) // ["BANK_RECORDS", "ELECTRONIC_EVIDENCE"] */
export function assistanceNames(mask: number): AssistanceTypeName[] {
  return (Object.entries(AssistanceType) as [AssistanceTypeName, number][]).filter(([, bit]) => (mask & (1 << bit)) !== 0).map(([name]) => name);
}

/** Every assistance type known to this SDK, as a scope bit set. */
export const ALL_ASSISTANCE_TYPES = assistanceMask(Object.keys(AssistanceType) as AssistanceTypeName[]);
