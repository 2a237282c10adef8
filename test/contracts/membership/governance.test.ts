/** Governance of the Consortium: proposals, votes, execution of each kind, and an end-to-end scenario. */
import { describe, it, expect } from "vitest";
import { AbiCoder, ZeroAddress, ZeroHash, getAddress, keccak256, type Signer } from "ethers";
import { Priority, ProposalKind, ProposalStatus, StateStatus } from "../../../sdk/src/ledger/types";
import { expectRevert } from "../../helpers/reverts";
import {
  BANK_AND_ELECTRONIC,
  FR,
  digest,
  foundedConsortium,
  increaseTime,
  latestTimestamp,
  randomId,
  useFixture,
  type Ledger,
} from "../../helpers/ledger";
import {
  AGENCY,
  CA,
  DE,
  ES,
  HOUR,
  MX,
  NO_STATE,
  US,
  VOTING_PERIOD,
  addressOf,
  admit,
  atTimestamp,
  changeThreshold,
  expectEvents,
  keyOf,
  mineAt,
  pass,
  proposal,
  proposalIdOf,
  propose,
  reinstate,
  remove,
  suspend,
  type ProposalParams,
} from "./helpers";

const ledger = useFixture(foundedConsortium);

const MAX_PERIOD = 90 * 24 * HOUR;
const STRANGER = getAddress("0x00000000000000000000000000000000000051a7");

/** One valid proposal of each kind (the admission names a fresh account as FR's central authority). */
const validProposals: [string, () => ProposalParams][] = [
  ["AdmitState", () => admit(FR, STRANGER, { descriptionDigest: keccak256("0x01") })],
  ["SuspendState", () => suspend(ES)],
  ["ReinstateState", () => reinstate(ES)],
  ["RemoveState", () => remove(ES, { descriptionDigest: keccak256("0x02") })],
  ["ChangeThreshold", () => changeThreshold(7500)],
];

describe("Consortium.proposalId", () => {
  it.each(validProposals)("equals keccak256(abi.encode(params)) computed off-chain for %s", async (_, make) => {
    const l = ledger();
    const p = make();
    const encoded = AbiCoder.defaultAbiCoder().encode(
      ["tuple(uint8,bytes2,uint16,address,bytes32,string,bytes32)"],
      [[p.kind, p.target, p.thresholdBps, p.initialAuthority, p.encryptionKey, p.gatewayUrl, p.descriptionDigest]],
    );
    expect(await l.consortium.proposalId(p)).toBe(keccak256(encoded));
    expect(proposalIdOf(p)).toBe(keccak256(encoded));
  });

  it("differs when only the description digest differs", async () => {
    const l = ledger();
    const a = await l.consortium.proposalId(suspend(ES));
    const b = await l.consortium.proposalId(suspend(ES, { descriptionDigest: digest() }));
    expect(a).not.toBe(b);
  });
});

