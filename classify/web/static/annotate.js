"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  let current = null;
  let busy = false;

  async function call(method, url, body) {
    const response = await fetch(url, {
      method, headers: {"Content-Type": "application/json"}, body: body ? JSON.stringify(body) : undefined,
    });
    const data = await response.json();
    if (!response.ok && response.status !== 409) throw new Error(data.error || response.statusText);
    return [response.status, data];
  }

  function status(text, saved) {
    const node = $("status");
    node.textContent = text;
    node.className = "ltr" + (saved ? " saved" : "");
  }

  function showProgress(p) {
    $("totals").textContent = `${p.labelled} labelled, ${p.skipped} skipped, of ${p.total} sentences`;
    const table = $("counts");
    table.replaceChildren();
    for (const label of window.LABELS) {
      const tr = document.createElement("tr");
      tr.dataset.label = label;
      const name = document.createElement("td");
      name.textContent = label;
      const n = document.createElement("td");
      n.className = "n";
      n.textContent = String(p.counts[label] || 0);
      tr.append(name, n);
      table.append(tr);
    }
    $("agreement").textContent = p.agreement === null ? "model agreement: —"
      : `model agreement, last ${p.recent}: ${(100 * p.agreement).toFixed(0)}%`;
    const r = p.retraining;
    $("retraining").textContent = !r ? `model version ${p.model_version}`
      : r.state === "running" ? `retraining on the bundled corpus + ${r.labels} labels…`
      : r.state === "done" ? `model version ${p.model_version}: retrained with ${r.labels} labels`
      : `retraining failed: ${r.error}`;
  }

  function showSentence(s) {
    current = s;
    document.querySelectorAll("#choices button").forEach((b) => b.classList.remove("suggested"));
    if (!s) {
      $("current").textContent = "اكتمل توسيم كل الجمل.";
      $("current").className = "current";
      for (const id of ["previous", "next", "suggestion", "where"]) $(id).textContent = "";
      return;
    }
    $("where").textContent = `${s.doc} · sentence ${s.position + 1} · picked: ${s.pick}`;
    $("previous").textContent = s.previous || "";
    $("next").textContent = s.next || "";
    $("current").textContent = s.text;
    $("current").className = "current " + s.suggestion;
    $("current").dataset.id = s.id;
    const scores = Object.entries(s.scores).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(" · ");
    $("suggestion").textContent = `suggestion: ${s.suggestion} (${scores})`;
    const button = document.querySelector(`#choices button[data-label="${s.suggestion}"]`);
    if (button) button.classList.add("suggested");
  }

  async function load() {
    const [, data] = await call("GET", "/api/annotate/next");
    showSentence(data.sentence);
    showProgress(data.progress);
  }

  async function decide(action, label) {
    if (!current || busy) return;
    busy = true;
    try {
      const [code, data] = await call("POST", "/api/annotate/decide",
        {id: current.id, action, label, annotator: $("annotator").value || null});
      if (code === 409) {
        status(data.error, false);
      } else {
        status(action === "skip" ? `skipped — saved (decision #${data.saved})`
                                 : `${label} — saved (decision #${data.saved})`, true);
      }
      await load();
    } catch (err) {
      status(`not saved: ${err.message}`, false);
    } finally {
      busy = false;
    }
  }

  async function undo() {
    if (busy) return;
    busy = true;
    try {
      const [, data] = await call("POST", "/api/annotate/undo");
      status(data.undone === null ? "nothing to undo" : "undone — the sentence is back", true);
      await load();
    } catch (err) {
      status(`undo failed: ${err.message}`, false);
    } finally {
      busy = false;
    }
  }

  document.addEventListener("keydown", (event) => {
    if (event.target.tagName === "INPUT" || event.ctrlKey || event.metaKey || event.altKey) return;
    const n = Number(event.key);
    if (Number.isInteger(n) && n >= 1 && n <= window.LABELS.length) decide("label", window.LABELS[n - 1]);
    else if (event.key === "Enter" && current) decide("label", current.suggestion);
    else if (event.key === "s") decide("skip");
    else if (event.key === "u") undo();
    else return;
    event.preventDefault();
  });
  document.querySelectorAll("#choices button").forEach((b) =>
    b.addEventListener("click", () => decide("label", b.dataset.label)));
  $("retrain").addEventListener("click", async () => {
    const [, data] = await call("POST", "/api/annotate/retrain");
    showProgress(data.progress);
  });
  setInterval(async () => {
    try {
      const [, p] = await call("GET", "/api/annotate/progress");
      const before = current && current.model_version;
      showProgress(p);
      if (before && p.model_version !== before && !busy) await load();
    } catch (err) { /* the server is restarting: try again next tick */ }
  }, 3000);
  load().catch((err) => status(`cannot reach the server: ${err.message}`, false));
})();
