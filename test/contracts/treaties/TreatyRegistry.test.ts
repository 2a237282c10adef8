/**
 * The TreatyRegistry: founding treaties (constructor), registration, ratification and denunciation, and
 * the views a request submission relies on.
 */
import hre from "hardhat";
import { describe, it, expect } from "vitest";
import { ZeroAddress, ZeroHash, type Signer } from "ethers";
import { TreatyRegistry__factory } from "../../../typechain-types";
import type { ITreatyRegistry } from "../../../typechain-types/contracts/treaties/TreatyRegistry";
import { ALL_ASSISTANCE_TYPES, Priority, RequestStatus, StateStatus, assistanceMask } from "../../../sdk/src/ledger/types";
import { expectRevert } from "../../helpers/reverts";
import {
  ACK_WITHIN,
  BANK_AND_ELECTRONIC,
  BILATERAL_SCOPE,
  DAY,
  ES,
  FR,
  MX,
  RESPOND_WITHIN,
  US,
  digest,
  foundedConsortium,
  latestTimestamp,
  randomId,
  submittedRequest,
  useFixture,
  type Ledger,
} from "../../helpers/ledger";
import { CA, NO_STATE, addressOf, admit, expectEvents, foundingTreaty, pass, remove, suspend } from "../membership/helpers";

const ledger = useFixture(foundedConsortium);

async function deploy(l: Ledger, treaties: ITreatyRegistry.FoundingTreatyStruct[]) {
  const [deployer] = await hre.ethers.getSigners();
  return new TreatyRegistry__factory(deployer).deploy(await l.forwarder.getAddress(), await l.consortium.getAddress(), treaties);
}

