// Vitest config of `npm run coverage` (docs/coverage.md): the main config, restricted to the suites
// that exercise contracts/, plus the hit-collecting setup file and a resolver that serves
// coverage/typechain-types (factories carrying the instrumented bytecode) wherever the code imports
// typechain-types. Only meaningful with MLAT_COVERAGE=1 and HARDHAT_CONFIG=scripts/coverage/hardhat.config.ts,
// which scripts/coverage/run.cjs sets.
import path from "node:path";
import { createRequire } from "node:module";
import { defineConfig, type Plugin } from "vitest/config";
import base from "./vitest.config.mts";

const cov = createRequire(import.meta.url)("./scripts/coverage/config.cjs");

if (process.env[cov.FLAG] !== "1") {
  throw new Error(`vitest.coverage.config.mts needs ${cov.FLAG}=1: run \`npm run coverage\``);
}

/**
 * Serves coverage/typechain-types/… for every relative import of typechain-types/… (the factories
 * there carry the instrumented bytecode, with the same ABIs). Works whether or not the main
 * typechain-types/ exists.
 */
function instrumentedTypechain(): Plugin {
  const original = path.join(cov.ROOT, "typechain-types");
  return {
    name: "mlat-coverage-typechain",
    enforce: "pre",
    async resolveId(source, importer, options) {
      if (!importer || !source.startsWith(".") || !source.includes("typechain-types")) return null;
      const target = path.resolve(path.dirname(importer), source);
      if (target !== original && !target.startsWith(original + path.sep)) return null;
      return this.resolve(cov.TYPECHAIN + target.slice(original.length), importer, { ...options, skipSelf: true });
    },
  };
}

export default defineConfig({
  ...base,
  plugins: [...(base.plugins ?? []), instrumentedTypechain()],
  test: {
    ...base.test,
    include: cov.TESTS,
    setupFiles: [...[base.test?.setupFiles ?? []].flat(), "scripts/coverage/worker-setup.ts"],
    // Every EVM step crosses from EDR to JS while the collector listens: allow for the slowdown.
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});
