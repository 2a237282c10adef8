// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title TreatyRegistry: the legal bases under which requests may be made
/// @notice A treaty (a bilateral MLAT, UNTOC art. 18, …) binds a state once that state's central
/// authority has ratified it; a state may denounce it. Requests already made under it are unaffected.
interface ITreatyRegistry {
    /// @notice A treaty as given at founding, with the founding states that ratify it at once.
    struct FoundingTreaty {
        bytes32 treatyId;
        bytes32 documentDigest;
        uint32 scope;
        uint32 acknowledgeWithin;
        uint32 respondWithin;
        bytes2[] parties;
        bytes2[] ratifiedBy;
    }

    /// @notice A treaty as stored.
    struct Treaty {
        bytes2 registeredBy;
        uint32 scope;
        uint32 acknowledgeWithin;
        uint32 respondWithin;
        uint40 registeredAt;
        bytes32 documentDigest;
        uint256 partiesMask;
        uint256 ratifiedMask;
    }

    /// @notice Emitted when a treaty is registered. `parties` empty means open to every member.
    event TreatyRegistered(
        bytes32 indexed treatyId,
        bytes2 indexed registeredBy,
        address actor,
        bytes32 documentDigest,
        uint32 scope,
        uint32 acknowledgeWithin,
        uint32 respondWithin,
        bytes2[] parties
    );

    /// @notice Emitted when a state ratifies a treaty.
    event TreatyRatified(bytes32 indexed treatyId, bytes2 indexed state, address actor);

    /// @notice Emitted when a state denounces a treaty it had ratified.
    event TreatyDenounced(bytes32 indexed treatyId, bytes2 indexed state, address actor);

    /// @notice Thrown when a treaty id is taken.
    error TreatyExists(bytes32 treatyId);
    /// @notice Thrown when a treaty id is unknown.
    error TreatyUnknown(bytes32 treatyId);
    /// @notice Thrown when a treaty's scope or time limits are zero, or the id is zero.
    error TreatyInvalidTerms(bytes32 treatyId);
    /// @notice Thrown when a treaty's party list names a state twice or has a single party.
    error TreatyInvalidParties(bytes32 treatyId);
    /// @notice Thrown when a state that is not a party ratifies a closed treaty.
    error TreatyNotParty(bytes32 treatyId, bytes2 state);
    /// @notice Thrown when a state ratifies twice, or denounces a treaty it has not ratified.
    error TreatyRatificationState(bytes32 treatyId, bytes2 state, bool ratified);
    /// @notice Thrown when a request relies on a treaty that `state` has not ratified.
    error TreatyNotRatified(bytes32 treatyId, bytes2 state);
    /// @notice Thrown when a request asks for assistance outside the treaty's scope.
    error TreatyOutsideScope(bytes32 treatyId, uint32 scope, uint32 requested);

    /// @notice Registers a treaty; registering does not ratify it.
    /// @dev Emits {TreatyRegistered}. Requirements: caller is a CENTRAL_AUTHORITY of an active state;
    /// the id is new and non-zero; scope and both time limits are non-zero; `parties` empty (open) or
    /// at least two distinct active states.
    function registerTreaty(
        bytes32 treatyId,
        bytes32 documentDigest,
        uint32 scope,
        uint32 acknowledgeWithin,
        uint32 respondWithin,
        bytes2[] calldata parties
    ) external;

    /// @notice Ratifies a treaty on behalf of the caller's state.
    /// @dev Emits {TreatyRatified}. Requirements: caller is a CENTRAL_AUTHORITY of an active state that
    /// is a party (or the treaty is open) and has not ratified it yet.
    function ratify(bytes32 treatyId) external;

    /// @notice Denounces a treaty on behalf of the caller's state: new requests can no longer rely on it.
    /// @dev Emits {TreatyDenounced}. Requirements: caller is a CENTRAL_AUTHORITY of an active state that
    /// ratified it.
    function denounce(bytes32 treatyId) external;

    /// @notice A treaty's record.
    function treaty(bytes32 treatyId) external view returns (Treaty memory);

    /// @notice Whether `state` has ratified (and not denounced) the treaty.
    function hasRatified(bytes32 treatyId, bytes2 state) external view returns (bool);

    /// @notice The terms a request needs: reverts unless both states (code and admission index) have
    /// ratified and `assistanceTypes` is a non-empty subset of the scope.
    /// @return acknowledgeWithin seconds the requested state has to acknowledge
    /// @return respondWithin seconds it has to respond
    function requireTerms(
        bytes32 treatyId,
        bytes2 stateA,
        uint8 indexA,
        bytes2 stateB,
        uint8 indexB,
        uint32 assistanceTypes
    )
        external
        view
        returns (uint32 acknowledgeWithin, uint32 respondWithin);
}
