#!/usr/bin/env node
// The `mlat` command (package.json "bin"). Runs the TypeScript sources through ts-node, transpile-only.
"use strict";
const path = require("node:path");
require("ts-node").register({
  transpileOnly: true,
  project: path.join(__dirname, "..", "tsconfig.json"),
  compilerOptions: { module: "commonjs" },
});
const { runCli } = require("../sdk/src/cli/main");
runCli(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }).then(
  (code) => {
    process.exitCode = code;
  },
);
