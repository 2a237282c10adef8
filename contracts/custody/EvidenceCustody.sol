// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IEvidenceCustody} from "../interfaces/IEvidenceCustody.sol";
import {IRequestRegistry} from "../interfaces/IRequestRegistry.sol";
import {IConsortium} from "../interfaces/IConsortium.sol";
import {ConsortiumBound} from "../base/ConsortiumBound.sol";
import {CustodyChain} from "../libraries/CustodyChain.sol";
import {CustodyAction, RequestStatus, Roles} from "../types/MlatTypes.sol";

/// @title EvidenceCustody
/// @notice Registration, two-phase custody transfer, re-encryption and disposition of evidence, with a
/// running custody-chain hash. See {IEvidenceCustody}.
contract EvidenceCustody is IEvidenceCustody, ConsortiumBound {
    /// @notice Longest time an offer may stay open.
    uint40 public constant MAX_OFFER_DURATION = 30 days;

    /// @dev Who may act on an item: agencies and central authorities of the custodian (or recipient) state.
    uint8 private constant _CUSTODY_ROLES = Roles.AGENCY | Roles.CENTRAL_AUTHORITY;

    struct Holder {
        bytes2 state;
        address account;
        CustodyAction disposition;
        uint64 sequence;
    }

    struct Offer {
        bytes2 toState;
        address toAccount;
        uint40 expiresAt;
    }

    struct Item {
        bytes32 requestId;
        bytes32 payloadDigest;
        bytes32 contentCommitment;
        bytes32 head;
        Holder holder;
        Offer offer;
    }

    /// @notice The request registry whose requests evidence is registered under.
    IRequestRegistry public immutable requests;

    mapping(bytes32 evidenceId => Item) private _items;

    constructor(
        address trustedForwarder,
        IConsortium consortium_,
        IRequestRegistry requests_
    ) ConsortiumBound(trustedForwarder, consortium_) {
        requests = requests_;
    }

    /// @inheritdoc IEvidenceCustody
    function registerEvidence(Registration calldata r) external {
        (bytes2 actorState, , address actor) = _actor(_CUSTODY_ROLES);
        bytes32 evidenceId = r.evidenceId;
        Item storage item = _items[evidenceId];
        if (evidenceId == bytes32(0) || item.requestId != bytes32(0)) revert EvidenceExists(evidenceId);
        if (r.payloadDigest == bytes32(0) || r.contentCommitment == bytes32(0) || r.manifestDigest == bytes32(0)) {
            revert EvidenceInvalidDigest(evidenceId);
        }
        (, bytes2 requestedState, RequestStatus status) = requests.parties(r.requestId);
        if (status != RequestStatus.InExecution) revert CustodyRequestNotInExecution(r.requestId, status);
        if (actorState != requestedState) revert CustodyNotExecutingState(r.requestId, actorState);
        if (r.custodianAccount != address(0)) _requireHolderAccount(actorState, r.custodianAccount);

        bytes32 head = CustodyChain.genesis(evidenceId, r, actorState, actor);
        item.requestId = r.requestId;
        item.payloadDigest = r.payloadDigest;
        item.contentCommitment = r.contentCommitment;
        item.head = head;
        item.holder = Holder(actorState, r.custodianAccount, CustodyAction.None, 0);
        emit EvidenceRegistered(
            evidenceId,
            r.requestId,
            actorState,
            r.custodianAccount,
            actor,
            r.payloadDigest,
            r.contentCommitment,
            r.manifestDigest,
            head
        );
    }

    /// @inheritdoc IEvidenceCustody
    function offerCustody(
        bytes32 evidenceId,
        bytes2 toState,
        address toAccount,
        uint40 expiresAt,
        bytes32 documentDigest
    ) external {
        (Item storage item, bytes2 actorState, address actor) = _custodianAction(evidenceId);
        _requireNoPendingOffer(evidenceId, item.offer);
        if (toState == item.holder.state) revert CustodyInvalidRecipient(evidenceId, toState, toAccount);
        consortium.requireActiveState(toState);
        if (toAccount != address(0)) {
            (bytes2 accountState, uint8 roles) = consortium.accountOf(toAccount);
            if (accountState != toState || roles & _CUSTODY_ROLES == 0) {
                revert CustodyInvalidRecipient(evidenceId, toState, toAccount);
            }
        }
        if (expiresAt <= block.timestamp || expiresAt > block.timestamp + MAX_OFFER_DURATION) {
            revert CustodyInvalidExpiry(evidenceId, expiresAt);
        }
        item.offer = Offer(toState, toAccount, expiresAt);
        _record(
            evidenceId,
            item,
            CustodyAction.Offered,
            actorState,
            actor,
            toState,
            toAccount,
            documentDigest,
            expiresAt
        );
    }

    /// @inheritdoc IEvidenceCustody
    function acceptCustody(bytes32 evidenceId, bytes32 heldPayloadDigest) external {
        (Item storage item, Offer memory offer, bytes2 actorState, address actor) = _recipientAction(evidenceId);
        if (heldPayloadDigest != item.payloadDigest) {
            revert CustodyPayloadMismatch(evidenceId, item.payloadDigest, heldPayloadDigest);
        }
        Holder memory previous = item.holder;
        delete item.offer;
        item.holder.state = offer.toState;
        item.holder.account = offer.toAccount;
        _record(
            evidenceId,
            item,
            CustodyAction.Transferred,
            actorState,
            actor,
            previous.state,
            previous.account,
            heldPayloadDigest,
            0
        );
    }

    /// @inheritdoc IEvidenceCustody
    function rejectCustody(bytes32 evidenceId, bytes32 documentDigest) external {
        (Item storage item, , bytes2 actorState, address actor) = _recipientAction(evidenceId);
        delete item.offer;
        Holder memory holder = item.holder;
        _record(
            evidenceId,
            item,
            CustodyAction.OfferRejected,
            actorState,
            actor,
            holder.state,
            holder.account,
            documentDigest,
            0
        );
    }

    /// @inheritdoc IEvidenceCustody
    function cancelOffer(bytes32 evidenceId) external {
        (Item storage item, bytes2 actorState, address actor) = _custodianAction(evidenceId);
        Offer memory offer = item.offer;
        if (offer.toState == bytes2(0)) revert CustodyNoOffer(evidenceId);
        delete item.offer;
        _record(
            evidenceId,
            item,
            CustodyAction.OfferCancelled,
            actorState,
            actor,
            offer.toState,
            offer.toAccount,
            bytes32(0),
            0
        );
    }

    /// @inheritdoc IEvidenceCustody
    function recordReencryption(bytes32 evidenceId, bytes32 newPayloadDigest) external {
        (Item storage item, bytes2 actorState, address actor) = _custodianAction(evidenceId);
        _requireNoPendingOffer(evidenceId, item.offer);
        if (newPayloadDigest == bytes32(0) || newPayloadDigest == item.payloadDigest) {
            revert EvidenceInvalidDigest(evidenceId);
        }
        item.payloadDigest = newPayloadDigest;
        _record(evidenceId, item, CustodyAction.Reencrypted, actorState, actor, 0, address(0), newPayloadDigest, 0);
    }

    /// @inheritdoc IEvidenceCustody
    function dispose(bytes32 evidenceId, CustodyAction disposition, bytes32 documentDigest) external {
        if (
            disposition != CustodyAction.Returned &&
            disposition != CustodyAction.Destroyed &&
            disposition != CustodyAction.Released
        ) revert CustodyInvalidDisposition(disposition);
        (Item storage item, bytes2 actorState, address actor) = _custodianAction(evidenceId);
        _requireNoPendingOffer(evidenceId, item.offer);
        delete item.offer;
        item.holder.disposition = disposition;
        _record(evidenceId, item, disposition, actorState, actor, 0, address(0), documentDigest, 0);
    }

    /// @inheritdoc IEvidenceCustody
    function evidence(bytes32 evidenceId) external view returns (Evidence memory) {
        Item storage item = _items[evidenceId];
        Holder memory h = item.holder;
        Offer memory o = item.offer;
        return
            Evidence(
                item.requestId,
                item.payloadDigest,
                item.contentCommitment,
                item.head,
                h.state,
                h.account,
                h.disposition,
                h.sequence,
                o.toState,
                o.toAccount,
                o.expiresAt
            );
    }

    /// @inheritdoc IEvidenceCustody
    function nextHead(bytes32 previousHead, CustodyEntry calldata entry) external pure returns (bytes32) {
        return CustodyChain.next(previousHead, entry);
    }

    // ─── internals ─────────────────────────────────────────────────────────────────────────

    /// @dev Appends one entry: bumps the sequence, folds the entry into the head, emits it.
    function _record(
        bytes32 evidenceId,
        Item storage item,
        CustodyAction action,
        bytes2 actorState,
        address actor,
        bytes2 counterpartState,
        address counterpartAccount,
        bytes32 digest,
        uint40 expiresAt
    ) private {
        uint64 sequence = item.holder.sequence + 1;
        CustodyEntry memory e = CustodyEntry(
            sequence,
            action,
            actorState,
            actor,
            counterpartState,
            counterpartAccount,
            digest,
            expiresAt
        );
        bytes32 head = CustodyChain.next(item.head, e);
        item.holder.sequence = sequence;
        item.head = head;
        emit CustodyRecorded(
            evidenceId,
            sequence,
            action,
            actorState,
            actor,
            counterpartState,
            counterpartAccount,
            digest,
            expiresAt,
            head
        );
    }

    /// @dev A live item and a caller acting for its custodian: an agency or central authority of the
    /// custodian state — only the holding account or a central authority when an account holds it.
    function _custodianAction(
        bytes32 evidenceId
    ) private view returns (Item storage item, bytes2 actorState, address actor) {
        item = _liveItem(evidenceId);
        (actorState, actor) = _actFor(item.holder.state, item.holder.account);
        if (actorState == bytes2(0)) revert CustodyNotCustodian(evidenceId, actor);
    }

    /// @dev A live item with an unexpired offer and a caller acting for the offer's recipient.
    function _recipientAction(
        bytes32 evidenceId
    ) private view returns (Item storage item, Offer memory offer, bytes2 actorState, address actor) {
        item = _liveItem(evidenceId);
        offer = item.offer;
        if (offer.toState == bytes2(0)) revert CustodyNoOffer(evidenceId);
        if (block.timestamp > offer.expiresAt) revert CustodyOfferExpired(evidenceId, offer.expiresAt);
        (actorState, actor) = _actFor(offer.toState, offer.toAccount);
        if (actorState == bytes2(0)) revert CustodyNotRecipient(evidenceId, actor);
    }

    /// @dev The caller's state if it may act for (`state`, `account`), else zero. Reverts if the caller
    /// is no agency or central authority of an active state.
    function _actFor(bytes2 state, address account) private view returns (bytes2, address) {
        (bytes2 actorState, , address actor) = _actor(_CUSTODY_ROLES);
        if (actorState != state) return (bytes2(0), actor);
        if (account != address(0) && actor != account) {
            (, uint8 roles) = consortium.accountOf(actor);
            if (roles & Roles.CENTRAL_AUTHORITY == 0) return (bytes2(0), actor);
        }
        return (actorState, actor);
    }

    function _liveItem(bytes32 evidenceId) private view returns (Item storage item) {
        item = _items[evidenceId];
        if (item.requestId == bytes32(0)) revert EvidenceUnknown(evidenceId);
        CustodyAction disposition = item.holder.disposition;
        if (disposition != CustodyAction.None) revert CustodyDisposed(evidenceId, disposition);
    }

    function _requireNoPendingOffer(bytes32 evidenceId, Offer storage offer) private view {
        if (offer.toState != bytes2(0) && block.timestamp <= offer.expiresAt) {
            revert CustodyOfferPending(evidenceId, offer.toState, offer.expiresAt);
        }
    }

    function _requireHolderAccount(bytes2 state, address account) private view {
        (bytes2 accountState, uint8 roles) = consortium.accountOf(account);
        if (accountState != state || roles & _CUSTODY_ROLES == 0) revert CustodyInvalidCustodianAccount(account);
    }
}
