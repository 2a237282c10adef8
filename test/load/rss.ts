import { readFileSync } from "node:fs";

/** Resident memory of a process in MiB, from /proc (Linux). */
export function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8")
    .split("\n")
    .find((l) => l.startsWith("VmRSS:"));
  if (!line) throw new Error(`no VmRSS for process ${pid}`);
  return Number(line.split(/\s+/)[1]) / 1024;
}

/** CPU seconds (user + system) a process and its live descendants have used, from /proc (Linux). */
export function cpuSeconds(pid: number): number {
  let ticks = 0;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    ticks = Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    // no children file: no children to count
  }
  return ticks / 100 + children.reduce((s, c) => s + cpuSeconds(c), 0);
}

/** What an RSS series says about memory growth. */
export interface RssSummary {
  samples: number;
  startMiB: number;
  endMiB: number;
  peakMiB: number;
  /** Least-squares slope over the second half of the series, MiB per minute. */
  secondHalfSlopeMiBPerMin: number;
  /** Growth over the second half as the fitted line has it (slope × span), MiB. */
  secondHalfGrowthMiB: number;
}

/** Least-squares slope of `ys` against `xs`. */
function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

/**
 * Samples a process's RSS every `intervalMs` until `stop()`, which answers the series' summary. A fitted
 * slope, not last minus first: one garbage collection at either end would otherwise decide the verdict.
 * @example const s = sampleRss(pid); …; const summary = s.stop();
 */
export function sampleRss(pid: number, intervalMs = 1000) {
  const started = Date.now();
  const series: { atSec: number; mib: number }[] = [];
  const take = () => series.push({ atSec: (Date.now() - started) / 1000, mib: rssMiB(pid) });
  take();
  const timer = setInterval(take, intervalMs);
  return {
    series,
    stop(): RssSummary {
      clearInterval(timer);
      take();
      const half = series.slice(Math.floor(series.length / 2));
      const s = slope(
        half.map((p) => p.atSec),
        half.map((p) => p.mib),
      );
      const span = half.at(-1)!.atSec - half[0]!.atSec;
      const r = (x: number) => Math.round(x * 10) / 10;
      return {
        samples: series.length,
        startMiB: r(series[0]!.mib),
        endMiB: r(series.at(-1)!.mib),
        peakMiB: r(Math.max(...series.map((p) => p.mib))),
        secondHalfSlopeMiBPerMin: r(s * 60),
        secondHalfGrowthMiB: r(s * span),
      };
    },
  };
}
