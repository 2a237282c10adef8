/**
 * Runs one gateway: `npm run gateway -- [config.json]` (MLAT_* environment variables override the file).
 * Exits 2 with one clear line on a bad configuration; stops cleanly on SIGINT/SIGTERM.
 */
import { isMlatError } from "../../sdk/src/errors/MlatError";
import { loadConfig } from "./config/loadConfig";
import { armFailpoints } from "./failpoints";
import { startGateway } from "./gateway";

async function main(): Promise<void> {
  const config = loadConfig(process.argv[2], process.env);
  armFailpoints(process.env);
  const gateway = await startGateway(config);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`${signal}: stopping the ${config.state} gateway\n`);
    gateway.stop().then(
      () => process.exit(0),
      (e: unknown) => {
        process.stderr.write(`error while stopping: ${String(e)}\n`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

main().catch((e: unknown) => {
  // Exit once the line is written: stderr may be a pipe, and process.exit() would cut it off.
  process.stderr.write(`mlat-gateway: ${isMlatError(e) ? e.shortMessage : e instanceof Error ? e.message : String(e)}\n`, () => process.exit(2));
});
