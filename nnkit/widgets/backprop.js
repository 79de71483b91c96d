// The backprop playground's front end (anywidget). It only draws: the model lives in the kernel
// (nnkit/widgets/backprop.py), which does every calculation with nnkit and sends the numbers,
// already written as text. What a person does here is sent to the kernel as a message
// ({do: "move", name, value}, {do: "step"}, ...); the picture changes when the new state comes
// back. Nothing here writes the model, so the kernel's own updates are never echoed as moves.

const SVG = "http://www.w3.org/2000/svg";
const COLUMNS = [["hidden layer", ["w1", "w2", "w3", "w4", "b1"]],
                 ["output layer", ["w5", "w6", "w7", "w8", "b2"]],
                 ["inputs and targets", ["x1", "x2", "t1", "t2"]]];
const SUB = { 1: "₁", 2: "₂", 3: "₃", 4: "₄", 5: "₅", 6: "₆", 7: "₇", 8: "₈" };
// The homework's notation: w₇, h₁ᵢ (h1_in), h₁ₒ (h1_out), O₁ (o1_out), Ô₁ (target t1).
const sym = (name) => ({ t1: "Ô₁", t2: "Ô₂", O1: "O₁", O2: "O₂" }[name] || name[0] + SUB[name[1]]);
const READOUT = [["forward pass", [["h1_in", "h₁ᵢ"], ["h1_out", "h₁ₒ"], ["h2_in", "h₂ᵢ"], ["h2_out", "h₂ₒ"],
                                   ["o1_in", "O₁ᵢ"], ["o1_out", "O₁"], ["o2_in", "O₂ᵢ"], ["o2_out", "O₂"]]],
                 ["loss", [["L", "L"]]],
                 ["gradients", ["w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8", "b1", "b2"]
                   .map((w) => [`dL_d${w}`, `∂L/∂${sym(w)}`])]];
const POSITIVE = "#1f6fb4", NEGATIVE = "#d1495b";
const FILLS = { x: "#e8e8e8", h: "#d8ecd4", O: "#fbe3c4" };

function el(tag, attrs = {}, parent = null, text = null) {
  const node = tag.startsWith("svg:") ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  if (text !== null) node.textContent = text;
  if (parent) parent.appendChild(node);
  return node;
}

// A slider for one value. Its readout shows the model's exact value; the thumb follows the model
// too, except while a person drags it (a late reply must not pull it back under their finger).
function slider(parent, name, label, onMove) {
  const row = el("label", { class: "nnkit-slider" }, parent);
  el("span", { class: "nnkit-name" }, row, label);
  const input = el("input", { type: "range", "data-name": name }, row);
  const readout = el("span", { class: "nnkit-readout", "data-name": name }, row);
  let dragging = false;
  input.addEventListener("pointerdown", () => {
    dragging = true;
    window.addEventListener("pointerup", () => { dragging = false; }, { once: true });
  });
  input.addEventListener("input", () => onMove(Number(input.value)));
  return (value, text, [min, max, step]) => {
    if (input.min !== String(min) || input.max !== String(max)) Object.assign(input, { min, max, step });
    if (!dragging && Number(input.value) !== value) input.value = value;
    readout.textContent = text;
    readout.dataset.value = value;
  };
}

