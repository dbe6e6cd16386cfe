"""Grading helpers: assertion checks with teaching feedback, and self-checks for learners.

- Test cells of graded assignments call the checks (:func:`check_close`,
  :func:`check_array_close`, :func:`check_shape`, :func:`check_type`, :func:`check_between`,
  :func:`check_columns`, :func:`check_frame_close`) instead of a bare ``assert``: a failure
  raises an :class:`AnswerError` (an ``AssertionError``) whose message says what was
  expected, what was found, where the first difference is and the likely mistake.
- Self-learners call :func:`check_answer` (``"right"``, or a :class:`NotYetError` saying "not yet",
  naming the typical mistake the value comes from, with the idea of a hint), :func:`hint` (the
  idea, the method, the code: three tiers) and :func:`check_all` (tasks right, not yet, not
  attempted); see :mod:`qsp.grading.selfcheck`.

Names are loaded lazily, so ``import qsp.grading`` costs nothing until a check is used.
"""

from .._lazy import lazy_exports

_EXPORTS = {
    "AnswerError": "checks",
    "WrongTypeError": "checks",
    "WrongShapeError": "checks",
    "WrongValueError": "checks",
    "WrongColumnsError": "checks",
    "check_type": "checks",
    "check_shape": "checks",
    "check_close": "checks",
    "check_between": "checks",
    "check_array_close": "checks",
    "check_columns": "checks",
    "check_frame_close": "checks",
    "check_answer": "selfcheck",
    "check_all": "selfcheck",
    "hint": "selfcheck",
    "diagnose": "selfcheck",
    "NotYetError": "selfcheck",
    "selfcheck_hint": "selfcheck",
    "is_right": "selfcheck",
    "checks": "checks",
    "selfcheck": "selfcheck",
}

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
__all__ = sorted(_EXPORTS)
