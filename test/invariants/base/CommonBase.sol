// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Vm} from "./Vm.sol";
import {console} from "./console.sol";

/// @title CommonBase — `vm` and the forge-std utilities (`bound`, `makeAddr`, time travel) without any test
///        machinery, so invariant handlers can use them without exposing test getters to the fuzzer.
abstract contract CommonBase {
    address internal constant VM_ADDRESS = address(uint160(uint256(keccak256("hevm cheat code"))));
    Vm internal constant vm = Vm(VM_ADDRESS);

    uint256 private constant _UINT256_MAX = type(uint256).max;
    uint256 private constant _INT256_MIN_ABS = 2 ** 255;

    /// @notice Maps any `x` into [min, max] exactly as forge-std's `bound` does, so seeds, dictionary values and
    ///         shrunk counterexamples behave the same: x already in range is kept; 0..3 map to min..min+3 and
    ///         MAX-3..MAX to max-3..max (edges get hit); anything else wraps around the inclusive range.
    function bound(uint256 x, uint256 min, uint256 max) internal pure virtual returns (uint256 result) {
        require(min <= max, "StdUtils bound(uint256,uint256,uint256): Max is less than min.");
        if (x >= min && x <= max) return x;
        uint256 size = max - min + 1;
        if (x <= 3 && size > x) return min + x;
        if (x >= _UINT256_MAX - 3 && size > _UINT256_MAX - x) return max - (_UINT256_MAX - x);
        if (x > max) {
            uint256 rem = (x - max) % size;
            if (rem == 0) return max;
            result = min + rem - 1;
        } else {
            uint256 rem = (min - x) % size;
            if (rem == 0) return min;
            result = max - rem + 1;
        }
    }

    /// @notice forge-std's signed `bound`: shifts int256 onto uint256 (+2**255), bounds there, shifts back.
    function bound(int256 x, int256 min, int256 max) internal pure virtual returns (int256 result) {
        require(min <= max, "StdUtils bound(int256,int256,int256): Max is less than min.");
        uint256 y = bound(_shift(x), _shift(min), _shift(max));
        result = y < _INT256_MIN_ABS ? int256(~(_INT256_MIN_ABS - y) + 1) : int256(y - _INT256_MIN_ABS);
    }

    function _shift(int256 x) private pure returns (uint256) {
        // -2**255 has no positive counterpart in int256, hence ~uint256(x) rather than uint256(-x).
        return x < 0 ? (_INT256_MIN_ABS - ~uint256(x) - 1) : (uint256(x) + _INT256_MIN_ABS);
    }

    /// @notice A deterministic address (and its key) for `name`, labelled in traces. Same derivation as forge-std:
    ///         privateKey = uint256(keccak256(bytes(name))).
    function makeAddrAndKey(string memory name) internal virtual returns (address addr, uint256 privateKey) {
        privateKey = uint256(keccak256(abi.encodePacked(name)));
        addr = vm.addr(privateKey);
        vm.label(addr, name);
    }

    function makeAddr(string memory name) internal virtual returns (address addr) {
        (addr,) = makeAddrAndKey(name);
    }

    /// @notice A check for invariant handlers. With `fail_on_revert = false` a revert inside a handler call (a
    ///         failed `vm.assert*` included) is only counted as a revert and the run goes on, so a handler must
    ///         not assert by reverting. This instead marks the run failed without reverting (forge's global
    ///         failure slot, as `fail()`): forge reports the invariant failed and shrinks the call sequence.
    ///         The reason is logged (shown with -vv); forge's own message is just "assertion failed".
    function softAssertTrue(bool condition, string memory reason) internal virtual {
        if (!condition) {
            console.log("soft assertion failed:", reason);
            vm.store(VM_ADDRESS, bytes32("failed"), bytes32(uint256(1)));
        }
    }

    /// @notice Moves block.timestamp forward / back by `time` seconds.
    function skip(uint256 time) internal virtual {
        vm.warp(vm.getBlockTimestamp() + time);
    }

    function rewind(uint256 time) internal virtual {
        vm.warp(vm.getBlockTimestamp() - time);
    }
}
