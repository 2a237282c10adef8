import type { Signer, TypedDataField } from "ethers";
import { SiweMessage } from "siwe";
import { gatewayFetch, GatewayRequestError } from "./http";

/** What a gateway publishes about itself (`GET /v1/info`). */
export interface GatewayInfo {
  state: string;
  chainId: number;
  contracts: Record<string, string>;
  deployBlock: number;
  relayer: string;
}

/** A prepared ledger call (see the gateway's `/v1/intents`). */
export interface Intent {
  id: string;
  kind: string;
  status: "awaiting-signature" | "queued" | "sent" | "mined" | "failed" | "expired";
  actor: string;
  requestId: string | null;
  evidenceId: string | null;
  documentDigest: string | null;
  typedData: {
    domain: Record<string, unknown>;
    types: Record<string, TypedDataField[]>;
    primaryType: string;
    message: Record<string, unknown>;
  };
  transactionHash: string | null;
  blockNumber: number | null;
  error: string | null;
}

/** How long a write waits: not at all, until mined, or until this gateway has indexed it (default). */
export type WaitFor = "none" | "mined" | "indexed";

/** A signed-in connection to one state's gateway. */
export interface GatewaySession {
  readonly url: string;
  readonly token: string;
  readonly address: string;
  readonly state: string;
  /** GET/POST/… JSON with the session's token. */
  call<T>(method: string, path: string, json?: unknown): Promise<T>;
  /**
   * Signs a prepared intent with the session's key and hands it to the gateway to relay. When the gateway
   * renumbered the intent (another call of the account took its nonce first, or an earlier one was never
   * signed), signs the renumbered intent again.
   */
  sign(intent: Intent, wait?: WaitFor): Promise<Intent>;
  /** POSTs a write that answers with an intent, signs it and waits; returns the answer with the settled intent. */
  write<T extends { intent: Intent }>(path: string, json?: unknown, wait?: WaitFor): Promise<T>;
}

/**
 * Signs in to a gateway with Sign-In with Ethereum (EIP-4361) as `signer`, an account of the gateway's
 * state; the returned session signs each prepared ledger call (EIP-712) so the gateway relays it.
 * @example
 * const us = await connectGateway("http://127.0.0.1:7101", usAuthority);
 * const { requestId } = await us.write("/v1/requests", { dossier });
 */
export async function connectGateway(url: string, signer: Signer): Promise<GatewaySession> {
  const info = await gatewayFetch<GatewayInfo>(url, "GET", "/v1/info");
  const { nonce } = await gatewayFetch<{ nonce: string }>(url, "GET", "/v1/auth/nonce");
  const address = await signer.getAddress();
  const message = new SiweMessage({
    domain: new URL(url).host,
    address,
    statement: `Sign in to the MLAT Ledger gateway of ${info.state}.`,
    uri: url,
    version: "1",
    chainId: info.chainId,
    nonce,
    issuedAt: new Date().toISOString(),
  }).prepareMessage();
  const signature = await signer.signMessage(message);
  const session = await gatewayFetch<{ token: string; state: string }>(url, "POST", "/v1/auth/session", { json: { message, signature } });
  const call = <T>(method: string, path: string, json?: unknown) => gatewayFetch<T>(url, method, path, { token: session.token, json });
  const sign = async (intent: Intent, wait: WaitFor = "indexed"): Promise<Intent> => {
    for (let current = intent; ; ) {
      const t = current.typedData;
      const sig = await signer.signTypedData(t.domain, t.types, t.message);
      try {
        return await call<Intent>("POST", `/v1/intents/${current.id}/signature?wait=${wait}`, { signature: sig });
      } catch (e) {
        const renumbered = renumberedIntent(e, current.id);
        if (!renumbered) throw e;
        current = renumbered;
      }
    }
  };
  return {
    url,
    token: session.token,
    address,
    state: session.state,
    call,
    sign,
    write: async <T extends { intent: Intent }>(path: string, json?: unknown, wait: WaitFor = "indexed") => {
      const answer = await call<T>("POST", path, json ?? {});
      const intent = await sign(answer.intent, wait);
      return { ...answer, intent };
    },
  };
}

/** The renumbered intent a 409 to a signature carries (the gateway moved it to the account's next nonce), if any. */
function renumberedIntent(e: unknown, id: string): Intent | undefined {
  if (!(e instanceof GatewayRequestError) || e.status !== 409) return undefined;
  const intent = e.problem?.intent as Intent | undefined;
  return intent?.id === id && intent.status === "awaiting-signature" ? intent : undefined;
}
