// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IRequestRegistry} from "../interfaces/IRequestRegistry.sol";
import {ITreatyRegistry} from "../interfaces/ITreatyRegistry.sol";
import {IConsortium} from "../interfaces/IConsortium.sol";
import {ConsortiumBound} from "../base/ConsortiumBound.sol";
import {RequestLifecycle} from "../libraries/RequestLifecycle.sol";
import {RequestStatus, Priority, RefusalReason, Roles} from "../types/MlatTypes.sol";

/// @title RequestRegistry
/// @notice The anchored lifecycle of MLA requests. See {IRequestRegistry}.
contract RequestRegistry is IRequestRegistry, ConsortiumBound {
    using RequestLifecycle for Request;

    /// @notice The treaty registry consulted at submission.
    ITreatyRegistry public immutable treaties;

    mapping(bytes32 requestId => Request) private _requests;

    constructor(
        address trustedForwarder,
        IConsortium consortium_,
        ITreatyRegistry treaties_
    ) ConsortiumBound(trustedForwarder, consortium_) {
        treaties = treaties_;
    }

    /// @inheritdoc IRequestRegistry
    function submitRequest(Submission calldata s) external {
        (bytes2 requesting, uint8 requestingIndex, address actor) = _actor(Roles.CENTRAL_AUTHORITY);
        bytes32 requestId = s.requestId;
        Request storage r = _requests[requestId];
        if (requestId == bytes32(0) || r.status != RequestStatus.None) revert RequestExists(requestId);
        if (s.requestedState == requesting) revert RequestSelfAddressed(requesting);
        if (s.documentDigest == bytes32(0)) revert RequestMissingDocument(requestId);
        (uint40 acknowledgeBy, uint40 respondBy) = _clocks(s, requesting, requestingIndex);

        r.requestingState = requesting;
        r.requestedState = s.requestedState;
        r.status = RequestStatus.Submitted;
        r.priority = s.priority;
        r.assistanceTypes = s.assistanceTypes;
        r.submittedAt = uint40(block.timestamp);
        r.acknowledgeBy = acknowledgeBy;
        r.respondBy = respondBy;
        r.treatyId = s.treatyId;
        emit RequestSubmitted(
            requestId,
            requesting,
            s.requestedState,
            actor,
            s.treatyId,
            s.assistanceTypes,
            s.priority,
            s.documentDigest,
            acknowledgeBy,
            respondBy
        );
    }

    /// @inheritdoc IRequestRegistry
    function acknowledge(bytes32 requestId, bytes32 documentDigest) external {
        _move(requestId, false, RequestStatus.Acknowledged, documentDigest);
    }

    /// @inheritdoc IRequestRegistry
    function requestClarification(bytes32 requestId, bytes32 documentDigest) external {
        _move(requestId, false, RequestStatus.ClarificationRequested, documentDigest);
    }

    /// @inheritdoc IRequestRegistry
    function provideClarification(bytes32 requestId, bytes32 documentDigest) external {
        _move(requestId, true, RequestStatus.Acknowledged, documentDigest);
    }

    /// @inheritdoc IRequestRegistry
    function accept(bytes32 requestId, bytes32 documentDigest) external {
        Request storage r = _move(requestId, false, RequestStatus.Accepted, documentDigest);
        r.acceptedTypes = r.assistanceTypes;
    }

    /// @inheritdoc IRequestRegistry
    function partiallyAccept(bytes32 requestId, uint32 acceptedTypes, bytes32 documentDigest) external {
        (Request storage r, bytes2 actorState, address actor) = _party(requestId, false);
        uint32 requested = r.assistanceTypes;
        if (acceptedTypes == 0 || acceptedTypes == requested || acceptedTypes & ~requested != 0) {
            revert RequestInvalidAcceptedTypes(requestId, requested, acceptedTypes);
        }
        r.transition(requestId, RequestStatus.PartiallyAccepted, false);
        r.acceptedTypes = acceptedTypes;
        emit RequestPartiallyAccepted(requestId, actorState, actor, acceptedTypes, documentDigest);
    }

    /// @inheritdoc IRequestRegistry
    function refuse(bytes32 requestId, RefusalReason reason, bytes32 documentDigest) external {
        (Request storage r, bytes2 actorState, address actor) = _party(requestId, false);
        if (reason == RefusalReason.None) revert RequestMissingReason(requestId);
        if (documentDigest == bytes32(0)) revert RequestMissingDocument(requestId);
        r.transition(requestId, RequestStatus.Refused, false);
        emit RequestRefused(requestId, actorState, actor, reason, documentDigest);
    }

    /// @inheritdoc IRequestRegistry
    function startExecution(bytes32 requestId, bytes32 documentDigest) external {
        _move(requestId, false, RequestStatus.InExecution, documentDigest);
    }

    /// @inheritdoc IRequestRegistry
    function complete(bytes32 requestId, bytes32 documentDigest) external {
        _move(requestId, false, RequestStatus.Executed, documentDigest);
    }

    /// @inheritdoc IRequestRegistry
    function close(bytes32 requestId, bytes32 documentDigest) external {
        _move(requestId, true, RequestStatus.Closed, documentDigest);
    }

    /// @inheritdoc IRequestRegistry
    function withdraw(bytes32 requestId, bytes32 documentDigest) external {
        _move(requestId, true, RequestStatus.Withdrawn, documentDigest);
    }

    /// @inheritdoc IRequestRegistry
    function extendDeadline(bytes32 requestId, uint40 newRespondBy, bytes32 documentDigest) external {
        (Request storage r, bytes2 actorState, address actor) = _party(requestId, true);
        r.requireOpen(requestId);
        uint40 previous = r.respondBy;
        if (newRespondBy <= previous || newRespondBy <= block.timestamp) {
            revert RequestInvalidDeadline(requestId, newRespondBy);
        }
        r.respondBy = newRespondBy;
        emit RequestDeadlineExtended(requestId, actorState, actor, previous, newRespondBy, documentDigest);
    }

    /// @inheritdoc IRequestRegistry
    function changePriority(bytes32 requestId, Priority priority, bytes32 documentDigest) external {
        (Request storage r, bytes2 actorState, address actor) = _party(requestId, true);
        r.requireOpen(requestId);
        Priority previous = r.priority;
        if (previous == priority) revert RequestSamePriority(requestId, priority);
        r.priority = priority;
        emit RequestPriorityChanged(requestId, actorState, actor, previous, priority, documentDigest);
    }

    /// @inheritdoc IRequestRegistry
    function request(bytes32 requestId) external view returns (Request memory) {
        return _requests[requestId];
    }

    /// @inheritdoc IRequestRegistry
    function isAcknowledgementOverdue(bytes32 requestId) external view returns (bool) {
        Request storage r = _requests[requestId];
        return r.status == RequestStatus.Submitted && block.timestamp > r.acknowledgeBy;
    }

    /// @inheritdoc IRequestRegistry
    function isResponseOverdue(bytes32 requestId) external view returns (bool) {
        Request storage r = _requests[requestId];
        return RequestLifecycle.isOpen(r.status) && block.timestamp > r.respondBy;
    }

    /// @inheritdoc IRequestRegistry
    function parties(bytes32 requestId) external view returns (bytes2, bytes2, RequestStatus) {
        Request storage r = _requests[requestId];
        return (r.requestingState, r.requestedState, r.status);
    }

    /// @dev The two deadlines of a new request, from the treaty both states must have ratified.
    function _clocks(
        Submission calldata s,
        bytes2 requesting,
        uint8 requestingIndex
    ) private view returns (uint40 acknowledgeBy, uint40 respondBy) {
        uint8 requestedIndex = consortium.requireActiveState(s.requestedState);
        (uint32 acknowledgeWithin, uint32 respondWithin) = treaties.requireTerms(
            s.treatyId,
            requesting,
            requestingIndex,
            s.requestedState,
            requestedIndex,
            s.assistanceTypes
        );
        uint40 now_ = uint40(block.timestamp);
        uint40 latest = now_ + respondWithin;
        respondBy = s.respondBy == 0 ? latest : s.respondBy;
        if (respondBy <= now_ || respondBy > latest) revert RequestInvalidDeadline(s.requestId, respondBy);
        acknowledgeBy = now_ + acknowledgeWithin;
    }

    /// @dev The request and the caller, who must be a central authority of the requesting (or requested) state.
    function _party(
        bytes32 requestId,
        bool requesting
    ) private view returns (Request storage r, bytes2 actorState, address actor) {
        (actorState, , actor) = _actor(Roles.CENTRAL_AUTHORITY);
        r = _requests[requestId];
        if (r.status == RequestStatus.None) revert RequestUnexpectedStatus(requestId, RequestStatus.None, 0);
        bytes2 party = requesting ? r.requestingState : r.requestedState;
        if (actorState != party) revert RequestNotParty(requestId, actorState);
    }

    function _move(
        bytes32 requestId,
        bool requesting,
        RequestStatus to,
        bytes32 documentDigest
    ) private returns (Request storage r) {
        bytes2 actorState;
        address actor;
        (r, actorState, actor) = _party(requestId, requesting);
        RequestStatus from = r.transition(requestId, to, requesting);
        emit RequestStatusChanged(requestId, from, to, actorState, actor, documentDigest);
    }
}
