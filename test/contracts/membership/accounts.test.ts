/** Accounts and roles, keys and gateway URLs, and the membership views of the Consortium. */
import { describe, it, expect } from "vitest";
import { ZeroAddress, ZeroHash, type Signer } from "ethers";
import { StateStatus } from "../../../sdk/src/ledger/types";
import { expectRevert } from "../../helpers/reverts";
import { FR, foundedConsortium, randomId, useFixture, type Ledger } from "../../helpers/ledger";
import {
  AGENCY,
  ALL_ROLES,
  CA,
  ES,
  GATEWAY,
  MX,
  NO_STATE,
  US,
  VERIFIER,
  addressOf,
  expectEvents,
  pass,
  remove,
  suspend,
} from "./helpers";

const ledger = useFixture(foundedConsortium);

const setRoles = (l: Ledger, caller: Signer, account: string, roles: number) =>
  l.consortium.connect(caller).setAccountRoles(account, roles);

describe("Consortium.setAccountRoles", () => {
  it("adds an unassigned account to the caller's own state", async () => {
    const l = ledger();
    const account = await addressOf(l.strangers[0]!);
    await expectEvents(setRoles(l, l.us.authority, account, AGENCY | GATEWAY), l.consortium, [
      ["AccountRolesChanged", { account, state: US, previousRoles: 0, newRoles: AGENCY | GATEWAY, actor: await addressOf(l.us.authority) }],
    ]);
    expect(await l.consortium.accountOf(account)).toEqual([US, BigInt(AGENCY | GATEWAY)]);
    expect(await l.consortium.requireMember(account, GATEWAY)).toEqual([US, 0n]);
  });

  it("changes the roles of an account of its own state, with the previous and new roles in the event", async () => {
    const l = ledger();
    const account = await addressOf(l.us.agency);
    await expectEvents(setRoles(l, l.us.authority, account, AGENCY | VERIFIER), l.consortium, [
      ["AccountRolesChanged", { account, state: US, previousRoles: AGENCY, newRoles: AGENCY | VERIFIER, actor: await addressOf(l.us.authority) }],
    ]);
    expect(await l.consortium.accountOf(account)).toEqual([US, BigInt(AGENCY | VERIFIER)]);
  });

  it("accepts every role at once (15)", async () => {
    const l = ledger();
    const account = await addressOf(l.strangers[0]!);
    await (await setRoles(l, l.mx.authority, account, ALL_ROLES)).wait();
    expect(await l.consortium.accountOf(account)).toEqual([MX, BigInt(ALL_ROLES)]);
  });

  it("counts a new central authority, which can then act for its state", async () => {
    const l = ledger();
    const [second] = l.strangers as [Signer];
    await (await setRoles(l, l.us.authority, await addressOf(second), CA)).wait();
    expect((await l.consortium.state(US)).authorityCount).toBe(2n);
    const agency = await addressOf(l.us.agency);
    await expectEvents(setRoles(l, second, agency, GATEWAY), l.consortium, [
      ["AccountRolesChanged", { account: agency, state: US, previousRoles: AGENCY, newRoles: GATEWAY, actor: await addressOf(second) }],
    ]);
  });

  it("lets a central authority give up its own role while another one remains", async () => {
    const l = ledger();
    const [second] = l.strangers as [Signer];
    await (await setRoles(l, l.us.authority, await addressOf(second), CA)).wait();
    const first = await addressOf(l.us.authority);
    await expectEvents(setRoles(l, l.us.authority, first, AGENCY), l.consortium, [
      ["AccountRolesChanged", { account: first, state: US, previousRoles: CA, newRoles: AGENCY, actor: first }],
    ]);
    expect((await l.consortium.state(US)).authorityCount).toBe(1n);
    await expectRevert(setRoles(l, l.us.authority, first, CA), "ConsortiumUnauthorizedAccount", [first, CA]);
  });

  it("keeps the authority count when a central authority's other roles change", async () => {
    const l = ledger();
    const ca = await addressOf(l.us.authority);
    await (await setRoles(l, l.us.authority, ca, CA | VERIFIER)).wait();
    expect((await l.consortium.state(US)).authorityCount).toBe(1n);
  });

  it("reports an unchanged assignment with equal previous and new roles", async () => {
    const l = ledger();
    const account = await addressOf(l.us.gateway);
    await expectEvents(setRoles(l, l.us.authority, account, GATEWAY), l.consortium, [
      ["AccountRolesChanged", { account, state: US, previousRoles: GATEWAY, newRoles: GATEWAY, actor: await addressOf(l.us.authority) }],
    ]);
  });

  it("refuses an account of another state (ConsortiumAccountOfOtherState)", async () => {
    const l = ledger();
    const account = await addressOf(l.mx.agency);
    await expectRevert(setRoles(l, l.us.authority, account, AGENCY), "ConsortiumAccountOfOtherState", [account, MX]);
    await expectRevert(setRoles(l, l.us.authority, account, 0), "ConsortiumAccountOfOtherState", [account, MX]);
    const mxAuthority = await addressOf(l.mx.authority);
    await expectRevert(setRoles(l, l.es.authority, mxAuthority, 0), "ConsortiumAccountOfOtherState", [mxAuthority, MX]);
    expect(await l.consortium.accountOf(account)).toEqual([MX, BigInt(AGENCY)]);
  });

  it("refuses the zero address (ConsortiumAccountOfOtherState)", async () => {
    const l = ledger();
    await expectRevert(setRoles(l, l.us.authority, ZeroAddress, AGENCY), "ConsortiumAccountOfOtherState", [ZeroAddress, NO_STATE]);
  });

  it.each([16, 128, 255])("refuses role bits %i (ConsortiumInvalidRoles)", async (roles) => {
    const l = ledger();
    await expectRevert(setRoles(l, l.us.authority, await addressOf(l.us.agency), roles), "ConsortiumInvalidRoles", [roles]);
  });

  it.each([
    ["dropping the role", AGENCY],
    ["releasing the account", 0],
  ])("refuses to leave the state without a central authority by %s (ConsortiumLastAuthority)", async (_, roles) => {
    const l = ledger();
    const ca = await addressOf(l.us.authority);
    await expectRevert(setRoles(l, l.us.authority, ca, roles), "ConsortiumLastAuthority", [US, ca]);
    expect(await l.consortium.accountOf(ca)).toEqual([US, BigInt(CA)]);
  });

  it("releases an account with roles 0, which can then join another state", async () => {
    const l = ledger();
    const account = await addressOf(l.us.agency);
    await expectEvents(setRoles(l, l.us.authority, account, 0), l.consortium, [
      ["AccountRolesChanged", { account, state: US, previousRoles: AGENCY, newRoles: 0, actor: await addressOf(l.us.authority) }],
    ]);
    expect(await l.consortium.accountOf(account)).toEqual([NO_STATE, 0n]);
    await expectRevert(l.consortium.requireMember(account, AGENCY), "ConsortiumUnauthorizedAccount", [account, AGENCY]);
    await expectEvents(setRoles(l, l.mx.authority, account, AGENCY), l.consortium, [
      ["AccountRolesChanged", { account, state: MX, previousRoles: 0, newRoles: AGENCY, actor: await addressOf(l.mx.authority) }],
    ]);
    expect(await l.consortium.requireMember(account, AGENCY)).toEqual([MX, 1n]);
  });

  it("releases a central authority when another remains, lowering the authority count", async () => {
    const l = ledger();
    const [second] = l.strangers as [Signer];
    await (await setRoles(l, l.es.authority, await addressOf(second), CA)).wait();
    const first = await addressOf(l.es.authority);
    await (await setRoles(l, second, first, 0)).wait();
    expect(await l.consortium.accountOf(first)).toEqual([NO_STATE, 0n]);
    expect((await l.consortium.state(ES)).authorityCount).toBe(1n);
  });

  it.each([
    ["agency", "agency"],
    ["gateway", "gateway"],
    ["verifier", "verifier"],
  ] as const)("refuses the state's own %s account (ConsortiumUnauthorizedAccount)", async (_, role) => {
    const l = ledger();
    const caller = l.us[role];
    await expectRevert(setRoles(l, caller, await addressOf(l.strangers[0]!), AGENCY), "ConsortiumUnauthorizedAccount", [
      await addressOf(caller),
      CA,
    ]);
  });

  it("refuses an account that belongs to no state (ConsortiumUnauthorizedAccount)", async () => {
    const l = ledger();
    const stranger = l.strangers[0]!;
    await expectRevert(setRoles(l, stranger, await addressOf(stranger), CA), "ConsortiumUnauthorizedAccount", [await addressOf(stranger), CA]);
  });

  it("refuses the central authority of a suspended state, even for its own accounts (ConsortiumUnexpectedStateStatus)", async () => {
    const l = ledger();
    await pass(l, suspend(ES));
    await expectRevert(setRoles(l, l.es.authority, await addressOf(l.es.agency), 0), "ConsortiumUnexpectedStateStatus", [ES, StateStatus.Suspended]);
    await expectRevert(setRoles(l, l.es.authority, await addressOf(l.strangers[0]!), AGENCY), "ConsortiumUnexpectedStateStatus", [
      ES,
      StateStatus.Suspended,
    ]);
  });

  it("refuses the central authority of a removed state, whose accounts stay bound to it", async () => {
    const l = ledger();
    await pass(l, remove(ES));
    const agency = await addressOf(l.es.agency);
    await expectRevert(setRoles(l, l.es.authority, agency, 0), "ConsortiumUnexpectedStateStatus", [ES, StateStatus.Removed]);
    await expectRevert(setRoles(l, l.us.authority, agency, AGENCY), "ConsortiumAccountOfOtherState", [agency, ES]);
  });
});

