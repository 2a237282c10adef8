import { ZeroAddress } from "ethers";
import { z } from "zod";
import { toStateBytes } from "../../../sdk/src/ledger/stateCode";
import { CustodyAction } from "../../../sdk/src/ledger/types";
import type { GatewayContext } from "../context";
import { Address, StateCode } from "../http/validate";
import type { EvidenceRecord } from "./visibility";
import { heldPayloadDigest } from "./heldPayload";

/** Who may take a custody step: the current custodian's state, or the state an offer names. */
export type CustodyParty = "custodian" | "recipient";

/** One custody step of the REST API (`POST /v1/evidence/{id}/<path>`). */
export interface CustodyActionSpec<B extends z.ZodType = z.ZodType> {
  path: string;
  method: string;
  party: CustodyParty;
  body: B;
  /** States besides this one that the step's document (if any) is encrypted to. */
  readers(record: EvidenceRecord, body: z.infer<B>): string[];
  /** Contract arguments after `evidenceId`, given the parsed body and the document digest (zero if none). */
  args(ctx: GatewayContext, record: EvidenceRecord, body: z.infer<B>, documentDigest: string): Promise<unknown[]>;
}

/** A letter or decision that goes with the step: any JSON object, encrypted to the states concerned. */
const Document = z.record(z.string().max(200), z.unknown()).optional();
const MAX_OFFER_SECONDS = 30 * 86_400;

const Offer = z.strictObject({
  toState: StateCode,
  toAccount: Address.optional(),
  expiresInSeconds: z
    .number()
    .int()
    .min(60)
    .max(MAX_OFFER_SECONDS)
    .default(7 * 86_400),
  document: Document,
});
const WithDocument = z.strictObject({ document: Document });
const Empty = z.strictObject({});
const DISPOSITIONS = { returned: CustodyAction.Returned, destroyed: CustodyAction.Destroyed, released: CustodyAction.Released } as const;
const Dispose = z.strictObject({ disposition: z.enum(["returned", "destroyed", "released"]), document: Document });

async function chainNow(ctx: GatewayContext): Promise<number> {
  const latest = await ctx.chain.provider.getBlock("latest");
  return latest?.timestamp ?? Math.floor(Date.now() / 1000);
}

const offer: CustodyActionSpec<typeof Offer> = {
  path: "offer",
  method: "offerCustody",
  party: "custodian",
  body: Offer,
  readers: (_r, b) => [b.toState],
  args: async (ctx, _r, b, digest) => [toStateBytes(b.toState), b.toAccount ?? ZeroAddress, (await chainNow(ctx)) + b.expiresInSeconds, digest],
};

const accept: CustodyActionSpec<typeof Empty> = {
  path: "accept",
  method: "acceptCustody",
  party: "recipient",
  body: Empty,
  readers: () => [],
  args: async (ctx, r) => [await heldPayloadDigest(ctx, r.evidence)],
};

const reject: CustodyActionSpec<typeof WithDocument> = {
  path: "reject",
  method: "rejectCustody",
  party: "recipient",
  body: WithDocument,
  readers: (r) => [r.evidence.custodian_state],
  args: async (_c, _r, _b, digest) => [digest],
};

const cancel: CustodyActionSpec<typeof Empty> = {
  path: "cancel-offer",
  method: "cancelOffer",
  party: "custodian",
  body: Empty,
  readers: () => [],
  args: async () => [],
};

const dispose: CustodyActionSpec<typeof Dispose> = {
  path: "dispose",
  method: "dispose",
  party: "custodian",
  body: Dispose,
  readers: (r) => (r.request ? [r.request.requesting_state] : []),
  args: async (_c, _r, b, digest) => [DISPOSITIONS[b.disposition], digest],
};

/** Every custody step after registration. The ledger judges whether a step is allowed now. */
export const CUSTODY_ACTIONS: readonly CustodyActionSpec[] = [offer, accept, reject, cancel, dispose] as CustodyActionSpec[];
