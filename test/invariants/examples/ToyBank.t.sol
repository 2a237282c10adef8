// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Test} from "../base/Test.sol";
import {Vm} from "../base/Vm.sol";
import {ToyBank} from "./ToyBank.sol";

/// @title ToyBankTest — unit and fuzz tests (a test with parameters is fuzzed `fuzz.runs` times).
contract ToyBankTest is Test {
    ToyBank internal bank;
    address internal alice;
    address internal bob;

    function setUp() public {
        bank = new ToyBank();
        alice = makeAddr("alice");
        bob = makeAddr("bob");
    }

    function _deposit(address who, uint256 amount) internal {
        vm.deal(who, amount);
        vm.prank(who);
        bank.deposit{value: amount}();
    }

    // ---- fuzz ----------------------------------------------------------------------------------------------

    /// Any amount deposited can be withdrawn in full, by any plain account.
    function testFuzz_depositThenWithdraw(address who, uint96 amount) public {
        vm.assume(amount > 0);
        vm.assume(who.code.length == 0 && uint160(who) > 0xffff && who != VM_ADDRESS);
        vm.assume(who != 0x000000000000000000636F6e736F6c652e6c6f67); // console
        _deposit(who, amount);
        assertEq(bank.balanceOf(who), amount);

        vm.prank(who);
        bank.withdraw(amount);
        assertEq(bank.balanceOf(who), 0, "balance after full withdrawal");
        assertEq(who.balance, amount, "ether back to the depositor");
        assertEq(address(bank).balance, 0);
    }

    /// A transfer (including to oneself) moves value without creating or destroying it.
    function testFuzz_transferConserves(uint256 deposit, uint256 amount, bool toSelf) public {
        deposit = bound(deposit, 1, 1e30);
        amount = bound(amount, 0, deposit);
        address to = toSelf ? alice : bob;
        _deposit(alice, deposit);

        vm.prank(alice);
        bank.transfer(to, amount);

        assertEq(bank.balanceOf(alice) + (toSelf ? 0 : bank.balanceOf(bob)), deposit, "value conserved");
        assertEq(bank.totalDeposits(), deposit);
    }

    /// Withdrawing more than one's balance reverts with both figures.
    function testFuzz_revertWhen_overdrawn(uint128 deposit, uint256 extra) public {
        vm.assume(deposit > 0);
        extra = bound(extra, 1, type(uint128).max);
        _deposit(alice, deposit);
        uint256 requested = uint256(deposit) + extra;

        vm.expectRevert(abi.encodeWithSelector(ToyBank.InsufficientBalance.selector, deposit, requested));
        vm.prank(alice);
        bank.withdraw(requested);
    }

    // ---- unit ----------------------------------------------------------------------------------------------

    function test_revertWhen_zeroDeposit() public {
        vm.expectRevert(ToyBank.ZeroAmount.selector);
        vm.prank(alice);
        bank.deposit{value: 0}();
    }

    function test_revertWhen_transferTooMuch_partialMatch() public {
        vm.expectPartialRevert(ToyBank.InsufficientBalance.selector);
        vm.prank(bob);
        bank.transfer(alice, 1);
    }

    function test_events() public {
        vm.deal(alice, 3 ether);
        vm.expectEmit(address(bank));
        emit ToyBank.Deposited(alice, 3 ether);
        vm.prank(alice);
        bank.deposit{value: 3 ether}();

        vm.recordLogs();
        vm.prank(alice);
        bank.transfer(bob, 1 ether);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        assertEq(logs.length, 1);
        assertEq(logs[0].emitter, address(bank));
        assertEq(logs[0].topics[0], ToyBank.Transferred.selector);
        assertEq(logs[0].topics[1], bytes32(uint256(uint160(alice))));
        assertEq(logs[0].topics[2], bytes32(uint256(uint160(bob))));
        assertEq(abi.decode(logs[0].data, (uint256)), 1 ether);
    }
}
