import { keyBytesToRecipient } from "../../../sdk/src/ledger/encryptionKey";
import { toStateBytes } from "../../../sdk/src/ledger/stateCode";
import { StateStatus } from "../../../sdk/src/ledger/types";
import type { ChainEventRow } from "../store/tables";
import type { Chain } from "./chain";

/** What the consortium registry publishes about a member state. */
export interface StateEntry {
  code: string;
  status: StateStatus;
  /** Its current age recipient (`age1…`). */
  recipient: string;
  keyVersion: number;
  gatewayUrl: string;
}

const DIRECTORY_EVENTS = new Set(["StateAdmitted", "StateStatusChanged", "StateKeyRotated", "StateGatewayChanged"]);

/**
 * Member states' keys and gateway URLs as the chain publishes them, cached and dropped when the indexer
 * sees a key rotation, a gateway change or a status change. Payloads are always encrypted to the keys
 * the chain currently names, never to a key a peer supplies.
 */
export class StateDirectory {
  readonly #entries = new Map<string, Promise<StateEntry>>();

  constructor(private readonly chain: Chain) {}

  /** The entry of `code`; unknown states have status None. */
  get(code: string): Promise<StateEntry> {
    let entry = this.#entries.get(code);
    if (!entry) {
      entry = this.load(code);
      this.#entries.set(code, entry);
      entry.catch(() => this.#entries.delete(code));
    }
    return entry;
  }

  private async load(code: string): Promise<StateEntry> {
    const s = await this.chain.contracts.consortium.state(toStateBytes(code));
    const status = Number(s.status) as StateStatus;
    return {
      code,
      status,
      recipient: status === StateStatus.None ? "" : keyBytesToRecipient(s.encryptionKey),
      keyVersion: Number(s.keyVersion),
      gatewayUrl: s.gatewayUrl,
    };
  }

  invalidate(events: readonly ChainEventRow[]): void {
    if (events.some((e) => DIRECTORY_EVENTS.has(e.name))) this.#entries.clear();
  }
}
