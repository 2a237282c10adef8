/**
 * Preloaded into a gateway child process (`node --expose-gc -r test/helpers/gcProbe.cjs …`) by suites
 * that measure it from outside: on SIGUSR2 it collects garbage and writes one line to stderr,
 * `MLAT-PROBE {"seq":n,"cpu":µs,"rss":…,"heapUsed":…,"external":…,"polluted":[…]}`, where `polluted` lists the
 * properties added to Object.prototype, Array.prototype or Function.prototype since start.
 */
"use strict";

const targets = { Object: Object.prototype, Array: Array.prototype, Function: Function.prototype };
const baseline = Object.fromEntries(Object.entries(targets).map(([name, proto]) => [name, new Set(Reflect.ownKeys(proto).map(String))]));
let seq = 0;

process.on("SIGUSR2", () => {
  if (typeof global.gc === "function") {
    global.gc();
    global.gc();
  }
  const polluted = Object.entries(targets).flatMap(([name, proto]) =>
    Reflect.ownKeys(proto)
      .map(String)
      .filter((k) => !baseline[name].has(k))
      .map((k) => `${name}.prototype.${k}`),
  );
  const m = process.memoryUsage();
  const cpu = process.cpuUsage();
  seq += 1;
  process.stderr.write(`MLAT-PROBE ${JSON.stringify({ seq, cpu: cpu.user + cpu.system, rss: m.rss, heapUsed: m.heapUsed, external: m.external, polluted })}\n`);
});
