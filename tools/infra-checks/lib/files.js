// Shared by the checkers: the repository root, file listing, and the one way a checker
// reports problems and exits (non-zero with "file:line: message" lines).
"use strict";
const fs = require("fs");
const path = require("path");

const repoRoot = path.resolve(__dirname, "..", "..", "..");

// Every file under `dir` whose name ends with one of `suffixes`, sorted, skipping
// dependency and provider caches (node_modules, .terraform).
function listFiles(dir, suffixes) {
  const out = [];
  const walk = (current) => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "node_modules" && entry.name !== ".terraform") walk(full);
      } else if (suffixes.some((s) => entry.name.endsWith(s))) {
        out.push(full);
      }
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return out.sort();
}

// Paths in messages are relative to the working directory, as compilers print them.
function shown(file) {
  return path.relative(process.cwd(), file) || file;
}

// Prints the findings and exits: 0 with a one-line summary when there are none.
function finish(checkName, findings, summary) {
  if (findings.length === 0) {
    console.log(`${checkName}: ${summary}`);
    process.exit(0);
  }
  for (const f of findings) console.error(f);
  console.error(`${checkName}: ${findings.length} problem(s)`);
  process.exit(1);
}

// A checker's usage error or missing input: one line, exit 2.
function fail(checkName, message) {
  console.error(`${checkName}: ${message}`);
  process.exit(2);
}

// An npm dependency of the checks, or a clear message: they are installed by
// scripts/install-deps.sh (npm ci in tools/infra-checks), never at build or test time.
function resolveTool(checkName, name) {
  try {
    return require.resolve(name);
  } catch (error) {
    if (error.code !== "MODULE_NOT_FOUND") throw error;
    return fail(checkName, `${name} is not installed: run scripts/install-deps.sh (npm ci --prefix tools/infra-checks)`);
  }
}

function requireTool(checkName, name) {
  return require(resolveTool(checkName, name));
}

module.exports = { repoRoot, listFiles, shown, finish, fail, resolveTool, requireTool };
