// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @notice A member state's status in the consortium. `None` means "never admitted".
enum StateStatus {
    None,
    Active,
    Suspended,
    Removed
}

/// @notice Governance actions, each voted one-state-one-vote.
enum ProposalKind {
    None,
    AdmitState,
    SuspendState,
    ReinstateState,
    RemoveState,
    ChangeThreshold
}

/// @notice Lifecycle of a governance proposal. `Expired` is derived, never stored.
enum ProposalStatus {
    None,
    Pending,
    Executed,
    Expired
}

/// @notice Lifecycle of an MLA request (see ARCHITECTURE.md, "On-chain model").
enum RequestStatus {
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
    Withdrawn
}

/// @notice Urgency of a request.
enum Priority {
    Routine,
    Urgent
}

/// @notice Why a requested state refuses assistance.
enum RefusalReason {
    None,
    SovereigntySecurityOrdrePublic,
    DualCriminalityAbsent,
    PoliticalOrMilitaryOffence,
    NeBisInIdem,
    DeathPenaltyOrHumanRightsAssuranceMissing,
    InsufficientInformation,
    OutsideTreatyScope,
    Other
}

/// @notice The kinds of entry in an evidence item's custody chain after its registration.
enum CustodyAction {
    None,
    Offered,
    OfferCancelled,
    OfferRejected,
    Transferred,
    Reencrypted,
    Returned,
    Destroyed,
    Released
}

/// @notice Role bits of an account. An account belongs to exactly one state and holds any
/// combination of these roles there.
library Roles {
    uint8 internal constant CENTRAL_AUTHORITY = 1;
    uint8 internal constant AGENCY = 2;
    uint8 internal constant GATEWAY = 4;
    uint8 internal constant VERIFIER = 8;
    uint8 internal constant ALL = 15;
}
