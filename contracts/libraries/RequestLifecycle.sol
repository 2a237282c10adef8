// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IRequestRegistry} from "../interfaces/IRequestRegistry.sol";
import {RequestStatus} from "../types/MlatTypes.sol";

/// @title RequestLifecycle
/// @notice The lifecycle graph of an MLA request, in one place:
///
///   Submitted ─▶ Acknowledged ─▶ (ClarificationRequested ⇄ Acknowledged) ─▶ Accepted | PartiallyAccepted | Refused
///   Accepted | PartiallyAccepted ─▶ InExecution ─▶ Executed ─▶ Closed
///   Submitted … InExecution ─▶ Withdrawn (requester)
///
/// The requesting state answers a clarification request and closes or withdraws; every other edge is
/// the requested state's.
library RequestLifecycle {
    /// @notice The statuses in which a request is open: not yet executed, refused, closed or withdrawn.
    uint16 internal constant OPEN =
        uint16(
            (1 << uint8(RequestStatus.Submitted)) |
                (1 << uint8(RequestStatus.Acknowledged)) |
                (1 << uint8(RequestStatus.ClarificationRequested)) |
                (1 << uint8(RequestStatus.Accepted)) |
                (1 << uint8(RequestStatus.PartiallyAccepted)) |
                (1 << uint8(RequestStatus.InExecution))
        );

    /// @notice The bit set of statuses from which the requesting party (`byRequester`) or the requested
    /// party may move a request to `to`; zero when that party has no edge into `to`.
    /// @dev Keyed by party as well as by target: two edges enter Acknowledged, the requested state's
    /// acknowledgement (from Submitted) and the requesting state's clarification (from
    /// ClarificationRequested), and neither party may take the other's edge.
    function allowedFrom(RequestStatus to, bool byRequester) internal pure returns (uint16) {
        if (byRequester) {
            if (to == RequestStatus.Acknowledged) return _bit(RequestStatus.ClarificationRequested);
            if (to == RequestStatus.Closed) return _bit(RequestStatus.Executed);
            if (to == RequestStatus.Withdrawn) return OPEN;
            return 0;
        }
        if (to == RequestStatus.Acknowledged) return _bit(RequestStatus.Submitted);
        if (
            to == RequestStatus.ClarificationRequested ||
            to == RequestStatus.Accepted ||
            to == RequestStatus.PartiallyAccepted ||
            to == RequestStatus.Refused
        ) return _bit(RequestStatus.Acknowledged);
        if (to == RequestStatus.InExecution) {
            return _bit(RequestStatus.Accepted) | _bit(RequestStatus.PartiallyAccepted);
        }
        if (to == RequestStatus.Executed) return _bit(RequestStatus.InExecution);
        return 0;
    }

    /// @notice Moves `self` to `to` on behalf of the requesting party (`byRequester`) or the requested
    /// one, reverting with {IRequestRegistry.RequestUnexpectedStatus} when the graph has no such edge for
    /// that party. Returns the previous status.
    function transition(
        IRequestRegistry.Request storage self,
        bytes32 requestId,
        RequestStatus to,
        bool byRequester
    ) internal returns (RequestStatus from) {
        from = self.status;
        uint16 allowed = allowedFrom(to, byRequester);
        if (allowed & _bit(from) == 0) revert IRequestRegistry.RequestUnexpectedStatus(requestId, from, allowed);
        self.status = to;
    }

    /// @notice Reverts unless `self` is open.
    function requireOpen(IRequestRegistry.Request storage self, bytes32 requestId) internal view {
        RequestStatus status = self.status;
        if (OPEN & _bit(status) == 0) revert IRequestRegistry.RequestUnexpectedStatus(requestId, status, OPEN);
    }

    /// @notice Whether a status is open.
    function isOpen(RequestStatus status) internal pure returns (bool) {
        return OPEN & _bit(status) != 0;
    }

    function _bit(RequestStatus status) private pure returns (uint16) {
        return uint16(1) << uint8(status);
    }
}