describe("Consortium.rotateEncryptionKey", () => {
  it("rotates the caller's state's key to version 2 and keeps version 1 in the history", async () => {
    const l = ledger();
    const key = randomId();
    await expectEvents(l.consortium.connect(l.us.authority).rotateEncryptionKey(key), l.consortium, [
      ["StateKeyRotated", { code: US, version: 2, encryptionKey: key, actor: await addressOf(l.us.authority) }],
    ]);
    const us = await l.consortium.state(US);
    expect(us.keyVersion).toBe(2n);
    expect(us.encryptionKey).toBe(key);
    expect(await l.consortium.encryptionKeyAt(US, 1)).toBe(l.keys.US);
    expect(await l.consortium.encryptionKeyAt(US, 2)).toBe(key);
  });

  it("numbers successive keys and accepts going back to an earlier key as a new version", async () => {
    const l = ledger();
    const c = l.consortium.connect(l.mx.authority);
    const k2 = randomId();
    const k3 = randomId();
    await (await c.rotateEncryptionKey(k2)).wait();
    await (await c.rotateEncryptionKey(k3)).wait();
    await expectEvents(c.rotateEncryptionKey(l.keys.MX!), l.consortium, [
      ["StateKeyRotated", { code: MX, version: 4, encryptionKey: l.keys.MX!, actor: await addressOf(l.mx.authority) }],
    ]);
    const history = await Promise.all([0, 1, 2, 3, 4, 5].map((v) => l.consortium.encryptionKeyAt(MX, v)));
    expect(history).toEqual([ZeroHash, l.keys.MX, k2, k3, l.keys.MX, ZeroHash]);
    expect((await l.consortium.state(MX)).keyVersion).toBe(4n);
  });

  it("changes only the caller's own state", async () => {
    const l = ledger();
    await (await l.consortium.connect(l.es.authority).rotateEncryptionKey(randomId())).wait();
    for (const [code, name] of [
      [US, "US"],
      [MX, "MX"],
    ] as const) {
      const s = await l.consortium.state(code);
      expect([s.keyVersion, s.encryptionKey]).toEqual([1n, l.keys[name]]);
    }
  });

  it("refuses a zero key (ConsortiumInvalidKey)", async () => {
    const l = ledger();
    await expectRevert(l.consortium.connect(l.us.authority).rotateEncryptionKey(ZeroHash), "ConsortiumInvalidKey", [US, ZeroHash]);
  });

  it("refuses the current key (ConsortiumInvalidKey)", async () => {
    const l = ledger();
    await expectRevert(l.consortium.connect(l.us.authority).rotateEncryptionKey(l.keys.US!), "ConsortiumInvalidKey", [US, l.keys.US]);
  });

  it("refuses an account without the CENTRAL_AUTHORITY role (ConsortiumUnauthorizedAccount)", async () => {
    const l = ledger();
    await expectRevert(l.consortium.connect(l.us.gateway).rotateEncryptionKey(randomId()), "ConsortiumUnauthorizedAccount", [
      await addressOf(l.us.gateway),
      CA,
    ]);
  });

  it("refuses the central authority of a suspended state (ConsortiumUnexpectedStateStatus)", async () => {
    const l = ledger();
    await pass(l, suspend(ES));
    await expectRevert(l.consortium.connect(l.es.authority).rotateEncryptionKey(randomId()), "ConsortiumUnexpectedStateStatus", [
      ES,
      StateStatus.Suspended,
    ]);
  });
});

