"""Definitions of the benefits of a basic social protection package.

A benefit says *who* is eligible (:class:`Eligibility`: an age band, the sexes, a status share
such as disability prevalence or the poor share, and a targeting share), *how much* each
beneficiary gets in the first projection year (:class:`BenefitLevel`: a share of GDP per capita
or an amount in PPP dollars or national currency a day, optionally capped at an international
line in PPP$ a day), how the amount moves afterwards (``indexation``), how fast the benefit
reaches its eligible population (:class:`PhaseIn`), and what administering it costs
(``admin_loading``, a share of benefit expenditure).

Cash benefits are :class:`CashBenefit`; essential health care, costed from staff per
population, wages and a non-staff mark-up, is :class:`HealthCareBenefit`. The constructors
:func:`universal_pension`, :func:`child_benefit`, :func:`employment_guarantee` and
:func:`essential_health_care` build the benefits of the ILO costing of a basic social
protection package (Pal, Behrendt, Léger, Cichon and Hagemejer 2005, updated in ILO Social
Security Policy Briefing 3, 2008); see :mod:`qsp.costing.pal2005` for the assumptions and
their sources.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike

from .._validate import check_values

INDEXATIONS = ("prices", "wages", "gdp_per_capita", "none")
"""How a benefit amount moves after the first year: with the consumer price index, the average
wage, GDP per capita, or not at all (a fixed nominal amount)."""

DAYS_PER_YEAR = 365.0
"""Days in a year used to turn daily amounts into annual ones."""

_SHARE_TRAILING = ("year", "sex", "age")


def _scalar(name: str, value, *, lower: float | None = None, lower_inclusive: bool = True,
            upper: float | None = None, what: str = "value", hint: str = "") -> float:
    arr = check_values(name, value, trailing=(), lower=lower, lower_inclusive=lower_inclusive, upper=upper,
                       what=what, hint=hint)
    if arr.ndim != 0:
        raise ValueError(f"{name} must be a single number, got an array of shape {arr.shape}.")
    return float(arr)


def _share_array(name: str, value, what: str) -> np.ndarray:
    return check_values(name, value, trailing=_SHARE_TRAILING, lower=0.0, upper=1.0, what=what,
                        hint="Shares are fractions between 0 and 1, broadcasting to (..., year, sex, age).")


@dataclass(frozen=True, kw_only=True, eq=False)
class Eligibility:
    """Who is eligible: an age band, the sexes, a status share and a targeting share.

    The eligible number in a year is ``sum over sex and ages in [min_age, max_age) of
    population x status_share x targeting_share``.

    Parameters
    ----------
    min_age : float, default 0
        First eligible age; must be the start of an age interval of the population's age grid.
    max_age : float or None, default None
        First age no longer eligible (the band is ``min_age <= age < max_age``); None means no
        upper age (the open interval "100+" included).
    sexes : tuple of int, default (0, 1)
        Eligible sexes (0 = female, 1 = male).
    status_share : array_like, default 1
        Share of the age-sex group with the qualifying status: disability prevalence, the share
        of poor households' members, the share of children who are among the first two children
        of their mother. Broadcasts to ``(..., year, sex, age)``: a number, an age profile of
        shape ``(2, n_ages)``, or a series over years of shape ``(n_years, 1, 1)``.
    targeting_share : array_like, default 1
        Share of the status group the design reaches (e.g. only the poorest 10 per cent), same
        broadcasting as ``status_share``.
    label : str, default ""
        Name of the group in outputs, e.g. ``"aged 65+"``.
    """

    min_age: float = 0.0
    max_age: float | None = None
    sexes: tuple[int, ...] = (0, 1)
    status_share: ArrayLike = 1.0
    targeting_share: ArrayLike = 1.0
    label: str = ""

    def __post_init__(self) -> None:
        _scalar("min_age", self.min_age, lower=0.0, what="age")
        if self.max_age is not None:
            _scalar("max_age", self.max_age, what="age")
            if self.max_age <= self.min_age:
                raise ValueError(
                    f"max_age ({self.max_age:g}) must be greater than min_age ({self.min_age:g}): the band "
                    f"is min_age <= age < max_age. Use max_age=None for no upper age."
                )
        sexes = tuple(int(s) for s in np.atleast_1d(self.sexes))
        if not sexes or any(s not in (0, 1) for s in sexes) or len(set(sexes)) != len(sexes):
            raise ValueError(f"sexes must list 0 (female) and/or 1 (male) once each, got {self.sexes!r}.")
        object.__setattr__(self, "sexes", sexes)
        object.__setattr__(self, "status_share", _share_array("status_share", self.status_share, "share"))
        object.__setattr__(self, "targeting_share",
                           _share_array("targeting_share", self.targeting_share, "share"))

    def overlaps(self, other: Eligibility) -> bool:
        """True when the two groups share a sex and some ages (they would be counted twice)."""
        if not set(self.sexes) & set(other.sexes):
            return False
        self_end = np.inf if self.max_age is None else self.max_age
        other_end = np.inf if other.max_age is None else other.max_age
        return self.min_age < other_end and other.min_age < self_end


@dataclass(frozen=True, kw_only=True)
class BenefitLevel:
    """The amount paid to each beneficiary in the first projection year.

    Exactly one basis gives the daily rate in the first year ``t = 0``:

    - ``share_of_gdp_per_capita``: ``share x GDP per capita_0 / 365`` (so 365 days pay the share
      of annual GDP per capita);
    - ``ppp_per_day``: ``amount x PPP factor_0`` (PPP$ a day converted to national currency);
    - ``national_per_day``: an amount of national currency a day (e.g. a minimum wage).

    An optional cap ``cap_ppp_per_day x PPP factor_0`` limits the daily rate, and the annual
    amount is ``min(rate, cap) x days``. Later years follow the benefit's indexation.

    Parameters
    ----------
    share_of_gdp_per_capita, ppp_per_day, national_per_day : float, optional
        The basis (give exactly one).
    cap_ppp_per_day : float, optional
        Cap in international dollars (PPP) a day; None for no cap.
    days : float, default 365
        Days paid in a year (365 for a continuous cash benefit, 100 for a 100-day employment
        guarantee).
    """

    share_of_gdp_per_capita: float | None = None
    ppp_per_day: float | None = None
    national_per_day: float | None = None
    cap_ppp_per_day: float | None = None
    days: float = DAYS_PER_YEAR

    def __post_init__(self) -> None:
        given = [name for name in ("share_of_gdp_per_capita", "ppp_per_day", "national_per_day")
                 if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError(
                "a BenefitLevel needs exactly one basis: share_of_gdp_per_capita, ppp_per_day or "
                f"national_per_day; got {given or 'none'}."
            )
        _scalar(given[0], getattr(self, given[0]), lower=0.0, what="amount",
                hint="Benefit amounts are zero or more.")
        if self.cap_ppp_per_day is not None:
            _scalar("cap_ppp_per_day", self.cap_ppp_per_day, lower=0.0, lower_inclusive=False, what="cap",
                    hint="A cap is a positive amount of PPP$ a day; use None for no cap.")
        _scalar("days", self.days, lower=0.0, lower_inclusive=False, upper=366.0, what="number of days",
                hint="Days paid per year are between 0 and 366.")

    def annual_amount(self, gdp_per_capita: np.ndarray, ppp_factor: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Annual amount and whether the cap binds, for first-year GDP per capita and PPP factor.

        Both inputs have a batch shape (no time axis); returns ``(amount, cap_binding)``.
        """
        if self.share_of_gdp_per_capita is not None:
            daily = self.share_of_gdp_per_capita * gdp_per_capita / DAYS_PER_YEAR
        elif self.ppp_per_day is not None:
            daily = self.ppp_per_day * ppp_factor
        else:
            daily = np.broadcast_to(np.float64(self.national_per_day),
                                    np.broadcast_shapes(np.shape(gdp_per_capita), np.shape(ppp_factor)))
        if self.cap_ppp_per_day is None:
            return daily * self.days, np.zeros(np.shape(daily), dtype=bool)
        cap = self.cap_ppp_per_day * ppp_factor
        binding = daily > cap
        return np.minimum(daily, cap) * self.days, binding


