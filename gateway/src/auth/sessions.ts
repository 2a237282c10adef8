import { createHash, randomBytes } from "node:crypto";
import { SiweMessage } from "siwe";
import type { Kysely } from "kysely";
import { GatewayError } from "../http/errors";
import type { Tables } from "../store/tables";
import type { MembershipCache } from "./membership";

/** What signing in yields. */
export interface Session {
  token: string;
  address: string;
  state: string;
  roles: number;
  expiresAt: string;
}

const NONCE_TTL_MS = 5 * 60_000;
const MAX_CLOCK_SKEW_MS = 5 * 60_000;

const hashToken = (token: string): string => createHash("sha256").update(token).digest("hex");

/**
 * Sign-In with Ethereum (EIP-4361) for a gateway: hands out single-use nonces, verifies signed messages
 * (domain, chain id, nonce, times, signature), admits only accounts of this gateway's state, and issues
 * short-lived bearer tokens stored as hashes.
 */
export class SessionService {
  constructor(
    private readonly db: Kysely<Tables>,
    private readonly memberships: MembershipCache,
    private readonly options: { state: string; chainId: number; domain: () => string; ttlSeconds: number },
  ) {}

  /** A fresh nonce for a SIWE message. */
  async nonce(): Promise<string> {
    const nonce = randomBytes(16).toString("hex");
    const now = Date.now();
    await this.db.deleteFrom("login_nonces").where("expires_at", "<", now).execute();
    await this.db.insertInto("login_nonces").values({ nonce, expires_at: now + NONCE_TTL_MS }).execute();
    return nonce;
  }

  /** Verifies a signed SIWE message and opens a session for an account of this state. */
  async signIn(message: string, signature: string): Promise<Session> {
    let siwe: SiweMessage;
    try {
      siwe = new SiweMessage(message);
    } catch (e) {
      throw new GatewayError("VALIDATION_FAILED", `not an EIP-4361 message: ${e instanceof Error ? e.message : String(e)}`);
    }
    const domain = this.options.domain();
    if (siwe.domain !== domain) throw new GatewayError("UNAUTHENTICATED", `the message is for ${siwe.domain}, this gateway is ${domain}`);
    if (siwe.chainId !== this.options.chainId) throw new GatewayError("UNAUTHENTICATED", `the message is for chain ${siwe.chainId}, the ledger is on ${this.options.chainId}`);
    const issued = Date.parse(siwe.issuedAt ?? "");
    if (!Number.isFinite(issued) || Math.abs(Date.now() - issued) > MAX_CLOCK_SKEW_MS) {
      throw new GatewayError("UNAUTHENTICATED", "the message's issuedAt is missing or more than 5 minutes off");
    }
    const used = await this.db.deleteFrom("login_nonces").where("nonce", "=", siwe.nonce).where("expires_at", ">=", Date.now()).executeTakeFirst();
    if (Number(used.numDeletedRows) !== 1) throw new GatewayError("UNAUTHENTICATED", "unknown, used or expired nonce; ask /v1/auth/nonce for a new one");
    const verified = await siwe.verify({ signature, domain, nonce: siwe.nonce }, { suppressExceptions: true });
    if (!verified.success) throw new GatewayError("UNAUTHENTICATED", `the signature does not verify: ${verified.error?.type ?? "invalid"}`);
    const m = await this.memberships.get(siwe.address);
    if (m.state !== this.options.state || m.roles === 0) {
      throw new GatewayError("FORBIDDEN", `account ${siwe.address} is not an account of ${this.options.state}`);
    }
    if (!m.stateActive) throw new GatewayError("FORBIDDEN", `${m.state} is not an active member state`);
    const token = randomBytes(32).toString("base64url");
    const now = Date.now();
    const expiresAt = now + this.options.ttlSeconds * 1000;
    await this.db.insertInto("sessions").values({ token_hash: hashToken(token), address: siwe.address, state: m.state, expires_at: expiresAt, created_at: now }).execute();
    await this.db.deleteFrom("sessions").where("expires_at", "<", now).execute();
    return { token, address: siwe.address, state: m.state, roles: m.roles, expiresAt: new Date(expiresAt).toISOString() };
  }

  /** The session of a bearer token, or undefined when unknown or expired. */
  async lookup(token: string): Promise<{ address: string; state: string } | undefined> {
    const row = await this.db.selectFrom("sessions").select(["address", "state", "expires_at"]).where("token_hash", "=", hashToken(token)).executeTakeFirst();
    if (!row || row.expires_at < Date.now()) return undefined;
    return { address: row.address, state: row.state };
  }

  /** Ends a session. */
  async signOut(token: string): Promise<void> {
    await this.db.deleteFrom("sessions").where("token_hash", "=", hashToken(token)).execute();
  }
}
