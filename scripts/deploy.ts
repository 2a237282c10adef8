/**
 * Deploys the ledger suite and founds a consortium from a founding file, then writes
 * `deployments/<network>.json`. Re-running on a network with a live deployment changes nothing
 * unless `--force`.
 *
 *   npm run deploy -- [--network hardhat|localhost|<configured>] [--founding file.json] [--force]
 */
import { readFileSync, writeFileSync, existsSync, mkdirSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { parseArgs, UsageError } from "./lib/args";

const USAGE =
  "usage: npm run deploy -- [--network <name>] [--founding <file.json>] [--out <dir>] [--force]";

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), { values: ["network", "founding", "out"], switches: ["force"] });
  const network = typeof args.network === "string" ? args.network : "hardhat";
  const foundingPath = typeof args.founding === "string" ? args.founding : "deployments/founding.local.json";
  const outDir = typeof args.out === "string" ? args.out : "deployments";
  // Hardhat reads the network from the environment when it is loaded as a library.
  process.env.HARDHAT_NETWORK = network;
  const hre = await import("hardhat");
  const { deployLedger, abiHash } = await import("./lib/deployLedger");
  const { foundingArgs } = await import("./lib/founding");
  const { loadDeployment } = await import("../sdk/src/ledger/deployment");

  const outPath = join(outDir, `${network}.json`);
  const provider = hre.ethers.provider;
  const chainId = Number((await provider.getNetwork()).chainId);
  if (existsSync(outPath) && !args.force) {
    const existing = loadDeployment(outPath);
    const code = await provider.getCode(existing.contracts.consortium);
    if (existing.chainId === chainId && code !== "0x") {
      console.log(`${outPath}: a live deployment exists on chain ${chainId} (consortium ${existing.contracts.consortium}); nothing changed. Use --force to deploy anew.`);
      return;
    }
    console.log(`${outPath} names no live deployment on chain ${chainId}; deploying anew.`);
  }

  let founding: unknown;
  try {
    founding = JSON.parse(readFileSync(foundingPath, "utf8"));
  } catch (cause) {
    throw new UsageError(`cannot read founding file ${foundingPath}: ${(cause as Error).message}`);
  }
  const foundingResult = (() => {
    try {
      return foundingArgs(founding);
    } catch (e) {
      throw new UsageError(`${foundingPath}: ${(e as Error).message}`);
    }
  })();

  await hre.run("compile", { quiet: true });
  const [deployer] = await hre.ethers.getSigners();
  if (!deployer) throw new UsageError(`network ${network} has no deployer account (set MLAT_DEPLOYER_KEY)`);
  console.log(`deploying to ${network} (chain ${chainId}) from ${await deployer.getAddress()}`);
  const deployed = await deployLedger(deployer, foundingResult, (line) => console.log("  " + line));

  const record = {
    format: "mlat-ledger/deployment/v1" as const,
    network,
    chainId: deployed.chainId,
    deployBlock: deployed.deployBlock,
    deployer: deployed.deployer,
    commit: gitCommit(),
    deployedAt: new Date().toISOString(),
    abiHash: abiHash(),
    contracts: deployed.addresses,
  };
  mkdirSync(outDir, { recursive: true });
  writeFileSync(outPath, JSON.stringify(record, null, 2) + "\n");
  console.log(`wrote ${outPath}`);
}

function gitCommit(): string {
  try {
    return execFileSync("git", ["rev-parse", "HEAD"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "unknown";
  }
}

main().catch((e: unknown) => {
  if (e instanceof UsageError) {
    console.error(`deploy: ${e.message}\n${USAGE}`);
    process.exit(2);
  }
  console.error(e);
  process.exit(1);
});