@dataclass(frozen=True, kw_only=True)
class PhaseIn:
    """Take-up rising linearly from ``initial`` to ``final`` over ``years`` years.

    ``take_up_t = initial + (final - initial) x min(t / years, 1)`` for projection year index
    ``t = 0, 1, ...``; with ``years=0`` take-up is ``final`` from the start. The default is full
    take-up from the first year.
    """

    initial: float = 1.0
    final: float = 1.0
    years: int = 0

    def __post_init__(self) -> None:
        hint = "Take-up is a fraction of the eligible population, between 0 and 1."
        _scalar("initial", self.initial, lower=0.0, upper=1.0, what="take-up", hint=hint)
        _scalar("final", self.final, lower=0.0, upper=1.0, what="take-up", hint=hint)
        if int(self.years) != self.years or self.years < 0:
            raise ValueError(f"years (the phasing-in period) must be a whole number of years >= 0, got {self.years!r}.")

    def take_up(self, n_years: int) -> np.ndarray:
        """Take-up in each projection year, shape ``(n_years,)``."""
        t = np.arange(n_years, dtype=np.float64)
        progress = np.ones(n_years) if self.years == 0 else np.minimum(t / self.years, 1.0)
        return self.initial + (self.final - self.initial) * progress


def _check_common(name: str, indexation: str | None, admin_loading: float, phase_in: PhaseIn) -> None:
    if not isinstance(name, str) or not name:
        raise ValueError(f"a benefit needs a non-empty name, got {name!r}.")
    if indexation is not None and indexation not in INDEXATIONS:
        raise ValueError(f"indexation must be one of {INDEXATIONS}, got {indexation!r}.")
    _scalar("admin_loading", admin_loading, lower=0.0, what="loading",
            hint="The administration loading is a share of benefit expenditure (0.05 for 5%).")
    if not isinstance(phase_in, PhaseIn):
        raise ValueError(f"phase_in must be a PhaseIn, got {type(phase_in).__name__}.")


