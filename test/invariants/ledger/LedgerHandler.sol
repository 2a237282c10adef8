// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {CommonBase} from "../base/CommonBase.sol";
import {Vm} from "../base/Vm.sol";
import {Consortium} from "../../../contracts/membership/Consortium.sol";
import {IConsortium} from "../../../contracts/interfaces/IConsortium.sol";
import {RequestRegistry} from "../../../contracts/requests/RequestRegistry.sol";
import {IRequestRegistry} from "../../../contracts/interfaces/IRequestRegistry.sol";
import {EvidenceCustody} from "../../../contracts/custody/EvidenceCustody.sol";
import {IEvidenceCustody} from "../../../contracts/interfaces/IEvidenceCustody.sol";
import {StateStatus, ProposalKind, RequestStatus, Priority, RefusalReason, CustodyAction, Roles} from "../../../contracts/types/MlatTypes.sol";

/// @title LedgerHandler
/// @notice Drives the ledger with random actors — each state's central authority and agency, and a stranger —
/// over requests, custody, suspensions, time and the membership itself (account roles, keys and gateway URLs
/// changed by random actors for random accounts), and records in ghost variables every outcome that breaks
/// one of the ledger's properties. The checks run after each call (with `fail_on_revert = false` a failing
/// check inside a handler would pass silently), and `LedgerInvariants` asserts the counters stay zero.
contract LedgerHandler is CommonBase {
    Consortium public immutable consortium;
    RequestRegistry public immutable requests;
    EvidenceCustody public immutable custody;
    bytes32 public immutable bilateral;
    bytes32 public immutable untoc;

    bytes2[3] public states;
    /// Per state: [central authority, agency]; then one stranger.
    address[] public actors;
    mapping(bytes2 => address) public authorityOf;

    bytes32[] public requestIds;
    bytes32[] public evidenceIds;
    mapping(bytes32 => bytes32) public ghostHead;
    mapping(bytes32 => uint64) public ghostSequence;

    // ─── violations, per property (LedgerInvariants asserts every count is zero) ─────────────
    enum Property {
        LifecycleGraph,
        CrossState,
        SuspendedState,
        CustodyOffer,
        CustodyHead,
        OneCustodian,
        Roles,
        KeyRegistry
    }
    uint256[8] public violations;
    /// The first violation of each property, as a sentence.
    string[8] public firstViolation;

    // ─── membership ghosts: what the membership rules allow, updated only by calls the rules allow ──
    /// Every account the handler ever assigns or reads: the actors, then three recruits (fresh accounts).
    address[] public tracked;
    mapping(address => bool) public isRecruit;
    mapping(address => bytes2) public ghostStateOf;
    mapping(address => uint8) public ghostRolesOf;
    mapping(bytes2 => uint32) public ghostKeyVersion;
    mapping(bytes2 => mapping(uint32 => bytes32)) public ghostKey;
    mapping(bytes2 => bytes32) public ghostGatewayUrlHash;
    mapping(bytes2 => StateStatus) public ghostStatus;

    uint256 public calls;
    uint256 public successes;

    bytes32 private constant REGISTERED = keccak256(
        "EvidenceRegistered(bytes32,bytes32,bytes2,address,address,bytes32,bytes32,bytes32,bytes32)"
    );
    bytes32 private constant RECORDED = keccak256(
        "CustodyRecorded(bytes32,uint64,uint8,bytes2,address,bytes2,address,bytes32,uint40,bytes32)"
    );

    constructor(
        Consortium consortium_,
        RequestRegistry requests_,
        EvidenceCustody custody_,
        bytes2[3] memory states_,
        address[] memory actors_,
        bytes32 bilateral_,
        bytes32 untoc_
    ) {
        consortium = consortium_;
        requests = requests_;
        custody = custody_;
        states = states_;
        actors = actors_;
        for (uint256 i = 0; i < 3; ++i) authorityOf[states_[i]] = actors_[2 * i];
        bilateral = bilateral_;
        untoc = untoc_;
        for (uint256 i = 0; i < actors_.length + 3; ++i) {
            address account = i < actors_.length ? actors_[i] : address(uint160(uint256(keccak256(abi.encode("recruit", i)))));
            tracked.push(account);
            isRecruit[account] = i >= actors_.length;
            (ghostStateOf[account], ghostRolesOf[account]) = consortium_.accountOf(account);
        }
        for (uint256 i = 0; i < 3; ++i) {
            IConsortium.StateView memory v = consortium_.state(states_[i]);
            ghostKeyVersion[states_[i]] = v.keyVersion;
            ghostKey[states_[i]][v.keyVersion] = v.encryptionKey;
            ghostGatewayUrlHash[states_[i]] = keccak256(bytes(v.gatewayUrl));
            ghostStatus[states_[i]] = v.status;
        }
    }

    // ─── requests ──────────────────────────────────────────────────────────────────────────

    function submit(uint256 actorSeed, uint256 requestedSeed, bool underBilateral, uint32 types) external {
        bytes2 requested = states[requestedSeed % 3];
        bytes2 requesting = states[(requestedSeed % 3 + 1 + ((requestedSeed / 3) % 2)) % 3];
        // The bilateral treaty binds US and MX only; anything else goes under UNTOC, unless the seed says try.
        underBilateral = underBilateral && (actorSeed % 4 == 0 || (requesting != states[2] && requested != states[2]));
        address actor = _pick(actorSeed, authorityOf[requesting]);
        bytes32 id = keccak256(abi.encode("request", requestIds.length, actorSeed));
        IRequestRegistry.Submission memory s = IRequestRegistry.Submission(
            id,
            requested,
            underBilateral ? bilateral : untoc,
            uint32(bound(types, 1, 31)),
            Priority(actorSeed % 2),
            keccak256(abi.encode(id)),
            0
        );
        (bytes2 actorState, StateStatus actorStatus) = _stateOf(actor);
        _begin();
        vm.prank(actor);
        try requests.submitRequest(s) {
            _success(actorStatus);
            requestIds.push(id);
            if (actorState != requests.request(id).requestingState) _violation(Property.CrossState, "submitted for another state");
            _checkMove(id, RequestStatus.None);
        } catch {}
        _end();
    }

    /// One lifecycle step on one request. `kind`: 0 acknowledge, 1 requestClarification, 2 provideClarification,
    /// 3 accept, 4 partiallyAccept, 5 refuse, 6 startExecution, 7 complete, 8 close, 9 withdraw.
    function step(uint256 actorSeed, uint256 requestSeed, uint256 kind) external {
        if (requestIds.length == 0) return;
        // Half the time the newest request, so that some requests get far along their lifecycle.
        bytes32 id = requestSeed % 2 == 0
            ? requestIds[requestIds.length - 1]
            : requestIds[(requestSeed / 2) % requestIds.length];
        // Two times in three the step the request's status calls for, otherwise any step.
        RequestStatus status = requests.request(id).status;
        _tryStep(id, kind % 3 != 0 ? _naturalStep(status, kind / 3) : (kind / 3) % 10, actorSeed);
    }

    /// The same step tried on up to eight requests (from a random one on), whatever their status: meets every
    /// (status, step) pair quickly. Bounded, so that a call costs the same however many requests a run made.
    function stepEvery(uint256 actorSeed, uint256 kind) external {
        uint256 n = requestIds.length;
        uint256 first = n == 0 ? 0 : (actorSeed >> 128) % n;
        for (uint256 i = 0; i < n && i < 8; ++i) _tryStep(requestIds[(first + i) % n], kind % 10, actorSeed >> i);
    }

    function _tryStep(bytes32 id, uint256 kind, uint256 actorSeed) private {
        IRequestRegistry.Request memory before = requests.request(id);
        bool byRequester = kind == 2 || kind == 8 || kind == 9;
        bytes2 party = byRequester ? before.requestingState : before.requestedState;
        address actor = _pick(actorSeed, authorityOf[party]);
        (bytes2 actorState, StateStatus actorStatus) = _stateOf(actor);
        bytes memory data = _stepCall(id, kind, before.assistanceTypes);
        _begin();
        vm.prank(actor);
        (bool ok, ) = address(requests).call(data);
        if (ok) {
            _success(actorStatus);
            if (actorState != party) _violation(Property.CrossState, "lifecycle step by a state that is not the party");
            _checkMove(id, before.status);
        }
        _end();
    }

    // ─── custody ───────────────────────────────────────────────────────────────────────────

    function register(uint256 actorSeed, uint256 requestSeed, bool asAgency) external {
        if (requestIds.length == 0) return;
        bytes32 requestId = _preferInExecution(requestSeed);
        bytes2 requested = requests.request(requestId).requestedState;
        address right = asAgency ? _agencyOf(requested) : authorityOf[requested];
        address actor = _pick(actorSeed, right);
        (bytes2 actorState, StateStatus actorStatus) = _stateOf(actor);
        bytes32 id = keccak256(abi.encode("evidence", evidenceIds.length, actorSeed));
        IEvidenceCustody.Registration memory r = IEvidenceCustody.Registration(
            id,
            requestId,
            keccak256(abi.encode(id, "payload")),
            keccak256(abi.encode(id, "commitment")),
            keccak256(abi.encode(id, "manifest")),
            address(0)
        );
        _begin();
        vm.prank(actor);
        try custody.registerEvidence(r) {
            _success(actorStatus);
            evidenceIds.push(id);
            if (actorState != requested) _violation(Property.CrossState, "evidence registered by a state other than the executing one");
        } catch {}
        _end();
        _checkEvidence();
    }

    function offer(uint256 actorSeed, uint256 evidenceSeed, uint256 toSeed, uint256 duration) external {
        (bytes32 id, IEvidenceCustody.Evidence memory e) = _evidence(evidenceSeed);
        if (id == bytes32(0)) return;
        address actor = _pick(actorSeed, _agencyOf(e.custodianState));
        _custodyCall(id, actor, e.custodianState, _offerCall(id, e.custodianState, toSeed, duration));
    }

    function accept(uint256 actorSeed, uint256 evidenceSeed, uint256 digestSeed) external {
        (bytes32 id, IEvidenceCustody.Evidence memory e) = _evidence(evidenceSeed);
        if (id == bytes32(0)) return;
        address actor = _pick(actorSeed, _agencyOf(e.offeredToState == bytes2(0) ? states[0] : e.offeredToState));
        // Three times in four the digest actually anchored, otherwise a digest the recipient made up.
        bytes32 held = digestSeed % 4 != 0 ? e.payloadDigest : keccak256(abi.encode(digestSeed));
        _custodyCall(id, actor, e.offeredToState, abi.encodeCall(custody.acceptCustody, (id, held)));
    }

    function reject(uint256 actorSeed, uint256 evidenceSeed) external {
        (bytes32 id, IEvidenceCustody.Evidence memory e) = _evidence(evidenceSeed);
        if (id == bytes32(0)) return;
        address actor = _pick(actorSeed, _agencyOf(e.offeredToState == bytes2(0) ? states[0] : e.offeredToState));
        _custodyCall(id, actor, e.offeredToState, abi.encodeCall(custody.rejectCustody, (id, bytes32(actorSeed))));
    }

    function cancel(uint256 actorSeed, uint256 evidenceSeed) external {
        (bytes32 id, IEvidenceCustody.Evidence memory e) = _evidence(evidenceSeed);
        if (id == bytes32(0)) return;
        address actor = _pick(actorSeed, _agencyOf(e.custodianState));
        _custodyCall(id, actor, e.custodianState, abi.encodeCall(custody.cancelOffer, (id)));
    }

    function reencrypt(uint256 actorSeed, uint256 evidenceSeed) external {
        (bytes32 id, IEvidenceCustody.Evidence memory e) = _evidence(evidenceSeed);
        if (id == bytes32(0)) return;
        address actor = _pick(actorSeed, _agencyOf(e.custodianState));
        bytes32 next = keccak256(abi.encode(e.payloadDigest, actorSeed));
        _custodyCall(id, actor, e.custodianState, abi.encodeCall(custody.recordReencryption, (id, next)));
    }

    function dispose(uint256 actorSeed, uint256 evidenceSeed, uint256 kind) external {
        (bytes32 id, IEvidenceCustody.Evidence memory e) = _evidence(evidenceSeed);
        if (id == bytes32(0)) return;
        address actor = _pick(actorSeed, _agencyOf(e.custodianState));
        CustodyAction disposition = CustodyAction(uint8(5 + (kind % 4))); // Reencrypted (invalid) … Released
        _custodyCall(id, actor, e.custodianState, abi.encodeCall(custody.dispose, (id, disposition, bytes32(kind))));
    }

    // ─── membership: roles, keys, gateway URLs ──────────────────────────────────────────────

    /// An account-role change by a random actor: for a recruit (any role bits, the invalid 16 included), or one
    /// time in four for any actor's account — then keeping the roles it has, so the campaign keeps its actors.
    function setRoles(uint256 actorSeed, uint256 stateSeed, uint256 accountSeed, uint8 roles) external {
        address actor = _pick(actorSeed, authorityOf[states[stateSeed % 3]]);
        address account = accountSeed % 4 == 0
            ? actors[(accountSeed / 4) % (actors.length - 1)]
            : tracked[actors.length + (accountSeed / 4) % 3];
        roles = uint8(bound(roles, 0, 16));
        if (!isRecruit[account]) roles |= ghostRolesOf[account];
        (bytes2 actorState, StateStatus actorStatus) = _stateOf(actor);
        bool allowed = ghostRolesOf[actor] & Roles.CENTRAL_AUTHORITY != 0 &&
            (ghostStateOf[account] == bytes2(0) || ghostStateOf[account] == actorState) &&
            roles <= Roles.ALL;
        _begin();
        vm.prank(actor);
        try consortium.setAccountRoles(account, roles) {
            _success(actorStatus);
            if (!allowed) _violation(Property.Roles, "an account's roles changed against the membership rules");
            ghostStateOf[account] = roles == 0 ? bytes2(0) : actorState;
            ghostRolesOf[account] = roles;
        } catch {}
        _end();
        _checkMembership();
    }

    /// A key rotation by a random actor: a fresh key, or (one time in eight each) zero or the current key.
    function rotateKey(uint256 actorSeed, uint256 stateSeed, uint256 keySeed) external {
        address actor = _pick(actorSeed, authorityOf[states[stateSeed % 3]]);
        (bytes2 actorState, StateStatus actorStatus) = _stateOf(actor);
        bytes32 current = ghostKey[actorState][ghostKeyVersion[actorState]];
        bytes32 key = keySeed % 8 == 0 ? bytes32(0) : keySeed % 8 == 1 ? current : keccak256(abi.encode(keySeed));
        bool allowed = ghostRolesOf[actor] & Roles.CENTRAL_AUTHORITY != 0 && key != bytes32(0) && key != current;
        _begin();
        vm.prank(actor);
        try consortium.rotateEncryptionKey(key) {
            _success(actorStatus);
            if (!allowed) _violation(Property.KeyRegistry, "a state's key was replaced against the membership rules");
            uint32 version = ++ghostKeyVersion[actorState];
            ghostKey[actorState][version] = key;
        } catch {}
        _end();
        _checkMembership();
    }

    /// A gateway URL change by a random actor: a new URL, or (one time in eight each) an empty or too long one.
    function setGatewayUrl(uint256 actorSeed, uint256 stateSeed, uint256 urlSeed) external {
        address actor = _pick(actorSeed, authorityOf[states[stateSeed % 3]]);
        (bytes2 actorState, StateStatus actorStatus) = _stateOf(actor);
        string memory url = urlSeed % 8 == 0
            ? ""
            : urlSeed % 8 == 1
                ? string(new bytes(consortium.MAX_URL_LENGTH() + 1))
                : string.concat("https://gw.example/", vm.toString(urlSeed));
        bool allowed = ghostRolesOf[actor] & Roles.CENTRAL_AUTHORITY != 0 && urlSeed % 8 > 1;
        _begin();
        vm.prank(actor);
        try consortium.setGatewayUrl(url) {
            _success(actorStatus);
            if (!allowed) _violation(Property.KeyRegistry, "a state's gateway URL was replaced against the membership rules");
            ghostGatewayUrlHash[actorState] = keccak256(bytes(url));
        } catch {}
        _end();
        _checkMembership();
    }

    // ─── governance and time ───────────────────────────────────────────────────────────────

    /// Suspends an active state, or reinstates a suspended one, by the votes of the other states.
    function toggleSuspension(uint256 stateSeed) external {
        bytes2 target = states[stateSeed % 3];
        StateStatus status = consortium.state(target).status;
        ProposalKind kind = status == StateStatus.Active ? ProposalKind.SuspendState : ProposalKind.ReinstateState;
        IConsortium.ProposalParams memory p = IConsortium.ProposalParams(kind, target, 0, address(0), 0, "", bytes32(stateSeed));
        bytes32 pid;
        for (uint256 i = 0; i < 3; ++i) {
            bytes2 voter = states[i];
            if (voter == target || consortium.state(voter).status != StateStatus.Active) continue;
            if (pid == bytes32(0)) {
                vm.prank(authorityOf[voter]);
                try consortium.propose(p, 1 days) returns (bytes32 created) {
                    pid = created;
                } catch {
                    return;
                }
            } else {
                vm.prank(authorityOf[voter]);
                try consortium.vote(pid) {} catch {}
            }
        }
        if (pid == bytes32(0)) return;
        for (uint256 i = 0; i < 3; ++i) {
            if (consortium.state(states[i]).status != StateStatus.Active) continue;
            vm.prank(authorityOf[states[i]]);
            try consortium.execute(pid) {} catch {}
            break;
        }
        ghostStatus[target] = consortium.state(target).status;
        _checkMembership();
    }

    function warp(uint256 seconds_) external {
        vm.warp(block.timestamp + bound(seconds_, 1, 20 days));
    }

    // ─── views for the invariants ──────────────────────────────────────────────────────────

    function requestCount() external view returns (uint256) {
        return requestIds.length;
    }

    function evidenceCount() external view returns (uint256) {
        return evidenceIds.length;
    }

    /// The violation counts, by Property.
    function violationCounts() external view returns (uint256[8] memory) {
        return violations;
    }

    // ─── internals ─────────────────────────────────────────────────────────────────────────

    /// Three times in four the actor who may act, otherwise anyone (another state's accounts, a stranger).
    function _pick(uint256 seed, address right) private view returns (address) {
        if (seed % 4 != 0) return right;
        return actors[(seed / 4) % actors.length];
    }

    function _agencyOf(bytes2 state) private view returns (address) {
        for (uint256 i = 0; i < 3; ++i) if (states[i] == state) return actors[2 * i + 1];
        return actors[actors.length - 1];
    }

    /// The state the membership rules say `actor` belongs to, and that state's status.
    function _stateOf(address actor) private view returns (bytes2 code, StateStatus status) {
        code = ghostStateOf[actor];
        status = ghostStatus[code];
    }

    /// Half the time the newest item, so that some items get far along their custody chain.
    function _evidence(uint256 seed) private view returns (bytes32 id, IEvidenceCustody.Evidence memory e) {
        uint256 n = evidenceIds.length;
        if (n == 0) return (bytes32(0), e);
        id = seed % 2 == 0 ? evidenceIds[n - 1] : evidenceIds[(seed / 2) % n];
        e = custody.evidence(id);
    }

    /// The step a request in `status` would take next, varied by `seed` where there is a choice.
    function _naturalStep(RequestStatus status, uint256 seed) private pure returns (uint256) {
        if (status == RequestStatus.Submitted) return 0;
        if (status == RequestStatus.Acknowledged) return [uint256(3), 3, 4, 1, 5][seed % 5];
        if (status == RequestStatus.ClarificationRequested) return 2;
        if (status == RequestStatus.Accepted || status == RequestStatus.PartiallyAccepted) return 6;
        // Keep most requests in execution, where evidence lives: rarely complete or withdraw; otherwise a no-op step.
        if (status == RequestStatus.InExecution) return seed % 8 == 0 ? 7 : seed % 8 == 1 ? 9 : 0;
        if (status == RequestStatus.Executed) return 8;
        return seed % 10;
    }

    /// A request in execution among eight (searching from the seed), else any request.
    function _preferInExecution(uint256 seed) private view returns (bytes32) {
        uint256 n = requestIds.length;
        for (uint256 i = 0; i < n && i < 8; ++i) {
            bytes32 id = requestIds[(seed + i) % n];
            if (requests.request(id).status == RequestStatus.InExecution) return id;
        }
        return requestIds[seed % n];
    }

    /// An offer to another state three times in four (to any state otherwise), for up to 40 days.
    function _offerCall(bytes32 id, bytes2 custodian, uint256 toSeed, uint256 duration) private view returns (bytes memory) {
        uint40 expiresAt = uint40(block.timestamp + bound(duration, 1, 40 days));
        bytes2 to = states[toSeed % 3];
        if (toSeed % 4 != 0 && to == custodian) to = states[(toSeed + 1) % 3];
        return abi.encodeCall(custody.offerCustody, (id, to, address(0), expiresAt, bytes32(toSeed)));
    }

    function _stepCall(bytes32 id, uint256 kind, uint32 types) private view returns (bytes memory) {
        bytes32 doc = keccak256(abi.encode(id, kind, block.timestamp));
        if (kind == 0) return abi.encodeCall(requests.acknowledge, (id, doc));
        if (kind == 1) return abi.encodeCall(requests.requestClarification, (id, doc));
        if (kind == 2) return abi.encodeCall(requests.provideClarification, (id, doc));
        if (kind == 3) return abi.encodeCall(requests.accept, (id, doc));
        if (kind == 4) return abi.encodeCall(requests.partiallyAccept, (id, types & (types - 1), doc));
        if (kind == 5) return abi.encodeCall(requests.refuse, (id, RefusalReason.Other, doc));
        if (kind == 6) return abi.encodeCall(requests.startExecution, (id, doc));
        if (kind == 7) return abi.encodeCall(requests.complete, (id, doc));
        if (kind == 8) return abi.encodeCall(requests.close, (id, doc));
        return abi.encodeCall(requests.withdraw, (id, doc));
    }

    /// One custody call by `actor`, who may act only for `party`; custody checked before and after.
    function _custodyCall(bytes32 id, address actor, bytes2 party, bytes memory data) private {
        IEvidenceCustody.Evidence memory before = custody.evidence(id);
        (bytes2 actorState, StateStatus actorStatus) = _stateOf(actor);
        _begin();
        vm.prank(actor);
        (bool ok, ) = address(custody).call(data);
        if (ok) {
            _success(actorStatus);
            if (actorState != party) _violation(Property.CrossState, "custody action by a state that may not act on the item");
            _checkCustodyMove(id, before, actorState, bytes4(data), data);
        }
        _end();
        _checkEvidence();
    }

    function _checkCustodyMove(
        bytes32 id,
        IEvidenceCustody.Evidence memory before,
        bytes2 actorState,
        bytes4 selector,
        bytes memory data
    ) private {
        IEvidenceCustody.Evidence memory afterwards = custody.evidence(id);
        if (afterwards.custodianState == before.custodianState) return;
        bool matching = selector == custody.acceptCustody.selector &&
            before.offeredToState == afterwards.custodianState &&
            before.offeredToState == actorState &&
            before.offerExpiresAt >= block.timestamp &&
            _heldDigest(data) == before.payloadDigest;
        if (!matching) _violation(Property.CustodyOffer, "custody moved without a matching, live offer and digest");
    }

    function _heldDigest(bytes memory data) private pure returns (bytes32 held) {
        if (data.length < 68) return bytes32(0);
        assembly {
            held := mload(add(data, 68))
        }
    }

    function _checkMove(bytes32 id, RequestStatus from) private {
        RequestStatus to = requests.request(id).status;
        if (from != to && !_edge(from, to)) _violation(Property.LifecycleGraph, "request status moved off the lifecycle graph");
    }

    /// The lifecycle graph of ARCHITECTURE.md, written out independently of RequestLifecycle.sol.
    function _edge(RequestStatus from, RequestStatus to) private pure returns (bool) {
        if (from == RequestStatus.None) return to == RequestStatus.Submitted;
        if (to == RequestStatus.Withdrawn) {
            return from == RequestStatus.Submitted || from == RequestStatus.Acknowledged ||
                from == RequestStatus.ClarificationRequested || from == RequestStatus.Accepted ||
                from == RequestStatus.PartiallyAccepted || from == RequestStatus.InExecution;
        }
        if (from == RequestStatus.Submitted) return to == RequestStatus.Acknowledged;
        if (from == RequestStatus.Acknowledged) {
            return to == RequestStatus.ClarificationRequested || to == RequestStatus.Accepted ||
                to == RequestStatus.PartiallyAccepted || to == RequestStatus.Refused;
        }
        if (from == RequestStatus.ClarificationRequested) return to == RequestStatus.Acknowledged;
        if (from == RequestStatus.Accepted || from == RequestStatus.PartiallyAccepted) return to == RequestStatus.InExecution;
        if (from == RequestStatus.InExecution) return to == RequestStatus.Executed;
        if (from == RequestStatus.Executed) return to == RequestStatus.Closed;
        return false;
    }

    function _begin() private {
        ++calls;
        vm.recordLogs();
    }

    function _success(StateStatus actorStatus) private {
        ++successes;
        if (actorStatus != StateStatus.Active) _violation(Property.SuspendedState, "an account of a suspended or removed state changed a record");
    }

    /// Folds the custody events of the last call into the ghost heads, recomputed from event fields alone.
    function _end() private {
        Vm.Log[] memory logs = vm.getRecordedLogs();
        for (uint256 i = 0; i < logs.length; ++i) {
            Vm.Log memory log = logs[i];
            if (log.emitter != address(custody)) continue;
            bytes32 evidenceId = log.topics[1];
            if (log.topics[0] == REGISTERED) {
                (address account, address actor, bytes32 payload, bytes32 commitment, bytes32 manifest, ) = abi.decode(
                    log.data,
                    (address, address, bytes32, bytes32, bytes32, bytes32)
                );
                ghostHead[evidenceId] = keccak256(
                    abi.encode(block.chainid, address(custody), evidenceId, log.topics[2], bytes2(log.topics[3]), account, actor, payload, commitment, manifest)
                );
            } else if (log.topics[0] == RECORDED) {
                _foldEntry(evidenceId, uint8(uint256(log.topics[2])), log.data);
            }
        }
    }

    function _foldEntry(bytes32 evidenceId, uint8 action, bytes memory data) private {
        (uint64 sequence, bytes2 actorState, address actor, bytes2 cpState, address cpAccount, bytes32 digest, uint40 expiresAt, ) =
            abi.decode(data, (uint64, bytes2, address, bytes2, address, bytes32, uint40, bytes32));
        if (sequence != ghostSequence[evidenceId] + 1) _violation(Property.CustodyHead, "custody sequence skipped or repeated");
        ghostSequence[evidenceId] = sequence;
        ghostHead[evidenceId] = keccak256(
            abi.encode(ghostHead[evidenceId], sequence, action, actorState, actor, cpState, cpAccount, digest, expiresAt)
        );
    }

    /// Re-reads every evidence item after a custody call (only EvidenceCustody writes its storage, and the
    /// ledger contracts make no state-changing call to one another: test/contracts/security/reentrancy.test.ts).
    function _checkEvidence() private {
        uint256 n = evidenceIds.length;
        for (uint256 i = 0; i < n; ++i) {
            bytes32 id = evidenceIds[i];
            IEvidenceCustody.Evidence memory e = custody.evidence(id);
            if (e.head != ghostHead[id]) _violation(Property.CustodyHead, "stored head differs from the events' head");
            if (e.disposition != CustodyAction.None) continue;
            // The campaign's only states are the three founders (suspended at times, never removed).
            if (e.custodianState != states[0] && e.custodianState != states[1] && e.custodianState != states[2]) {
                _violation(Property.OneCustodian, "a live item has no custodian state");
            }
            if (e.offeredToState == e.custodianState) _violation(Property.OneCustodian, "an item is offered to its own custodian");
        }
    }

    /// Re-reads every tracked account, authority count, key version, past key and gateway URL after a call to the
    /// consortium (only the consortium writes its storage) and compares them with what the membership rules gave.
    function _checkMembership() private {
        uint256[3] memory authorities;
        for (uint256 i = 0; i < tracked.length; ++i) {
            address account = tracked[i];
            (bytes2 state, uint8 roles) = consortium.accountOf(account);
            if (state != ghostStateOf[account] || roles != ghostRolesOf[account]) {
                _violation(Property.Roles, "an account's state or roles changed outside the membership rules");
            }
            for (uint256 s = 0; s < 3; ++s) {
                if (state == states[s] && roles & Roles.CENTRAL_AUTHORITY != 0) ++authorities[s];
            }
        }
        for (uint256 s = 0; s < 3; ++s) {
            bytes2 code = states[s];
            IConsortium.StateView memory v = consortium.state(code);
            if (v.authorityCount != authorities[s]) {
                _violation(Property.Roles, "the authority count differs from the accounts holding the role");
            }
            if (v.authorityCount == 0) _violation(Property.Roles, "a state lost its last central authority");
            uint32 version = ghostKeyVersion[code];
            if (v.keyVersion != version || v.encryptionKey != ghostKey[code][version]) {
                _violation(Property.KeyRegistry, "the current key is not the last one its state rotated in");
            }
            for (uint32 k = 1; k <= version; ++k) {
                if (consortium.encryptionKeyAt(code, k) != ghostKey[code][k]) {
                    _violation(Property.KeyRegistry, "a past key version was replaced");
                }
            }
            if (keccak256(bytes(v.gatewayUrl)) != ghostGatewayUrlHash[code]) {
                _violation(Property.KeyRegistry, "a gateway URL was replaced");
            }
        }
    }

    function _violation(Property property, string memory what) private {
        if (violations[uint256(property)]++ == 0) firstViolation[uint256(property)] = what;
    }
}
