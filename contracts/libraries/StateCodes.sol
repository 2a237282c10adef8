// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title StateCodes
/// @notice A member state is identified by its ISO 3166-1 alpha-2 code, packed in `bytes2` ("MX" = 0x4d58).
library StateCodes {
    /// @notice Thrown when a code is not two upper-case ASCII letters.
    error ConsortiumInvalidStateCode(bytes2 code);

    /// @notice Reverts unless `code` is two upper-case ASCII letters.
    function check(bytes2 code) internal pure {
        if (!_isUpper(code[0]) || !_isUpper(code[1])) revert ConsortiumInvalidStateCode(code);
    }

    function _isUpper(bytes1 c) private pure returns (bool) {
        return c >= 0x41 && c <= 0x5a;
    }
}
