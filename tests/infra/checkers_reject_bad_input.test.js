// infra.checkers_reject_bad_input: each offline infrastructure check fails, naming file and
// line, on a fixture that breaks its rule, and passes on a fixture that keeps it (so the
// failure comes from the broken rule, not from the fixture's other contents).
// Run from the repository root: node --test tests/infra/checkers_reject_bad_input.test.js
"use strict";
const { describe, it } = require("node:test");
const assert = require("node:assert");
const fs = require("fs");
const os = require("os");
const path = require("path");
const { execFile } = require("child_process");

const root = path.resolve(__dirname, "..", "..");
const fixtures = path.join("tests", "infra", "fixtures");
const checks = path.join(root, "tools", "infra-checks");

// Each checker loads a WebAssembly parser for seconds, so the cases run side by side.
function run(checker, ...args) {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(checks, checker), ...args], { cwd: root, encoding: "utf8" },
      (error, stdout, stderr) => resolve({ status: error ? error.code : 0, output: stdout + stderr }));
  });
}

function assertRejects(result, ...expected) {
  assert.strictEqual(result.status, 1, `expected exit 1, got ${result.status}:\n${result.output}`);
  for (const text of expected) assert.ok(result.output.includes(text), `expected "${text}" in:\n${result.output}`);
}

function assertPasses(result) {
  assert.strictEqual(result.status, 0, `expected exit 0, got ${result.status}:\n${result.output}`);
}

const envArgs = (terraform) => [
  "--src", path.join(fixtures, "env_vars", "src"),
  "--readme", path.join(fixtures, "env_vars", "README.md"),
  "--terraform", path.join(fixtures, "env_vars", terraform),
];

// A copy of the good tf_fmt fixture with one change, in a fresh temporary folder (removed
// when the run ends).
const made = [];
process.on("exit", () => made.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));
function goodFixtureChanged(change) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mercato-tf-fmt-"));
  made.push(dir);
  const text = fs.readFileSync(path.join(root, fixtures, "tf_fmt", "good", "main.tf"), "utf8");
  fs.writeFileSync(path.join(dir, "main.tf"), change(text));
  return dir;
}

describe("offline infrastructure checks", { concurrency: 4 }, () => {
  it("hcl: an attribute without a value is a parse error at its line", async () => {
    assertRejects(await run("check-hcl.js", path.join(fixtures, "hcl", "unparsable")),
      "tests/infra/fixtures/hcl/unparsable/main.tf:3:", "Invalid expression");
    assertPasses(await run("check-hcl.js", path.join(fixtures, "tf_fmt", "good")));
  });

  it("hcl: a folder without .tf files is an error, not a pass", async () => {
    const result = await run("check-hcl.js", path.join(fixtures, "actionlint"));
    assert.strictEqual(result.status, 2, result.output);
    assert.match(result.output, /no \.tf files/);
  });

  it("tf-fmt: terraform fmt's own output passes", async () => {
    assertPasses(await run("check-tf-fmt.js", path.join(fixtures, "tf_fmt", "good")));
  });

  it("tf-fmt: an '=' out of line with its neighbours", async () => {
    assertRejects(await run("check-tf-fmt.js", path.join(fixtures, "tf_fmt", "misaligned")),
      "misaligned/main.tf:6: '=' at column 15, terraform fmt puts it at column 20");
  });

  it("tf-fmt: indentation that does not follow the nesting", async () => {
    assertRejects(await run("check-tf-fmt.js", path.join(fixtures, "tf_fmt", "misindented")),
      "misindented/main.tf:5: indented 4 spaces, terraform fmt indents 6");
  });

  it("tf-fmt: a tab and trailing spaces", async () => {
    assertRejects(await run("check-tf-fmt.js", path.join(fixtures, "tf_fmt", "tab")), "tab/main.tf:3: tab at column 1");
    assertRejects(await run("check-tf-fmt.js", path.join(fixtures, "tf_fmt", "trailing_space")),
      "trailing_space/main.tf:3: trailing whitespace");
  });

  it("tf-fmt: CRLF line ends, a missing final newline, blank lines at the end", async () => {
    assertRejects(await run("check-tf-fmt.js", goodFixtureChanged((t) => t.replace(/\n/g, "\r\n"))), "main.tf:1: CRLF line end");
    assertRejects(await run("check-tf-fmt.js", goodFixtureChanged((t) => t.trimEnd())), "no newline at the end of the file");
    assertRejects(await run("check-tf-fmt.js", goodFixtureChanged((t) => t + "\n\n")), "blank line(s) at the end of the file");
  });

  it("tf-fmt: a heredoc body keeps its own layout, but the line after it does not", async () => {
    assertRejects(await run("check-tf-fmt.js", goodFixtureChanged((t) => t.replace('  path        = "/"', '   path        = "/"'))),
      "main.tf:33: indented 3 spaces, terraform fmt indents 2");
  });

  it("actionlint: findings name the workflow, line and column", async () => {
    assertRejects(await run("check-actionlint.js", path.join(fixtures, "actionlint", "bad")),
      "actionlint/bad/ci.yml:9:24: property \"no_such_property\" is not defined",
      "actionlint/bad/ci.yml:10:15: the runner of \"actions/checkout@v1\" action is too old");
    assertPasses(await run("check-actionlint.js", path.join(fixtures, "actionlint", "good")));
  });

  it("actionlint: a folder without workflows is an error, not a pass", async () => {
    assert.strictEqual((await run("check-actionlint.js", path.join(fixtures, "hcl"))).status, 2);
  });

  it("env-vars: a variable the server reads that Terraform does not set and README does not document", async () => {
    assertRejects(await run("check-env-vars.js", ...envArgs("terraform_missing")),
      "env_vars/src/app/config.cpp:7: SHINY_NEW_SETTING is read by the server but neither set in the Terraform Lambda environment nor documented");
  });

  it("env-vars: a variable Terraform sets that the server never reads", async () => {
    assertRejects(await run("check-env-vars.js", ...envArgs("terraform_extra")),
      "env_vars/terraform_extra/lambda.tf:8: UNREAD_SETTING is set for the Lambda function but the server never reads it");
  });

  it("env-vars: set through merge(local..., {...}), documented or Lambda's own: passes", async () => {
    assertPasses(await run("check-env-vars.js", ...envArgs("terraform_good")));
  });
});
