"""The cost of short-term cash benefits: incidence x paid days x daily benefit, and capital values of injury pensions."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validate import check_values

DAYS_PER_YEAR = 365.0
"""Calendar days in a year: the default divisor that turns annual earnings into daily earnings."""

_REFERENCE = """Plamondon, P. et al. (2002). *Actuarial Practice in Social Security*. ILO/ISSA (the cost of
    short-term benefits as incidence x duration x average benefit, over insurable earnings)."""


def _values(name, value, *, lower=0.0, upper=None, what="value", hint="", lower_inclusive=True) -> np.ndarray:
    return check_values(name, value, trailing=("group",), lower=lower, upper=upper, what=what, hint=hint,
                        lower_inclusive=lower_inclusive)


def _limit(name, value, *, what, hint="Pass np.inf for no limit.") -> np.ndarray:
    """A positive limit (ceiling, maximum) that may be ``np.inf`` but not NaN."""
    arr = check_values(name, value, trailing=("group",), lower=0.0, lower_inclusive=False, finite=False, what=what,
                       hint=hint)
    if np.isnan(arr).any():
        raise ValueError(f"{name} contains NaN; {hint}")
    return arr


def _broadcast(**arrays) -> list[np.ndarray]:
    try:
        return list(np.broadcast_arrays(*arrays.values()))
    except ValueError:
        described = ", ".join(f"{name} {np.shape(a)}" for name, a in arrays.items())
        raise ValueError(
            f"the inputs do not broadcast together: {described}. The last axis is the group (earnings class, age, "
            f"industry); leading axes are scenarios and must have equal lengths or 1."
        ) from None


def _days_per_year(days_per_year) -> float:
    if np.ndim(days_per_year) != 0 or not np.isfinite(days_per_year) or float(days_per_year) <= 0:
        raise ValueError(f"days_per_year must be a single positive number (365 calendar days, or e.g. 300 working "
                         f"days if benefits are paid per working day), got {days_per_year!r}.")
    return float(days_per_year)


def insured_daily_earnings(earnings, *, ceiling=np.inf, days_per_year: float = DAYS_PER_YEAR):
    """Insured daily earnings: ``min(earnings, ceiling) / days_per_year``.

    Parameters
    ----------
    earnings : float or array_like
        Annual earnings per person (money a year), >= 0. Any shape.
    ceiling : float or array_like, default no ceiling
        Annual earnings ceiling of the scheme (money a year), > 0; broadcasts with ``earnings``.
    days_per_year : float, default 365
        Days per year over which the benefit is paid (calendar days by default).

    Returns
    -------
    ndarray
        Money per day, the broadcast shape of the inputs.

    Examples
    --------
    >>> from qsp.shortterm import insured_daily_earnings
    >>> float(insured_daily_earnings(73_000, ceiling=36_500))
    100.0
    """
    earnings = _values("earnings", earnings, what="annual earnings")
    ceiling = _limit("ceiling", ceiling, what="earnings ceiling", hint="Pass np.inf (the default) for no ceiling.")
    return np.minimum(earnings, ceiling)[()] / _days_per_year(days_per_year)


def paid_days(duration, *, waiting_days=0.0, maximum_days=np.inf):
    """Benefit days paid for a spell of a given length: ``min(max(duration - waiting_days, 0), maximum_days)``.

    Convention: the waiting days are unpaid days at the start of each spell and are not paid
    back when the spell lasts long; the maximum counts PAID days (C102 Art. 18 limits the
    sickness benefit to "26 weeks in each case").

    Parameters
    ----------
    duration : float or array_like
        Length of the spell in days (>= 0). Any shape (batch).
    waiting_days : float or array_like, default 0
        Unpaid days at the start of a spell (>= 0).
    maximum_days : float or array_like, default no maximum
        Most days paid per spell (> 0; ``np.inf`` for none).

    Returns
    -------
    ndarray
        Paid days, the broadcast shape.

    Examples
    --------
    >>> from qsp.shortterm import paid_days
    >>> paid_days([2, 10, 400], waiting_days=3, maximum_days=182).tolist()
    [0.0, 7.0, 182.0]
    """
    duration = _values("duration", duration, what="spell duration (days)")
    waiting = _values("waiting_days", waiting_days, what="number of waiting days")
    maximum = _limit("maximum_days", maximum_days, what="maximum duration (days)", hint="Pass np.inf for no maximum.")
    duration, waiting, maximum = _broadcast(duration=duration, waiting_days=waiting, maximum_days=maximum)
    return np.minimum(np.maximum(duration - waiting, 0.0), maximum)[()]


def expected_paid_days(durations, probabilities, *, waiting_days=0.0, maximum_days=np.inf):
    """Expected paid days per spell for a discrete distribution of spell durations.

    ``E[paid] = sum_j p_j min(max(d_j - waiting, 0), maximum)``, summed over the LAST axis.

    Parameters
    ----------
    durations : array_like, shape (..., n)
        Spell durations in days (>= 0), one per duration class on the last axis.
    probabilities : array_like, shape (..., n)
        Share of spells in each duration class (each in [0, 1], summing to 1 on the last axis).
    waiting_days, maximum_days : float or array_like
        As :func:`paid_days`; they broadcast with the batch axes ``(...)``.

    Returns
    -------
    ndarray, shape (...)
        Expected paid days per spell.

    Raises
    ------
    ValueError
        Probabilities outside [0, 1] or not summing to 1 (within 1e-9), negative durations.

    Examples
    --------
    Half the spells last 2 days, half 20 days; 3 waiting days: ``0.5 x 0 + 0.5 x 17 = 8.5``.

    >>> from qsp.shortterm import expected_paid_days
    >>> float(expected_paid_days([2, 20], [0.5, 0.5], waiting_days=3))
    8.5
    """
    durations = _values("durations", durations, what="spell duration (days)")
    probabilities = _values("probabilities", probabilities, upper=1.0, what="probability")
    if durations.ndim == 0 or probabilities.ndim == 0:
        raise ValueError("durations and probabilities need a last axis of duration classes, e.g. [2, 20] and "
                         "[0.5, 0.5].")
    total = probabilities.sum(axis=-1)
    if np.any(np.abs(total - 1.0) > 1e-9):
        worst = float(np.ravel(total)[np.argmax(np.abs(np.ravel(total) - 1.0))])
        raise ValueError(f"probabilities must sum to 1 over the last axis (the duration classes), but one row sums "
                         f"to {worst:g}. Divide each row by its sum.")
    waiting = np.asarray(_values("waiting_days", waiting_days, what="number of waiting days"))[..., None]
    maximum = np.asarray(_limit("maximum_days", maximum_days, what="maximum duration (days)"))[..., None]
    durations, probabilities, waiting, maximum = _broadcast(durations=durations, probabilities=probabilities,
                                                            waiting_days=waiting, maximum_days=maximum)
    paid = np.minimum(np.maximum(durations - waiting, 0.0), maximum)
    return (paid * probabilities).sum(axis=-1)[()]


def exponential_paid_days(mean_duration, *, waiting_days=0.0, maximum_days=np.inf):
    """Expected paid days per spell when spell durations are exponential with a given mean.

    ``E[min((D - w)+, m)] = integral_w^(w+m) P(D > t) dt = mu (exp(-w/mu) - exp(-(w+m)/mu))``
    for ``D ~ Exponential(mean mu)`` in days, ``w`` waiting days and ``m`` the maximum paid
    days. The exponential is the simplest model of spell lengths (a constant recovery rate
    ``1/mu``); ``exp(-w/mu)`` is the share of spells that outlast the waiting days.

    Parameters
    ----------
    mean_duration : float or array_like
        Mean spell duration ``mu`` in days (> 0). Any shape (batch).
    waiting_days, maximum_days : float or array_like
        As :func:`paid_days`.

    Returns
    -------
    ndarray
        Expected paid days per spell, the broadcast shape.

    Examples
    --------
    Mean 10 days, no waiting days, no maximum: 10 days; with 3 waiting days,
    ``10 exp(-0.3) = 7.408``:

    >>> from qsp.shortterm import exponential_paid_days
    >>> round(float(exponential_paid_days(10.0, waiting_days=3)), 3)
    7.408
    """
    mu = _values("mean_duration", mean_duration, lower=0.0, lower_inclusive=False, what="mean duration (days)")
    waiting = _values("waiting_days", waiting_days, what="number of waiting days")
    maximum = _limit("maximum_days", maximum_days, what="maximum duration (days)", hint="Pass np.inf for no maximum.")
    mu, waiting, maximum = _broadcast(mean_duration=mu, waiting_days=waiting, maximum_days=maximum)
    return (mu * (np.exp(-waiting / mu) - np.exp(-(waiting + maximum) / mu)))[()]


@dataclass(frozen=True)
class BranchCost:
    """The cost of a benefit branch for a year; arrays have the batch shape ``(...)``.

    Attributes
    ----------
    expenditure : ndarray
        Benefit expenditure (money a year); for capitalised pensions, the capital value of the
        year's new awards.
    insurable_earnings : ndarray
        The contribution base: insured persons x earnings up to the contribution ceiling.
    cost_rate : ndarray
        ``expenditure / insurable_earnings`` (a fraction: 0.012 = 1.2% of insurable earnings).
    benefit_days : ndarray
        Benefit days paid in the year (insured x incidence x paid days); for pensions, the
        number of new awards.
    """

    expenditure: np.ndarray
    insurable_earnings: np.ndarray
    cost_rate: np.ndarray
    benefit_days: np.ndarray


def _insurable(insured, earnings, contribution_ceiling) -> np.ndarray:
    cap = _limit("contribution_ceiling", contribution_ceiling, what="contribution ceiling")
    insurable = (insured * np.minimum(earnings, cap)).sum(axis=-1)
    if np.any(insurable <= 0):
        raise ValueError("the insurable earnings (insured x earnings, summed over groups) are zero in some scenario: "
                         "a cost rate needs a positive contribution base. Check insured and earnings.")
    return insurable


def cash_benefit_cost(insured, earnings, incidence, paid_days_per_spell, replacement_rate, *, ceiling=np.inf,
                      contribution_ceiling=None, days_per_year: float = DAYS_PER_YEAR) -> BranchCost:
    """Expenditure and cost rate of a short-term cash benefit (sickness, maternity, temporary injury, unemployment).

    ``B = sum_g N_g x f_g x d_g x rho x min(E_g, C) / days_per_year``,
    ``S = sum_g N_g x min(E_g, C_s)``, ``cost rate = B / S``

    with, for each group ``g`` on the last axis (earnings class, age, sex-age cell), ``N`` insured
    persons, ``f`` spells (or births) per insured person per year, ``d`` paid days per spell
    (after waiting days, up to the maximum: :func:`expected_paid_days`,
    :func:`exponential_paid_days`), ``rho`` the replacement rate, ``E`` annual earnings, ``C``
    the ceiling of insured earnings and ``C_s`` the contribution ceiling (by default the same).
    Everyone in a group is taken to earn the group's average, so use earnings classes fine
    enough for the ceiling to bite where it does.

    Parameters
    ----------
    insured : array_like, shape (..., group)
        Insured persons (>= 0).
    earnings : array_like, shape (..., group)
        Average annual earnings (money a year, >= 0).
    incidence : array_like, shape (..., group)
        Spells per insured person per year (>= 0).
    paid_days_per_spell : array_like, shape (..., group)
        Expected paid days per spell (>= 0).
    replacement_rate : float or array_like, shape (..., group)
        Benefit as a fraction of insured earnings, in [0, 1] (0.6 for 60%).
    ceiling : float or array_like, default no ceiling
        Annual ceiling of the earnings on which the benefit is computed (> 0).
    contribution_ceiling : float or array_like, optional
        Ceiling of the contribution base; defaults to ``ceiling``.
    days_per_year : float, default 365
        Days over which annual earnings are spread (calendar days).

    Returns
    -------
    BranchCost
        ``expenditure``, ``insurable_earnings``, ``cost_rate``, ``benefit_days``, shape ``(...)``.

    Raises
    ------
    ValueError
        Negative or missing inputs, a replacement rate above 1, shapes that do not broadcast,
        a zero contribution base.

    Examples
    --------
    1,000 insured earning 36,500 a year; 0.5 spells a year of 14 paid days at 60%:
    ``1000 x 0.5 x 14 x 0.6 x 100 = 420,000`` against ``36.5`` million, a cost rate of 1.15%.

    >>> from qsp.shortterm import cash_benefit_cost
    >>> cost = cash_benefit_cost([1000], [36_500], [0.5], [14], 0.6)
    >>> float(cost.expenditure), round(float(cost.cost_rate), 5)
    (420000.0, 0.01151)

    References
    ----------
    {ref}
    """
    insured = _values("insured", insured, what="number of insured persons")
    earnings = _values("earnings", earnings, what="annual earnings")
    incidence = _values("incidence", incidence, what="incidence (spells per person-year)")
    days = _values("paid_days_per_spell", paid_days_per_spell, what="number of paid days")
    rate = _values("replacement_rate", replacement_rate, upper=1.0, what="replacement rate",
                   hint="Replacement rates are fractions (0.6 for 60%).")
    daily = insured_daily_earnings(earnings, ceiling=ceiling, days_per_year=days_per_year)
    insured, earnings, incidence, days, rate, daily = _broadcast(
        insured=insured, earnings=earnings, incidence=incidence, paid_days_per_spell=days, replacement_rate=rate,
        ceiling=daily)
    if insured.ndim == 0:
        raise ValueError("insured and earnings need a last axis of groups (earnings classes or ages), e.g. [1000].")
    benefit_days = insured * incidence * days
    expenditure = (benefit_days * rate * daily).sum(axis=-1)
    insurable = _insurable(insured, earnings, ceiling if contribution_ceiling is None else contribution_ceiling)
    return BranchCost(expenditure=expenditure[()], insurable_earnings=insurable[()],
                      cost_rate=(expenditure / insurable)[()], benefit_days=benefit_days.sum(axis=-1)[()])


cash_benefit_cost.__doc__ = cash_benefit_cost.__doc__.replace("{ref}", _REFERENCE)


def maternity_cost(insured, earnings, fertility, *, weeks=14, replacement_rate=2 / 3, ceiling=np.inf,
                   contribution_ceiling=None, days_per_year: float = DAYS_PER_YEAR) -> BranchCost:
    """Maternity cash benefit: births to insured women x ``7 x weeks`` days x the replacement rate.

    ``B = sum_a N_(female, a) x F_a x 7 w x rho x min(E_(female, a), C) / days_per_year``,
    over insurable earnings of BOTH sexes (the contribution base of the whole scheme). The
    defaults are the minimum of ILO Convention No. 183 (2000): 14 weeks (Art. 4(1)) at two
    thirds of previous earnings (Art. 6(3)).

    Parameters
    ----------
    insured : array_like, shape (..., sex, age)
        Insured persons by sex (0 = female, 1 = male) and age.
    earnings : array_like, shape (..., sex, age)
        Average annual earnings by sex and age.
    fertility : array_like, shape (..., age)
        Births per woman per year by age (the kit's age-specific fertility rates), >= 0.
    weeks : float, default 14
        Weeks of benefit per birth.
    replacement_rate : float, default 2/3
        Benefit as a fraction of insured earnings.
    ceiling, contribution_ceiling, days_per_year
        As :func:`cash_benefit_cost`.

    Returns
    -------
    BranchCost
        As :func:`cash_benefit_cost`; ``benefit_days`` are maternity benefit days.

    Examples
    --------
    100 insured women and 100 men aged 30, all earning 36,500; fertility 0.1: 10 births x 98
    days x 2/3 x 100 = 65,333 over 7.3 million of insurable earnings, 0.895%.

    >>> import numpy as np
    >>> from qsp.shortterm import maternity_cost
    >>> cost = maternity_cost(np.full((2, 1), 100.0), np.full((2, 1), 36_500.0), [0.1])
    >>> round(float(cost.cost_rate), 5)
    0.00895

    References
    ----------
    ILO (2000). Maternity Protection Convention, No. 183, Art. 4 and 6. ILO (1952). Convention
    No. 102, Part VIII.
    """
    insured = check_values("insured", insured, lower=0.0, what="number of insured persons")
    earnings = check_values("earnings", earnings, lower=0.0, what="annual earnings")
    fertility = check_values("fertility", fertility, trailing=("age",), lower=0.0, what="fertility rate")
    for name, arr in (("insured", insured), ("earnings", earnings)):
        if arr.ndim < 2 or arr.shape[-2] != 2:
            raise ValueError(f"{name} must have axes (..., sex, age) with a sex axis of length 2 (0 = female, "
                             f"1 = male), but it has shape {arr.shape}.")
    if fertility.ndim < 1:
        raise ValueError("fertility must have an age axis: births per woman per year by age.")
    weeks = float(check_values("weeks", weeks, trailing=(), lower=0.0, what="number of weeks"))
    incidence = np.stack(np.broadcast_arrays(fertility, np.zeros_like(fertility)), axis=-2)   # men have no births
    try:
        insured, earnings, incidence = np.broadcast_arrays(insured, earnings, incidence)
    except ValueError:
        raise ValueError(f"insured {insured.shape}, earnings {earnings.shape} and fertility (as (sex, age)) "
                         f"{incidence.shape} do not broadcast: give them the same ages.") from None
    flat = insured.shape[:-2] + (-1,)
    return cash_benefit_cost(insured.reshape(flat), earnings.reshape(flat), incidence.reshape(flat), 7.0 * weeks,
                             replacement_rate, ceiling=ceiling, contribution_ceiling=contribution_ceiling,
                             days_per_year=days_per_year)


def pension_capital_factor(mortality, ages, *, interest_rate, indexation=0.0, payments_per_year: int = 12):
    """Capital value of a pension of 1 a year awarded at the given ages: the annuity factor of a kit life table.

    ``a-due^(m)_x`` at the net rate ``(1 + i) / (1 + indexation) - 1``: the capital that pays
    1 a year, m-thly in advance, for life (no survivors), from :func:`qsp.actuarial.pension_unit_cost`.

    Parameters
    ----------
    mortality : LifeTable or array_like, shape (..., age)
        The pensioners' mortality (a kit life table, or ``q_x`` by single age).
    ages : int or array_like of int
        Ages at award.
    interest_rate : float or array_like
        Effective annual interest rate (> -1).
    indexation : float, default 0
        Annual increase of pensions in payment.
    payments_per_year : int, default 12
        Monthly payments by default.

    Returns
    -------
    ndarray, shape (..., len(ages))
        Annuity factors at the award ages (money per unit of annual pension).

    Examples
    --------
    With ``q = 0.1`` at every age and no interest, ``10 - 11/24 = 9.5417`` at every age:

    >>> import numpy as np
    >>> from qsp.shortterm import pension_capital_factor
    >>> pension_capital_factor(np.full(5, 0.1), [1, 3], interest_rate=0.0).round(4).tolist()
    [9.5417, 9.5417]

    References
    ----------
    Iyer, S. (1999). *Actuarial Mathematics of Social Security Pensions*. ILO/ISSA, ch. 2-3.
    """
    from ..actuarial import pension_unit_cost

    factors = pension_unit_cost(mortality, interest_rate=interest_rate, indexation=indexation,
                                payments_per_year=payments_per_year)
    ages = np.asarray(ages)
    if not np.issubdtype(ages.dtype, np.integer) or np.any(ages < 0) or np.any(ages >= factors.shape[-1]):
        raise ValueError(f"ages must be whole ages between 0 and {factors.shape[-1] - 1} (the life table's ages), "
                         f"got {ages.tolist()}.")
    return factors[..., ages]


def permanent_incapacity_cost(insured, earnings, award_incidence, degree, replacement_rate, capital_factor, *,
                              ceiling=np.inf, contribution_ceiling=None) -> BranchCost:
    """Capital value of the year's new permanent-incapacity pensions of employment injury, over insurable earnings.

    ``K = sum_g N_g x a_g x delta_g x rho x min(E_g, C) x factor_g``, ``cost rate = K / S``

    with ``a`` new awards per insured person per year, ``delta`` the average degree of
    incapacity (the pension is the full-incapacity pension times the degree), ``rho`` the
    replacement rate for total incapacity and ``factor`` the annuity factor at the age of award
    (:func:`pension_capital_factor`). Under the assessment of constituted capitals (the usual
    financing of injury pensions) this capital is what the year's contributions must put aside.

    Parameters
    ----------
    insured, earnings : array_like, shape (..., group)
        As :func:`cash_benefit_cost` (groups: ages at award, earnings classes).
    award_incidence : array_like, shape (..., group)
        New permanent-incapacity awards per insured person per year (>= 0).
    degree : float or array_like, shape (..., group)
        Average degree of incapacity of the awards, in [0, 1].
    replacement_rate : float or array_like
        Pension for total incapacity as a fraction of insured earnings, in [0, 1].
    capital_factor : array_like, shape (..., group)
        Capital per 1 a year of pension at award (>= 0).
    ceiling, contribution_ceiling
        As :func:`cash_benefit_cost`.

    Returns
    -------
    BranchCost
        ``expenditure`` is the capital value of new awards; ``benefit_days`` holds the number of
        new awards.

    Examples
    --------
    1,000 insured earning 10,000; 2 awards per 1,000 a year of degree 0.5 at 60%; factor 15:
    ``2 x 0.5 x 0.6 x 10,000 x 15 = 90,000`` over 10 million, 0.9%.

    >>> from qsp.shortterm import permanent_incapacity_cost
    >>> cost = permanent_incapacity_cost([1000], [10_000], [0.002], 0.5, 0.6, [15.0])
    >>> round(float(cost.cost_rate), 6)
    0.009

    References
    ----------
    Plamondon, P. et al. (2002). *Actuarial Practice in Social Security*. ILO/ISSA (employment
    injury; the assessment of constituted capitals). ILO (1964). Convention No. 121, Art. 14.
    """
    insured = _values("insured", insured, what="number of insured persons")
    earnings = _values("earnings", earnings, what="annual earnings")
    awards = _values("award_incidence", award_incidence, what="award incidence")
    degree = _values("degree", degree, upper=1.0, what="degree of incapacity",
                     hint="Degrees are fractions (0.5 for 50% incapacity).")
    rate = _values("replacement_rate", replacement_rate, upper=1.0, what="replacement rate")
    factor = _values("capital_factor", capital_factor, what="capital factor")
    capped = insured_daily_earnings(earnings, ceiling=ceiling, days_per_year=1.0)
    insured, earnings, awards, degree, rate, factor, capped = _broadcast(
        insured=insured, earnings=earnings, award_incidence=awards, degree=degree, replacement_rate=rate,
        capital_factor=factor, ceiling=capped)
    if insured.ndim == 0:
        raise ValueError("insured and earnings need a last axis of groups (ages at award), e.g. [1000].")
    new_awards = insured * awards
    capital = (new_awards * degree * rate * capped * factor).sum(axis=-1)
    insurable = _insurable(insured, earnings, ceiling if contribution_ceiling is None else contribution_ceiling)
    return BranchCost(expenditure=capital[()], insurable_earnings=insurable[()], cost_rate=(capital / insurable)[()],
                      benefit_days=new_awards.sum(axis=-1)[()])
