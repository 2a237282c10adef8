// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {CommonBase} from "../base/CommonBase.sol";
import {ToyBank} from "./ToyBank.sol";

/// @title ToyBankHandler — the only contract the invariant fuzzer calls. Each function turns random inputs into a
///        *valid* bank operation by a known actor (bounded amounts, pranked sender) and records what should have
///        happened in ghost variables, which the invariants compare with the bank's state.
contract ToyBankHandler is CommonBase {
    ToyBank public immutable bank;
    address[] internal _actors;

    // ghost variables: what the bank must reflect
    uint256 public ghostDeposited;
    uint256 public ghostWithdrawn;
    uint256 public ghostTransferred;
    // how often each operation ran (a suite that never reaches an operation proves nothing about it)
    uint256 public depositCalls;
    uint256 public withdrawCalls;
    uint256 public transferCalls;

    constructor(ToyBank bank_, address[] memory actors_) {
        bank = bank_;
        _actors = actors_;
    }

    function actors() external view returns (address[] memory) {
        return _actors;
    }

    function deposit(uint256 actorSeed, uint256 amount) external {
        address actor = _actor(actorSeed);
        amount = bound(amount, 1, 1_000 ether);
        vm.deal(actor, actor.balance + amount);
        vm.prank(actor);
        bank.deposit{value: amount}();
        ghostDeposited += amount;
        depositCalls++;
    }

    function withdraw(uint256 actorSeed, uint256 amount) external {
        address actor = _actor(actorSeed);
        amount = bound(amount, 0, bank.balanceOf(actor));
        vm.prank(actor);
        bank.withdraw(amount);
        ghostWithdrawn += amount;
        withdrawCalls++;
    }

    /// @dev `to` may be the sender itself: self-transfers are a classic source of accounting bugs.
    function transfer(uint256 fromSeed, uint256 toSeed, uint256 amount) external {
        address from = _actor(fromSeed);
        address to = _actor(toSeed);
        amount = bound(amount, 0, bank.balanceOf(from));
        uint256 before = bank.balanceOf(from) + (from == to ? 0 : bank.balanceOf(to));
        vm.prank(from);
        bank.transfer(to, amount);
        // a post-condition of this one call (softAssertTrue: a reverting assert would only count as a revert)
        uint256 after_ = bank.balanceOf(from) + (from == to ? 0 : bank.balanceOf(to));
        softAssertTrue(after_ == before, "transfer changed the parties' total");
        ghostTransferred += amount;
        transferCalls++;
    }

    function _actor(uint256 seed) internal view returns (address) {
        return _actors[bound(seed, 0, _actors.length - 1)];
    }
}
