"""The worked solution: every step with formula and numbers in the homework's layout, as Markdown+LaTeX
and as HTML; and the course command that prints a student's variant and writes the answer key."""
import re

from nnkit.course.__main__ import main
from nnkit.notation import number
from nnkit.solution import worked_solution
from nnkit.spec import Spec
from nnkit.variant import variant


def test_the_homeworks_solution_is_written_as_the_homework_writes_it():
    spec = Spec()
    values = spec.values()
    md = worked_solution(spec).markdown
    p, (x1, x2) = spec.params, spec.x
    given = f"{number(p['w1'])} \\cdot {number(x1)} + {number(p['w2'])} \\cdot {number(x2)} + {number(p['b1'])}"
    symbols = r"w_{1} \cdot x_{1} + w_{2} \cdot x_{2} + b_{1}"
    assert f"$$h_{{1i}} = {symbols}$$\n\n$$= {given} = {number(values['h1_in'])}$$" in md
    # ∂L/∂O2 = 2(O2 − Ô2) with O2 put in, and every step's value as nnkit.notation.number writes it.
    assert f"= 2 \\cdot ({number(values['o2_out'])} - 1) = {number(values['dL_do2_out'], minus='-')}$$" in md
    for step in spec.steps:
        assert f"= {number(values[step.name], minus='-')}$$" in md, step.name
    assert [h for h in re.findall(r"^### (.*)$", md, re.M)] == ["Forward pass", "Loss", "Output layer", "Hidden layer"]


def test_the_solution_exports_as_html_with_its_math():
    html = worked_solution(Spec(lr=0.5), title="Answer key").html()
    assert html.lstrip().lower().startswith("<!doctype html>")
    assert "MathJax" in html and "Answer key" in html and "w_{5}^{+}" in html


def test_the_course_command_prints_a_variant_and_writes_its_answer_key(tmp_path, capsys):
    assert main(["variant", "ada", "bob", "--course-id", "demo", "--course-dir", str(tmp_path / "course"),
                 "--html-dir", str(tmp_path / "keys")]) == 0
    out = capsys.readouterr().out
    ada = variant("demo", "ada")
    assert "# Hand calculation: ada (demo)" in out and f"w_{{1}} = {number(ada.params['w1'], minus='-')}" in out
    assert sorted(p.name for p in (tmp_path / "keys").iterdir()) == ["ada.html", "bob.html"]
    assert number(ada.values()["dL_dw1"], minus="-") in (tmp_path / "keys" / "ada.html").read_text()
    assert not (tmp_path / "course").exists()            # nothing written into the course directory


def test_the_examples_in_the_docstrings_hold():
    import doctest
    import importlib
    for name in ("nnkit.explain", "nnkit.solution"):
        assert doctest.testmod(importlib.import_module(name)).failed == 0, name
