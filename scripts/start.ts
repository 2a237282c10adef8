/**
 * `npm start [-- --data-dir DIR --port-base N]`: a local consortium that keeps its ledger across restarts —
 * anvil with a state file, US/MX/ES founded on it (once), and one gateway per state. Ctrl-C stops the
 * gateways, then the chain, which saves its state. See docs/local-consortium.md.
 */
import { UsageError } from "./lib/args";
import { startOptions } from "./lib/start/options";
import { PortTakenError } from "./lib/start/ports";
import { startLocalStack, type LocalStack } from "./lib/start/stack";
import { stackSummary } from "./lib/start/summary";

const say = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<number> {
  const options = startOptions(process.argv.slice(2), process.env);
  let stack: LocalStack | undefined;
  let stopping: Promise<number> | undefined;
  const stop = (why: string, code: number): Promise<number> => {
    if (stopping) {
      say("still stopping: the chain is saving its state");
      return stopping;
    }
    say(`${why}: stopping the gateways, then the chain`);
    stopping = (stack ? stack.stop() : Promise.resolve()).then(() => {
      say("stopped; the chain's state is saved — npm start resumes it");
      return code;
    });
    return stopping;
  };
  const stopped = new Promise<number>((resolve) => {
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
      process.on(signal, () => void stop(signal, 0).then(resolve));
    }
  });

  say(`data directory ${options.dataDir}, ports ${options.portBase}–${options.portBase + 3}`);
  stack = await startLocalStack({ ...options, log: (line) => say(line) });
  if (stopping) return stack.stop().then(() => 130);
  process.stdout.write(stackSummary(stack.local, stack.layout.localFile));

  const died = new Promise<number>((resolve) => {
    for (const [code, g] of Object.entries(stack!.gateways)) {
      g.child.once("exit", (exitCode, signal) => {
        if (stopping) return;
        process.stderr.write(`the ${code} gateway exited (${signal ?? `code ${exitCode}`}); its log: ${stack!.local.states[code]!.logFile}\n`);
        void stop("a gateway died", 1).then(resolve);
      });
    }
    void stack!.chain.exited.then(() => {
      if (stopping) return;
      process.stderr.write(`the chain (anvil) exited unexpectedly:\n${stack!.chain.output().trim().split("\n").slice(-5).join("\n")}\n`);
      void stop("the chain died", 1).then(resolve);
    });
  });
  return Promise.race([stopped, died]);
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    const message = e instanceof Error ? e.message : String(e);
    process.stderr.write(`npm start: ${message}\n`);
    process.exit(e instanceof PortTakenError || e instanceof UsageError ? 2 : 1);
  },
);
