// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Test} from "../base/Test.sol";
import {ToyBank} from "./ToyBank.sol";
import {ToyBankHandler} from "./ToyBankHandler.sol";

/// @title ToyBankInvariantTest — handler-based invariant suite: forge calls random sequences of
///        ToyBankHandler.{deposit, withdraw, transfer} (runs x depth from foundry.toml's profile) and checks every
///        `invariant_*` function after each call.
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

    /// The bank holds exactly the ether it owes.
    function invariant_solvent() public view {
        assertEq(address(bank).balance, bank.totalDeposits(), "bank ether != totalDeposits");
    }

    /// totalDeposits is what went in minus what came out (ghost accounting).
    function invariant_matchesGhostFlows() public view {
        assertEq(bank.totalDeposits(), handler.ghostDeposited() - handler.ghostWithdrawn(), "totalDeposits != ghosts");
    }

    /// Balances add up to totalDeposits: transfers move value, they never create or destroy it.
    function invariant_balancesSumToTotal() public view {
        address[] memory actors = handler.actors();
        uint256 sum;
        for (uint256 i = 0; i < actors.length; i++) {
            sum += bank.balanceOf(actors[i]);
        }
        assertEq(sum, bank.totalDeposits(), "sum of balances != totalDeposits");
    }

    /// Runs once after each run's sequence: the operations were reachable (coverage guard for the suite itself).
    function afterInvariant() public view {
        assertGe(handler.depositCalls() + handler.withdrawCalls() + handler.transferCalls(), 1, "no call landed");
    }
}