describe("Consortium.propose", () => {
  it("creates a pending proposal and counts the proposer's state's vote at once", async () => {
    const l = ledger();
    const p = changeThreshold(6000, { descriptionDigest: digest() });
    const id = proposalIdOf(p);
    const proposer = await addressOf(l.mx.authority);
    expect(await l.consortium.connect(l.mx.authority).propose.staticCall(p, VOTING_PERIOD)).toBe(id);
    const tx = l.consortium.connect(l.mx.authority).propose(p, VOTING_PERIOD);
    const expiresAt = (await latestTimestamp()) + 1 + VOTING_PERIOD;
    await expectEvents(tx, l.consortium, [
      ["ProposalCreated", { proposalId: id, proposerState: MX, proposer, params: p, expiresAt }],
      ["ProposalVoteCast", { proposalId: id, state: MX, voter: proposer }],
    ]);
    const v = await l.consortium.proposal(id);
    expect(v.kind).toBe(BigInt(ProposalKind.ChangeThreshold));
    expect(v.status).toBe(BigInt(ProposalStatus.Pending));
    expect(v.proposerState).toBe(MX);
    expect(v.target).toBe(NO_STATE);
    expect(v.thresholdBps).toBe(6000n);
    expect(v.expiresAt).toBe(BigInt(expiresAt));
    expect(v.initialAuthority).toBe(ZeroAddress);
    expect(v.encryptionKey).toBe(ZeroHash);
    expect(v.descriptionDigest).toBe(p.descriptionDigest);
    expect(v.gatewayUrl).toBe("");
    expect(v.voters).toEqual([MX]);
  });

  it("stores every field of an admission", async () => {
    const l = ledger();
    const p = admit(FR, STRANGER, { descriptionDigest: digest() });
    const { id } = await propose(l, l.us.authority, p);
    const v = await l.consortium.proposal(id);
    expect([v.kind, v.target, v.initialAuthority, v.encryptionKey, v.gatewayUrl, v.descriptionDigest]).toEqual([
      BigInt(ProposalKind.AdmitState),
      FR,
      STRANGER,
      p.encryptionKey,
      p.gatewayUrl,
      p.descriptionDigest,
    ]);
  });

  it.each(validProposals)("accepts a well-formed %s proposal", async (_, make) => {
    const l = ledger();
    const p = make();
    const { id } = await propose(l, l.es.authority, p);
    expect((await l.consortium.proposal(id)).status).toBe(BigInt(ProposalStatus.Pending));
  });

  it.each([
    ["one hour", HOUR],
    ["90 days", MAX_PERIOD],
  ])("accepts the voting period bound of %s", async (_, period) => {
    const l = ledger();
    const { id } = await propose(l, l.us.authority, suspend(ES), period);
    expect((await l.consortium.proposal(id)).expiresAt).toBe(BigInt((await latestTimestamp()) + period));
  });

  it.each([
    ["zero", 0],
    ["one second short of an hour", HOUR - 1],
    ["one second over 90 days", MAX_PERIOD + 1],
    ["the largest uint32", 2 ** 32 - 1],
  ])("refuses a voting period of %s (ConsortiumInvalidVotingPeriod)", async (_, period) => {
    const l = ledger();
    await expectRevert(l.consortium.connect(l.us.authority).propose(suspend(ES), period), "ConsortiumInvalidVotingPeriod", [
      period,
      HOUR,
      MAX_PERIOD,
    ]);
  });

  it("refuses a proposal whose id exists, from any state (ConsortiumProposalExists)", async () => {
    const l = ledger();
    const { id } = await propose(l, l.us.authority, suspend(ES));
    await expectRevert(l.consortium.connect(l.us.authority).propose(suspend(ES), VOTING_PERIOD), "ConsortiumProposalExists", [id]);
    await expectRevert(l.consortium.connect(l.mx.authority).propose(suspend(ES), HOUR), "ConsortiumProposalExists", [id]);
  });

  it("refuses to reuse the id of an expired proposal; a new description digest makes a new proposal", async () => {
    const l = ledger();
    const { id } = await propose(l, l.us.authority, suspend(ES), HOUR);
    await increaseTime(HOUR + 1);
    expect((await l.consortium.proposal(id)).status).toBe(BigInt(ProposalStatus.Expired));
    await expectRevert(l.consortium.connect(l.us.authority).propose(suspend(ES), HOUR), "ConsortiumProposalExists", [id]);
    const { id: again } = await propose(l, l.us.authority, suspend(ES, { descriptionDigest: digest() }));
    expect((await l.consortium.proposal(again)).status).toBe(BigInt(ProposalStatus.Pending));
  });

  it("refuses to reuse the id of an executed proposal", async () => {
    const l = ledger();
    const { id } = await pass(l, changeThreshold(6000));
    await expectRevert(l.consortium.connect(l.us.authority).propose(changeThreshold(6000), HOUR), "ConsortiumProposalExists", [id]);
  });

  describe("parameters that do not fit the kind", () => {
    const mxAgency = async () => addressOf(ledger().mx.agency);
    const cases: readonly (readonly [string, string, () => Promise<ProposalParams>, (p: ProposalParams) => unknown[]])[] = [
      ["kind None", "ConsortiumInvalidProposal", async () => proposal({ kind: ProposalKind.None }), () => [ProposalKind.None]],
      // AdmitState
      ["an admission with a threshold", "ConsortiumInvalidProposal", async () => admit(FR, STRANGER, { thresholdBps: 1 }), () => [ProposalKind.AdmitState]],
      ["an admission without an initial authority", "ConsortiumInvalidProposal", async () => admit(FR, ZeroAddress), () => [ProposalKind.AdmitState]],
      ["an admission without a key", "ConsortiumInvalidProposal", async () => admit(FR, STRANGER, { encryptionKey: ZeroHash }), () => [ProposalKind.AdmitState]],
      ["an admission of an invalid code (fr)", "ConsortiumInvalidStateCode", async () => admit("0x6672", STRANGER), () => ["0x6672"]],
      ["an admission of no code (0x0000)", "ConsortiumInvalidStateCode", async () => admit(NO_STATE, STRANGER), () => [NO_STATE]],
      ["an admission of a member state", "ConsortiumStateExists", async () => admit(MX, STRANGER), () => [MX]],
      ["an admission whose authority belongs to a state", "ConsortiumAccountOfOtherState", async () => admit(FR, await mxAgency()), (p) => [p.initialAuthority, MX]],
      ["an admission without a gateway URL", "ConsortiumInvalidGatewayUrl", async () => admit(FR, STRANGER, { gatewayUrl: "" }), () => [0]],
      ["an admission with a 257-byte URL", "ConsortiumInvalidGatewayUrl", async () => admit(FR, STRANGER, { gatewayUrl: "u".repeat(257) }), () => [257]],
      // ChangeThreshold
      ["a threshold of 0", "ConsortiumInvalidThreshold", async () => changeThreshold(0), () => [0]],
      ["a threshold of 10001", "ConsortiumInvalidThreshold", async () => changeThreshold(10_001), () => [10_001]],
      ["a threshold change with a target", "ConsortiumInvalidProposal", async () => changeThreshold(6000, { target: US }), () => [ProposalKind.ChangeThreshold]],
      ["a threshold change with an initial authority", "ConsortiumInvalidProposal", async () => changeThreshold(6000, { initialAuthority: STRANGER }), () => [ProposalKind.ChangeThreshold]],
      ["a threshold change with a key", "ConsortiumInvalidProposal", async () => changeThreshold(6000, { encryptionKey: randomId() }), () => [ProposalKind.ChangeThreshold]],
      ["a threshold change with a URL", "ConsortiumInvalidProposal", async () => changeThreshold(6000, { gatewayUrl: "https://x.example" }), () => [ProposalKind.ChangeThreshold]],
      // Suspend / Reinstate / Remove
      ...([
        ["a suspension", ProposalKind.SuspendState, suspend],
        ["a reinstatement", ProposalKind.ReinstateState, reinstate],
        ["a removal", ProposalKind.RemoveState, remove],
      ] as const).flatMap(([what, kind, make]) => [
        [`${what} of a state never admitted`, "ConsortiumInvalidProposal", async () => make(FR), () => [kind]] as const,
        [`${what} of no state (0x0000)`, "ConsortiumInvalidProposal", async () => make(NO_STATE), () => [kind]] as const,
        [`${what} with a threshold`, "ConsortiumInvalidProposal", async () => make(ES, { thresholdBps: 5000 }), () => [kind]] as const,
        [`${what} with an initial authority`, "ConsortiumInvalidProposal", async () => make(ES, { initialAuthority: STRANGER }), () => [kind]] as const,
        [`${what} with a key`, "ConsortiumInvalidProposal", async () => make(ES, { encryptionKey: randomId() }), () => [kind]] as const,
        [`${what} with a URL`, "ConsortiumInvalidProposal", async () => make(ES, { gatewayUrl: "https://x.example" }), () => [kind]] as const,
      ]),
    ];

    it.each(cases)("refuses %s (%s)", async (_, error, make, args) => {
      const l = ledger();
      const p = await make();
      await expectRevert(l.consortium.connect(l.us.authority).propose(p, VOTING_PERIOD), error, args(p));
    });
  });

  it("accepts as initial authority an account that its former state released", async () => {
    const l = ledger();
    const agency = await addressOf(l.mx.agency);
    await (await l.consortium.connect(l.mx.authority).setAccountRoles(agency, 0)).wait();
    const { id } = await propose(l, l.us.authority, admit(DE, agency));
    expect((await l.consortium.proposal(id)).initialAuthority).toBe(agency);
  });

  it("accepts a suspension of a state already suspended (checked at execution)", async () => {
    const l = ledger();
    await pass(l, suspend(ES));
    const { id } = await propose(l, l.us.authority, suspend(ES, { descriptionDigest: digest() }));
    expect((await l.consortium.proposal(id)).status).toBe(BigInt(ProposalStatus.Pending));
  });

  it("refuses an account without the CENTRAL_AUTHORITY role (ConsortiumUnauthorizedAccount)", async () => {
    const l = ledger();
    await expectRevert(l.consortium.connect(l.us.verifier).propose(suspend(ES), VOTING_PERIOD), "ConsortiumUnauthorizedAccount", [
      await addressOf(l.us.verifier),
      CA,
    ]);
  });

  it("refuses the central authority of a suspended state (ConsortiumUnexpectedStateStatus)", async () => {
    const l = ledger();
    await pass(l, suspend(ES));
    await expectRevert(l.consortium.connect(l.es.authority).propose(reinstate(ES), VOTING_PERIOD), "ConsortiumUnexpectedStateStatus", [
      ES,
      StateStatus.Suspended,
    ]);
  });
});