describe("TreatyRegistry.constructor", () => {
  it("registers the founding treaties and the founding ratifications, with no registering state or actor", async () => {
    const l = ledger();
    const bilateral = foundingTreaty({ parties: [US, MX], ratifiedBy: [MX, US], scope: 0b110 });
    const open = foundingTreaty({ ratifiedBy: [ES] });
    const registry = await deploy(l, [bilateral, open]);
    await registry.waitForDeployment();
    const terms = (t: ITreatyRegistry.FoundingTreatyStruct) => ({
      treatyId: t.treatyId,
      registeredBy: NO_STATE,
      actor: ZeroAddress,
      documentDigest: t.documentDigest,
      scope: t.scope,
      acknowledgeWithin: t.acknowledgeWithin,
      respondWithin: t.respondWithin,
      parties: t.parties,
    });
    await expectEvents(registry.deploymentTransaction(), registry, [
      ["TreatyRegistered", terms(bilateral)],
      ["TreatyRatified", { treatyId: bilateral.treatyId, state: MX, actor: ZeroAddress }],
      ["TreatyRatified", { treatyId: bilateral.treatyId, state: US, actor: ZeroAddress }],
      ["TreatyRegistered", terms(open)],
      ["TreatyRatified", { treatyId: open.treatyId, state: ES, actor: ZeroAddress }],
    ]);
    const t = await registry.treaty(bilateral.treatyId);
    expect([t.registeredBy, t.scope, t.acknowledgeWithin, t.respondWithin, t.registeredAt, t.documentDigest, t.partiesMask, t.ratifiedMask]).toEqual([
      NO_STATE,
      0b110n,
      BigInt(5 * DAY),
      BigInt(90 * DAY),
      BigInt(await latestTimestamp()),
      bilateral.documentDigest,
      0b011n,
      0b011n,
    ]);
    expect((await registry.treaty(open.treatyId)).partiesMask).toBe(0n);
    expect((await registry.treaty(open.treatyId)).ratifiedMask).toBe(0b100n);
    expect(await registry.consortium()).toBe(await l.consortium.getAddress());
  });

  it("deploys without founding treaties", async () => {
    const l = ledger();
    const registry = await deploy(l, []);
    await expectEvents(registry.deploymentTransaction(), registry, []);
  });

  it("matches the fixture's founding treaties (US–MX MLAT and UNTOC)", async () => {
    const l = ledger();
    const bilateral = await l.treaties.treaty(l.bilateral);
    expect([bilateral.scope, bilateral.acknowledgeWithin, bilateral.respondWithin, bilateral.partiesMask, bilateral.ratifiedMask]).toEqual([
      BigInt(assistanceMask(BILATERAL_SCOPE)),
      BigInt(ACK_WITHIN),
      BigInt(RESPOND_WITHIN),
      0b011n,
      0b011n,
    ]);
    const untoc = await l.treaties.treaty(l.untoc);
    expect([untoc.partiesMask, untoc.ratifiedMask]).toEqual([0n, 0b111n]);
  });

  const id = randomId();
  it.each([
    ["a zero id", () => foundingTreaty({ treatyId: ZeroHash }), "TreatyInvalidTerms", [ZeroHash]],
    ["a zero scope", () => foundingTreaty({ treatyId: id, scope: 0 }), "TreatyInvalidTerms", [id]],
    ["a zero acknowledgement time", () => foundingTreaty({ treatyId: id, acknowledgeWithin: 0 }), "TreatyInvalidTerms", [id]],
    ["a zero response time", () => foundingTreaty({ treatyId: id, respondWithin: 0 }), "TreatyInvalidTerms", [id]],
    ["a single party", () => foundingTreaty({ treatyId: id, parties: [US] }), "TreatyInvalidParties", [id]],
    ["a party named twice", () => foundingTreaty({ treatyId: id, parties: [US, MX, US] }), "TreatyInvalidParties", [id]],
    ["a party never admitted", () => foundingTreaty({ treatyId: id, parties: [US, FR] }), "ConsortiumUnexpectedStateStatus", [FR, StateStatus.None]],
    ["a ratification by a state that is not a party", () => foundingTreaty({ treatyId: id, parties: [US, MX], ratifiedBy: [US, ES] }), "TreatyNotParty", [id, ES]],
    ["a ratification listed twice", () => foundingTreaty({ treatyId: id, ratifiedBy: [US, MX, US] }), "TreatyRatificationState", [id, US, true]],
    ["a ratification by a state never admitted", () => foundingTreaty({ treatyId: id, ratifiedBy: [FR] }), "ConsortiumUnexpectedStateStatus", [FR, StateStatus.None]],
  ] as const)("refuses a founding treaty with %s (%s)", async (_, make, error, args) => {
    await expectRevert(deploy(ledger(), [make()]), error, [...args]);
  });

  it("refuses a founding treaty id used twice (TreatyExists)", async () => {
    const t = foundingTreaty();
    await expectRevert(deploy(ledger(), [t, foundingTreaty({ treatyId: t.treatyId })]), "TreatyExists", [t.treatyId]);
  });

  it.each([
    ["party", (t: string) => foundingTreaty({ treatyId: t, parties: [US, ES] })],
    ["ratifying state", (t: string) => foundingTreaty({ treatyId: t, ratifiedBy: [ES] })],
  ])("refuses a suspended %s (ConsortiumUnexpectedStateStatus)", async (_, make) => {
    const l = ledger();
    await pass(l, suspend(ES));
    await expectRevert(deploy(l, [make(randomId())]), "ConsortiumUnexpectedStateStatus", [ES, StateStatus.Suspended]);
  });
});

interface Terms {
  treatyId: string;
  documentDigest: string;
  scope: number;
  acknowledgeWithin: number;
  respondWithin: number;
  parties: string[];
}
const terms = (extra: Partial<Terms> = {}): Terms => ({
  treatyId: randomId(),
  documentDigest: digest(),
  scope: 0b1011,
  acknowledgeWithin: 3 * DAY,
  respondWithin: 30 * DAY,
  parties: [],
  ...extra,
});
const register = (l: Ledger, who: Signer, t: Terms) =>
  l.treaties.connect(who).registerTreaty(t.treatyId, t.documentDigest, t.scope, t.acknowledgeWithin, t.respondWithin, t.parties);