@dataclass(frozen=True, kw_only=True, eq=False)
class CashBenefit:
    """A cash benefit: eligible groups, a level, indexation, phasing-in and administration.

    Expenditure in year ``t`` is ``beneficiaries_t x level_t`` with ``beneficiaries_t =
    eligible_t x take_up_t`` and ``level_t = level_0 x index_t / index_0``; administration adds
    ``admin_loading x expenditure``.

    Parameters
    ----------
    name : str
        Name in outputs.
    eligibility : Eligibility or tuple of Eligibility
        One group, or several disjoint groups that are added (e.g. everyone 65+ and the disabled
        aged 15-64).
    level : BenefitLevel
        Amount in the first projection year.
    indexation : {"prices", "wages", "gdp_per_capita", "none"}, default "prices"
        Index the amount follows after the first year.
    phase_in : PhaseIn, default full take-up at once
        Take-up of the eligible population over time.
    admin_loading : float, default 0
        Administration cost as a share of benefit expenditure.
    """

    name: str
    eligibility: Eligibility | tuple[Eligibility, ...]
    level: BenefitLevel
    indexation: str = "prices"
    phase_in: PhaseIn = field(default_factory=PhaseIn)
    admin_loading: float = 0.0

    def __post_init__(self) -> None:
        _check_common(self.name, self.indexation, self.admin_loading, self.phase_in)
        groups = (self.eligibility,) if isinstance(self.eligibility, Eligibility) else tuple(self.eligibility)
        if not groups or not all(isinstance(group, Eligibility) for group in groups):
            raise ValueError(f"{self.name}: eligibility must be an Eligibility or a tuple of them.")
        for i, first in enumerate(groups):
            for second in groups[i + 1:]:
                if first.overlaps(second):
                    raise ValueError(
                        f"{self.name}: eligible groups {first.label or first.min_age} and "
                        f"{second.label or second.min_age} share ages and sexes, so people would be counted "
                        f"twice; make the age bands disjoint (e.g. disabled 15-64 and everyone 65+)."
                    )
        object.__setattr__(self, "eligibility", groups)
        if not isinstance(self.level, BenefitLevel):
            raise ValueError(f"{self.name}: level must be a BenefitLevel, got {type(self.level).__name__}.")


