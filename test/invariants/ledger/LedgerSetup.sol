// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Test} from "../base/Test.sol";
import {ERC2771Forwarder} from "@openzeppelin/contracts/metatx/ERC2771Forwarder.sol";
import {MlatForwarder} from "../../../contracts/relay/MlatForwarder.sol";
import {Consortium} from "../../../contracts/membership/Consortium.sol";
import {IConsortium} from "../../../contracts/interfaces/IConsortium.sol";
import {TreatyRegistry} from "../../../contracts/treaties/TreatyRegistry.sol";
import {ITreatyRegistry} from "../../../contracts/interfaces/ITreatyRegistry.sol";
import {RequestRegistry} from "../../../contracts/requests/RequestRegistry.sol";
import {IRequestRegistry} from "../../../contracts/interfaces/IRequestRegistry.sol";
import {EvidenceCustody} from "../../../contracts/custody/EvidenceCustody.sol";
import {IEvidenceCustody} from "../../../contracts/interfaces/IEvidenceCustody.sol";
import {Priority, Roles} from "../../../contracts/types/MlatTypes.sol";

/// @title LedgerSetup
/// @notice The deployed suite every forge test of the ledger starts from: a forwarder, a consortium of US, MX
/// and ES (threshold 50.01 %), each with a central authority and an agency whose private keys are known (so
/// tests can sign EIP-712 forward requests), a stranger, a US–MX treaty and UNTOC, the request registry and
/// evidence custody. Helpers build a request in execution and an evidence item on it.
abstract contract LedgerSetup is Test {
    bytes2 internal constant US = "US";
    bytes2 internal constant MX = "MX";
    bytes2 internal constant ES = "ES";
    /// US–MX treaty limits (UNTOC: 10 and 180 days).
    uint32 internal constant ACK_WITHIN = 5 days;
    uint32 internal constant RESPOND_WITHIN = 90 days;

    bytes32 internal constant FORWARD_REQUEST_TYPEHASH = keccak256(
        "ForwardRequest(address from,address to,uint256 value,uint256 gas,uint256 nonce,uint48 deadline,bytes data)"
    );

    MlatForwarder internal forwarder;
    Consortium internal consortium;
    TreatyRegistry internal treaties;
    RequestRegistry internal requests;
    EvidenceCustody internal custody;
    bytes32 internal bilateral;
    bytes32 internal untoc;

    bytes2[3] internal codes = [US, MX, ES];
    /// [US authority, US agency, MX authority, MX agency, ES authority, ES agency, stranger].
    address[] internal actors;
    mapping(address account => uint256 key) internal keyOf;

    function _deployLedger() internal {
        forwarder = new MlatForwarder();
        actors = new address[](7);
        IConsortium.FoundingState[] memory founders = new IConsortium.FoundingState[](3);
        for (uint256 i = 0; i < 3; ++i) {
            string memory code = string(abi.encodePacked(codes[i]));
            actors[2 * i] = _account(string.concat("authority-", code));
            actors[2 * i + 1] = _account(string.concat("agency-", code));
            IConsortium.FoundingAccount[] memory accounts = new IConsortium.FoundingAccount[](2);
            accounts[0] = IConsortium.FoundingAccount(actors[2 * i], Roles.CENTRAL_AUTHORITY);
            accounts[1] = IConsortium.FoundingAccount(actors[2 * i + 1], Roles.AGENCY);
            founders[i] = IConsortium.FoundingState(codes[i], keccak256(abi.encode(codes[i])), "https://gw.example", accounts);
        }
        actors[6] = _account("stranger");
        consortium = new Consortium(address(forwarder), founders, 5001);

        bilateral = keccak256("US-MX MLAT");
        untoc = keccak256("UNTOC");
        ITreatyRegistry.FoundingTreaty[] memory founding = new ITreatyRegistry.FoundingTreaty[](2);
        bytes2[] memory pair = new bytes2[](2);
        pair[0] = US;
        pair[1] = MX;
        bytes2[] memory all = new bytes2[](3);
        all[0] = US;
        all[1] = MX;
        all[2] = ES;
        founding[0] = ITreatyRegistry.FoundingTreaty(bilateral, keccak256("doc"), 31, ACK_WITHIN, RESPOND_WITHIN, pair, pair);
        founding[1] = ITreatyRegistry.FoundingTreaty(untoc, keccak256("doc2"), 31, 10 days, 180 days, new bytes2[](0), all);
        treaties = new TreatyRegistry(address(forwarder), consortium, founding);
        requests = new RequestRegistry(address(forwarder), consortium, treaties);
        custody = new EvidenceCustody(address(forwarder), consortium, requests);
    }

    function _authority(uint256 state) internal view returns (address) {
        return actors[2 * state];
    }

    function _agency(uint256 state) internal view returns (address) {
        return actors[2 * state + 1];
    }

    /// A request from the US to MX under the US–MX treaty, submitted now with response deadline `respondBy`
    /// (0: the treaty's default).
    function _submit(bytes32 requestId, uint40 respondBy) internal {
        vm.prank(_authority(0));
        requests.submitRequest(
            IRequestRegistry.Submission(requestId, MX, bilateral, 3, Priority.Routine, keccak256("request"), respondBy)
        );
    }

    /// A request from the US to MX, acknowledged, accepted and in execution.
    function _requestInExecution(bytes32 requestId) internal {
        _submit(requestId, 0);
        vm.startPrank(_authority(1));
        requests.acknowledge(requestId, keccak256("ack"));
        requests.accept(requestId, keccak256("accept"));
        requests.startExecution(requestId, keccak256("start"));
        vm.stopPrank();
    }

    /// Evidence registered by MX's agency under `requestId` (in execution); MX holds it.
    function _registerEvidence(bytes32 evidenceId, bytes32 requestId) internal {
        vm.prank(_agency(1));
        custody.registerEvidence(
            IEvidenceCustody.Registration(
                evidenceId,
                requestId,
                keccak256(abi.encode(evidenceId, "payload")),
                keccak256(abi.encode(evidenceId, "commitment")),
                keccak256(abi.encode(evidenceId, "manifest")),
                address(0)
            )
        );
    }

    /// What a signer's EIP-712 signature covers besides the call: the domain (chain id, forwarder) and the nonce.
    struct SigningDomain {
        uint256 chainId;
        address forwarder;
        uint256 nonce;
    }

    /// The domain and nonce the deployed forwarder expects now from `signer`.
    function _currentDomain(address signer) internal view returns (SigningDomain memory) {
        return SigningDomain(block.chainid, address(forwarder), forwarder.nonces(signer));
    }

    /// A ForwardRequest from `signer` to `to` with `data`, signed with the signer's key under domain `d`
    /// ("MlatForwarder" v1, as the SDK signs it).
    function _signRequest(
        address signer,
        address to,
        bytes memory data,
        uint48 deadline,
        SigningDomain memory d
    ) internal view returns (ERC2771Forwarder.ForwardRequestData memory request) {
        request = ERC2771Forwarder.ForwardRequestData(signer, to, 0, 500_000, deadline, data, "");
        bytes32 domainSeparator = keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256("MlatForwarder"),
                keccak256("1"),
                d.chainId,
                d.forwarder
            )
        );
        bytes32 structHash = keccak256(
            abi.encode(FORWARD_REQUEST_TYPEHASH, signer, to, 0, 500_000, d.nonce, deadline, keccak256(data))
        );
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(keyOf[signer], keccak256(abi.encodePacked("\x19\x01", domainSeparator, structHash)));
        request.signature = abi.encodePacked(r, s, v);
    }

    function _account(string memory name) private returns (address account) {
        uint256 key;
        (account, key) = makeAddrAndKey(name);
        keyOf[account] = key;
    }
}
