"""How values are named and written: four notations, and one way to write a number.

Every value has one code name (`nnkit.steps`: h1_in, h1_out, o1_out, dL_do1_out, do1_out_do1_in,
dL_dh1_out_via_o1, dL_dw5, w5_new). A student may write it in any of these notations:

  notation   h1's net input / output   O1        ∂L/∂O1        ∂O1/∂o1_in      ∂L/∂w5        w5 updated
  nnkit      h1_in / h1_out             o1_out    dL_do1_out    do1_out_do1_in  dL_dw5        w5_new
  homework   h1i / h1o (h_{1i}, h_{1o}) O1        dL_dO1        dO1_dO1i        dL_dw5        w5_new
  mazur      net_h1 / out_h1            out_o1    dE_total_dout_o1  dout_o1_dnet_o1  dE_total_dw5  w5+
  generic    z1_1 / a1_1 (layer, unit)  a2_1      dL_da2_1      da2_1_dz2_1     dL_dw5        w5_new

Mazur's inputs are i1, i2 and his loss E_total (with E_o1 per output); δ (delta_o1, delta2_1) is
accepted for ∂L/∂z. Keys may be written with LaTeX braces (h_{1i}), as ∂L/∂w5 or dL/dw5.
`number` is how every value a student sees is written (the checker, explain, the worked solution).
"""
import re
from functools import lru_cache

NOTATIONS = ("nnkit", "homework", "mazur", "generic")


def number(value, decimals=None, minus="−", significant=None):
    """A number as a student sees it, everywhere in nnkit (text, tables, diagrams, playgrounds, feedback).

    At most six decimals (0.1, −0.096067), five significant digits for small values (so −0.0028168
    keeps its digits), whole numbers as such (x1 = 1). With `decimals`, exactly that many places
    (how a student's precision is quoted back); with `significant`, that many significant digits
    (a diagram's labels: −0.09607). minus="-" for LaTeX and for text a student may paste into code.
    """
    value = float(value)
    if value != value:
        return "undefined"
    if decimals is not None:
        text = f"{value:.{decimals}f}"
    elif significant is not None:
        text = f"{value:.{significant}g}"
    elif value.is_integer():
        text = str(int(value))
    elif abs(value) < 0.01:
        text = f"{value:.5g}"
    else:
        text = f"{value:.6f}".rstrip("0").rstrip(".")
    return text.replace("-", minus)


def _unit_symbols(net, notation):
    """{unit: (key of its output, key of its input, short name, latex output, latex input, latex short)}."""
    symbols = {}
    for layer, units in enumerate(net.units):
        for j, u in enumerate(units, 1):
            kind, k = u[0], u[1:]
            if kind == "x":
                key = f"i{k}" if notation == "mazur" else u
                tex = f"i_{{{k}}}" if notation == "mazur" else f"x_{{{k}}}"
                symbols[u] = (key, key, key, tex, tex, tex)
            elif notation == "nnkit":
                big = f"O_{{{k}}}" if kind == "o" else f"h_{{{k}o}}"
                symbols[u] = (f"{u}_out", f"{u}_in", u, big, f"{kind.upper() if kind == 'o' else 'h'}_{{{k}i}}", big)
            elif notation == "homework":
                out = f"O{k}" if kind == "o" else f"{u}o"
                big = f"O_{{{k}}}" if kind == "o" else f"h_{{{k}o}}"
                symbols[u] = (out, f"{out[0]}{k}i", out, big, f"{out[0]}_{{{k}i}}", big)
            elif notation == "mazur":
                symbols[u] = (f"out_{u}", f"net_{u}", u, f"out_{{{u}}}", f"net_{{{u}}}", u)
            else:
                symbols[u] = (f"a{layer}_{j}", f"z{layer}_{j}", f"a{layer}_{j}", f"a^{{({layer})}}_{{{j}}}",
                              f"z^{{({layer})}}_{{{j}}}", f"a^{{({layer})}}_{{{j}}}")
    return symbols


def _param_tex(net, p, numbering):
    label = net.label(p, numbering)
    m = re.fullmatch(r"([Wb])(\d+)(?:\[(\d+)(?:,(\d+))?\])?", label)
    if numbering == "homework" or not m:
        return f"{p[0]}_{{{p[1:]}}}"
    kind, layer, i, j = m.groups()
    return f"{kind}^{{({layer})}}_{{{(i or '') + (j or '')}}}"


