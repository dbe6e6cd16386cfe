"""Risk: the projection of a pension scheme over a batch of stochastic scenarios, in one run.

Three pieces:

1. :func:`stochastic_assumptions` draws ``n`` scenarios of the economy and, optionally, of
   mortality, as arrays ``(n, n_years)`` (and ``(n, n_years, sex, age)`` for ``q_x``):

   - the economy: ``z_t = (ln(1 + pi_t), ln(1 + w_t), ln(1 + r_t))`` (price inflation, real
     wage growth, real rate of return) follows a vector autoregression of order 1 with a
     diagonal persistence, ``z_t - mu = Phi (z_{t-1} - mu) + e_t``, ``e_t ~ N(0, D C D)``
     (``D`` the volatilities, ``C`` the correlations), ``z_0 = mu`` (the valuation year at the
     median). Nominal wage growth is ``(1 + pi_t)(1 + w_t) - 1`` and the nominal rate of
     return ``(1 + pi_t)(1 + r_t) - 1``: modelled on the log scale, every rate stays above
     -1, and with zero volatility the rates are exactly the medians given (the inputs of a
     deterministic valuation). This is the autoregressive form of Wilkie's (1986) inflation
     model, applied to three series;
   - mortality: ``n`` paths of the Lee-Carter (1992) random walk with drift
     (:meth:`qsp.demography.LeeCarter.forecast` with ``n_draws=n``), turned into ``q_x`` by
     :func:`qsp.demography.life_table`.

2. :func:`stochastic_valuation` runs :func:`~qsp.pensions.project_insured` and
   :func:`~qsp.pensions.value_scheme` once on the whole batch: the scenario axis is the leading
   batch axis of every rate (wage growth, inflation, interest, mortality), so nothing loops over
   scenarios. Scenario ``i`` of the batch is the valuation of scenario ``i`` alone.

3. Summaries over the scenario axis (axis 0): :func:`fan` (quantile bands over time, what a fan
   chart draws) and :func:`probability_exhausted` (share of scenarios whose reserve is
   exhausted on or before each year); :meth:`StochasticValuation.plot` draws a fan chart with
   :func:`qsp.plots.fan_chart`.

The default parameters of the economy are ILLUSTRATIVE TEACHING ASSUMPTIONS, not estimates for
any country: replace them with the scheme's own (the actuary's long-term assumptions for the
medians; volatilities, persistence and correlations estimated from the country's series).

References
----------
Wilkie, A. D. (1986). A stochastic investment model for actuarial use. *Transactions of the
Faculty of Actuaries* 39: 341-403 (autoregressive model of inflation).
Lee, R. D. and Carter, L. R. (1992). Modeling and forecasting U.S. mortality. *Journal of the
American Statistical Association* 87(419): 659-671.
Plamondon, P. et al. (2002). *Actuarial Practice in Social Security*. ILO/ISSA, Quantitative
Methods in Social Protection (sensitivity of the financial projection to its assumptions).
Hyndman, R. J. and Fan, Y. (1996). Sample quantiles in statistical packages. *The American
Statistician* 50(4): 361-365 (the quantile definitions).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from .._validate import check_values
from .benefits import BenefitRules
from .insured import project_insured
from .membership import Membership
from .valuation import SchemeValuation, value_scheme

ECONOMIC_VARIABLES = ("price_inflation", "real_wage_growth", "real_return")
"""The three series of the economic model, in the order of its vector (and of ``correlation``)."""

DEFAULT_MEDIANS = (0.04, 0.015, 0.03)
"""Illustrative medians: price inflation 4%, real wage growth 1.5%, real rate of return 3% a year."""
DEFAULT_VOLATILITY = (0.015, 0.015, 0.06)
"""Illustrative standard deviations of the yearly innovations of ``ln(1 + rate)``."""
DEFAULT_PERSISTENCE = (0.6, 0.3, 0.0)
"""Illustrative AR(1) coefficients: inflation persistent, real wages a little, real returns independent."""
DEFAULT_CORRELATION = ((1.0, -0.3, -0.3), (-0.3, 1.0, 0.2), (-0.3, 0.2, 1.0))
"""Illustrative correlations of the innovations: unexpected inflation lowers real wages and real returns."""

_FROM_ASSUMPTIONS = ("wage_growth", "price_inflation", "n_years")


# ---------------------------------------------------------------------------------------------
# scenarios
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class StochasticAssumptions:
    """Scenarios of the economy (and of mortality) drawn by :func:`stochastic_assumptions`.

    Attributes
    ----------
    years : ndarray, shape (n_years,)
        Labels of the projection years (1..n unless ``start_year`` was given).
    price_inflation, real_wage_growth, real_return : ndarray, shape (n, n_years)
        The three modelled series (fractions per year).
    wage_growth, interest_rate : ndarray, shape (n, n_years)
        Nominal wage growth ``(1 + pi)(1 + w) - 1`` and nominal rate of return ``(1 + pi)(1 + r) - 1``.
    mortality : ndarray or None, shape (n, n_years, sex, age)
        Probabilities of dying ``q_x`` of each scenario and year, or None (deterministic mortality).
    seed : object
        The seed the scenarios were drawn with.
    """

    years: np.ndarray
    price_inflation: np.ndarray
    real_wage_growth: np.ndarray
    real_return: np.ndarray
    wage_growth: np.ndarray
    interest_rate: np.ndarray
    mortality: np.ndarray | None
    seed: object = None

    @property
    def n_scenarios(self) -> int:
        """Number of scenarios (the leading axis)."""
        return self.wage_growth.shape[0]

    @property
    def n_years(self) -> int:
        """Number of projection years."""
        return self.years.size

    @property
    def price_index(self) -> np.ndarray:
        """Prices at the end of each year relative to the valuation date, ``prod_{s<=t} (1 + pi_s)``, (n, n_years)."""
        return np.cumprod(1.0 + self.price_inflation, axis=-1)

    def select(self, index) -> StochasticAssumptions:
        """The scenarios ``index`` (an int, a slice or an array of positions), keeping the scenario axis.

        ``assumptions.select(i)`` is scenario ``i`` alone, as a batch of one.
        """
        if isinstance(index, (int, np.integer)):
            if not -self.n_scenarios <= int(index) < self.n_scenarios:
                raise ValueError(f"index {int(index)} is outside the {self.n_scenarios} scenarios "
                                 f"(0..{self.n_scenarios - 1}).")
            position = int(index) % self.n_scenarios
            index = slice(position, position + 1)

        def pick(values):
            return None if values is None else values[index]

        return StochasticAssumptions(years=self.years, price_inflation=pick(self.price_inflation),
                                     real_wage_growth=pick(self.real_wage_growth), real_return=pick(self.real_return),
                                     wage_growth=pick(self.wage_growth), interest_rate=pick(self.interest_rate),
                                     mortality=pick(self.mortality), seed=self.seed)

    def to_frame(self):
        """Tidy long :class:`pandas.DataFrame`: scenario, year, variable, value.

        Variables: price_inflation, real_wage_growth, real_return, wage_growth, interest_rate (and
        ``deaths_per_1000_alive_65``, the average ``1000 q_65`` of the two sexes, with stochastic mortality).
        """
        from ..economy._frame import long_frame

        variables = {name: getattr(self, name) for name in ECONOMIC_VARIABLES + ("wage_growth", "interest_rate")}
        if self.mortality is not None and self.mortality.shape[-1] > 65:
            variables["deaths_per_1000_alive_65"] = 1000.0 * self.mortality[..., 65].mean(axis=-1)
        return long_frame(self.years, variables)


def _triple(name: str, value, *, lower: float | None, lower_inclusive: bool = True, upper: float | None = None,
            what: str) -> np.ndarray:
    """Three numbers, one per economic variable (a single number is used for all three)."""
    arr = check_values(name, value, trailing=("variable",), lower=lower, lower_inclusive=lower_inclusive, upper=upper,
                       what=what)
    if arr.shape not in ((), (3,)):
        raise ValueError(f"{name} must be one number or three, one per variable {ECONOMIC_VARIABLES}; got shape "
                         f"{arr.shape}.")
    return np.broadcast_to(arr, (3,)).astype(float)


def _correlation(value) -> np.ndarray:
    matrix = check_values("correlation", value, trailing=("variable", "variable"), lower=-1.0, upper=1.0,
                          what="correlation")
    if matrix.shape != (3, 3):
        raise ValueError(f"correlation must be a 3 x 3 matrix over {ECONOMIC_VARIABLES}, got shape {matrix.shape}.")
    if not np.allclose(matrix, matrix.T, rtol=0, atol=1e-12):
        i, j = (int(k) for k in np.argwhere(~np.isclose(matrix, matrix.T, rtol=0, atol=1e-12))[0])
        raise ValueError(f"correlation must be symmetric, but entry ({i}, {j}) is {matrix[i, j]:g} and entry "
                         f"({j}, {i}) is {matrix[j, i]:g}.")
    if not np.allclose(np.diag(matrix), 1.0):
        raise ValueError(f"correlation must have ones on its diagonal, got {np.diag(matrix).tolist()}.")
    if np.linalg.eigvalsh(matrix).min() < -1e-12:
        raise ValueError("correlation is not positive semi-definite (no three series can have these correlations): "
                         "make the off-diagonal entries smaller in absolute value.")
    return matrix


def _mortality_draws(model, n: int, n_years: int, rng: np.random.Generator, jump_off: str) -> np.ndarray:
    """``q_x`` of ``n`` Lee-Carter paths, shape ``(n, n_years, 2, n_age)``."""
    from ..demography import life_table
    from ..demography.lee_carter import LeeCarter, LeeCarterForecast

    if isinstance(model, LeeCarter):
        forecast = model.forecast(n_years, n_draws=n, seed=rng, jump_off=jump_off)
    elif isinstance(model, LeeCarterForecast):
        forecast = model
    else:
        raise ValueError(f"mortality must be a fitted Lee-Carter model (qsp.demography.fit_lee_carter) or its "
                         f"forecast with draws, got {type(model).__name__}.")
    draws = forecast.mx_draws
    if draws is None:
        raise ValueError("mortality is a Lee-Carter forecast without draws: forecast with n_draws=n (or pass the "
                         "fitted model and let stochastic_assumptions draw them).")
    if not forecast.has_sex_axis or draws.ndim != 4:
        raise ValueError(f"mortality must be a two-sex Lee-Carter model on single ages (draws of shape (n_draws, "
                         f"year, sex, age)), got draws of shape {draws.shape}: fit both sexes together.")
    if draws.shape[0] < n or draws.shape[1] < n_years:
        raise ValueError(f"the Lee-Carter forecast has {draws.shape[0]} draws over {draws.shape[1]} years, but "
                         f"{n} scenarios over {n_years} years are needed.")
    ages = np.asarray(forecast.ages)
    if not np.array_equal(ages, np.arange(ages.size)):
        raise ValueError(f"the Lee-Carter model must be fitted on single ages 0, 1, ..., omega (the projection's "
                         f"age grid), got ages {ages[:4].tolist()}...{ages[-1:].tolist()}.")
    return life_table(draws[:n, :n_years]).qx


def stochastic_assumptions(
    n: int,
    *,
    n_years: int,
    seed=None,
    medians: ArrayLike = DEFAULT_MEDIANS,
    volatility: ArrayLike = DEFAULT_VOLATILITY,
    persistence: ArrayLike = DEFAULT_PERSISTENCE,
    correlation: ArrayLike = DEFAULT_CORRELATION,
    mortality=None,
    mortality_jump_off: str = "observed",
    start_year: int | None = None,
) -> StochasticAssumptions:
    """Draw ``n`` scenarios of inflation, wage growth and investment returns (and of mortality) per year.

    ``z_t = (ln(1 + pi_t), ln(1 + w_t), ln(1 + r_t))`` (price inflation, real wage growth, real
    rate of return) follows ``z_t - mu = Phi (z_{t-1} - mu) + e_t`` with ``mu = ln(1 + medians)``,
    ``Phi = diag(persistence)``, ``e_t ~ N(0, D C D)``, ``D = diag(volatility)``, ``C =
    correlation``, and ``z_0 = mu``. The stationary standard deviation of each ``z`` is
    ``volatility / sqrt(1 - persistence^2)``. Nominal wage growth is ``(1 + pi)(1 + w) - 1`` and
    the nominal return ``(1 + pi)(1 + r) - 1``. With ``volatility=0`` every scenario is the
    deterministic path at the medians.

    Parameters
    ----------
    n : int
        Number of scenarios (>= 1).
    n_years : int
        Number of projection years (>= 1).
    seed : int, numpy.random.Generator or None
        Seed of the random numbers (``numpy.random.default_rng(seed)``). Two independent streams
        are spawned from it, one for the economy and one for mortality, so the economic paths
        of the first ``k`` scenarios are the same for every ``n >= k``.
    medians : three floats, default (0.04, 0.015, 0.03)
        Medians of price inflation, real wage growth and the real rate of return (fractions per
        year, each > -1): the values of a deterministic valuation. ILLUSTRATIVE defaults.
    volatility : one or three floats, default (0.015, 0.015, 0.06)
        Standard deviations of the yearly innovations of ``ln(1 + rate)`` (>= 0). ILLUSTRATIVE.
    persistence : one or three floats, default (0.6, 0.3, 0.0)
        AR(1) coefficients, in (-1, 1). ILLUSTRATIVE (0.6 for inflation is of the order of
        Wilkie's 1986 estimate for UK prices; returns independent from year to year).
    correlation : 3 x 3 array_like, default DEFAULT_CORRELATION
        Correlations of the innovations, symmetric, unit diagonal, positive semi-definite.
        ILLUSTRATIVE default: -0.3 between inflation and each real series, 0.2 between real
        wages and real returns.
    mortality : LeeCarter or LeeCarterForecast, optional
        A two-sex Lee-Carter model fitted on single ages 0..omega
        (:func:`qsp.demography.fit_lee_carter`), whose forecast over ``n_years`` is drawn ``n``
        times, year 1 of the projection being the first year after the fitted years; or a
        forecast with at least ``n`` draws and ``n_years`` years (the first ones are used). The
        death rates become ``q_x`` through :func:`qsp.demography.life_table` (its default
        a0 rule, ``a_x = 1/2`` at other ages, ``q = 1`` in the open age). Default: none
        (the valuation's deterministic mortality is used).
    mortality_jump_off : {"observed", "fitted"}, default "observed"
        Jump-off of the Lee-Carter forecast: from the observed rates of the last fitted year
        (Lee and Miller 2001, no jump between the last observed and first projected year) or
        from the fitted ones (Lee and Carter 1992).
    start_year : int, optional
        Calendar label of projection year 1 (default: years labelled 1..n_years).

    Returns
    -------
    StochasticAssumptions
        Arrays ``(n, n_years)`` (mortality ``(n, n_years, 2, n_age)``), ``.select(i)``,
        ``.to_frame()``.

    Raises
    ------
    ValueError
        A non-positive ``n`` or ``n_years``, a median of -1 or less, a negative volatility, a
        persistence outside (-1, 1), a correlation matrix that is not symmetric, unit-diagonal
        and positive semi-definite, or a mortality model that is not a two-sex Lee-Carter model
        on single ages with enough draws.

    Examples
    --------
    >>> from qsp.pensions import stochastic_assumptions
    >>> scenarios = stochastic_assumptions(1000, n_years=30, seed=1)
    >>> scenarios.wage_growth.shape
    (1000, 30)
    >>> still = stochastic_assumptions(3, n_years=2, seed=1, volatility=0.0)
    >>> still.interest_rate.round(6).tolist()          # 1.04 x 1.03 - 1 every year
    [[0.0712, 0.0712], [0.0712, 0.0712], [0.0712, 0.0712]]

    References
    ----------
    Wilkie (1986), Lee and Carter (1992); Lee, R. D. and Miller, T. (2001). Evaluating the
    performance of the Lee-Carter method for forecasting mortality. *Demography* 38(4): 537-549.
    """
    for name, value in (("n", n), ("n_years", n_years)):
        if isinstance(value, bool) or int(value) != value or value < 1:
            raise ValueError(f"{name} must be a whole number of at least 1, got {value!r}.")
    n, n_years = int(n), int(n_years)
    mu = np.log1p(_triple("medians", medians, lower=-1.0, lower_inclusive=False, what="median rate"))
    sigma = _triple("volatility", volatility, lower=0.0, what="volatility")
    phi = _triple("persistence", persistence, lower=-1.0, lower_inclusive=False, what="persistence")
    if np.any(phi >= 1.0):
        k = int(np.argmax(phi >= 1.0))
        raise ValueError(f"persistence of {ECONOMIC_VARIABLES[k]} is {phi[k]:g}, but it must be below 1 (at 1 or "
                         f"more the series has no long-run level).")
    corr = _correlation(correlation)
    if mortality_jump_off not in ("observed", "fitted"):
        raise ValueError(f"mortality_jump_off must be 'observed' or 'fitted', got {mortality_jump_off!r}.")

    economy_rng, mortality_rng = np.random.default_rng(seed).spawn(2)
    # innovations e_t = D L u_t with C = L L^T (eigen-decomposition: also valid for a singular C)
    values, vectors = np.linalg.eigh(corr)
    root = vectors * np.sqrt(np.clip(values, 0.0, None))                # C = root root^T
    shocks = economy_rng.standard_normal((n, n_years, 3)) @ (root.T * sigma)   # (n, T, 3)
    deviation = np.zeros((n, 3))
    z = np.empty((n, n_years, 3))
    for t in range(n_years):                                             # a loop over years only
        deviation = phi * deviation + shocks[:, t]
        z[:, t] = mu + deviation
    inflation, real_wage, real_return = (z[..., k] for k in range(3))
    mortality_qx = None if mortality is None else _mortality_draws(mortality, n, n_years, mortality_rng,
                                                                     mortality_jump_off)
    labels = np.arange(1, n_years + 1) if start_year is None else int(start_year) + np.arange(n_years)
    return StochasticAssumptions(
        years=labels,
        price_inflation=np.expm1(inflation),
        real_wage_growth=np.expm1(real_wage),
        real_return=np.expm1(real_return),
        wage_growth=np.expm1(inflation + real_wage),
        interest_rate=np.expm1(inflation + real_return),
        mortality=mortality_qx,
        seed=seed,
    )


# ---------------------------------------------------------------------------------------------
# summaries over the scenario axis
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Fan:
    """Quantile bands over time from :func:`fan`.

    Attributes
    ----------
    quantiles : ndarray, shape (k,)
        The probabilities.
    levels : ndarray, shape (k, ..., n_years)
        ``levels[j]`` is the ``quantiles[j]`` quantile over the scenarios in each year.
    years : ndarray, shape (n_years,)
        Labels of the time axis.
    """

    quantiles: np.ndarray
    levels: np.ndarray
    years: np.ndarray

    def band(self, lower: float, upper: float) -> tuple[np.ndarray, np.ndarray]:
        """The levels of two of the quantiles, e.g. ``band(0.05, 0.95)`` for the 90% band."""
        out = []
        for q in (lower, upper):
            match = np.isclose(self.quantiles, q, rtol=0, atol=1e-12)
            if not match.any():
                raise ValueError(f"quantile {q:g} was not computed; the fan has {self.quantiles.tolist()}.")
            out.append(self.levels[int(np.argmax(match))])
        return out[0], out[1]

    def to_frame(self):
        """Tidy long :class:`pandas.DataFrame`: (batch columns,) year, quantile, value."""
        from ..economy._frame import long_frame

        frame = long_frame(self.years, {f"{q:g}": level for q, level in zip(self.quantiles, self.levels)})
        frame = frame.rename(columns={"variable": "quantile"})
        frame["quantile"] = frame["quantile"].astype(float)
        return frame


def _years(name: str, years, n_years: int) -> np.ndarray:
    if years is None:
        return np.arange(1, n_years + 1)
    labels = np.asarray(years)
    if labels.shape != (n_years,):
        raise ValueError(f"{name} must hold one label per year ({n_years}) of the last (time) axis, got shape "
                         f"{labels.shape}.")
    return labels


def _scenarios(name: str, values, *, allow_nan: bool) -> np.ndarray:
    arr = check_values(name, values, trailing=("scenario", "year"), finite=False, what="value")
    if arr.ndim < 2:
        raise ValueError(f"{name} must have a scenario axis first and time last, shape (n_scenarios, ..., n_years), "
                         f"got shape {arr.shape}.")
    if arr.shape[0] < 1 or arr.shape[-1] < 1:
        raise ValueError(f"{name} has no scenarios or no years (shape {arr.shape}).")
    if np.isinf(arr).any() or (not allow_nan and np.isnan(arr).any()):
        bad = np.isinf(arr) | (np.isnan(arr) if not allow_nan else False)
        index = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(f"{name} has a {'missing or ' if not allow_nan else ''}infinite value at scenario "
                         f"{index[0]}, year index {index[-1]}; the summaries need finite values.")
    return arr


def fan(values: ArrayLike, quantiles=(0.05, 0.25, 0.5, 0.75, 0.95), *, years=None,
        method: str = "linear") -> Fan:
    """Quantiles over the scenarios of each year: the bands of a fan chart.

    ``levels[j, ..., t]`` is the ``quantiles[j]`` sample quantile of ``values[:, ..., t]``.
    With the default ``method="linear"`` (Hyndman and Fan 1996, definition 7, numpy's default)
    the quantile ``p`` of ``n`` sorted values ``x_(1) <= ... <= x_(n)`` is
    ``x_(k) + h (x_(k+1) - x_(k))`` with ``k = floor((n - 1) p) + 1`` and ``h = (n - 1) p - (k - 1)``.
    NaN values (a ratio undefined in some scenario and year) are left out of that year's
    quantiles; a year where every scenario is NaN gives NaN.

    Parameters
    ----------
    values : array_like, shape (n_scenarios, ..., n_years)
        Scenarios on the FIRST axis, time on the last (e.g. ``StochasticValuation.reserve_ratio``).
    quantiles : sequence of float, default (0.05, 0.25, 0.5, 0.75, 0.95)
        Probabilities in [0, 1].
    years : array_like, shape (n_years,), optional
        Labels of the time axis (default 1..n_years).
    method : str, default "linear"
        Any method of :func:`numpy.quantile` (e.g. ``"inverted_cdf"``, ``"median_unbiased"``).

    Returns
    -------
    Fan
        ``levels`` of shape ``(len(quantiles), ..., n_years)``, ``.band(lo, hi)``, ``.to_frame()``.

    Raises
    ------
    ValueError
        Values without a scenario and a time axis, infinite values, probabilities outside
        [0, 1], year labels of the wrong length, an unknown method.

    Examples
    --------
    >>> from qsp.pensions import fan
    >>> bands = fan([[1.0, 10.0], [2.0, 20.0], [3.0, 30.0], [4.0, 40.0], [5.0, 50.0]], quantiles=(0.25, 0.5))
    >>> bands.levels.tolist()
    [[2.0, 20.0], [3.0, 30.0]]

    References
    ----------
    Hyndman and Fan (1996); Britton, E., Fisher, P. and Whitley, J. (1998). The Inflation Report
    projections: understanding the fan chart. *Bank of England Quarterly Bulletin* 38(1): 30-37.
    """
    arr = _scenarios("values", values, allow_nan=True)
    probs = check_values("quantiles", quantiles, trailing=("quantile",), lower=0.0, upper=1.0, what="probability",
                         hint="Give probabilities, 0.05 for the 5% quantile.")
    if probs.ndim != 1 or probs.size == 0:
        raise ValueError(f"quantiles must be a non-empty sequence of probabilities, got shape {probs.shape}.")
    labels = _years("years", years, arr.shape[-1])
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)     # all-NaN years give NaN, as documented
            levels = np.nanquantile(arr, probs, axis=0, method=method)
    except ValueError as exc:
        raise ValueError(f"method {method!r} is not a quantile method of numpy.quantile: {exc}") from exc
    return Fan(quantiles=probs, levels=levels, years=labels)


def probability_exhausted(reserve: ArrayLike, years=None, by_year=None, *, level: float = 0.0):
    """Share of the scenarios whose reserve is exhausted (``<= level``) on or before each year.

    ``P(t) = (1/n) sum_i 1[min_{s <= t} R_{i,s} <= level]``: a scenario counts as exhausted from
    the first year whose END-OF-YEAR reserve is at or below ``level`` (default 0), even if the
    reserve recovers later, so ``P`` never decreases. The reserve at the valuation date is not
    looked at (a scheme that starts without a reserve is not counted as exhausted at t = 0).

    Parameters
    ----------
    reserve : array_like, shape (n_scenarios, ..., n_years)
        End-of-year reserves, scenarios on the FIRST axis, time on the last
        (``StochasticValuation.reserve``).
    years : array_like, shape (n_years,), optional
        Labels of the time axis (default 1..n_years).
    by_year : year label or sequence of labels, optional
        Return the probabilities at these years only (exhausted on or before each of them).
        Default: the whole curve.
    level : float, default 0
        Reserve at or below which the scheme counts as exhausted (e.g. one year of expenditure
        in a scenario-by-scenario array for a stricter test: pass ``reserve - expenditure``).

    Returns
    -------
    ndarray
        The curve, shape ``(..., n_years)``; with ``by_year``, shape ``(...,)`` for one label or
        ``(..., len(by_year))``.

    Raises
    ------
    ValueError
        A reserve without a scenario and a time axis or with missing values, labels of the
        wrong length, a ``by_year`` that is not one of the labels.

    Examples
    --------
    >>> from qsp.pensions import probability_exhausted
    >>> reserve = [[5.0, 3.0, -1.0, 2.0], [5.0, 6.0, 7.0, 8.0], [1.0, 0.0, -2.0, -3.0], [4.0, 2.0, 1.0, -1.0]]
    >>> probability_exhausted(reserve, years=[2031, 2032, 2033, 2034]).tolist()
    [0.0, 0.25, 0.5, 0.75]
    >>> float(probability_exhausted(reserve, years=[2031, 2032, 2033, 2034], by_year=2033))
    0.5

    References
    ----------
    Bowers, N. L., Gerber, H. U., Hickman, J. C., Jones, D. A. and Nesbitt, C. J. (1997).
    *Actuarial Mathematics*, 2nd ed. Society of Actuaries, ch. 13 (probability of ruin in finite time).
    """
    arr = _scenarios("reserve", reserve, allow_nan=False)
    labels = _years("years", years, arr.shape[-1])
    threshold = float(check_values("level", level, trailing=(), what="reserve level"))
    exhausted = np.logical_or.accumulate(arr <= threshold, axis=-1)
    curve = exhausted.mean(axis=0)
    if by_year is None:
        return curve
    wanted = np.asarray(by_year)
    lookup = {label: k for k, label in enumerate(labels.tolist())}
    positions = []
    for year in wanted.ravel().tolist():                     # the few years asked for
        if year not in lookup:
            raise ValueError(f"by_year {year!r} is not one of the years {labels[0]}..{labels[-1]} of the projection "
                             f"(give years=... to label the time axis).")
        positions.append(lookup[year])
    return curve[..., np.array(positions, dtype=np.intp).reshape(wanted.shape)]


# ---------------------------------------------------------------------------------------------
# the stochastic valuation
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class StochasticValuation:
    """Result of :func:`stochastic_valuation`: a :class:`~qsp.pensions.SchemeValuation` with a scenario axis.

    Every series has shape ``(n_scenarios, n_years)``: scenario ``i`` is the valuation under
    scenario ``i`` of :attr:`assumptions`.

    Attributes
    ----------
    assumptions : StochasticAssumptions
        The scenarios valued.
    valuation : SchemeValuation
        The financial projection of the batch (``.reserve``, ``.payg_cost_rate``, ...).
    """

    assumptions: StochasticAssumptions
    valuation: SchemeValuation

    @property
    def years(self) -> np.ndarray:
        """Labels of the projection years."""
        return self.assumptions.years

    @property
    def reserve(self) -> np.ndarray:
        """End-of-year reserve (nominal), ``(n, n_years)``."""
        return self.valuation.reserve.reserve

    @property
    def real_reserve(self) -> np.ndarray:
        """End-of-year reserve in prices of the valuation date, ``R_t / prod_{s<=t}(1 + pi_s)``, ``(n, n_years)``."""
        return self.reserve / self.assumptions.price_index

    @property
    def reserve_ratio(self) -> np.ndarray:
        """Reserve at the beginning of each year over its expenditure (ILO convention), ``(n, n_years)``."""
        return self.valuation.reserve_ratio

    @property
    def payg_cost_rate(self) -> np.ndarray:
        """PAYG cost rate of each scenario and year, ``(n, n_years)``."""
        return self.valuation.payg_cost_rate

    def general_average_premium(self, *, final_reserve: ArrayLike = 0.0) -> np.ndarray:
        """General average premium of each scenario, ``(n,)`` (its own interest path)."""
        return self.valuation.general_average_premium(final_reserve=final_reserve)

    def _variable(self, variable: str) -> np.ndarray:
        known = ("reserve", "real_reserve", "reserve_ratio", "payg_cost_rate")
        if variable in known:
            return np.asarray(getattr(self, variable))
        series = {"contributions": self.valuation.contributions,
                  "benefit_expenditure": self.valuation.benefit_expenditure,
                  "insurable_earnings": self.valuation.insurable_earnings,
                  "investment_income": self.valuation.reserve.investment_income}
        if variable not in series:
            raise ValueError(f"variable must be one of {known + tuple(series)}, got {variable!r}.")
        return np.asarray(series[variable])

    def fan(self, variable: str = "reserve_ratio", quantiles=(0.05, 0.25, 0.5, 0.75, 0.95),
            method: str = "linear") -> Fan:
        """:func:`fan` of one of the series (``"reserve_ratio"``, ``"reserve"``, ``"real_reserve"``, ...)."""
        return fan(self._variable(variable), quantiles, years=self.years, method=method)

    def probability_exhausted(self, by_year=None, *, level: float = 0.0):
        """:func:`probability_exhausted` of the end-of-year reserve."""
        return probability_exhausted(self.reserve, self.years, by_year, level=level)

    def plot(self, variable: str = "reserve_ratio", *, quantiles=(0.05, 0.25, 0.5, 0.75, 0.95), ax=None,
             title: str | None = None, ylabel: str | None = None, **options):
        """Fan chart of one series over the scenarios, by :func:`qsp.plots.fan_chart`."""
        from ..plots import fan_chart

        labels = {"reserve_ratio": "Reserve ratio (years of expenditure)", "reserve": "Reserve (nominal)",
                  "real_reserve": "Reserve (prices of the valuation date)", "payg_cost_rate": "PAYG cost rate"}
        return fan_chart(self.years, self._variable(variable), quantiles=quantiles, ax=ax, title=title,
                         ylabel=ylabel or labels.get(variable, variable), **options)

    def to_frame(self):
        """Tidy long :class:`pandas.DataFrame`: scenario, year, variable, value.

        The valuation's variables (:meth:`SchemeValuation.to_frame`) followed by the scenario's
        assumptions (:meth:`StochasticAssumptions.to_frame`).
        """
        import pandas as pd

        return pd.concat([self.valuation.to_frame(), self.assumptions.to_frame()], ignore_index=True)


def stochastic_valuation(
    membership: Membership,
    rules: BenefitRules,
    assumptions: StochasticAssumptions,
    *,
    contribution_rate: ArrayLike,
    initial_reserve: ArrayLike = 0.0,
    mortality=None,
    admin_cost_rate: float = 0.0,
    admin_cost_basis: str = "expenditure",
    timing: str = "mid",
    detail: str = "total",
    **projection_options,
) -> StochasticValuation:
    """Project and value a scheme under every scenario of ``assumptions`` in one vectorised run.

    The scenario axis is the leading batch axis of the wage growth, price inflation, rate of
    return and (if drawn) mortality handed to :func:`~qsp.pensions.project_insured` and
    :func:`~qsp.pensions.value_scheme`; the projection loops over years only. Scenario ``i`` of
    the result equals the valuation of ``assumptions.select(i)`` alone.

    Parameters
    ----------
    membership : Membership
        Valuation-date membership.
    rules : BenefitRules
        Benefit provisions.
    assumptions : StochasticAssumptions
        The scenarios (:func:`stochastic_assumptions`); they set ``n_years``, ``wage_growth``,
        ``price_inflation``, the interest rate and, if drawn, the mortality.
    contribution_rate : float or array_like, shape (..., 1) or (..., n_years)
        Contribution rate (fraction of insurable earnings).
    initial_reserve : float or array_like, default 0
        Reserve at the valuation date.
    mortality : array_like or LifeTable, optional
        Deterministic ``q_x`` by (sex, age) or (year, sex, age), required when the assumptions
        carry no mortality, refused when they do.
    admin_cost_rate, admin_cost_basis, timing
        As in :func:`~qsp.pensions.value_scheme` (defaults 0, ``"expenditure"``, ``"mid"``).
    detail : {"total", "age"}, default "total"
        Keep only totals of the projection (the default: large batches) or the (sex, age) detail.
    **projection_options
        Other arguments of :func:`~qsp.pensions.project_insured` (entrants, decrement rates,
        wages, ceiling, survivors, ...); not ``n_years``, ``wage_growth`` nor ``price_inflation``,
        which come from ``assumptions``.

    Returns
    -------
    StochasticValuation
        ``.reserve``, ``.reserve_ratio``, ``.fan()``, ``.probability_exhausted()``, ``.plot()``,
        ``.to_frame()``, and the whole ``.valuation``.

    Raises
    ------
    ValueError
        Assumptions that are not a :class:`StochasticAssumptions`, mortality given twice or
        not at all, options that the assumptions set; and every error of
        :func:`~qsp.pensions.project_insured` and :func:`~qsp.pensions.value_scheme`.

    Examples
    --------
    >>> import numpy as np
    >>> from qsp.pensions import BenefitRules, membership_from_arrays, stochastic_assumptions, stochastic_valuation
    >>> actives = np.zeros((2, 101, 86))
    >>> actives[:, 25:60, 5] = 100.0
    >>> members = membership_from_arrays(actives, active_wages=10000.0)
    >>> qx = np.broadcast_to(np.minimum(0.0005 * np.exp(0.08 * np.arange(101)), 1.0), (2, 101))
    >>> scenarios = stochastic_assumptions(200, n_years=40, seed=7)
    >>> result = stochastic_valuation(members, BenefitRules(accrual_rate=0.02), scenarios, contribution_rate=0.10,
    ...                               initial_reserve=5e7, mortality=qx)
    >>> result.reserve.shape, result.fan("reserve_ratio").levels.shape
    ((200, 40), (5, 40))
    >>> bool(np.all(np.diff(result.probability_exhausted()) >= 0))
    True

    References
    ----------
    Plamondon et al. (2002), ch. 8 (sensitivity and the range of outcomes); Lee and Carter (1992).
    """
    if not isinstance(assumptions, StochasticAssumptions):
        raise ValueError(f"assumptions must come from stochastic_assumptions, got {type(assumptions).__name__}.")
    given = sorted(set(projection_options) & set(_FROM_ASSUMPTIONS + ("interest_rate",)))
    if given:
        raise ValueError(f"{given[0]} comes from the assumptions (StochasticAssumptions) in a stochastic valuation; "
                         f"leave it out, or draw the assumptions with other medians.")
    if assumptions.mortality is not None and mortality is not None:
        raise ValueError("mortality is given twice: the assumptions carry Lee-Carter draws; leave mortality out "
                         "(or draw assumptions without mortality to use a deterministic table).")
    if assumptions.mortality is None and mortality is None:
        raise ValueError("mortality is missing: give the deterministic q_x by (sex, age), or draw the assumptions "
                         "with a Lee-Carter model (stochastic_assumptions(..., mortality=fit_lee_carter(...))).")
    scenario_mortality = assumptions.mortality if assumptions.mortality is not None else mortality
    projection = project_insured(membership, rules, n_years=assumptions.n_years, mortality=scenario_mortality,
                                 wage_growth=assumptions.wage_growth, price_inflation=assumptions.price_inflation,
                                 start_year=int(assumptions.years[0]) if assumptions.years[0] != 1 else None,
                                 detail=detail, **projection_options)
    valuation = value_scheme(projection, contribution_rate=contribution_rate,
                             interest_rate=assumptions.interest_rate, initial_reserve=initial_reserve,
                             admin_cost_rate=admin_cost_rate, admin_cost_basis=admin_cost_basis, timing=timing)
    return StochasticValuation(assumptions=assumptions, valuation=valuation)
