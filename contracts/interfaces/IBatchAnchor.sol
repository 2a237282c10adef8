// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title BatchAnchor: Merkle roots of many off-chain items in one transaction
/// @notice A state anchors the root of a batch (audit log entries, bulk digests). Leaves and proofs follow
/// the StandardMerkleTree of the npm package openzeppelin merkle-tree:
/// leaf = keccak256(bytes.concat(keccak256(abi.encode(v)))), pairs hashed sorted, so a proof verifies with
/// OpenZeppelin's `MerkleProof` here and off-chain.
interface IBatchAnchor {
    /// @notice A root as stored.
    struct Anchor {
        uint32 leafCount;
        uint40 anchoredAt;
        uint64 blockNumber;
    }

    /// @notice Emitted when a state anchors a root. A state's batches are its events filtered by `state`.
    event BatchAnchored(
        bytes32 indexed root,
        bytes2 indexed state,
        address actor,
        uint32 leafCount,
        bytes32 batchDigest
    );

    /// @notice Thrown when a root is zero or the leaf count zero.
    error AnchorInvalidBatch(bytes32 root, uint32 leafCount);
    /// @notice Thrown when the caller's state already anchored this root.
    error AnchorExists(bytes32 root, bytes2 state);
    /// @notice Thrown when a proof is checked against a root the state never anchored.
    error AnchorUnknownRoot(bytes2 state, bytes32 root);

    /// @notice Anchors a Merkle root of `leafCount` leaves; `batchDigest` names the batch off-chain.
    /// @dev Emits {BatchAnchored}. Requirements: caller is a GATEWAY or CENTRAL_AUTHORITY of an active
    /// state; root non-zero and new; leafCount non-zero.
    function anchor(bytes32 root, uint32 leafCount, bytes32 batchDigest) external;

    /// @notice A state's anchored root (leafCount zero if that state never anchored it). Roots are kept per
    /// state, so no state can take another's root first or have its batches attributed to it.
    function anchorOf(bytes2 state, bytes32 root) external view returns (Anchor memory);

    /// @notice Whether `value` is a leaf of the tree `root` that `state` anchored. The value is hashed here
    /// into its StandardMerkleTree leaf, so an inner node of the tree can never pass as a value.
    /// @dev Reverts with {AnchorUnknownRoot} if `state` never anchored `root`.
    function verify(bytes2 state, bytes32 root, bytes32[] calldata proof, bytes32 value) external view returns (bool);

    /// @notice The StandardMerkleTree leaf of one `bytes32` value.
    function standardLeaf(bytes32 value) external pure returns (bytes32);
}
