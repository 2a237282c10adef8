/**
 * MLAT Ledger SDK: the one entry point. Crypto (age envelopes, digests, commitments, manifests) is pure
 * computation over streams and bytes; the ledger client and the verifier talk to a chain.
 *
 * @example
 * import { createLedgerClient, loadDeployment, submitRequest, verifyEvidence } from "mlat-ledger/sdk";
 */
// errors
export { MlatError, isMlatError } from "./errors/MlatError";
export type { CryptoError, CryptoErrorCode } from "./crypto/errors";

// crypto: age v1 envelopes, keys, digests, commitments, manifests
export { encrypt, encryptBytes, createEncryptStream } from "./crypto/ageEncrypt";
export type { EncryptParameters, EncryptReturnType } from "./crypto/ageEncrypt";
export { decrypt, decryptBytes, createDecryptStream } from "./crypto/ageDecrypt";
export type { DecryptParameters, DecryptReturnType } from "./crypto/ageDecrypt";
export { encryptFile, decryptFile } from "./crypto/ageFiles";
export { armorEncode, armorDecode, createArmorEncodeStream, createArmorDecodeStream } from "./crypto/armor";
export type { DecryptFileOptions, EncryptFileOptions } from "./crypto/ageFiles";
export type { AtomicWriteOptions } from "./crypto/atomicFile";
export { AGE, AGE_ARMOR, CONTENT_COMMITMENT, MANIFEST } from "./crypto/formats";
export type { Hex } from "./crypto/hex";
export { canonicalJson } from "./crypto/canonicalJson";
export {
  recipientFromPublicKey,
  identityFromSecretKey,
  generateIdentity,
  parseRecipient,
  parseIdentity,
  parseIdentityFile,
  formatRecipient,
  formatIdentity,
  formatIdentityFile,
} from "./crypto/keys";
export type { AgeRecipient, AgeIdentity } from "./crypto/keys";
export { sha256, sha256Stream, payloadDigest, payloadDigestOfStream } from "./crypto/digests";
export { contentCommitment, randomSalt } from "./crypto/commitment";
export { sealPayload, PayloadSealer } from "./crypto/sealPayload";
export type { SealPayloadParameters, SealPayloadReturnType } from "./crypto/sealPayload";
export {
  manifestSchema,
  manifestFor,
  parseManifest,
  serializeManifest,
  deserializeManifest,
  encryptManifest,
  decryptManifest,
} from "./crypto/manifest";
export type { Manifest } from "./crypto/manifest";
export { genesisHead, nextHead } from "./crypto/custodyHead";
export { FORWARDER_DOMAIN, FORWARD_REQUEST_TYPES, forwarderDomain } from "./crypto/forwardRequest";

// ledger: deployment, client, actions, events
export * from "./ledger/types";
export { toStateBytes, fromStateBytes } from "./ledger/stateCode";
export { recipientToKeyBytes, keyBytesToRecipient } from "./ledger/encryptionKey";
export { loadDeployment, parseDeployment } from "./ledger/deployment";
export type { Deployment, ContractAddresses } from "./ledger/deployment";
export { createLedgerClient } from "./ledger/client";
export type { LedgerClient, LedgerClientParameters, Relay } from "./ledger/client";
export { connectLedger } from "./ledger/contracts";
export type { LedgerContracts } from "./ledger/contracts";
export { LedgerRevertError, decodeLedgerError, isLedgerRevert } from "./ledger/errors";
export type { LedgerWrite, Mined } from "./ledger/write";
export { signForwardRequest } from "./ledger/signForwardRequest";
export type { ForwardRequestData } from "./ledger/signForwardRequest";
export * from "./ledger/actions/requests";
export * from "./ledger/actions/custody";
export * from "./ledger/actions/anchors";
export { decodeLedgerLogs } from "./ledger/events";
export type { LedgerEvent } from "./ledger/events";
export { requestTimeline, toRequestTimeline, evidenceEvents } from "./ledger/timeline";
export type { RequestTimelineEntry } from "./ledger/timeline";
export { rebuildCustodyChain } from "./ledger/custodyChain";
export type { CustodyChainRebuild, CustodyChainLink } from "./ledger/custodyChain";

// verifier
export { verifyEvidence } from "./verify/verifyEvidence";
export type { VerifyEvidenceParameters } from "./verify/verifyEvidence";
export { createVerificationBundle } from "./verify/createBundle";
export { parseBundle, VerificationBundleSchema } from "./verify/bundle";
export type { VerificationBundle } from "./verify/bundle";
export type { VerificationReport, Check, Verdict } from "./verify/report";

// gateway client: sign in (SIWE), prepared ledger calls signed here and relayed by the gateway
export { connectGateway } from "./gateway/client";
export type { GatewaySession, GatewayInfo, Intent, WaitFor } from "./gateway/client";
export { GatewayRequestError } from "./gateway/http";
export type { GatewayProblem } from "./gateway/http";
export {
  uploadEvidence,
  offerEvidenceCustody,
  acceptEvidenceCustody,
  rejectEvidenceCustody,
  cancelEvidenceOffer,
  recordEvidenceDisposition,
  openEvidenceContent,
} from "./gateway/evidence";
export type { EvidenceMeta, UploadEvidenceReturnType, CustodyStepReturnType, CustodyDocument } from "./gateway/evidence";
export { subscribeEvents, parseEventStream } from "./gateway/events";
export type { GatewayEvent, SubscribeEventsOptions, EventSubscription, EventSource, ParsedBlock } from "./gateway/events";
