#!/usr/bin/env node
// infra.tf_fmt: the layout rules of `terraform fmt` that can be checked without terraform
// (CI runs the real `terraform fmt -check` too). For every *.tf under the given folders
// (default deploy/): LF line ends, no tabs in code, no trailing whitespace, one newline at
// the end, 2-space indentation by bracket nesting, and `=` (and trailing comments) aligned
// across consecutive single-line attributes, exactly as hclwrite lays them out.
"use strict";
const fs = require("fs");
const path = require("path");
const { repoRoot, listFiles, shown, finish, fail } = require("./lib/files");
const { scanLayout } = require("./lib/hcl-layout");

function leadingSpaces(text) {
  return /^ */.exec(text)[0].length;
}

function endOfFileProblems(text) {
  if (text.length === 0) return [];
  if (!text.endsWith("\n")) return ["no newline at the end of the file"];
  if (/\n[ \t]*\n$/.test(text) || text === "\n") return ["blank line(s) at the end of the file"];
  return [];
}

function characterProblems(lines) {
  const out = [];
  for (const line of lines) {
    if (line.crlf) out.push([line.number, "CRLF line end (use LF)"]);
    if (line.exempt) continue;
    if (line.tabInCode >= 0) out.push([line.number, `tab at column ${line.tabInCode + 1} (indent with spaces)`]);
    else if (/[ \t]+$/.test(line.text)) out.push([line.number, "trailing whitespace"]);
  }
  return out;
}

// hclwrite's formatIndent: a line with more openers than closers indents the lines after it
// by one level (however many it opened); closers unwind those levels.
function indentProblems(lines) {
  const out = [];
  const indents = [];
  for (const line of lines) {
    if (line.exempt || line.blank) continue;
    let expected;
    if (line.net > 0) {
      expected = 2 * indents.length;
      indents.push(line.net);
    } else {
      let closed = -line.net;
      while (closed > 0 && indents.length > 0) {
        const last = indents[indents.length - 1];
        if (closed >= last) { closed -= last; indents.pop(); } else { indents[indents.length - 1] -= closed; closed = 0; }
      }
      expected = 2 * indents.length;
    }
    const actual = leadingSpaces(line.text);
    if (line.tabInCode !== 0 && actual !== expected)
      out.push([line.number, `indented ${actual} spaces, terraform fmt indents ${expected} (2 per nesting level)`]);
  }
  return out;
}

// hclwrite's formatCells: consecutive lines that are whole `name = value` attributes form a
// chain whose `=` signs line up one space after the longest name; trailing comments on
// consecutive lines line up one space after the longest code. Heredoc bodies belong to the
// line that opened them, so they do not break a chain.
function alignmentProblems(lines) {
  const out = [];
  const check = (chain, columnOf, widthOf, what) => {
    if (chain.length === 0) return;
    const want = Math.max(...chain.map(widthOf)) + 1;
    for (const line of chain) {
      if (columnOf(line) !== want)
        out.push([line.number, `${what} at column ${columnOf(line) + 1}, terraform fmt puts it at column ${want + 1} (aligned with lines ${chain[0].number}-${chain[chain.length - 1].number})`]);
    }
  };
  const chains = (has) => {
    const result = [];
    let chain = [];
    for (const line of lines) {
      if (line.exempt) continue;
      if (has(line)) chain.push(line);
      else { result.push(chain); chain = []; }
    }
    result.push(chain);
    return result;
  };
  for (const chain of chains((l) => l.assignAt >= 0))
    check(chain, (l) => l.assignAt, (l) => l.text.slice(0, l.assignAt).trimEnd().length, "'='");
  for (const chain of chains((l) => l.commentAt >= 0))
    check(chain, (l) => l.commentAt, (l) => l.codeEnd, "trailing comment");
  for (const line of lines) {
    if (line.exempt || line.eqAt < 0) continue;
    const before = line.text.slice(0, line.eqAt);
    const after = line.text.slice(line.eqAt + 1);
    if (line.assignAt < 0 && !/[^ \t] $/.test(before)) out.push([line.number, "one space before '=' (terraform fmt)"]);
    if (after.trim() !== "" && !/^ [^ \t]/.test(after)) out.push([line.number, "one space after '=' (terraform fmt)"]);
  }
  return out;
}

function fileProblems(file) {
  const text = fs.readFileSync(file, "utf8");
  const lines = scanLayout(text);
  const found = [...characterProblems(lines), ...indentProblems(lines), ...alignmentProblems(lines)];
  found.sort((a, b) => a[0] - b[0]);
  const out = found.map(([line, message]) => `${shown(file)}:${line}: ${message}`);
  const lastLine = Math.max(1, text.split("\n").length - 1);
  for (const message of endOfFileProblems(text)) out.push(`${shown(file)}:${lastLine}: ${message}`);
  return out;
}

function main() {
  const dirs = process.argv.slice(2);
  if (dirs.length === 0) dirs.push(path.join(repoRoot, "deploy"));
  const files = dirs.flatMap((dir) => listFiles(dir, [".tf", ".tfvars"]));
  if (files.length === 0) fail("tf-fmt", `no .tf files under ${dirs.map(shown).join(", ")}`);
  finish("tf-fmt", files.flatMap(fileProblems), `${files.length} file(s) laid out as terraform fmt would`);
}

main();
