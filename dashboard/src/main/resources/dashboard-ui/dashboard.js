// R2E-Stream dashboard: plain DOM + EventSource. Every page listens to /api/events ("overview" events, sent
// whenever anything changed) and re-renders from the event or from the JSON API.
"use strict";

const $ = (id) => document.getElementById(id);
const fmt = (v) => (v === null || v === undefined) ? "–" : (typeof v === "number" && !Number.isInteger(v) ? v.toFixed(3) : String(v));
const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;"}[c]));
const setText = (id, v) => { const e = $(id); if (e) { e.textContent = fmt(v); } };

function fillRows(tableId, rows) {
  const body = $(tableId).querySelector("tbody");
  body.innerHTML = rows.length ? rows.map((cells) => "<tr>" + cells.map((c) => "<td>" + c + "</td>").join("") + "</tr>").join("")
    : "<tr><td colspan='9' class='hint'>none yet</td></tr>";
}

async function getJson(url) {
  const r = await fetch(url);
  return r.ok ? r.json() : null;
}

function listen(onOverview) {
  const source = new EventSource("/api/events");
  source.addEventListener("overview", (e) => {
    $("live").textContent = "live · v" + e.lastEventId;
    $("live").className = "live on";
    document.body.dataset.version = e.lastEventId;
    onOverview(JSON.parse(e.data));
  });
  source.onerror = () => { $("live").textContent = "reconnecting…"; $("live").className = "live off"; };
}

function renderOverview(o) {
  const f = o.funnel;
  ["commits", "rejected", "candidates", "validations", "tasks"].forEach((k) => setText("funnel-" + k, f[k]));
  fillRows("rejections", Object.entries(f.rejectionsByRule).map(([k, v]) => [esc(k), v]));
  fillRows("validations", Object.entries(f.validationsByStatus).map(([k, v]) => [esc(k), v]));
  const r = o.rollouts;
  setText("rollouts-trajectories", r.trajectories);
  setText("rollouts-resolved", r.resolved);
  setText("rollouts-rewarded", r.rewarded);
  $("rollouts-rate").textContent = r.resolvedRate === null ? "–" : (100 * r.resolvedRate).toFixed(1) + " %";
  setText("rollouts-tokens", r.promptTokens + r.completionTokens);
  $("rollouts-time").textContent = r.meanSeconds === null ? "–" : r.meanSeconds.toFixed(1) + " s";
  setText("rollouts-candidates", r.candidates);
  fillRows("exit-reasons", Object.entries(r.byExitReason).map(([k, v]) => [esc(k), v]));
  const v = o.verifiers;
  setText("verifiers-test", v.testScores);
  setText("verifiers-judge", v.judgeScores);
  setText("verifiers-ranked", v.rankedTasks);
  setText("verifiers-resolved", v.resolvedSelections);
  fillRows("topics", o.offsets.topics.map((t) => [esc(t.topic), t.endOffset, fmt(t.recordsPerSecond)]));
  fillRows("groups", o.offsets.groups.map((g) => [esc(g.group), esc(g.topic), g.committed, g.lag]));
  const errors = Object.entries(o.decodeErrors);
  $("decode-errors").hidden = errors.length === 0;
  $("decode-errors").textContent = "Undecodable records: " + errors.map(([t, n]) => t + " " + n).join(", ")
    + (o.lastDecodeError ? " (last: " + o.lastDecodeError + ")" : "");
}

let selectedTask = new URLSearchParams(location.search).get("task");

async function renderTasks() {
  const [tasks, rankings] = await Promise.all([getJson("/api/tasks"), getJson("/api/rankings")]);
  const filter = ($("task-filter").value || "").toLowerCase();
  const shown = tasks.filter((t) => !filter || t.instanceId.toLowerCase().includes(filter) || t.repo.toLowerCase().includes(filter));
  setText("task-count", tasks.length);
  fillRows("tasks", shown.map((t) => ["<a href='?task=" + encodeURIComponent(t.instanceId) + "' data-task='" + esc(t.instanceId) + "'>" + esc(t.instanceId) + "</a>", t.failToPass, t.passToPass]));
  setText("ranking-count", rankings.length);
  fillRows("rankings", rankings.map((r) => ["<a href='?task=" + encodeURIComponent(r.taskId) + "' data-task='" + esc(r.taskId) + "'>" + esc(r.taskId) + "</a>",
    esc(r.mode), r.candidates, esc(r.best ?? "–"), fmt(r.selectionResolves)]));
  if (selectedTask) {
    await renderTask(selectedTask);
  }
}