@dataclass(frozen=True, kw_only=True, eq=False)
class HealthCareBenefit:
    """Essential health care costed from its staff: staff per population x wage x overheads.

    Cost per covered person in year ``t`` is ``staff_per_1000 / 1000 x wage_multiple x GDP per
    capita_t x (1 + non_staff_markup)``: the health workforce needed per person, paid a multiple
    of GDP per capita, with non-staff costs (medicines, equipment, buildings) added as a share of
    staff costs. Covered persons are the whole population times the phase-in take-up; the
    administration loading applies on top. The cost follows GDP per capita year by year (health
    wages move with the economy), so there is no separate indexation.

    Parameters
    ----------
    name : str, default "essential health care"
    staff_per_1000 : float
        Health staff (doctors, nurses, midwives...) per 1,000 population.
    wage_multiple : float
        Average annual wage of health staff as a multiple of GDP per capita.
    non_staff_markup : float
        Non-staff costs as a share of staff costs (0.5 adds 50%).
    phase_in : PhaseIn, default full coverage at once
        Share of the population covered over time.
    admin_loading : float, default 0
        Administration cost as a share of the health expenditure.
    """

    staff_per_1000: float
    wage_multiple: float
    non_staff_markup: float
    name: str = "essential health care"
    phase_in: PhaseIn = field(default_factory=PhaseIn)
    admin_loading: float = 0.0
    indexation = None

    def __post_init__(self) -> None:
        _check_common(self.name, None, self.admin_loading, self.phase_in)
        _scalar("staff_per_1000", self.staff_per_1000, lower=0.0, what="staff ratio",
                hint="Health staff per 1,000 population is zero or more (e.g. 2.3).")
        _scalar("wage_multiple", self.wage_multiple, lower=0.0, what="wage multiple",
                hint="The health wage is a multiple of GDP per capita, zero or more.")
        _scalar("non_staff_markup", self.non_staff_markup, lower=0.0, what="mark-up",
                hint="Non-staff costs are a share of staff costs, zero or more.")

    def cost_per_person(self, gdp_per_capita: np.ndarray, *, out: np.ndarray | None = None) -> np.ndarray:
        """Annual cost per covered person for a GDP per capita (any shape); written into ``out`` if given."""
        if out is None:
            return (self.staff_per_1000 / 1000.0) * self.wage_multiple * gdp_per_capita * (1.0 + self.non_staff_markup)
        np.multiply((self.staff_per_1000 / 1000.0) * self.wage_multiple, gdp_per_capita, out=out)
        out *= 1.0 + self.non_staff_markup
        return out


Benefit = CashBenefit | HealthCareBenefit


# ---------------------------------------------------------------------------------------------
# constructors of the package's benefits
# ---------------------------------------------------------------------------------------------
def universal_pension(*, disability_prevalence: ArrayLike, admin_loading: float, pension_age: float = 65,
                      working_age_start: float = 15, share_of_gdp_per_capita: float = 0.30,
                      cap_ppp_per_day: float | None = 1.0, indexation: str = "prices",
                      phase_in: PhaseIn | None = None, name: str = "universal pension") -> CashBenefit:
    """Universal basic pension for everyone ``pension_age``+ and the disabled of working age.

    Defaults are the ILO costing's: 30% of GDP per capita, capped at US$1 PPP a day, from age
    65, indexed to prices (Pal et al. 2005; ILO 2008, p. 7, where the child benefit is "half of
    the universal pension amount"). Working age for the disability part starts at 15 (the UN
    working-age band 15-64 below the pension age).

    Parameters
    ----------
    disability_prevalence : array_like
        Share of the working-age population with a qualifying disability (a country fact;
        broadcasts to ``(..., year, sex, age)``).
    admin_loading : float
        Administration cost as a share of benefit expenditure (no default: set it from the study
        you reproduce or the country's schemes).
    pension_age : float, default 65
        First age of the old-age pension.
    working_age_start : float, default 15
        First age of the disability part (which ends at ``pension_age``).
    share_of_gdp_per_capita : float, default 0.30
        Annual pension as a share of GDP per capita in the first projection year.
    cap_ppp_per_day : float or None, default 1.0
        Cap in PPP$ a day.
    indexation : str, default "prices"
        See :class:`CashBenefit`.
    phase_in : PhaseIn, optional
        Take-up path (default: everyone eligible from the first year).
    name : str, default "universal pension"

    Returns
    -------
    CashBenefit
        Two disjoint eligible groups: disabled ``working_age_start``..``pension_age - 1`` and
        everyone ``pension_age``+.

    Raises
    ------
    ValueError
        Shares outside [0, 1], a negative loading, bad ages or an unknown indexation.

    Examples
    --------
    >>> pension = universal_pension(disability_prevalence=0.02, admin_loading=0.05)
    >>> [group.label for group in pension.eligibility]
    ['disabled 15-64', 'aged 65+']

    References
    ----------
    Pal, K., Behrendt, C., Léger, F., Cichon, M. and Hagemejer, K. (2005). *Can low income countries
    afford basic social protection? First results of a modelling exercise*. Issues in Social
    Protection, Discussion Paper 13, ILO, Geneva. ILO (2008). *Can low-income countries afford basic
    social security?* Social Security Policy Briefings, Paper 3, ILO, Geneva, p. 7.
    """
    return CashBenefit(
        name=name,
        eligibility=(
            Eligibility(min_age=working_age_start, max_age=pension_age, status_share=disability_prevalence,
                        label=f"disabled {working_age_start:g}-{pension_age - 1:g}"),
            Eligibility(min_age=pension_age, label=f"aged {pension_age:g}+"),
        ),
        level=BenefitLevel(share_of_gdp_per_capita=share_of_gdp_per_capita, cap_ppp_per_day=cap_ppp_per_day),
        indexation=indexation, phase_in=phase_in or PhaseIn(), admin_loading=admin_loading,
    )


