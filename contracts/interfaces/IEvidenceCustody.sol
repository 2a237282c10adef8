// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {CustodyAction, RequestStatus} from "../types/MlatTypes.sol";

/// @title EvidenceCustody: the chain of custody of each piece of evidence
/// @notice Evidence is registered under a request in execution by the executing state. Custody moves only
/// in two phases (offer, then accept presenting the payload digest actually held); offers can be
/// rejected, cancelled, and expire. Each item stores a running hash that commits to its whole history:
///
///   head_0 = keccak256(abi.encode(chainid, custody contract, evidenceId, requestId, custodianState,
///                                 custodianAccount, actor, payloadDigest, contentCommitment, manifestDigest))
///   head_k = keccak256(abi.encode(head_{k-1}, k, action, actorState, actor, counterpartState,
///                                 counterpartAccount, digest, expiresAt))
///
/// where the k-th entry's fields are exactly those of its {CustodyRecorded} event.
interface IEvidenceCustody {
    /// @notice What the executing state registers.
    struct Registration {
        bytes32 evidenceId;
        bytes32 requestId;
        bytes32 payloadDigest;
        bytes32 contentCommitment;
        bytes32 manifestDigest;
        address custodianAccount;
    }

    /// @notice One entry of the custody chain after registration, as hashed into the head.
    struct CustodyEntry {
        uint64 sequence;
        CustodyAction action;
        bytes2 actorState;
        address actor;
        bytes2 counterpartState;
        address counterpartAccount;
        bytes32 digest;
        uint40 expiresAt;
    }

    /// @notice An evidence item as stored.
    struct Evidence {
        bytes32 requestId;
        bytes32 payloadDigest;
        bytes32 contentCommitment;
        bytes32 head;
        bytes2 custodianState;
        address custodianAccount;
        CustodyAction disposition;
        uint64 sequence;
        bytes2 offeredToState;
        address offeredToAccount;
        uint40 offerExpiresAt;
    }

    /// @notice Emitted when evidence is registered; `head` is head_0.
    event EvidenceRegistered(
        bytes32 indexed evidenceId,
        bytes32 indexed requestId,
        bytes2 indexed custodianState,
        address custodianAccount,
        address actor,
        bytes32 payloadDigest,
        bytes32 contentCommitment,
        bytes32 manifestDigest,
        bytes32 head
    );

    /// @notice Emitted for every custody entry after registration. `digest` is the offer's document
    /// (Offered), the rejection's document (OfferRejected), the payload digest presented (Transferred), the
    /// new payload digest (Reencrypted) or the disposition's document (Returned, Destroyed, Released).
    /// `counterpart*` is the offer's recipient (Offered, OfferCancelled) or the previous custodian
    /// (OfferRejected, Transferred); zero otherwise.
    event CustodyRecorded(
        bytes32 indexed evidenceId,
        uint64 sequence,
        CustodyAction indexed action,
        bytes2 actorState,
        address actor,
        bytes2 counterpartState,
        address counterpartAccount,
        bytes32 digest,
        uint40 expiresAt,
        bytes32 head
    );

