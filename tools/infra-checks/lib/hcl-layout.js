// The layout of an HCL file, line by line, as `terraform fmt` (hclwrite) sees it: which lines
// are code (not heredoc bodies or block-comment continuations), the bracket change of each,
// where its attribute `=` is, and where a trailing comment starts. Strings, interpolations,
// comments and heredocs are followed just enough to count brackets the way hclwrite does.
"use strict";

// One scanned line. `net` counts brackets up to a heredoc opener, as hclwrite does;
// `assignAt` is the column of the first lone `=` (not ==, =>, <=, >=, !=) when the rest of
// the line from there is bracket-balanced (`eqAt` is that `=` in any case); `commentAt` is where a trailing comment starts
// (after code on the same line); `codeEnd` is the column after the last code character.
function emptyLine(text, number) {
  return {
    text, number, exempt: false, blank: text.trim() === "", net: 0, firstClose: false,
    assignAt: -1, eqAt: -1, commentAt: -1, codeEnd: 0, tabInCode: -1, crlf: false,
  };
}

function isIdentChar(c) {
  return /[A-Za-z0-9_-]/.test(c);
}

// Scans the whole text; `lines` come back in order, 1-based numbers.
function scanLayout(text) {
  const rawLines = text.split("\n");
  if (rawLines.length > 0 && rawLines[rawLines.length - 1] === "") rawLines.pop();
  const lines = [];
  // Modes: "code" (with the opener that started it), "string", "interp" (code inside ${ }).
  const stack = [{ mode: "code" }];
  let heredoc = null; // { marker } while inside a heredoc body
  let blockComment = false;

  for (let n = 0; n < rawLines.length; n++) {
    const raw = rawLines[n].replace(/\r$/, "");
    const line = emptyLine(raw, n + 1);
    line.crlf = rawLines[n].endsWith("\r");
    lines.push(line);

    if (heredoc) {
      line.exempt = true;
      if (raw.trim() === heredoc.marker) heredoc = null;
      continue;
    }
    if (blockComment) {
      line.exempt = true;
      const end = raw.indexOf("*/");
      if (end < 0) continue;
      blockComment = false;
      continue; // the rest of a line closing a block comment is rare; left to terraform fmt
    }

    let counting = true; // hclwrite stops counting at a heredoc opener
    let firstToken = true;
    let firstEq = -1;
    let netAtFirstEq = 0;
    for (let i = 0; i < raw.length; i++) {
      const c = raw[i];
      const top = stack[stack.length - 1];
      const inString = top.mode === "string";

      if (inString) {
        if (c === "\\") { i++; continue; }
        if ((c === "$" || c === "%") && raw[i + 1] === c && raw[i + 2] === "{") { i += 2; continue; }
        if ((c === "$" || c === "%") && raw[i + 1] === "{") {
          stack.push({ mode: "interp" });
          if (counting) line.net += 1;
          i++;
          continue;
        }
        if (c === '"') stack.pop();
        line.codeEnd = i + 1;
        continue;
      }

      // Code (top level or inside an interpolation).
      if (c === " ") continue;
      if (c === "\t") { if (line.tabInCode < 0) line.tabInCode = i; continue; }
      if (c === "#" || (c === "/" && raw[i + 1] === "/")) {
        if (!firstToken) line.commentAt = i;
        break;
      }
      if (c === "/" && raw[i + 1] === "*") {
        const end = raw.indexOf("*/", i + 2);
        if (end < 0) { blockComment = true; if (!firstToken) line.commentAt = i; break; }
        i = end + 1;
        continue;
      }
      const wasFirst = firstToken;
      firstToken = false;
      line.codeEnd = i + 1;
      if (c === '"') { stack.push({ mode: "string" }); continue; }
      if (c === "<" && raw[i + 1] === "<") {
        const m = /^<<-?([A-Za-z_][A-Za-z0-9_-]*)/.exec(raw.slice(i));
        if (m) {
          heredoc = { marker: m[1] };
          counting = false;
          line.codeEnd = raw.trimEnd().length;
          break;
        }
      }
      if (c === "{" || c === "[" || c === "(") {
        stack.push({ mode: "code", opener: c });
        if (counting) line.net += 1;
        continue;
      }
      if (c === "}" || c === "]" || c === ")") {
        if (wasFirst) line.firstClose = true;
        if (stack.length > 1) stack.pop();
        if (counting) line.net -= 1;
        continue;
      }
      if (c === "=") {
        const prev = raw[i - 1];
        const next = raw[i + 1];
        const lone = next !== "=" && next !== ">" && !["=", "!", "<", ">"].includes(prev);
        if (lone && firstEq < 0 && !wasFirst) { firstEq = i; netAtFirstEq = line.net; }
        if (next === "=" || next === ">") i++;
        continue;
      }
      if (isIdentChar(c)) {
        while (i + 1 < raw.length && isIdentChar(raw[i + 1])) i++;
        line.codeEnd = i + 1;
      }
    }
    line.eqAt = firstEq;
    if (firstEq >= 0 && line.net - netAtFirstEq === 0) line.assignAt = firstEq;
  }
  return lines;
}

module.exports = { scanLayout };
