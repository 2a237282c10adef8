// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {RequestStatus, Priority, RefusalReason} from "../types/MlatTypes.sol";

/// @title RequestRegistry: the anchored lifecycle of MLA requests
/// @notice A request is submitted by the requesting state's central authority to a requested state,
/// under a treaty both have ratified, and moves along the lifecycle of ARCHITECTURE.md. Only digests of
/// the (encrypted, salted) documents are anchored. Two clocks run: the acknowledgement deadline set by
/// the treaty and the response deadline; both are readable as overdue.
interface IRequestRegistry {
    /// @notice A request as stored: one slot of parties, status and clocks, one of treaty id.
    struct Request {
        bytes2 requestingState;
        bytes2 requestedState;
        RequestStatus status;
        Priority priority;
        uint32 assistanceTypes;
        uint32 acceptedTypes;
        uint40 submittedAt;
        uint40 acknowledgeBy;
        uint40 respondBy;
        bytes32 treatyId;
    }

    /// @notice What a submitter gives: `requestId` is chosen by the submitter (random), so a retried
    /// submission reverts with {RequestExists} instead of duplicating; `respondBy` is the response
    /// deadline, or 0 for the treaty's default, never past the default.
    struct Submission {
        bytes32 requestId;
        bytes2 requestedState;
        bytes32 treatyId;
        uint32 assistanceTypes;
        Priority priority;
        bytes32 documentDigest;
        uint40 respondBy;
    }

    /// @notice Emitted when a request is submitted.
    event RequestSubmitted(
        bytes32 indexed requestId,
        bytes2 indexed requestingState,
        bytes2 indexed requestedState,
        address actor,
        bytes32 treatyId,
        uint32 assistanceTypes,
        Priority priority,
        bytes32 documentDigest,
        uint40 acknowledgeBy,
        uint40 respondBy
    );

    /// @notice Emitted on every status change other than submission, partial acceptance and refusal.
    event RequestStatusChanged(
        bytes32 indexed requestId,
        RequestStatus previousStatus,
        RequestStatus newStatus,
        bytes2 indexed actorState,
        address actor,
        bytes32 documentDigest
    );

    /// @notice Emitted when the requested state accepts part of the assistance (Acknowledged → PartiallyAccepted).
    event RequestPartiallyAccepted(
        bytes32 indexed requestId,
        bytes2 indexed actorState,
        address actor,
        uint32 acceptedTypes,
        bytes32 documentDigest
    );

    /// @notice Emitted when the requested state refuses (Acknowledged → Refused).
    event RequestRefused(
        bytes32 indexed requestId,
        bytes2 indexed actorState,
        address actor,
        RefusalReason reason,
        bytes32 documentDigest
    );

    /// @notice Emitted when the requesting state grants more time to respond.
    event RequestDeadlineExtended(
        bytes32 indexed requestId,
        bytes2 indexed actorState,
        address actor,
        uint40 previousRespondBy,
        uint40 newRespondBy,
        bytes32 documentDigest
    );

    /// @notice Emitted when the requesting state changes a request's priority.
    event RequestPriorityChanged(
        bytes32 indexed requestId,
        bytes2 indexed actorState,
        address actor,
        Priority previousPriority,
        Priority newPriority,
        bytes32 documentDigest
    );

    /// @notice Thrown when a request is not in a status that allows the action; `allowed` is a bit set
    /// over {RequestStatus} values (bit `1 << status`).
    error RequestUnexpectedStatus(bytes32 requestId, RequestStatus current, uint16 allowed);
    /// @notice Thrown when a request id is taken (a retried submission) or zero.
    error RequestExists(bytes32 requestId);
    /// @notice Thrown when the caller's state is not the party the action belongs to.
    error RequestNotParty(bytes32 requestId, bytes2 actorState);
    /// @notice Thrown when a state addresses a request to itself.
    error RequestSelfAddressed(bytes2 state);
    /// @notice Thrown when a deadline is not in the future, beyond the treaty's, or not later than before.
    error RequestInvalidDeadline(bytes32 requestId, uint256 deadline);
    /// @notice Thrown when partially accepted types are empty, equal to, or outside the requested types.
    error RequestInvalidAcceptedTypes(bytes32 requestId, uint32 requested, uint32 accepted);
    /// @notice Thrown when a submission or a refusal anchors no document (a zero digest).
    error RequestMissingDocument(bytes32 requestId);
    /// @notice Thrown when a refusal gives no reason.
    error RequestMissingReason(bytes32 requestId);
    /// @notice Thrown when a priority change would change nothing.
    error RequestSamePriority(bytes32 requestId, Priority priority);