def child_benefit(*, qualifying_share: ArrayLike, admin_loading: float, max_age: float = 14,
                  share_of_gdp_per_capita: float = 0.15, cap_ppp_per_day: float | None = 0.5,
                  indexation: str = "prices", phase_in: PhaseIn | None = None,
                  name: str = "child benefit") -> CashBenefit:
    """Child benefit for children under ``max_age``, limited to two children per mother.

    Defaults are the ILO costing's: 15% of GDP per capita with a maximum of half of one US
    dollar PPP a day, increased in line with inflation, "paid for up to two children under the
    age of 14 per woman who has given birth" (ILO 2008, p. 7). The two-child limit enters, as
    in that study, through ``qualifying_share``: the proportion of children in the age group who
    qualify (who are among the first two children under 14 of their mother), which the study
    took from Demographic and Health Surveys (46.4 per cent for Cameroon, ibid.). Without a
    survey, :func:`qsp.costing.child_cap_upper_bound` gives a demographic upper bound.

    Parameters
    ----------
    qualifying_share : array_like
        Share of children aged 0..max_age-1 who qualify; broadcasts to ``(..., year, sex, age)``.
    admin_loading : float
        Administration cost as a share of benefit expenditure (no default, see
        :func:`universal_pension`).
    max_age : float, default 14
        First age no longer eligible ("under 14").
    share_of_gdp_per_capita : float, default 0.15
        Annual benefit per child as a share of GDP per capita in the first projection year.
    cap_ppp_per_day : float or None, default 0.5
        Cap in PPP$ a day.
    indexation : str, default "prices"
    phase_in : PhaseIn, optional
    name : str, default "child benefit"

    Returns
    -------
    CashBenefit

    Raises
    ------
    ValueError
        A qualifying share outside [0, 1], a negative loading, an unknown indexation.

    Examples
    --------
    >>> child = child_benefit(qualifying_share=0.464, admin_loading=0.05)   # Cameroon's DHS share
    >>> child.level.share_of_gdp_per_capita, child.level.cap_ppp_per_day, child.eligibility[0].max_age
    (0.15, 0.5, 14)

    References
    ----------
    Pal, K., Behrendt, C., Léger, F., Cichon, M. and Hagemejer, K. (2005). *Can low income countries
    afford basic social protection? First results of a modelling exercise*. Issues in Social
    Protection, Discussion Paper 13, ILO, Geneva. ILO (2008). *Can low-income countries afford basic
    social security?* Social Security Policy Briefings, Paper 3, ILO, Geneva, p. 7.
    """
    return CashBenefit(
        name=name,
        eligibility=Eligibility(min_age=0, max_age=max_age, status_share=qualifying_share,
                                label=f"children under {max_age:g} (first two per mother)"),
        level=BenefitLevel(share_of_gdp_per_capita=share_of_gdp_per_capita, cap_ppp_per_day=cap_ppp_per_day),
        indexation=indexation, phase_in=phase_in or PhaseIn(), admin_loading=admin_loading,
    )


