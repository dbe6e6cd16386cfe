"""Short-term benefits against the ILO minimum standards: level, waiting days and duration, article by article."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validate import check_values


@dataclass(frozen=True)
class ShortTermStandard:
    """One ILO minimum standard for a short-term benefit.

    Attributes
    ----------
    convention : str
        ``"C102"``, ``"C130"``, ``"C121"``, ``"C168"`` or ``"C183"``.
    branch : str
        ``"sickness"``, ``"maternity"``, ``"employment_injury"`` or ``"unemployment"``.
    minimum_rate : float
        Minimum periodical payment as a fraction of the reference earnings.
    maximum_waiting_days : float
        Most unpaid days allowed at the start of each case.
    minimum_duration_days : float
        The shortest maximum duration a scheme may set (``inf``: throughout the contingency).
    beneficiary : str
        The standard beneficiary whose replacement rate is tested.
    level_article, waiting_article, duration_article : str
        Where each requirement is written.
    """

    convention: str
    branch: str
    minimum_rate: float
    maximum_waiting_days: float
    minimum_duration_days: float
    beneficiary: str
    level_article: str
    waiting_article: str
    duration_article: str


_MAN_WITH_FAMILY = "a man with a wife and two children"

ILO_STANDARDS: dict[tuple[str, str], ShortTermStandard] = {
    ("C102", "sickness"): ShortTermStandard(
        "C102", "sickness", 0.45, 3, 26 * 7, _MAN_WITH_FAMILY,
        "C102 Art. 16 and the Schedule to Part XI (45%)",
        "C102 Art. 18(1) (need not be paid for the first 3 days)",
        "C102 Art. 18(1) (may be limited to 26 weeks in each case)"),
    ("C130", "sickness"): ShortTermStandard(
        "C130", "sickness", 0.60, 3, 52 * 7, _MAN_WITH_FAMILY,
        "C130 Art. 22 and its Schedule (60%)",
        "C130 Art. 26 (need not be paid for the first 3 days)",
        "C130 Art. 26 (may be limited to 52 weeks in each case)"),
    ("C102", "unemployment"): ShortTermStandard(
        "C102", "unemployment", 0.45, 7, 13 * 7, _MAN_WITH_FAMILY,
        "C102 Art. 22 and the Schedule to Part XI (45%)",
        "C102 Art. 24(3) (a waiting period of the first 7 days in each case)",
        "C102 Art. 24(1)(a) (may be limited to 13 weeks within 12 months)"),
    ("C168", "unemployment"): ShortTermStandard(
        "C168", "unemployment", 0.50, 7, 26 * 7, "the unemployed person (previous earnings)",
        "C168 Art. 15(1)(a) (at least 50% of previous earnings)",
        "C168 Art. 18(1) (a waiting period of at most 7 days)",
        "C168 Art. 19(2)(a) (may be limited to 26 weeks in each spell)"),
    ("C102", "employment_injury"): ShortTermStandard(
        "C102", "employment_injury", 0.50, 3, np.inf, _MAN_WITH_FAMILY,
        "C102 Art. 36 and the Schedule to Part XI (50%)",
        "C102 Art. 38 (need not be paid for the first 3 days)",
        "C102 Art. 38 (throughout the contingency)"),
    ("C121", "employment_injury"): ShortTermStandard(
        "C121", "employment_injury", 0.60, 3, np.inf, _MAN_WITH_FAMILY,
        "C121 Art. 13-14 and Schedule II (60%)",
        "C121 Art. 9 (need not be paid for the first 3 days)",
        "C121 Art. 9 (throughout the contingency)"),
    ("C102", "maternity"): ShortTermStandard(
        "C102", "maternity", 0.45, 0, 12 * 7, "a woman",
        "C102 Art. 50 and the Schedule to Part XI (45%)",
        "C102 Art. 52 (throughout the contingency: no waiting days)",
        "C102 Art. 52 (may be limited to 12 weeks)"),
    ("C183", "maternity"): ShortTermStandard(
        "C183", "maternity", 2 / 3, 0, 14 * 7, "a woman (her previous earnings)",
        "C183 Art. 6(3) (at least two-thirds of previous earnings)",
        "C183 Art. 4(1) and 6(1) (cash benefits during the whole leave: no waiting days)",
        "C183 Art. 4(1) (maternity leave of not less than 14 weeks)"),
}
"""The minimum standards checked, keyed by ``(convention, branch)``.

