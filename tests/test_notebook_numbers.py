"""The stored notebooks keep their promises: every number the prose quotes comes from the code,
they are built from tools/notebook_source (never edited by hand), stored executed without errors,
and carry the nbgrader markup the course workflow relies on."""
import ast
import re
import sys
from pathlib import Path

import nbformat
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
import build_notebooks  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
# 00 is the homework itself (no exercises); 01-05 are the course; 06 is the graded hand calculation.
COURSE = ["01-forward-pass", "02-loss", "03-output-layer-gradient", "04-hidden-layer-gradient",
          "05-training-loop"]
COURSE_NOTEBOOKS = [p for p in NOTEBOOKS if p.stem in COURSE]

# A decimal number with three or more decimals ("0.6456", "−0.0961"); the sign is not part of it.
DECIMAL = re.compile(r"(?<![\d.])\d+\.\d{3,}(?![\d])")


def read(path):
    return nbformat.read(path, as_version=4)


def output_text(nb):
    """Everything the code cells printed or displayed as text (stream, plain, markdown, LaTeX, HTML)."""
    parts = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output.output_type == "stream":
                parts.append(output.text)
            for mime in ("text/plain", "text/markdown", "text/latex", "text/html"):
                parts.append(output.get("data", {}).get(mime, ""))
    return "\n".join(parts)


def unquoted_numbers(nb):
    """Numbers with >= 3 decimals written in Markdown cells that no code output shows (except in
    the cell tagged "handed-in": the homework as a student wrote it, quoted as material)."""
    shown = set(DECIMAL.findall(output_text(nb)))
    return sorted({(i, number) for i, cell in enumerate(nb.cells) if cell.cell_type == "markdown"
                   and "handed-in" not in cell.metadata.get("tags", [])
                   for number in DECIMAL.findall(cell.source) if number not in shown})


def nbgrader(cell):
    return cell.metadata.get("nbgrader", {})


def test_the_homework_page_comes_first_then_the_five_notebooks():
    assert [p.stem for p in NOTEBOOKS][:6] == ["00-homework", *COURSE]


