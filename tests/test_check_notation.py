"""Names in any notation: the code's, the homework's (h_{1i}, O_1), Mazur's (net_h1, E_total), generic z/a/δ;
the report is written in the one the student used."""
import pytest

from nnkit.check import check
from nnkit.notation import NOTATIONS, resolve, table
from nnkit.spec import Spec

SPEC = Spec(lr=0.5)
EXACT = SPEC.values()


@pytest.mark.parametrize("key, name", [
    ("h1_in", "h1_in"), ("h1i", "h1_in"), ("h_{1i}", "h1_in"), ("$h_{1i}$", "h1_in"), ("net_h1", "h1_in"),
    ("z1_1", "h1_in"), ("h10", "h1_out"), ("h_{1o}", "h1_out"), ("out_h1", "h1_out"), ("a1_1", "h1_out"),
    ("O1", "o1_out"), ("O_1", "o1_out"), ("out_o1", "o1_out"), ("a2_1", "o1_out"), ("E_total", "L"),
    ("∂E_total/∂w5", "dL_dw5"), ("dE_total_dw5", "dL_dw5"), ("dL/dw5", "dL_dw5"), ("∂L/∂O2", "dL_do2_out"),
    ("dO2_dO2i", "do2_out_do2_in"), ("dout_o2_dnet_o2", "do2_out_do2_in"), ("delta_o1", "dL_do1_in"),
    ("δ2_1", "dL_do1_in"), ("dE_o1_dout_h1", "dL_dh1_out_via_o1"), ("dL_dh2o_via_O1", "dL_dh2_out_via_o1"),
    ("w5+", "w5_new"), ("w_5^+", "w5_new"), ("w5⁺", "w5_new"), ("w5_new", "w5_new"),
])
def test_every_notation_names_the_same_value(key, name):
    assert resolve(SPEC.net, "homework", key)[0] == name


@pytest.mark.parametrize("notation", NOTATIONS)
def test_the_report_is_written_in_the_students_notation(notation):
    names = table(SPEC.net, "homework", notation)
    chosen = ["h1_in", "h1_out", "o2_out", "dL_do2_out", "do2_out_do2_in", "dL_dw7", "w7_new", "dL_dh2_out_via_o1"]
    values = {names[n][0]: f"{EXACT[n]:.4f}" for n in chosen}
    report = check(values, SPEC)
    assert report.notation == notation
    assert [c.key for c in report] == [names[n][0] for n in chosen]
    assert report.first_error is None
    assert "$" + names["h1_in"][1] + "$" in report._repr_markdown_()


def test_mixed_notations_are_accepted_and_the_majority_writes_the_report():
    report = check({"h1i": f"{EXACT['h1_in']:.4f}", "O2": f"{EXACT['o2_out']:.4f}", "out_h1": "0.7"}, SPEC)
    assert report.notation == "homework"
    assert [c.key for c in report] == ["h1i", "h1o", "O2"]
    assert "h1o" in report.summary()


def test_the_matrix_numbering_names_weights_by_their_place():
    spec = Spec(numbering="matrix")
    assert resolve(spec.net, "matrix", "W2[1,2]")[0] == "w7"      # from h1 to O2
    assert resolve(spec.net, "matrix", "dL_dW2[1,2]")[0] == "dL_dw7"
    report = check({"dL_dW2[1,2]": f"{spec.values()['dL_dw7']:.4f}"}, spec)
    assert report["dL_dw7"].verdict == "correct"


def test_a_value_given_twice_in_two_notations_is_refused():
    with pytest.raises(ValueError, match="gives h1_out twice"):
        check({"h1_out": 0.6457, "out_h1": 0.6457}, SPEC)
