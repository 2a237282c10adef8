// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IEvidenceCustody} from "../interfaces/IEvidenceCustody.sol";

/// @title CustodyChain
/// @notice The running custody-chain hash; see {IEvidenceCustody} for the formulas. The SDK rebuilds the
/// same hashes from events and its tests compare against these functions.
library CustodyChain {
    /// @notice head_0 of a newly registered item.
    function genesis(
        bytes32 evidenceId,
        IEvidenceCustody.Registration calldata r,
        bytes2 custodianState,
        address actor
    ) internal view returns (bytes32) {
        return
            keccak256(
                abi.encode(
                    block.chainid,
                    address(this),
                    evidenceId,
                    r.requestId,
                    custodianState,
                    r.custodianAccount,
                    actor,
                    r.payloadDigest,
                    r.contentCommitment,
                    r.manifestDigest
                )
            );
    }

    /// @notice head_k from head_{k-1} and the k-th entry.
    function next(bytes32 previousHead, IEvidenceCustody.CustodyEntry memory e) internal pure returns (bytes32) {
        return
            keccak256(
                abi.encode(
                    previousHead,
                    e.sequence,
                    e.action,
                    e.actorState,
                    e.actor,
                    e.counterpartState,
                    e.counterpartAccount,
                    e.digest,
                    e.expiresAt
                )
            );
    }
}