    /// @notice Thrown when an evidence id is taken or zero.
    error EvidenceExists(bytes32 evidenceId);
    /// @notice Thrown when an evidence id is unknown.
    error EvidenceUnknown(bytes32 evidenceId);
    /// @notice Thrown when a digest is zero, or a re-encryption keeps the same payload digest.
    error EvidenceInvalidDigest(bytes32 evidenceId);
    /// @notice Thrown when evidence is registered under a request not in execution.
    error CustodyRequestNotInExecution(bytes32 requestId, RequestStatus status);
    /// @notice Thrown when evidence is registered by another state than the executing one.
    error CustodyNotExecutingState(bytes32 requestId, bytes2 actorState);
    /// @notice Thrown when the caller may not act for the current custodian.
    error CustodyNotCustodian(bytes32 evidenceId, address actor);
    /// @notice Thrown when the caller may not act for the offer's recipient.
    error CustodyNotRecipient(bytes32 evidenceId, address actor);
    /// @notice Thrown when an offer names the custodian's own state, or an account that is not an agency or
    /// central authority of the named state. (An inactive state is refused by the consortium's
    /// {IConsortium.ConsortiumUnexpectedStateStatus}, as everywhere else.)
    error CustodyInvalidRecipient(bytes32 evidenceId, bytes2 toState, address toAccount);
    /// @notice Thrown when a custodian account is not an agency or central authority of its state.
    error CustodyInvalidCustodianAccount(address account);
    /// @notice Thrown when an offer's expiry is not in (now, now + MAX_OFFER_DURATION].
    error CustodyInvalidExpiry(bytes32 evidenceId, uint40 expiresAt);
    /// @notice Thrown when an unexpired offer blocks the action.
    error CustodyOfferPending(bytes32 evidenceId, bytes2 toState, uint40 expiresAt);
    /// @notice Thrown when there is no offer to accept, reject or cancel.
    error CustodyNoOffer(bytes32 evidenceId);
    /// @notice Thrown when an offer is accepted or rejected after it expired.
    error CustodyOfferExpired(bytes32 evidenceId, uint40 expiresAt);
    /// @notice Thrown when the recipient presents another payload digest than the one anchored.
    error CustodyPayloadMismatch(bytes32 evidenceId, bytes32 expected, bytes32 presented);
    /// @notice Thrown when evidence already has a final disposition.
    error CustodyDisposed(bytes32 evidenceId, CustodyAction disposition);
    /// @notice Thrown when a disposition is not Returned, Destroyed or Released.
    error CustodyInvalidDisposition(CustodyAction action);

    /// @notice Registers evidence under a request in execution; the caller's (executing) state becomes
    /// custodian, held by `custodianAccount` if non-zero.
    /// @dev Emits {EvidenceRegistered}. Requirements: caller is an AGENCY or CENTRAL_AUTHORITY of the
    /// requested state of a request InExecution; the id is new; digests non-zero.
    function registerEvidence(Registration calldata registration) external;

    /// @notice Offers custody to `toState` (and only its `toAccount`, if non-zero) until `expiresAt`.
    /// @dev Emits {CustodyRecorded} (Offered). Requirements: caller acts for the custodian; no unexpired
    /// offer is pending; recipient is another active state; expiry within MAX_OFFER_DURATION.
    function offerCustody(
        bytes32 evidenceId,
        bytes2 toState,
        address toAccount,
        uint40 expiresAt,
        bytes32 documentDigest
    ) external;

    /// @notice Accepts a pending offer, presenting the payload digest the recipient actually holds.
    /// @dev Emits {CustodyRecorded} (Transferred). Requirements: caller acts for the offer's recipient;
    /// the offer has not expired; `heldPayloadDigest` equals the anchored payload digest.
    function acceptCustody(bytes32 evidenceId, bytes32 heldPayloadDigest) external;

    /// @notice Rejects a pending offer.
    /// @dev Emits {CustodyRecorded} (OfferRejected). Requirements: caller acts for the offer's recipient;
    /// the offer has not expired.
    function rejectCustody(bytes32 evidenceId, bytes32 documentDigest) external;

    /// @notice Cancels the current offer (pending or expired).
    /// @dev Emits {CustodyRecorded} (OfferCancelled). Requirements: caller acts for the custodian.
    function cancelOffer(bytes32 evidenceId) external;

    /// @notice Records that the custodian re-encrypted the payload (e.g. for a new recipient): the payload
    /// digest changes, the content commitment does not.
    /// @dev Emits {CustodyRecorded} (Reencrypted). Requirements: caller acts for the custodian; no
    /// unexpired offer pending; the new digest is non-zero and differs.
    function recordReencryption(bytes32 evidenceId, bytes32 newPayloadDigest) external;

    /// @notice Records the final disposition: Returned, Destroyed or Released. Nothing moves afterwards.
    /// @dev Emits {CustodyRecorded}. Requirements: caller acts for the custodian; no unexpired offer pending.
    function dispose(bytes32 evidenceId, CustodyAction disposition, bytes32 documentDigest) external;

    /// @notice An evidence item's record (requestId zero if unknown).
    function evidence(bytes32 evidenceId) external view returns (Evidence memory);

    /// @notice head_k from head_{k-1} and the k-th entry (see the interface's NatSpec).
    function nextHead(bytes32 previousHead, CustodyEntry calldata entry) external pure returns (bytes32);
}
