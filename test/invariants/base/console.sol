// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title console — a few console.log overloads forge decodes (shown with `-vv`); the full set is
///        node_modules/hardhat/console.sol, which forge understands as well.
library console {
    address private constant _CONSOLE = 0x000000000000000000636F6e736F6c652e6c6f67;

    function _send(bytes memory payload) private view {
        // solhint-disable-next-line avoid-low-level-calls
        (bool ok,) = _CONSOLE.staticcall(payload);
        ok;
    }

    function log(string memory p0) internal view {
        _send(abi.encodeWithSignature("log(string)", p0));
    }

    function log(string memory p0, uint256 p1) internal view {
        _send(abi.encodeWithSignature("log(string,uint256)", p0, p1));
    }

    function log(string memory p0, int256 p1) internal view {
        _send(abi.encodeWithSignature("log(string,int256)", p0, p1));
    }

    function log(string memory p0, address p1) internal view {
        _send(abi.encodeWithSignature("log(string,address)", p0, p1));
    }

    function log(string memory p0, bool p1) internal view {
        _send(abi.encodeWithSignature("log(string,bool)", p0, p1));
    }

    function log(string memory p0, string memory p1) internal view {
        _send(abi.encodeWithSignature("log(string,string)", p0, p1));
    }

    function log(string memory p0, bytes32 p1) internal view {
        _send(abi.encodeWithSignature("log(string,bytes32)", p0, p1));
    }
}
