// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {RequestLifecycle} from "../libraries/RequestLifecycle.sol";
import {RequestStatus} from "../types/MlatTypes.sol";

/// @title RequestLifecycleHarness
/// @notice Test-only: exposes the lifecycle graph so its whole table (every target × party) can be read,
/// including the pairs no registry function asks for. Never deployed by the deploy script.
contract RequestLifecycleHarness {
    /// @notice {RequestLifecycle.allowedFrom}.
    function allowedFrom(RequestStatus to, bool byRequester) external pure returns (uint16) {
        return RequestLifecycle.allowedFrom(to, byRequester);
    }

    /// @notice {RequestLifecycle.isOpen}.
    function isOpen(RequestStatus status) external pure returns (bool) {
        return RequestLifecycle.isOpen(status);
    }
}
