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
    mapping(bytes2 state => mapping(bytes32 root => Anchor)) private _anchors;

    constructor(address trustedForwarder, IConsortium consortium_) ConsortiumBound(trustedForwarder, consortium_) {}

    /// @inheritdoc IBatchAnchor
    function anchor(bytes32 root, uint32 leafCount, bytes32 batchDigest) external {
        (bytes2 code, , address actor) = _actor(Roles.GATEWAY | Roles.CENTRAL_AUTHORITY);
        if (root == bytes32(0) || leafCount == 0) revert AnchorInvalidBatch(root, leafCount);
        Anchor storage a = _anchors[code][root];
        if (a.leafCount != 0) revert AnchorExists(root, code);
        _anchors[code][root] = Anchor(leafCount, uint40(block.timestamp), uint64(block.number));
        emit BatchAnchored(root, code, actor, leafCount, batchDigest);
    }

    /// @inheritdoc IBatchAnchor
    function anchorOf(bytes2 state, bytes32 root) external view returns (Anchor memory) {
        return _anchors[state][root];
    }

    /// @inheritdoc IBatchAnchor
    function verify(bytes2 state, bytes32 root, bytes32[] calldata proof, bytes32 value) external view returns (bool) {
        if (_anchors[state][root].leafCount == 0) revert AnchorUnknownRoot(state, root);
        return MerkleProof.verifyCalldata(proof, root, _standardLeaf(value));
    }

    /// @inheritdoc IBatchAnchor
    function standardLeaf(bytes32 value) external pure returns (bytes32) {
        return _standardLeaf(value);
    }

    function _standardLeaf(bytes32 value) private pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(value))));
    }
}
