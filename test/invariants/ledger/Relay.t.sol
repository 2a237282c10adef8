// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ERC2771Forwarder} from "@openzeppelin/contracts/metatx/ERC2771Forwarder.sol";
import {Errors} from "@openzeppelin/contracts/utils/Errors.sol";
import {MlatForwarder} from "../../../contracts/relay/MlatForwarder.sol";
import {IConsortium} from "../../../contracts/interfaces/IConsortium.sol";
import {IEvidenceCustody} from "../../../contracts/interfaces/IEvidenceCustody.sol";
import {ProposalKind, StateStatus, Roles} from "../../../contracts/types/MlatTypes.sol";
import {LedgerSetup} from "./LedgerSetup.sol";

/// @title RelayReplay
/// @notice EIP-712 replay through the forwarder: a signed request runs once, only on this chain, only
/// through this forwarder, only with the signer's current nonce, only for the account that signed it,
/// and not at all once its signer has lost the right to act (roles removed, state suspended or removed).
contract RelayReplay is LedgerSetup {
    bytes32 internal constant REQUEST = keccak256("a request in execution");

    function setUp() public {
        _deployLedger();
        _requestInExecution(REQUEST);
    }

    /// Relaying the same signed request twice: the second use is refused and changes nothing, although the
    /// call itself is repeatable (the same call signed with the next nonce runs).
    function testFuzz_forwarderExecute_refusesSecondUse(uint256 signerSeed, uint256 urlSeed) public {
        address signer = _authority(signerSeed % 3);
        bytes memory call = _setGatewayUrl(urlSeed);
        ERC2771Forwarder.ForwardRequestData memory request = _sign(signer, call, _currentDomain(signer));
        forwarder.execute(request);
        assertEq(forwarder.nonces(signer), 1);

        assertFalse(forwarder.verify(request));
        vm.expectPartialRevert(ERC2771Forwarder.ERC2771ForwarderInvalidSigner.selector);
        forwarder.execute(request);
        assertEq(forwarder.nonces(signer), 1);

        forwarder.execute(_sign(signer, call, _currentDomain(signer)));
        assertEq(forwarder.nonces(signer), 2);
    }

    /// Signed for another chain id: refused here; and a request signed here is refused on a fork whose
    /// chain id differs (the domain separator follows block.chainid).
    function testFuzz_forwarderExecute_refusesOtherChainId(uint256 signerSeed, uint64 otherChainId, uint256 urlSeed)
        public
    {
        otherChainId = uint64(bound(otherChainId, 1, 2 ** 53));
        vm.assume(otherChainId != block.chainid);
        address signer = _authority(signerSeed % 3);
        SigningDomain memory elsewhere = _currentDomain(signer);
        elsewhere.chainId = otherChainId;
        ERC2771Forwarder.ForwardRequestData memory foreign = _sign(signer, _setGatewayUrl(urlSeed), elsewhere);
        _expectRefused(foreign);

        ERC2771Forwarder.ForwardRequestData memory local = _sign(signer, _setGatewayUrl(urlSeed), _currentDomain(signer));
        uint256 here = block.chainid;
        vm.chainId(otherChainId);
        _expectRefused(local);
        vm.chainId(here);
        forwarder.execute(local);
    }

    /// Signed for another forwarder (any address, or a second MlatForwarder): refused here; and the second
    /// forwarder cannot deliver it either, since no ledger contract trusts it.
    function testFuzz_forwarderExecute_refusesOtherForwarder(uint256 signerSeed, address otherForwarder, uint256 urlSeed)
        public
    {
        vm.assume(otherForwarder != address(forwarder));
        address signer = _authority(signerSeed % 3);
        SigningDomain memory elsewhere = _currentDomain(signer);
        elsewhere.forwarder = otherForwarder;
        _expectRefused(_sign(signer, _setGatewayUrl(urlSeed), elsewhere));

        MlatForwarder second = new MlatForwarder();
        elsewhere.forwarder = address(second);
        ERC2771Forwarder.ForwardRequestData memory request = _sign(signer, _setGatewayUrl(urlSeed), elsewhere);
        _expectRefused(request);
        vm.expectRevert(
            abi.encodeWithSelector(ERC2771Forwarder.ERC2771UntrustfulTarget.selector, address(consortium), address(second))
        );
        second.execute(request);
    }

    /// Signed with any nonce but the signer's current one: refused (no skipping ahead, no going back).
    function testFuzz_forwarderExecute_refusesNonceOtherThanCurrent(uint256 signerSeed, uint256 nonce, uint256 urlSeed)
        public
    {
        address signer = _authority(signerSeed % 3);
        SigningDomain memory d = _currentDomain(signer);
        vm.assume(nonce != d.nonce);
        d.nonce = nonce;
        _expectRefused(_sign(signer, _setGatewayUrl(urlSeed), d));
    }

    /// A request that names one account as `from` but is signed with another account's key (of any state) is
    /// refused: nobody relays as another account, let alone as another state.
    function testFuzz_forwarderExecute_refusesRequestSignedByAnotherAccount(
        uint256 fromSeed,
        uint256 keySeed,
        uint256 urlSeed
    ) public {
        address from = actors[fromSeed % actors.length];
        address keyHolder = actors[keySeed % actors.length];
        vm.assume(from != keyHolder);
        ERC2771Forwarder.ForwardRequestData memory request = _sign(keyHolder, _setGatewayUrl(urlSeed), _currentDomain(from));
        request.from = from;
        _expectRefused(request);
    }

    /// A request signed while the signer could act, relayed after its roles were removed or its state was
    /// suspended or removed: the forwarded call fails, nothing is registered, and the ledger's reason is the
    /// signer's lost membership.
    function testFuzz_forwarderExecute_refusesSignerRemovedAfterSigning(uint256 how, bytes32 evidenceId) public {
        vm.assume(evidenceId != bytes32(0));
        address signer = _agency(1);
        bytes memory call = abi.encodeCall(
            custody.registerEvidence,
            (IEvidenceCustody.Registration(evidenceId, REQUEST, keccak256("p"), keccak256("c"), keccak256("m"), address(0)))
        );
        ERC2771Forwarder.ForwardRequestData memory request = _sign(signer, call, _currentDomain(signer));
        assertTrue(forwarder.verify(request));

        bytes memory reason;
        if (how % 3 == 0) {
            vm.prank(_authority(1));
            consortium.setAccountRoles(signer, 0);
            reason = abi.encodeWithSelector(
                IConsortium.ConsortiumUnauthorizedAccount.selector,
                signer,
                Roles.AGENCY | Roles.CENTRAL_AUTHORITY
            );
        } else {
            ProposalKind kind = how % 3 == 1 ? ProposalKind.SuspendState : ProposalKind.RemoveState;
            _pass(IConsortium.ProposalParams(kind, MX, 0, address(0), bytes32(0), "", bytes32(how)));
            reason = abi.encodeWithSelector(
                IConsortium.ConsortiumUnexpectedStateStatus.selector,
                MX,
                kind == ProposalKind.SuspendState ? StateStatus.Suspended : StateStatus.Removed
            );
        }

        vm.expectRevert(Errors.FailedCall.selector);
        forwarder.execute(request);
        assertEq(custody.evidence(evidenceId).requestId, bytes32(0));
        vm.prank(address(forwarder));
        (bool ok, bytes memory simulated) = address(custody).call(abi.encodePacked(call, signer));
        assertFalse(ok);
        assertEq(simulated, reason);
    }

    // ─── helpers ───────────────────────────────────────────────────────────────────────────

    function _setGatewayUrl(uint256 seed) internal view returns (bytes memory) {
        return abi.encodeCall(consortium.setGatewayUrl, (string.concat("https://gw.example/", vm.toString(seed))));
    }

    function _sign(address signer, bytes memory call, SigningDomain memory d)
        internal
        view
        returns (ERC2771Forwarder.ForwardRequestData memory)
    {
        address to = bytes4(call) == custody.registerEvidence.selector ? address(custody) : address(consortium);
        return _signRequest(signer, to, call, uint48(block.timestamp + 1 hours), d);
    }

    /// The forwarder neither verifies nor executes `request`, and no nonce moves.
    function _expectRefused(ERC2771Forwarder.ForwardRequestData memory request) internal {
        uint256 nonce = forwarder.nonces(request.from);
        assertFalse(forwarder.verify(request), "the forwarder verified a request it must refuse");
        vm.expectPartialRevert(ERC2771Forwarder.ERC2771ForwarderInvalidSigner.selector);
        forwarder.execute(request);
        assertEq(forwarder.nonces(request.from), nonce);
    }

    /// Proposed by the US, voted by ES, executed: a proposal about MX passed without MX.
    function _pass(IConsortium.ProposalParams memory p) internal {
        vm.prank(_authority(0));
        bytes32 id = consortium.propose(p, 1 days);
        vm.prank(_authority(2));
        consortium.vote(id);
        vm.prank(_authority(0));
        consortium.execute(id);
    }
}
