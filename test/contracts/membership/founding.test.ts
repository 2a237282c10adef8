/**
 * Founding and capacity of the Consortium.
 *
 * Founding: the constructor is the only privileged step. Its tests deploy through the typechain factory
 * (no fixture: there is nothing to share).
 *
 * Capacity: a state's admission index is one byte (treaty ratifications are a 256-bit set), so at most
 * MAX_STATES states are ever admitted. One full consortium is built once for that describe: 64 founding
 * states (the founding transaction's init code is bounded by EIP-3860, about 100 states), then 192
 * admissions passed by the first state alone under a 1-basis-point threshold.
 */
import hre from "hardhat";
import { describe, it, expect, beforeAll } from "vitest";
import { ZeroAddress, ZeroHash, getAddress, hexlify, randomBytes, type Signer } from "ethers";
import { Consortium__factory, TreatyRegistry__factory, type Consortium, type TreatyRegistry } from "../../../typechain-types";
import type { IConsortium } from "../../../typechain-types/contracts/membership/Consortium";
import { StateStatus } from "../../../sdk/src/ledger/types";
import { toStateBytes } from "../../../sdk/src/ledger/stateCode";
import { expectRevert } from "../../helpers/reverts";
import { latestTimestamp, randomId, useFixture } from "../../helpers/ledger";
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
  admit,
  expectEvents,
  foundingState,
  keyOf,
  proposalIdOf,
  propose,
  type ProposalParams,
} from "./helpers";

type Founders = IConsortium.FoundingStateStruct[];

let deployer: Signer;
let factory: Consortium__factory;
/** Ten addresses that belong to no state yet. */
let a: string[];
const FORWARDER = "0x000000000000000000000000000000000000f0f0";

beforeAll(async () => {
  const signers = await hre.ethers.getSigners();
  deployer = signers[0]!;
  factory = new Consortium__factory(deployer);
  a = await Promise.all(signers.slice(1, 11).map((s) => s.getAddress()));
});

const deploy = (founders: Founders, thresholdBps = 5001) => factory.deploy(FORWARDER, founders, thresholdBps);

