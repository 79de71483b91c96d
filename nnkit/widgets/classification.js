// The classification playground's front end (anywidget). The kernel
// (nnkit/widgets/classification.py) trains the network with nnkit and sends numbers: the samples,
// the network's P(class 1) on a grid over the plane (float32 bytes) and the losses. This module
// paints them — the grid on a canvas with the 0.5 line and the samples over it, the loss curve as
// SVG — and sends what a person does ({do: "train"}, {do: "set", name, value}, ...) back.

const SVG = "http://www.w3.org/2000/svg";
const RED = [209, 73, 91], BLUE = [31, 111, 180];     // class 0 and class 1, as in nnkit.viz
const SIZE = 360;                                      // canvas pixels

function el(tag, attrs = {}, parent = null, text = null) {
  const node = tag.startsWith("svg:") ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  if (text !== null) node.textContent = text;
  if (parent) parent.appendChild(node);
  return node;
}

// P(class 1) -> colour: red through white (0.5) to blue, as the RdBu map of nnkit.viz.
function colour(p) {
  const [c, t] = p < 0.5 ? [RED, 1 - 2 * p] : [BLUE, 2 * p - 1];
  return c.map((v) => Math.round(255 + (v - 255) * 0.75 * t));
}

// The decision boundary: the grid (n × n values, row 0 at the bottom) painted cell by cell and
// smoothed by the browser's scaling, the line where P = 0.5 (marching squares), the samples.
function paintBoundary(canvas, grid, n, extent, points) {
  const small = new OffscreenCanvas(n, n), image = new ImageData(n, n);
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; col++) {
      const [r, g, b] = colour(grid[row * n + col]), at = 4 * ((n - 1 - row) * n + col);
      image.data.set([r, g, b, 255], at);
    }
  }
  small.getContext("2d").putImageData(image, 0, 0);
  const ctx = canvas.getContext("2d");
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(small, 0, 0, SIZE, SIZE);
  // Grid point (row, col) sits at pixel (col, n - 1 - row) · SIZE / (n - 1).
  const px = (col) => col * SIZE / (n - 1), py = (row) => (n - 1 - row) * SIZE / (n - 1);
  ctx.beginPath();
  for (let row = 0; row + 1 < n; row++) {
    for (let col = 0; col + 1 < n; col++) {
      const corners = [[row, col], [row, col + 1], [row + 1, col + 1], [row + 1, col]];
      const crossings = [];
      for (let k = 0; k < 4; k++) {
        const [r0, c0] = corners[k], [r1, c1] = corners[(k + 1) % 4];
        const a = grid[r0 * n + c0] - 0.5, b = grid[r1 * n + c1] - 0.5;
        if ((a < 0) !== (b < 0)) {
          const t = a / (a - b);
          crossings.push([px(c0 + t * (c1 - c0)), py(r0 + t * (r1 - r0))]);
        }
      }
      for (let k = 0; k + 1 < crossings.length; k += 2) {
        ctx.moveTo(...crossings[k]);
        ctx.lineTo(...crossings[k + 1]);
      }
    }
  }
  ctx.strokeStyle = "black";
  ctx.lineWidth = 1.5;
  ctx.stroke();
  const [x1lo, x1hi, x2lo, x2hi] = extent;
  for (const [a, b, label] of points) {
    ctx.beginPath();
    ctx.arc((a - x1lo) / (x1hi - x1lo) * SIZE, (1 - (b - x2lo) / (x2hi - x2lo)) * SIZE, 3.5, 0, 2 * Math.PI);
    ctx.fillStyle = `rgb(${(label ? BLUE : RED).join(",")})`;
    ctx.fill();
    ctx.lineWidth = 0.7;
    ctx.strokeStyle = "black";
    ctx.stroke();
  }
}

// The loss per epoch (SVG).
function lossCurve(parent) {
  const W = 360, H = 260, left = 52, right = 12, top = 26, bottom = 36;
  const root = el("svg:svg", { class: "nnkit-curve", viewBox: `0 0 ${W} ${H}` }, parent);
  el("svg:text", { x: W / 2, y: 16, class: "nnkit-title" }, root, "Training loss");
  el("svg:path", { class: "nnkit-axes", d: `M${left},${top} V${H - bottom} H${W - right}` }, root);
  const path = el("svg:polyline", { class: "nnkit-loss" }, root);
  const ticks = el("svg:g", {}, root);
  el("svg:text", { x: (left + W - right) / 2, y: H - 6, class: "nnkit-axis-label" }, root, "epoch");
  return (losses) => {
    const n = losses.length, xmax = niceCeiling(Math.max(n, 1)), ymax = 1.05 * Math.max(0, ...losses) || 1;
    const px = (i) => left + (W - left - right) * i / xmax, py = (v) => H - bottom - (H - top - bottom) * v / ymax;
    path.setAttribute("points", losses.map((v, i) => `${px(i + 1).toFixed(1)},${py(v).toFixed(1)}`).join(" "));
    ticks.replaceChildren(
      el("svg:text", { x: left - 4, y: py(0) + 4, class: "nnkit-ytick" }, null, "0"),
      el("svg:text", { x: left - 4, y: py(ymax / 1.05) + 4, class: "nnkit-ytick" }, null,
        n ? (ymax / 1.05).toPrecision(3) : ""),
      el("svg:text", { x: px(xmax), y: H - bottom + 14, class: "nnkit-xtick" }, null, String(xmax)));
    root.dataset.points = n;
  };
}

