"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  let rows = [];

  async function post(body) {
    const response = await fetch("/predict", {
      method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body),
    });
    const data = await response.json();
    if (!response.ok) throw new Error(data.error || response.statusText);
    return data.rows;
  }

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function showCounts() {
    const table = $("counts");
    table.replaceChildren();
    const total = rows.length || 1;
    for (const label of window.LABELS) {
      const n = rows.filter((r) => r.label === label).length;
      const tr = el("tr", {"data-label": label});
      tr.append(el("td", {}, label), el("td", {"class": "n"}, String(n)));
      const bar = el("td");
      bar.append(el("span", {"class": "bar " + label, "style": `width:${Math.round(80 * n / total)}px`}));
      tr.append(bar);
      table.append(tr);
    }
  }

  async function explain(index, node) {
    document.querySelectorAll(".sentence.chosen").forEach((n) => n.classList.remove("chosen"));
    node.classList.add("chosen");
    const box = $("explanation");
    box.textContent = "…";
    try {
      const [row] = await post({texts: [rows[index].text], explain: 8});
      box.replaceChildren();
      const head = el("p", {"class": "ltr"});
      head.append(el("strong", {}, row.label), document.createTextNode(` ${row.score.toFixed(2)}`));
      box.append(head);
      const list = el("ul", {"id": "ngrams", "class": "ltr"});
      for (const item of row.explanation) {
        const li = el("li");
        li.append(el("bdi", {"dir": "auto"}, item.ngram), el("span", {"class": "score"}, ` +${item.weight.toFixed(3)}`));
        list.append(li);
      }
      if (!row.explanation.length) list.append(el("li", {"class": "muted"}, "—"));
      box.append(list);
      const scores = el("table", {"class": "counts ltr"});
      for (const [label, value] of Object.entries(row.scores)) {
        const tr = el("tr");
        tr.append(el("td", {}, label), el("td", {}, value.toFixed(3)));
        scores.append(tr);
      }
      box.append(scores);
    } catch (err) {
      box.replaceChildren(el("span", {"class": "error"}, err.message));
    }
  }

  async function classify() {
    const text = $("article").value;
    $("message").textContent = "…";
    try {
      rows = await post({article: text});
    } catch (err) {
      $("message").replaceChildren(el("span", {"class": "error"}, err.message));
      return;
    }
    const result = $("result");
    result.replaceChildren();
    rows.forEach((row, i) => {
      const span = el("span", {"class": "sentence " + row.label, "data-label": row.label, "data-index": i,
                               "title": `${row.label} ${row.score.toFixed(2)}`});
      span.append(document.createTextNode(row.text));
      span.append(el("span", {"class": "score"}, row.score.toFixed(2)));
      span.addEventListener("click", () => explain(i, span));
      result.append(span, document.createTextNode(" "));
    });
    if (!rows.length) result.append(el("span", {"class": "muted"}, "لا جمل في هذا النص."));
    $("message").textContent = `${rows.length} جملة`;
    showCounts();
  }

  $("classify").addEventListener("click", classify);
  showCounts();
})();