The replacement rate of the C102 Schedule is that of the standard beneficiary, with any family
allowances paid during the contingency, over the reference wage (Art. 65-66); C168 and C183
measure the benefit against the person's own previous earnings."""

_DEFAULT = {"sickness": "C102", "unemployment": "C102", "employment_injury": "C102", "maternity": "C102"}


@dataclass(frozen=True)
class StandardCheck:
    """Result of :func:`ilo_standard_check`; arrays broadcast from the inputs.

    Attributes
    ----------
    standard : ShortTermStandard
        The standard applied.
    meets_level, meets_waiting, meets_duration : ndarray of bool
        Each requirement met.
    meets : ndarray of bool
        All three met.
    shortfall : ndarray
        ``max(minimum_rate - replacement_rate, 0)`` (0.05 = 5 percentage points).
    messages : tuple of str
        One plain-language finding per requirement, citing its article (for a single case; for
        a batch, a count per requirement and the worst case).
    """

    standard: ShortTermStandard
    meets_level: np.ndarray
    meets_waiting: np.ndarray
    meets_duration: np.ndarray
    meets: np.ndarray
    shortfall: np.ndarray
    messages: tuple[str, ...]

    def __bool__(self) -> bool:
        return bool(np.all(self.meets))

    @property
    def message(self) -> str:
        """The findings as one paragraph."""
        return " ".join(self.messages)


def _days(value: float) -> str:
    if np.isinf(value):
        return "no limit"
    weeks = value / 7
    return f"{value:g} days ({weeks:g} weeks)" if weeks == int(weeks) else f"{value:g} days"