describe("Consortium.encryptionKeyAt", () => {
  it("gives the key held at admission as version 1", async () => {
    const l = ledger();
    expect(await l.consortium.encryptionKeyAt(ES, 1)).toBe(l.keys.ES);
  });

  it("gives zero for version 0, a future version and a state never admitted", async () => {
    const l = ledger();
    expect(await l.consortium.encryptionKeyAt(ES, 0)).toBe(ZeroHash);
    expect(await l.consortium.encryptionKeyAt(ES, 2)).toBe(ZeroHash);
    expect(await l.consortium.encryptionKeyAt(FR, 1)).toBe(ZeroHash);
  });
});

describe("Consortium.setGatewayUrl", () => {
  it("changes the caller's state's gateway URL", async () => {
    const l = ledger();
    const url = "https://mlat.gateway.mx.example/v2";
    await expectEvents(l.consortium.connect(l.mx.authority).setGatewayUrl(url), l.consortium, [
      ["StateGatewayChanged", { code: MX, gatewayUrl: url, actor: await addressOf(l.mx.authority) }],
    ]);
    expect((await l.consortium.state(MX)).gatewayUrl).toBe(url);
    expect((await l.consortium.state(US)).gatewayUrl).toBe("https://gateway.us.example:7101");
  });

  it("accepts a URL of exactly 256 bytes", async () => {
    const l = ledger();
    const url = "https://" + "x".repeat(248);
    await (await l.consortium.connect(l.mx.authority).setGatewayUrl(url)).wait();
    expect((await l.consortium.state(MX)).gatewayUrl).toBe(url);
  });

  it.each([
    ["empty", "", 0],
    ["of 257 bytes", "https://" + "x".repeat(249), 257],
    ["of 257 bytes in UTF-8 (counted in bytes, not characters)", "https://" + "é".repeat(124) + "x", 257],
  ])("refuses a URL %s (ConsortiumInvalidGatewayUrl)", async (_, url, length) => {
    const l = ledger();
    await expectRevert(l.consortium.connect(l.mx.authority).setGatewayUrl(url), "ConsortiumInvalidGatewayUrl", [length]);
  });

  it("refuses an account without the CENTRAL_AUTHORITY role (ConsortiumUnauthorizedAccount)", async () => {
    const l = ledger();
    await expectRevert(l.consortium.connect(l.mx.agency).setGatewayUrl("https://x.example"), "ConsortiumUnauthorizedAccount", [
      await addressOf(l.mx.agency),
      CA,
    ]);
  });

  it("refuses the central authority of a suspended state (ConsortiumUnexpectedStateStatus)", async () => {
    const l = ledger();
    await pass(l, suspend(MX), { voters: [l.es.authority] });
    await expectRevert(l.consortium.connect(l.mx.authority).setGatewayUrl("https://x.example"), "ConsortiumUnexpectedStateStatus", [
      MX,
      StateStatus.Suspended,
    ]);
  });
});