@lru_cache(maxsize=128)
def table(net, numbering, notation):
    """{code name: (key, latex, aliases)} for every value of `net` in `notation`."""
    from .steps import derive
    units = _unit_symbols(net, notation)
    E, E_tex = ("E_total", "E_{total}") if notation == "mazur" else ("L", "L")
    out = {}
    for p in net.params:
        label = net.label(p, numbering)
        out[p] = (label, _param_tex(net, p, numbering), ())
    for u, (key, _, _, tex, _, _) in units.items():
        if u.startswith("x"):
            out[u] = (key, tex, ())
    for j, o in enumerate(net.units[-1], 1):
        key = f"target_{o}" if notation == "mazur" else f"y{j}" if notation == "generic" else f"t{j}"
        tex = {"mazur": f"target_{{{o}}}", "generic": f"y_{{{j}}}"}.get(notation, f"\\hat{{O}}_{{{j}}}")
        out[f"t{j}"] = (key, tex, ())
    out["lr"] = ("lr", r"\eta", ())

    def frac(top, bottom):
        return rf"\frac{{\partial {top}}}{{\partial {bottom}}}"

    for s in derive(net):
        if s.role in ("grad", "new"):
            label, ptex = out[s.unit][0], out[s.unit][1]
        else:
            A, Z, short, A_tex, Z_tex, short_tex = units[s.unit] if s.unit in units else (None,) * 6
        if s.role == "in":
            entry = (Z, Z_tex, ())
        elif s.role == "out":
            entry = (A, A_tex, (f"{s.unit[0]}{s.unit[1:]}0",) if notation == "homework" and s.unit[0] == "h" else ())
        elif s.role == "loss":
            entry = (E, E_tex, ())
        elif s.role == "loss_term":
            key = f"E_{s.unit}" if notation == "mazur" else f"L_{short}"
            entry = (key, f"E_{{{s.unit}}}" if notation == "mazur" else f"L_{{{short_tex}}}", ())
        elif s.role == "dout":
            entry = (f"d{E}_d{A}", frac(E_tex, A_tex), ())
        elif s.role == "slope":
            entry = (f"d{A}_d{Z}", frac(A_tex, Z_tex), ())
        elif s.role == "delta":
            layer, j = next((lay, i) for lay, us in enumerate(net.units) for i, v in enumerate(us, 1) if v == s.unit)
            key, aliases = f"d{E}_d{Z}", (f"delta_{s.unit}",) if notation == "mazur" else ()
            if notation == "generic":
                key, aliases = f"delta{layer}_{j}", (f"d{E}_d{Z}",)
            entry = (key, frac(E_tex, Z_tex), aliases)
        elif s.role == "via":
            v = s.name.rsplit("_via_", 1)[1]
            vshort, vtex = units[v][2], units[v][5]
            if notation == "mazur" and v.startswith("o"):
                entry = (f"dE_{v}_d{A}", frac(f"E_{{{v}}}", A_tex), ())
            else:
                entry = (f"d{E}_d{A}_via_{vshort}", frac(E_tex, A_tex) + rf"\Big|_{{\text{{via }} {vtex}}}", ())
        elif s.role == "grad":
            entry = (f"d{E}_d{label}", frac(E_tex, ptex), ())
        else:   # new
            aliases = (f"{label}+", f"{label}_plus", f"{label}^+", f"{label}_new")
            entry = (f"{label}+" if notation == "mazur" else f"{label}_new", f"{ptex}^{{+}}", aliases)
        out[s.name] = entry
    return out


def normal(key):
    """A key as the tables store it: no spaces, $, backslashes or braces; ∂L/∂w5 and dL/dw5 as dL_dw5;
    h_1i as h1i; δ as delta; w5⁺ and w5^+ as w5+."""
    k = re.sub(r"[\s${}\\]", "", str(key)).replace("δ", "delta").replace("⁺", "+").replace("^+", "+")
    m = re.fullmatch(r"[∂d](\w+)/[∂d](.+)", k)
    if m:
        k = f"d{m.group(1)}_d{m.group(2)}"
    return re.sub(r"(?<=[A-Za-z])_(?=\d)", "", k)


@lru_cache(maxsize=128)
def aliases(net, numbering):
    """{normalised key: (code name, notations it belongs to)} over all notations."""
    found = {}
    for notation in NOTATIONS:
        for name, (key, _, more) in table(net, numbering, notation).items():
            for k in {normal(key), *map(normal, more)}:
                code, notations = found.get(k, (name, ()))
                if code != name:
                    raise AssertionError(f"notation clash: {k!r} names {code} and {name}")
                found[k] = (name, notations + (notation,))
    return found


def resolve(net, numbering, key):
    """(code name, notations) for a key a student wrote, or None."""
    table_ = aliases(net, numbering)
    k = normal(key)
    if k in table_:
        return table_[k]
    folded = [v for t, v in table_.items() if t.lower() == k.lower()]
    return folded[0] if len(folded) == 1 else None


def used(net, numbering, keys):
    """The notation most of `keys` are written in (ties: the earlier one in NOTATIONS)."""
    counts = {n: 0 for n in NOTATIONS}
    for key in keys:
        found = resolve(net, numbering, key)
        for n in (found[1] if found else ()):
            counts[n] += 1
    return max(NOTATIONS, key=lambda n: counts[n])


_TOKEN = re.compile(r"\d+\.?\d*|[^\W\d]\w*|\*\*|\S")
_FUNCTIONS_TEX = {"σ": r"\sigma", "tanh": r"\tanh", "relu": r"\operatorname{relu}", "step": r"\operatorname{step}",
                  "log": r"\ln"}


def render(expr, names, latex=False, values=None):
    """A factor expression written out: names -> their key (or LaTeX), or with `values` their numbers.

    render('w1*x1 + b1', ...) -> 'w1·x1 + b1', LaTeX 'w_{1} \\cdot x_{1} + b_{1}', numbers '0.1·1 + 0.1'.
    """
    tokens, out = _TOKEN.findall(expr), []
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if t == "**":
            out.append(f"^{{{tokens[i + 1]}}}" if latex else {"2": "²"}.get(tokens[i + 1], f"^{tokens[i + 1]}"))
            i += 2
            continue
        if latex and i + 2 < len(tokens) and t.isdigit() and tokens[i + 1] == "/" and tokens[i + 2].isdigit():
            out.append(rf"\tfrac{{{t}}}{{{tokens[i + 2]}}}")
            i += 3
            continue
        if t in names:
            if values is not None:
                v = number(values[t], minus="-" if latex else "−")
                out.append(f"({v})" if values[t] < 0 else v)
            else:
                out.append(names[t][1] if latex else names[t][0])
        elif t in _FUNCTIONS_TEX:
            out.append(_FUNCTIONS_TEX[t] if latex else t)
        elif t == "*":
            out.append(r" \cdot " if latex else "·")
        elif t in "+-":
            out.append(f" {t} " if latex else f" {'−' if t == '-' else t} ")
        else:
            out.append(t)
        i += 1
    return re.sub(r" +", " ", "".join(out)).strip()
