"""Due dates and the late-penalty policy, through nbgrader's own mechanisms.

A due date lives on the assignment in the gradebook (`python -m nnkit.course duedate 01-forward-pass
"2026-12-08 23:59" --timezone Europe/Berlin`); nbgrader compares it with the submission's
timestamp at autograde and calls the late-submission plugin. `LatePenalty` is that plugin:
`percent_per_day` of the notebook's score per started day late (never below 0), configured in
the course's config by `init --late-penalty`:

    c.AssignLatePenalties.plugin_class = "nnkit.course.deadlines.LatePenalty"
    c.LatePenalty.percent_per_day = 10
"""
import math
from datetime import datetime, timezone as utc_zone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .gradebook import open_gradebook
from nbgrader.plugins import BasePlugin
from traitlets import Float

DAY = 24 * 3600


def late_penalty(score, seconds_late, percent_per_day):
    """Points taken off: percent_per_day % of `score` per started day late, at most `score`."""
    if seconds_late <= 0 or percent_per_day <= 0:
        return 0.0
    days = math.ceil(seconds_late / DAY)
    return min(score, score * days * percent_per_day / 100)


class LatePenalty(BasePlugin):
    """nbgrader late-submission plugin: `late_penalty` with the configured percentage."""

    percent_per_day = Float(0.0, help="Percent of the score taken off per started day late").tag(config=True)

    def late_submission_penalty(self, student_id, score, total_seconds_late):
        penalty = late_penalty(score, total_seconds_late, self.percent_per_day)
        self.log.info("%s: %.0f s late, penalty %.2f of %.2f", student_id, total_seconds_late, penalty, score)
        return penalty


def parse_due(text, timezone="UTC"):
    """An aware datetime from "YYYY-MM-DD HH:MM" in `timezone`; ValueError saying what is expected."""
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"unknown time zone {timezone!r}; expected a name like UTC or Europe/Berlin") from error
    try:
        naive = datetime.strptime(text.strip(), "%Y-%m-%d %H:%M")
    except ValueError as error:
        raise ValueError(f"due date {text!r}: expected YYYY-MM-DD HH:MM, e.g. 2026-12-08 23:59") from error
    return naive.replace(tzinfo=zone)


def set_due_date(db_url, course_id, assignment, due):
    """Store `due` (an aware datetime) on the assignment in the gradebook (nbgrader keeps UTC)."""
    with open_gradebook(db_url, course_id) as gradebook:
        gradebook.update_or_create_assignment(assignment, duedate=due.astimezone(utc_zone.utc).replace(tzinfo=None))
        return gradebook.find_assignment(assignment).duedate
