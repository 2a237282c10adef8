import type { Signer } from "ethers";
import type { Intent } from "../../../sdk/src/gateway/client";

/** A gateway's answer as a load client sees it: status, Retry-After, and the JSON body (or undefined). */
export interface RawAnswer<T = unknown> {
  status: number;
  retryAfter: string | null;
  body: T | undefined;
}

/**
 * One call to a gateway that never throws on an HTTP status (a load client counts statuses); a refused
 * connection answers status 0.
 * @example const a = await rawCall(url, token, "POST", "/v1/requests", { dossier });
 */
export async function rawCall<T = unknown>(url: string, token: string, method: string, path: string, json?: unknown): Promise<RawAnswer<T>> {
  try {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(json === undefined ? {} : { "content-type": "application/json" }) },
      body: json === undefined ? undefined : JSON.stringify(json),
    });
    const text = await res.text();
    let body: T | undefined;
    try {
      body = JSON.parse(text) as T;
    } catch {
      body = undefined;
    }
    return { status: res.status, retryAfter: res.headers.get("retry-after"), body };
  } catch {
    return { status: 0, retryAfter: null, body: undefined };
  }
}

/** The actor's EIP-712 signature of a prepared intent. */
export function signIntent(signer: Signer, intent: Intent): Promise<string> {
  const t = intent.typedData;
  return signer.signTypedData(t.domain, t.types, t.message);
}