describe("TreatyRegistry.registerTreaty", () => {
  it("registers an open treaty without ratifying it", async () => {
    const l = ledger();
    const t = terms();
    const { treatyId, ...rest } = t;
    await expectEvents(register(l, l.mx.authority, t), l.treaties, [
      ["TreatyRegistered", { treatyId, registeredBy: MX, actor: await addressOf(l.mx.authority), ...rest }],
    ]);
    const stored = await l.treaties.treaty(treatyId);
    expect([stored.registeredBy, stored.scope, stored.acknowledgeWithin, stored.respondWithin, stored.registeredAt, stored.documentDigest, stored.partiesMask, stored.ratifiedMask]).toEqual([
      MX,
      BigInt(t.scope),
      BigInt(t.acknowledgeWithin),
      BigInt(t.respondWithin),
      BigInt(await latestTimestamp()),
      t.documentDigest,
      0n,
      0n,
    ]);
    expect(await l.treaties.hasRatified(treatyId, MX)).toBe(false);
  });

  it("registers a bilateral treaty with its parties as a bit set over admission indexes", async () => {
    const l = ledger();
    const t = terms({ parties: [ES, MX] });
    const { treatyId, ...rest } = t;
    await expectEvents(register(l, l.es.authority, t), l.treaties, [
      ["TreatyRegistered", { treatyId, registeredBy: ES, actor: await addressOf(l.es.authority), ...rest }],
    ]);
    expect((await l.treaties.treaty(treatyId)).partiesMask).toBe(0b110n);
  });

  it("lets a state register a treaty between other states (it binds nobody until ratified)", async () => {
    const l = ledger();
    const t = terms({ parties: [US, MX] });
    await (await register(l, l.es.authority, t)).wait();
    const stored = await l.treaties.treaty(t.treatyId);
    expect([stored.registeredBy, stored.partiesMask, stored.ratifiedMask]).toEqual([ES, 0b011n, 0n]);
  });

  it("registers a multilateral treaty of three parties", async () => {
    const l = ledger();
    const t = terms({ parties: [US, MX, ES] });
    await (await register(l, l.us.authority, t)).wait();
    expect((await l.treaties.treaty(t.treatyId)).partiesMask).toBe(0b111n);
  });

  it.each([
    ["a zero id", { treatyId: ZeroHash }],
    ["a zero scope", { scope: 0 }],
    ["a zero acknowledgement time", { acknowledgeWithin: 0 }],
    ["a zero response time", { respondWithin: 0 }],
  ])("refuses %s (TreatyInvalidTerms)", async (_, extra) => {
    const l = ledger();
    const t = terms(extra);
    await expectRevert(register(l, l.us.authority, t), "TreatyInvalidTerms", [t.treatyId]);
  });

  it.each([
    ["a single party", [US]],
    ["a party named twice", [US, MX, US]],
    ["the same party twice only", [MX, MX]],
  ])("refuses %s (TreatyInvalidParties)", async (_, parties) => {
    const l = ledger();
    const t = terms({ parties });
    await expectRevert(register(l, l.us.authority, t), "TreatyInvalidParties", [t.treatyId]);
  });

  it("refuses a party never admitted (ConsortiumUnexpectedStateStatus None)", async () => {
    const l = ledger();
    await expectRevert(register(l, l.us.authority, terms({ parties: [US, FR] })), "ConsortiumUnexpectedStateStatus", [FR, StateStatus.None]);
  });

  it.each([
    ["suspended", suspend, StateStatus.Suspended],
    ["removed", remove, StateStatus.Removed],
  ] as const)("refuses a %s party (ConsortiumUnexpectedStateStatus)", async (_, make, status) => {
    const l = ledger();
    await pass(l, make(ES));
    await expectRevert(register(l, l.us.authority, terms({ parties: [US, ES] })), "ConsortiumUnexpectedStateStatus", [ES, status]);
  });

  it("refuses an id already registered, by any state (TreatyExists)", async () => {
    const l = ledger();
    const t = terms();
    await (await register(l, l.us.authority, t)).wait();
    await expectRevert(register(l, l.us.authority, t), "TreatyExists", [t.treatyId]);
    await expectRevert(register(l, l.mx.authority, terms({ treatyId: t.treatyId, parties: [US, MX] })), "TreatyExists", [t.treatyId]);
  });

  it("refuses the id of a founding treaty (TreatyExists)", async () => {
    const l = ledger();
    await expectRevert(register(l, l.es.authority, terms({ treatyId: l.untoc })), "TreatyExists", [l.untoc]);
  });

  it.each([
    ["agency", "agency"],
    ["gateway", "gateway"],
    ["verifier", "verifier"],
  ] as const)("refuses a state's %s account (ConsortiumUnauthorizedAccount)", async (_, role) => {
    const l = ledger();
    await expectRevert(register(l, l.us[role], terms()), "ConsortiumUnauthorizedAccount", [await addressOf(l.us[role]), CA]);
  });

  it("refuses an account of no state (ConsortiumUnauthorizedAccount)", async () => {
    const l = ledger();
    await expectRevert(register(l, l.strangers[0]!, terms()), "ConsortiumUnauthorizedAccount", [await addressOf(l.strangers[0]!), CA]);
  });

  it("refuses the central authority of a suspended state (ConsortiumUnexpectedStateStatus)", async () => {
    const l = ledger();
    await pass(l, suspend(ES));
    await expectRevert(register(l, l.es.authority, terms()), "ConsortiumUnexpectedStateStatus", [ES, StateStatus.Suspended]);
  });
});