    /// @notice Submits a request to `s.requestedState` under `s.treatyId` (see {Submission}).
    /// @dev Emits {RequestSubmitted}. Requirements: caller is a CENTRAL_AUTHORITY of an active state;
    /// the requested state is active and another state; both ratified the treaty; types inside its scope;
    /// the dossier's digest is not zero.
    function submitRequest(Submission calldata s) external;

    /// @notice The requested state acknowledges receipt (Submitted → Acknowledged); stops the first clock.
    /// @dev Emits {RequestStatusChanged}. Requirements: caller is a CENTRAL_AUTHORITY of the requested state.
    function acknowledge(bytes32 requestId, bytes32 documentDigest) external;

    /// @notice The requested state asks for clarification (Acknowledged → ClarificationRequested).
    /// @dev Emits {RequestStatusChanged}. Requirements: caller is a CENTRAL_AUTHORITY of the requested state.
    function requestClarification(bytes32 requestId, bytes32 documentDigest) external;

    /// @notice The requesting state answers (ClarificationRequested → Acknowledged).
    /// @dev Emits {RequestStatusChanged}. Requirements: caller is a CENTRAL_AUTHORITY of the requesting state.
    function provideClarification(bytes32 requestId, bytes32 documentDigest) external;

    /// @notice The requested state accepts the whole request (Acknowledged → Accepted).
    /// @dev Emits {RequestStatusChanged}. Requirements: caller is a CENTRAL_AUTHORITY of the requested state.
    function accept(bytes32 requestId, bytes32 documentDigest) external;

    /// @notice The requested state accepts part of it (Acknowledged → PartiallyAccepted).
    /// @dev Emits {RequestPartiallyAccepted}. Requirements: caller is a CENTRAL_AUTHORITY of the requested
    /// state; `acceptedTypes` a non-empty proper subset of the requested types.
    function partiallyAccept(bytes32 requestId, uint32 acceptedTypes, bytes32 documentDigest) external;

    /// @notice The requested state refuses with a reason (Acknowledged → Refused).
    /// @dev Emits {RequestRefused}. Requirements: caller is a CENTRAL_AUTHORITY of the requested state;
    /// `reason` is not None.
    function refuse(bytes32 requestId, RefusalReason reason, bytes32 documentDigest) external;

    /// @notice The requested state starts executing (Accepted | PartiallyAccepted → InExecution).
    /// @dev Emits {RequestStatusChanged}. Requirements: caller is a CENTRAL_AUTHORITY of the requested state.
    function startExecution(bytes32 requestId, bytes32 documentDigest) external;

    /// @notice The requested state completes execution with its response (InExecution → Executed).
    /// @dev Emits {RequestStatusChanged}. Requirements: caller is a CENTRAL_AUTHORITY of the requested state.
    function complete(bytes32 requestId, bytes32 documentDigest) external;

    /// @notice The requesting state closes an executed request (Executed → Closed).
    /// @dev Emits {RequestStatusChanged}. Requirements: caller is a CENTRAL_AUTHORITY of the requesting state.
    function close(bytes32 requestId, bytes32 documentDigest) external;

    /// @notice The requesting state withdraws a request that is not yet executed (→ Withdrawn).
    /// @dev Emits {RequestStatusChanged}. Requirements: caller is a CENTRAL_AUTHORITY of the requesting state.
    function withdraw(bytes32 requestId, bytes32 documentDigest) external;

    /// @notice The requesting state moves the response deadline later.
    /// @dev Emits {RequestDeadlineExtended}. Requirements: caller is a CENTRAL_AUTHORITY of the requesting
    /// state; the request is open (Submitted … InExecution); `newRespondBy` later than the current one and
    /// in the future.
    function extendDeadline(bytes32 requestId, uint40 newRespondBy, bytes32 documentDigest) external;

    /// @notice The requesting state changes the request's priority.
    /// @dev Emits {RequestPriorityChanged}. Requirements: caller is a CENTRAL_AUTHORITY of the requesting
    /// state; the request is open; the priority differs.
    function changePriority(bytes32 requestId, Priority priority, bytes32 documentDigest) external;

    /// @notice A request's record (status None if unknown).
    function request(bytes32 requestId) external view returns (Request memory);

    /// @notice True while the request awaits acknowledgement past its acknowledgement deadline.
    function isAcknowledgementOverdue(bytes32 requestId) external view returns (bool);

    /// @notice True while the request is open (Submitted … InExecution) past its response deadline.
    function isResponseOverdue(bytes32 requestId) external view returns (bool);

    /// @notice The two parties and the status, in one storage read (used by the custody contract).
    function parties(bytes32 requestId)
        external
        view
        returns (bytes2 requestingState, bytes2 requestedState, RequestStatus status);
}
