"""Benchmark of an old-age pension against ILO Convention No. 102 (Social Security (Minimum Standards), 1952)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validate import check_values

C102_OLD_AGE_MINIMUM = 0.40
"""Schedule to Part XI of C102, old-age benefit: 40% for a man with a wife of pensionable age."""

FULL_QUALIFYING_YEARS = 30
"""Art. 29(1)(a): the full benefit is due after 30 years of contribution or employment."""

REDUCED_QUALIFYING_YEARS = 15
"""Art. 29(2)(a): a reduced benefit is due after 15 years of contribution or employment."""


@dataclass(frozen=True)
class C102OldAgeCheck:
    """Result of :func:`c102_old_age_check`; arrays broadcast from the inputs.

    Attributes
    ----------
    replacement_rate : ndarray
        The replacement rate tested (a fraction).
    years_of_contribution : ndarray
        Years of contribution or employment of the case tested.
    required_rate : ndarray
        The benchmark: 40% after 30 years; 40% x years / 30 between 15 and 30 years; 0 under
        15 years (no benefit required).
    benefit_required : ndarray of bool
        Whether C102 requires an old-age benefit at all (at least 15 years).
    meets : ndarray of bool
        Replacement rate at or above the benchmark.
    shortfall : ndarray
        ``max(required_rate - replacement_rate, 0)``, in fractions (0.05 = 5 percentage points).
    minimum_rate : float
        The full-benefit minimum used (0.40 for C102).
    message : str
        A plain-language summary.
    """

    replacement_rate: np.ndarray
    years_of_contribution: np.ndarray
    required_rate: np.ndarray
    benefit_required: np.ndarray
    meets: np.ndarray
    shortfall: np.ndarray
    minimum_rate: float
    message: str

    def __bool__(self) -> bool:
        return bool(np.all(self.meets))


def _percent(value: float) -> str:
    return f"{100 * value:.1f}%"


def _label(minimum: float) -> str:
    if abs(minimum - C102_OLD_AGE_MINIMUM) < 1e-12:
        return "ILO C102"
    if abs(minimum - 0.45) < 1e-12:
        return "ILO C128"
    return f"the {_percent(minimum)} benchmark"


def _describe_case(rate: float, years: float, required: float, minimum: float) -> str:
    label = _label(minimum)
    years_text = f"{years:g} years of contribution"
    if years < REDUCED_QUALIFYING_YEARS:
        return (
            f"After {years_text}, {label} does not yet require an old-age pension (Art. 29 requires a reduced "
            f"pension from {REDUCED_QUALIFYING_YEARS} years and the full {_percent(minimum)} after "
            f"{FULL_QUALIFYING_YEARS} years), so no minimum applies to the {_percent(rate)} replacement rate."
        )
    if years >= FULL_QUALIFYING_YEARS:
        benchmark = (f"the {_percent(minimum)} minimum for the standard beneficiary (a man with a wife of "
                     f"pensionable age) after {FULL_QUALIFYING_YEARS} years")
    else:
        benchmark = (f"the benchmark for a reduced pension after {years:g} years, {_percent(minimum)} x "
                     f"{years:g}/{FULL_QUALIFYING_YEARS} = {_percent(required)} (C102 requires a reduced pension "
                     f"from {REDUCED_QUALIFYING_YEARS} years; a proportional reduction is the yardstick of Art. 29(4))")
    if rate >= required - 1e-12:
        return f"Meets {label}: a replacement rate of {_percent(rate)} after {years_text} reaches {benchmark}."
    gap = 100 * (required - rate)
    return (
        f"Below {label}: a replacement rate of {_percent(rate)} after {years_text} is {gap:.1f} percentage "
        f"points short of {benchmark}."
    )


def c102_old_age_check(
    replacement_rate,
    *,
    years_of_contribution=FULL_QUALIFYING_YEARS,
    minimum_rate: float = C102_OLD_AGE_MINIMUM,
) -> C102OldAgeCheck:
    """Check an old-age replacement rate against the minimum of ILO Convention No. 102.

    C102, Part V (old-age benefit), Art. 28-29 with the Schedule to Part XI: the periodical
    payment for the standard beneficiary, a man with a wife of pensionable age, must reach at
    least 40% of the reference wage after 30 years of contribution or employment (Art.
    29(1)(a)); where a minimum period is required, a reduced benefit must be secured after 15
    years (Art. 29(2)(a)). This function applies:

    - years >= 30: required rate = ``minimum_rate`` (40%);
    - 15 <= years < 30: required rate = ``minimum_rate x years / 30``, a proportional
      reduction. C102 does not fix the percentage of the reduced benefit; proportional
      reduction is the yardstick Art. 29(4) uses, so read this case as a guide;
    - years < 15: no benefit is required (required rate 0).

    The replacement rate must be measured as C102 measures it: the benefit of the standard
    beneficiary, with any increment for the dependent wife and any family allowances paid
    during the contingency, over the reference wage (the beneficiary's previous earnings under
    Art. 65, or the wage of an ordinary adult male labourer under Art. 66); compute it with
    :func:`replacement_rate`.

    Parameters
    ----------
    replacement_rate : float or array_like
        Replacement rate(s) as fractions (0.40 = 40%), >= 0. Any shape (batch).
    years_of_contribution : float or array_like, default 30
        Years of contribution or employment of the case tested (>= 0); broadcasts with
        ``replacement_rate``.
    minimum_rate : float, default 0.40
        The full-benefit minimum. 0.40 is C102's; pass 0.45 to benchmark against Convention
        No. 128 (1967), whose Schedule raises it to 45%.

    Returns
    -------
    C102OldAgeCheck
        ``required_rate``, ``meets``, ``shortfall`` arrays and a plain-language ``message``;
        ``bool(result)`` is True when every case meets the benchmark.

    Raises
    ------
    ValueError
        NaN, negative replacement rates or years, a ``minimum_rate`` outside (0, 1], shapes
        that do not broadcast.

    Examples
    --------
    >>> from qsp.pensions import c102_old_age_check
    >>> result = c102_old_age_check(0.35)
    >>> bool(result.meets), round(float(result.shortfall), 2)
    (False, 0.05)
    >>> print(result.message)  # doctest: +NORMALIZE_WHITESPACE
    Below ILO C102: a replacement rate of 35.0% after 30 years of contribution is 5.0 percentage points
    short of the 40.0% minimum for the standard beneficiary (a man with a wife of pensionable age) after
    30 years.

    References
    ----------
    ILO (1952). Social Security (Minimum Standards) Convention, No. 102, Art. 28-29, 65-66 and
    the Schedule to Part XI. ILO (1967). Invalidity, Old-Age and Survivors' Benefits
    Convention, No. 128. Plamondon, P. et al. (2002). *Actuarial Practice in Social Security*.
    ILO/ISSA (replacement rates and international standards).
    """
    rates = check_values("replacement_rate", replacement_rate, trailing=(), lower=0, what="replacement rate",
                         hint="Replacement rates are fractions (0.40 for 40%).")
    years = check_values("years_of_contribution", years_of_contribution, trailing=(), lower=0,
                         what="number of years")
    minimum = float(check_values("minimum_rate", minimum_rate, trailing=(), lower=0, lower_inclusive=False, upper=1,
                                 what="minimum replacement rate", hint="Pass a fraction, 0.40 for 40%."))
    if np.ndim(minimum_rate) != 0:
        raise ValueError(f"minimum_rate must be a single number, got shape {np.shape(minimum_rate)}.")
    try:
        rates, years = np.broadcast_arrays(rates, years)
    except ValueError:
        raise ValueError(
            f"replacement_rate (shape {np.shape(rates)}) and years_of_contribution (shape {np.shape(years)}) "
            f"do not broadcast together."
        ) from None
    required_fraction = np.clip(years / FULL_QUALIFYING_YEARS, 0.0, 1.0)
    benefit_required = years >= REDUCED_QUALIFYING_YEARS
    required = np.where(benefit_required, minimum * required_fraction, 0.0)
    meets = rates >= required - 1e-12
    shortfall = np.maximum(required - rates, 0.0)

    if rates.ndim == 0:
        message = _describe_case(float(rates), float(years), float(required), minimum)
    else:
        count = int(meets.sum())
        message = f"{count} of {meets.size} cases meet the {_label(minimum)} old-age benchmark."
        if count < meets.size:
            worst = np.unravel_index(int(np.argmax(shortfall)), shortfall.shape)
            message += (f" The largest shortfall is at index {tuple(int(i) for i in worst)}: "
                        + _describe_case(float(rates[worst]), float(years[worst]), float(required[worst]), minimum))
    return C102OldAgeCheck(
        replacement_rate=rates[()],
        years_of_contribution=years[()],
        required_rate=required[()],
        benefit_required=benefit_required[()],
        meets=meets[()],
        shortfall=shortfall[()],
        minimum_rate=minimum,
        message=message,
    )