/** Registers a treaty (scope: every type) between `parties` (open if empty), ratified by nobody. */
async function registered(l: Ledger, parties: string[] = []): Promise<string> {
  const id = randomId();
  await (await l.treaties.connect(l.us.authority).registerTreaty(id, digest(), 0xfff, 86_400, 86_400 * 30, parties)).wait();
  return id;
}
const ratify = (l: Ledger, who: Signer, id: string) => l.treaties.connect(who).ratify(id);
const denounce = (l: Ledger, who: Signer, id: string) => l.treaties.connect(who).denounce(id);

describe("TreatyRegistry.ratify", () => {
  it("ratifies an open treaty on behalf of the caller's state", async () => {
    const l = ledger();
    const id = await registered(l);
    await expectEvents(ratify(l, l.es.authority, id), l.treaties, [
      ["TreatyRatified", { treatyId: id, state: ES, actor: await addressOf(l.es.authority) }],
    ]);
    expect(await l.treaties.hasRatified(id, ES)).toBe(true);
    expect(await l.treaties.hasRatified(id, US)).toBe(false);
    expect((await l.treaties.treaty(id)).ratifiedMask).toBe(0b100n);
  });

  it("ratifies a closed treaty for a party", async () => {
    const l = ledger();
    const id = await registered(l, [MX, ES]);
    await (await ratify(l, l.mx.authority, id)).wait();
    await (await ratify(l, l.es.authority, id)).wait();
    expect((await l.treaties.treaty(id)).ratifiedMask).toBe(0b110n);
  });

  it("refuses a state that is not a party of a closed treaty (TreatyNotParty)", async () => {
    const l = ledger();
    await expectRevert(ratify(l, l.es.authority, l.bilateral), "TreatyNotParty", [l.bilateral, ES]);
    const id = await registered(l, [MX, ES]);
    await expectRevert(ratify(l, l.us.authority, id), "TreatyNotParty", [id, US]);
  });

  it("refuses a second ratification (TreatyRatificationState)", async () => {
    const l = ledger();
    await expectRevert(ratify(l, l.us.authority, l.bilateral), "TreatyRatificationState", [l.bilateral, US, true]);
    const id = await registered(l);
    await (await ratify(l, l.mx.authority, id)).wait();
    await expectRevert(ratify(l, l.mx.authority, id), "TreatyRatificationState", [id, MX, true]);
  });

  it("accepts a new ratification after a denunciation", async () => {
    const l = ledger();
    await (await denounce(l, l.es.authority, l.untoc)).wait();
    await expectEvents(ratify(l, l.es.authority, l.untoc), l.treaties, [
      ["TreatyRatified", { treatyId: l.untoc, state: ES, actor: await addressOf(l.es.authority) }],
    ]);
    expect(await l.treaties.hasRatified(l.untoc, ES)).toBe(true);
  });

  it("opens an open treaty to states admitted later", async () => {
    const l = ledger();
    const [fr] = l.strangers as [Signer];
    await pass(l, admit(FR, await addressOf(fr)));
    await (await ratify(l, fr, l.untoc)).wait();
    expect((await l.treaties.treaty(l.untoc)).ratifiedMask).toBe(0b1111n);
  });

  it("refuses an unknown treaty (TreatyUnknown)", async () => {
    const l = ledger();
    const id = randomId();
    await expectRevert(ratify(l, l.us.authority, id), "TreatyUnknown", [id]);
  });

  it.each([
    ["agency", "agency"],
    ["gateway", "gateway"],
    ["verifier", "verifier"],
  ] as const)("refuses a party's %s account (ConsortiumUnauthorizedAccount)", async (_, role) => {
    const l = ledger();
    const id = await registered(l);
    await expectRevert(ratify(l, l.mx[role], id), "ConsortiumUnauthorizedAccount", [await addressOf(l.mx[role]), CA]);
  });

  it("refuses the central authority of a suspended party (ConsortiumUnexpectedStateStatus)", async () => {
    const l = ledger();
    const id = await registered(l, [US, ES]);
    await pass(l, suspend(ES));
    await expectRevert(ratify(l, l.es.authority, id), "ConsortiumUnexpectedStateStatus", [ES, StateStatus.Suspended]);
  });
});

