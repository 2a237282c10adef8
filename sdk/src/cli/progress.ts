import { Transform, type TransformCallback } from "node:stream";

/** Files smaller than this show no progress bar. */
const THRESHOLD = 4 * 1024 * 1024;

/**
 * A pass-through stream that draws a progress bar on stderr for large inputs, only when stderr is a
 * terminal (never in pipes, logs or CI). `total` is the input size if known.
 */
export function progressBar(label: string, total: number | undefined, stderr: NodeJS.WriteStream = process.stderr): Transform {
  const enabled = stderr.isTTY === true && (total === undefined || total >= THRESHOLD);
  let seen = 0;
  let lastDraw = 0;
  const started = Date.now();
  const draw = (final: boolean) => {
    const now = Date.now();
    if (!final && now - lastDraw < 100) return;
    lastDraw = now;
    const mb = seen / 1_048_576;
    const rate = mb / Math.max(0.001, (now - started) / 1000);
    const width = 30;
    const bar =
      total && total > 0
        ? `[${"#".repeat(Math.round((seen / total) * width)).padEnd(width)}] ${Math.floor((seen / total) * 100)}%`
        : "";
    stderr.write(`\r${label} ${bar} ${mb.toFixed(1)} MiB ${rate.toFixed(0)} MiB/s${final ? "\n" : ""}`);
  };
  return new Transform({
    transform(chunk: Buffer, _enc, cb: TransformCallback) {
      seen += chunk.length;
      if (enabled) draw(false);
      cb(null, chunk);
    },
    flush(cb: TransformCallback) {
      if (enabled && seen >= THRESHOLD) draw(true);
      cb();
    },
  });
}
