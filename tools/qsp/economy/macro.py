"""The macroeconomic frame of a social budget: employment, productivity, GDP, prices, wages,
interest, government revenue and expenditure, exchange rate and PPP, year by year.

Every cost in a social budget is "beneficiaries x average benefit", and the average benefit is
tied to a wage, a price index or GDP per capita; every ratio is "cost / GDP" or "cost /
government revenue". The macro frame supplies those denominators and indices. It is the
ILO social budget model's economic module reduced to its identities (Scholz, Cichon and
Hagemejer, *Social Budgeting*, ILO/ISSA Quantitative Methods in Social Protection, 2000,
chapter 3 "The economic environment"):

- real GDP = employment x labour productivity (output per employed person, base-year prices),
  so ``1 + g_real GDP = (1 + g_employment) (1 + g_productivity)``;
- nominal GDP = real GDP x GDP deflator;
- average wage = wage share x nominal GDP / employment (or a base-year wage grown with real
  wage growth and consumer prices);
- government revenue and expenditure = their shares of GDP x nominal GDP.

Time runs along the last axis; ``years[0]`` is the base year, where every index equals 1 and
the base-year figures (nominal GDP, employment) are cited facts. A growth rate given for year
``t`` is the change from ``t - 1`` to ``t`` (its base-year entry does not enter the levels).
Leading axes are scenarios and broadcast. Money is nominal national currency per year unless
the name says ``real_`` (base-year prices); shares and rates are fractions.

Country data plugs in through :meth:`MacroAssumptions.from_mapping` (a dictionary read from a
country's data package) and scenarios through :meth:`MacroAssumptions.replace`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ._frame import long_frame
from ._series import at_base_year, batch_shape, check_years, growth_index, series

_RATE_HINT = "Rates are fractions per year (0.03 for 3%) and must be greater than -1 (-100%)."
_SHARE_HINT = "Shares are fractions (0.35 for 35%), between 0 and 1."


@dataclass(frozen=True, kw_only=True, eq=False)
class MacroAssumptions:
    """Explicit assumptions of a macroeconomic frame (one country, any number of scenarios).

    Base-year amounts have a batch shape (a plain number for one scenario). Series are a number,
    shape ``(..., 1)`` (constant per scenario) or ``(..., n_years)`` aligned with the projection
    years (first entry = base year). Rates are fractions per year.

    Employment comes from exactly one of two routes: ``employment`` (base year) grown at
    ``employment_growth``, or ``labour_force`` (a series) times ``1 - unemployment_rate``.

    Parameters
    ----------
    base_year : int
        Calendar year of the base-year figures; the projection starts there.
    nominal_gdp : array_like
        Base-year GDP at current prices, national currency per year (base-year amount). Use the
        same money unit everywhere (e.g. plain currency units, not millions, if populations are
        in persons), since GDP per capita and wages divide money by people.
    productivity_growth : array_like
        Growth of real output per employed person, per year (series).
    gdp_deflator_inflation : array_like
        Growth of the GDP deflator, per year (series).
    cpi_inflation : array_like
        Growth of the consumer price index, per year (series). Benefits indexed "to prices"
        follow this index.
    wage_share : array_like
        Labour income (compensation of employees) as a share of GDP (series). When
        ``real_wage_growth`` is given only its base-year entry is used, to set the base wage.
    nominal_interest_rate : array_like
        Nominal interest rate (e.g. long-term government bond yield), per year (series).
    revenue_share, expenditure_share : array_like
        General government revenue and expenditure as shares of GDP (series).
    exchange_rate : array_like
        Market exchange rate, national currency per US$ (series or constant).
    ppp_factor : array_like
        PPP conversion factor, national currency per international (PPP) dollar (series or
        constant). International poverty lines "in PPP$ a day" are converted with it.
    employment : array_like, optional
        Base-year employed persons (base-year amount). The count must match what the wage
        share measures: employees if ``wage_share`` is compensation of employees over GDP, all
        employed persons if it is adjusted for the self-employed.
    employment_growth : array_like, default 0
        Growth of employment per year (series); used with ``employment``.
    labour_force : array_like, optional
        Labour force in persons (series), e.g. from a labour-force projection.
    unemployment_rate : array_like, default 0
        Unemployed as a share of the labour force (series); used with ``labour_force``.
    real_wage_growth : array_like, "productivity" or None, default None
        None: the average wage is ``wage_share x GDP / employment`` every year. A series: the
        base-year wage grows with ``(1 + real wage growth) x (1 + CPI inflation)`` and the wage
        share becomes an output. ``"productivity"``: real wages grow with labour productivity.
    """

    base_year: int
    nominal_gdp: ArrayLike
    productivity_growth: ArrayLike
    gdp_deflator_inflation: ArrayLike
    cpi_inflation: ArrayLike
    wage_share: ArrayLike
    nominal_interest_rate: ArrayLike
    revenue_share: ArrayLike
    expenditure_share: ArrayLike
    exchange_rate: ArrayLike
    ppp_factor: ArrayLike
    employment: ArrayLike | None = None
    employment_growth: ArrayLike = 0.0
    labour_force: ArrayLike | None = None
    unemployment_rate: ArrayLike = 0.0
    real_wage_growth: ArrayLike | str | None = None

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> MacroAssumptions:
        """Build the assumptions from a mapping (e.g. read from a country's data package).

        Unknown keys raise a ValueError naming them, so a misspelt assumption is never ignored.
        """
        known = {field.name for field in dataclasses.fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(
                f"unknown macro assumption(s) {unknown}; the known names are {sorted(known)}."
            )
        missing = sorted(
            field.name for field in dataclasses.fields(cls)
            if field.default is dataclasses.MISSING and field.name not in values
        )
        if missing:
            raise ValueError(f"macro assumptions are missing {missing}; every one of them is required.")
        return cls(**dict(values))

    @classmethod
    def for_country(cls, country: Any, *, until: int = 2050, ppp: str = "private_consumption",
                    **overrides: Any) -> MacroAssumptions:
        """Assumptions for a kit country: base-year facts from its data package, labelled long-run assumptions.

        Levels are the country's base-year figures (nominal GDP, exchange rate, PPP factor, government
        revenue and expenditure shares); rates after the base year (productivity growth, inflation,
        interest) are the country's ``assumed_*`` rows (status "assumption" in ``economy.csv``); the
        labour force is the country's population projection times its participation rates, and
        employment = labour force x (1 - unemployment rate). :data:`qsp.data.economy.MACRO_DEFAULTS`
        says where every value comes from. Keyword ``overrides`` replace any of them (a scenario).

        Parameters
        ----------
        country : qsp.data.Country or str
            A loaded country or a name / ISO3 code for :func:`qsp.data.load_country`.
        until : int
            Last projection year; project with ``project_macro(a, years=np.arange(a.base_year, until + 1))``.
        ppp : {"private_consumption", "gdp"}
            PPP conversion factor to use (private consumption, the basis of poverty lines, by default).
        **overrides
            Any field of :class:`MacroAssumptions`.

        Raises
        ------
        ValueError
            Unknown override, ``until`` outside the data, unknown ``ppp``; MissingDatasetError (a
            ValueError) if the country has no economic files.

        Examples
        --------
        >>> import numpy as np
        >>> from qsp.economy import MacroAssumptions, project_macro
        >>> a = MacroAssumptions.for_country("GHA", until=2030, cpi_inflation=0.06)
        >>> frame = project_macro(a, years=np.arange(a.base_year, 2031))
        >>> frame.nominal_gdp.shape
        (8,)
        """
        from ..data.economy import macro_inputs

        if isinstance(country, str):
            from ..data.loader import load_country

            country = load_country(country)
        known = {field.name for field in dataclasses.fields(cls)}
        unknown = sorted(set(overrides) - known)
        if unknown:
            raise ValueError(f"unknown macro assumption(s) {unknown}; the known names are {sorted(known)}.")
        values = macro_inputs(country, until=until, ppp=ppp)
        if "employment" in overrides and "labour_force" not in overrides:
            values.pop("labour_force")
        values.update(overrides)
        return cls.from_mapping(values)

    def replace(self, **changes: Any) -> MacroAssumptions:
        """A copy with some assumptions changed (a scenario): ``base.replace(cpi_inflation=0.08)``."""
        return dataclasses.replace(self, **changes)


@dataclass(frozen=True, kw_only=True, eq=False)
class MacroFrame:
    """A projected macroeconomic frame: every field is an array of shape ``batch + (n_years,)``.

    Money is nominal national currency per year unless the name starts with ``real_`` or the
    field is ``real_gdp`` / ``productivity`` (base-year prices). Indices equal 1 in the base
    year. ``population_total`` and ``gdp_per_capita`` are None when no population was given.
    """

    years: np.ndarray
    employment: np.ndarray
    productivity: np.ndarray
    real_gdp: np.ndarray
    gdp_deflator: np.ndarray
    nominal_gdp: np.ndarray
    cpi: np.ndarray
    average_wage: np.ndarray
    real_average_wage: np.ndarray
    wage_bill: np.ndarray
    wage_share: np.ndarray
    nominal_interest_rate: np.ndarray
    real_interest_rate: np.ndarray
    revenue_share: np.ndarray
    expenditure_share: np.ndarray
    revenue: np.ndarray
    expenditure: np.ndarray
    balance: np.ndarray
    exchange_rate: np.ndarray
    ppp_factor: np.ndarray
    gdp_usd: np.ndarray
    population_total: np.ndarray | None = None
    gdp_per_capita: np.ndarray | None = None

    @property
    def batch_shape(self) -> tuple[int, ...]:
        """Shape of the scenario axes (``()`` for one scenario)."""
        return self.nominal_gdp.shape[:-1]

    @property
    def real_gdp_growth(self) -> np.ndarray:
        """Growth of real GDP into each year after the base year, shape ``batch + (n_years - 1,)``."""
        return self.real_gdp[..., 1:] / self.real_gdp[..., :-1] - 1.0

    def variables(self) -> dict[str, np.ndarray]:
        """The projected series by name (the fields other than ``years``, skipping absent ones)."""
        return {
            field.name: getattr(self, field.name)
            for field in dataclasses.fields(self)
            if field.name != "years" and getattr(self, field.name) is not None
        }

    def to_frame(self):
        """Tidy frame: one row per (scenario..., year, variable) with columns ``value``.

        Scenario columns are ``scenario`` (one batch axis) or ``scenario_0``, ``scenario_1``, ...
        """
        return long_frame(self.years, self.variables())


def project_macro(assumptions: MacroAssumptions, *, years: ArrayLike,
                  population_total: ArrayLike | None = None) -> MacroFrame:
    """Project the macroeconomic frame year by year, for every scenario at once.

    Formulas (``t = 0`` is the base year; ``idx(r)_t = prod_{s=1..t} (1 + r_s)``, ``idx_0 = 1``):

    - employment ``E_t = E_0 idx(g_E)_t``, or ``E_t = LF_t (1 - u_t)``;
    - productivity ``P_t = (Y_0 / E_0) idx(g_P)_t`` (output per employed person, base-year prices);
    - real GDP ``Y_t = E_t P_t`` (base-year prices), hence ``Y_t / Y_{t-1} = (1 + g_E)(1 + g_P)``;
    - GDP deflator ``D_t = idx(pi_D)_t``; nominal GDP ``N_t = Y_t D_t`` (``N_0`` = the base-year figure);
    - consumer prices ``CPI_t = idx(pi_C)_t``;
    - wages: ``wage_bill_t = ws_t N_t`` and ``average_wage_t = wage_bill_t / E_t``; or, with real wage
      growth ``g_w``, ``average_wage_t = (ws_0 N_0 / E_0) idx(g_w)_t CPI_t`` and ``ws_t`` implied;
    - ``real_average_wage = average_wage / CPI``; real interest ``(1 + i_t) / (1 + pi_C,t) - 1``;
    - government revenue ``rs_t N_t``, expenditure ``es_t N_t``, balance = revenue - expenditure;
    - GDP in US$ ``N_t / exchange_rate_t``; GDP per capita ``N_t / population_t``.

    Parameters
    ----------
    assumptions : MacroAssumptions
        The assumptions (see the class for units).
    years : array_like of int
        Consecutive projection years starting at ``assumptions.base_year``.
    population_total : array_like, optional
        Total population by year, shape ``(..., n_years)`` (e.g. ``projection.sum(axis=(-2, -1))``
        of a ``(..., year, sex, age)`` projection), in the same people unit as employment.

    Returns
    -------
    MacroFrame
        Every series broadcast to ``batch + (n_years,)``.

    Raises
    ------
    ValueError
        Negative or zero employment, GDP, exchange rate or PPP factor; shares outside [0, 1]; growth
        rates of -100% or less; series whose year axis does not match ``years``; batch axes that do not
        broadcast; both or neither employment route; an implied wage share above 1.

    Examples
    --------
    >>> import numpy as np
    >>> from qsp.economy import MacroAssumptions, project_macro
    >>> a = MacroAssumptions(base_year=2025, nominal_gdp=1000.0, employment=100.0, employment_growth=0.02,
    ...     productivity_growth=0.03, gdp_deflator_inflation=0.05, cpi_inflation=0.04, wage_share=0.5,
    ...     nominal_interest_rate=0.07, revenue_share=0.2, expenditure_share=0.25, exchange_rate=10.0,
    ...     ppp_factor=4.0)
    >>> frame = project_macro(a, years=np.arange(2025, 2028))
    >>> np.round(frame.real_gdp, 4)
    array([1000.    , 1050.6   , 1103.7604])

    References
    ----------
    Scholz, W., Cichon, M. and Hagemejer, K. (2000). *Social Budgeting*. Quantitative Methods in
    Social Protection Series, ILO/ISSA, Geneva, chapter 3.
    """
    if not isinstance(assumptions, MacroAssumptions):
        raise ValueError(f"assumptions must be a MacroAssumptions, got {type(assumptions).__name__}.")
    grid = check_years(years, int(assumptions.base_year))
    n_years = grid.size
    a = assumptions

    gdp0 = at_base_year("nominal_gdp", a.nominal_gdp, lower=0.0, lower_inclusive=False, what="base-year GDP",
                        hint="Base-year nominal GDP is a positive amount of national currency per year.")
    rate = dict(lower=-1.0, lower_inclusive=False, hint=_RATE_HINT)
    share = dict(lower=0.0, upper=1.0, hint=_SHARE_HINT)
    g_productivity = series("productivity_growth", a.productivity_growth, grid, what="growth rate", **rate)
    pi_deflator = series("gdp_deflator_inflation", a.gdp_deflator_inflation, grid, what="rate", **rate)
    pi_cpi = series("cpi_inflation", a.cpi_inflation, grid, what="rate", **rate)
    interest = series("nominal_interest_rate", a.nominal_interest_rate, grid, what="interest rate", **rate)
    wage_share_in = series("wage_share", a.wage_share, grid, what="share", **share)
    revenue_share = series("revenue_share", a.revenue_share, grid, what="share", **share)
    expenditure_share = series("expenditure_share", a.expenditure_share, grid, what="share", **share)
    exchange_rate = series("exchange_rate", a.exchange_rate, grid, lower=0.0, lower_inclusive=False,
                           what="value", hint="Exchange rates are positive: national currency per US$.")
    ppp_factor = series("ppp_factor", a.ppp_factor, grid, lower=0.0, lower_inclusive=False, what="PPP factor",
                        hint="PPP conversion factors are positive: national currency per international $.")

    # --- employment -------------------------------------------------------------------------
    if (a.employment is None) == (a.labour_force is None):
        raise ValueError(
            "give exactly one employment route: employment (base-year employed persons, grown at "
            "employment_growth) or labour_force (a series) with unemployment_rate; got "
            + ("both." if a.employment is not None else "neither.")
        )
    if a.employment is not None:
        employment0 = at_base_year("employment", a.employment, lower=0.0, lower_inclusive=False,
                                   what="number of employed persons",
                                   hint="Employment is a positive count of people in the base year.")
        g_employment = series("employment_growth", a.employment_growth, grid, what="growth rate", **rate)
        employment = employment0[..., None] * growth_index(g_employment, n_years)
    else:
        labour_force = series("labour_force", a.labour_force, grid, lower=0.0, lower_inclusive=False,
                              what="labour force", hint="The labour force is a positive count of people.")
        unemployment = series("unemployment_rate", a.unemployment_rate, grid, lower=0.0, upper=1.0,
                              what="unemployment rate", hint=_SHARE_HINT)
        if np.any(unemployment >= 1.0):
            raise ValueError("unemployment_rate must be below 1 (100%), or nobody would be employed.")
        employment = labour_force * (1.0 - unemployment)

    batch = batch_shape({
        "nominal_gdp": gdp0.shape, "employment": employment.shape[:-1],
        "productivity_growth": g_productivity.shape[:-1], "gdp_deflator_inflation": pi_deflator.shape[:-1],
        "cpi_inflation": pi_cpi.shape[:-1], "nominal_interest_rate": interest.shape[:-1],
        "wage_share": wage_share_in.shape[:-1], "revenue_share": revenue_share.shape[:-1],
        "expenditure_share": expenditure_share.shape[:-1], "exchange_rate": exchange_rate.shape[:-1],
        "ppp_factor": ppp_factor.shape[:-1],
    })
    full = batch + (n_years,)

    def expand(arr: np.ndarray) -> np.ndarray:
        return np.broadcast_to(arr, full).copy()

    employment = expand(employment)
    # --- output and prices ------------------------------------------------------------------
    productivity = (gdp0[..., None] / employment[..., :1]) * growth_index(g_productivity, n_years)
    real_gdp = expand(employment * productivity)
    productivity = expand(productivity)
    gdp_deflator = expand(growth_index(pi_deflator, n_years))
    nominal_gdp = real_gdp * gdp_deflator
    cpi = expand(growth_index(pi_cpi, n_years))

    # --- wages -------------------------------------------------------------------------------
    real_wage = a.real_wage_growth
    if real_wage is None:
        wage_share = expand(wage_share_in)
        wage_bill = wage_share * nominal_gdp
        average_wage = wage_bill / employment
    else:
        if isinstance(real_wage, str):
            if real_wage != "productivity":
                raise ValueError(
                    f"real_wage_growth must be None, a series of rates or 'productivity', got {real_wage!r}."
                )
            g_wage = g_productivity
        else:
            g_wage = series("real_wage_growth", real_wage, grid, what="growth rate", **rate)
        base_wage = wage_share_in[..., :1] * gdp0[..., None] / employment[..., :1]
        average_wage = expand(base_wage * growth_index(g_wage, n_years) * cpi)
        wage_bill = average_wage * employment
        wage_share = wage_bill / nominal_gdp
        if np.any(wage_share > 1.0):
            idx = tuple(np.argwhere(wage_share > 1.0)[0])
            raise ValueError(
                f"the assumed wage growth makes the wage bill exceed GDP (implied wage share "
                f"{wage_share[idx]:.3f}) in year {grid[idx[-1]]}"
                + (f", batch index {idx[:-1]}" if idx[:-1] else "")
                + "; lower real_wage_growth or raise productivity growth."
            )
    real_average_wage = average_wage / cpi

    # --- interest, government, external ------------------------------------------------------
    nominal_interest = expand(interest)
    real_interest = (1.0 + nominal_interest) / (1.0 + expand(pi_cpi)) - 1.0
    revenue_share = expand(revenue_share)
    expenditure_share = expand(expenditure_share)
    revenue = revenue_share * nominal_gdp
    expenditure = expenditure_share * nominal_gdp
    exchange_rate = expand(exchange_rate)
    ppp_factor = expand(ppp_factor)

    population = per_capita = None
    if population_total is not None:
        population = series("population_total", population_total, grid, lower=0.0, lower_inclusive=False,
                            what="population", hint="Give the total population by year, shape (..., n_years).")
        if population.shape[-1] != n_years:
            raise ValueError(
                f"population_total must give one total per projection year (last axis {n_years}), "
                f"got shape {population.shape}."
            )
        batch_shape({"macro scenarios": batch, "population_total": population.shape[:-1]})
        full_pop = np.broadcast_shapes(full, population.shape)
        population = np.broadcast_to(population, full_pop).copy()
        per_capita = nominal_gdp / population

    return MacroFrame(
        years=grid, employment=employment, productivity=productivity, real_gdp=real_gdp,
        gdp_deflator=gdp_deflator, nominal_gdp=nominal_gdp, cpi=cpi, average_wage=average_wage,
        real_average_wage=real_average_wage, wage_bill=wage_bill, wage_share=wage_share,
        nominal_interest_rate=nominal_interest, real_interest_rate=real_interest,
        revenue_share=revenue_share, expenditure_share=expenditure_share, revenue=revenue,
        expenditure=expenditure, balance=revenue - expenditure, exchange_rate=exchange_rate,
        ppp_factor=ppp_factor, gdp_usd=nominal_gdp / exchange_rate, population_total=population,
        gdp_per_capita=per_capita,
    )
