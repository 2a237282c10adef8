import { Wallet } from "ethers";
import { SiweMessage } from "siwe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Role } from "../../sdk/src/ledger/types";
import { connectLedger } from "../../sdk/src/ledger/contracts";
import { sessionOf } from "../helpers/gatewayFixtures";
import { eventually, STORES, startTestNetwork, type TestNetwork } from "../helpers/gateways";

/** Posts a SIWE sign-in built from `fields` and signed by `wallet`; returns the HTTP status and body. */
async function signIn(url: string, wallet: Wallet, fields: Partial<SiweMessage> = {}, nonceOverride?: string) {
  const nonce = nonceOverride ?? ((await (await fetch(`${url}/v1/auth/nonce`)).json()) as { nonce: string }).nonce;
  const message = new SiweMessage({
    domain: new URL(url).host,
    address: wallet.address,
    uri: url,
    version: "1",
    chainId: 31337,
    nonce,
    issuedAt: new Date().toISOString(),
    ...fields,
  }).prepareMessage();
  const signature = await wallet.signMessage(message);
  const res = await fetch(`${url}/v1/auth/session`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ message, signature }) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, nonce };
}

describe.each(STORES)("sign-in with Ethereum and sessions (%s)", (store) => {
  let net: TestNetwork;
  let url: string;
  beforeAll(async () => {
    net = await startTestNetwork(store, { codes: ["US", "MX"] });
    url = net.gateways.US!.url;
  });
  afterAll(async () => net?.stop());

  it("opens a session for an account of the gateway's state and reports its roles", async () => {
    const r = await signIn(url, net.consortium.states.US!.agency);
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ state: "US", roles: Role.AGENCY });
  });

  it("refuses a nonce used twice", async () => {
    const first = await signIn(url, net.consortium.states.US!.agency);
    const second = await signIn(url, net.consortium.states.US!.agency, {}, first.nonce);
    expect(second.status).toBe(401);
  });

  it("refuses a message for another domain or another chain", async () => {
    expect((await signIn(url, net.consortium.states.US!.agency, { domain: "evil.example:443" })).status).toBe(401);
    expect((await signIn(url, net.consortium.states.US!.agency, { chainId: 1 })).status).toBe(401);
  });

  it("refuses accounts of another state and accounts of no state with 403", async () => {
    expect((await signIn(url, net.consortium.states.MX!.authority)).status).toBe(403);
    expect((await signIn(url, Wallet.createRandom() as unknown as Wallet)).status).toBe(403);
  });

  it("answers 401 problem+json without a token, with an unknown token, and after sign-out", async () => {
    const none = await fetch(`${url}/v1/requests`);
    expect(none.status).toBe(401);
    expect(none.headers.get("content-type")).toMatch(/application\/problem\+json/);
    const bogus = await fetch(`${url}/v1/requests`, { headers: { authorization: "Bearer " + "A".repeat(43) } });
    expect(bogus.status).toBe(401);
    const session = await sessionOf(net, "US", "agency");
    await fetch(`${url}/v1/auth/session`, { method: "DELETE", headers: { authorization: `Bearer ${session.token}` } });
    expect((await fetch(`${url}/v1/requests`, { headers: { authorization: `Bearer ${session.token}` } })).status).toBe(401);
  });

  it("cuts off an account as soon as its state's authority removes its roles on-chain", async () => {
    const verifier = net.consortium.states.US!.verifier;
    const session = await sessionOf(net, "US", "verifier");
    expect((await fetch(`${url}/v1/requests`, { headers: { authorization: `Bearer ${session.token}` } })).status).toBe(200);
    const consortium = connectLedger(net.consortium.deployment.contracts, net.consortium.states.US!.authority);
    await (await consortium.consortium.setAccountRoles(verifier.address, 0)).wait();
    await eventually(async () => {
      const res = await fetch(`${url}/v1/requests`, { headers: { authorization: `Bearer ${session.token}` } });
      return res.status === 403 ? true : undefined;
    });
  });
});
