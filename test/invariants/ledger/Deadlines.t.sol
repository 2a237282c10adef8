// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ERC2771Forwarder} from "@openzeppelin/contracts/metatx/ERC2771Forwarder.sol";
import {IConsortium} from "../../../contracts/interfaces/IConsortium.sol";
import {IRequestRegistry} from "../../../contracts/interfaces/IRequestRegistry.sol";
import {IEvidenceCustody} from "../../../contracts/interfaces/IEvidenceCustody.sol";
import {CustodyAction, Priority, ProposalKind, ProposalStatus} from "../../../contracts/types/MlatTypes.sol";
import {LedgerSetup} from "./LedgerSetup.sol";

/// @title DeadlineBoundaries
/// @notice Every deadline of the ledger, fuzzed at the deadline itself and one second later: offer expiry
/// (accept, reject, a new offer, re-encryption, disposal), the window of a new offer's expiry, the
/// acknowledgement and response clocks, a submission's and an extension's response deadline, a proposal's
/// voting period and a relayed request's deadline. Each run starts at a random time and moves the block
/// number anywhere at each step: only `block.timestamp` decides.
contract DeadlineBoundaries is LedgerSetup {
    bytes32 internal constant REQUEST = keccak256("a request in execution");
    bytes32 internal constant EVIDENCE = keccak256("an evidence item held by MX");
    /// How far from the start of the chain a run may begin.
    uint256 internal constant MAX_START = 10 * 365 days;

    function setUp() public {
        _deployLedger();
        _requestInExecution(REQUEST);
        _registerEvidence(EVIDENCE, REQUEST);
    }

    // ─── custody offers ────────────────────────────────────────────────────────────────────

    function testFuzz_acceptCustody_allowedAtExpiry_refusedOneSecondLater(uint256 start, uint256 duration, uint256 blockSeed)
        public
    {
        uint40 expiresAt = _offerToUs(start, duration, blockSeed);
        bytes32 held = custody.evidence(EVIDENCE).payloadDigest;
        uint256 snapshot = vm.snapshotState();

        _at(expiresAt, blockSeed >> 64);
        vm.prank(_agency(0));
        custody.acceptCustody(EVIDENCE, held);
        assertEq(custody.evidence(EVIDENCE).custodianState, US);

        vm.revertToState(snapshot);
        _at(uint256(expiresAt) + 1, blockSeed >> 128);
        vm.expectRevert(abi.encodeWithSelector(IEvidenceCustody.CustodyOfferExpired.selector, EVIDENCE, expiresAt));
        vm.prank(_agency(0));
        custody.acceptCustody(EVIDENCE, held);
    }

    function testFuzz_rejectCustody_allowedAtExpiry_refusedOneSecondLater(uint256 start, uint256 duration, uint256 blockSeed)
        public
    {
        uint40 expiresAt = _offerToUs(start, duration, blockSeed);
        uint256 snapshot = vm.snapshotState();

        _at(expiresAt, blockSeed >> 64);
        vm.prank(_agency(0));
        custody.rejectCustody(EVIDENCE, keccak256("rejection"));
        assertEq(custody.evidence(EVIDENCE).offeredToState, bytes2(0));

        vm.revertToState(snapshot);
        _at(uint256(expiresAt) + 1, blockSeed >> 128);
        vm.expectRevert(abi.encodeWithSelector(IEvidenceCustody.CustodyOfferExpired.selector, EVIDENCE, expiresAt));
        vm.prank(_agency(0));
        custody.rejectCustody(EVIDENCE, keccak256("rejection"));
    }

    /// While an offer is pending — up to its expiry, inclusive — its custodian can neither offer again,
    /// re-encrypt nor dispose; one second later all three are open again.
    function testFuzz_offerCustody_pendingOfferBlocksCustodianUntilExpiryInclusive(
        uint256 start,
        uint256 duration,
        uint256 blockSeed
    ) public {
        uint40 expiresAt = _offerToUs(start, duration, blockSeed);
        bytes memory pending = abi.encodeWithSelector(IEvidenceCustody.CustodyOfferPending.selector, EVIDENCE, US, expiresAt);
        bytes[3] memory calls = [
            abi.encodeCall(custody.offerCustody, (EVIDENCE, ES, address(0), expiresAt + 1 days, keccak256("again"))),
            abi.encodeCall(custody.recordReencryption, (EVIDENCE, keccak256("re-encrypted"))),
            abi.encodeCall(custody.dispose, (EVIDENCE, CustodyAction.Destroyed, keccak256("destroyed")))
        ];
        for (uint256 i = 0; i < calls.length; ++i) {
            uint256 snapshot = vm.snapshotState();
            _at(expiresAt, blockSeed >> (64 + i));
            vm.prank(_agency(1));
            (bool ok, bytes memory reason) = address(custody).call(calls[i]);
            assertFalse(ok, "a custodian acted over its own pending offer at its expiry");
            assertEq(reason, pending);

            _at(uint256(expiresAt) + 1, blockSeed >> (128 + i));
            vm.prank(_agency(1));
            (ok, ) = address(custody).call(calls[i]);
            assertTrue(ok, "an expired offer still blocked its custodian");
            vm.revertToState(snapshot);
        }
    }

    /// A new offer's expiry must lie in (now, now + MAX_OFFER_DURATION].
    function testFuzz_offerCustody_acceptsExpiryInsideWindow_refusesEachBoundOutside(
        uint256 start,
        uint256 inside,
        uint256 blockSeed
    ) public {
        _at(bound(start, block.timestamp, block.timestamp + MAX_START), blockSeed);
        uint256 max = custody.MAX_OFFER_DURATION();
        uint40 now_ = uint40(block.timestamp);
        uint40[2] memory outside = [now_, uint40(now_ + max + 1)];
        for (uint256 i = 0; i < 2; ++i) {
            vm.expectRevert(abi.encodeWithSelector(IEvidenceCustody.CustodyInvalidExpiry.selector, EVIDENCE, outside[i]));
            vm.prank(_agency(1));
            custody.offerCustody(EVIDENCE, US, address(0), outside[i], bytes32(0));
        }
        uint40[3] memory valid = [uint40(now_ + 1), uint40(now_ + max), uint40(bound(inside, now_ + 1, now_ + max))];
        for (uint256 i = 0; i < 3; ++i) {
            uint256 snapshot = vm.snapshotState();
            vm.prank(_agency(1));
            custody.offerCustody(EVIDENCE, US, address(0), valid[i], bytes32(0));
            assertEq(custody.evidence(EVIDENCE).offerExpiresAt, valid[i]);
            vm.revertToState(snapshot);
        }
    }

    // ─── request clocks ────────────────────────────────────────────────────────────────────

    /// Overdue one second after the acknowledgement deadline, not at it; a late acknowledgement is still taken.
    function testFuzz_isAcknowledgementOverdue_falseAtDeadline_trueOneSecondLater(uint256 start, uint256 blockSeed)
        public
    {
        _at(bound(start, block.timestamp, block.timestamp + MAX_START), blockSeed);
        bytes32 id = keccak256(abi.encode("submitted", start));
        _submit(id, 0);
        uint40 acknowledgeBy = requests.request(id).acknowledgeBy;
        assertEq(acknowledgeBy, block.timestamp + ACK_WITHIN);

        _at(acknowledgeBy, blockSeed >> 64);
        assertFalse(requests.isAcknowledgementOverdue(id));
        _at(uint256(acknowledgeBy) + 1, blockSeed >> 128);
        assertTrue(requests.isAcknowledgementOverdue(id));
        vm.prank(_authority(1));
        requests.acknowledge(id, keccak256("late"));
        assertFalse(requests.isAcknowledgementOverdue(id));
    }

    /// Overdue one second after the response deadline (fuzzed inside the treaty's limit), not at it.
    function testFuzz_isResponseOverdue_falseAtDeadline_trueOneSecondLater(
        uint256 start,
        uint256 within,
        uint256 blockSeed
    ) public {
        _at(bound(start, block.timestamp, block.timestamp + MAX_START), blockSeed);
        bytes32 id = keccak256(abi.encode("submitted", start));
        uint40 respondBy = uint40(block.timestamp + bound(within, 1, RESPOND_WITHIN));
        _submit(id, respondBy);
        assertEq(requests.request(id).respondBy, respondBy);

        _at(respondBy, blockSeed >> 64);
        assertFalse(requests.isResponseOverdue(id));
        _at(uint256(respondBy) + 1, blockSeed >> 128);
        assertTrue(requests.isResponseOverdue(id));
    }

    /// A submission's response deadline must lie in (now, now + the treaty's limit].
    function testFuzz_submitRequest_acceptsDeadlineInsideWindow_refusesEachBoundOutside(uint256 start, uint256 blockSeed)
        public
    {
        _at(bound(start, block.timestamp, block.timestamp + MAX_START), blockSeed);
        uint40 now_ = uint40(block.timestamp);
        uint40[2] memory outside = [now_, now_ + RESPOND_WITHIN + 1];
        for (uint256 i = 0; i < 2; ++i) {
            bytes32 id = keccak256(abi.encode("outside", i));
            vm.expectRevert(abi.encodeWithSelector(IRequestRegistry.RequestInvalidDeadline.selector, id, outside[i]));
            _submit(id, outside[i]);
        }
        _submit(keccak256("earliest"), now_ + 1);
        _submit(keccak256("latest"), now_ + RESPOND_WITHIN);
        assertEq(requests.request(keccak256("latest")).respondBy, now_ + RESPOND_WITHIN);
    }

    /// Past the response deadline, an extension to now is refused and one to now + 1 taken.
    function testFuzz_extendDeadline_refusesNow_acceptsOneSecondLater(uint256 late, uint256 blockSeed) public {
        uint40 respondBy = requests.request(REQUEST).respondBy;
        _at(bound(late, respondBy, uint256(respondBy) + MAX_START), blockSeed);
        uint40 now_ = uint40(block.timestamp);
        vm.expectRevert(abi.encodeWithSelector(IRequestRegistry.RequestInvalidDeadline.selector, REQUEST, now_));
        vm.prank(_authority(0));
        requests.extendDeadline(REQUEST, now_, bytes32(0));

        vm.prank(_authority(0));
        requests.extendDeadline(REQUEST, now_ + 1, bytes32(0));
        assertFalse(requests.isResponseOverdue(REQUEST));
    }

    // ─── governance ────────────────────────────────────────────────────────────────────────

    /// A proposal takes votes and executes up to its expiry, inclusive; one second later it is Expired.
    function testFuzz_vote_allowedAtExpiry_refusedOneSecondLater(uint256 start, uint256 period, uint256 blockSeed)
        public
    {
        _at(bound(start, block.timestamp, block.timestamp + MAX_START), blockSeed);
        uint32 votingPeriod = uint32(bound(period, consortium.MIN_VOTING_PERIOD(), consortium.MAX_VOTING_PERIOD()));
        IConsortium.ProposalParams memory p = IConsortium.ProposalParams(
            ProposalKind.ChangeThreshold, bytes2(0), 6000, address(0), bytes32(0), "", keccak256(abi.encode(start))
        );
        vm.prank(_authority(0));
        bytes32 id = consortium.propose(p, votingPeriod);
        uint40 expiresAt = consortium.proposal(id).expiresAt;
        assertEq(expiresAt, block.timestamp + votingPeriod);
        uint256 snapshot = vm.snapshotState();

        _at(expiresAt, blockSeed >> 64);
        assertEq(uint8(consortium.proposal(id).status), uint8(ProposalStatus.Pending));
        vm.prank(_authority(1));
        consortium.vote(id);
        vm.prank(_authority(2));
        consortium.execute(id);
        assertEq(consortium.thresholdBps(), 6000);

        vm.revertToState(snapshot);
        _at(uint256(expiresAt) + 1, blockSeed >> 128);
        assertEq(uint8(consortium.proposal(id).status), uint8(ProposalStatus.Expired));
        bytes memory expired = abi.encodeWithSelector(
            IConsortium.ConsortiumUnexpectedProposalStatus.selector,
            id,
            ProposalStatus.Expired
        );
        vm.expectRevert(expired);
        vm.prank(_authority(1));
        consortium.vote(id);
        vm.expectRevert(expired);
        vm.prank(_authority(2));
        consortium.withdrawVote(id);
        vm.expectRevert(expired);
        vm.prank(_authority(0));
        consortium.execute(id);
    }

    // ─── relayed requests ──────────────────────────────────────────────────────────────────

    /// A signed forward request runs up to its deadline, inclusive, and is refused one second later.
    function testFuzz_forwarderExecute_allowedAtDeadline_refusedOneSecondLater(
        uint256 start,
        uint256 validity,
        uint256 blockSeed
    ) public {
        _at(bound(start, block.timestamp, block.timestamp + MAX_START), blockSeed);
        uint48 deadline = uint48(block.timestamp + bound(validity, 0, 30 days));
        ERC2771Forwarder.ForwardRequestData memory request = _signRequest(
            _authority(0),
            address(requests),
            abi.encodeCall(requests.changePriority, (REQUEST, Priority.Urgent, keccak256("urgent"))),
            deadline,
            _currentDomain(_authority(0))
        );
        uint256 snapshot = vm.snapshotState();

        _at(deadline, blockSeed >> 64);
        assertTrue(forwarder.verify(request));
        forwarder.execute(request);
        assertEq(uint8(requests.request(REQUEST).priority), uint8(Priority.Urgent));

        vm.revertToState(snapshot);
        _at(uint256(deadline) + 1, blockSeed >> 128);
        assertFalse(forwarder.verify(request));
        vm.expectRevert(abi.encodeWithSelector(ERC2771Forwarder.ERC2771ForwarderExpiredRequest.selector, deadline));
        forwarder.execute(request);
    }

    // ─── helpers ───────────────────────────────────────────────────────────────────────────

    /// Moves the clock to `timestamp` and the block number to anything: only the timestamp may matter.
    function _at(uint256 timestamp, uint256 blockSeed) internal {
        vm.warp(timestamp);
        vm.roll(bound(blockSeed, 1, type(uint64).max));
    }

    /// MX offers the item to the US at a random time, for a random duration within the maximum.
    function _offerToUs(uint256 start, uint256 duration, uint256 blockSeed) internal returns (uint40 expiresAt) {
        _at(bound(start, block.timestamp, block.timestamp + MAX_START), blockSeed);
        expiresAt = uint40(block.timestamp + bound(duration, 1, custody.MAX_OFFER_DURATION()));
        vm.prank(_agency(1));
        custody.offerCustody(EVIDENCE, US, address(0), expiresAt, keccak256("offer"));
    }
}
