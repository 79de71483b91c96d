"""Per-student variants of the hand calculation, and their grade with error carried forward.

A "student" here works the calculation like a careful person with a calculator: each value from
their own earlier (rounded) values, written to four decimals. Slips are put in by hand.
"""
import pytest

from nnkit.grading.tasks import JUDGES
from nnkit.variant import asked, grade, variant, well_conditioned

from check_support import hand_calculation

COURSE = "nnkit-test"


def score(spec, answers):
    points, total, _ = grade(answers, spec)
    return points / total


def test_the_same_student_always_gets_the_same_numbers_and_classmates_others():
    ada, again, bob = variant(COURSE, "ada"), variant(COURSE, "ada"), variant(COURSE, "bob")
    assert ada == again
    assert ada.params != bob.params
    assert variant("another-course", "ada").params != ada.params
    students = [variant(COURSE, f"student{i}") for i in range(30)]
    assert len({tuple(s.params.values()) + s.x for s in students}) == 30


@pytest.mark.parametrize("student", ["ada", "bob", "carol", "dan"])
def test_variants_are_well_conditioned(student):
    spec = variant(COURSE, student)
    assert well_conditioned(spec)
    values = spec.values()
    assert all(0.1 <= values[f"{u}_out"] <= 0.9 for u in ("h1", "h2", "o1", "o2"))
    assert all(abs(values[f"dL_d{p}"]) >= 0.002 for p in spec.params)
    for layer in ([f"w{i}" for i in range(1, 5)], [f"w{i}" for i in range(5, 9)]):
        assert len({spec.params[w] for w in layer}) == 4          # a swapped weight shows


def test_a_full_solution_earns_full_points():
    spec = variant(COURSE, "ada")
    points, total, lines = grade(hand_calculation(spec, names=asked(spec)), spec)
    assert points == total == len(asked(spec)) == 41
    assert all(line.endswith("1/1 correct") or "1/1" in line for line in lines)


def test_a_consistent_chain_after_one_slip_loses_only_that_step():
    spec = variant(COURSE, "bob")
    exact = spec.values()
    slipped = hand_calculation(spec, names=asked(spec), slips={"h1_out": lambda w: 1 - exact["h1_out"]})  # σ(−z)
    points, total, lines = grade(slipped, spec)
    assert points == total - 1
    assert any(line.startswith("h1_out: 0/1 σ(−z) for σ(z) (that is σ(−h1_in)") for line in lines)
    assert sum("consistent" in line for line in lines) > 20                    # carried forward, credited


@pytest.mark.parametrize("trivial", [0.0, 0.5, 1.0])
def test_the_trivial_early_answer_trick_earns_no_more_than_honest_work(trivial):
    """Writing h1_out = h2_out = 0 (or 0.5, or 1) makes every later product easy; it must not pay."""
    spec = variant(COURSE, "carol")
    exact = spec.values()
    work = asked(spec)
    trick = score(spec, hand_calculation(spec, names=work, slips={"h1_out": lambda w: trivial,
                                                                  "h2_out": lambda w: trivial}))
    honest_slips = score(spec, hand_calculation(spec, names=work, slips={"h1_out": lambda w: 1 - exact["h1_out"],
                                                                         "h2_out": lambda w: 1 - exact["h2_out"]}))
    honest_partial = score(spec, {k: v for k, v in hand_calculation(spec, names=work).items()
                                  if k in ("h1_in", "h2_in", "h1_out", "h2_out")})
    assert trick <= honest_partial < honest_slips
    assert trick <= 2 / 41 + 1e-12                        # only h1_in and h2_in, which it did not touch


def test_the_judge_grades_the_students_own_variant():
    ada = hand_calculation(variant(COURSE, "ada"), names=asked(variant(COURSE, "ada")))
    fraction, message = JUDGES["hand_calculation"]({k: float(v) for k, v in ada.items()}, student="ada",
                                                   course_id=COURSE)
    assert fraction == 1.0 and message.startswith("41/41 steps")
    fraction, _ = JUDGES["hand_calculation"]({k: float(v) for k, v in ada.items()}, student="bob",
                                             course_id=COURSE)
    assert fraction < 0.2                                 # ada's numbers are not bob's answers


def test_the_judge_explains_unusable_answers_instead_of_failing():
    assert JUDGES["hand_calculation"]({}, student="ada", course_id=COURSE) == (
        0.0, "values is empty; give at least one of " + ", ".join(
            s.name for s in variant(COURSE, "ada").steps))
    fraction, message = JUDGES["hand_calculation"]({"h1_output": 0.5}, student="ada", course_id=COURSE)
    assert fraction == 0.0 and "unknown value name(s) 'h1_output'" in message
