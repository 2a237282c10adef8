// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Test} from "../base/Test.sol";
import {MlatForwarder} from "../../../contracts/relay/MlatForwarder.sol";
import {Consortium} from "../../../contracts/membership/Consortium.sol";
import {IConsortium} from "../../../contracts/interfaces/IConsortium.sol";
import {TreatyRegistry} from "../../../contracts/treaties/TreatyRegistry.sol";
import {ITreatyRegistry} from "../../../contracts/interfaces/ITreatyRegistry.sol";
import {RequestRegistry} from "../../../contracts/requests/RequestRegistry.sol";
import {EvidenceCustody} from "../../../contracts/custody/EvidenceCustody.sol";
import {IEvidenceCustody} from "../../../contracts/interfaces/IEvidenceCustody.sol";
import {StateStatus, CustodyAction, Roles} from "../../../contracts/types/MlatTypes.sol";
import {LedgerHandler} from "./LedgerHandler.sol";
import {console} from "../base/console.sol";

/// @title LedgerInvariants
/// @notice The ledger's safety properties under random sequences of requests, lifecycle steps, custody
/// moves, suspensions and time, by random actors:
///  - a live evidence item has exactly one custodian, an admitted state;
///  - custody never moves without a matching, live offer accepted with the held payload digest;
///  - the stored custody head equals the head recomputed from the emitted events alone;
///  - a request's status moves only along the lifecycle graph;
///  - an account of state A never changes a record of state B;
///  - a suspended state changes nothing.
contract LedgerInvariants is Test {
    LedgerHandler internal handler;
    EvidenceCustody internal custody;
    Consortium internal consortium;

    bytes2 internal constant US = "US";
    bytes2 internal constant MX = "MX";
    bytes2 internal constant ES = "ES";

    function setUp() public {
        MlatForwarder forwarder = new MlatForwarder();
        bytes2[3] memory codes = [US, MX, ES];
        address[] memory actors = new address[](7);
        IConsortium.FoundingState[] memory founders = new IConsortium.FoundingState[](3);
        for (uint256 i = 0; i < 3; ++i) {
            actors[2 * i] = makeAddr(string.concat("authority-", string(abi.encodePacked(codes[i]))));
            actors[2 * i + 1] = makeAddr(string.concat("agency-", string(abi.encodePacked(codes[i]))));
            IConsortium.FoundingAccount[] memory accounts = new IConsortium.FoundingAccount[](2);
            accounts[0] = IConsortium.FoundingAccount(actors[2 * i], Roles.CENTRAL_AUTHORITY);
            accounts[1] = IConsortium.FoundingAccount(actors[2 * i + 1], Roles.AGENCY);
            founders[i] = IConsortium.FoundingState(codes[i], keccak256(abi.encode(codes[i])), "https://gw.example", accounts);
        }
        actors[6] = makeAddr("stranger");
        consortium = new Consortium(address(forwarder), founders, 5001);

        bytes32 bilateral = keccak256("US-MX MLAT");
        bytes32 untoc = keccak256("UNTOC");
        ITreatyRegistry.FoundingTreaty[] memory treaties = new ITreatyRegistry.FoundingTreaty[](2);
        bytes2[] memory pair = new bytes2[](2);
        pair[0] = US;
        pair[1] = MX;
        bytes2[] memory all = new bytes2[](3);
        all[0] = US;
        all[1] = MX;
        all[2] = ES;
        treaties[0] = ITreatyRegistry.FoundingTreaty(bilateral, keccak256("doc"), 31, 5 days, 90 days, pair, pair);
        treaties[1] = ITreatyRegistry.FoundingTreaty(untoc, keccak256("doc2"), 31, 10 days, 180 days, new bytes2[](0), all);
        TreatyRegistry treatyRegistry = new TreatyRegistry(address(forwarder), consortium, treaties);
        RequestRegistry requests = new RequestRegistry(address(forwarder), consortium, treatyRegistry);
        custody = new EvidenceCustody(address(forwarder), consortium, requests);

        handler = new LedgerHandler(consortium, requests, custody, codes, actors, bilateral, untoc);
        // Seed each campaign with one request in execution per state, each with an evidence item, so that
        // custody sequences start at depth 0 rather than after a dozen lucky lifecycle steps. (Seeds chosen
        // so the handler picks the right actor and the natural step: see LedgerHandler._pick/_naturalStep.)
        for (uint256 i = 0; i < 3; ++i) {
            handler.submit(1, i, false, 3);
            for (uint256 k = 0; k < 3; ++k) handler.step(1, 0, 1);
            handler.register(1, i, true);
        }
        require(handler.evidenceCount() == 3, "seeding failed");
        // And requests waiting at other points of the lifecycle (Acknowledged, Accepted, Executed), so that
        // out-of-order steps meet every status early.
        uint8[3] memory stops = [1, 2, 4];
        for (uint256 i = 0; i < 3; ++i) {
            handler.submit(1, i + 1, false, 3);
            for (uint256 k = 0; k < stops[i]; ++k) handler.step(1, 0, 1);
        }
        targetContract(address(handler));
    }

    function invariant_statusMovesOnlyAlongTheLifecycleGraph() public view {
        assertEq(handler.offGraphMoves(), 0, handler.lastViolation());
    }

    function invariant_noAccountChangesAnotherStatesRecord() public view {
        assertEq(handler.crossStateChanges(), 0, handler.lastViolation());
    }

    function invariant_suspendedStateChangesNothing() public view {
        assertEq(handler.suspendedChanges(), 0, handler.lastViolation());
    }

    function invariant_noCustodyMoveWithoutMatchingOffer() public view {
        assertEq(handler.custodyMovesWithoutOffer(), 0, handler.lastViolation());
    }

    function invariant_storedHeadEqualsHeadRebuiltFromEvents() public view {
        assertEq(handler.headMismatches(), 0, handler.lastViolation());
        uint256 n = handler.evidenceCount();
        for (uint256 i = 0; i < n; ++i) {
            bytes32 id = handler.evidenceIds(i);
            assertEq(custody.evidence(id).head, handler.ghostHead(id), "stored head differs from the events' head");
        }
    }

    function invariant_liveEvidenceHasExactlyOneCustodian() public view {
        uint256 n = handler.evidenceCount();
        for (uint256 i = 0; i < n; ++i) {
            IEvidenceCustody.Evidence memory e = custody.evidence(handler.evidenceIds(i));
            if (e.disposition != CustodyAction.None) continue;
            assertTrue(e.custodianState != bytes2(0), "a live item has no custodian");
            assertTrue(consortium.state(e.custodianState).status != StateStatus.None, "custodian is no member state");
            assertTrue(e.offeredToState != e.custodianState, "an item is offered to its own custodian");
        }
    }

    function afterInvariant() public view {
        console.log("calls", handler.calls());
        console.log("successes", handler.successes());
        console.log("requests", handler.requestCount());
        console.log("evidence", handler.evidenceCount());
    }
}
