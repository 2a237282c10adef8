// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {LedgerSetup} from "./LedgerSetup.sol";
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
///  - a suspended state changes nothing;
///  - account roles change only through the membership rules (a state's own central authority, for an
///    account of that state or of none), and every state keeps a central authority;
///  - a state's encryption key and gateway URL change only by its own central authority, and its key
///    history only grows (no past version is ever replaced).
contract LedgerInvariants is LedgerSetup {
    LedgerHandler internal handler;

    function setUp() public {
        _deployLedger();
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

    /// Every property, after every call. One `invariant_` function on purpose: forge 1.7.1 runs each
    /// `invariant_` function as a campaign of its own (eight functions cost eight times the calls), so the
    /// properties are `property_` functions checked together; each fails with its own name, and each has its
    /// planted bug (scripts/forge/planted-bugs.mjs). The handler checks each call's outcome as it happens and
    /// re-reads the stored records the call's contract could have changed; here the counts must stay zero.
    function invariant_ledgerProperties() public view {
        uint256[8] memory v = handler.violationCounts();
        property_statusMovesOnlyAlongTheLifecycleGraph(v);
        property_noAccountChangesAnotherStatesRecord(v);
        property_suspendedStateChangesNothing(v);
        property_noCustodyMoveWithoutMatchingOffer(v);
        property_storedHeadEqualsHeadRebuiltFromEvents(v);
        property_liveEvidenceHasExactlyOneCustodian(v);
        property_rolesChangeOnlyThroughTheMembershipRules(v);
        property_keyRegistryChangesOnlyByItsOwnState(v);
    }

    /// Every status change of a request is an edge of ARCHITECTURE.md's graph (written out in the handler,
    /// independently of RequestLifecycle.sol).
    function property_statusMovesOnlyAlongTheLifecycleGraph(uint256[8] memory v) internal view {
        _noViolation(v, LedgerHandler.Property.LifecycleGraph, "property_statusMovesOnlyAlongTheLifecycleGraph");
    }

    /// Every successful submission, lifecycle step, registration and custody action was made by an account of
    /// the state entitled to it.
    function property_noAccountChangesAnotherStatesRecord(uint256[8] memory v) internal view {
        _noViolation(v, LedgerHandler.Property.CrossState, "property_noAccountChangesAnotherStatesRecord");
    }

    /// No call by an account of a suspended (or removed) state succeeds.
    function property_suspendedStateChangesNothing(uint256[8] memory v) internal view {
        _noViolation(v, LedgerHandler.Property.SuspendedState, "property_suspendedStateChangesNothing");
    }

    /// The custodian changes only by acceptCustody of a live offer to the accepting state, presenting the
    /// anchored payload digest.
    function property_noCustodyMoveWithoutMatchingOffer(uint256[8] memory v) internal view {
        _noViolation(v, LedgerHandler.Property.CustodyOffer, "property_noCustodyMoveWithoutMatchingOffer");
    }

    /// Each item's stored head equals the head recomputed from its events alone (own encoding, not the
    /// contract's library), with sequences without gaps.
    function property_storedHeadEqualsHeadRebuiltFromEvents(uint256[8] memory v) internal view {
        _noViolation(v, LedgerHandler.Property.CustodyHead, "property_storedHeadEqualsHeadRebuiltFromEvents");
    }

    /// A live item has a custodian that is a member state, never also the offer's recipient.
    function property_liveEvidenceHasExactlyOneCustodian(uint256[8] memory v) internal view {
        _noViolation(v, LedgerHandler.Property.OneCustodian, "property_liveEvidenceHasExactlyOneCustodian");
    }

    /// An account's state and roles change only by its own state's central authority (for an account of that
    /// state or of none), the authority count matches, and no state loses its last central authority.
    function property_rolesChangeOnlyThroughTheMembershipRules(uint256[8] memory v) internal view {
        _noViolation(v, LedgerHandler.Property.Roles, "property_rolesChangeOnlyThroughTheMembershipRules");
    }

    /// A state's key and gateway URL change only by its own central authority, and no past key version is
    /// ever replaced.
    function property_keyRegistryChangesOnlyByItsOwnState(uint256[8] memory v) internal view {
        _noViolation(v, LedgerHandler.Property.KeyRegistry, "property_keyRegistryChangesOnlyByItsOwnState");
    }

    /// Fails with "<property>: <first violation>", the form scripts/forge/planted-bugs.mjs reads.
    function _noViolation(uint256[8] memory violations, LedgerHandler.Property property, string memory name) internal view {
        uint256 i = uint256(property);
        if (violations[i] != 0) assertTrue(false, string.concat(name, ": ", handler.firstViolation(i)));
    }

    function afterInvariant() public view {
        console.log("calls", handler.calls());
        console.log("successes", handler.successes());
        console.log("requests", handler.requestCount());
        console.log("evidence", handler.evidenceCount());
    }
}
