"""The trusted verdict of one test cell: the recorded answers against the references.

    test_outputs(checks, result, points, student, forbidden) -> (outputs, score, messages)

The outputs are what nbgrader's own `determine_grade` reads: an error output for 0, an
`execute_result` holding the points for partial credit, a plain stdout stream for full points.
So nbgrader's SaveAutoGrades writes the score decided here, and nothing the student's code printed
or raised enters it.
"""
from . import judge


def with_student(inputs, student):
    """The inputs, with an input named `student` replaced by the id of the submission graded."""
    return {**inputs, "student": student} if "student" in inputs else dict(inputs)


def _error(name, messages):
    return {"output_type": "error", "ename": name, "evalue": "; ".join(messages),
            "traceback": [f"{name}: {message}" for message in messages]}


def test_outputs(checks, result, points, student, forbidden=()):
    """(outputs for the test cell, score in points, [messages]) from the sandbox's `result`."""
    if forbidden:
        messages = [f"the exercise uses nnkit.{name}, which its nnkit.may_use does not allow" for name in forbidden]
        return [_error("ForbiddenCall", messages)], 0.0, messages
    if result is None or result["status"] not in ("ok", "error"):
        why = (result or {}).get("why") or "no result from the sandbox"
        return [_error("NotGraded", [why])], 0.0, [why]
    answers = {}
    for answer in result["answers"]:
        answers.setdefault(answer["index"], []).append(answer)
    fractions, messages = [], []
    for index, check in enumerate(checks):
        got = answers.get(index, [])
        if len(got) != 1 or got[0]["task"] != check.task:
            fractions.append(0.0)
            messages.append(f"{check.task}: {'no answer was' if not got else 'more than one answer was'} recorded "
                            "(the notebook interfered with grading)")
        elif got[0]["forbidden"]:
            fractions.append(0.0)
            messages.append(f"{check.task}: called nnkit.{', nnkit.'.join(got[0]['forbidden'])}, which this "
                            "exercise may not use (ForbiddenCall)")
        elif got[0]["error"] is not None:
            fractions.append(0.0)
            messages.append(f"{check.task}: {got[0]['error']}")
        else:
            try:
                fraction, message = judge(check.task, got[0]["answer"], with_student(check.inputs, student))
            except Exception as error:  # noqa: BLE001 - a malformed answer the judge cannot read scores 0
                fraction, message = 0.0, f"{check.task}: the answer cannot be judged ({type(error).__name__}: {error})"
            fractions.append(fraction)
            messages.append(message)
    if not checks:
        messages = ["this test cell has no verify(...) call: nothing to grade automatically"]
        return [_error("NotGraded", messages)], 0.0, messages
    fraction = min(fractions)
    score = round(points * fraction, 6)
    summary = {"output_type": "stream", "name": "stdout",
               "text": "".join(f"{'✓' if f == 1 else '✗'} {m}\n" for f, m in zip(fractions, messages))}
    if fraction == 1:
        return [summary], score, messages
    if fraction == 0:
        return [_error("AssertionError", [m for f, m in zip(fractions, messages) if f < 1])], 0.0, messages
    return [summary, {"output_type": "execute_result", "execution_count": None, "metadata": {},
                      "data": {"text/plain": repr(score)}}], score, messages
