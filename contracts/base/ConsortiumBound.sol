// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ERC2771Context} from "@openzeppelin/contracts/metatx/ERC2771Context.sol";
import {IConsortium} from "../interfaces/IConsortium.sol";

/// @title ConsortiumBound
/// @notice Base of every ledger contract other than the consortium itself: it reads the signer of a
/// direct or relayed call with `_msgSender()` and asks the consortium which state that signer acts for.
abstract contract ConsortiumBound is ERC2771Context {
    /// @notice The consortium whose members may act here.
    IConsortium public immutable consortium;

    constructor(address trustedForwarder, IConsortium consortium_) ERC2771Context(trustedForwarder) {
        consortium = consortium_;
    }

    /// @dev The active state the caller acts for, if it holds any of `anyOfRoles` there.
    function _actor(uint8 anyOfRoles) internal view returns (bytes2 state, uint8 index, address account) {
        account = _msgSender();
        (state, index) = consortium.requireMember(account, anyOfRoles);
    }
}