describe("Consortium.proposal", () => {
  it("reads an unknown id as an empty proposal with status None", async () => {
    const l = ledger();
    const v = await l.consortium.proposal(randomId());
    expect([v.kind, v.status, v.proposerState, v.expiresAt, v.voters]).toEqual([0n, BigInt(ProposalStatus.None), NO_STATE, 0n, []]);
  });

  it("derives Expired one second after the deadline, and Pending up to it", async () => {
    const l = ledger();
    const { id } = await propose(l, l.us.authority, suspend(ES), HOUR);
    const { expiresAt } = await l.consortium.proposal(id);
    await mineAt(expiresAt);
    expect((await l.consortium.proposal(id)).status).toBe(BigInt(ProposalStatus.Pending));
    await mineAt(expiresAt + 1n);
    expect((await l.consortium.proposal(id)).status).toBe(BigInt(ProposalStatus.Expired));
  });

  it("keeps Executed after the deadline has passed", async () => {
    const l = ledger();
    const { id } = await pass(l, changeThreshold(6000));
    await increaseTime(VOTING_PERIOD + 1);
    expect((await l.consortium.proposal(id)).status).toBe(BigInt(ProposalStatus.Executed));
  });
});

describe("Consortium constants", () => {
  it("exposes the voting period bounds, the URL limit and the maximum number of states", async () => {
    const l = ledger();
    expect(await l.consortium.MIN_VOTING_PERIOD()).toBe(BigInt(HOUR));
    expect(await l.consortium.MAX_VOTING_PERIOD()).toBe(BigInt(MAX_PERIOD));
    expect(await l.consortium.MAX_URL_LENGTH()).toBe(256n);
    expect(await l.consortium.MAX_STATES()).toBe(256n);
  });
});

/** A threshold change proposed by the US (so the US has voted). */
const proposed = (l: Ledger, period = 7 * 24 * HOUR) => propose(l, l.us.authority, changeThreshold(6000), period);
const vote = (l: Ledger, who: Signer, id: string) => l.consortium.connect(who).vote(id);
const withdraw = (l: Ledger, who: Signer, id: string) => l.consortium.connect(who).withdrawVote(id);

describe("Consortium.vote", () => {
  it("records the caller's state's vote", async () => {
    const l = ledger();
    const { id } = await proposed(l);
    await expectEvents(vote(l, l.mx.authority, id), l.consortium, [
      ["ProposalVoteCast", { proposalId: id, state: MX, voter: await addressOf(l.mx.authority) }],
    ]);
    expect((await l.consortium.proposal(id)).voters).toEqual([US, MX]);
  });

  it("refuses a second vote of the proposer's state (ConsortiumVoteState)", async () => {
    const l = ledger();
    const { id } = await proposed(l);
    await expectRevert(vote(l, l.us.authority, id), "ConsortiumVoteState", [id, US, true]);
  });

  it("refuses a second vote of the same state (ConsortiumVoteState)", async () => {
    const l = ledger();
    const { id } = await proposed(l);
    await (await vote(l, l.es.authority, id)).wait();
    await expectRevert(vote(l, l.es.authority, id), "ConsortiumVoteState", [id, ES, true]);
  });

  it("counts one vote per state: a second central authority of a state that voted is refused", async () => {
    const l = ledger();
    const [second] = l.strangers as [Signer];
    await (await l.consortium.connect(l.us.authority).setAccountRoles(await addressOf(second), CA)).wait();
    const { id } = await proposed(l);
    await expectRevert(vote(l, second, id), "ConsortiumVoteState", [id, US, true]);
  });

  it("accepts the vote at the deadline itself", async () => {
    const l = ledger();
    const { id } = await proposed(l, HOUR);
    const { expiresAt } = await l.consortium.proposal(id);
    await atTimestamp(expiresAt);
    await expectEvents(vote(l, l.es.authority, id), l.consortium, [
      ["ProposalVoteCast", { proposalId: id, state: ES, voter: await addressOf(l.es.authority) }],
    ]);
  });

  it("refuses a vote after the deadline (ConsortiumUnexpectedProposalStatus Expired)", async () => {
    const l = ledger();
    const { id } = await proposed(l, HOUR);
    await increaseTime(HOUR + 1);
    await expectRevert(vote(l, l.mx.authority, id), "ConsortiumUnexpectedProposalStatus", [id, ProposalStatus.Expired]);
  });

  it("refuses a vote for an unknown proposal (ConsortiumUnexpectedProposalStatus None)", async () => {
    const l = ledger();
    const id = randomId();
    await expectRevert(vote(l, l.mx.authority, id), "ConsortiumUnexpectedProposalStatus", [id, ProposalStatus.None]);
  });

  it("refuses a vote for an executed proposal (ConsortiumUnexpectedProposalStatus Executed)", async () => {
    const l = ledger();
    const { id } = await pass(l, changeThreshold(6000));
    await expectRevert(vote(l, l.es.authority, id), "ConsortiumUnexpectedProposalStatus", [id, ProposalStatus.Executed]);
  });

  it("refuses an account without the CENTRAL_AUTHORITY role (ConsortiumUnauthorizedAccount)", async () => {
    const l = ledger();
    const { id } = await proposed(l);
    await expectRevert(vote(l, l.mx.agency, id), "ConsortiumUnauthorizedAccount", [await addressOf(l.mx.agency), CA]);
    await expectRevert(vote(l, l.strangers[0]!, id), "ConsortiumUnauthorizedAccount", [await addressOf(l.strangers[0]!), CA]);
  });

  it("refuses the central authority of a suspended state (ConsortiumUnexpectedStateStatus)", async () => {
    const l = ledger();
    await pass(l, suspend(ES));
    const { id } = await proposed(l);
    await expectRevert(vote(l, l.es.authority, id), "ConsortiumUnexpectedStateStatus", [ES, StateStatus.Suspended]);
  });
});