def test_the_number_scan_catches_a_typed_number():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("The homework writes $h_{1o} = 0.6456$ and $L = 0.471903$."),
        nbformat.v4.new_code_cell("print(L)", outputs=[nbformat.v4.new_output("stream", text="L = 0.471903\n")]),
    ])
    assert unquoted_numbers(nb) == [(0, "0.6456")]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_number_in_the_prose_comes_from_a_code_output(path):
    assert unquoted_numbers(read(path)) == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_stored_executed_in_order_without_errors(path):
    code_cells = [c for c in read(path).cells if c.cell_type == "code"]
    assert [c.execution_count for c in code_cells] == list(range(1, len(code_cells) + 1))
    assert not [o for c in code_cells for o in c.outputs if o.output_type == "error"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_built_from_its_source(path):
    """tools/build_notebooks.py writes the notebooks; a hand edit of an .ipynb would be lost."""
    source = build_notebooks.notebook(path.stem)
    stored = read(path)
    cells = [(c.cell_type, c.source, c.metadata) for c in source.cells]
    assert [(c.cell_type, c.source, c.metadata) for c in stored.cells] == cells, \
        f"{path.name} differs from its source: run `make notebooks`"


def test_every_source_is_built():
    assert sorted(build_notebooks.sources()) == [p.stem for p in NOTEBOOKS]


def test_fixtures_become_literals():
    """`from fixtures import NAME` in a source is a literal assignment in the notebook."""
    fixtures = {"PARAMS": {"w1": 0.5, "b1": -0.25}}
    expanded = build_notebooks.expand_fixtures("    from fixtures import PARAMS\n    f(PARAMS)", fixtures)
    assert expanded == '    PARAMS = {"w1": 0.5, "b1": -0.25}\n    f(PARAMS)'
    assert ast.literal_eval(expanded.split(" = ", 1)[1].split("\n")[0]) == fixtures["PARAMS"]
    with pytest.raises(ValueError, match="unknown fixture"):
        build_notebooks.expand_fixtures("from fixtures import NOPE", fixtures)


@pytest.mark.parametrize("path", NOTEBOOKS[:1] + COURSE_NOTEBOOKS, ids=lambda p: p.stem)
def test_learning_goals_open_the_notebook(path):
    first = read(path).cells[0]
    assert first.cell_type == "markdown" and "**Learning goals.**" in first.source


@pytest.mark.parametrize("path", COURSE_NOTEBOOKS, ids=lambda p: p.stem)
def test_exercises_carry_nbgrader_markup(path):
    cells = read(path).cells
    ids = [nbgrader(c)["grade_id"] for c in cells if nbgrader(c)]
    assert len(ids) == len(set(ids)), "grade ids must be unique within a notebook"

    exercises = [i for i, c in enumerate(cells) if c.cell_type == "code" and nbgrader(c).get("solution")]
    assert 2 <= len(exercises) <= 5
    for i in exercises:
        assert "### BEGIN SOLUTION" in cells[i].source and "### END SOLUTION" in cells[i].source
        test_cell = cells[i + 1]
        meta = nbgrader(test_cell)
        assert meta.get("grade") and meta.get("locked") and meta.get("points", 0) > 0, meta
        assert "### BEGIN HIDDEN TESTS" in test_cell.source and "verify(" in test_cell.source
        assert test_cell.outputs[-1].text.endswith("✓ All tests passed.\n")

    written = [c for c in cells if c.cell_type == "markdown" and nbgrader(c).get("solution")]
    assert written and all(nbgrader(c)["grade"] and nbgrader(c)["points"] > 0 for c in written)

    other_code = [c for c in cells if c.cell_type == "code" and not nbgrader(c).get("solution")
                  and "experiment" not in c.metadata.get("tags", [])]
    assert all(nbgrader(c).get("locked") for c in other_code), "read-only code cells are locked"


@pytest.mark.parametrize("path", COURSE_NOTEBOOKS, ids=lambda p: p.stem)
def test_each_notebook_has_a_cell_to_experiment_in_and_a_prediction_to_make(path):
    cells = read(path).cells
    experiments = [i for i, c in enumerate(cells) if "experiment" in c.metadata.get("tags", [])]
    assert experiments and all("nbgrader" not in cells[i].metadata for i in experiments)
    assert all("Experiment here" in cells[i - 1].source for i in experiments), "say so in the cell above"
    assert any(c.cell_type == "markdown" and "Predict, then run" in c.source for c in cells)


@pytest.mark.parametrize("path", COURSE_NOTEBOOKS, ids=lambda p: p.stem)
def test_every_exercise_declares_what_it_may_use_and_says_so(path):
    """Convention 2: `nnkit.may_use` on each solution cell; the prose before it names the same calls."""
    cells = read(path).cells
    for i, cell in enumerate(cells):
        if cell.cell_type == "code" and nbgrader(cell).get("solution"):
            allowed = cell.metadata["nnkit"]["may_use"]
            prose = " ".join(cells[i - 1].source.split()).lower()
            assert all(f"nnkit.{name}".lower() in prose for name in allowed), (nbgrader(cell)["grade_id"], allowed)
            if not allowed:
                assert "no `nnkit` function" in prose, nbgrader(cell)["grade_id"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_outputs_are_ignored_only_where_they_cannot_repeat(path):
    """nbval compares every output except progress bars and widgets (timings, model ids); the
    exemption is a cell tag, so no test-tool comment shows in the student's cells."""
    for cell in read(path).cells:
        assert "NBVAL" not in cell.source
        if "nbval-ignore-output" in cell.metadata.get("tags", []):
            assert "progress=True" in cell.source or "widgets." in cell.source, cell.source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_plotting_cells_end_cleanly(path):
    """No `[<matplotlib.lines.Line2D at 0x...>]` reprs: they differ on every run."""
    for cell in read(path).cells:
        if cell.cell_type == "code" and "plt." in cell.source:
            last = cell.source.rstrip().splitlines()[-1]
            assert last.endswith("plt.show()") or last.endswith(";"), cell.source


def _walk_top(node):
    """The nodes of a statement that bind names in the cell's own scope: not inside function,
    class or lambda bodies, nor comprehensions (their names are local)."""
    yield node
    if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
        return
    for child in ast.iter_child_nodes(node):
        if not isinstance(child, (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            yield from _walk_top(child)


def top_level_names(source):
    """Names a cell binds at its top level (assignments, defs, imports, for-loop targets)."""
    bound = set()
    for node in ast.parse(source).body:
        for sub in _walk_top(node):
            if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
                bound.add(sub.id)
            elif isinstance(sub, (ast.FunctionDef, ast.ClassDef)):
                bound.add(sub.name)
            elif isinstance(sub, (ast.Import, ast.ImportFrom)):
                bound.update((a.asname or a.name).split(".")[0] for a in sub.names)
    return bound


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_cell_relies_on_a_name_only_a_test_cell_defines(path):
    """In the student edition a test cell stops at its first failing check, so what it defines
    may never exist: read-only cells and other test cells must not depend on it."""
    cells = [c for c in read(path).cells if c.cell_type == "code"]
    from_tests, problems = {}, []
    for i, cell in enumerate(cells):
        used = {n.id for n in ast.walk(ast.parse(cell.source)) if isinstance(n, ast.Name)}
        bound_here = top_level_names(cell.source)
        problems += [f"code cell {i} uses {name!r} from test cell {from_tests[name]}"
                     for name in sorted((used - bound_here) & from_tests.keys())]
        is_test = nbgrader(cell).get("grade") and not nbgrader(cell).get("solution")
        for name in bound_here:
            if is_test:
                from_tests.setdefault(name, i)
            else:
                from_tests.pop(name, None)
    assert problems == [], "\n".join(problems)