def ilo_standard_check(branch: str, replacement_rate, *, waiting_days=0.0, maximum_days=np.inf,
                       convention: str | None = None) -> StandardCheck:
    """Check a short-term benefit's level, waiting days and maximum duration against an ILO Convention.

    The benefit meets the standard when, at once,
    ``replacement_rate >= minimum_rate`` (the level),
    ``waiting_days <= maximum_waiting_days`` and
    ``maximum_days >= minimum_duration_days`` (a scheme may limit the benefit, but not below this).

    ========================  =====================  =========  ===============================
    branch                    convention             level      waiting days / duration
    ========================  =====================  =========  ===============================
    sickness                  C102 Part III          45%        <= 3 / >= 26 weeks (Art. 16, 18)
    sickness                  C130                   60%        <= 3 / >= 52 weeks (Art. 22, 26)
    unemployment              C102 Part IV           45%        <= 7 / >= 13 weeks (Art. 22, 24)
    unemployment              C168                   50%        <= 7 / >= 26 weeks (Art. 15, 18, 19)
    employment_injury         C102 Part VI           50%        <= 3 / whole contingency (Art. 36, 38)
    employment_injury         C121                   60%        <= 3 / whole contingency (Sch. II, Art. 9)
    maternity                 C102 Part VIII         45%        0 / >= 12 weeks (Art. 50, 52)
    maternity                 C183                   2/3        0 / >= 14 weeks (Art. 4, 6)
    ========================  =====================  =========  ===============================

    Parameters
    ----------
    branch : {"sickness", "maternity", "employment_injury", "unemployment"}
    replacement_rate : float or array_like
        The benefit as a fraction of the reference earnings (for the C102 Schedule: of the
        standard beneficiary, family allowances included), >= 0. Any shape (batch).
    waiting_days : float or array_like, default 0
        Unpaid days at the start of each case, >= 0.
    maximum_days : float or array_like, default no maximum
        The scheme's maximum duration of the benefit in days (``np.inf`` for none).
    convention : str, optional
        ``"C102"`` (the default) or the up-to-date Convention of the branch: ``"C130"``
        (sickness), ``"C168"`` (unemployment), ``"C121"`` (employment injury), ``"C183"`` (maternity).

    Returns
    -------
    StandardCheck
        ``bool(result)`` is True when every case meets every requirement; ``message`` says which
        requirement fails, by how much, and cites the article.

    Raises
    ------
    ValueError
        An unknown branch or convention, negative or NaN inputs.

    Examples
    --------
    >>> from qsp.shortterm import ilo_standard_check
    >>> check = ilo_standard_check("maternity", 0.6, maximum_days=84, convention="C183")
    >>> bool(check), round(float(check.shortfall), 4)
    (False, 0.0667)
    >>> print(check.messages[0])
    Level: below C183: 60.0% is 6.7 percentage points short of the minimum 66.7% for a woman (her previous earnings) (C183 Art. 6(3) (at least two-thirds of previous earnings)).

    References
    ----------
    ILO (1952). Social Security (Minimum Standards) Convention, No. 102. ILO (1964). Employment
    Injury Benefits Convention, No. 121. ILO (1969). Medical Care and Sickness Benefits
    Convention, No. 130. ILO (1988). Employment Promotion and Protection against Unemployment
    Convention, No. 168. ILO (2000). Maternity Protection Convention, No. 183.
    """
    if branch not in _DEFAULT:
        raise ValueError(f"branch must be one of {sorted(_DEFAULT)}, got {branch!r}.")
    convention = _DEFAULT[branch] if convention is None else convention
    key = (convention, branch)
    if key not in ILO_STANDARDS:
        known = sorted(c for c, b in ILO_STANDARDS if b == branch)
        raise ValueError(f"no {convention!r} standard for {branch}: choose one of {known}.")
    std = ILO_STANDARDS[key]
    rate = check_values("replacement_rate", replacement_rate, trailing=(), lower=0.0, what="replacement rate",
                        hint="Replacement rates are fractions (0.6 for 60%).")
    waiting = check_values("waiting_days", waiting_days, trailing=(), lower=0.0, what="number of waiting days")
    maximum = check_values("maximum_days", maximum_days, trailing=(), lower=0.0, finite=False,
                           what="maximum duration (days)", hint="Pass np.inf for no maximum.")
    if np.isnan(maximum).any():
        raise ValueError("maximum_days contains NaN; pass np.inf for no maximum.")
    try:
        rate, waiting, maximum = np.broadcast_arrays(rate, waiting, maximum)
    except ValueError:
        raise ValueError(f"replacement_rate {np.shape(rate)}, waiting_days {np.shape(waiting)} and maximum_days "
                         f"{np.shape(maximum)} do not broadcast together.") from None
    meets_level = rate >= std.minimum_rate - 1e-12
    meets_waiting = waiting <= std.maximum_waiting_days
    meets_duration = maximum >= std.minimum_duration_days
    meets = meets_level & meets_waiting & meets_duration
    shortfall = np.maximum(std.minimum_rate - rate, 0.0)

    def level_text(r: float) -> str:
        if r >= std.minimum_rate - 1e-12:
            return (f"Level: meets {convention}: {100 * r:.1f}% reaches the minimum {100 * std.minimum_rate:.1f}% "
                    f"for {std.beneficiary} ({std.level_article}).")
        return (f"Level: below {convention}: {100 * r:.1f}% is {100 * (std.minimum_rate - r):.1f} percentage points "
                f"short of the minimum {100 * std.minimum_rate:.1f}% for {std.beneficiary} ({std.level_article}).")

    def waiting_text(w: float) -> str:
        verdict = "meets" if w <= std.maximum_waiting_days else "exceeds"
        return (f"Waiting days: {w:g} {verdict} the most allowed, {std.maximum_waiting_days:g} "
                f"({std.waiting_article}).")

    def duration_text(m: float) -> str:
        if m >= std.minimum_duration_days:
            return f"Duration: a maximum of {_days(m)} meets {convention} ({std.duration_article})."
        return (f"Duration: a maximum of {_days(m)} is shorter than {convention} allows, "
                f"{_days(std.minimum_duration_days)} ({std.duration_article}).")

    if rate.ndim == 0:
        messages = (level_text(float(rate)), waiting_text(float(waiting)), duration_text(float(maximum)))
    else:
        messages = tuple(
            f"{label}: {int(ok.sum())} of {ok.size} cases meet {convention}."
            for label, ok in (("Level", meets_level), ("Waiting days", meets_waiting), ("Duration", meets_duration)))
        if not meets.all():
            worst = np.unravel_index(int(np.argmax(~meets)), meets.shape)
            messages += (f"First failing case, index {tuple(int(i) for i in worst)}: "
                         + " ".join((level_text(float(rate[worst])), waiting_text(float(waiting[worst])),
                                     duration_text(float(maximum[worst])))),)
    return StandardCheck(standard=std, meets_level=meets_level[()], meets_waiting=meets_waiting[()],
                         meets_duration=meets_duration[()], meets=meets[()], shortfall=shortfall[()],
                         messages=messages)