describe("Consortium.withdrawVote", () => {
  it("withdraws the caller's state's vote, which can be cast again", async () => {
    const l = ledger();
    const { id } = await proposed(l);
    await (await vote(l, l.mx.authority, id)).wait();
    await expectEvents(withdraw(l, l.mx.authority, id), l.consortium, [
      ["ProposalVoteWithdrawn", { proposalId: id, state: MX, voter: await addressOf(l.mx.authority) }],
    ]);
    expect((await l.consortium.proposal(id)).voters).toEqual([US]);
    await (await vote(l, l.mx.authority, id)).wait();
    expect((await l.consortium.proposal(id)).voters).toEqual([US, MX]);
  });

  it("lets the proposer's state withdraw its own vote; the last voter takes its place in the list", async () => {
    const l = ledger();
    const { id } = await proposed(l);
    await (await vote(l, l.mx.authority, id)).wait();
    await (await vote(l, l.es.authority, id)).wait();
    await (await withdraw(l, l.us.authority, id)).wait();
    expect((await l.consortium.proposal(id)).voters).toEqual([ES, MX]);
    await (await withdraw(l, l.es.authority, id)).wait();
    await (await withdraw(l, l.mx.authority, id)).wait();
    expect((await l.consortium.proposal(id)).voters).toEqual([]);
    expect((await l.consortium.proposal(id)).status).toBe(BigInt(ProposalStatus.Pending));
  });

  it("withdraws for the state: another central authority of the same state may do it", async () => {
    const l = ledger();
    const [second] = l.strangers as [Signer];
    await (await l.consortium.connect(l.us.authority).setAccountRoles(await addressOf(second), CA)).wait();
    const { id } = await proposed(l);
    await expectEvents(withdraw(l, second, id), l.consortium, [
      ["ProposalVoteWithdrawn", { proposalId: id, state: US, voter: await addressOf(second) }],
    ]);
  });

  it("lowers the support counted at execution", async () => {
    const l = ledger();
    const { id } = await proposed(l);
    await (await vote(l, l.mx.authority, id)).wait();
    await (await withdraw(l, l.mx.authority, id)).wait();
    await expectRevert(l.consortium.connect(l.us.authority).execute(id), "ConsortiumQuorumNotReached", [id, 1, 2]);
  });

  it("refuses a state that did not vote (ConsortiumVoteState)", async () => {
    const l = ledger();
    const { id } = await proposed(l);
    await expectRevert(withdraw(l, l.es.authority, id), "ConsortiumVoteState", [id, ES, false]);
  });

  it("refuses a second withdrawal (ConsortiumVoteState)", async () => {
    const l = ledger();
    const { id } = await proposed(l);
    await (await withdraw(l, l.us.authority, id)).wait();
    await expectRevert(withdraw(l, l.us.authority, id), "ConsortiumVoteState", [id, US, false]);
  });

  it("lets a suspended state withdraw the vote it cast before (it can only lower support)", async () => {
    const l = ledger();
    const { id } = await propose(l, l.es.authority, changeThreshold(6000));
    await pass(l, suspend(ES));
    await expectEvents(withdraw(l, l.es.authority, id), l.consortium, [
      ["ProposalVoteWithdrawn", { proposalId: id, state: ES, voter: await addressOf(l.es.authority) }],
    ]);
    expect((await l.consortium.proposal(id)).voters).toEqual([]);
    // Once reinstated, ES has no vote left on the proposal.
    await pass(l, reinstate(ES));
    await (await vote(l, l.us.authority, id)).wait();
    await expectRevert(l.consortium.connect(l.us.authority).execute(id), "ConsortiumQuorumNotReached", [id, 1, 2]);
  });

  it("lets a removed state withdraw the vote it cast before", async () => {
    const l = ledger();
    const { id } = await propose(l, l.es.authority, changeThreshold(6000));
    await pass(l, remove(ES));
    await (await withdraw(l, l.es.authority, id)).wait();
    expect((await l.consortium.proposal(id)).voters).toEqual([]);
  });

  it("refuses a suspended state that did not vote (ConsortiumVoteState)", async () => {
    const l = ledger();
    await pass(l, suspend(ES));
    const { id } = await proposed(l);
    await expectRevert(withdraw(l, l.es.authority, id), "ConsortiumVoteState", [id, ES, false]);
  });

  it.each([
    ["agency", "agency"],
    ["gateway", "gateway"],
    ["verifier", "verifier"],
  ] as const)("refuses the voting state's %s account (ConsortiumUnauthorizedAccount)", async (_, role) => {
    const l = ledger();
    const { id } = await proposed(l);
    await expectRevert(withdraw(l, l.us[role], id), "ConsortiumUnauthorizedAccount", [await addressOf(l.us[role]), CA]);
  });

  it("refuses an account that belongs to no state (ConsortiumUnauthorizedAccount)", async () => {
    const l = ledger();
    const { id } = await proposed(l);
    await expectRevert(withdraw(l, l.strangers[0]!, id), "ConsortiumUnauthorizedAccount", [await addressOf(l.strangers[0]!), CA]);
  });

  it("refuses after the deadline (ConsortiumUnexpectedProposalStatus Expired)", async () => {
    const l = ledger();
    const { id } = await proposed(l, HOUR);
    await increaseTime(HOUR + 1);
    await expectRevert(withdraw(l, l.us.authority, id), "ConsortiumUnexpectedProposalStatus", [id, ProposalStatus.Expired]);
  });

  it("refuses after execution (ConsortiumUnexpectedProposalStatus Executed)", async () => {
    const l = ledger();
    const { id } = await pass(l, changeThreshold(6000));
    await expectRevert(withdraw(l, l.mx.authority, id), "ConsortiumUnexpectedProposalStatus", [id, ProposalStatus.Executed]);
  });

  it("refuses an unknown proposal (ConsortiumUnexpectedProposalStatus None)", async () => {
    const l = ledger();
    const id = randomId();
    await expectRevert(withdraw(l, l.mx.authority, id), "ConsortiumUnexpectedProposalStatus", [id, ProposalStatus.None]);
  });
});

const execute = (l: Ledger, who: Signer, id: string) => l.consortium.connect(who).execute(id);
const voted = async (l: Ledger, who: Signer, id: string) => (await l.consortium.connect(who).vote(id)).wait();
const status = async (l: Ledger, id: string) => Number((await l.consortium.proposal(id)).status);

