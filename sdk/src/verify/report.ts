/** The verdict of one check: it held, it failed, or it could not be made with what was given. */
export type Verdict = "pass" | "fail" | "skip";

/** Where on the chain a check found what it relied on. */
export interface ChainLocation {
  blockNumber: number;
  transactionHash: string;
}

/** One check of a verification, with its verdict and why. */
export interface Check {
  /** Stable id: content-commitment, payload-digest, anchor-location, custody-chain, custody-head, custodian, request. */
  id: string;
  verdict: Verdict;
  reason: string;
  at?: ChainLocation[];
}

/** The outcome of verifying one evidence file. */
export interface VerificationReport {
  /** True when no check failed and the file itself was tied to the anchor (commitment or payload digest). */
  ok: boolean;
  evidenceId: string;
  file: { path: string; sha256: string; size: number; kind: "plaintext" | "age" };
  chainId: number;
  custody: string;
  checks: Check[];
}

/** Builds a check. */
export const check = (id: string, verdict: Verdict, reason: string, at?: ChainLocation[]): Check =>
  at ? { id, verdict, reason, at } : { id, verdict, reason };

/** Whether a set of checks amounts to a verified file. */
export function overall(checks: readonly Check[]): boolean {
  const tied = checks.some((c) => (c.id === "content-commitment" || c.id === "payload-digest") && c.verdict === "pass");
  return tied && checks.every((c) => c.verdict !== "fail");
}