describe("TreatyRegistry.denounce", () => {
  it("withdraws the caller's state's ratification", async () => {
    const l = ledger();
    await expectEvents(denounce(l, l.mx.authority, l.untoc), l.treaties, [
      ["TreatyDenounced", { treatyId: l.untoc, state: MX, actor: await addressOf(l.mx.authority) }],
    ]);
    expect(await l.treaties.hasRatified(l.untoc, MX)).toBe(false);
    expect((await l.treaties.treaty(l.untoc)).ratifiedMask).toBe(0b101n);
  });

  it.each([
    ["requesting", () => ledger().us.authority, US],
    ["requested", () => ledger().mx.authority, MX],
  ])("makes a new request under the treaty fail once the %s state denounced it (TreatyNotRatified)", async (_, who, code) => {
    const l = ledger();
    await (await denounce(l, who(), l.bilateral)).wait();
    const requestId = randomId();
    await expectRevert(
      l.requests.connect(l.us.authority).submitRequest({
        requestId,
        requestedState: MX,
        treatyId: l.bilateral,
        assistanceTypes: BANK_AND_ELECTRONIC,
        priority: Priority.Routine,
        documentDigest: digest(),
        respondBy: 0,
      }),
      "TreatyNotRatified",
      [l.bilateral, code],
    );
  });

  it("leaves requests already made under the treaty unaffected", async () => {
    const l = ledger();
    const { requestId } = await submittedRequest(l);
    await (await denounce(l, l.mx.authority, l.bilateral)).wait();
    await (await l.requests.connect(l.mx.authority).acknowledge(requestId, digest())).wait();
    expect((await l.requests.request(requestId)).status).toBe(BigInt(RequestStatus.Acknowledged));
  });

  it("refuses a treaty the state has not ratified (TreatyRatificationState)", async () => {
    const l = ledger();
    const id = await registered(l);
    await expectRevert(denounce(l, l.us.authority, id), "TreatyRatificationState", [id, US, false]);
    await expectRevert(denounce(l, l.es.authority, l.bilateral), "TreatyRatificationState", [l.bilateral, ES, false]);
  });

  it("refuses a second denunciation (TreatyRatificationState)", async () => {
    const l = ledger();
    await (await denounce(l, l.es.authority, l.untoc)).wait();
    await expectRevert(denounce(l, l.es.authority, l.untoc), "TreatyRatificationState", [l.untoc, ES, false]);
  });

  it("refuses an unknown treaty (TreatyUnknown)", async () => {
    const l = ledger();
    const id = randomId();
    await expectRevert(denounce(l, l.us.authority, id), "TreatyUnknown", [id]);
  });

  it("refuses an account without the CENTRAL_AUTHORITY role (ConsortiumUnauthorizedAccount)", async () => {
    const l = ledger();
    await expectRevert(denounce(l, l.us.agency, l.untoc), "ConsortiumUnauthorizedAccount", [await addressOf(l.us.agency), CA]);
  });

  it("refuses the central authority of a suspended state, whose ratification stays (ConsortiumUnexpectedStateStatus)", async () => {
    const l = ledger();
    await pass(l, suspend(ES));
    await expectRevert(denounce(l, l.es.authority, l.untoc), "ConsortiumUnexpectedStateStatus", [ES, StateStatus.Suspended]);
    expect(await l.treaties.hasRatified(l.untoc, ES)).toBe(true);
  });
});

