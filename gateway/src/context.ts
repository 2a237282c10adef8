import type { AgeIdentity, AgeRecipient } from "../../sdk/src/crypto/keys";
import type { BlobStore } from "./blobs/blobStore";
import type { Chain } from "./chain/chain";
import type { GatewayConfig } from "./config/schema";
import type { Logger } from "./observability/logger";
import type { Store } from "./store/database";

/** Everything a gateway's parts share: configuration, store, blobs, chain, the state's key, the log. */
export interface GatewayContext {
  config: GatewayConfig;
  store: Store;
  blobs: BlobStore;
  chain: Chain;
  /** The state's age identity (decrypts what is addressed to this state). */
  identity: AgeIdentity;
  /** Its public recipient. */
  recipient: AgeRecipient;
  log: Logger;
  /** Wakes the outbox loop of a job kind after something was enqueued. */
  wake(kind: string): void;
  /** When this gateway process started (ms since the epoch): intents prepared before do not hold nonces. */
  startedAt: number;
}
