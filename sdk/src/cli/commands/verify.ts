import { readFileSync } from "node:fs";
import { JsonRpcProvider } from "ethers";
import { loadDeployment } from "../../ledger/deployment";
import { parseBundle } from "../../verify/bundle";
import type { VerificationReport } from "../../verify/report";
import { verifyEvidence } from "../../verify/verifyEvidence";
import { parseArgs, single } from "../args";
import type { CliIo } from "../io";
import { FailedCheckError, UsageError } from "../usage";

const MARK = { pass: "✔", fail: "✘", skip: "–" } as const;

function readBundle(path: string) {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new UsageError(`cannot read bundle ${path}: ${(e as Error).message}`);
  }
  return parseBundle(json);
}

/** Prints a report as a short table, one check a line. */
export function formatReport(r: VerificationReport): string {
  const lines = [
    `evidence ${r.evidenceId} on chain ${r.chainId}, custody contract ${r.custody}`,
    `file ${r.file.path} (${r.file.kind}, ${r.file.size} bytes, sha256 ${r.file.sha256.slice(2)})`,
    ...r.checks.map((c) => {
      const where = c.at?.length ? ` [block ${c.at.map((a) => a.blockNumber).join(", ")}]` : "";
      return `${MARK[c.verdict]} ${c.id.padEnd(18)} ${c.reason}${where}`;
    }),
    r.ok ? "VERIFIED" : "NOT VERIFIED",
  ];
  return lines.join("\n") + "\n";
}

/**
 * `mlat verify FILE (--bundle B.json | --evidence ID --rpc URL --deployment D.json) [--salt HEX] [--json]`.
 * With --bundle, --rpc also checks the bundle against that chain. Exit 1 unless verified.
 */
export async function verifyCommand(argv: readonly string[], io: CliIo): Promise<void> {
  const args = parseArgs(argv, {
    options: ["--bundle", "--evidence", "--rpc", "--deployment", "--salt"],
    switches: ["--json"],
    maxPositionals: 1,
  });
  const file = args.positionals[0];
  if (file === undefined) throw new UsageError("verify needs a FILE");
  const bundlePath = single(args, "--bundle");
  const evidenceId = single(args, "--evidence");
  const rpc = single(args, "--rpc");
  const deploymentPath = single(args, "--deployment");
  const salt = single(args, "--salt");
  if (salt !== undefined && !/^(0x)?[0-9a-fA-F]{64}$/.test(salt)) throw new UsageError("--salt takes 32 bytes of hex");
  if (bundlePath && evidenceId) throw new UsageError("give either --bundle or --evidence, not both");
  if (!bundlePath && !(evidenceId && rpc && deploymentPath)) {
    throw new UsageError("verify needs --bundle FILE, or --evidence ID with --rpc URL and --deployment FILE");
  }
  if (evidenceId && !/^0x[0-9a-fA-F]{64}$/.test(evidenceId)) throw new UsageError("--evidence takes a 0x bytes32 id");
  const provider = rpc ? new JsonRpcProvider(rpc, undefined, { staticNetwork: true, batchMaxCount: 1 }) : undefined;
  try {
    const report = bundlePath
      ? await verifyEvidence({ file, bundle: readBundle(bundlePath), provider, salt })
      : await verifyEvidence({ file, evidenceId: evidenceId!, provider: provider!, deployment: loadDeployment(deploymentPath!), salt });
    io.stdout.write(args.switches.has("--json") ? JSON.stringify(report, null, 2) + "\n" : formatReport(report));
    if (!report.ok) throw new FailedCheckError(`${file} is not verified as evidence ${report.evidenceId}`);
  } finally {
    provider?.destroy();
  }
}
