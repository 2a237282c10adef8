import { subtask } from "hardhat/config";
import { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD } from "hardhat/builtin-tasks/task-names";
import type { HardhatUserConfig } from "hardhat/types";
import "@nomicfoundation/hardhat-ethers";
import "@typechain/hardhat";
import "solidity-coverage";

/**
 * The compiler is the pinned npm `solc` (solc-js): no download ever happens, so the build works
 * offline and on a member state's air-gapped node. The version below must equal the installed one.
 */
const SOLC_VERSION = "0.8.30";

subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, async (args: { solcVersion: string }) => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const solc = require("solc") as { version(): string };
  const longVersion = solc.version().replace(/\.Emscripten\.clang$/, "");
  if (args.solcVersion !== SOLC_VERSION || !longVersion.startsWith(SOLC_VERSION)) {
    throw new Error(
      `solc ${args.solcVersion} requested but the installed npm solc is ${longVersion}; pin both to ${SOLC_VERSION}`,
    );
  }
  return {
    compilerPath: require.resolve("solc/soljson.js"),
    isSolcJs: true,
    version: SOLC_VERSION,
    longVersion,
  };
});

/** Extra JSON-RPC networks come from the environment: MLAT_RPC_URL (+ MLAT_DEPLOYER_KEY). */
const externalNetworks: HardhatUserConfig["networks"] = {};
if (process.env.MLAT_RPC_URL) {
  externalNetworks[process.env.MLAT_NETWORK_NAME ?? "consortium"] = {
    url: process.env.MLAT_RPC_URL,
    accounts: process.env.MLAT_DEPLOYER_KEY ? [process.env.MLAT_DEPLOYER_KEY] : "remote",
  };
}

const config: HardhatUserConfig = {
  solidity: {
    version: SOLC_VERSION,
    settings: {
      evmVersion: "cancun",
      optimizer: { enabled: true, runs: 10_000 },
      viaIR: false,
    },
  },
  paths: {
    sources: "./contracts",
    tests: "./test/contracts",
    cache: "./cache",
    artifacts: "./artifacts",
  },
  networks: {
    hardhat: { hardfork: "cancun", allowUnlimitedContractSize: false },
    localhost: { url: process.env.MLAT_LOCAL_RPC ?? "http://127.0.0.1:8545" },
    ...externalNetworks,
  },
  typechain: { outDir: "typechain-types", target: "ethers-v6" },
};

export default config;
