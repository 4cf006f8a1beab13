#!/usr/bin/env node
// infra.hcl: every *.tf file under the given folders (default deploy/) parses with
// HashiCorp's HCL parser (@cdktf/hcl2json, the parser compiled to WebAssembly), so that
// a syntax error is caught here, without a terraform binary.
"use strict";
const fs = require("fs");
const path = require("path");
const { repoRoot, listFiles, shown, finish, fail, requireTool } = require("./lib/files");

const { parse } = requireTool("hcl", "@cdktf/hcl2json");

async function parseErrors(file) {
  try {
    await parse(shown(file), fs.readFileSync(file, "utf8"));
    return [];
  } catch (error) {
    // The parser answers "parse config: [a.tf:2,7-3,1: Summary; Detail.]": keep file:line.
    const text = String(error && error.message ? error.message : error);
    const inner = text.replace(/^parse config: \[/, "").replace(/\]$/, "");
    return [inner.replace(/^(.+?\.tf):(\d+),(\d+)(-\d+(,\d+)?)?: /, "$1:$2:$3: ")];
  }
}

async function main() {
  const dirs = process.argv.slice(2);
  if (dirs.length === 0) dirs.push(path.join(repoRoot, "deploy"));
  const files = dirs.flatMap((dir) => listFiles(dir, [".tf", ".tfvars"]));
  if (files.length === 0) fail("hcl", `no .tf files under ${dirs.map(shown).join(", ")}`);
  const findings = [];
  for (const file of files) findings.push(...(await parseErrors(file)));
  finish("hcl", findings, `${files.length} .tf file(s) parse`);
}

main();
