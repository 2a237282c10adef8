/**
 * Hardhat config of the instrumented build (step 2 of `npm run coverage`) and of every vitest worker
 * under MLAT_COVERAGE=1 (selected through HARDHAT_CONFIG). It is the main config (same solc-js
 * override, EVM version, hardfork) with: sources = the instrumented copy in coverage/build/contracts
 * (same source names "contracts/…", so the typechain layout is the same), the optimizer off as
 * solidity-coverage requires, artifacts/cache/typechain under coverage/, and a Hardhat network that
 * accepts the larger unoptimized bytecode. artifacts/ and typechain-types/ are never touched.
 */
import { subtask } from "hardhat/config";
import { TASK_COMPILE_SOLIDITY_LOG_COMPILATION_ERRORS } from "hardhat/builtin-tasks/task-names";
import type { HardhatUserConfig, SolcUserConfig, SolidityUserConfig } from "hardhat/types";
import base from "../../hardhat.config";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const cov = require("./config.cjs") as Record<string, string>;

/** The main compiler settings with the optimizer off (solidity-coverage's probes must survive). */
function unoptimized(solidity: SolidityUserConfig | undefined): SolidityUserConfig {
  const off = (c: SolcUserConfig): SolcUserConfig => ({ ...c, settings: { ...c.settings, optimizer: { enabled: false } } });
  if (solidity === undefined) throw new Error("hardhat.config.ts sets no solidity compiler");
  if (typeof solidity === "string") return off({ version: solidity });
  if ("compilers" in solidity) {
    const overrides = Object.fromEntries(Object.entries(solidity.overrides ?? {}).map(([k, c]) => [k, off(c)]));
    return { compilers: solidity.compilers.map(off), overrides };
  }
  return off(solidity);
}

// The injected probes make solc warn (unused parameters, restrictable mutability): show errors only.
subtask(TASK_COMPILE_SOLIDITY_LOG_COMPILATION_ERRORS).setAction(
  async (args: { output?: { errors?: { severity: string }[] } }, _hre, runSuper) =>
    runSuper({
      ...args,
      output: args.output && { ...args.output, errors: (args.output.errors ?? []).filter((e) => e.severity === "error") },
    }),
);

const config: HardhatUserConfig = {
  ...base,
  solidity: unoptimized(base.solidity),
  paths: {
    root: cov.BUILD_ROOT,
    sources: "contracts",
    cache: cov.CACHE,
    artifacts: cov.ARTIFACTS,
  },
  networks: {
    ...base.networks,
    hardhat: {
      ...base.networks?.hardhat,
      // Unoptimized, instrumented bytecode exceeds EIP-170; 0x1fffffffffffff is solidity-coverage's
      // block gas limit (Hardhat recognises it and, from Osaka on, lifts the per-transaction gas cap).
      allowUnlimitedContractSize: true,
      blockGasLimit: 0x1fffffffffffff,
    },
  },
  typechain: { ...base.typechain, outDir: cov.TYPECHAIN },
};

export default config;
