import { fromStateBytes } from "../../../sdk/src/ledger/stateCode";
import { Role, StateStatus, type RoleName } from "../../../sdk/src/ledger/types";
import type { Chain } from "../chain/chain";
import type { ChainEventRow } from "../store/tables";

/** An account's standing on the ledger: its state, role bits, and whether that state is active. */
export interface Membership {
  address: string;
  /** ISO code, or "" for an account of no state. */
  state: string;
  roles: number;
  stateActive: boolean;
}

/** True when `m` holds any of `roles`. */
export function hasAnyRole(m: Membership, roles: readonly RoleName[]): boolean {
  return roles.some((r) => (m.roles & Role[r]) !== 0);
}

/** Events after which cached memberships may be wrong. */
const MEMBERSHIP_EVENTS = new Set(["AccountRolesChanged", "StateStatusChanged", "StateAdmitted"]);

/**
 * The chain's answer to "who is this account", cached for `ttlMs` and dropped as soon as the indexer
 * sees a role or state-status change, so a revoked account loses access at the next indexed block.
 * Only members are cached: anyone can make the gateway look up any address (a forged peer signature, a
 * SIWE message signed by a fresh key), and caching those answers would let unauthenticated callers grow
 * the cache without bound. The cache is thereby as large as the consortium's accounts, no larger.
 */
export class MembershipCache {
  readonly #entries = new Map<string, { value: Membership; until: number }>();

  constructor(
    private readonly chain: Chain,
    private readonly ttlMs = 60_000,
  ) {}

  /** The membership of `address`, from the cache or the chain. */
  async get(address: string): Promise<Membership> {
    const key = address.toLowerCase();
    const hit = this.#entries.get(key);
    if (hit && hit.until > Date.now()) return hit.value;
    const [stateBytes, roles] = await this.chain.contracts.consortium.accountOf(address);
    const state = BigInt(stateBytes) === 0n ? "" : fromStateBytes(stateBytes);
    const stateActive = state !== "" && Number((await this.chain.contracts.consortium.state(stateBytes)).status) === StateStatus.Active;
    const value: Membership = { address, state, roles: Number(roles), stateActive };
    if (state !== "" && value.roles !== 0) this.#entries.set(key, { value, until: Date.now() + this.ttlMs });
    return value;
  }

  /** Accounts cached now. */
  get size(): number {
    return this.#entries.size;
  }

  /** Drops everything when indexed events touch membership. */
  invalidate(events: readonly ChainEventRow[]): void {
    if (events.some((e) => MEMBERSHIP_EVENTS.has(e.name))) this.#entries.clear();
  }

  clear(): void {
    this.#entries.clear();
  }
}
