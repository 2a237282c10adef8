// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {StateStatus, ProposalKind, ProposalStatus} from "../types/MlatTypes.sol";

/// @title Consortium: member states, their accounts and keys, and their one-state-one-vote governance
/// @notice Each state manages only its own accounts (sovereignty). Admitting, suspending, reinstating and
/// removing states and changing the approval threshold are proposals voted by the active states'
/// central authorities. After the founding transaction nobody holds an admin key.
interface IConsortium {
    /// @notice One account and its role bits, as given at founding.
    struct FoundingAccount {
        address account;
        uint8 roles;
    }

    /// @notice One founding state: ISO 3166-1 alpha-2 code, age X25519 key, gateway URL and accounts.
    struct FoundingState {
        bytes2 code;
        bytes32 encryptionKey;
        string gatewayUrl;
        FoundingAccount[] accounts;
    }

    /// @notice A state as stored.
    struct StateView {
        StateStatus status;
        uint8 index;
        uint32 keyVersion;
        uint16 authorityCount;
        uint40 admittedAt;
        bytes32 encryptionKey;
        string gatewayUrl;
    }

    /// @notice A proposal as stored, with its derived status.
    struct ProposalView {
        ProposalKind kind;
        ProposalStatus status;
        bytes2 proposerState;
        bytes2 target;
        uint16 thresholdBps;
        uint40 expiresAt;
        address initialAuthority;
        bytes32 encryptionKey;
        bytes32 descriptionDigest;
        string gatewayUrl;
        bytes2[] voters;
    }

    /// @notice What a proposal asks for. Unused fields must be zero for the kind.
    struct ProposalParams {
        ProposalKind kind;
        bytes2 target;
        uint16 thresholdBps;
        address initialAuthority;
        bytes32 encryptionKey;
        string gatewayUrl;
        bytes32 descriptionDigest;
    }

    // ─── events ────────────────────────────────────────────────────────────────────────────

    /// @notice Emitted when a state is admitted, at founding or by an executed proposal.
    event StateAdmitted(
        bytes2 indexed code,
        uint8 index,
        bytes32 encryptionKey,
        string gatewayUrl,
        bytes32 indexed proposalId
    );

    /// @notice Emitted when a state's status changes after admission.
    event StateStatusChanged(
        bytes2 indexed code,
        StateStatus previousStatus,
        StateStatus newStatus,
        bytes32 indexed proposalId
    );

    /// @notice Emitted when a state's encryption key changes; `version` starts at 1 at admission.
    event StateKeyRotated(bytes2 indexed code, uint32 version, bytes32 encryptionKey, address indexed actor);

    /// @notice Emitted when a state's gateway URL changes.
    event StateGatewayChanged(bytes2 indexed code, string gatewayUrl, address indexed actor);

    /// @notice Emitted whenever an account's roles change; `roles == 0` means the account left its state.
    event AccountRolesChanged(
        address indexed account,
        bytes2 indexed state,
        uint8 previousRoles,
        uint8 newRoles,
        address actor
    );

    /// @notice Emitted when the approval threshold changes.
    event ThresholdChanged(uint16 previousBps, uint16 newBps, bytes32 indexed proposalId);

    /// @notice Emitted when a proposal is created; the proposer's state votes for it at once.
    event ProposalCreated(
        bytes32 indexed proposalId,
        bytes2 indexed proposerState,
        address proposer,
        ProposalParams params,
        uint40 expiresAt
    );

    /// @notice Emitted when a state votes for a proposal.
    event ProposalVoteCast(bytes32 indexed proposalId, bytes2 indexed state, address voter);

    /// @notice Emitted when a state withdraws its vote before execution.
    event ProposalVoteWithdrawn(bytes32 indexed proposalId, bytes2 indexed state, address voter);

    /// @notice Emitted when a proposal executes; the vote count is over states active at execution.
    event ProposalExecuted(bytes32 indexed proposalId, uint16 votes, uint16 required, address executor);

    // ─── errors ────────────────────────────────────────────────────────────────────────────

    /// @notice Thrown when `account` lacks every one of `neededRoles` or does not belong to a state.
    error ConsortiumUnauthorizedAccount(address account, uint8 neededRoles);
    /// @notice Thrown when a state is not in a status that allows the action.
    error ConsortiumUnexpectedStateStatus(bytes2 code, StateStatus current);
    /// @notice Thrown when a state is admitted twice.
    error ConsortiumStateExists(bytes2 code);
    /// @notice Thrown when the consortium would exceed its fixed maximum of states.
    error ConsortiumTooManyStates(uint256 max);
    /// @notice Thrown when an encryption key is zero or equal to the current one.
    error ConsortiumInvalidKey(bytes2 code, bytes32 key);
    /// @notice Thrown when a gateway URL is empty or too long.
    error ConsortiumInvalidGatewayUrl(uint256 length);
    /// @notice Thrown when an account belongs to another state, or is the zero address.
    error ConsortiumAccountOfOtherState(address account, bytes2 state);
    /// @notice Thrown when role bits are out of range.
    error ConsortiumInvalidRoles(uint8 roles);
    /// @notice Thrown when a change would leave a state without a central authority.
    error ConsortiumLastAuthority(bytes2 state, address account);
    /// @notice Thrown when a threshold is outside (0, 10000] basis points.
    error ConsortiumInvalidThreshold(uint16 bps);
    /// @notice Thrown when a proposal's parameters do not fit its kind.
    error ConsortiumInvalidProposal(ProposalKind kind);
    /// @notice Thrown when a proposal's voting period is outside the allowed bounds.
    error ConsortiumInvalidVotingPeriod(uint256 period, uint256 min, uint256 max);
    /// @notice Thrown when a proposal id is already taken.
    error ConsortiumProposalExists(bytes32 proposalId);
    /// @notice Thrown when a proposal is not in a status that allows the action.
    error ConsortiumUnexpectedProposalStatus(bytes32 proposalId, ProposalStatus current);
    /// @notice Thrown when a state votes twice, or withdraws a vote it did not cast.
    error ConsortiumVoteState(bytes32 proposalId, bytes2 state, bool hasVoted);
    /// @notice Thrown when a proposal has fewer votes from active states than required.
    error ConsortiumQuorumNotReached(bytes32 proposalId, uint16 votes, uint16 required);
    /// @notice Thrown when an action would leave the consortium without an active state.
    error ConsortiumLastActiveState(bytes2 code);

