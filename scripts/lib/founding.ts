import { keccak256, toUtf8Bytes } from "ethers";
import { z } from "zod";
import {
  ALL_ASSISTANCE_TYPES,
  AssistanceType,
  assistanceMask,
  Role,
  rolesMask,
  type AssistanceTypeName,
  type RoleName,
} from "../../sdk/src/ledger/types";
import { toStateBytes } from "../../sdk/src/ledger/stateCode";
import { recipientToKeyBytes } from "../../sdk/src/ledger/encryptionKey";

function isRecipient(s: string): boolean {
  try {
    recipientToKeyBytes(s);
    return true;
  } catch {
    return false;
  }
}

const stateCode = z.string().regex(/^[A-Z]{2}$/, "an ISO 3166-1 alpha-2 code such as MX");
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "an 0x-prefixed address");
const bytes32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/, "an 0x-prefixed 32-byte hex value");
const roleName = z.enum(Object.keys(Role) as [RoleName, ...RoleName[]]);
const assistanceName = z.enum(Object.keys(AssistanceType) as [AssistanceTypeName, ...AssistanceTypeName[]]);

/** "90d", "12h", "30m", "45s" or a number of seconds. */
const duration = z.union([
  z.number().int().positive(),
  z
    .string()
    .regex(/^\d+[smhd]$/, 'a duration such as "5d", "12h", "30m" or a number of seconds')
    .transform((s) => Number(s.slice(0, -1)) * { s: 1, m: 60, h: 3600, d: 86400 }[s.at(-1) as "s" | "m" | "h" | "d"]),
]);

/** The founding file: states, their keys, gateways and accounts, the threshold, and founding treaties. */
export const FoundingSchema = z.strictObject({
  thresholdBps: z.number().int().min(1).max(10_000),
  states: z
    .array(
      z.strictObject({
        code: stateCode,
        /** The state's age X25519 recipient (`age1…`), or its 32 bytes as 0x hex. */
        encryptionKey: z.string().refine(isRecipient, "an age1… X25519 recipient or 32 bytes of 0x hex"),
        gatewayUrl: z.url(),
        accounts: z
          .array(z.strictObject({ address, roles: z.array(roleName).min(1) }))
          .min(1)
          .refine((a) => a.some((x) => x.roles.includes("CENTRAL_AUTHORITY")), "needs a CENTRAL_AUTHORITY account"),
      }),
    )
    .min(1)
    // The founding states travel in one creation transaction, whose init code EIP-3860 caps at 49,152 bytes:
    // about 100 states with one account each. Found with up to 64; admit the rest by governance.
    .max(64, "found with at most 64 states (EIP-3860 init-code limit); admit the others by proposal")
    .superRefine((states, ctx) => {
      const codes = new Set<string>();
      const accounts = new Map<string, string>();
      states.forEach((s, i) => {
        if (codes.has(s.code)) ctx.addIssue({ code: "custom", path: [i, "code"], message: `state ${s.code} listed twice` });
        codes.add(s.code);
        s.accounts.forEach((a, j) => {
          const owner = accounts.get(a.address.toLowerCase());
          if (owner) {
            ctx.addIssue({
              code: "custom",
              path: [i, "accounts", j, "address"],
              message: `account ${a.address} already belongs to ${owner}: an account acts for one state only`,
            });
          }
          accounts.set(a.address.toLowerCase(), s.code);
        });
      });
    }),
  treaties: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        /** Defaults to keccak256 of the name. */
        id: bytes32.optional(),
        documentDigest: bytes32,
        scope: z.union([z.literal("ALL"), z.array(assistanceName).min(1)]),
        acknowledgeWithin: duration,
        respondWithin: duration,
        parties: z.array(stateCode).default([]),
        ratifiedBy: z.array(stateCode).default([]),
      }),
    )
    .default([]),
});
/** A founding file as written. */
export type FoundingInput = z.input<typeof FoundingSchema>;
/** A validated founding file. */
export type Founding = z.infer<typeof FoundingSchema>;

/** Constructor arguments of Consortium and TreatyRegistry derived from a founding file. */
export interface FoundingArgs {
  thresholdBps: number;
  states: { code: string; encryptionKey: string; gatewayUrl: string; accounts: { account: string; roles: number }[] }[];
  treaties: {
    treatyId: string;
    documentDigest: string;
    scope: number;
    acknowledgeWithin: number;
    respondWithin: number;
    parties: string[];
    ratifiedBy: string[];
  }[];
}

/** The id of a treaty with this name when the founding file gives none. */
export function treatyIdOf(name: string): string {
  return keccak256(toUtf8Bytes(name));
}

/** Thrown when a founding file is invalid; the message lists every problem with its path. */
export class FoundingError extends Error {
  override readonly name = "FoundingError";
}

/** Validates a founding file and turns it into constructor arguments. */
export function foundingArgs(input: unknown): FoundingArgs {
  const parsed = FoundingSchema.safeParse(input);
  if (!parsed.success) throw new FoundingError(`invalid founding file:\n${z.prettifyError(parsed.error)}`);
  const f = parsed.data;
  return {
    thresholdBps: f.thresholdBps,
    states: f.states.map((s) => ({
      code: toStateBytes(s.code),
      encryptionKey: recipientToKeyBytes(s.encryptionKey),
      gatewayUrl: s.gatewayUrl,
      accounts: s.accounts.map((a) => ({ account: a.address, roles: rolesMask(a.roles) })),
    })),
    treaties: f.treaties.map((t) => ({
      treatyId: t.id ?? treatyIdOf(t.name),
      documentDigest: t.documentDigest,
      scope: t.scope === "ALL" ? ALL_ASSISTANCE_TYPES : assistanceMask(t.scope),
      acknowledgeWithin: t.acknowledgeWithin,
      respondWithin: t.respondWithin,
      parties: t.parties.map(toStateBytes),
      ratifiedBy: t.ratifiedBy.map(toStateBytes),
    })),
  };
}