def employment_guarantee(*, target_share: ArrayLike, admin_loading: float, daily_wage: BenefitLevel | None = None,
                         daily_wage_ppp: float | None = None, daily_wage_national: float | None = None,
                         daily_wage_share_of_gdp_per_capita: float | None = None, days: float = 100,
                         min_age: float = 15, max_age: float = 65, indexation: str = "prices",
                         phase_in: PhaseIn | None = None, name: str = "employment guarantee") -> CashBenefit:
    """A guarantee of ``days`` days of paid work a year for a targeted share of working-age people.

    Expenditure is ``participants x days x daily wage`` with ``participants = working-age
    population x target_share x take-up``. The default of 100 days is the ILO costing's
    employment guarantee (Pal et al. 2005).

    Parameters
    ----------
    target_share : array_like
        Share of the working-age population reached (e.g. members of the poorest households);
        broadcasts to ``(..., year, sex, age)``.
    admin_loading : float
        Administration cost as a share of the wages paid (no default, see :func:`universal_pension`).
    daily_wage : BenefitLevel, optional
        The daily wage as a full :class:`BenefitLevel` (its ``days`` are the days worked).
    daily_wage_ppp, daily_wage_national, daily_wage_share_of_gdp_per_capita : float, optional
        Or the daily wage as PPP$ a day, national currency a day (e.g. the minimum wage), or a
        share of GDP per capita per day (``share x GDP per capita / 365``). Give exactly one.
    days : float, default 100
        Days of work guaranteed a year.
    min_age, max_age : float, default 15 and 65
        Working-age band ``min_age <= age < max_age``.
    indexation : str, default "prices"
    phase_in : PhaseIn, optional
    name : str, default "employment guarantee"

    Returns
    -------
    CashBenefit

    Raises
    ------
    ValueError
        No daily wage or more than one, a target share outside [0, 1], a negative loading.

    Examples
    --------
    >>> works = employment_guarantee(target_share=0.1, admin_loading=0.1, daily_wage_ppp=1.0)
    >>> works.level.days, works.level.ppp_per_day
    (100, 1.0)

    References
    ----------
    Pal, K., Behrendt, C., Léger, F., Cichon, M. and Hagemejer, K. (2005). *Can low income countries
    afford basic social protection? First results of a modelling exercise*. Issues in Social
    Protection, Discussion Paper 13, ILO, Geneva. ILO (2008). *Can low-income countries afford basic
    social security?* Social Security Policy Briefings, Paper 3, ILO, Geneva, p. 7.
    """
    bases = {"ppp_per_day": daily_wage_ppp, "national_per_day": daily_wage_national,
             "share_of_gdp_per_capita": daily_wage_share_of_gdp_per_capita}
    if daily_wage is None:
        level = BenefitLevel(days=days, **{key: value for key, value in bases.items() if value is not None})
    else:
        if any(value is not None for value in bases.values()):
            raise ValueError("give the daily wage either as daily_wage=BenefitLevel(...) or with one of the "
                             "daily_wage_* numbers, not both.")
        level = daily_wage
    return CashBenefit(
        name=name,
        eligibility=Eligibility(min_age=min_age, max_age=max_age, status_share=target_share,
                                label=f"targeted {min_age:g}-{max_age - 1:g}"),
        level=level, indexation=indexation, phase_in=phase_in or PhaseIn(), admin_loading=admin_loading,
    )


def essential_health_care(*, staff_per_1000: float, wage_multiple: float, non_staff_markup: float,
                          admin_loading: float = 0.0, phase_in: PhaseIn | None = None,
                          name: str = "essential health care") -> HealthCareBenefit:
    """Essential health care for the whole population, costed from its staff.

    Cost per covered person ``staff_per_1000 / 1000 x wage_multiple x GDP per capita x
    (1 + non_staff_markup)`` (see :class:`HealthCareBenefit`). The ILO costing used this
    structure (staff per population, health wages and non-staff costs); its ratios are inputs
    here because this kit could not verify them (see :mod:`qsp.costing.pal2005`).

    Parameters
    ----------
    staff_per_1000 : float
        Health staff per 1,000 population.
    wage_multiple : float
        Health staff wage as a multiple of GDP per capita.
    non_staff_markup : float
        Non-staff costs as a share of staff costs.
    admin_loading : float, default 0
        Administration cost as a share of health expenditure.
    phase_in : PhaseIn, optional
        Coverage path (default: the whole population from the first year).
    name : str, default "essential health care"

    Returns
    -------
    HealthCareBenefit

    Raises
    ------
    ValueError
        Negative ratios or loading.

    Examples
    --------
    >>> care = essential_health_care(staff_per_1000=2.0, wage_multiple=3.0, non_staff_markup=0.5)
    >>> float(care.cost_per_person(1000.0))     # 2 / 1000 x 3 x 1000 x 1.5
    9.0

    References
    ----------
    Pal, K., Behrendt, C., Léger, F., Cichon, M. and Hagemejer, K. (2005). *Can low income countries
    afford basic social protection? First results of a modelling exercise*. Issues in Social
    Protection, Discussion Paper 13, ILO, Geneva. ILO (2008). *Can low-income countries afford basic
    social security?* Social Security Policy Briefings, Paper 3, ILO, Geneva, p. 7.
    """
    return HealthCareBenefit(name=name, staff_per_1000=staff_per_1000, wage_multiple=wage_multiple,
                             non_staff_markup=non_staff_markup, admin_loading=admin_loading,
                             phase_in=phase_in or PhaseIn())
