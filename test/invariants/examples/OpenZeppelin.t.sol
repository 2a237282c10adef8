// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {ERC2771Context} from "@openzeppelin/contracts/metatx/ERC2771Context.sol";
import {ERC2771Forwarder} from "@openzeppelin/contracts/metatx/ERC2771Forwarder.sol";
import {Context} from "@openzeppelin/contracts/utils/Context.sol";
import {Errors} from "@openzeppelin/contracts/utils/Errors.sol";
import {Test} from "../base/Test.sol";

/// @dev A role-gated, meta-transaction-aware target, the shape of the ledger's contracts.
contract RelayedNotes is ERC2771Context, AccessControl {
    bytes32 public constant WRITER_ROLE = keccak256("WRITER_ROLE");
    mapping(address writer => uint256 count) public notes;

    constructor(address forwarder, address admin) ERC2771Context(forwarder) {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    function write() external onlyRole(WRITER_ROLE) {
        notes[_msgSender()]++;
    }

    function _msgSender() internal view override(Context, ERC2771Context) returns (address) {
        return ERC2771Context._msgSender();
    }

    function _msgData() internal view override(Context, ERC2771Context) returns (bytes calldata) {
        return ERC2771Context._msgData();
    }

    function _contextSuffixLength() internal view override(Context, ERC2771Context) returns (uint256) {
        return ERC2771Context._contextSuffixLength();
    }
}

/// @title OpenZeppelinTest — the @openzeppelin/contracts remapping resolves (ERC2771Forwarder, AccessControl),
///        and an EIP-712 ForwardRequest signed with vm.sign is relayed with the signer as _msgSender().
contract OpenZeppelinTest is Test {
    bytes32 internal constant FORWARD_REQUEST_TYPEHASH = keccak256(
        "ForwardRequest(address from,address to,uint256 value,uint256 gas,uint256 nonce,uint48 deadline,bytes data)"
    );

    ERC2771Forwarder internal forwarder;
    RelayedNotes internal target;
    address internal admin;
    address internal relayer;
    address internal writer;
    uint256 internal writerKey;

    function setUp() public {
        admin = makeAddr("admin");
        relayer = makeAddr("relayer");
        (writer, writerKey) = makeAddrAndKey("writer");
        forwarder = new ERC2771Forwarder("TestForwarder");
        target = new RelayedNotes(address(forwarder), admin);
    }

    function _request(uint256 key, address from, bytes memory data)
        internal
        view
        returns (ERC2771Forwarder.ForwardRequestData memory req)
    {
        req = ERC2771Forwarder.ForwardRequestData({
            from: from,
            to: address(target),
            value: 0,
            gas: 100_000,
            deadline: uint48(block.timestamp + 1 hours),
            data: data,
            signature: ""
        });
        (, string memory name, string memory version, uint256 chainId, address verifyingContract,,) =
            forwarder.eip712Domain();
        bytes32 domainSeparator = keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256(bytes(name)),
                keccak256(bytes(version)),
                chainId,
                verifyingContract
            )
        );
        bytes32 structHash = keccak256(
            abi.encode(
                FORWARD_REQUEST_TYPEHASH,
                req.from,
                req.to,
                req.value,
                req.gas,
                forwarder.nonces(from),
                req.deadline,
                keccak256(req.data)
            )
        );
        (uint8 v, bytes32 r, bytes32 s) =
            vm.sign(key, keccak256(abi.encodePacked("\x19\x01", domainSeparator, structHash)));
        req.signature = abi.encodePacked(r, s, v);
    }

    function test_relayedWrite_creditsSigner() public {
        bytes32 role = target.WRITER_ROLE(); // before the prank: vm.prank applies to the very next call
        vm.prank(admin);
        target.grantRole(role, writer);

        ERC2771Forwarder.ForwardRequestData memory req =
            _request(writerKey, writer, abi.encodeCall(RelayedNotes.write, ()));
        assertTrue(forwarder.verify(req));
        vm.prank(relayer);
        forwarder.execute(req);

        assertEq(target.notes(writer), 1);
        assertEq(target.notes(relayer), 0);
        assertEq(forwarder.nonces(writer), 1);
    }

    function test_relayedWrite_withoutRole_fails() public {
        ERC2771Forwarder.ForwardRequestData memory req =
            _request(writerKey, writer, abi.encodeCall(RelayedNotes.write, ()));
        vm.expectRevert(Errors.FailedCall.selector);
        vm.prank(relayer);
        forwarder.execute(req);
    }

    function test_directWrite_withoutRole_reverts() public {
        bytes32 role = target.WRITER_ROLE();
        vm.expectRevert(abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, relayer, role));
        vm.prank(relayer);
        target.write();
    }

    function testFuzz_forgedSignature_rejected(uint256 otherKey) public view {
        otherKey = bound(otherKey, 1, 115792089237316195423570985008687907852837564279074904382605163141518161494336);
        vm.assume(otherKey != writerKey);
        ERC2771Forwarder.ForwardRequestData memory req =
            _request(otherKey, writer, abi.encodeCall(RelayedNotes.write, ()));
        assertFalse(forwarder.verify(req));
    }
}
