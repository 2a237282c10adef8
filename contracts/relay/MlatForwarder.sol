// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {ERC2771Forwarder} from "@openzeppelin/contracts/metatx/ERC2771Forwarder.sol";

/// @title MlatForwarder
/// @notice OpenZeppelin's ERC2771Forwarder under the EIP-712 domain name "MlatForwarder", version "1".
/// Agency and central-authority accounts sign `ForwardRequest`s; their state's GATEWAY relays them, so
/// agency software never needs gas or a node. The ledger contracts read the signer with `_msgSender()`.
/// @dev Replay protection (per-signer nonces), deadlines and the domain's chain id and verifying contract
/// are OpenZeppelin's; relaying is permissionless because authority comes from the signer, not the relayer.
contract MlatForwarder is ERC2771Forwarder {
    constructor() ERC2771Forwarder("MlatForwarder") {}
}
