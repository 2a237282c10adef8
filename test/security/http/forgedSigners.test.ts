/**
 * Unauthenticated callers can make a gateway look up any address on the chain: a peer push signed by a
 * key of no state, a SIWE message signed by a fresh key. Each such call must be refused with a problem
 * document, store nothing, and leave the gateway's membership cache as it was: a cache that kept every
 * address looked up would grow without bound at the rate anyone can send requests.
 */
import { randomBytes } from "node:crypto";
import { Wallet } from "ethers";
import { SiweMessage } from "siwe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { peerPushMessage } from "../../../gateway/src/peer/message";
import { sessionOf } from "../../helpers/gatewayFixtures";
import { STORES, startTestNetwork, type TestNetwork } from "../../helpers/gateways";
import { storeCensus } from "../../helpers/storeCensus";

const FORGERIES = 120;
const freshKey = () => new Wallet("0x" + randomBytes(32).toString("hex"));

describe.each(STORES)("callers signing with keys of no state (%s)", (store) => {
  let net: TestNetwork;
  let url: string;

  beforeAll(async () => {
    net = await startTestNetwork(store, { codes: ["US", "MX"], overrides: { rateLimitPerMinute: 0 } });
    url = net.gateways.US!.url;
    // Warm the cache with the accounts a gateway legitimately looks up.
    await sessionOf(net, "US");
  });
  afterAll(async () => net?.stop());

  const census = () => storeCensus(net.gateways.US!.ctx.store.db, net.configs.US!.blobDir!, net.configs.US!.storeSchema);
  const expectForbidden = async (res: Response) => {
    expect(res.status).toBe(403);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/\w{3,}/);
  };

  it(`refuses ${FORGERIES} peer pushes signed by fresh keys (403), stores nothing, and does not grow the membership cache`, async () => {
    const before = await census();
    const cached = net.gateways.US!.memberships.size;
    for (let i = 0; i < FORGERIES; i++) {
      const digest = "0x" + randomBytes(32).toString("hex");
      const signature = await freshKey().signMessage(peerPushMessage(digest, "US"));
      const res = await fetch(`${url}/v1/peer/blobs/${digest}`, {
        method: "PUT",
        headers: { "content-type": "application/octet-stream", "x-mlat-from-state": "MX", "x-mlat-signature": signature },
        body: randomBytes(64),
      });
      await expectForbidden(res);
    }
    expect(net.gateways.US!.memberships.size).toBe(cached);
    expect(await census()).toEqual(before);
  });

  it(`refuses ${FORGERIES} SIWE sign-ins by fresh keys (403), opens no session, and does not grow the membership cache`, async () => {
    const before = await census();
    const cached = net.gateways.US!.memberships.size;
    const { chainId } = (await (await fetch(`${url}/v1/info`)).json()) as { chainId: number };
    for (let i = 0; i < FORGERIES; i++) {
      const key = freshKey();
      const { nonce } = (await (await fetch(`${url}/v1/auth/nonce`)).json()) as { nonce: string };
      const message = new SiweMessage({ domain: new URL(url).host, address: key.address, uri: url, version: "1", chainId, nonce, issuedAt: new Date().toISOString() }).prepareMessage();
      const res = await fetch(`${url}/v1/auth/session`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ message, signature: await key.signMessage(message) }),
      });
      await expectForbidden(res);
    }
    expect(net.gateways.US!.memberships.size).toBe(cached);
    // Each nonce was used by its attempt: nothing left behind, no session opened.
    expect(await census()).toEqual(before);
  });

  it("still admits and caches the state's own accounts", async () => {
    const session = await sessionOf(net, "US", "agency");
    expect(session.state).toBe("US");
    expect(net.gateways.US!.memberships.size).toBeGreaterThan(0);
  });
});