describe("Consortium.constructor", () => {
  it("admits the founding states in order, with key version 1, their accounts and the threshold", async () => {
    const founders: Founders = [
      foundingState(US, a[0]!, {
        accounts: [
          { account: a[0]!, roles: CA },
          { account: a[1]!, roles: AGENCY | VERIFIER },
        ],
      }),
      foundingState(MX, a[2]!),
      foundingState(ES, a[3]!, {
        accounts: [
          { account: a[3]!, roles: CA | GATEWAY },
          { account: a[4]!, roles: CA },
        ],
      }),
    ];
    const consortium = await deploy(founders, 6667);
    await consortium.waitForDeployment();
    const now = await latestTimestamp();
    const by = await deployer.getAddress();
    const admitted = (code: string, index: number) =>
      ["StateAdmitted", { code, index, encryptionKey: keyOf(code), gatewayUrl: `https://gateway.${code}.example`, proposalId: ZeroHash }] as const;
    const roles = (account: string, state: string, newRoles: number) =>
      ["AccountRolesChanged", { account, state, previousRoles: 0, newRoles, actor: by }] as const;
    await expectEvents(consortium.deploymentTransaction(), consortium, [
      ["ThresholdChanged", { previousBps: 0, newBps: 6667, proposalId: ZeroHash }],
      admitted(US, 0),
      roles(a[0]!, US, CA),
      roles(a[1]!, US, AGENCY | VERIFIER),
      admitted(MX, 1),
      roles(a[2]!, MX, CA),
      admitted(ES, 2),
      roles(a[3]!, ES, CA | GATEWAY),
      roles(a[4]!, ES, CA),
    ]);

    expect(await consortium.stateCodes()).toEqual([US, MX, ES]);
    expect(await consortium.activeStateCount()).toBe(3n);
    expect(await consortium.thresholdBps()).toBe(6667n);
    expect(await consortium.requiredVotes()).toBe(3n);
    const es = await consortium.state(ES);
    expect(es.status).toBe(BigInt(StateStatus.Active));
    expect(es.index).toBe(2n);
    expect(es.keyVersion).toBe(1n);
    expect(es.authorityCount).toBe(2n);
    expect(es.admittedAt).toBe(BigInt(now));
    expect(es.encryptionKey).toBe(keyOf(ES));
    expect(es.gatewayUrl).toBe(`https://gateway.${ES}.example`);
    expect(await consortium.encryptionKeyAt(ES, 1)).toBe(keyOf(ES));
    expect((await consortium.state(US)).authorityCount).toBe(1n);
    expect(await consortium.accountOf(a[1]!)).toEqual([US, BigInt(AGENCY | VERIFIER)]);
    expect(await consortium.accountOf(a[4]!)).toEqual([ES, BigInt(CA)]);
    expect(await consortium.accountOf(a[9]!)).toEqual([NO_STATE, 0n]);
  });

  it("founds a consortium of one state with every role on one account and a 256-byte gateway URL", async () => {
    const url = "https://" + "g".repeat(256 - 8);
    const consortium = await deploy([foundingState(US, a[0]!, { gatewayUrl: url, accounts: [{ account: a[0]!, roles: ALL_ROLES }] })], 10_000);
    expect((await consortium.state(US)).gatewayUrl).toBe(url);
    expect(await consortium.accountOf(a[0]!)).toEqual([US, BigInt(ALL_ROLES)]);
    expect(await consortium.requiredVotes()).toBe(1n);
    expect(await consortium.MAX_URL_LENGTH()).toBe(256n);
  });

  it("leaves nobody an admin key: the deployer belongs to no state and cannot act", async () => {
    const consortium = await deploy([foundingState(US, a[0]!)]);
    const by = await deployer.getAddress();
    expect(await consortium.accountOf(by)).toEqual([NO_STATE, 0n]);
    await expectRevert(consortium.setAccountRoles(by, CA), "ConsortiumUnauthorizedAccount", [by, CA]);
  });

  it("refuses to found a consortium without states (ConsortiumLastActiveState)", async () => {
    await expectRevert(deploy([]), "ConsortiumLastActiveState", [NO_STATE]);
  });

  it.each([0, 10_001])("refuses the threshold %i bps (ConsortiumInvalidThreshold)", async (bps) => {
    await expectRevert(deploy([foundingState(US, a[0]!)], bps), "ConsortiumInvalidThreshold", [bps]);
  });

  it.each([
    ["lower case (mx)", "0x6d78"],
    ["zero (0x0000)", NO_STATE],
    ["a digit (M1)", "0x4d31"],
    ["just below A in first place (@X)", "0x4058"],
    ["just above Z in first place ([X)", "0x5b58"],
    ["just below A in second place (M@)", "0x4d40"],
    ["just above Z in second place (M[)", "0x4d5b"],
  ])("refuses a state code that is not two capital letters: %s (ConsortiumInvalidStateCode)", async (_, code) => {
    await expectRevert(deploy([foundingState(US, a[0]!), foundingState(code, a[1]!)]), "ConsortiumInvalidStateCode", [code]);
  });

  it("accepts the boundary codes AZ and ZA", async () => {
    const consortium = await deploy([foundingState("0x415a", a[0]!), foundingState("0x5a41", a[1]!)]);
    expect(await consortium.stateCodes()).toEqual(["0x415a", "0x5a41"]);
  });

  it("refuses a state founded twice (ConsortiumStateExists)", async () => {
    await expectRevert(deploy([foundingState(US, a[0]!), foundingState(MX, a[1]!), foundingState(US, a[2]!)]), "ConsortiumStateExists", [US]);
  });

  it("refuses a zero encryption key (ConsortiumInvalidKey)", async () => {
    await expectRevert(deploy([foundingState(MX, a[0]!, { encryptionKey: ZeroHash })]), "ConsortiumInvalidKey", [MX, ZeroHash]);
  });

  it.each([
    ["empty", "", 0],
    ["257 bytes", "https://" + "g".repeat(257 - 8), 257],
  ])("refuses a gateway URL that is %s (ConsortiumInvalidGatewayUrl)", async (_, url, length) => {
    await expectRevert(deploy([foundingState(MX, a[0]!, { gatewayUrl: url })]), "ConsortiumInvalidGatewayUrl", [length]);
  });

  it("refuses a founding state without accounts (ConsortiumLastAuthority)", async () => {
    await expectRevert(deploy([foundingState(US, a[0]!), foundingState(MX, a[1]!, { accounts: [] })]), "ConsortiumLastAuthority", [MX, ZeroAddress]);
  });

  it("refuses a founding state whose accounts hold no CENTRAL_AUTHORITY role (ConsortiumLastAuthority)", async () => {
    const accounts = [
      { account: a[1]!, roles: AGENCY | GATEWAY | VERIFIER },
      { account: a[2]!, roles: AGENCY },
    ];
    await expectRevert(deploy([foundingState(MX, a[1]!, { accounts })]), "ConsortiumLastAuthority", [MX, ZeroAddress]);
  });

  it("refuses a founding list that gives its only central authority a second entry without the role", async () => {
    const accounts = [
      { account: a[1]!, roles: CA },
      { account: a[1]!, roles: AGENCY },
    ];
    await expectRevert(deploy([foundingState(MX, a[1]!, { accounts })]), "ConsortiumLastAuthority", [MX, a[1]!]);
  });

  it.each([16, 255])("refuses role bits %i, above the four roles (ConsortiumInvalidRoles)", async (roles) => {
    const accounts = [
      { account: a[1]!, roles: CA },
      { account: a[2]!, roles },
    ];
    await expectRevert(deploy([foundingState(MX, a[1]!, { accounts })]), "ConsortiumInvalidRoles", [roles]);
  });

  it("refuses an account assigned to two founding states (ConsortiumAccountOfOtherState)", async () => {
    const founders = [
      foundingState(US, a[0]!, { accounts: [{ account: a[0]!, roles: CA }, { account: a[5]!, roles: AGENCY }] }),
      foundingState(MX, a[1]!, { accounts: [{ account: a[1]!, roles: CA }, { account: a[5]!, roles: GATEWAY }] }),
    ];
    await expectRevert(deploy(founders), "ConsortiumAccountOfOtherState", [a[5]!, US]);
  });

  it("refuses the zero address as an account (ConsortiumAccountOfOtherState)", async () => {
    const accounts = [
      { account: a[1]!, roles: CA },
      { account: ZeroAddress, roles: AGENCY },
    ];
    await expectRevert(deploy([foundingState(MX, a[1]!, { accounts })]), "ConsortiumAccountOfOtherState", [ZeroAddress, NO_STATE]);
  });
});

