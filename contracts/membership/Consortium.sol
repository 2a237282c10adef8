// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {ERC2771Context} from "@openzeppelin/contracts/metatx/ERC2771Context.sol";
import {IConsortium} from "../interfaces/IConsortium.sol";
import {StateStatus, ProposalKind, ProposalStatus, Roles} from "../types/MlatTypes.sol";
import {StateCodes} from "../libraries/StateCodes.sol";

/// @title Consortium
/// @notice Member states, their accounts and keys, and one-state-one-vote governance. See {IConsortium}.
contract Consortium is IConsortium, ERC2771Context {
    /// @notice States are indexed by one byte (treaty ratifications are a bit set), so at most 256 ever.
    uint256 public constant MAX_STATES = 256;
    /// @notice Shortest voting period a proposal may have.
    uint32 public constant MIN_VOTING_PERIOD = 1 hours;
    /// @notice Longest voting period a proposal may have.
    uint32 public constant MAX_VOTING_PERIOD = 90 days;
    /// @notice Longest gateway URL accepted, in bytes.
    uint256 public constant MAX_URL_LENGTH = 256;

    struct StateRecord {
        StateStatus status;
        uint8 index;
        uint32 keyVersion;
        uint16 authorityCount;
        uint40 admittedAt;
        bytes32 encryptionKey;
        string gatewayUrl;
    }

    struct AccountRecord {
        bytes2 state;
        uint8 roles;
    }

    struct Proposal {
        ProposalKind kind;
        bool executed;
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

    mapping(bytes2 code => StateRecord) private _states;
    mapping(bytes2 code => mapping(uint32 version => bytes32 key)) private _keyHistory;
    mapping(address account => AccountRecord) private _accounts;
    mapping(bytes32 proposalId => Proposal) private _proposals;
    mapping(bytes32 proposalId => mapping(bytes2 state => bool)) private _voted;
    bytes2[] private _stateCodes;
    uint16 private _activeCount;
    uint16 private _thresholdBps;

    /// @notice Founds the consortium: admits `founders` with their accounts and sets the threshold.
    /// This is the only privileged step there is; afterwards every change is made by the states.
    /// @param trustedForwarder the ERC2771Forwarder through which gateways relay signed requests
    /// @param founders the founding states; each needs at least one CENTRAL_AUTHORITY account
    /// @param thresholdBps_ approval threshold in basis points of the active states
    constructor(
        address trustedForwarder,
        FoundingState[] memory founders,
        uint16 thresholdBps_
    ) ERC2771Context(trustedForwarder) {
        if (founders.length == 0) revert ConsortiumLastActiveState(bytes2(0));
        _setThreshold(thresholdBps_, bytes32(0));
        for (uint256 i = 0; i < founders.length; ++i) {
            FoundingState memory f = founders[i];
            _admit(f.code, f.encryptionKey, f.gatewayUrl, bytes32(0));
            for (uint256 j = 0; j < f.accounts.length; ++j) {
                _setRoles(f.code, f.accounts[j].account, f.accounts[j].roles, _msgSender());
            }
            if (_states[f.code].authorityCount == 0) revert ConsortiumLastAuthority(f.code, address(0));
        }
    }

    // ─── account management ────────────────────────────────────────────────────────────────

    /// @inheritdoc IConsortium
    function setAccountRoles(address account, uint8 roles) external {
        (bytes2 code, ) = _requireMember(_msgSender(), Roles.CENTRAL_AUTHORITY);
        _setRoles(code, account, roles, _msgSender());
    }

    /// @inheritdoc IConsortium
    function rotateEncryptionKey(bytes32 newKey) external {
        (bytes2 code, ) = _requireMember(_msgSender(), Roles.CENTRAL_AUTHORITY);
        StateRecord storage s = _states[code];
        if (newKey == bytes32(0) || newKey == s.encryptionKey) revert ConsortiumInvalidKey(code, newKey);
        uint32 version = s.keyVersion + 1;
        s.keyVersion = version;
        s.encryptionKey = newKey;
        _keyHistory[code][version] = newKey;
        emit StateKeyRotated(code, version, newKey, _msgSender());
    }

    /// @inheritdoc IConsortium
    function setGatewayUrl(string calldata gatewayUrl) external {
        (bytes2 code, ) = _requireMember(_msgSender(), Roles.CENTRAL_AUTHORITY);
        _checkUrl(gatewayUrl);
        _states[code].gatewayUrl = gatewayUrl;
        emit StateGatewayChanged(code, gatewayUrl, _msgSender());
    }

    // ─── governance ────────────────────────────────────────────────────────────────────────

    /// @inheritdoc IConsortium
    function propose(ProposalParams calldata params, uint32 votingPeriod) external returns (bytes32 id) {
        (bytes2 code, ) = _requireMember(_msgSender(), Roles.CENTRAL_AUTHORITY);
        _checkProposalParams(params);
        if (votingPeriod < MIN_VOTING_PERIOD || votingPeriod > MAX_VOTING_PERIOD) {
            revert ConsortiumInvalidVotingPeriod(votingPeriod, MIN_VOTING_PERIOD, MAX_VOTING_PERIOD);
        }
        id = keccak256(abi.encode(params));
        Proposal storage p = _proposals[id];
        if (p.kind != ProposalKind.None) revert ConsortiumProposalExists(id);
        uint40 expiresAt = uint40(block.timestamp) + votingPeriod;
        p.kind = params.kind;
        p.proposerState = code;
        p.target = params.target;
        p.thresholdBps = params.thresholdBps;
        p.expiresAt = expiresAt;
        p.initialAuthority = params.initialAuthority;
        p.encryptionKey = params.encryptionKey;
        p.descriptionDigest = params.descriptionDigest;
        p.gatewayUrl = params.gatewayUrl;
        emit ProposalCreated(id, code, _msgSender(), params, expiresAt);
        _castVote(id, p, code);
    }

    /// @inheritdoc IConsortium
    function vote(bytes32 id) external {
        (bytes2 code, ) = _requireMember(_msgSender(), Roles.CENTRAL_AUTHORITY);
        Proposal storage p = _pendingProposal(id);
        _castVote(id, p, code);
    }

    /// @inheritdoc IConsortium
    function withdrawVote(bytes32 id) external {
        address sender = _msgSender();
        // A suspended state may still take its vote back: withdrawing only ever lowers support.
        AccountRecord memory a = _accounts[sender];
        if (a.roles & Roles.CENTRAL_AUTHORITY == 0) {
            revert ConsortiumUnauthorizedAccount(sender, Roles.CENTRAL_AUTHORITY);
        }
        Proposal storage p = _pendingProposal(id);
        if (!_voted[id][a.state]) revert ConsortiumVoteState(id, a.state, false);
        _voted[id][a.state] = false;
        bytes2[] storage voters = p.voters;
        uint256 last = voters.length - 1;
        for (uint256 i = 0; i <= last; ++i) {
            if (voters[i] == a.state) {
                voters[i] = voters[last];
                voters.pop();
                break;
            }
        }
        emit ProposalVoteWithdrawn(id, a.state, sender);
    }

    /// @inheritdoc IConsortium
    function execute(bytes32 id) external {
        _requireMember(_msgSender(), Roles.CENTRAL_AUTHORITY);
        Proposal storage p = _pendingProposal(id);
        uint16 votes = _activeVotes(p.voters);
        uint16 required = requiredVotes();
        if (votes < required) revert ConsortiumQuorumNotReached(id, votes, required);
        p.executed = true;
        emit ProposalExecuted(id, votes, required, _msgSender());
        ProposalKind kind = p.kind;
        if (kind == ProposalKind.AdmitState) {
            _admit(p.target, p.encryptionKey, p.gatewayUrl, id);
            _setRoles(p.target, p.initialAuthority, Roles.CENTRAL_AUTHORITY, _msgSender());
        } else if (kind == ProposalKind.SuspendState) {
            _changeStatus(p.target, StateStatus.Active, StateStatus.Suspended, id);
        } else if (kind == ProposalKind.ReinstateState) {
            _changeStatus(p.target, StateStatus.Suspended, StateStatus.Active, id);
        } else if (kind == ProposalKind.RemoveState) {
            StateStatus current = _states[p.target].status;
            if (current != StateStatus.Active && current != StateStatus.Suspended) {
                revert ConsortiumUnexpectedStateStatus(p.target, current);
            }
            _changeStatus(p.target, current, StateStatus.Removed, id);
        } else {
            _setThreshold(p.thresholdBps, id);
        }
    }

    // ─── views ─────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc IConsortium
    function proposalId(ProposalParams calldata params) external pure returns (bytes32) {
        return keccak256(abi.encode(params));
    }

    /// @inheritdoc IConsortium
    function proposal(bytes32 id) external view returns (ProposalView memory v) {
        Proposal storage p = _proposals[id];
        v.kind = p.kind;
        v.status = _proposalStatus(p);
        v.proposerState = p.proposerState;
        v.target = p.target;
        v.thresholdBps = p.thresholdBps;
        v.expiresAt = p.expiresAt;
        v.initialAuthority = p.initialAuthority;
        v.encryptionKey = p.encryptionKey;
        v.descriptionDigest = p.descriptionDigest;
        v.gatewayUrl = p.gatewayUrl;
        v.voters = p.voters;
    }

    /// @inheritdoc IConsortium
    function state(bytes2 code) external view returns (StateView memory) {
        StateRecord storage s = _states[code];
        return
            StateView(s.status, s.index, s.keyVersion, s.authorityCount, s.admittedAt, s.encryptionKey, s.gatewayUrl);
    }

    /// @inheritdoc IConsortium
    function encryptionKeyAt(bytes2 code, uint32 version) external view returns (bytes32) {
        return _keyHistory[code][version];
    }

    /// @inheritdoc IConsortium
    function stateCodes() external view returns (bytes2[] memory) {
        return _stateCodes;
    }

    /// @inheritdoc IConsortium
    function accountOf(address account) external view returns (bytes2, uint8) {
        AccountRecord memory a = _accounts[account];
        return (a.state, a.roles);
    }

    /// @inheritdoc IConsortium
    function activeStateCount() external view returns (uint16) {
        return _activeCount;
    }

    /// @inheritdoc IConsortium
    function thresholdBps() external view returns (uint16) {
        return _thresholdBps;
    }

    /// @inheritdoc IConsortium
    /// @dev At least 1 without a special case: a state is always active (founding needs one and
    /// {ConsortiumLastActiveState} keeps one) and the threshold is at least 1 bps, so the product is positive.
    /// At most MAX_STATES, so it fits in uint16.
    function requiredVotes() public view returns (uint16) {
        return uint16((uint256(_activeCount) * _thresholdBps + 9_999) / 10_000);
    }

    /// @inheritdoc IConsortium
    function requireMember(address account, uint8 anyOfRoles) external view returns (bytes2, uint8) {
        return _requireMember(account, anyOfRoles);
    }

    /// @inheritdoc IConsortium
    function requireActiveState(bytes2 code) external view returns (uint8) {
        StateRecord storage s = _states[code];
        if (s.status != StateStatus.Active) revert ConsortiumUnexpectedStateStatus(code, s.status);
        return s.index;
    }

    // ─── internals ─────────────────────────────────────────────────────────────────────────

    function _requireMember(address account, uint8 anyOfRoles) private view returns (bytes2 code, uint8 index) {
        AccountRecord memory a = _accounts[account];
        if (a.roles & anyOfRoles == 0) revert ConsortiumUnauthorizedAccount(account, anyOfRoles);
        StateRecord storage s = _states[a.state];
        if (s.status != StateStatus.Active) revert ConsortiumUnexpectedStateStatus(a.state, s.status);
        return (a.state, s.index);
    }

    function _admit(bytes2 code, bytes32 key, string memory gatewayUrl, bytes32 id) private {
        StateCodes.check(code);
        if (_states[code].status != StateStatus.None) revert ConsortiumStateExists(code);
        if (_stateCodes.length >= MAX_STATES) revert ConsortiumTooManyStates(MAX_STATES);
        if (key == bytes32(0)) revert ConsortiumInvalidKey(code, key);
        _checkUrl(gatewayUrl);
        uint8 index = uint8(_stateCodes.length);
        _stateCodes.push(code);
        StateRecord storage s = _states[code];
        s.status = StateStatus.Active;
        s.index = index;
        s.keyVersion = 1;
        s.admittedAt = uint40(block.timestamp);
        s.encryptionKey = key;
        s.gatewayUrl = gatewayUrl;
        _keyHistory[code][1] = key;
        ++_activeCount;
        emit StateAdmitted(code, index, key, gatewayUrl, id);
    }

    function _changeStatus(bytes2 code, StateStatus from, StateStatus to, bytes32 id) private {
        StateRecord storage s = _states[code];
        if (s.status != from) revert ConsortiumUnexpectedStateStatus(code, s.status);
        if (from == StateStatus.Active) {
            if (_activeCount == 1) revert ConsortiumLastActiveState(code);
            --_activeCount;
        }
        if (to == StateStatus.Active) ++_activeCount;
        s.status = to;
        emit StateStatusChanged(code, from, to, id);
    }

    function _setRoles(bytes2 code, address account, uint8 roles, address actor) private {
        if (roles > Roles.ALL) revert ConsortiumInvalidRoles(roles);
        AccountRecord storage a = _accounts[account];
        if (account == address(0) || (a.state != bytes2(0) && a.state != code)) {
            revert ConsortiumAccountOfOtherState(account, a.state);
        }
        uint8 previous = a.roles;
        bool wasAuthority = previous & Roles.CENTRAL_AUTHORITY != 0;
        bool isAuthority = roles & Roles.CENTRAL_AUTHORITY != 0;
        StateRecord storage s = _states[code];
        if (wasAuthority && !isAuthority) {
            if (s.authorityCount == 1) revert ConsortiumLastAuthority(code, account);
            --s.authorityCount;
        } else if (!wasAuthority && isAuthority) {
            ++s.authorityCount;
        }
        a.roles = roles;
        a.state = roles == 0 ? bytes2(0) : code;
        emit AccountRolesChanged(account, code, previous, roles, actor);
    }

    function _setThreshold(uint16 bps, bytes32 id) private {
        if (bps == 0 || bps > 10_000) revert ConsortiumInvalidThreshold(bps);
        emit ThresholdChanged(_thresholdBps, bps, id);
        _thresholdBps = bps;
    }

    function _castVote(bytes32 id, Proposal storage p, bytes2 code) private {
        if (_voted[id][code]) revert ConsortiumVoteState(id, code, true);
        _voted[id][code] = true;
        p.voters.push(code);
        emit ProposalVoteCast(id, code, _msgSender());
    }

    /// @dev Bounded: a proposal has at most one voter per state, and there are at most MAX_STATES states.
    function _activeVotes(bytes2[] storage voters) private view returns (uint16 count) {
        uint256 n = voters.length;
        for (uint256 i = 0; i < n; ++i) {
            if (_states[voters[i]].status == StateStatus.Active) ++count;
        }
    }

    function _pendingProposal(bytes32 id) private view returns (Proposal storage p) {
        p = _proposals[id];
        ProposalStatus status = _proposalStatus(p);
        if (status != ProposalStatus.Pending) revert ConsortiumUnexpectedProposalStatus(id, status);
    }

    function _proposalStatus(Proposal storage p) private view returns (ProposalStatus) {
        if (p.kind == ProposalKind.None) return ProposalStatus.None;
        if (p.executed) return ProposalStatus.Executed;
        if (block.timestamp > p.expiresAt) return ProposalStatus.Expired;
        return ProposalStatus.Pending;
    }

    function _checkProposalParams(ProposalParams calldata p) private view {
        ProposalKind kind = p.kind;
        bool ok;
        bool noAdmitFields = p.initialAuthority == address(0) &&
            p.encryptionKey == bytes32(0) &&
            bytes(p.gatewayUrl).length == 0;
        if (kind == ProposalKind.AdmitState) {
            ok = p.thresholdBps == 0 && p.initialAuthority != address(0) && p.encryptionKey != bytes32(0);
            StateCodes.check(p.target);
            if (_states[p.target].status != StateStatus.None) revert ConsortiumStateExists(p.target);
            if (_accounts[p.initialAuthority].state != bytes2(0)) {
                revert ConsortiumAccountOfOtherState(p.initialAuthority, _accounts[p.initialAuthority].state);
            }
            _checkUrl(p.gatewayUrl);
        } else if (kind == ProposalKind.ChangeThreshold) {
            ok = p.target == bytes2(0) && noAdmitFields;
            if (p.thresholdBps == 0 || p.thresholdBps > 10_000) revert ConsortiumInvalidThreshold(p.thresholdBps);
        } else if (kind != ProposalKind.None) {
            ok = p.thresholdBps == 0 && noAdmitFields && _states[p.target].status != StateStatus.None;
        }
        if (!ok) revert ConsortiumInvalidProposal(kind);
    }

    function _checkUrl(string memory url) private pure {
        uint256 length = bytes(url).length;
        if (length == 0 || length > MAX_URL_LENGTH) revert ConsortiumInvalidGatewayUrl(length);
    }
}
