// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {ITreatyRegistry} from "../interfaces/ITreatyRegistry.sol";
import {IConsortium} from "../interfaces/IConsortium.sol";
import {ConsortiumBound} from "../base/ConsortiumBound.sol";
import {Roles} from "../types/MlatTypes.sol";

/// @title TreatyRegistry
/// @notice Treaties, their scope and time limits, and who has ratified them. See {ITreatyRegistry}.
/// @dev Ratifications are a bit set over the states' admission indexes, so checking that both parties
/// of a request have ratified costs one storage read.
contract TreatyRegistry is ITreatyRegistry, ConsortiumBound {
    struct TreatyTerms {
        bytes2 registeredBy;
        uint32 scope;
        uint32 acknowledgeWithin;
        uint32 respondWithin;
        uint40 registeredAt;
    }

    mapping(bytes32 treatyId => TreatyTerms) private _terms;
    mapping(bytes32 treatyId => bytes32) private _documentDigests;
    mapping(bytes32 treatyId => uint256) private _partiesMasks;
    mapping(bytes32 treatyId => uint256) private _ratifiedMasks;

    /// @notice Deploys the registry with the founding treaties, ratified at once by the founding states
    /// listed in each; like the consortium's founding, this is the only privileged step.
    constructor(
        address trustedForwarder,
        IConsortium consortium_,
        FoundingTreaty[] memory founding
    ) ConsortiumBound(trustedForwarder, consortium_) {
        for (uint256 i = 0; i < founding.length; ++i) {
            FoundingTreaty memory t = founding[i];
            _register(
                t.treatyId,
                t.documentDigest,
                t.scope,
                t.acknowledgeWithin,
                t.respondWithin,
                t.parties,
                0,
                address(0)
            );
            for (uint256 j = 0; j < t.ratifiedBy.length; ++j) {
                uint8 index = consortium_.requireActiveState(t.ratifiedBy[j]);
                _ratify(t.treatyId, t.ratifiedBy[j], index, address(0));
            }
        }
    }

    /// @inheritdoc ITreatyRegistry
    function registerTreaty(
        bytes32 treatyId,
        bytes32 documentDigest,
        uint32 scope,
        uint32 acknowledgeWithin,
        uint32 respondWithin,
        bytes2[] calldata parties
    ) external {
        (bytes2 code, , address actor) = _actor(Roles.CENTRAL_AUTHORITY);
        _register(treatyId, documentDigest, scope, acknowledgeWithin, respondWithin, parties, code, actor);
    }

    /// @inheritdoc ITreatyRegistry
    function ratify(bytes32 treatyId) external {
        (bytes2 code, uint8 index, address actor) = _actor(Roles.CENTRAL_AUTHORITY);
        _ratify(treatyId, code, index, actor);
    }

    /// @inheritdoc ITreatyRegistry
    function denounce(bytes32 treatyId) external {
        (bytes2 code, uint8 index, address actor) = _actor(Roles.CENTRAL_AUTHORITY);
        _requireExists(treatyId);
        uint256 bit = 1 << index;
        uint256 ratified = _ratifiedMasks[treatyId];
        if (ratified & bit == 0) revert TreatyRatificationState(treatyId, code, false);
        _ratifiedMasks[treatyId] = ratified & ~bit;
        emit TreatyDenounced(treatyId, code, actor);
    }

    /// @inheritdoc ITreatyRegistry
    function treaty(bytes32 treatyId) external view returns (Treaty memory) {
        TreatyTerms memory t = _terms[treatyId];
        return Treaty(
            t.registeredBy,
            t.scope,
            t.acknowledgeWithin,
            t.respondWithin,
            t.registeredAt,
            _documentDigests[treatyId],
            _partiesMasks[treatyId],
            _ratifiedMasks[treatyId]
        );
    }

    /// @inheritdoc ITreatyRegistry
    function hasRatified(bytes32 treatyId, bytes2 code) external view returns (bool) {
        IConsortium.StateView memory s = consortium.state(code);
        if (s.admittedAt == 0) return false;
        return _ratifiedMasks[treatyId] & (1 << s.index) != 0;
    }

    /// @inheritdoc ITreatyRegistry
    function requireTerms(
        bytes32 treatyId,
        bytes2 stateA,
        uint8 indexA,
        bytes2 stateB,
        uint8 indexB,
        uint32 assistanceTypes
    ) external view returns (uint32, uint32) {
        TreatyTerms memory t = _terms[treatyId];
        if (t.scope == 0) revert TreatyUnknown(treatyId);
        uint256 ratified = _ratifiedMasks[treatyId];
        if (ratified & (1 << indexA) == 0) revert TreatyNotRatified(treatyId, stateA);
        if (ratified & (1 << indexB) == 0) revert TreatyNotRatified(treatyId, stateB);
        if (assistanceTypes == 0 || assistanceTypes & ~t.scope != 0) {
            revert TreatyOutsideScope(treatyId, t.scope, assistanceTypes);
        }
        return (t.acknowledgeWithin, t.respondWithin);
    }

    function _register(
        bytes32 treatyId,
        bytes32 documentDigest,
        uint32 scope,
        uint32 acknowledgeWithin,
        uint32 respondWithin,
        bytes2[] memory parties,
        bytes2 registeredBy,
        address actor
    ) private {
        if (_terms[treatyId].scope != 0) revert TreatyExists(treatyId);
        if (treatyId == bytes32(0) || scope == 0 || acknowledgeWithin == 0 || respondWithin == 0) {
            revert TreatyInvalidTerms(treatyId);
        }
        if (parties.length == 1) revert TreatyInvalidParties(treatyId);
        uint256 mask;
        for (uint256 i = 0; i < parties.length; ++i) {
            uint256 bit = 1 << consortium.requireActiveState(parties[i]);
            if (mask & bit != 0) revert TreatyInvalidParties(treatyId);
            mask |= bit;
        }
        _terms[treatyId] = TreatyTerms(registeredBy, scope, acknowledgeWithin, respondWithin, uint40(block.timestamp));
        _documentDigests[treatyId] = documentDigest;
        if (mask != 0) _partiesMasks[treatyId] = mask;
        emit TreatyRegistered(
            treatyId,
            registeredBy,
            actor,
            documentDigest,
            scope,
            acknowledgeWithin,
            respondWithin,
            parties
        );
    }

    function _ratify(bytes32 treatyId, bytes2 code, uint8 index, address actor) private {
        _requireExists(treatyId);
        uint256 bit = 1 << index;
        uint256 parties = _partiesMasks[treatyId];
        if (parties != 0 && parties & bit == 0) revert TreatyNotParty(treatyId, code);
        uint256 ratified = _ratifiedMasks[treatyId];
        if (ratified & bit != 0) revert TreatyRatificationState(treatyId, code, true);
        _ratifiedMasks[treatyId] = ratified | bit;
        emit TreatyRatified(treatyId, code, actor);
    }

    function _requireExists(bytes32 treatyId) private view {
        if (_terms[treatyId].scope == 0) revert TreatyUnknown(treatyId);
    }
}
