// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Test} from "../base/Test.sol";
import {Vm} from "../base/Vm.sol";
import {console} from "../base/console.sol";

/// @dev Calls `target` with `data` and returns whether it reverted (to test that an assertion fails).
contract Reverts {
    function reverts(address target, bytes memory data) external returns (bool) {
        // solhint-disable-next-line avoid-low-level-calls
        (bool ok,) = target.call(data);
        return !ok;
    }
}

/// @dev Exposes Test's internal assertions so a failing one can be observed from outside.
contract AssertionProbe is Test {
    function eqUint(uint256 a, uint256 b) external pure {
        assertEq(a, b, "probe");
    }

    function eqString(string memory a, string memory b) external pure {
        assertEq(a, b);
    }

    function eqBytes(bytes memory a, bytes memory b) external pure {
        assertEq(a, b);
    }

    function isTrue(bool c) external pure {
        assertTrue(c);
    }
}

/// @title BaseTest — checks the test base itself: bound() against forge-std's results, the assertion wrappers,
///        and the cheatcodes declared in Vm.sol.
contract BaseTest is Test {
    Reverts internal probeCaller;
    AssertionProbe internal probe;

    function setUp() public {
        probeCaller = new Reverts();
        probe = new AssertionProbe();
    }

    // ---- bound ---------------------------------------------------------------------------------------------

    function test_bound_knownValues() public pure {
        // values forge-std's StdUtils.bound returns for the same inputs
        assertEq(bound(uint256(15), 10, 20), 15); // in range: kept
        assertEq(bound(uint256(0), 10, 20), 10); // 0..3 → min..min+3
        assertEq(bound(uint256(3), 10, 20), 13);
        assertEq(bound(type(uint256).max, 10, 20), 20); // MAX-3..MAX → max-3..max
        assertEq(bound(type(uint256).max - 3, 10, 20), 17);
        assertEq(bound(uint256(21), 10, 20), 10); // wraps above
        assertEq(bound(uint256(32), 10, 20), 10);
        assertEq(bound(uint256(31), 10, 20), 20);
        assertEq(bound(uint256(4), 10, 20), 15); // wraps below
        assertEq(bound(uint256(5), 0, 4), 0);
        assertEq(bound(uint256(9999), 1337, 1337), 1337);
        assertEq(bound(int256(-1), -10, 10), -1);
        assertEq(bound(type(int256).min, -10, 10), -10);
        assertEq(bound(type(int256).max, -10, 10), 10);
        assertEq(bound(int256(11), -10, 10), -10);
        assertEq(bound(int256(-11), -10, 10), 10);
    }

    function testFuzz_bound_inRange(uint256 x, uint256 min, uint256 max) public pure {
        if (min > max) (min, max) = (max, min);
        uint256 r = bound(x, min, max);
        assertGe(r, min);
        assertLe(r, max);
        if (x >= min && x <= max) assertEq(r, x);
    }

    function testFuzz_boundInt_inRange(int256 x, int256 min, int256 max) public pure {
        if (min > max) (min, max) = (max, min);
        int256 r = bound(x, min, max);
        assertGe(r, min);
        assertLe(r, max);
        if (x >= min && x <= max) assertEq(r, x);
    }

    // ---- assertions ----------------------------------------------------------------------------------------

    function test_assertions_pass() public view {
        assertTrue(true);
        assertFalse(false, "false");
        assertEq(true, true);
        assertEq(uint256(1), 1, "uint");
        assertEq(int256(-1), -1);
        assertEq(address(this), address(this));
        assertEq(bytes32("x"), bytes32("x"));
        assertEq(string("a"), string("a"), "string");
        assertEq(bytes("ab"), bytes("ab"));
        assertNotEq(uint256(1), 2);
        assertLt(uint256(1), 2);
        assertLe(int256(-2), -2);
        assertGt(uint256(3), 2);
        assertGe(int256(3), 3);
        assertApproxEqAbs(100, 103, 3);
        assertFalse(failed());
    }

    function test_assertions_revertOnFailure() public {
        assertTrue(probeCaller.reverts(address(probe), abi.encodeCall(AssertionProbe.eqUint, (1, 2))));
        assertFalse(probeCaller.reverts(address(probe), abi.encodeCall(AssertionProbe.eqUint, (2, 2))));
        assertTrue(probeCaller.reverts(address(probe), abi.encodeCall(AssertionProbe.eqString, ("a", "b"))));
        assertTrue(probeCaller.reverts(address(probe), abi.encodeCall(AssertionProbe.eqBytes, (hex"01", hex"02"))));
        assertTrue(probeCaller.reverts(address(probe), abi.encodeCall(AssertionProbe.isTrue, (false))));
    }

    function test_assertion_message() public {
        vm.expectRevert(bytes("probe: 1 != 2"));
        probe.eqUint(1, 2);
    }

    // ---- cheatcodes ----------------------------------------------------------------------------------------

    function test_prank_and_startPrank() public {
        address who = makeAddr("who");
        vm.prank(who);
        assertEq(Sender(address(new Sender())).get(), address(this)); // prank was consumed by `new`
        Sender s = new Sender();
        vm.prank(who);
        assertEq(s.get(), who);
        assertEq(s.get(), address(this));
        vm.startPrank(who, who);
        assertEq(s.get(), who);
        assertEq(s.origin(), who);
        vm.stopPrank();
        assertEq(s.get(), address(this));
    }

    function test_time_and_blocks() public {
        vm.warp(1_000_000);
        assertEq(block.timestamp, 1_000_000);
        skip(60);
        assertEq(vm.getBlockTimestamp(), 1_000_060);
        rewind(30);
        assertEq(block.timestamp, 1_000_030);
        vm.roll(42);
        assertEq(block.number, 42);
        assertEq(vm.getBlockNumber(), 42);
        vm.chainId(31337);
        assertEq(block.chainid, 31337);
    }

    function test_keys_and_signatures() public {
        (address signer, uint256 key) = makeAddrAndKey("signer");
        assertEq(vm.addr(key), signer);
        assertEq(vm.getLabel(signer), "signer");
        bytes32 digest = keccak256("message");
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        assertEq(ecrecover(digest, v, r, s), signer);
        (bytes32 r2, bytes32 vs) = vm.signCompact(key, digest);
        assertEq(r2, r);
        assertEq(uint256(vs) >> 255, v - 27);
        Vm.Wallet memory w = vm.createWallet("wallet");
        assertEq(vm.addr(w.privateKey), w.addr);
        vm.label(address(1), "one");
        assertEq(vm.getLabel(address(1)), "one");
    }

    function test_state_cheatcodes() public {
        address who = makeAddr("rich");
        vm.deal(who, 5 ether);
        assertEq(who.balance, 5 ether);
        Sender s = new Sender();
        vm.store(address(s), bytes32(0), bytes32(uint256(7)));
        assertEq(vm.load(address(s), bytes32(0)), bytes32(uint256(7)));
        uint256 snap = vm.snapshotState();
        vm.store(address(s), bytes32(0), bytes32(uint256(8)));
        assertTrue(vm.revertToState(snap));
        assertEq(uint256(vm.load(address(s), bytes32(0))), 7);
        vm.setNonce(who, 5);
        assertEq(vm.getNonce(who), 5);
        assertEq(vm.computeCreateAddress(address(this), vm.getNonce(address(this))), address(new Sender()));
        vm.etch(who, address(s).code);
        assertEq(Sender(who).get(), address(this));
        vm.mockCall(address(s), abi.encodeCall(Sender.get, ()), abi.encode(address(0xBEEF)));
        assertEq(s.get(), address(0xBEEF));
        vm.clearMockedCalls();
        vm.expectCall(address(s), abi.encodeCall(Sender.get, ()));
        s.get();
    }

    function test_strings_and_random() public view {
        assertEq(vm.toString(uint256(42)), "42");
        assertEq(vm.toString(int256(-42)), "-42");
        assertEq(vm.toString(true), "true");
        assertEq(vm.toString(address(0)), "0x0000000000000000000000000000000000000000");
        assertEq(vm.toString(bytes32(0)), "0x0000000000000000000000000000000000000000000000000000000000000000");
        assertEq(vm.toString(bytes(hex"0102")), "0x0102");
        uint256 r = vm.randomUint(5, 9);
        assertGe(r, 5);
        assertLe(r, 9);
        vm.randomUint();
        vm.randomAddress();
        console.log("console works", r);
    }

    function testFuzz_assume(uint8 x) public pure {
        vm.assume(x % 2 == 0);
        assertEq(x % 2, 0);
    }

    function test_fail_marksFailedWithoutReverting() public view {
        // fail() would make this test fail; just check the slot forge reads starts clear.
        assertEq(vm.load(VM_ADDRESS, bytes32("failed")), bytes32(0));
        assertFalse(failed());
    }
}

contract Sender {
    function get() external view returns (address) {
        return msg.sender;
    }

    function origin() external view returns (address) {
        // solhint-disable-next-line avoid-tx-origin
        return tx.origin;
    }
}