const BILATERAL = assistanceMask(BILATERAL_SCOPE);
const [iUS, iMX, iES] = [0, 1, 2];

describe("TreatyRegistry.treaty", () => {
  it("reads a founding treaty's record", async () => {
    const l = ledger();
    const t = await l.treaties.treaty(l.bilateral);
    expect(t.registeredBy).toBe(NO_STATE);
    expect(t.scope).toBe(BigInt(BILATERAL));
    expect(t.acknowledgeWithin).toBe(BigInt(ACK_WITHIN));
    expect(t.respondWithin).toBe(BigInt(RESPOND_WITHIN));
    expect(t.registeredAt).toBeGreaterThan(0n);
    expect(t.documentDigest).not.toBe(ZeroHash);
    expect(t.partiesMask).toBe(0b011n);
    expect(t.ratifiedMask).toBe(0b011n);
  });

  it("reads an unknown treaty as all zero", async () => {
    const l = ledger();
    const t = await l.treaties.treaty(randomId());
    expect([t.registeredBy, t.scope, t.acknowledgeWithin, t.respondWithin, t.registeredAt, t.documentDigest, t.partiesMask, t.ratifiedMask]).toEqual([
      NO_STATE,
      0n,
      0n,
      0n,
      0n,
      ZeroHash,
      0n,
      0n,
    ]);
  });
});

describe("TreatyRegistry.hasRatified", () => {
  it("tells which states ratified a treaty", async () => {
    const l = ledger();
    expect(await l.treaties.hasRatified(l.bilateral, US)).toBe(true);
    expect(await l.treaties.hasRatified(l.bilateral, MX)).toBe(true);
    expect(await l.treaties.hasRatified(l.bilateral, ES)).toBe(false);
  });

  it("is false for a state never admitted (even if index 0's bit is set) and for an unknown treaty", async () => {
    const l = ledger();
    expect(await l.treaties.hasRatified(l.bilateral, FR)).toBe(false);
    expect(await l.treaties.hasRatified(l.bilateral, NO_STATE)).toBe(false);
    expect(await l.treaties.hasRatified(randomId(), US)).toBe(false);
  });

  it("keeps reporting the ratification of a suspended or removed state", async () => {
    const l = ledger();
    await pass(l, suspend(ES));
    expect(await l.treaties.hasRatified(l.untoc, ES)).toBe(true);
    await pass(l, remove(ES));
    expect(await l.treaties.hasRatified(l.untoc, ES)).toBe(true);
  });
});

