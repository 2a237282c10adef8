/** What `npm start` prints once the stack is up. */
import { relative } from "node:path";
import type { LocalFile } from "./localFile";
import { formatTable } from "./table";

/**
 * The table of states (gateway URL, agency account, where the keys are) and the lines around it.
 * @example process.stdout.write(stackSummary(stack.local, localFile));
 */
export function stackSummary(local: LocalFile, localFile: string): string {
  const here = (p: string) => (relative(process.cwd(), p).startsWith("..") ? p : relative(process.cwd(), p));
  const rows = Object.entries(local.states).map(([code, s]) => [code, s.gatewayUrl, s.accounts.agency, `${here(s.accountsFile)}, ${here(s.identityFile)}`]);
  return [
    "",
    `chain    ${local.rpcUrl} (chain id ${local.chainId}), consortium ${local.consortium}`,
    "",
    formatTable(["state", "gateway", "agency account", "keys (accounts, age identity)"], rows),
    `The same in ${here(localFile)}. Keys are development keys from the public mnemonic "test test … junk": never use them elsewhere.`,
    "Try it: npm run demo    Stop: Ctrl-C (the chain saves its state; the next npm start resumes).",
    "",
  ].join("\n");
}
