// Global setup of vitest.load.config.mts: compiles the gateway (`npm run build:gateway`, incremental) so the
// processes under load run the current sources.
import { execFileSync } from "node:child_process";

export default function setup(): void {
  execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json"], { stdio: "inherit" });
}
