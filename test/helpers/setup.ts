// Hardhat 2 loads a TypeScript config through ts-node; register it once per worker,
// transpile-only, before any test imports `hardhat`.
import { register } from "ts-node";

if (!process.env.TS_NODE_REGISTERED) {
  register({ transpileOnly: true, compilerOptions: { module: "commonjs" } });
  process.env.TS_NODE_REGISTERED = "1";
}