    // ─── account management (each state for itself) ────────────────────────────────────────

    /// @notice Sets the roles of `account` in the caller's state.
    /// @dev Emits {AccountRolesChanged}. Requirements: caller is a CENTRAL_AUTHORITY of an active state;
    /// `account` is unassigned or already of that state; the state keeps at least one central authority.
    /// `roles == 0` releases the account.
    function setAccountRoles(address account, uint8 roles) external;

    /// @notice Rotates the caller's state's age X25519 public key; the old keys stay in the history.
    /// @dev Emits {StateKeyRotated}. Requirements: caller is a CENTRAL_AUTHORITY of an active state.
    function rotateEncryptionKey(bytes32 newKey) external;

    /// @notice Changes the caller's state's gateway URL.
    /// @dev Emits {StateGatewayChanged}. Requirements: caller is a CENTRAL_AUTHORITY of an active state.
    function setGatewayUrl(string calldata gatewayUrl) external;

    // ─── governance ────────────────────────────────────────────────────────────────────────

    /// @notice Creates a proposal that expires after `votingPeriod` seconds; the proposer's state votes for it.
    /// @dev Emits {ProposalCreated} and {ProposalVoteCast}. Requirements: caller is a CENTRAL_AUTHORITY of an
    /// active state; parameters fit the kind; the id (see {proposalId}) is new.
    function propose(ProposalParams calldata params, uint32 votingPeriod) external returns (bytes32 proposalId);

    /// @notice Votes for a pending, unexpired proposal on behalf of the caller's state.
    /// @dev Emits {ProposalVoteCast}. Requirements: caller is a CENTRAL_AUTHORITY of an active state that
    /// has not voted for it yet.
    function vote(bytes32 proposalId) external;

    /// @notice Withdraws the caller's state's vote from a pending proposal.
    /// @dev Emits {ProposalVoteWithdrawn}. Requirements: caller is a CENTRAL_AUTHORITY of a state that voted.
    function withdrawVote(bytes32 proposalId) external;

    /// @notice Executes a pending, unexpired proposal whose votes from states active now reach the threshold.
    /// @dev Emits {ProposalExecuted} and the event of the change made. Requirements: caller is a
    /// CENTRAL_AUTHORITY of an active state.
    function execute(bytes32 proposalId) external;

    // ─── views ─────────────────────────────────────────────────────────────────────────────

    /// @notice The id a proposal with these parameters gets: `keccak256(abi.encode(params))`.
    function proposalId(ProposalParams calldata params) external pure returns (bytes32);

    /// @notice A proposal with its derived status (Expired once its deadline has passed unexecuted).
    function proposal(bytes32 proposalId) external view returns (ProposalView memory);

    /// @notice A state's record.
    function state(bytes2 code) external view returns (StateView memory);

    /// @notice The key a state held at `version` (1 = at admission).
    function encryptionKeyAt(bytes2 code, uint32 version) external view returns (bytes32);

    /// @notice Every state ever admitted, in admission order (at most {MAX_STATES}).
    function stateCodes() external view returns (bytes2[] memory);

    /// @notice The state an account belongs to (zero if none) and its role bits.
    function accountOf(address account) external view returns (bytes2 state, uint8 roles);

    /// @notice The number of states active now.
    function activeStateCount() external view returns (uint16);

    /// @notice The approval threshold in basis points of the states active at execution.
    function thresholdBps() external view returns (uint16);

    /// @notice Votes needed now: `ceil(activeStateCount * thresholdBps / 10000)`, at least 1.
    function requiredVotes() external view returns (uint16);

    /// @notice The caller-facing check other contracts use: `account`'s active state and its admission
    /// index, if the account holds any of `anyOfRoles` there.
    /// @dev Reverts with {ConsortiumUnauthorizedAccount} or {ConsortiumUnexpectedStateStatus}.
    function requireMember(address account, uint8 anyOfRoles) external view returns (bytes2 state, uint8 index);

    /// @notice The admission index of an active state; reverts with {ConsortiumUnexpectedStateStatus} otherwise.
    function requireActiveState(bytes2 code) external view returns (uint8 index);
}