// The network diagram (SVG), laid out once from the kernel's geometry (the same layout as
// nnkit.viz.draw_network); show(numbers, texts) then only restyles it.
function diagram(parent, geometry) {
  const [x0, x1] = geometry.xlim, [y0, y1] = geometry.ylim;
  const root = el("svg:svg", { class: "nnkit-diagram", viewBox: `${x0} ${-y1} ${x1 - x0} ${y1 - y0}` }, parent);
  const defs = el("svg:defs", {}, root);
  const id = Math.random().toString(36).slice(2);            // marker ids, unique on the page
  for (const [sign, colour] of [["pos", POSITIVE], ["neg", NEGATIVE]]) {
    const marker = el("svg:marker", { id: `${sign}-${id}`, viewBox: "0 0 10 10", refX: 10, refY: 5,
      markerWidth: 4, markerHeight: 4, orient: "auto-start-reverse" }, defs);
    el("svg:path", { d: "M0,0 L10,5 L0,10 z", fill: colour }, marker);
  }
  const parts = {};                                           // name -> elements to highlight
  const at = (unit) => { const [x, y] = geometry.units[unit]; return [x, -y]; };
  const edges = {}, labels = {}, values = {};
  const line = (from, to, cutA, cutB, attrs) => {
    const [ax, ay] = from, [bx, by] = to, length = Math.hypot(bx - ax, by - ay);
    const [ux, uy] = [(bx - ax) / length, (by - ay) / length];
    return el("svg:line", { x1: ax + cutA * ux, y1: ay + cutA * uy, x2: bx - cutB * ux, y2: by - cutB * uy,
      ...attrs }, root);
  };
  const r = geometry.radius, half = geometry.bias_half;
  for (const [name, from, to] of geometry.edges) {
    edges[name] = line(at(from), at(to), r, r + 0.02, { class: "nnkit-edge", "data-name": name });
    const [ax, ay] = at(from), [bx, by] = at(to), t = Math.abs(by - ay) < 1e-9 ? 0.5 : 0.33;
    labels[name] = el("svg:text", { class: "nnkit-edge-label", x: ax + t * (bx - ax), y: ay + t * (by - ay),
      "data-name": name }, root);
    parts[name] = [edges[name], labels[name]];
  }
  const biasEdges = {};
  for (const [name, [bx, by], units] of geometry.biases) {
    biasEdges[name] = units.map((unit) => line([bx, -by], at(unit), half, r + 0.02, { class: "nnkit-bias-edge" }));
    const box = el("svg:rect", { class: "nnkit-bias", x: bx - half, y: -by - half, width: 2 * half,
      height: 2 * half, rx: 0.05 }, root);
    el("svg:text", { class: "nnkit-unit-name", x: bx, y: -by }, root, sym(name));
    values[name] = el("svg:text", { class: "nnkit-value", x: bx, y: -by + half + 0.2, "data-name": name }, root);
    parts[name] = [box, ...biasEdges[name]];
  }
  for (const [unit, [ux, uy]] of Object.entries(geometry.units)) {
    const circle = el("svg:circle", { class: "nnkit-unit", cx: ux, cy: -uy, r, fill: FILLS[unit[0]] }, root);
    el("svg:text", { class: "nnkit-unit-name", x: ux, y: -uy }, root, sym(unit));
    const above = uy > 0;
    values[unit] = el("svg:text", { class: "nnkit-value", x: ux, y: -uy + (above ? -(r + 0.5) : r + 0.2),
      "data-name": unit }, root);
    parts[unit] = [circle];
  }
  const lines = (node, texts) => {            // a text element's lines as tspans, made once, then reused
    while (node.childNodes.length < texts.length) {
      el("svg:tspan", { x: node.getAttribute("x"), dy: node.childNodes.length === 0 ? "0" : "1.25em" }, node);
    }
    texts.forEach((text, i) => { if (node.childNodes[i].textContent !== text) node.childNodes[i].textContent = text; });
  };
  const unitTexts = (t) => ({
    x1: [`x₁ = ${t.x1}`], x2: [`x₂ = ${t.x2}`],
    h1: [`h₁ᵢ = ${t.h1_in}`, `h₁ₒ = ${t.h1_out}`], h2: [`h₂ᵢ = ${t.h2_in}`, `h₂ₒ = ${t.h2_out}`],
    O1: [`O₁ᵢ = ${t.o1_in}`, `O₁ = ${t.o1_out}`, `Ô₁ = ${t.t1}`], O2: [`O₂ᵢ = ${t.o2_in}`, `O₂ = ${t.o2_out}`, `Ô₂ = ${t.t2}`],
  });
  function show(numbers, texts) {      // texts: 4 significant digits, as nnkit.viz.draw_network
    const names = Object.keys(edges).concat(Object.keys(biasEdges));
    const largest = Math.max(1e-12, ...names.map((name) => Math.abs(numbers[name])));
    for (const [name, edge] of Object.entries(edges)) {
      const w = numbers[name], sign = w >= 0 ? "pos" : "neg";
      edge.setAttribute("stroke", w >= 0 ? POSITIVE : NEGATIVE);
      edge.setAttribute("stroke-width", 0.012 + 0.06 * Math.abs(w) / largest);
      edge.setAttribute("marker-end", `url(#${sign}-${id})`);
      labels[name].setAttribute("fill", w >= 0 ? POSITIVE : NEGATIVE);
      lines(labels[name], [`${sym(name)} = ${texts[name]}`, `∂L/∂${sym(name)} = ${texts["dL_d" + name]}`]);
    }
    for (const [name, bias] of Object.entries(biasEdges)) {
      for (const edge of bias) {
        edge.setAttribute("stroke", numbers[name] >= 0 ? POSITIVE : NEGATIVE);
        edge.setAttribute("stroke-width", 0.015 + 0.03 * Math.abs(numbers[name]) / largest);
      }
      lines(values[name], [`${sym(name)} = ${texts[name]}`, `∂L/∂${sym(name)} = ${texts["dL_d" + name]}`]);
    }
    for (const [unit, text] of Object.entries(unitTexts(texts))) lines(values[unit], text);
    root.dataset.l = numbers.L;                 // the state drawn now (tests and the benchmark wait for it)
  }
  function highlight(names) {
    for (const node of root.querySelectorAll(".nnkit-hl")) node.classList.remove("nnkit-hl");
    for (const name of names) for (const node of parts[name] || []) node.classList.add("nnkit-hl");
  }
  return { show, highlight };
}