describe("Consortium.execute", () => {
  it("executes a proposal whose votes reach the threshold", async () => {
    const l = ledger();
    const { id } = await propose(l, l.us.authority, changeThreshold(6000));
    await voted(l, l.mx.authority, id);
    await expectEvents(execute(l, l.us.authority, id), l.consortium, [
      ["ProposalExecuted", { proposalId: id, votes: 2, required: 2, executor: await addressOf(l.us.authority) }],
      ["ThresholdChanged", { previousBps: 5001, newBps: 6000, proposalId: id }],
    ]);
    expect(await status(l, id)).toBe(ProposalStatus.Executed);
    expect(await l.consortium.thresholdBps()).toBe(6000n);
  });

  it("may be called by the central authority of a state that did not vote", async () => {
    const l = ledger();
    const { id } = await propose(l, l.us.authority, changeThreshold(6000));
    await voted(l, l.mx.authority, id);
    await expectEvents(execute(l, l.es.authority, id), l.consortium, [
      ["ProposalExecuted", { proposalId: id, votes: 2, required: 2, executor: await addressOf(l.es.authority) }],
      ["ThresholdChanged", { previousBps: 5001, newBps: 6000, proposalId: id }],
    ]);
  });

  it("refuses a proposal below the threshold (ConsortiumQuorumNotReached)", async () => {
    const l = ledger();
    const { id } = await propose(l, l.us.authority, changeThreshold(6000));
    await expectRevert(execute(l, l.us.authority, id), "ConsortiumQuorumNotReached", [id, 1, 2]);
    expect(await status(l, id)).toBe(ProposalStatus.Pending);
  });

  it("counts only states active at execution: a voter suspended before execution no longer counts", async () => {
    const l = ledger();
    const { id } = await propose(l, l.us.authority, changeThreshold(6000));
    await voted(l, l.mx.authority, id);
    await pass(l, suspend(MX), { voters: [l.es.authority] });
    expect((await l.consortium.proposal(id)).voters).toEqual([US, MX]);
    // Two states active: 2 votes needed, only the US counts.
    await expectRevert(execute(l, l.us.authority, id), "ConsortiumQuorumNotReached", [id, 1, 2]);
    await voted(l, l.es.authority, id);
    await expectEvents(execute(l, l.us.authority, id), l.consortium, [
      ["ProposalExecuted", { proposalId: id, votes: 2, required: 2, executor: await addressOf(l.us.authority) }],
      ["ThresholdChanged", { previousBps: 5001, newBps: 6000, proposalId: id }],
    ]);
  });

  it("counts the vote of a suspended state again once it is reinstated", async () => {
    const l = ledger();
    const { id } = await propose(l, l.us.authority, changeThreshold(6000));
    await voted(l, l.mx.authority, id);
    await pass(l, suspend(MX), { voters: [l.es.authority] });
    await pass(l, reinstate(MX), { voters: [l.es.authority] });
    await expectEvents(execute(l, l.us.authority, id), l.consortium, [
      ["ProposalExecuted", { proposalId: id, votes: 2, required: 2, executor: await addressOf(l.us.authority) }],
      ["ThresholdChanged", { previousBps: 5001, newBps: 6000, proposalId: id }],
    ]);
  });

  it("does not count the vote of a removed state", async () => {
    const l = ledger();
    const { id } = await propose(l, l.us.authority, changeThreshold(6000));
    await voted(l, l.mx.authority, id);
    await pass(l, remove(MX), { voters: [l.es.authority] });
    await expectRevert(execute(l, l.us.authority, id), "ConsortiumQuorumNotReached", [id, 1, 2]);
  });

  it("requires more votes when states were admitted after the proposal", async () => {
    const l = ledger();
    const { id } = await propose(l, l.us.authority, changeThreshold(6000));
    await voted(l, l.mx.authority, id);
    await pass(l, admit(FR, await addressOf(l.strangers[0]!)));
    await expectRevert(execute(l, l.us.authority, id), "ConsortiumQuorumNotReached", [id, 2, 3]);
  });

  it("executes at the deadline itself", async () => {
    const l = ledger();
    const { id } = await propose(l, l.us.authority, changeThreshold(6000), HOUR);
    await voted(l, l.mx.authority, id);
    await atTimestamp((await l.consortium.proposal(id)).expiresAt);
    await (await execute(l, l.us.authority, id)).wait();
    expect(await status(l, id)).toBe(ProposalStatus.Executed);
  });

  it("refuses an expired proposal even with enough votes (ConsortiumUnexpectedProposalStatus Expired)", async () => {
    const l = ledger();
    const { id } = await propose(l, l.us.authority, changeThreshold(6000), HOUR);
    await voted(l, l.mx.authority, id);
    await increaseTime(HOUR + 1);
    await expectRevert(execute(l, l.us.authority, id), "ConsortiumUnexpectedProposalStatus", [id, ProposalStatus.Expired]);
    expect(await l.consortium.thresholdBps()).toBe(5001n);
  });

  it("refuses to execute an executed proposal again (ConsortiumUnexpectedProposalStatus Executed)", async () => {
    const l = ledger();
    const { id } = await pass(l, changeThreshold(6000));
    await expectRevert(execute(l, l.mx.authority, id), "ConsortiumUnexpectedProposalStatus", [id, ProposalStatus.Executed]);
  });

  it("refuses an unknown proposal (ConsortiumUnexpectedProposalStatus None)", async () => {
    const l = ledger();
    const id = randomId();
    await expectRevert(execute(l, l.us.authority, id), "ConsortiumUnexpectedProposalStatus", [id, ProposalStatus.None]);
  });

  it("refuses an account without the CENTRAL_AUTHORITY role (ConsortiumUnauthorizedAccount)", async () => {
    const l = ledger();
    const { id } = await propose(l, l.us.authority, changeThreshold(6000));
    await voted(l, l.mx.authority, id);
    await expectRevert(execute(l, l.us.gateway, id), "ConsortiumUnauthorizedAccount", [await addressOf(l.us.gateway), CA]);
  });

  it("refuses the central authority of a suspended state (ConsortiumUnexpectedStateStatus)", async () => {
    const l = ledger();
    await pass(l, suspend(ES));
    const { id } = await propose(l, l.us.authority, changeThreshold(6000));
    await voted(l, l.mx.authority, id);
    await expectRevert(execute(l, l.es.authority, id), "ConsortiumUnexpectedStateStatus", [ES, StateStatus.Suspended]);
  });

  describe("AdmitState", () => {
    it("admits the new state with index 3, key version 1 and its initial central authority", async () => {
      const l = ledger();
      const fr = await addressOf(l.strangers[0]!);
      const p = admit(FR, fr, { gatewayUrl: "https://gateway.fr.example" });
      const { id } = await propose(l, l.mx.authority, p);
      await voted(l, l.es.authority, id);
      const executor = await addressOf(l.es.authority);
      await expectEvents(execute(l, l.es.authority, id), l.consortium, [
        ["ProposalExecuted", { proposalId: id, votes: 2, required: 2, executor }],
        ["StateAdmitted", { code: FR, index: 3, encryptionKey: keyOf(FR), gatewayUrl: "https://gateway.fr.example", proposalId: id }],
        ["AccountRolesChanged", { account: fr, state: FR, previousRoles: 0, newRoles: CA, actor: executor }],
      ]);
      expect(await l.consortium.stateCodes()).toEqual([US, MX, ES, FR]);
      const s = await l.consortium.state(FR);
      expect([s.status, s.index, s.keyVersion, s.authorityCount, s.encryptionKey]).toEqual([
        BigInt(StateStatus.Active),
        3n,
        1n,
        1n,
        keyOf(FR),
      ]);
      expect(await l.consortium.encryptionKeyAt(FR, 1)).toBe(keyOf(FR));
      expect(await l.consortium.accountOf(fr)).toEqual([FR, BigInt(CA)]);
      expect(await l.consortium.activeStateCount()).toBe(4n);
      expect(await l.consortium.requiredVotes()).toBe(3n);
      expect(await l.consortium.requireActiveState(FR)).toBe(3n);
    });

    it("lets the new state's central authority act: add accounts, rotate its key, vote and ratify UNTOC", async () => {
      const l = ledger();
      const [frAuthority, frAgency] = l.strangers as [Signer, Signer];
      await pass(l, admit(FR, await addressOf(frAuthority)));
      const fr = await addressOf(frAuthority);
      const c = l.consortium.connect(frAuthority);
      await (await c.setAccountRoles(await addressOf(frAgency), AGENCY)).wait();
      expect(await l.consortium.requireMember(await addressOf(frAgency), AGENCY)).toEqual([FR, 3n]);
      const key = randomId();
      await expectEvents(c.rotateEncryptionKey(key), l.consortium, [
        ["StateKeyRotated", { code: FR, version: 2, encryptionKey: key, actor: fr }],
      ]);
      const { id } = await propose(l, l.us.authority, changeThreshold(6000));
      await expectEvents(c.vote(id), l.consortium, [["ProposalVoteCast", { proposalId: id, state: FR, voter: fr }]]);

      await expectEvents(l.treaties.connect(frAuthority).ratify(l.untoc), l.treaties, [
        ["TreatyRatified", { treatyId: l.untoc, state: FR, actor: fr }],
      ]);
      expect(await l.treaties.hasRatified(l.untoc, FR)).toBe(true);
      expect((await l.treaties.treaty(l.untoc)).ratifiedMask).toBe(0b1111n);
      // …and a request from FR to MX under UNTOC is now possible.
      await (
        await l.requests.connect(frAuthority).submitRequest({
          requestId: randomId(),
          requestedState: MX,
          treatyId: l.untoc,
          assistanceTypes: BANK_AND_ELECTRONIC,
          priority: Priority.Routine,
          documentDigest: digest(),
          respondBy: 0,
        })
      ).wait();
      // The bilateral US–MX treaty stays closed to it.
      await expectRevert(l.treaties.connect(frAuthority).ratify(l.bilateral), "TreatyNotParty", [l.bilateral, FR]);
    });

    it("refuses the admission when its initial authority joined a state after the proposal, and stays pending", async () => {
      const l = ledger();
      const fr = await addressOf(l.strangers[0]!);
      const { id } = await propose(l, l.us.authority, admit(FR, fr));
      await voted(l, l.mx.authority, id);
      await (await l.consortium.connect(l.es.authority).setAccountRoles(fr, AGENCY)).wait();
      await expectRevert(execute(l, l.us.authority, id), "ConsortiumAccountOfOtherState", [fr, ES]);
      expect(await status(l, id)).toBe(ProposalStatus.Pending);
    });

    it("refuses a state admitted meanwhile by another proposal (ConsortiumStateExists)", async () => {
      const l = ledger();
      const { id } = await propose(l, l.us.authority, admit(FR, await addressOf(l.strangers[0]!)));
      await voted(l, l.mx.authority, id);
      await pass(l, admit(FR, await addressOf(l.strangers[1]!)));
      await voted(l, l.es.authority, id); // four states now: three votes needed
      await expectRevert(execute(l, l.us.authority, id), "ConsortiumStateExists", [FR]);
    });
  });

  describe("SuspendState", () => {
    it("suspends an active state, which no longer counts as active", async () => {
      const l = ledger();
      const { id } = await propose(l, l.us.authority, suspend(ES));
      await voted(l, l.mx.authority, id);
      await expectEvents(execute(l, l.mx.authority, id), l.consortium, [
        ["ProposalExecuted", { proposalId: id, votes: 2, required: 2, executor: await addressOf(l.mx.authority) }],
        ["StateStatusChanged", { code: ES, previousStatus: StateStatus.Active, newStatus: StateStatus.Suspended, proposalId: id }],
      ]);
      expect((await l.consortium.state(ES)).status).toBe(BigInt(StateStatus.Suspended));
      expect(await l.consortium.activeStateCount()).toBe(2n);
      await expectRevert(l.consortium.requireActiveState(ES), "ConsortiumUnexpectedStateStatus", [ES, StateStatus.Suspended]);
    });

    it("leaves the suspended state unable to change anything, except withdrawing its own votes", async () => {
      const l = ledger();
      const { id: esProposal } = await propose(l, l.es.authority, changeThreshold(7000));
      const { id: usProposal } = await propose(l, l.us.authority, changeThreshold(6000));
      await voted(l, l.mx.authority, usProposal);
      const treatyId = randomId();
      await (await l.treaties.connect(l.us.authority).registerTreaty(treatyId, digest(), 1, 1, 1, [])).wait();
      await pass(l, suspend(ES));

      const es = l.es.authority;
      const calls: [string, () => Promise<unknown>][] = [
        ["setAccountRoles", () => l.consortium.connect(es).setAccountRoles(l.strangers[0]!.getAddress(), AGENCY)],
        ["rotateEncryptionKey", () => l.consortium.connect(es).rotateEncryptionKey(randomId())],
        ["setGatewayUrl", () => l.consortium.connect(es).setGatewayUrl("https://elsewhere.example")],
        ["propose", () => l.consortium.connect(es).propose(reinstate(ES), VOTING_PERIOD)],
        ["vote", () => l.consortium.connect(es).vote(usProposal)],
        ["execute", () => l.consortium.connect(es).execute(usProposal)],
        ["registerTreaty", () => l.treaties.connect(es).registerTreaty(randomId(), digest(), 1, 1, 1, [])],
        ["ratify", () => l.treaties.connect(es).ratify(treatyId)],
        ["denounce", () => l.treaties.connect(es).denounce(l.untoc)],
      ];
      for (const [name, call] of calls) {
        try {
          await expectRevert(call(), "ConsortiumUnexpectedStateStatus", [ES, StateStatus.Suspended]);
        } catch (e) {
          throw new Error(`${name}: ${(e as Error).message}`);
        }
      }
      // Its other accounts are frozen as well.
      for (const [signer, role] of [
        [l.es.agency, AGENCY],
        [l.es.gateway, 4],
        [l.es.verifier, 8],
      ] as const) {
        await expectRevert(l.consortium.requireMember(await addressOf(signer), role), "ConsortiumUnexpectedStateStatus", [ES, StateStatus.Suspended]);
      }
      // The one exception: it may take back the vote it cast while active.
      await expectEvents(l.consortium.connect(es).withdrawVote(esProposal), l.consortium, [
        ["ProposalVoteWithdrawn", { proposalId: esProposal, state: ES, voter: await addressOf(es) }],
      ]);
    });

    it("refuses to suspend a suspended state (ConsortiumUnexpectedStateStatus), leaving the proposal pending", async () => {
      const l = ledger();
      const { id } = await propose(l, l.us.authority, suspend(ES, { descriptionDigest: digest() }));
      await voted(l, l.mx.authority, id);
      await pass(l, suspend(ES));
      await expectRevert(execute(l, l.us.authority, id), "ConsortiumUnexpectedStateStatus", [ES, StateStatus.Suspended]);
      expect(await status(l, id)).toBe(ProposalStatus.Pending);
    });

    it("refuses to suspend a removed state (ConsortiumUnexpectedStateStatus)", async () => {
      const l = ledger();
      await pass(l, remove(ES));
      const { id } = await propose(l, l.us.authority, suspend(ES));
      await voted(l, l.mx.authority, id);
      await expectRevert(execute(l, l.us.authority, id), "ConsortiumUnexpectedStateStatus", [ES, StateStatus.Removed]);
    });

    it.each([
      ["suspend", suspend],
      ["remove", remove],
    ])("refuses to %s the last active state (ConsortiumLastActiveState)", async (_, make) => {
      const l = ledger();
      await pass(l, suspend(ES));
      await pass(l, suspend(MX));
      expect(await l.consortium.activeStateCount()).toBe(1n);
      expect(await l.consortium.requiredVotes()).toBe(1n);
      const { id } = await propose(l, l.us.authority, make(US));
      await expectRevert(execute(l, l.us.authority, id), "ConsortiumLastActiveState", [US]);
      expect((await l.consortium.state(US)).status).toBe(BigInt(StateStatus.Active));
    });
  });

  describe("ReinstateState", () => {
    it("reinstates a suspended state, which can act again", async () => {
      const l = ledger();
      await pass(l, suspend(ES));
      const { id } = await propose(l, l.us.authority, reinstate(ES));
      await voted(l, l.mx.authority, id);
      await expectEvents(execute(l, l.us.authority, id), l.consortium, [
        ["ProposalExecuted", { proposalId: id, votes: 2, required: 2, executor: await addressOf(l.us.authority) }],
        ["StateStatusChanged", { code: ES, previousStatus: StateStatus.Suspended, newStatus: StateStatus.Active, proposalId: id }],
      ]);
      expect(await l.consortium.activeStateCount()).toBe(3n);
      expect(await l.consortium.requireActiveState(ES)).toBe(2n);
      await (await l.consortium.connect(l.es.authority).rotateEncryptionKey(randomId())).wait();
    });

    it("refuses to reinstate an active state (ConsortiumUnexpectedStateStatus)", async () => {
      const l = ledger();
      const { id } = await propose(l, l.us.authority, reinstate(ES));
      await voted(l, l.mx.authority, id);
      await expectRevert(execute(l, l.us.authority, id), "ConsortiumUnexpectedStateStatus", [ES, StateStatus.Active]);
    });

    it("cannot reinstate a removed state (ConsortiumUnexpectedStateStatus)", async () => {
      const l = ledger();
      await pass(l, suspend(ES));
      await pass(l, remove(ES));
      const { id } = await propose(l, l.us.authority, reinstate(ES));
      await voted(l, l.mx.authority, id);
      await expectRevert(execute(l, l.us.authority, id), "ConsortiumUnexpectedStateStatus", [ES, StateStatus.Removed]);
    });
  });

  describe("RemoveState", () => {
    it("removes an active state for good: it cannot act, nor be admitted again", async () => {
      const l = ledger();
      const { id } = await propose(l, l.us.authority, remove(ES));
      await voted(l, l.mx.authority, id);
      await expectEvents(execute(l, l.us.authority, id), l.consortium, [
        ["ProposalExecuted", { proposalId: id, votes: 2, required: 2, executor: await addressOf(l.us.authority) }],
        ["StateStatusChanged", { code: ES, previousStatus: StateStatus.Active, newStatus: StateStatus.Removed, proposalId: id }],
      ]);
      expect(await l.consortium.activeStateCount()).toBe(2n);
      expect(await l.consortium.stateCodes()).toEqual([US, MX, ES]);
      await expectRevert(l.consortium.connect(l.es.authority).rotateEncryptionKey(randomId()), "ConsortiumUnexpectedStateStatus", [
        ES,
        StateStatus.Removed,
      ]);
      await expectRevert(
        l.consortium.connect(l.us.authority).propose(admit(ES, await addressOf(l.strangers[0]!)), VOTING_PERIOD),
        "ConsortiumStateExists",
        [ES],
      );
    });

    it("removes a suspended state without changing the active count", async () => {
      const l = ledger();
      await pass(l, suspend(ES));
      const { id } = await propose(l, l.us.authority, remove(ES));
      await voted(l, l.mx.authority, id);
      await expectEvents(execute(l, l.us.authority, id), l.consortium, [
        ["ProposalExecuted", { proposalId: id, votes: 2, required: 2, executor: await addressOf(l.us.authority) }],
        ["StateStatusChanged", { code: ES, previousStatus: StateStatus.Suspended, newStatus: StateStatus.Removed, proposalId: id }],
      ]);
      expect(await l.consortium.activeStateCount()).toBe(2n);
    });

    it("refuses to remove a removed state (ConsortiumUnexpectedStateStatus)", async () => {
      const l = ledger();
      const { id } = await propose(l, l.us.authority, remove(ES, { descriptionDigest: digest() }));
      await voted(l, l.mx.authority, id);
      await pass(l, remove(ES));
      await expectRevert(execute(l, l.us.authority, id), "ConsortiumUnexpectedStateStatus", [ES, StateStatus.Removed]);
    });
  });

  describe("ChangeThreshold", () => {
    it("changes the threshold and with it the votes required", async () => {
      const l = ledger();
      const { id, tx } = await pass(l, changeThreshold(10_000));
      await expectEvents(tx, l.consortium, [
        ["ProposalExecuted", { proposalId: id, votes: 2, required: 2, executor: await addressOf(l.us.authority) }],
        ["ThresholdChanged", { previousBps: 5001, newBps: 10_000, proposalId: id }],
      ]);
      expect(await l.consortium.thresholdBps()).toBe(10_000n);
      expect(await l.consortium.requiredVotes()).toBe(3n);
      // Unanimity now: a two-state majority no longer passes anything.
      const { id: next } = await propose(l, l.us.authority, suspend(ES));
      await voted(l, l.mx.authority, next);
      await expectRevert(execute(l, l.us.authority, next), "ConsortiumQuorumNotReached", [next, 2, 3]);
    });
  });
});