describe("Consortium.state", () => {
  it("reads a founding state's record", async () => {
    const l = ledger();
    const s = await l.consortium.state(MX);
    expect(s.status).toBe(BigInt(StateStatus.Active));
    expect(s.index).toBe(1n);
    expect(s.keyVersion).toBe(1n);
    expect(s.authorityCount).toBe(1n);
    expect(s.admittedAt).toBeGreaterThan(0n);
    expect(s.encryptionKey).toBe(l.keys.MX);
    expect(s.gatewayUrl).toBe("https://gateway.mx.example:7102");
  });

  it("reads a state never admitted as all zero with status None", async () => {
    const l = ledger();
    const s = await l.consortium.state(FR);
    expect([s.status, s.index, s.keyVersion, s.authorityCount, s.admittedAt, s.encryptionKey, s.gatewayUrl]).toEqual([
      0n,
      0n,
      0n,
      0n,
      0n,
      ZeroHash,
      "",
    ]);
  });
});

describe("Consortium.stateCodes", () => {
  it("lists every state ever admitted in admission order, removed ones included", async () => {
    const l = ledger();
    expect(await l.consortium.stateCodes()).toEqual([US, MX, ES]);
    await pass(l, remove(MX), { voters: [l.es.authority] });
    expect(await l.consortium.stateCodes()).toEqual([US, MX, ES]);
  });
});

