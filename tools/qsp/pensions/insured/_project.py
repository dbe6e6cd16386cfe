"""The projection loop: resolve the inputs once, run the steps of each year over the state, collect the result."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ..benefits import BenefitRules
from ..membership import PENSION_TYPES, Membership
from ._inputs import Assumptions, resolve
from ._result import InsuredProjection
from ._steps import STEPS, State, Year, put_stocks


def project_insured(
    membership: Membership,
    rules: BenefitRules,
    *,
    n_years: int,
    mortality,
    new_entrants: ArrayLike = 0.0,
    entrant_distribution: ArrayLike | None = None,
    disability_incidence: ArrayLike = 0.0,
    withdrawal_rate: ArrayLike = 0.0,
    reentry_rate: ArrayLike = 0.0,
    exit_rate: ArrayLike = 0.0,
    exit_service_factor: ArrayLike | None = None,
    early_retirement_rate: ArrayLike = 0.0,
    contribution_density: ArrayLike = 1.0,
    retirement_age: ArrayLike | None = None,
    wages: ArrayLike | None = None,
    wage_growth: ArrayLike = 0.0,
    price_inflation: ArrayLike = 0.0,
    past_wage_growth: ArrayLike | None = None,
    wage_ceiling: float | None = None,
    proportion_married: ArrayLike = 0.0,
    spouse_age_difference: int = 3,
    orphans_per_death: ArrayLike = 0.0,
    parent_age_gap: int = 30,
    disabled_mortality=None,
    exposure: str = "average",
    start_year: int | None = None,
    detail: str = "age",
    engine: str = "auto",
) -> InsuredProjection:
    """Project actives, inactives and pensioners of a defined-benefit scheme year by year.

    See the module docstring for the order of events within a year and the formulas. Assumptions
    by sex and age are ``(sex, age)`` arrays on the age grid of ``mortality`` (constant over
    time), or ``(..., year, sex, age)`` with a year axis of ``n_years`` (or 1) entries; leading
    axes are scenarios and broadcast. Quantities by year are a number, ``(..., 1)`` or
    ``(..., n_years)`` (entry k for projection year k + 1).

    Parameters
    ----------
    membership : Membership
        The valuation-date membership (:func:`load_membership`, :func:`membership_from_arrays`).
    rules : BenefitRules
        The benefit provisions.
    n_years : int
        Number of projection years.
    mortality : array_like or LifeTable
        Probabilities of dying within the year ``q_x`` by sex and age (e.g.
        ``qsp.demography.life_table(mx).qx``), applied to everyone (age at the start of the year).
    new_entrants : float or array_like, default 0
        Number of new entrants in each year (>= 0).
    entrant_distribution : array_like, optional
        Shares of the entrants by sex and age (each year's shares sum to 1), zero below
        ``membership.min_entry_age`` and at or above the retirement age. Required with entrants.
    disability_incidence, withdrawal_rate, reentry_rate : array_like, default 0
        Probabilities per year by sex and age (see the module docstring), in [0, 1].
        ``withdrawal_rate`` moves actives to the inactive insured (they keep their service and
        rights).
    exit_rate : array_like, default 0
        Probability per year by sex and age that an active member (alive and not disabled)
        leaves the insured population with a lump-sum settlement ``rules.settlement_rate x n x
        W`` (e.g. migrant workers leaving the country), in [0, 1]. Default 0: nobody exits.
    exit_service_factor : array_like, shape (k,), optional
        Share of ``exit_rate`` that applies at credited service ``0 .. k-1`` (the last entry for
        all longer service), in [0, 1]: e.g. ``np.arange(40) < 15`` lets only members without
        15 years exit (a service band). Default None: the same rate at every service.
    early_retirement_rate : array_like, default 0
        Probability by sex and age that an active or inactive member who may retire early
        (aged from ``rules.early_retirement_age`` to the retirement age, with
        ``rules.early_minimum_years`` of service) retires at the start of the year, in [0, 1].
        Needs ``rules.early_retirement_age``.
    contribution_density : array_like, default 1
        Share of the year an active member contributes, by sex and age, in [0, 1]: it scales the
        contributors and the service credited (a fraction ``d`` of each cell gains a year).
    retirement_age : int, sequence, (year, sex) array or mapping, optional
        Age at which members retire, one per year if it changes, by sex if it differs
        (``{"female": 55, "male": 60}``; the forms of :func:`~qsp.pensions.benefits.ages_by_sex`);
        default the rules' ``normal_retirement_age``. Must lie on the age grid, above
        ``min_entry_age``.
    wages : array_like, shape (..., sex, age), optional
        Annual wage by sex and age in year 0 (the wage profile, salary scale times the average
        wage). Default: :meth:`Membership.wage_by_age`.
    wage_growth, price_inflation : float or array_like, default 0
        Nominal growth of wages and prices in each projection year (> -1).
    past_wage_growth : float or array_like, optional
        Wage growth assumed for the years before the valuation date, used by final-average
        reference wages (default: the growth of the first projection year).
    wage_ceiling : float, optional
        Insurable earnings ceiling as a multiple of the average wage (e.g. 2.5); default none.
    proportion_married : array_like, default 0
        Probability that a deceased member or pensioner of that sex and age leaves an eligible
        widow(er). There is no neutral default: 0 means no survivors' pensions.
    spouse_age_difference : int, default 3
        Years by which husbands are older than their wives.
    orphans_per_death : array_like, default 0
        Expected number of eligible orphans left by a deceased of that sex and age (>= 0).
    parent_age_gap : int, default 30
        Age of the deceased minus the age of the orphans.
    disabled_mortality : array_like or LifeTable, optional
        ``q_x`` of disability pensioners (default ``mortality``).
    exposure : {"average", "start"}, default "average"
        Members counted in the flows of a year: the average of the start and the end of the year
        (after retirement and entry at the start), or the start only.
    start_year : int, optional
        Calendar label of projection year 1 (default: years labelled 1..n).
    detail : {"age", "total"}, default "age"
        Keep stocks and flows by (sex, age), or only their totals (for large batches).
    engine : {"auto", "numpy", "numba"}, default "auto"
        How the yearly update of the service distributions (ageing, credit of service), the
        sums of the pensions awarded and the pensioners' year are computed: with numpy, or with
        the optional compiled kernels (numba, one pass each). The engines agree to rounding (1e-10
        relative). ``"auto"`` uses numba when it is installed and either the kernels have already
        run in this session or the projection is large (at least ``_NUMBA_MIN_VALUES`` service
        cells x years, about 3 scenarios of 75 years) and numba is already imported; otherwise
        numpy (importing numba takes about a second). ``"numba"`` always uses it (compiling once
        per installation, a few seconds); the environment variable ``QSP_DISABLE_NUMBA=1`` turns
        it off, as in a Python without numba (see :mod:`qsp.demography._engine`).

    Returns
    -------
    InsuredProjection
        Stocks at dates 0..n, flows of years 1..n, ``.conservation()``, ``.to_frame()``.

    Raises
    ------
    ValueError
        Probabilities outside [0, 1], negative entrants, a retirement age outside the age grid
        (or not above ``min_entry_age``), an early-retirement rate without an early-retirement
        age, an exit service factor outside [0, 1], entrant shares that do not sum to 1 or fall outside the
        working ages, mortality on another age grid than the membership, unknown options, shapes
        that do not broadcast; each naming the argument and the year, sex and age;
        ``engine="numba"`` without numba.

    Examples
    --------
    >>> import numpy as np
    >>> from qsp.pensions import BenefitRules, membership_from_arrays, project_insured
    >>> actives = np.zeros((2, 101, 86))
    >>> actives[:, 40, 20] = 1000.0                      # 1,000 women and 1,000 men aged 40, 20 years' service
    >>> members = membership_from_arrays(actives, active_wages=np.full((2, 101, 86), 12000.0))
    >>> qx = np.broadcast_to(np.minimum(0.0005 * np.exp(0.08 * np.arange(101)), 1.0), (2, 101))
    >>> rules = BenefitRules(accrual_rate=0.02, normal_retirement_age=60)
    >>> result = project_insured(members, rules, n_years=30, mortality=qx, wages=np.full((2, 101), 12000.0),
    ...                          exposure="start")
    >>> result.number_of_contributors[[0, 19]].round(1).tolist()
    [2000.0, 1171.4]
    >>> int(result.total(result.new_pensioners["old_age"])[20])       # all survivors retire in year 21
    1105
    >>> float(result.new_pension_amounts["old_age"][20].sum() / result.new_pensioners["old_age"][20].sum())
    9600.0

    References
    ----------
    Plamondon, P., Drouin, A., Binet, G., Cichon, M., McGillivray, W. R., Bédard, M. and
    Perez-Montas, H. (2002). *Actuarial Practice in Social Security*. ILO/ISSA, Quantitative
    Methods in Social Protection, ch. 4-6 (projection of the insured population, benefits).
    Iyer, S. (1999). *Actuarial Mathematics of Social Security Pensions*. ILO/ISSA, ch. 2-4.
    ILO (1997). *The ILO Pension Model: A Technical Guide*. Geneva, ILO.
    """
    arguments = dict(locals())                   # every keyword argument, checked and resolved once
    a = resolve(**arguments)
    s = State(a)
    put_stocks(a, s)
    for t in range(a.n_years):
        y = Year(t)
        for step in STEPS:
            step(a, s, y)
    return _result(a, s)


def _result(a: Assumptions, s: State) -> InsuredProjection:
    """The :class:`InsuredProjection` of the recorded stocks and flows and the final state."""
    n_years, record, stock, layout = a.n_years, s.record, s.stock, a.layout
    labels = np.arange(1, n_years + 1) if a.start_year is None else int(a.start_year) + np.arange(n_years)

    def full_service(state):
        public = layout.public(state)
        out = np.zeros(public.shape[:-2] + (a.n_age, a.n_service))
        out[..., a.members, :] = public
        return out

    lump = np.stack(np.broadcast_arrays(*s.lump_sums), axis=-1)
    settled = np.zeros(lump.shape) if not a.has_exits else np.broadcast_to(
        np.stack(np.broadcast_arrays(*s.settlements), axis=-1), lump.shape)
    no_flow = np.zeros(np.shape(record.stacked("entrants")))           # a flow that the options leave empty
    retire = a.retire
    same_for_both = bool(np.all(retire[:, 0] == retire[:, 1]))
    flows = {name: record.stacked(name) for name in (
        "contributors", "covered_wages", "insurable_earnings", "entrants", "deaths_active", "deaths_inactive",
        "disabled", "disability_grants", "withdrawals", "reentries", "retired_active", "retired_inactive",
        "retirement_grants", "orphans_ending")}
    by_type = {field: {name: recorder.stacked(f"{prefix}_{name}") for name in PENSION_TYPES}
               for field, recorder, prefix in (
                   ("pensioners", stock, "pensioners"), ("pension_amounts", stock, "amounts"),
                   ("pensioners_exposed", record, "exposed"), ("expenditure", record, "expenditure"),
                   ("new_pensioners", record, "new"), ("new_pension_amounts", record, "new_amount"),
                   ("pensioner_deaths", record, "deaths"))}
    return InsuredProjection(
        years=labels,
        ages=a.ages,
        actives=stock.stacked("actives"),
        inactives=stock.stacked("inactives"),
        **by_type,
        **flows,
        lump_sums=lump,
        average_wage=a.average_wage,
        wage_index=a.index,
        final_actives=full_service(s.actives),
        final_inactives=full_service(s.inactives),
        retirement_age=retire[:, 0].copy() if same_for_both else retire.copy(),
        exposure=a.exposure,
        detail=a.detail,
        exits=record.stacked("exits") if a.has_exits else no_flow,
        settlements=settled,
        early_retired_active=record.stacked("early_retired_active") if a.early_age is not None else no_flow,
        early_retired_inactive=record.stacked("early_retired_inactive") if a.early_age is not None else no_flow,
        retirement_age_by_sex=retire.copy(),
    )
