/* The step-through page (viz.stepper): reads the StepData JSON, drives the inline SVG.
 * State: mode ("forward" | "backward") and index (0 = before the first step, k = after step k).
 * Every node gets, per mode, the step at which it is done; rendering a state toggles classes,
 * so any jump costs one pass over the nodes. */
(function () {
  "use strict";
  const D = JSON.parse(document.getElementById("stepper-data").textContent);
  const $ = (id) => document.getElementById(id);
  const NS = "http://www.w3.org/2000/svg";
  const nodes = new Map(D.nodes.map((n) => [n.id, n]));
  const root = nodes.get(D.root);
  const rootLabel = root ? root.label : "E";
  const graph = $("graph");
  const svg = graph.querySelector("svg");
  const steps = { forward: D.forward, backward: D.backward };

  // -- the SVG: node groups by id (or <title>), edges by "src->dst" -------------------------
  const el = new Map();
  const edgeEl = new Map();
  const gradRow = new Map();          // tensor id -> {text, cell} of its hidden gradient row
  const own = !svg.querySelector("g.edge polygon");   // drawn by draw_svg: no arrowheads
  if (own) graph.classList.add("own");
  for (const g of svg.querySelectorAll("g.node, g.cluster")) {
    const title = g.querySelector("title");
    let id = nodes.has(g.id) ? g.id : (title ? title.textContent : "");
    if (id.startsWith("cluster_") && !nodes.has(id)) id = id.slice(8);
    if (!nodes.has(id)) continue;
    el.set(id, g);
    g.dataset.node = id;
    const cell = g.querySelector('polygon[fill="#fefefe"]');
    if (cell) {
      const text = cell.nextElementSibling;
      gradRow.set(id, { cell, text, full: text ? text.textContent : "" });
    }
  }
  for (const g of svg.querySelectorAll("g.edge")) {
    const title = g.querySelector("title");
    if (!title) continue;
    const [a, b] = title.textContent.split("->").map((s) => s.split(":")[0]);
    edgeEl.set(a + "->" + b, g);
  }
  addMarkers();

  function addMarkers() {
    const defs = document.createElementNS(NS, "defs");
    const spec = [["arrow-f", "#8a8a8a", "auto"], ["arrow-b", "#8a8a8a", "auto-start-reverse"],
                  ["arrow-fh", "#1f5fa8", "auto"], ["arrow-bh", "#d62728", "auto-start-reverse"]];
    for (const [id, color, orient] of spec) {
      const m = document.createElementNS(NS, "marker");
      for (const [k, v] of [["id", id], ["viewBox", "0 0 10 10"], ["refX", "9"], ["refY", "5"],
                            ["markerWidth", "7"], ["markerHeight", "7"], ["orient", orient],
                            ["markerUnits", "userSpaceOnUse"]]) m.setAttribute(k, v);
      m.setAttribute("markerWidth", "9"); m.setAttribute("markerHeight", "9");
      const p = document.createElementNS(NS, "path");
      p.setAttribute("d", "M0,0 L10,5 L0,10 z");
      p.setAttribute("fill", color);
      m.appendChild(p);
      defs.appendChild(m);
    }
    svg.insertBefore(defs, svg.firstChild);
  }

  // -- per mode: when each node is done, which step a click on a node jumps to ------------
  const doneAt = { forward: new Map(), backward: new Map() };
  const stepOf = { forward: new Map(), backward: new Map() };
  steps.forward.forEach((s, k) => {
    doneAt.forward.set(s.node, k + 1); doneAt.forward.set(s.output, k + 1);
    stepOf.forward.set(s.node, k + 1); stepOf.forward.set(s.output, k + 1);
  });
  const leafHistory = new Map();      // leaf id -> [[step, total Value, added Value], ...]
  steps.backward.forEach((s, k) => {
    doneAt.backward.set(s.node, k + 1);
    if (!doneAt.backward.has(s.output)) doneAt.backward.set(s.output, k + 1);
    stepOf.backward.set(s.node, k + 1);
    if (!stepOf.backward.has(s.output)) stepOf.backward.set(s.output, k + 1);
    for (const g of s.grads) {
      if (!leafHistory.has(g.leaf)) leafHistory.set(g.leaf, []);
      leafHistory.get(g.leaf).push([k + 1, g.total, g.added]);
      if (!doneAt.backward.has(g.leaf)) doneAt.backward.set(g.leaf, k + 1);
      stepOf.backward.set(g.leaf, k + 1);
    }
  });
  const leaves = D.nodes.filter((n) => n.kind === "param" || n.kind === "leaf");
  const dataLeaves = D.nodes.filter((n) => ["param", "leaf", "input"].includes(n.kind));
  // a module node is done when any node inside it is (clusters in the forward pass)
  for (const mode of ["forward", "backward"]) {
    for (const n of D.nodes) {
      if (n.parent && doneAt[mode].has(n.id)) {
        const t = doneAt[mode].get(n.id), p = doneAt[mode].get(n.parent);
        if (p === undefined || t < p) doneAt[mode].set(n.parent, t);
      }
    }
  }

  let mode = D.start === "forward" && D.forward.length ? "forward"
    : D.backward.length ? "backward" : "forward";
  let index = 0;
  let timer = null;
  let zoom = 1;
  const natural = svgSize();

  // -- text helpers --------------------------------------------------------------------------
  const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]));
  const chip = (v) => (v && v.color ? `<span class="chip" style="background:${v.color}"></span>` : "");
  const d = (a, b) => `\u2202${a}/\u2202${b}`;
  const label = (id) => (nodes.get(id) || { label: id }).label;
  const nums = (v) => esc(JSON.stringify(v.numbers === null ? [] : v.numbers));
  const val = (v) => `<span class="num" data-numbers="${nums(v)}">${esc(v.text)}</span>`;

  // -- the card: what the current step does ---------------------------------------------------
  function card() {
    const list = steps[mode];
    const n = list.length;
    $("counter").textContent = `step ${index} of ${n}`;
    $("progress-fill").style.width = (n ? (100 * index) / n : 0) + "%";
    $("kicker").textContent = `${mode} \u00b7 step ${index} of ${n}`;
    const body = $("body");
    if (index === 0) {
      $("node-label").innerHTML = mode === "backward" ? "Start at the loss" : "The inputs";
      $("node-label").dataset.node = "";
      if (mode === "backward") {
        const rv = root && root.value ? root.value.text : "";
        $("explain").innerHTML = `The forward pass computed <b>${esc(rootLabel)}</b> = ${esc(rv)}. ` +
          `Backpropagation starts there with ${d(rootLabel, rootLabel)} = 1 and visits every node ` +
          `in the order the engine runs them. Press Next (\u2192).`;
      } else {
        $("explain").innerHTML = "The leaves hold the data and the parameters. Each step runs one " +
          "node on values that are already known. Press Next (\u2192).";
      }
      body.innerHTML = "";
    } else if (mode === "backward") {
      backwardCard(list[index - 1]);
    } else {
      forwardCard(list[index - 1]);
    }
    leavesTable();
  }

  function heading(s) {
    const n = nodes.get(s.node);
    const h = $("node-label");
    h.innerHTML = `${esc(n.label)}<span class="id">${esc(n.kind === "op" ? "" : n.kind)}</span>`;
    h.dataset.node = s.node;
  }

  function backwardCard(s) {
    heading(s);
    const out = label(s.output);
    $("explain").innerHTML = `The gradient of ${esc(rootLabel)} has fully arrived at its output ` +
      `<b>${esc(out)}</b>. The node multiplies it by its local derivative and sends each input ` +
      `its share; shares reaching the same tensor add up.`;
    let h = `<h3>gradient arriving</h3><table class="vals"><tbody><tr id="arriving" ` +
      `data-numbers="${nums(s.arriving)}"><td class="k">${d(esc(rootLabel), esc(out))}</td>` +
      `<td class="v">${chip(s.arriving)}${esc(s.arriving.text)}</td></tr></tbody></table>`;
    h += `<h3>local rule</h3><div id="rule" class="rule mono">${esc(s.rule || "(none given)")}</div>`;
    h += `<h3>share sent to each input</h3><table id="shares" class="vals"><tbody>`;
    if (!s.shares.length) h += `<tr><td class="none" colspan="2">no input needs a gradient</td></tr>`;
    for (const x of s.shares) {
      const to = label(x.to);
      const slot = x.slot && x.slot !== to ? ` <span class="product">(${esc(x.slot)})</span>` : "";
      const product = x.local
        ? `<span class="product">${d(esc(out), esc(to))} \u00d7 ${d(esc(rootLabel), esc(out))} = ` +
          `${esc(x.local.text)} \u00d7 ${esc(s.arriving.text)}</span>`
        : `<span class="product">(${d(esc(out), esc(to))})\u1d40 \u00b7 ${d(esc(rootLabel), esc(out))}` +
          ` (vector-Jacobian product)</span>`;
      h += `<tr data-to="${esc(x.to)}"><td class="k">\u2192 <b>${esc(to)}</b>${slot}</td>` +
        `<td class="v">${product}<span class="eq">${chip(x.value)}${val(x.value)}</span></td></tr>`;
    }
    body().innerHTML = h + "</tbody></table>";
  }

  function forwardCard(s) {
    heading(s);
    const out = label(s.output);
    $("explain").innerHTML = `The node reads its inputs and computes <b>${esc(out)}</b>; ` +
      `the engine records it for the backward pass.`;
    let h = `<h3>inputs</h3><table id="inputs" class="vals"><tbody>`;
    for (const x of s.inputs) {
      const slot = x.slot && x.slot !== label(x.id) ? ` <span class="product">(${esc(x.slot)})</span>` : "";
      h += `<tr data-from="${esc(x.id)}"><td class="k"><b>${esc(label(x.id))}</b>${slot}</td>` +
        `<td class="v">${val(x.value)}</td></tr>`;
    }
    h += `</tbody></table>`;
    if (s.formula) h += `<h3>computes</h3><div id="rule" class="rule mono">${esc(s.formula)}</div>`;
    h += `<h3>result</h3><table class="vals"><tbody><tr id="result" data-numbers="${nums(s.result)}">` +
      `<td class="k"><b>${esc(out)}</b></td><td class="v">${esc(s.result.text)}</td></tr></tbody></table>`;
    body().innerHTML = h;
  }

  function body() { return $("body"); }

  function leafGrad(id) {
    const hist = leafHistory.get(id) || [];
    let cur = null;
    for (const h of hist) { if (h[0] <= index) cur = h; else break; }
    return cur;
  }

  function leavesTable() {
    const tb = $("grads").tBodies[0];
    const back = mode === "backward";
    $("leaves-title").textContent = back ? "leaves' .grad" : "leaves";
    let h = "";
    const list = back ? leaves : dataLeaves;
    for (const n of list.slice(0, 200)) {
      if (back) {
        const cur = leafGrad(n.id);
        const isNew = cur && cur[0] === index && index > 0;
        h += `<tr data-leaf="${esc(n.id)}" class="${isNew ? "new" : ""}"><td class="k"><b>${esc(n.label)}</b>.grad</td>` +
          (cur ? `<td class="v">${chip(cur[1])}${val(cur[1])}${isNew ? ` <span class="product">+= ${esc(cur[2].text)}</span>` : ""}</td>`
               : `<td class="v none">None</td>`) + `</tr>`;
      } else if (n.value) {
        h += `<tr data-leaf="${esc(n.id)}"><td class="k"><b>${esc(n.label)}</b></td><td class="v">${val(n.value)}</td></tr>`;
      }
    }
    if (list.length > 200) h += `<tr><td class="none" colspan="2">and ${list.length - 200} more</td></tr>`;
    tb.innerHTML = h;
  }

  // -- the graph: classes for todo/done/current, flow labels on the current edges -------------
  function paint() {
    const done = doneAt[mode];
    const back = mode === "backward";
    for (const [id, g] of el) {
      const t = done.get(id);
      const n = nodes.get(id);
      // forward: what is not computed yet is faded; backward: everything exists already
      const todo = !back && t !== undefined && t > index && n.kind !== "param" && n.kind !== "leaf";
      g.classList.toggle("todo", todo);
      g.classList.remove("cur", "io");
      const row = gradRow.get(id);
      if (row) {
        const shown = back && t !== undefined && t <= index;
        let text = row.full, color = n.grad ? n.grad.color : "";
        const cur = leafHistory.has(id) ? leafGrad(id) : null;
        if (shown && cur) { text = `${d(rootLabel, n.label)} = ${cur[1].text}`; color = cur[1].color; }
        // not reached yet: a grey question mark where the gradient will appear
        row.text.textContent = shown ? text : `${d(rootLabel, n.label)} = ?`;
        row.text.style.visibility = back ? "visible" : "hidden";
        row.cell.style.fill = shown && color ? color : "#ffffff";
        const dark = shown && (color === "#4575b4" || color === "#d73027");
        row.text.style.fill = dark ? "#ffffff" : shown ? "" : "#9aa0a6";
      }
    }
    for (const e of svg.querySelectorAll("g.edge.hot")) e.classList.remove("hot");
    for (const f of svg.querySelectorAll("g.flow")) f.remove();
    if (index === 0) {
      if (back && el.has(D.root)) el.get(D.root).classList.add("cur");
      return;
    }
    const s = steps[mode][index - 1];
    const g = el.get(s.node);
    if (g) g.classList.add("cur");
    const out = el.get(s.output);
    if (out) out.classList.add("io");
    hot(s.node, s.output);
    const ins = back ? s.shares.map((x) => [x.to, x.value.text]) : s.inputs.map((x) => [x.id, null]);
    for (const [id, text] of ins) {
      const gi = el.get(id);
      if (gi) gi.classList.add("io");
      const e = hot(id, s.node);
      if (e && text !== null) flowLabel(e, text);
    }
    reveal(g || out);
  }

  function hot(a, b) {
    const e = edgeEl.get(a + "->" + b);
    if (e) e.classList.add("hot");
    return e;
  }

  function flowLabel(edge, text) {
    const path = edge.querySelector("path");
    if (!path || !path.getTotalLength) return;
    const len = path.getTotalLength();
    const p = path.getPointAtLength(len / 2);
    const short = text.length > 28 ? text.slice(0, 27) + "\u2026" : text;
    const grp = document.createElementNS(NS, "g");
    grp.setAttribute("class", "flow");
    const r = document.createElementNS(NS, "rect");
    const t = document.createElementNS(NS, "text");
    t.setAttribute("x", p.x + 6); t.setAttribute("y", p.y + 4);
    t.textContent = short;
    grp.appendChild(r); grp.appendChild(t);
    edge.parentNode.appendChild(grp);
    const b = t.getBBox();
    r.setAttribute("x", b.x - 3); r.setAttribute("y", b.y - 1);
    r.setAttribute("width", b.width + 6); r.setAttribute("height", b.height + 2);
  }

  function reveal(g) {
    if (!g) return;
    const pane = graph.getBoundingClientRect();
    const r = g.getBoundingClientRect();
    const margin = 40;
    if (r.left < pane.left + margin || r.right > pane.right - margin)
      graph.scrollLeft += (r.left + r.right) / 2 - (pane.left + pane.right) / 2;
    if (r.top < pane.top + margin || r.bottom > pane.bottom - margin)
      graph.scrollTop += (r.top + r.bottom) / 2 - (pane.top + pane.bottom) / 2;
  }

  // -- zoom --------------------------------------------------------------------------------
  function svgSize() {
    const px = (v) => { const m = /^([\d.]+)(pt|px)?$/.exec(v || ""); return m ? parseFloat(m[1]) * (m[2] === "pt" ? 4 / 3 : 1) : 0; };
    let w = px(svg.getAttribute("width")), h = px(svg.getAttribute("height"));
    if (!w || !h) { const vb = svg.viewBox.baseVal; w = vb.width; h = vb.height; }
    return { w, h };
  }
  function setZoom(z) {
    zoom = Math.max(0.05, Math.min(4, z));
    svg.setAttribute("width", natural.w * zoom);
    svg.setAttribute("height", natural.h * zoom);
  }
  function fit() {
    const avail = graph.clientWidth - 20;
    setZoom(Math.max(0.75, Math.min(1.1, avail / natural.w)));
  }

  // -- controls ------------------------------------------------------------------------------
  function go(i) {
    const n = steps[mode].length;
    index = Math.max(0, Math.min(n, i));
    $("first").disabled = $("prev").disabled = index === 0;
    $("next").disabled = $("last").disabled = index === n;
    $("jump").value = String(index);
    paint();
    card();
    if (index === n) pause();
  }
  function setMode(m) {
    if (!steps[m].length) return;
    mode = m;
    document.body.className = m;
    $("mode-forward").classList.toggle("on", m === "forward");
    $("mode-backward").classList.toggle("on", m === "backward");
    $("mode-forward").disabled = !steps.forward.length;
    $("mode-backward").disabled = !steps.backward.length;
    const opts = [`<option value="0">0 \u00b7 ${m === "backward" ? "start at " + esc(rootLabel) : "inputs"}</option>`];
    steps[m].forEach((s, k) => opts.push(`<option value="${k + 1}">${k + 1} \u00b7 ${esc(label(s.node))} \u2192 ${esc(label(s.output))}</option>`));
    $("jump").innerHTML = opts.join("");
    pause();
    go(0);
  }
  function play() {
    if (timer) return pause();
    if (index === steps[mode].length) go(0);
    $("play").textContent = "Pause";
    timer = setInterval(() => go(index + 1), 1100);
  }
  function pause() {
    if (timer) clearInterval(timer);
    timer = null;
    $("play").textContent = "Play";
  }

  $("next").onclick = () => { pause(); go(index + 1); };
  $("prev").onclick = () => { pause(); go(index - 1); };
  $("first").onclick = () => { pause(); go(0); };
  $("last").onclick = () => { pause(); go(steps[mode].length); };
  $("play").onclick = play;
  $("mode-forward").onclick = () => setMode("forward");
  $("mode-backward").onclick = () => setMode("backward");
  $("jump").onchange = (e) => { pause(); go(parseInt(e.target.value, 10)); };
  $("zoom-in").onclick = () => setZoom(zoom * 1.25);
  $("zoom-out").onclick = () => setZoom(zoom / 1.25);
  $("zoom-fit").onclick = fit;
  svg.addEventListener("click", (e) => {
    const g = e.target.closest("g.node, g.cluster");
    if (!g || !g.dataset.node) return;
    const k = stepOf[mode].get(g.dataset.node);
    if (k !== undefined) { pause(); go(k); }
  });
  document.addEventListener("keydown", (e) => {
    if (e.target.tagName === "SELECT" || e.altKey || e.ctrlKey || e.metaKey) return;
    const keys = { ArrowRight: () => $("next").onclick(), ArrowDown: () => $("next").onclick(),
                   ArrowLeft: () => $("prev").onclick(), ArrowUp: () => $("prev").onclick(),
                   " ": play, Home: () => $("first").onclick(), End: () => $("last").onclick(),
                   f: () => setMode("forward"), b: () => setMode("backward") };
    const fn = keys[e.key];
    if (fn) { e.preventDefault(); fn(); }
  });

  fit();
  setMode(mode);
  requestAnimationFrame(() => requestAnimationFrame(() => {
    document.documentElement.dataset.ready = performance.now().toFixed(1);
  }));
})();
