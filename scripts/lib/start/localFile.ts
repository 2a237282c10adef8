/**
 * `.data/local.json` (`mlat-ledger/local/v1`): what `npm start` runs — the chain's RPC URL, the deployment,
 * each state's gateway URL, its accounts and where their keys are. Written by `npm start`, read by
 * `npm run demo` and by anyone who wants to call a gateway by hand.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { Wallet } from "ethers";
import { z } from "zod";

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/);
const bytes32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/);

/** The four accounts of a state, by role. */
export const ACCOUNT_ROLES = ["authority", "agency", "gateway", "verifier"] as const;
export type AccountRole = (typeof ACCOUNT_ROLES)[number];

const Accounts = z.strictObject({ authority: address, agency: address, gateway: address, verifier: address });

/** One state of the local consortium. */
export const LocalStateSchema = z.strictObject({
  gatewayUrl: z.url(),
  accounts: Accounts,
  /** JSON file with the accounts' private keys (see {@link AccountsFileSchema}). */
  accountsFile: z.string().min(1),
  /** The state's age identity (`AGE-SECRET-KEY-1…`). */
  identityFile: z.string().min(1),
  /** The gateway's SQLite file, blob directory and log. */
  storeFile: z.string().min(1),
  blobDir: z.string().min(1),
  logFile: z.string().min(1),
});

/** The whole of `local.json`. */
export const LocalFileSchema = z.strictObject({
  format: z.literal("mlat-ledger/local/v1"),
  note: z.string(),
  rpcUrl: z.url(),
  chainId: z.number().int().positive(),
  deploymentFile: z.string().min(1),
  consortium: address,
  treaties: z.strictObject({ bilateral: bytes32, untoc: bytes32 }),
  states: z.record(z.string().regex(/^[A-Z]{2}$/), LocalStateSchema),
  startedAt: z.iso.datetime(),
});
export type LocalFile = z.infer<typeof LocalFileSchema>;
export type LocalStateEntry = z.infer<typeof LocalStateSchema>;

/** `keys/<STATE>.accounts.json`: the development keys of a state's accounts. */
export const AccountsFileSchema = z.strictObject({
  format: z.literal("mlat-ledger/dev-accounts/v1"),
  note: z.string(),
  state: z.string(),
  accounts: z.record(z.enum(ACCOUNT_ROLES), z.strictObject({ address, privateKey: bytes32, hdPath: z.string() })),
});
export type AccountsFile = z.infer<typeof AccountsFileSchema>;

/** Says what the keys are, in every file that holds or points to them. */
export const DEV_KEYS_NOTE =
  "Development keys derived from the public Hardhat/anvil mnemonic 'test test test test test test test test test test test junk': anyone can compute them. Never use them outside this machine.";

/** The problem with a local file: which file and what is wrong. */
export class LocalFileError extends Error {
  override readonly name = "LocalFileError";
  constructor(
    readonly file: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}: ${message}`, options);
  }
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (cause) {
    throw new LocalFileError(file, "cannot be read", { cause });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new LocalFileError(file, "is not JSON", { cause });
  }
}

function parseWith<T>(schema: z.ZodType<T>, file: string, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new LocalFileError(file, `is not valid: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/**
 * Reads and validates `local.json`.
 * @example const local = readLocalFile(".data/local.json"); local.states.US.gatewayUrl
 */
export function readLocalFile(file: string): LocalFile {
  return parseWith(LocalFileSchema, file, readJson(file));
}

/**
 * Writes `local.json`.
 * @example writeLocalFile(layout.localFile, local);
 */
export function writeLocalFile(file: string, local: LocalFile): void {
  writeFileSync(file, JSON.stringify(local, null, 2) + "\n");
}

/**
 * Reads a state's accounts file.
 * @example const keys = readAccountsFile(local.states.US.accountsFile); keys.accounts.agency.privateKey
 */
export function readAccountsFile(file: string): AccountsFile {
  return parseWith(AccountsFileSchema, file, readJson(file));
}

/**
 * Writes a state's accounts file, readable by its owner only.
 * @example writeAccountsFile(layout.accountsFile("US"), { format: "mlat-ledger/dev-accounts/v1", … });
 */
export function writeAccountsFile(file: string, accounts: AccountsFile): void {
  writeFileSync(file, JSON.stringify(accounts, null, 2) + "\n", { mode: 0o600 });
}

/**
 * The wallet of a state's account of `role`, from its accounts file.
 * @example const usAgency = accountWallet(local.states.US, "agency");
 */
export function accountWallet(state: LocalStateEntry, role: AccountRole): Wallet {
  const entry = readAccountsFile(state.accountsFile).accounts[role];
  if (!entry) throw new LocalFileError(state.accountsFile, `has no ${role} account`);
  return new Wallet(entry.privateKey);
}