// The loss curve (SVG): L after each step, dots while there are few of them.
function lossCurve(parent, title) {
  const W = 320, H = 230, left = 52, right = 12, top = 26, bottom = 36;
  const root = el("svg:svg", { class: "nnkit-curve", viewBox: `0 0 ${W} ${H}` }, parent);
  el("svg:text", { x: W / 2, y: 16, class: "nnkit-title" }, root, title);
  el("svg:path", { class: "nnkit-axes", d: `M${left},${top} V${H - bottom} H${W - right}` }, root);
  const path = el("svg:polyline", { class: "nnkit-loss" }, root);
  const dots = el("svg:g", { class: "nnkit-dots" }, root);
  const ticks = el("svg:g", { class: "nnkit-ticks" }, root);
  el("svg:text", { x: (left + W - right) / 2, y: H - 6, class: "nnkit-axis-label" }, root, "steps taken");
  const tick = (attrs) => el("svg:text", attrs, ticks);
  const [y0, yTop, x0, xEnd] = [tick({ class: "nnkit-ytick" }), tick({ class: "nnkit-ytick" }),
                                tick({ class: "nnkit-xtick" }), tick({ class: "nnkit-xtick" })];
  const set = (node, attrs, text) => {
    for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
    if (node.textContent !== text) node.textContent = text;
  };
  return (losses) => {
    const n = losses.length, xmax = niceCeiling(Math.max(n - 1, 1)), ymax = 1.05 * Math.max(...losses) || 1;
    const px = (i) => left + (W - left - right) * i / xmax, py = (v) => H - bottom - (H - top - bottom) * v / ymax;
    path.setAttribute("points", losses.map((v, i) => `${px(i).toFixed(2)},${py(v).toFixed(2)}`).join(" "));
    const shown = n <= 30 ? n : 0;                       // dots while they can be told apart
    while (dots.childNodes.length < shown) el("svg:circle", { r: 2.4 }, dots);
    while (dots.childNodes.length > shown) dots.lastChild.remove();
    for (let i = 0; i < shown; i++) {
      dots.childNodes[i].setAttribute("cx", px(i));
      dots.childNodes[i].setAttribute("cy", py(losses[i]));
    }
    set(y0, { x: left - 4, y: py(0) + 4 }, "0");
    set(yTop, { x: left - 4, y: py(ymax / 1.05) + 4 }, (ymax / 1.05).toPrecision(3));
    set(x0, { x: px(0), y: H - bottom + 14 }, "0");
    set(xEnd, { x: px(xmax), y: H - bottom + 14 }, String(xmax));
    root.dataset.points = n;
  };
}

// 10, 20, 50, 100, ...: the x axis grows in these steps, so it does not jump on every point.
function niceCeiling(n) {
  for (let scale = 10; ; scale *= 10) for (const step of [1, 2, 5]) if (step * scale >= n) return step * scale;
}

