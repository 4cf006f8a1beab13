#!/usr/bin/env node
// infra.env_vars: the environment the server reads and the environment Terraform gives the
// Lambda function agree.
//  - Every variable the server reads (src/app/config.cpp's r.text/r.integer/r.list/secret
//    and any getenv/env("...") under src/) is set in the aws_lambda_function's
//    `environment { variables = ... }` or documented as optional in README.md's
//    configuration table (a row naming it, with a default).
//  - Every variable Terraform sets is one the server reads.
// Usage: check-env-vars.js [--src DIR] [--readme FILE] [--terraform DIR]
"use strict";
const fs = require("fs");
const path = require("path");
const { repoRoot, listFiles, shown, finish, fail, requireTool } = require("./lib/files");

const { parse } = requireTool("env-vars", "@cdktf/hcl2json");

// Set by the Lambda service itself (Terraform may not set them), never by us.
const LAMBDA_RUNTIME = new Set([
  "AWS_LAMBDA_RUNTIME_API", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "_X_AMZN_TRACE_ID", "_HANDLER",
  "AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_VERSION",
  "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME",
  "AWS_LAMBDA_INITIALIZATION_TYPE", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR", "TZ",
]);

// Files under src/ that are not the server: `mercato stripe-emulator` is a development tool
// that is never deployed (its STRIPE_EMULATOR_PORT and STRIPE_WEBHOOK_URL are its own).
const NOT_THE_SERVER = new Set(["app/stripe_emulator_command.cpp"]);

const NAME = "[A-Z_][A-Z0-9_]*";
const CONFIG_READ = new RegExp(`\\b(?:r\\.text|r\\.integer|r\\.list|secret)\\(\\s*"(${NAME})"`, "g");
const OTHER_READ = new RegExp(`\\b(?:getenv|secure_getenv|env|env_)\\(\\s*"(${NAME})"`, "g");

function lineOf(text, index) {
  return text.slice(0, index).split("\n").length;
}

// name -> "file:line" of its first read.
function serverReads(srcDir) {
  const reads = new Map();
  for (const file of listFiles(srcDir, [".cpp", ".hpp"])) {
    const relative = path.relative(srcDir, file).split(path.sep).join("/");
    if (NOT_THE_SERVER.has(relative)) continue;
    const text = fs.readFileSync(file, "utf8");
    const patterns = relative === "app/config.cpp" ? [CONFIG_READ, OTHER_READ] : [OTHER_READ];
    for (const pattern of patterns) {
      for (const m of text.matchAll(pattern)) {
        if (!reads.has(m[1])) reads.set(m[1], `${shown(file)}:${lineOf(text, m.index)}`);
      }
    }
  }
  return reads;
}

// Names in rows of README.md's "## Configuration" table whose default cell is not empty.
function documentedOptional(readme) {
  const text = fs.readFileSync(readme, "utf8");
  const section = /^## Configuration\s*$([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(text);
  if (!section) return null;
  const names = new Set();
  for (const row of section[1].split("\n").filter((l) => l.startsWith("|"))) {
    const cells = row.split("|").slice(1, -1).map((c) => c.trim());
    if (cells.length < 2 || /^-+$/.test(cells[0]) || cells[1] === "" || /^(required|—|-)$/i.test(cells[1])) continue;
    for (const m of cells[0].matchAll(new RegExp("`(" + NAME + ")`", "g"))) names.add(m[1]);
  }
  return names;
}

// The keys of a Terraform value: an object literal's keys, or the upper-case `NAME =` keys
// inside an expression such as merge(local.x, { A = ... }, var.y ? { B = ... } : {}),
// following local.<name> references. Unreadable expressions are reported.
function keysOf(value, locals, seen, problems, where) {
  if (value && typeof value === "object" && !Array.isArray(value)) return Object.keys(value);
  if (typeof value !== "string") {
    problems.push(`${where}: environment variables are not an object or expression`);
    return [];
  }
  const keys = [...value.matchAll(new RegExp(`"?(${NAME})"?\\s*=(?![=>])`, "g"))].map((m) => m[1]);
  for (const m of value.matchAll(/\blocal\.([A-Za-z0-9_]+)/g)) {
    if (seen.has(m[1])) continue;
    seen.add(m[1]);
    if (!(m[1] in locals)) {
      problems.push(`${where}: local.${m[1]} is not defined`);
      continue;
    }
    keys.push(...keysOf(locals[m[1]], locals, seen, problems, where));
  }
  if (keys.length === 0 && /\bvar\./.test(value))
    problems.push(`${where}: environment variables come from a variable; list their names in the Lambda definition`);
  return keys;
}