describe("Consortium.requiredVotes", () => {
  it.each([
    [1, 1],
    [3333, 1],
    [3334, 2],
    [5000, 2],
    [6666, 2],
    [6667, 3],
    [10_000, 3],
  ])("rounds up: %i bps of 3 active states need %i votes", async (bps, required) => {
    const l = ledger();
    await pass(l, changeThreshold(bps));
    expect(await l.consortium.requiredVotes()).toBe(BigInt(required));
  });

  it.each([
    [5000, 1],
    [5001, 2],
  ])("follows the active count: %i bps of 2 active states need %i votes", async (bps, required) => {
    const l = ledger();
    if (bps !== 5001) await pass(l, changeThreshold(bps));
    await pass(l, suspend(ES));
    expect(await l.consortium.activeStateCount()).toBe(2n);
    expect(await l.consortium.requiredVotes()).toBe(BigInt(required));
  });

  it("needs 2 of the 3 founding states at 50.01 %", async () => {
    const l = ledger();
    expect(await l.consortium.thresholdBps()).toBe(5001n);
    expect(await l.consortium.requiredVotes()).toBe(2n);
  });
});

describe("Consortium governance scenario", () => {
  it("governance: admit, suspend, threshold change, expiry, double vote", async () => {
    const l = ledger();
    const [frAuthority, frAgency] = l.strangers as [Signer, Signer];
    const as = (s: Signer) => l.consortium.connect(s);
    const fr = await addressOf(frAuthority);
    const status = async (id: string) => Number((await l.consortium.proposal(id)).status);

    // 1. Admission of FR: the proposer's state and a voter cannot vote twice; ES, which did not vote, executes.
    const { id: admission } = await propose(l, l.us.authority, admit(FR, fr, { gatewayUrl: "https://gateway.fr.example" }));
    await expectRevert(as(l.us.authority).vote(admission), "ConsortiumVoteState", [admission, US, true]);
    await (await as(l.mx.authority).vote(admission)).wait();
    await expectRevert(as(l.mx.authority).vote(admission), "ConsortiumVoteState", [admission, MX, true]);
    await expectEvents(as(l.es.authority).execute(admission), l.consortium, [
      ["ProposalExecuted", { proposalId: admission, votes: 2, required: 2, executor: await addressOf(l.es.authority) }],
      ["StateAdmitted", { code: FR, index: 3, encryptionKey: keyOf(FR), gatewayUrl: "https://gateway.fr.example", proposalId: admission }],
      ["AccountRolesChanged", { account: fr, state: FR, previousRoles: 0, newRoles: CA, actor: await addressOf(l.es.authority) }],
    ]);
    expect(await l.consortium.requiredVotes()).toBe(3n);
    await (await as(frAuthority).setAccountRoles(await addressOf(frAgency), AGENCY)).wait();
    await (await l.treaties.connect(frAuthority).ratify(l.untoc)).wait();

    // 2. Suspension of MX, proposed by the newcomer: three of four votes needed.
    const { id: suspension } = await propose(l, frAuthority, suspend(MX));
    await (await as(l.us.authority).vote(suspension)).wait();
    await expectRevert(as(frAuthority).execute(suspension), "ConsortiumQuorumNotReached", [suspension, 2, 3]);
    await (await as(l.es.authority).vote(suspension)).wait();
    await expectEvents(as(frAuthority).execute(suspension), l.consortium, [
      ["ProposalExecuted", { proposalId: suspension, votes: 3, required: 3, executor: fr }],
      ["StateStatusChanged", { code: MX, previousStatus: StateStatus.Active, newStatus: StateStatus.Suspended, proposalId: suspension }],
    ]);
    expect(await l.consortium.activeStateCount()).toBe(3n);
    expect(await l.consortium.requiredVotes()).toBe(2n);

    // 3. Threshold change to unanimity of the active states; suspended MX has no say.
    const { id: unanimity } = await propose(l, l.us.authority, changeThreshold(10_000));
    await expectRevert(as(l.mx.authority).vote(unanimity), "ConsortiumUnexpectedStateStatus", [MX, StateStatus.Suspended]);
    await (await as(frAuthority).vote(unanimity)).wait();
    await expectEvents(as(l.us.authority).execute(unanimity), l.consortium, [
      ["ProposalExecuted", { proposalId: unanimity, votes: 2, required: 2, executor: await addressOf(l.us.authority) }],
      ["ThresholdChanged", { previousBps: 5001, newBps: 10_000, proposalId: unanimity }],
    ]);
    expect(await l.consortium.requiredVotes()).toBe(3n);
    await expectRevert(as(l.us.authority).execute(unanimity), "ConsortiumUnexpectedProposalStatus", [unanimity, ProposalStatus.Executed]);

    // 4. Expiry: a reinstatement that ES does not vote for in time is dead, and its id cannot be reused.
    const { id: late } = await propose(l, l.us.authority, reinstate(MX), HOUR);
    await (await as(frAuthority).vote(late)).wait();
    await expectRevert(as(l.us.authority).execute(late), "ConsortiumQuorumNotReached", [late, 2, 3]);
    await increaseTime(HOUR + 1);
    expect(await status(late)).toBe(ProposalStatus.Expired);
    await expectRevert(as(l.es.authority).vote(late), "ConsortiumUnexpectedProposalStatus", [late, ProposalStatus.Expired]);
    await expectRevert(as(l.us.authority).execute(late), "ConsortiumUnexpectedProposalStatus", [late, ProposalStatus.Expired]);
    await expectRevert(as(frAuthority).withdrawVote(late), "ConsortiumUnexpectedProposalStatus", [late, ProposalStatus.Expired]);
    await expectRevert(as(l.us.authority).propose(reinstate(MX), HOUR), "ConsortiumProposalExists", [late]);

    // …so it is proposed again with a new description digest, and passes unanimously.
    const { id: again } = await propose(l, l.es.authority, reinstate(MX, { descriptionDigest: digest() }));
    await (await as(l.us.authority).vote(again)).wait();
    await expectRevert(as(l.us.authority).vote(again), "ConsortiumVoteState", [again, US, true]);
    await (await as(frAuthority).vote(again)).wait();
    await expectEvents(as(frAuthority).execute(again), l.consortium, [
      ["ProposalExecuted", { proposalId: again, votes: 3, required: 3, executor: fr }],
      ["StateStatusChanged", { code: MX, previousStatus: StateStatus.Suspended, newStatus: StateStatus.Active, proposalId: again }],
    ]);

    // The consortium now: four active states, unanimity, MX back in business.
    expect(await l.consortium.stateCodes()).toEqual([US, MX, ES, FR]);
    expect(await l.consortium.activeStateCount()).toBe(4n);
    expect(await l.consortium.requiredVotes()).toBe(4n);
    await (await as(l.mx.authority).setGatewayUrl("https://gateway.mx.example/v2")).wait();
    expect(await l.treaties.hasRatified(l.untoc, FR)).toBe(true);
    expect([await status(admission), await status(suspension), await status(unanimity), await status(late), await status(again)]).toEqual([
      ProposalStatus.Executed,
      ProposalStatus.Executed,
      ProposalStatus.Executed,
      ProposalStatus.Expired,
      ProposalStatus.Executed,
    ]);
  });
});
