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
  renderBestK(o.bestK);
  fillRows("topics", o.offsets.topics.map((t) => [esc(t.topic), t.endOffset, fmt(t.recordsPerSecond)]));
  fillRows("groups", o.offsets.groups.map((g) => [esc(g.group), esc(g.kind), esc(g.topic), g.committed ?? "–", g.lag]));
  const errors = Object.entries(o.decodeErrors);
  $("decode-errors").hidden = errors.length === 0;
  $("decode-errors").textContent = "Undecodable records: " + errors.map(([t, n]) => t + " " + n).join(", ")
    + (o.lastDecodeError ? " (last: " + o.lastDecodeError + ")" : "");
}

const BESTK_COLORS = {"Hybrid": "#d62728", "EB": "#1f77b4", "EF": "#2ca02c", "Weighted": "#9467bd", "Pass@K": "#7f7f7f"};

// The Best@K chart as inline SVG (no chart library: nothing outside localhost is reachable): x = K, y = % of tasks
// resolved, one line per method; every point carries its exact value in data-value, and the table repeats them.
function renderBestK(b) {
  const svg = $("bestk-chart");
  if (!b) {
    svg.innerHTML = "";
    fillRows("bestk-table", []);
    return;
  }
  $("bestk-caption").textContent = "Best@K over " + b.tasks + " task(s), " + b.candidates + " candidate(s) with ground truth ("
    + (b.minCandidates === b.maxCandidates ? b.minCandidates : b.minCandidates + "–" + b.maxCandidates) + " per task); "
    + (b.trials === 0 ? "exact expectation over all K-subsets" : b.trials + " random K-subsets per task and K, mean over trials")
    + "; % of tasks whose selection resolves." + (b.leftOut ? " " + b.leftOut : "");
  const W = 760, H = 340, L = 48, R = 110, T = 12, B = 36;
  const maxK = b.rows.length;
  const x = (k) => L + (maxK === 1 ? (W - L - R) / 2 : (k - 1) * (W - L - R) / (maxK - 1));
  const y = (v) => T + (1 - v) * (H - T - B);
  let g = "";
  for (let p = 0; p <= 100; p += 25) {
    g += `<line x1="${L}" x2="${W - R}" y1="${y(p / 100)}" y2="${y(p / 100)}" stroke="#e5e7eb"/>`
      + `<text x="${L - 6}" y="${y(p / 100) + 4}" text-anchor="end" font-size="11">${p}%</text>`;
  }
  b.rows.forEach((r) => { g += `<text x="${x(r.k)}" y="${H - B + 16}" text-anchor="middle" font-size="11">${r.k}</text>`; });
  g += `<text x="${(L + W - R) / 2}" y="${H - 4}" text-anchor="middle" font-size="12">K (candidates per task the verifier chooses from)</text>`;
  b.methods.forEach((m, i) => {
    const color = BESTK_COLORS[m] || "#000";
    const pts = b.rows.map((r) => [x(r.k), y(r.values[m].mean)]);
    g += `<polyline fill="none" stroke="${color}" stroke-width="2" ${m === "Pass@K" ? "stroke-dasharray=\"6 4\"" : ""} points="${pts.map((p) => p.join(",")).join(" ")}"/>`;
    b.rows.forEach((r) => {
      g += `<circle cx="${x(r.k)}" cy="${y(r.values[m].mean)}" r="3.5" fill="${color}" data-method="${esc(m)}" data-k="${r.k}" data-value="${r.values[m].mean}"><title>${esc(m)} K=${r.k}: ${(100 * r.values[m].mean).toFixed(1)}%</title></circle>`;
    });
    g += `<text x="${W - R + 8}" y="${T + 14 + 16 * i}" fill="${color}" font-size="12" font-weight="600">${esc(m)} ${(100 * b.rows[maxK - 1].values[m].mean).toFixed(1)}</text>`;
  });
  svg.innerHTML = g;
  $("bestk-table").querySelector("thead").innerHTML = "<tr><th>K</th>" + b.methods.map((m) => "<th>" + esc(m) + "</th>").join("") + "</tr>";
  fillRows("bestk-table", b.rows.map((r) => [r.k].concat(b.methods.map((m) => {
    const s = r.values[m];
    return (100 * s.mean).toFixed(1) + (b.trials === 0 ? "" : " ± " + (100 * s.std).toFixed(1));
  }))));
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