async function renderTask(id) {
  const d = await getJson("/api/tasks/" + encodeURIComponent(id));
  const el = $("task-detail");
  if (!d) { el.innerHTML = "<p class='hint'>No task " + esc(id) + " in memory.</p>"; return; }
  const t = d.task;
  const rows = d.ranking.candidates.map((c) => "<tr data-candidate='" + esc(c.candidateId) + "'><td>" + fmt(c.rank) + "</td><td>" + esc(c.candidateId)
    + "</td><td class='hybrid'>" + fmt(c.hybridScore) + "</td><td>" + esc(c.testStatus ?? "–") + " " + fmt(c.testScore) + "</td><td>" + esc(c.judgeStatus ?? "–") + " " + fmt(c.judgeScore)
    + "</td><td>" + fmt(c.groundTruth) + "</td></tr>").join("");
  const rollouts = d.trajectories.map((r) => "<tr><td><a href='/trajectory.html?id=" + encodeURIComponent(r.rolloutId) + "'>" + esc(r.rolloutId) + "</a></td><td>"
    + esc(r.exitReason) + "</td><td>" + fmt(r.reward) + "</td><td>" + r.steps + "</td></tr>").join("");
  el.innerHTML = "<h2 id='task-title'>" + esc(id) + "</h2>"
    + (t ? "<p>" + esc(t.repo) + " @ <code>" + esc(t.baseCommit) + "</code> · image <code>" + esc(t.dockerImage) + "</code></p>"
      + "<h3>Problem statement</h3><pre class='statement'>" + esc(t.problemStatement) + "</pre>"
      + "<h3>FAIL_TO_PASS</h3><ul>" + t.failToPass.map((x) => "<li>" + esc(x) + "</li>").join("") + "</ul>" : "<p class='hint'>Task record not in memory.</p>")
    + "<h3>Ranking" + (d.ranking.mode ? " (" + esc(d.ranking.mode) + ", best " + esc(d.ranking.best ?? "–") + ")" : "") + "</h3>"
    + "<table id='candidates'><thead><tr><th>rank</th><th>candidate</th><th>hybrid</th><th>test verifier</th><th>judge P(YES)</th><th>ground truth</th></tr></thead><tbody>"
    + (rows || "<tr><td colspan='6' class='hint'>no scores yet</td></tr>") + "</tbody></table>"
    + "<h3>Trajectories</h3><table id='task-trajectories'><thead><tr><th>rollout</th><th>exit</th><th>reward</th><th>steps</th></tr></thead><tbody>"
    + (rollouts || "<tr><td colspan='4' class='hint'>none in memory</td></tr>") + "</tbody></table>"
    + (t ? "<h3>Gold patch</h3><pre class='patch'>" + esc(t.patch) + "</pre>" : "");
}

async function renderTrajectory() {
  const id = new URLSearchParams(location.search).get("id");
  $("trajectory-id").textContent = id || "";
  const t = id ? await getJson("/api/trajectory?id=" + encodeURIComponent(id)) : null;
  if (!t) { $("trajectory-summary").innerHTML = "<tr><td class='hint'>No trajectory " + esc(id) + " in memory.</td></tr>"; return; }
  $("trajectory-summary").innerHTML = [["task", "<a href='/tasks.html?task=" + encodeURIComponent(t.taskId) + "'>" + esc(t.taskId) + "</a>"], ["model", esc(t.model)],
    ["exit reason", esc(t.exitReason)], ["reward", fmt(t.reward)], ["steps", t.steps], ["tokens", t.promptTokens + t.completionTokens], ["time", t.seconds.toFixed(1) + " s"]]
    .map(([k, v]) => "<tr><th>" + k + "</th><td id='trajectory-" + k.replace(" ", "-") + "'>" + v + "</td></tr>").join("");
  $("steps").innerHTML = t.stepList.map((s) => "<li class='step'><div class='thought'><b>Thought</b><pre>" + esc(s.thought) + "</pre></div>"
    + "<div class='action'><b>Action</b><pre>" + esc(s.action) + "</pre></div><div class='observation'><b>Observation</b><pre>" + esc(s.observation) + "</pre></div></li>").join("");
  $("output-patch").textContent = t.outputPatch || "(empty)";
  $("gold-patch").textContent = t.goldPatch ?? "(task not in memory)";
  $("test-output").textContent = t.testOutput || "(none)";
}

document.addEventListener("DOMContentLoaded", () => {
  const page = document.body.dataset.page;
  if (page === "overview") {
    listen(renderOverview);
  } else if (page === "tasks") {
    $("task-filter").addEventListener("input", renderTasks);
    document.addEventListener("click", (e) => {
      const a = e.target.closest("a[data-task]");
      if (a) { e.preventDefault(); selectedTask = a.dataset.task; history.replaceState(null, "", "?task=" + encodeURIComponent(selectedTask)); renderTask(selectedTask); }
    });
    listen(renderTasks);
  } else if (page === "trajectory") {
    listen(renderTrajectory);
  }
});
