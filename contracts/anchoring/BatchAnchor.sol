// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {IBatchAnchor} from "../interfaces/IBatchAnchor.sol";
import {IConsortium} from "../interfaces/IConsortium.sol";
import {ConsortiumBound} from "../base/ConsortiumBound.sol";
import {Roles} from "../types/MlatTypes.sol";

/// @title BatchAnchor
/// @notice Per-state Merkle roots. See {IBatchAnchor}.
contract BatchAnchor is IBatchAnchor, ConsortiumBound {
    /// @dev One slot per batch and nothing else: a leaf of a 1024-leaf batch costs ~55 gas (bench:gas).
    /// A per-state counter would add a slot write per batch; the indexed `state` topic serves instead.
    mapping(bytes32 root => Anchor) private _anchors;

    constructor(address trustedForwarder, IConsortium consortium_) ConsortiumBound(trustedForwarder, consortium_) {}

    /// @inheritdoc IBatchAnchor
    function anchor(bytes32 root, uint32 leafCount, bytes32 batchDigest) external {
        (bytes2 code, , address actor) = _actor(Roles.GATEWAY | Roles.CENTRAL_AUTHORITY);
        if (root == bytes32(0) || leafCount == 0) revert AnchorInvalidBatch(root, leafCount);
        Anchor storage a = _anchors[root];
        if (a.state != bytes2(0)) revert AnchorExists(root, a.state);
        _anchors[root] = Anchor(code, leafCount, uint40(block.timestamp), uint64(block.number));
        emit BatchAnchored(root, code, actor, leafCount, batchDigest);
    }

    /// @inheritdoc IBatchAnchor
    function anchorOf(bytes32 root) external view returns (Anchor memory) {
        return _anchors[root];
    }

    /// @inheritdoc IBatchAnchor
    function verify(bytes32 root, bytes32[] calldata proof, bytes32 leaf) external view returns (bool) {
        if (_anchors[root].state == bytes2(0)) revert AnchorUnknownRoot(root);
        return MerkleProof.verifyCalldata(proof, root, leaf);
    }

    /// @inheritdoc IBatchAnchor
    function standardLeaf(bytes32 value) external pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(value))));
    }
}