// ─── capacity ───────────────────────────────────────────────────────────────────────────────

const FOUNDERS = 64;

/** The n-th two-letter code: AA, AB, …, AZ, BA, … */
const nthCode = (n: number): string =>
  toStateBytes(String.fromCharCode(65 + Math.floor(n / 26)) + String.fromCharCode(65 + (n % 26)));

interface Full {
  consortium: Consortium;
  treaties: TreatyRegistry;
  first: Signer;
  last: Signer;
  stranger: Signer;
}

async function fullConsortium(): Promise<Full> {
  const signers = await hre.ethers.getSigners();
  const [deployer, first, last, stranger] = [signers[0]!, signers[1]!, signers[2]!, signers[3]!];
  const authority = (i: number) => (i === 0 ? first.getAddress() : getAddress(hexlify(randomBytes(20))));
  const founders = [];
  for (let i = 0; i < FOUNDERS; i++) founders.push(foundingState(nthCode(i), await authority(i)));
  // 1 basis point: one vote suffices, so the first state alone passes proposals.
  const consortium = await new Consortium__factory(deployer).deploy(ZeroAddress, founders, 1);
  await consortium.waitForDeployment();
  // 384 raw transactions (propose + execute per admission) mined in one block: ~1 s instead of ~5 s
  // through ethers with one block each. The views checked below prove that every one of them succeeded.
  const provider = hre.network.provider;
  await provider.send("evm_setAutomine", [false]);
  await provider.send("evm_setBlockGasLimit", ["0x" + (1_000_000_000).toString(16)]);
  const to = await consortium.getAddress();
  const from = await first.getAddress();
  const send = (data: string) => provider.send("eth_sendTransaction", [{ from, to, data, gas: "0xf4240" }]);
  for (let i = FOUNDERS; i < 256; i++) {
    const p = admit(nthCode(i), i === 255 ? await last.getAddress() : await authority(i));
    await send(consortium.interface.encodeFunctionData("propose", [p, 3_600]));
    await send(consortium.interface.encodeFunctionData("execute", [proposalIdOf(p)]));
  }
  await provider.send("evm_mine", []);
  await provider.send("evm_setAutomine", [true]);
  const treaties = await new TreatyRegistry__factory(deployer).deploy(ZeroAddress, await consortium.getAddress(), []);
  await treaties.waitForDeployment();
  return { consortium, treaties, first, last, stranger };
}

describe("Consortium capacity (MAX_STATES)", () => {
  const full = useFixture(fullConsortium);

  it("holds 256 states with indexes 0 to 255", async () => {
    const { consortium } = full();
    expect(await consortium.MAX_STATES()).toBe(256n);
    const codes = await consortium.stateCodes();
    expect(codes).toHaveLength(256);
    expect(codes[255]).toBe(nthCode(255));
    expect((await consortium.state(nthCode(255))).index).toBe(255n);
    expect(await consortium.activeStateCount()).toBe(256n);
    expect(await consortium.requiredVotes()).toBe(1n);
  });

  it("refuses to execute the admission of a 257th state with ConsortiumTooManyStates", async () => {
    const { consortium, first, stranger } = full();
    const p: ProposalParams = admit(toStateBytes("ZZ"), await stranger.getAddress());
    const { id } = await propose({ consortium }, first, p);
    await expectRevert(consortium.connect(first).execute(id), "ConsortiumTooManyStates", [256]);
    expect((await consortium.state(toStateBytes("ZZ"))).status).toBe(0n);
  });

  it("records the ratification of the state with index 255 in the top bit of the mask", async () => {
    const { consortium, treaties, last } = full();
    const treatyId = randomId();
    await (await treaties.connect(last).registerTreaty(treatyId, randomId(), 1, 1, 1, [])).wait();
    await expectEvents(treaties.connect(last).ratify(treatyId), treaties, [
      ["TreatyRatified", { treatyId, state: nthCode(255), actor: await last.getAddress() }],
    ]);
    expect((await treaties.treaty(treatyId)).ratifiedMask).toBe(1n << 255n);
    expect(await treaties.hasRatified(treatyId, nthCode(255))).toBe(true);
    expect(await treaties.hasRatified(treatyId, nthCode(254))).toBe(false);
    expect((await consortium.requireMember(await last.getAddress(), 1))[1]).toBe(255n);
    await expect(treaties.requireTerms(treatyId, nthCode(255), 255, nthCode(255), 255, 1)).resolves.toEqual([1n, 1n]);
  });
});