describe("TreatyRegistry.requireTerms", () => {
  it("gives the time limits when both states ratified and the types are inside the scope", async () => {
    const l = ledger();
    expect(await l.treaties.requireTerms(l.bilateral, US, iUS, MX, iMX, BANK_AND_ELECTRONIC)).toEqual([BigInt(ACK_WITHIN), BigInt(RESPOND_WITHIN)]);
    expect(await l.treaties.requireTerms(l.bilateral, MX, iMX, US, iUS, BILATERAL)).toEqual([BigInt(ACK_WITHIN), BigInt(RESPOND_WITHIN)]);
    expect(await l.treaties.requireTerms(l.untoc, ES, iES, US, iUS, ALL_ASSISTANCE_TYPES)).toEqual([BigInt(10 * DAY), BigInt(180 * DAY)]);
  });

  it("refuses an unknown treaty (TreatyUnknown)", async () => {
    const l = ledger();
    const id = randomId();
    await expectRevert(l.treaties.requireTerms(id, US, iUS, MX, iMX, 1), "TreatyUnknown", [id]);
  });

  it("refuses when the first state has not ratified (TreatyNotRatified)", async () => {
    const l = ledger();
    await expectRevert(l.treaties.requireTerms(l.bilateral, ES, iES, US, iUS, 1), "TreatyNotRatified", [l.bilateral, ES]);
  });

  it("refuses when the second state has not ratified (TreatyNotRatified)", async () => {
    const l = ledger();
    await expectRevert(l.treaties.requireTerms(l.bilateral, US, iUS, ES, iES, 1), "TreatyNotRatified", [l.bilateral, ES]);
  });

  it("refuses assistance types outside the scope (TreatyOutsideScope)", async () => {
    const l = ledger();
    const freezing = assistanceMask(["FREEZING_OF_ASSETS"]);
    await expectRevert(l.treaties.requireTerms(l.bilateral, US, iUS, MX, iMX, BANK_AND_ELECTRONIC | freezing), "TreatyOutsideScope", [
      l.bilateral,
      BILATERAL,
      BANK_AND_ELECTRONIC | freezing,
    ]);
    const beyond = 2 ** 31;
    await expectRevert(l.treaties.requireTerms(l.untoc, US, iUS, MX, iMX, beyond), "TreatyOutsideScope", [l.untoc, ALL_ASSISTANCE_TYPES, beyond]);
  });

  it("refuses an empty set of assistance types (TreatyOutsideScope)", async () => {
    const l = ledger();
    await expectRevert(l.treaties.requireTerms(l.bilateral, US, iUS, MX, iMX, 0), "TreatyOutsideScope", [l.bilateral, BILATERAL, 0]);
  });

  it("is what a request submission relies on: a type outside the scope is refused there too", async () => {
    const l = ledger();
    const types = assistanceMask(["CONFISCATION"]);
    await expectRevert(
      l.requests.connect(l.us.authority).submitRequest({
        requestId: randomId(),
        requestedState: MX,
        treatyId: l.bilateral,
        assistanceTypes: types,
        priority: Priority.Routine,
        documentDigest: digest(),
        respondBy: 0,
      }),
      "TreatyOutsideScope",
      [l.bilateral, BILATERAL, types],
    );
  });

  it("is what a request submission relies on: a requested state that has not ratified is refused", async () => {
    const l = ledger();
    await expectRevert(
      l.requests.connect(l.us.authority).submitRequest({
        requestId: randomId(),
        requestedState: ES,
        treatyId: l.bilateral,
        assistanceTypes: BANK_AND_ELECTRONIC,
        priority: Priority.Routine,
        documentDigest: digest(),
        respondBy: 0,
      }),
      "TreatyNotRatified",
      [l.bilateral, ES],
    );
  });
});