describe("Consortium.accountOf", () => {
  it("gives each founding account's state and role bits", async () => {
    const l = ledger();
    for (const s of [l.us, l.mx, l.es]) {
      expect(await l.consortium.accountOf(await addressOf(s.authority))).toEqual([s.code, BigInt(CA)]);
      expect(await l.consortium.accountOf(await addressOf(s.agency))).toEqual([s.code, BigInt(AGENCY)]);
      expect(await l.consortium.accountOf(await addressOf(s.gateway))).toEqual([s.code, BigInt(GATEWAY)]);
      expect(await l.consortium.accountOf(await addressOf(s.verifier))).toEqual([s.code, BigInt(VERIFIER)]);
    }
  });

  it("gives no state and no roles for an unassigned account", async () => {
    const l = ledger();
    expect(await l.consortium.accountOf(await addressOf(l.strangers[0]!))).toEqual([NO_STATE, 0n]);
  });
});

describe("Consortium.activeStateCount", () => {
  it("counts the active states only", async () => {
    const l = ledger();
    expect(await l.consortium.activeStateCount()).toBe(3n);
    await pass(l, suspend(ES));
    expect(await l.consortium.activeStateCount()).toBe(2n);
  });
});

describe("Consortium.thresholdBps", () => {
  it("gives the founding threshold", async () => {
    expect(await ledger().consortium.thresholdBps()).toBe(5001n);
  });
});

describe("Consortium.requireMember", () => {
  it("gives the state and admission index of an account holding one of the roles asked", async () => {
    const l = ledger();
    expect(await l.consortium.requireMember(await addressOf(l.es.agency), AGENCY)).toEqual([ES, 2n]);
    expect(await l.consortium.requireMember(await addressOf(l.es.agency), CA | AGENCY)).toEqual([ES, 2n]);
    expect(await l.consortium.requireMember(await addressOf(l.mx.verifier), ALL_ROLES)).toEqual([MX, 1n]);
  });

  it("refuses an account lacking every role asked (ConsortiumUnauthorizedAccount)", async () => {
    const l = ledger();
    const agency = await addressOf(l.es.agency);
    await expectRevert(l.consortium.requireMember(agency, CA | GATEWAY), "ConsortiumUnauthorizedAccount", [agency, CA | GATEWAY]);
  });

  it("refuses when no role is asked (ConsortiumUnauthorizedAccount)", async () => {
    const l = ledger();
    const ca = await addressOf(l.us.authority);
    await expectRevert(l.consortium.requireMember(ca, 0), "ConsortiumUnauthorizedAccount", [ca, 0]);
  });

  it("refuses an account of no state (ConsortiumUnauthorizedAccount)", async () => {
    const l = ledger();
    const stranger = await addressOf(l.strangers[0]!);
    await expectRevert(l.consortium.requireMember(stranger, ALL_ROLES), "ConsortiumUnauthorizedAccount", [stranger, ALL_ROLES]);
  });

  it.each([
    ["suspended", suspend, StateStatus.Suspended],
    ["removed", remove, StateStatus.Removed],
  ] as const)("refuses an account of a %s state (ConsortiumUnexpectedStateStatus)", async (_, make, status) => {
    const l = ledger();
    await pass(l, make(ES));
    await expectRevert(l.consortium.requireMember(await addressOf(l.es.agency), AGENCY), "ConsortiumUnexpectedStateStatus", [ES, status]);
  });
});

describe("Consortium.requireActiveState", () => {
  it("gives the admission index of an active state", async () => {
    const l = ledger();
    expect(await l.consortium.requireActiveState(US)).toBe(0n);
    expect(await l.consortium.requireActiveState(ES)).toBe(2n);
  });

  it("refuses a state never admitted (ConsortiumUnexpectedStateStatus None)", async () => {
    const l = ledger();
    await expectRevert(l.consortium.requireActiveState(FR), "ConsortiumUnexpectedStateStatus", [FR, StateStatus.None]);
  });

  it.each([
    ["suspended", suspend, StateStatus.Suspended],
    ["removed", remove, StateStatus.Removed],
  ] as const)("refuses a %s state (ConsortiumUnexpectedStateStatus)", async (_, make, status) => {
    const l = ledger();
    await pass(l, make(ES));
    await expectRevert(l.consortium.requireActiveState(ES), "ConsortiumUnexpectedStateStatus", [ES, status]);
  });
});
