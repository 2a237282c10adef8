/**
 * `npm run demo [-- --data-dir DIR --size-mb N]`: a complete MLA case against the consortium `npm start`
 * runs, through the SDK only, with readable progress; ends with the request's timeline and the evidence's
 * custody chain. Exits 1 with one clear line when the consortium is not running or a step fails.
 */
import { parseArgs, UsageError } from "./lib/args";
import { runningConsortium } from "./lib/demo/connect";
import { runDemo } from "./lib/demo/runDemo";
import { dataDirOf } from "./lib/start/options";

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), { values: ["data-dir", "size-mb"] });
  const sizeMb = Number(args["size-mb"] ?? 100);
  if (!Number.isFinite(sizeMb) || sizeMb <= 0) throw new UsageError(`--size-mb takes a positive number, not "${String(args["size-mb"])}"`);
  const local = await runningConsortium(dataDirOf(args, process.env));
  const started = Date.now();
  await runDemo({ local, evidenceBytes: Math.round(sizeMb * 1_000_000), say: (line) => process.stdout.write(`${line}\n`) });
  process.stdout.write(`The case is closed (${((Date.now() - started) / 1000).toFixed(0)} s).\n`);
}

main().catch((e: unknown) => {
  const message = e instanceof Error ? e.message : String(e);
  process.stderr.write(`npm run demo: ${message}\n`);
  process.exit(e instanceof UsageError ? 2 : 1);
});
