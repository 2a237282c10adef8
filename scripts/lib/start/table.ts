/** Plain-text tables for the terminal (used by `npm start` and `npm run demo`). */

/**
 * Formats rows under a header, each column as wide as its widest cell.
 * @example formatTable(["state", "url"], [["US", "http://127.0.0.1:7101"]])
 */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n") + "\n";
}