// The Lambda functions' environment variable names: name -> "file:line" where it is set.
async function terraformSets(terraformDir, problems) {
  const files = listFiles(terraformDir, [".tf"]);
  const parsed = [];
  for (const file of files) {
    const text = fs.readFileSync(file, "utf8");
    try {
      parsed.push({ file, text, json: await parse(shown(file), text) });
    } catch (error) {
      problems.push(`${shown(file)}: does not parse (see infra.hcl): ${String(error.message || error).slice(0, 200)}`);
    }
  }
  const locals = {};
  for (const { json } of parsed) for (const block of json.locals || []) Object.assign(locals, block);

  const sets = new Map();
  let functions = 0;
  for (const { file, text, json } of parsed) {
    const lambdas = (json.resource && json.resource.aws_lambda_function) || {};
    for (const [name, blocks] of Object.entries(lambdas)) {
      for (const block of blocks) {
        functions += 1;
        const resourceLine = lineOf(text, Math.max(0, text.indexOf(`"aws_lambda_function" "${name}"`)));
        const where = `${shown(file)}:${resourceLine}`;
        for (const env of block.environment || []) {
          for (const key of keysOf(env.variables, locals, new Set(), problems, where)) {
            const at = [...parsed].map((p) => ({ p, i: p.text.search(new RegExp(`^\\s*"?${key}"?\\s*=`, "m")) })).find((x) => x.i >= 0);
            if (!sets.has(key)) sets.set(key, at ? `${shown(at.p.file)}:${lineOf(at.p.text, at.i)}` : where);
          }
        }
      }
    }
  }
  return { sets, functions, files: files.length };
}

function options(argv) {
  const o = { src: path.join(repoRoot, "src"), readme: path.join(repoRoot, "README.md"), terraform: path.join(repoRoot, "deploy", "terraform") };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, "");
    if (!(key in o) || argv[i + 1] === undefined) fail("env-vars", `usage: check-env-vars.js [--src DIR] [--readme FILE] [--terraform DIR]`);
    o[key] = path.resolve(argv[i + 1]);
  }
  return o;
}

async function main() {
  const o = options(process.argv.slice(2));
  const reads = serverReads(o.src);
  if (!reads.has("DATABASE_URL")) fail("env-vars", `found no read of DATABASE_URL under ${shown(o.src)}: the extraction patterns no longer match the code`);
  const optional = documentedOptional(o.readme);
  if (!optional) fail("env-vars", `${shown(o.readme)} has no "## Configuration" section`);
  const problems = [];
  const { sets, functions, files } = await terraformSets(o.terraform, problems);
  if (files === 0) fail("env-vars", `no .tf files under ${shown(o.terraform)}`);

  for (const [name, where] of reads) {
    if (LAMBDA_RUNTIME.has(name) || sets.has(name) || optional.has(name)) continue;
    problems.push(`${where}: ${name} is read by the server but neither set in the Terraform Lambda environment nor documented as optional (with a default) in ${shown(o.readme)}'s configuration table`);
  }
  for (const [name, where] of sets) {
    if (reads.has(name)) continue;
    const reserved = LAMBDA_RUNTIME.has(name) ? " (and Lambda reserves it)" : "";
    problems.push(`${where}: ${name} is set for the Lambda function but the server never reads it${reserved}`);
  }
  if (functions === 0) problems.push(`${shown(o.terraform)}: no aws_lambda_function with an environment`);
  finish("env-vars", problems, `${reads.size} variable(s) read, ${sets.size} set by Terraform in ${functions} function(s)`);
}

main();
