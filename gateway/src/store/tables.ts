import type { Generated, Insertable, Selectable, Updateable } from "kysely";

/**
 * The gateway's tables. Portable types only (text, integer, bigint as JS number): the same migrations
 * run on SQLite and PostgreSQL. Times are unix milliseconds unless named `…Sec` (chain time, seconds).
 */
export interface Tables {
  meta: MetaTable;
  chain_events: ChainEventTable;
  event_digests: EventDigestTable;
  indexed_blocks: IndexedBlockTable;
  requests: RequestTable;
  evidence: EvidenceTable;
  documents: DocumentTable;
  intents: IntentTable;
  jobs: JobTable;
  audit_entries: AuditEntryTable;
  audit_batches: AuditBatchTable;
  sessions: SessionTable;
  login_nonces: LoginNonceTable;
}

/** Small key/value facts: the indexer checkpoint, the schema's owner state. */
export interface MetaTable {
  key: string;
  value: string;
}

/** One indexed ledger event (the source every projection is folded from). */
export interface ChainEventTable {
  block_number: number;
  log_index: number;
  block_hash: string;
  block_time: number;
  tx_hash: string;
  contract: string;
  name: string;
  /** JSON of the decoded arguments (bigints as strings). */
  args: string;
  request_id: string | null;
  evidence_id: string | null;
}

/** A digest (document, payload, manifest) an indexed event carries. */
export interface EventDigestTable {
  digest: string;
  block_number: number;
  log_index: number;
}

/** Hashes of recently indexed blocks, to notice a reorg. */
export interface IndexedBlockTable {
  number: number;
  hash: string;
}

/** Projection of a request from its events. */
export interface RequestTable {
  request_id: string;
  requesting_state: string;
  requested_state: string;
  treaty_id: string;
  assistance_types: number;
  accepted_types: number;
  priority: number;
  status: number;
  refusal_reason: number;
  acknowledge_by: number;
  respond_by: number;
  document_digest: string;
  submitted_block: number;
  submitted_at_sec: number;
  updated_block: number;
  updated_at_sec: number;
}

/** Projection of an evidence item from its events. */
export interface EvidenceTable {
  evidence_id: string;
  request_id: string;
  payload_digest: string;
  content_commitment: string;
  manifest_digest: string;
  custodian_state: string;
  custodian_account: string;
  offer_to_state: string | null;
  offer_to_account: string | null;
  offer_expires_at_sec: number | null;
  disposition: number;
  head: string;
  registered_block: number;
  updated_block: number;
  updated_at_sec: number;
}

/** A ciphertext this gateway holds in its blob store, and what it belongs to. */
export interface DocumentTable {
  digest: string;
  kind: string;
  request_id: string | null;
  evidence_id: string | null;
  size: number;
  /** Where it came from: `local` (made here) or the pushing state's code. */
  origin: string;
  created_by: string | null;
  created_at: number;
}

/** A ledger call prepared for an account to sign, and its way to the chain. */
export interface IntentTable {
  id: string;
  kind: string;
  actor: string;
  actor_state: string;
  request_id: string | null;
  evidence_id: string | null;
  to_address: string;
  data: string;
  gas: string;
  nonce: string;
  deadline: number;
  document_digest: string | null;
  signature: string | null;
  /** awaiting-signature | queued | sent | mined | failed | expired */
  status: string;
  tx_hash: string | null;
  block_number: number | null;
  error: string | null;
  created_at: number;
  updated_at: number;
}

/** The outbox: work that must happen exactly once, committed with the record it belongs to. */
export interface JobTable {
  id: string;
  kind: string;
  payload: string;
  /** pending | running | done | dead */
  status: string;
  attempts: number;
  run_at: number;
  last_error: string | null;
  locked_until: number | null;
  created_at: number;
  updated_at: number;
}

/** One audit-log entry; its salted leaf goes into an anchored Merkle batch. */
export interface AuditEntryTable {
  id: string;
  at: number;
  actor: string;
  actor_state: string;
  action: string;
  subject: string;
  detail: string;
  salt: string;
  leaf_value: string;
  batch_root: string | null;
}

/** A Merkle batch of audit entries and its anchoring. */
export interface AuditBatchTable {
  root: string;
  leaf_count: number;
  batch_digest: string;
  /** pending | anchored */
  status: string;
  tx_hash: string | null;
  block_number: number | null;
  created_at: number;
}

/** A signed-in session (the token is stored only as its hash). */
export interface SessionTable {
  token_hash: string;
  address: string;
  state: string;
  expires_at: number;
  created_at: number;
}

/** SIWE nonces handed out and not yet used. */
export interface LoginNonceTable {
  nonce: string;
  expires_at: number;
}

export type ChainEventRow = Selectable<ChainEventTable>;
export type RequestRow = Selectable<RequestTable>;
export type EvidenceRow = Selectable<EvidenceTable>;
export type DocumentRow = Selectable<DocumentTable>;
export type IntentRow = Selectable<IntentTable>;
export type NewIntent = Insertable<IntentTable>;
export type IntentUpdate = Updateable<IntentTable>;
export type JobRow = Selectable<JobTable>;
export type AuditEntryRow = Selectable<AuditEntryTable>;
export type AuditBatchRow = Selectable<AuditBatchTable>;
export type SessionRow = Selectable<SessionTable>;
export type { Generated };
