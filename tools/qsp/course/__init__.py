"""The course engine: thin layers over nbgrader for the instructor's workflow.

``qsp course release | autograde | feedback | export | status | keys | check`` (see
:mod:`qsp.cli`) call these functions, which call nbgrader's own API:

- :class:`Course` (:mod:`qsp.course.layout`): where the course and its folders are;
- :func:`release`, :func:`feedback` (:mod:`qsp.course.actions`);
- :func:`autograde`, :func:`autograde_assignments` (:mod:`qsp.course.autograding`): every
  submission in its own subprocess, in parallel, with time and memory limits, after
  repairing what can be repaired;
- :func:`export_grades`, :func:`course_status` (:mod:`qsp.course.gradebook`);
- :func:`make_keys` (:mod:`qsp.course.keys`): self-check answer keys from the solutions;
- :func:`validate_assignment` (:mod:`qsp.course.validate`): nbgrader metadata checks.
"""

from .._lazy import lazy_exports

_EXPORTS = {
    "Course": "layout",
    "find_course_root": "layout",
    "CourseError": "actions",
    "StepResult": "actions",
    "release": "actions",
    "feedback": "actions",
    "ensure_in_gradebook": "actions",
    "release_differences": "actions",
    "sample_course": "actions",
    "sample_students": "actions",
    "autograde": "autograding",
    "autograde_assignments": "autograding",
    "AutogradeReport": "autograding",
    "SubmissionResult": "autograding",
    "inspect_submission": "autograding",
    "export_grades": "gradebook",
    "course_status": "gradebook",
    "AssignmentStatus": "gradebook",
    "make_keys": "keys",
    "validate_assignment": "validate",
}

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
__all__ = sorted(_EXPORTS)