// 10, 20, 50, 100, ...: the x axis grows in these steps, so it does not jump on every epoch.
function niceCeiling(n) {
  for (let scale = 10; ; scale *= 10) for (const step of [1, 2, 5]) if (step * scale >= n) return step * scale;
}

function render({ model, el: host }) {
  host.classList.add("nnkit-playground");
  const send = (message) => model.send(message);
  const set = (name, value) => send({ do: "set", name, value });
  const controls = el("div", { class: "nnkit-controls" }, host);
  const left = el("div", { class: "nnkit-column" }, controls), right = el("div", { class: "nnkit-column" }, controls);
  const row = (parent, label) => { const r = el("label", { class: "nnkit-slider" }, parent); el("span", { class: "nnkit-label" }, r, label); return r; };
  const options = model.get("options");
  const range = (name) => { const [min, max, step] = options[name]; return { min, max, step }; };
  const inputs = {
    dataset: el("select", { "data-name": "dataset" }, row(left, "data set")),
    noise: el("input", { type: "range", ...range("noise"), "data-name": "noise" }, row(left, "noise")),
    hidden: el("input", { type: "text", placeholder: "e.g. 4, 4", "data-name": "hidden" }, row(left, "hidden layers")),
    activation: el("select", { "data-name": "activation" }, row(left, "activation")),
    lr: el("select", { "data-name": "lr" }, row(right, "learning rate")),
    epochs_per_frame: el("input", { type: "range", ...range("epochs_per_frame"), "data-name": "epochs_per_frame" },
      row(right, "epochs / frame")),
  };
  for (const name of ["dataset", "activation", "lr"]) {
    for (const option of options[name]) el("option", { value: option }, inputs[name], String(option));
  }
  const numeric = { noise: true, lr: true, epochs_per_frame: true };
  for (const [name, input] of Object.entries(inputs)) {
    // A slider sends when let go, the text box when its text is committed (Enter or leaving it).
    input.addEventListener("change", () => set(name, numeric[name] ? Number(input.value) : input.value));
  }
  const buttons = el("div", { class: "nnkit-row" }, right);
  for (const [action, label] of [["train", "▶ Train"], ["pause", "⏸ Pause"], ["reset", "↻ Reset"]]) {
    el("button", { "data-do": action }, buttons, label).addEventListener("click", () => send({ do: action }));
  }
  const status = el("div", { class: "nnkit-status" }, right);
  const message = el("div", { class: "nnkit-message" }, right);
  const pictures = el("div", { class: "nnkit-pictures" }, host);
  const canvas = el("canvas", { class: "nnkit-boundary", width: SIZE, height: SIZE }, pictures);
  const curve = lossCurve(pictures);

  function update() {
    for (const [name, input] of Object.entries(inputs)) {
      if (document.activeElement !== input) input.value = String(model.get(name));
    }
    inputs.noise.disabled = model.get("dataset") === "xor";      // the four xor corners have no noise
    const bytes = model.get("grid"), n = model.get("resolution");
    if (bytes && bytes.byteLength === 4 * n * n) {
      const grid = new Float32Array(bytes.buffer, bytes.byteOffset, n * n);
      paintBoundary(canvas, grid, n, model.get("extent"), model.get("points"));
    } else {
      canvas.getContext("2d").clearRect(0, 0, canvas.width, canvas.height);   // no network: no boundary
    }
    curve(model.get("losses"));
    status.textContent = model.get("status");
    message.textContent = model.get("message");
    host.dataset.running = model.get("running");
    host.dataset.epoch = model.get("epoch");
  }
  let queued = false;
  const schedule = () => { if (!queued) { queued = true; queueMicrotask(() => { queued = false; update(); }); } };
  for (const name of ["grid", "losses", "status", "message", "running", "epoch", "points", "extent",
                      "dataset", "noise", "hidden", "activation", "lr", "epochs_per_frame"]) {
    model.on(`change:${name}`, schedule);
  }
  update();
}

export default { render };