// The step-through of ∂L/∂p: one step of the kernel's list (nnkit.widgets.chain) at a time.
function stepThrough(parent, send, highlight) {
  const box = el("details", { class: "nnkit-walk" }, parent);
  el("summary", {}, box, "Step through the chain rule for one parameter");
  const bar = el("div", { class: "nnkit-row" }, box);
  el("span", {}, bar, "∂L/∂ ");
  const choice = el("select", { "data-name": "wrt" }, bar);
  for (const name of ["w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8", "b1", "b2"]) el("option", { value: name }, choice, name);
  const back = el("button", { "data-do": "back" }, bar, "◀ back");
  const next = el("button", { "data-do": "next" }, bar, "next ▶");
  const counter = el("span", { class: "nnkit-counter" }, bar);
  const list = el("ol", { class: "nnkit-steps" }, box);
  let steps = [], index = 0;
  choice.addEventListener("change", () => send({ do: "explain", name: choice.value }));
  back.addEventListener("click", () => { index = Math.max(0, index - 1); draw(); });
  next.addEventListener("click", () => { index = Math.min(steps.length - 1, index + 1); draw(); });
  box.addEventListener("toggle", () => draw());
  function draw() {
    if (!box.open) return highlight([]);       // closed: nothing to lay out
    const step = steps[index];
    highlight(step ? step.highlight : []);
    counter.textContent = step ? `step ${index + 1} of ${steps.length} (${step.phase})` : "";
    list.replaceChildren(...steps.slice(0, index + 1).map((s, i) => {
      const item = el("li", { class: `nnkit-step nnkit-${s.phase}` + (i === index ? " nnkit-current" : ""),
        "data-name": s.name, "data-value": s.value, "data-factor": s.factor_key || "" });
      el("span", { class: "nnkit-formula" }, item).innerHTML = s.formula;    // nnkit's own HTML
      if (s.phase === "backward") {
        const running = el("span", { class: "nnkit-running", "data-value": s.running }, item);
        running.innerHTML = `running product: ${s.running_symbol} = ${s.running_text}`;
      }
      return item;
    }));
  }
  return (chain, wrt) => {
    if (choice.value !== wrt || steps.length !== chain.length) index = 0;
    choice.value = wrt;
    steps = chain;
    draw();
  };
}

function render({ model, el: host }) {
  host.classList.add("nnkit-playground");
  const send = (message) => model.send(message);
  const controls = el("div", { class: "nnkit-controls" }, host);
  const sliders = {};
  for (const [title, names] of COLUMNS) {
    const column = el("div", { class: "nnkit-column" }, controls);
    el("b", {}, column, title);
    for (const name of names) sliders[name] = slider(column, name, sym(name), (value) => send({ do: "move", name, value }));
  }
  const column = el("div", { class: "nnkit-column" }, controls);
  el("b", {}, column, "gradient descent");
  const lr = slider(column, "lr", "η", (value) => send({ do: "lr", value }));
  const buttons = el("div", { class: "nnkit-row" }, column);
  el("button", { "data-do": "step", title: "one gradient-descent step" }, buttons, "Step")
    .addEventListener("click", () => send({ do: "step" }));
  el("button", { "data-do": "reset", title: "back to the homework's values" }, buttons, "Reset")
    .addEventListener("click", () => send({ do: "reset" }));
  const trainRow = el("div", { class: "nnkit-row" }, column);
  const train = el("button", { "data-do": "train", title: "N steps" }, trainRow, "Train ×N");
  const n = el("input", { type: "number", min: 1, max: 10000, step: 1, class: "nnkit-n", "data-name": "n_steps" }, trainRow);
  train.addEventListener("click", () => send({ do: "train", n: n.value === "" ? null : Number(n.value) }));
  const message = el("div", { class: "nnkit-message" }, column);

  const pictures = el("div", { class: "nnkit-pictures" }, host);
  const net = diagram(pictures, model.get("geometry"));
  const curve = lossCurve(pictures, "L after each step");
  const walk = stepThrough(host, send, net.highlight);
  const readout = el("div", { class: "nnkit-readout-tables" }, host);
  const cells = {};
  for (const [title, rows] of READOUT) {
    const table = el("table", {}, readout);
    el("th", { colspan: 2 }, el("tr", {}, table), title);
    for (const [name, label] of rows) {
      const row = el("tr", {}, table);
      el("td", {}, row, name === label ? label : `${label} (${name})`);
      cells[name] = el("td", { class: "nnkit-number", "data-name": name }, row);
    }
  }
  n.value = model.get("n_steps");

  function update() {
    const { numbers, texts } = model.get("shown"), ranges = model.get("ranges");
    for (const [name, show] of Object.entries(sliders)) show(numbers[name], texts[name], ranges[name]);
    lr(model.get("lr"), String(model.get("lr")), [0.05, Math.max(5, model.get("lr")), 0.05]);
    for (const [name, cell] of Object.entries(cells)) {
      if (cell.textContent !== texts[name]) cell.textContent = texts[name];
      cell.dataset.value = numbers[name];
    }
    net.show(numbers, model.get("shown").short);
    curve(model.get("losses"));
    walk(model.get("chain"), model.get("chain_wrt"));
    message.textContent = model.get("message");
  }
  // One kernel message changes several traits at once: draw once, after all of them.
  let queued = false;
  const schedule = () => { if (!queued) { queued = true; queueMicrotask(() => { queued = false; update(); }); } };
  for (const name of ["shown", "losses", "chain", "chain_wrt", "ranges", "lr", "message"]) model.on(`change:${name}`, schedule);
  update();
}

export default { render };
