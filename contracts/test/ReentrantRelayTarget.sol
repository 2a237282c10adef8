// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {ERC2771Forwarder} from "@openzeppelin/contracts/metatx/ERC2771Forwarder.sol";

/// @title ReentrantRelayTarget
/// @notice Test-only: a hostile target of a relayed request, the one untrusted address the suite ever calls
/// (the forwarder calls whatever a signer names). Called through the forwarder, it re-enters the forwarder
/// with the signed requests it was armed with — typically the very request being executed — and records
/// each outcome. Never deployed by the deploy script.
contract ReentrantRelayTarget {
    ERC2771Forwarder private immutable _forwarder;
    ERC2771Forwarder.ForwardRequestData[] private _armed;
    bool[] private _succeeded;
    bytes[] private _reasons;

    constructor(ERC2771Forwarder forwarder_) {
        _forwarder = forwarder_;
    }

    /// @notice Stores `requests` to re-enter the forwarder with.
    function arm(ERC2771Forwarder.ForwardRequestData[] calldata requests) external {
        for (uint256 i = 0; i < requests.length; ++i) {
            ERC2771Forwarder.ForwardRequestData storage r = _armed.push();
            r.from = requests[i].from;
            r.to = requests[i].to;
            r.value = requests[i].value;
            r.gas = requests[i].gas;
            r.deadline = requests[i].deadline;
            r.data = requests[i].data;
            r.signature = requests[i].signature;
        }
    }

    /// @notice Re-enters the forwarder's `execute` with every armed request, recording success or revert data.
    function strike() external {
        for (uint256 i = 0; i < _armed.length; ++i) {
            try _forwarder.execute(_armed[i]) {
                _succeeded.push(true);
                _reasons.push("");
            } catch (bytes memory reason) {
                _succeeded.push(false);
                _reasons.push(reason);
            }
        }
    }

    /// @notice What each re-entry gave: success, or the revert data.
    function outcomes() external view returns (bool[] memory succeeded, bytes[] memory reasons) {
        return (_succeeded, _reasons);
    }

    /// @notice Claims to trust the forwarder, so that it relays calls here (ERC-2771).
    function isTrustedForwarder(address forwarder) external view returns (bool) {
        return forwarder == address(_forwarder);
    }
}
