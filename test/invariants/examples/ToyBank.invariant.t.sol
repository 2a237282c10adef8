// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Test} from "../base/Test.sol";
import {ToyBank} from "./ToyBank.sol";
import {ToyBankHandler} from "./ToyBankHandler.sol";

/// @title ToyBankInvariantTest — handler-based invariant suite: forge calls random sequences of
///        ToyBankHandler.{deposit, withdraw, transfer} (runs x depth from foundry.toml's profile) and checks every
///        property after each call.
contract ToyBankInvariantTest is Test {
    ToyBank internal bank;
    ToyBankHandler internal handler;

    function setUp() public {
        bank = new ToyBank();
        address[] memory actors = new address[](3);
        actors[0] = makeAddr("alice");
        actors[1] = makeAddr("bob");
        actors[2] = makeAddr("carol");
        handler = new ToyBankHandler(bank, actors);

        // Fuzz the handler only (not the bank directly), and only its three operations.
        targetContract(address(handler));
        bytes4[] memory selectors = new bytes4[](3);
        selectors[0] = ToyBankHandler.deposit.selector;
        selectors[1] = ToyBankHandler.withdraw.selector;
        selectors[2] = ToyBankHandler.transfer.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    /// Every property after every call, in one campaign: forge 1.7.1 runs each `invariant_` function as a
    /// campaign of its own, so properties are `property_` functions checked together, each failing with its own
    /// name (and each with its planted bug in scripts/forge/planted-bugs.mjs).
    function invariant_toyBankProperties() public view {
        property_solvent();
        property_matchesGhostFlows();
        property_balancesSumToTotal();
    }

    /// The bank holds exactly the ether it owes.
    function property_solvent() internal view {
        assertEq(address(bank).balance, bank.totalDeposits(), "property_solvent: bank ether != totalDeposits");
    }

    /// totalDeposits is what went in minus what came out (ghost accounting).
    function property_matchesGhostFlows() internal view {
        assertEq(
            bank.totalDeposits(),
            handler.ghostDeposited() - handler.ghostWithdrawn(),
            "property_matchesGhostFlows: totalDeposits != ghosts"
        );
    }

    /// Balances add up to totalDeposits: transfers move value, they never create or destroy it.
    function property_balancesSumToTotal() internal view {
        address[] memory actors = handler.actors();
        uint256 sum;
        for (uint256 i = 0; i < actors.length; i++) {
            sum += bank.balanceOf(actors[i]);
        }
        assertEq(sum, bank.totalDeposits(), "property_balancesSumToTotal: sum of balances != totalDeposits");
    }

    /// Runs once after each run's sequence: the operations were reachable (coverage guard for the suite itself).
    function afterInvariant() public view {
        assertGe(handler.depositCalls() + handler.withdrawCalls() + handler.transferCalls(), 1, "no call landed");
    }
}
