"""Parametric mortality laws: Gompertz, Gompertz-Makeham, Kannisto, Heligman-Pollard, Brass logit.

Each law has a plain function that evaluates it (``gompertz(ages, a, b)``), a small frozen
dataclass holding fitted parameters (``Gompertz``, with ``.evaluate(ages)`` and ``__call__``),
and a fitting function (``fit_gompertz``). Parameters are arrays whose shape is the batch shape
of the data, so one call fits every sex, year and scenario of a ``(..., sex, age)`` array.

Conventions (each is a keyword parameter with this default):

- Ages are the grid of the data: the exact ages at which intervals start, beginning at 0,
  the last interval open ("100+"). The open interval is never used for fitting. Without an
  ``ages`` argument the grid is single ages ``0, 1, ..., n-1``.
- ``fit_ages=(lo, hi)`` selects the closed intervals whose starting age ``x`` has
  ``lo <= x <= hi``.
- A central death rate ``m`` of the interval ``[x, x+n)`` is read as the hazard at the
  interval's midpoint, ``mu(x + n/2)`` (``age_point="midpoint"``); ``age_point="start"`` reads
  it as ``mu(x)``, which is what many textbook regressions of ``ln m_x`` on ``x`` do. The
  choice shifts the fitted level (``a``) by ``exp(b n / 2)`` and leaves the slope ``b`` alone.
- Hazards are per person-year; probabilities are in [0, 1].

Closed-form fits (Gompertz and Kannisto least squares, Brass logit) and the Poisson maximum
likelihood fits of Gompertz and Kannisto (Newton iterations) are vectorised over the batch. The
Gompertz-Makeham and Heligman-Pollard fits are non-linear: they call :mod:`scipy.optimize` once
per schedule (a Python loop over the batch, acceptable for fitting a few hundred schedules; it
is not a hot path). scipy is imported only inside those functions.

References
----------
Gompertz, B. (1825). On the nature of the function expressive of the law of human mortality.
*Philosophical Transactions of the Royal Society of London* 115: 513-583.
Makeham, W. M. (1860). On the law of mortality. *Journal of the Institute of Actuaries* 8: 301-310.
Thatcher, A. R., Kannisto, V. and Vaupel, J. W. (1998). *The Force of Mortality at Ages 80 to 120*.
Odense University Press.
Wilmoth, J. R. et al. (2017). *Methods Protocol for the Human Mortality Database*, version 6,
section 6 (old-age mortality).
Heligman, L. and Pollard, J. H. (1980). The age pattern of mortality. *Journal of the Institute
of Actuaries* 107(1): 49-80.
Brass, W. (1971). On the scale of mortality. In Brass, W. (ed.), *Biological Aspects of
Demography*. Taylor & Francis.
Preston, S. H., Heuveline, P. and Guillot, M. (2001). *Demography: Measuring and Modeling
Population Processes*. Blackwell, chapter 9 (model life tables, the Brass relational model).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .._validate import as_float_array, check_values, describe_position
from .ages import check_ages, interval_widths

HP_AUSTRALIA_MALES_1970 = (0.00160, 0.00112, 0.1112, 0.00163, 16.71, 20.03, 0.0000502, 1.1074)
"""Heligman-Pollard parameters A..H for Australian males 1970-72, Heligman & Pollard (1980), Table 2,
as transcribed in the pash R package (data-raw/simulated_lts_australian_males_1970-72.R).

Caution: with B = 0.00112 the formula gives q_0 = 0.046, about twice the observed infant
mortality of Australian males in 1970-72 (about 0.02), while B = 0.0112 gives q_0 = 0.0198;
B may have lost a digit in transcription. Check the printed table before quoting these
values as the published fit. The library uses them only as an example curve and a starting
point for fits."""

HP_PARAMETER_NAMES = ("A", "B", "C", "D", "E", "F", "G", "H")

_HP_LOWER = (1e-6, 1e-6, 0.01, 1e-7, 0.5, 10.0, 1e-8, 1.0)
_HP_UPPER = (0.5, 1.0, 1.0, 0.1, 100.0, 50.0, 0.01, 1.3)

_AGE_POINTS = ("midpoint", "start")


# ---------------------------------------------------------------------------------------------
# shared helpers
# ---------------------------------------------------------------------------------------------
def _trailing(arr: np.ndarray) -> tuple[str, ...]:
    """Axis names for error messages: ``(sex, age)`` when the second-to-last axis has length 2."""
    return ("sex", "age") if arr.ndim >= 2 and arr.shape[-2] == 2 else ("age",)


def _where(arr: np.ndarray, bad: np.ndarray, ages: np.ndarray | None = None) -> tuple[tuple[int, ...], str]:
    """Index and description of the first True element of ``bad``."""
    idx = tuple(int(i) for i in np.argwhere(bad)[0]) if bad.ndim else ()
    return idx, describe_position(idx, _trailing(arr), ages=ages)


def _age_grid(ages, n: int, name: str) -> np.ndarray:
    """The age grid of an array with ``n`` ages: ``ages`` checked, or single ages 0..n-1."""
    if ages is None:
        if n < 2:
            raise ValueError(f"{name} must have at least two ages on its last axis, but it has {n}.")
        return np.arange(n, dtype=np.float64)
    grid = np.asarray(check_ages(ages), dtype=np.float64)
    if grid.size != n:
        raise ValueError(
            f"ages has {grid.size} entries but {name} has {n} entries on its age (last) axis; "
            f"pass the age grid that matches {name}."
        )
    return grid


def _fit_index(ages: np.ndarray, fit_ages, *, min_points: int, model: str) -> np.ndarray:
    """Positions of the closed intervals whose start lies in ``fit_ages=(lo, hi)``."""
    try:
        lo, hi = (float(v) for v in fit_ages)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"fit_ages must be a pair (lowest age, highest age), got {fit_ages!r}.") from exc
    if not lo < hi:
        raise ValueError(f"fit_ages=({lo:g}, {hi:g}) must have the lower age first and below the upper age.")
    last_closed = ages[-2]
    if lo < ages[0] or hi > last_closed:
        raise ValueError(
            f"fit_ages=({lo:g}, {hi:g}) lies outside the age grid: the closed age intervals start at "
            f"ages {ages[0]:g} to {last_closed:g} (the open interval {ages[-1]:g}+ is never used for "
            f"fitting). Choose fit_ages within {ages[0]:g}..{last_closed:g}."
        )
    idx = np.flatnonzero((ages[:-1] >= lo) & (ages[:-1] <= hi))
    if idx.size < min_points:
        raise ValueError(
            f"fit_ages=({lo:g}, {hi:g}) selects {idx.size} age interval(s), but the {model} fit needs at "
            f"least {min_points}; widen fit_ages."
        )
    return idx


def _fit_points(ages: np.ndarray, idx: np.ndarray, age_point: str) -> np.ndarray:
    """Ages at which the rates of the selected intervals are read as hazards."""
    if age_point not in _AGE_POINTS:
        raise ValueError(f"age_point must be one of {_AGE_POINTS}, got {age_point!r}.")
    if age_point == "start":
        return ages[idx].copy()
    return ages[idx] + interval_widths(ages)[idx] / 2.0


def _with_age_axis(ages, *params):
    """Broadcast parameters of shape (...,) against a 1-D age array: (..., 1) and (n,)."""
    x = as_float_array("ages", ages)
    if x.ndim > 1:
        raise ValueError(f"ages must be a number or a one-dimensional array, but it has shape {x.shape}.")
    arrays = [as_float_array(f"parameter {i}", p) for i, p in enumerate(params)]
    if x.ndim == 1:
        arrays = [p[..., None] for p in arrays]
    return x, arrays


def _weighted_line(x: np.ndarray, y: np.ndarray, weights: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """Weighted least-squares line ``y = intercept + slope x`` over the last axis (vectorised)."""
    w = np.ones_like(y) if weights is None else np.broadcast_to(weights, y.shape)
    total = w.sum(axis=-1)
    x_mean = (w * x).sum(axis=-1) / total
    y_mean = (w * y).sum(axis=-1) / total
    dx = x - x_mean[..., None]
    slope = (w * dx * (y - y_mean[..., None])).sum(axis=-1) / (w * dx * dx).sum(axis=-1)
    return y_mean - slope * x_mean, slope


def _fit_weights(weights, shape: tuple[int, ...], idx: np.ndarray, ages: np.ndarray) -> np.ndarray | None:
    """Check least-squares weights (same age axis as the data); return them at the fit ages."""
    if weights is None:
        return None
    w = check_values("weights", weights, lower=0.0, what="weight", trailing=("age",))
    if w.shape[-1:] != shape[-1:]:
        raise ValueError(
            f"weights must have the same age (last) axis as the rates ({shape[-1]} ages), but it has shape {w.shape}."
        )
    w = np.broadcast_to(w[..., idx], shape[:-1] + (idx.size,))
    if ((w > 0).sum(axis=-1) < 2).any():
        raise ValueError("weights must be positive at two or more of the fit ages for every schedule.")
    return w


def _counts(deaths, exposure) -> tuple[np.ndarray, np.ndarray] | None:
    """Checked death counts and exposures (same shape), or None when neither is given."""
    if deaths is None and exposure is None:
        return None
    if deaths is None or exposure is None:
        raise ValueError("give both deaths and exposure (person-years), or neither.")
    d = check_values("deaths", deaths, lower=0.0, what="death count", trailing=("age",))
    e = check_values("exposure", exposure, lower=0.0, what="person-years value", trailing=("age",))
    if d.ndim == 0 or e.ndim == 0:
        raise ValueError("deaths and exposure must have an age (last) axis.")
    try:
        d, e = np.broadcast_arrays(d, e)
    except ValueError as exc:
        raise ValueError(f"deaths {d.shape} and exposure {e.shape} must have the same shape.") from exc
    return np.array(d), np.array(e)


def _rates_and_counts(mx, deaths, exposure, method: str, methods: Sequence[str], weights=None):
    """Resolve the data of a fit: rates for least squares, deaths and exposure for Poisson."""
    if method not in methods:
        raise ValueError(f"method must be one of {tuple(methods)}, got {method!r}.")
    if method == "poisson" and weights is not None:
        raise ValueError("weights apply to the least-squares fit only; the Poisson fit weights ages by their deaths.")
    counts = _counts(deaths, exposure)
    if method == "poisson" and counts is None:
        raise ValueError("method='poisson' needs deaths and exposure (person-years) by age; pass both.")
    if mx is None:
        if counts is None:
            raise ValueError("give the death rates mx, or deaths and exposure.")
        d, e = counts
        with np.errstate(divide="ignore", invalid="ignore"):
            mx = np.where(e > 0, d / np.where(e > 0, e, 1.0), np.nan)
    rates = as_float_array("mx", mx)
    if rates.ndim == 0:
        raise ValueError("mx must have an age (last) axis, but it is a single number.")
    if counts is not None and counts[0].shape[-1] != rates.shape[-1]:
        raise ValueError(
            f"deaths and exposure have {counts[0].shape[-1]} ages but mx has {rates.shape[-1]}; "
            f"they must share the age axis."
        )
    return rates, counts


def _check_fit_rates(name: str, rates: np.ndarray, idx: np.ndarray, ages: np.ndarray, *,
                     upper_exclusive: float | None = None, why: str, fix: str) -> np.ndarray:
    """Rates at the fit ages must be finite and positive (and below ``upper_exclusive``)."""
    sub = rates[..., idx]
    bad = ~np.isfinite(sub)
    if bad.any():
        idx_, where = _where(sub, bad, ages[idx])
        raise ValueError(f"{name} contains a missing or infinite value ({sub[idx_]}) at {where}; "
                         f"fill it or leave that age out of fit_ages.")
    bad = sub <= 0
    if bad.any():
        idx_, where = _where(sub, bad, ages[idx])
        raise ValueError(
            f"{name} is {sub[idx_]:g} at {where}, but it must be greater than 0 at the fit ages ({why}). {fix}"
        )
    if upper_exclusive is not None:
        bad = sub >= upper_exclusive
        if bad.any():
            idx_, where = _where(sub, bad, ages[idx])
            raise ValueError(
                f"{name} is {sub[idx_]:g} at {where}, but it must be below {upper_exclusive:g} at the fit "
                f"ages ({why}). {fix}"
            )
    return sub


def _newton_two(objective, theta: np.ndarray, *, what: str, max_iter: int = 200, tol: float = 1e-11) -> np.ndarray:
    """Maximise a concave two-parameter log-likelihood by Newton steps with step halving.

    ``objective(theta)`` returns ``(loglik (...), gradient (..., 2), hessian (..., 2, 2))``; the
    iterations run on all batch elements at once.
    """
    loglik, grad, hess = objective(theta)
    for _ in range(max_iter):
        step = -np.linalg.solve(hess, grad[..., None])[..., 0]
        scale = np.ones(theta.shape[:-1])
        for _halving in range(60):
            candidate = theta + scale[..., None] * step
            new_loglik, new_grad, new_hess = objective(candidate)
            worse = ~(new_loglik >= loglik - 1e-12 * np.abs(loglik))
            if not worse.any():
                break
            scale = np.where(worse, scale / 2.0, scale)
        moved = np.abs(scale[..., None] * step)
        theta, loglik, grad, hess = candidate, new_loglik, new_grad, new_hess
        if np.all(moved <= tol * (1.0 + np.abs(theta))):
            return theta
    raise ValueError(
        f"the Poisson maximum-likelihood fit of the {what} did not converge in {max_iter} iterations; "
        f"check the deaths and exposure (enough deaths at the fit ages?) or use the least-squares method."
    )


def _deviance_residuals(deaths: np.ndarray, expected: np.ndarray) -> np.ndarray:
    """Poisson deviance residuals: their sum of squares is the deviance, minimised by maximum likelihood."""
    safe = np.where(expected > 0, expected, 1e-300)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_ratio = np.where(deaths > 0, np.log(np.where(deaths > 0, deaths, 1.0) / safe), 0.0)
    unit = 2.0 * (deaths * log_ratio - (deaths - expected))
    return np.sign(deaths - expected) * np.sqrt(np.maximum(unit, 0.0))


def _batch_loop(shape: tuple[int, ...]):
    """Indices of every schedule in a batch of the given shape (used by the scipy fits)."""
    return np.ndindex(*shape) if shape else iter([()])


def _scipy_optimize():
    try:
        from scipy import optimize
    except ImportError as exc:  # pragma: no cover - scipy is installed in every supported setup
        raise ImportError(
            "this fit needs scipy (pip install scipy, or install qsp with its 'dev' or 'data' extra)."
        ) from exc
    return optimize


# ---------------------------------------------------------------------------------------------
# Gompertz and Gompertz-Makeham
# ---------------------------------------------------------------------------------------------
def gompertz(ages, a, b) -> np.ndarray:
    r"""Gompertz hazard :math:`\mu(x) = a\,e^{b x}`.

    Parameters
    ----------
    ages : float or 1-D array
        Exact ages ``x`` (years).
    a : array_like, shape (...)
        Hazard at age 0 (per person-year).
    b : array_like, shape (...)
        Rate of ageing (per year): the hazard doubles every ``ln 2 / b`` years.

    Returns
    -------
    numpy.ndarray, shape (..., n_ages) (or (...) for a scalar age)
        Hazard per person-year.

    Examples
    --------
    >>> round(float(gompertz(50.0, 1e-4, 0.1)), 8)  # 1e-4 * e^5
    0.01484132

    References
    ----------
    Gompertz (1825); Preston, Heuveline & Guillot (2001), section 9.2.
    """
    x, (a_, b_) = _with_age_axis(ages, a, b)
    return a_ * np.exp(b_ * x)


def gompertz_makeham(ages, a, b, c) -> np.ndarray:
    r"""Gompertz-Makeham hazard :math:`\mu(x) = c + a\,e^{b x}`.

    ``c`` is the age-independent (background) hazard; the other parameters are as in
    :func:`gompertz`. Shapes broadcast the same way.

    Examples
    --------
    >>> round(float(gompertz_makeham(0.0, 1e-4, 0.1, 5e-4)), 10)
    0.0006

    References
    ----------
    Makeham (1860).
    """
    x, (a_, b_, c_) = _with_age_axis(ages, a, b, c)
    return c_ + a_ * np.exp(b_ * x)


@dataclass(frozen=True, eq=False)
class Gompertz:
    r"""Gompertz parameters: :math:`\mu(x) = a e^{b x}`; ``a`` and ``b`` have the batch shape.

    Call the object (or :meth:`evaluate`) with ages to get the hazard, shape ``(..., n_ages)``.
    """

    a: np.ndarray
    b: np.ndarray

    def evaluate(self, ages) -> np.ndarray:
        """Hazard at exact ages ``ages`` (per person-year)."""
        return gompertz(ages, self.a, self.b)

    __call__ = evaluate

    @property
    def doubling_time(self) -> np.ndarray:
        """Years it takes the hazard to double, ``ln 2 / b``."""
        return np.log(2.0) / self.b


@dataclass(frozen=True, eq=False)
class GompertzMakeham:
    r"""Gompertz-Makeham parameters: :math:`\mu(x) = c + a e^{b x}`; arrays of the batch shape."""

    a: np.ndarray
    b: np.ndarray
    c: np.ndarray

    def evaluate(self, ages) -> np.ndarray:
        """Hazard at exact ages ``ages`` (per person-year)."""
        return gompertz_makeham(ages, self.a, self.b, self.c)

    __call__ = evaluate


def fit_gompertz(
    mx=None,
    ages=None,
    *,
    fit_ages: tuple[float, float] = (30, 90),
    method: str = "ls",
    deaths=None,
    exposure=None,
    weights=None,
    age_point: str = "midpoint",
) -> Gompertz:
    r"""Fit the Gompertz law :math:`\mu(x) = a e^{b x}` to death rates.

    ``method="ls"`` (default): weighted least squares on :math:`\ln m_x = \ln a + b x`, a closed
    form (a straight line through the log rates), vectorised over the batch.
    ``method="poisson"``: maximum likelihood with deaths :math:`D_x \sim
    \text{Poisson}(E_x \mu(x))`, solved by Newton's method, also vectorised (the Gompertz law
    is a Poisson regression with a log link).

    Parameters
    ----------
    mx : array_like, shape (..., n_ages), optional
        Central death rates per person-year. May be omitted when deaths and exposure are given
        (then ``mx = deaths / exposure``).
    ages : 1-D array, optional
        Age grid of the last axis (start ages, the last one open). Default: single ages
        ``0..n-1``.
    fit_ages : (float, float)
        Lowest and highest starting age of the intervals used. Default ``(30, 90)``: the adult
        ages where the Gompertz law describes human mortality well.
    method : {"ls", "poisson"}
        Least squares on log rates, or Poisson maximum likelihood (needs deaths and exposure).
    deaths, exposure : array_like, shape (..., n_ages), optional
        Death counts and person-years of exposure.
    weights : array_like, optional
        Least-squares weights by age (broadcast like ``mx``). Default equal weights. Deaths
        make good weights: the variance of :math:`\ln m_x` is about :math:`1/D_x`.
    age_point : {"midpoint", "start"}
        Age at which the rate of ``[x, x+n)`` is read as the hazard (see the module notes).

    Returns
    -------
    Gompertz
        Parameters ``a`` and ``b`` with the batch shape ``mx.shape[:-1]``.

    Raises
    ------
    ValueError
        A rate at the fit ages is zero, negative or missing (its logarithm is undefined: leave
        that age out, pool years or sexes, or use ``method="poisson"`` which accepts zero
        deaths); ``fit_ages`` outside the grid; mismatched shapes.

    Examples
    --------
    >>> import numpy as np
    >>> ages = np.arange(101)
    >>> mx = gompertz(ages + 0.5, 5e-5, 0.095)
    >>> fit = fit_gompertz(mx)
    >>> round(float(fit.a), 8), round(float(fit.b), 6)
    (5e-05, 0.095)

    References
    ----------
    Gompertz (1825); Preston, Heuveline & Guillot (2001), section 9.2.
    """
    rates, counts = _rates_and_counts(mx, deaths, exposure, method, ("ls", "poisson"), weights)
    grid = _age_grid(ages, rates.shape[-1], "mx")
    idx = _fit_index(grid, fit_ages, min_points=2, model="Gompertz")
    x = _fit_points(grid, idx, age_point)
    if method == "ls":
        sub = _check_fit_rates("mx", rates, idx, grid, why="the fit takes its logarithm",
                               fix="Leave that age out of fit_ages, pool years or sexes, or fit by "
                                   "method='poisson' with deaths and exposure.")
        w = _fit_weights(weights, rates.shape, idx, grid)
        log_a, b = _weighted_line(x, np.log(sub), w)
        return Gompertz(a=np.exp(log_a), b=b)
    d, e = (arr[..., idx] for arr in counts)
    _check_counts(d, e, grid[idx])
    x_ref = float(x.mean())
    xc = x - x_ref
    features = np.stack([np.ones_like(xc), xc])

    def objective(theta):
        eta = theta[..., 0:1] + theta[..., 1:2] * xc
        expected = e * np.exp(eta)
        loglik = (d * eta - expected).sum(axis=-1)
        grad = np.einsum("...n,kn->...k", d - expected, features)
        hess = -np.einsum("...n,kn,ln->...kl", expected, features, features)
        return loglik, grad, hess

    b0 = np.full(d.shape[:-1], 0.1)
    log_a0 = np.log(d.sum(axis=-1) / (e * np.exp(0.1 * xc)).sum(axis=-1))
    theta = _newton_two(objective, np.stack([log_a0, b0], axis=-1), what="Gompertz law")
    b = theta[..., 1]
    return Gompertz(a=np.exp(theta[..., 0] - b * x_ref), b=b)


def _check_counts(d: np.ndarray, e: np.ndarray, ages: np.ndarray) -> None:
    """Deaths need exposure; every schedule needs some deaths and exposure at the fit ages."""
    bad = (e == 0) & (d > 0)
    if bad.any():
        _, where = _where(d, bad, ages)
        raise ValueError(f"deaths are positive but exposure is 0 at {where}; deaths need person-years at risk.")
    bad = (d.sum(axis=-1) <= 0) | (e.sum(axis=-1) <= 0)
    if np.any(bad):
        idx = tuple(int(i) for i in np.argwhere(np.atleast_1d(bad))[0]) if bad.ndim else ()
        where = describe_position(idx, _trailing(d)[:-1]) if idx else "the schedule"
        raise ValueError(f"there are no deaths (or no exposure) at the fit ages for {where}; widen fit_ages or pool data.")


def fit_gompertz_makeham(
    mx=None,
    ages=None,
    *,
    fit_ages: tuple[float, float] = (30, 90),
    method: str = "ls",
    deaths=None,
    exposure=None,
    weights=None,
    age_point: str = "midpoint",
) -> GompertzMakeham:
    r"""Fit the Gompertz-Makeham law :math:`\mu(x) = c + a e^{b x}` to death rates.

    ``method="ls"``: non-linear weighted least squares on log rates,
    :math:`\min \sum_x w_x [\ln(c + a e^{b x}) - \ln m_x]^2`, with ``a > 0``, ``0 < b <= 1``,
    ``0 <= c <= 1``. ``method="poisson"``: maximum likelihood with
    :math:`D_x \sim \text{Poisson}(E_x \mu(x))` (minimises the Poisson deviance).

    Both use :func:`scipy.optimize.least_squares`, once per schedule (a loop over the batch),
    starting from a Gompertz fit to the upper half of the fit ages. The parameters and
    arguments are those of :func:`fit_gompertz`.

    Returns
    -------
    GompertzMakeham
        Parameters ``a``, ``b``, ``c`` with the batch shape.

    Examples
    --------
    >>> import numpy as np
    >>> ages = np.arange(101)
    >>> mx = gompertz_makeham(ages + 0.5, 3e-5, 0.1, 8e-4)
    >>> fit = fit_gompertz_makeham(mx)
    >>> round(float(fit.c), 7)
    0.0008

    References
    ----------
    Makeham (1860); Preston, Heuveline & Guillot (2001), section 9.2.
    """
    rates, counts = _rates_and_counts(mx, deaths, exposure, method, ("ls", "poisson"), weights)
    grid = _age_grid(ages, rates.shape[-1], "mx")
    idx = _fit_index(grid, fit_ages, min_points=3, model="Gompertz-Makeham")
    x = _fit_points(grid, idx, age_point)
    x_ref = float(x.mean())
    xc = x - x_ref
    if method == "ls":
        sub = _check_fit_rates("mx", rates, idx, grid, why="the fit takes its logarithm",
                               fix="Leave that age out of fit_ages, pool years or sexes, or fit by "
                                   "method='poisson' with deaths and exposure.")
        w = _fit_weights(weights, rates.shape, idx, grid)
        sqrt_w = np.ones_like(sub) if w is None else np.sqrt(w)
        start_rates = sub
    else:
        d, e = (np.broadcast_to(arr[..., idx], rates.shape[:-1] + (idx.size,)) for arr in counts)
        _check_counts(d, e, grid[idx])
        with np.errstate(divide="ignore", invalid="ignore"):
            start_rates = np.where(e > 0, (d + 0.5) / np.where(e > 0, e, 1.0), np.nan)
    optimize = _scipy_optimize()
    batch = rates.shape[:-1]
    out = np.empty(batch + (3,))
    upper_half = xc >= np.median(xc)
    for pos in _batch_loop(batch):
        observed = start_rates[pos]
        usable = np.isfinite(observed) & (observed > 0)
        keep = upper_half & usable
        if keep.sum() < 2:
            keep = usable
        log_a0, b0 = _weighted_line(xc[keep], np.log(observed[keep]), None)
        b0 = float(np.clip(b0, 1e-4, 0.5))
        residual_young = observed[usable] - np.exp(log_a0 + b0 * xc[usable])
        c0 = float(np.clip(np.median(residual_young[: max(1, residual_young.size // 3)]),
                           1e-7, 0.5 * observed[usable].min()))
        start = np.array([float(log_a0), b0, c0])

        if method == "ls":
            log_m, weight = np.log(sub[pos]), sqrt_w[pos]

            def residuals(theta, log_m=log_m, weight=weight):
                return weight * (np.log(theta[2] + np.exp(theta[0] + theta[1] * xc)) - log_m)
        else:
            deaths_, exposure_ = d[pos], e[pos]

            def residuals(theta, deaths_=deaths_, exposure_=exposure_):
                return _deviance_residuals(deaths_, exposure_ * (theta[2] + np.exp(theta[0] + theta[1] * xc)))

        result = optimize.least_squares(
            residuals, start, bounds=([-60.0, 1e-6, 0.0], [5.0, 1.0, 1.0]),
            x_scale=np.array([1.0, 0.01, max(c0, 1e-5)]), ftol=1e-14, xtol=1e-14, gtol=1e-14, max_nfev=5000,
        )
        out[pos] = result.x
    b = out[..., 1]
    return GompertzMakeham(a=np.exp(out[..., 0] - b * x_ref), b=b, c=out[..., 2])


# ---------------------------------------------------------------------------------------------
# Kannisto and the closure of old ages
# ---------------------------------------------------------------------------------------------
def kannisto(ages, a, b, *, x0: float = 80.0) -> np.ndarray:
    r"""Kannisto hazard :math:`\mu(x) = \dfrac{a e^{b(x-x_0)}}{1 + a e^{b(x-x_0)}}`.

    A logistic curve in age: :math:`\operatorname{logit}\mu(x) = \ln a + b (x - x_0)`, close to
    Gompertz at 80 and levelling off below 1 at the oldest ages. The Human Mortality Database
    uses it with :math:`x_0 = 80` to smooth and extend death rates above 80.

    Parameters
    ----------
    ages : float or 1-D array
        Exact ages.
    a : array_like, shape (...)
        Odds :math:`\mu/(1-\mu)` at age ``x0``.
    b : array_like, shape (...)
        Slope of the log-odds per year of age.
    x0 : float
        Reference age (default 80, as in the HMD Methods Protocol).

    Returns
    -------
    numpy.ndarray, shape (..., n_ages)
        Hazard per person-year, in (0, 1).

    Examples
    --------
    >>> float(kannisto(80.0, 0.05, 0.1))  # a / (1 + a)
    0.047619047619047616

    References
    ----------
    Thatcher, Kannisto & Vaupel (1998); HMD Methods Protocol v6, section 6.
    """
    x, (a_, b_) = _with_age_axis(ages, a, b)
    eta = np.log(a_) + b_ * (x - x0)
    return 0.5 * (1.0 + np.tanh(eta / 2.0))


def _kannisto_life_expectancy(hazard: np.ndarray, b: np.ndarray) -> np.ndarray:
    r"""Life expectancy at an age where the Kannisto hazard is ``hazard``.

    With :math:`c = 1 - \mu(x)`, integrating the survival curve gives the exact series
    :math:`e_x = \sum_{k \ge 0} c^k / (1 + b k)` (substitute :math:`s = S(t)/S(x)` in
    :math:`\int_x^\infty S(t)/S(x)\,dt`, which becomes :math:`\int_0^1 ds/(1 - c s^b)`). The
    terms are summed in blocks until the remainder, at most :math:`c^K/(1-c)`, is negligible.
    """
    c = np.ravel(1.0 - hazard)
    slope = np.ravel(np.broadcast_to(b, hazard.shape))
    total = np.zeros_like(c)
    active = np.arange(c.size)
    start, block = 0, 256
    while active.size:
        k = np.arange(start, start + block, dtype=np.float64)
        cc, bb = c[active, None], slope[active, None]
        total[active] += (cc ** k / (1.0 + bb * k)).sum(axis=-1)
        start += block
        remainder = c[active] ** start / (1.0 - c[active])
        active = active[remainder > 1e-15 * total[active]]
        if start > 200_000:  # hazard below about 2e-4: not an old-age hazard
            raise ValueError(
                "the Kannisto hazard at this age is too small (below about 0.0002) for the open-interval "
                "closure; the closure is meant for old ages (80+)."
            )
    return total.reshape(hazard.shape)


@dataclass(frozen=True, eq=False)
class Kannisto:
    r"""Kannisto parameters: :math:`\operatorname{logit}\mu(x) = \ln a + b(x - x_0)`.

    ``a`` and ``b`` have the batch shape; ``x0`` is the reference age. Call the object (or
    :meth:`evaluate`) with ages for the hazard.
    """

    a: np.ndarray
    b: np.ndarray
    x0: float = 80.0

    def evaluate(self, ages) -> np.ndarray:
        """Hazard at exact ages (per person-year)."""
        return kannisto(ages, self.a, self.b, x0=self.x0)

    __call__ = evaluate

    def life_expectancy(self, age: float) -> np.ndarray:
        r"""Life expectancy at exact age ``age`` under the fitted curve, shape (...).

        Exact: :math:`e_x = \sum_{k\ge0} (1-\mu(x))^k / (1 + b k)`. Needs ``b > 0``.
        """
        b = np.asarray(self.b, dtype=np.float64)
        if np.any(~(b > 0)):
            raise ValueError(
                f"the Kannisto slope b is {float(np.ravel(b)[np.ravel(~(b > 0))][0]):g}, but it must be positive (mortality "
                f"rising with age) for the life expectancy to be finite."
            )
        return _kannisto_life_expectancy(self.evaluate(float(age)), b)

    def open_interval_rate(self, age: float) -> np.ndarray:
        r"""Central death rate of the open interval ``age+``: :math:`m_{x+} = 1/e_x`.

        This is the hazard averaged over all ages above ``age`` with survivorship as weights,
        :math:`\int_x^\infty \mu S / \int_x^\infty S = S(x)/\int_x^\infty S`, so a life table
        that closes with ``L = l / m`` reproduces the curve's life expectancy exactly.
        """
        return 1.0 / self.life_expectancy(age)


def fit_kannisto(
    mx=None,
    ages=None,
    *,
    fit_ages: tuple[float, float] = (80, 95),
    x0: float = 80.0,
    method: str = "logit-ls",
    deaths=None,
    exposure=None,
    weights=None,
    age_point: str = "midpoint",
) -> Kannisto:
    r"""Fit the Kannisto old-age mortality model to death rates.

    ``method="logit-ls"`` (default): least squares on
    :math:`\operatorname{logit} m_x = \ln(m_x / (1 - m_x)) = \ln a + b (x - x_0)`, a closed form
    vectorised over the batch (all sexes, years and scenarios at once); this is how the UN's
    MortCast package closes WPP life tables. ``method="poisson"``: maximum likelihood with
    :math:`D_x \sim \text{Poisson}(E_x \mu(x))`, as the HMD Methods Protocol v6 (section 6) does
    for ages 80 and above, solved by Fisher scoring, also vectorised.

    Parameters
    ----------
    mx : array_like, shape (..., n_ages), optional
        Central death rates; may be omitted when deaths and exposure are given.
    ages : 1-D array, optional
        Age grid of the last axis (single or abridged; the last interval open). Default single
        ages ``0..n-1``.
    fit_ages : (float, float)
        Start ages of the intervals used; default ``(80, 95)``.
    x0 : float
        Reference age of the parameter ``a`` (default 80, as in the HMD).
    method : {"logit-ls", "poisson"}
    deaths, exposure : array_like, optional
        Death counts and person-years (needed for ``"poisson"``).
    weights : array_like, optional
        Least-squares weights by age (``"logit-ls"`` only).
    age_point : {"midpoint", "start"}
        The rate of ``[x, x+n)`` is read as the hazard at ``x + n/2`` (default) or at ``x``.
        Abridged WPP rates at 80, 85, 90, 95 are thus fitted at 82.5, ..., 97.5.

    Returns
    -------
    Kannisto
        Parameters ``a``, ``b`` (batch shape) and ``x0``.

    Raises
    ------
    ValueError
        A rate at the fit ages is not in (0, 1) (the logit is undefined: choose lower fit ages
        or use ``method="poisson"``), ``fit_ages`` outside the grid, shape mismatches.

    Examples
    --------
    >>> import numpy as np
    >>> ages = np.arange(101)
    >>> mx = kannisto(ages + 0.5, 0.06, 0.11)
    >>> fit = fit_kannisto(mx)
    >>> round(float(fit.a), 10), round(float(fit.b), 10)
    (0.06, 0.11)

    References
    ----------
    Thatcher, Kannisto & Vaupel (1998); HMD Methods Protocol v6 (Wilmoth et al. 2017), section 6;
    Sevcikova et al. (2016), MortCast ``kannisto.estimate``.
    """
    rates, counts = _rates_and_counts(mx, deaths, exposure, method, ("logit-ls", "poisson"), weights)
    grid = _age_grid(ages, rates.shape[-1], "mx")
    idx = _fit_index(grid, fit_ages, min_points=2, model="Kannisto")
    z = _fit_points(grid, idx, age_point) - x0
    if method == "logit-ls":
        sub = _check_fit_rates("mx", rates, idx, grid, upper_exclusive=1.0,
                               why="the fit takes the logit ln(m / (1 - m))",
                               fix="Choose other fit_ages, pool years or sexes, or fit by method='poisson' "
                                   "with deaths and exposure.")
        w = _fit_weights(weights, rates.shape, idx, grid)
        log_a, b = _weighted_line(z, np.log(sub) - np.log1p(-sub), w)
        return Kannisto(a=np.exp(log_a), b=b, x0=float(x0))
    d, e = (arr[..., idx] for arr in counts)
    _check_counts(d, e, grid[idx])
    features = np.stack([np.ones_like(z), z])

    def objective(theta):
        eta = theta[..., 0:1] + theta[..., 1:2] * z
        hazard = 0.5 * (1.0 + np.tanh(eta / 2.0))
        log_hazard = -np.logaddexp(0.0, -eta)
        loglik = (d * log_hazard - e * hazard).sum(axis=-1)
        score = (d - e * hazard) * (1.0 - hazard)
        info = e * hazard * (1.0 - hazard) ** 2
        grad = np.einsum("...n,kn->...k", score, features)
        hess = -np.einsum("...n,kn,ln->...kl", info, features, features)
        return loglik, grad, hess

    pooled = d.sum(axis=-1) / e.sum(axis=-1)
    start = np.stack([np.log(pooled / (1.0 - np.minimum(pooled, 0.9))), np.full(pooled.shape, 0.1)], axis=-1)
    theta = _newton_two(objective, start, what="Kannisto model")
    return Kannisto(a=np.exp(theta[..., 0]), b=theta[..., 1], x0=float(x0))


def close_old_ages(
    mx,
    ages=None,
    *,
    fit_ages: tuple[float, float] = (80, 95),
    from_age: int = 90,
    blend: int = 5,
    omega: int = 100,
    x0: float = 80.0,
    method: str = "logit-ls",
    deaths=None,
    exposure=None,
    open_rate: str = "life-expectancy",
) -> np.ndarray:
    r"""Replace death rates at old ages by a fitted Kannisto curve; return single ages 0..omega.

    1. Fit the Kannisto model to the rates at ``fit_ages`` (see :func:`fit_kannisto`).
    2. Single-age rates below the join are the input rates. Abridged input is expanded with
       the interval's rate at each single age inside it (a constant rate within the interval,
       which keeps each interval's survival probability under the constant-force assumption);
       graduate the younger ages first if a smooth single-age curve is needed there.
    3. From ``from_age`` up to ``omega - 1`` the rate of age ``x`` is the fitted hazard at mid-age,
       :math:`m_x = \mu(x + 0.5)`.
    4. Between ``from_age - blend`` and ``from_age`` the two are blended on the log scale with a
       weight rising linearly from 0 to 1,
       :math:`\ln m_x = (1 - w_x)\ln m^{obs}_x + w_x \ln \mu(x + 0.5)`,
       :math:`w_x = (x - (\text{from\_age} - \text{blend}))/\text{blend}`, so the schedule has
       no jump at the join.
    5. The open interval ``omega+`` gets the curve's survivorship-weighted mean hazard,
       :math:`m_{\omega+} = 1/e_\omega` (``open_rate="life-expectancy"``, default, exact: see
       :meth:`Kannisto.open_interval_rate`), or simply :math:`\mu(\omega + 0.5)`
       (``open_rate="midpoint"``, which understates the rate of an open interval).

    Parameters
    ----------
    mx : array_like, shape (..., n_ages)
        Central death rates by age (any batch shape, e.g. ``(year, sex, age)``).
    ages : 1-D array, optional
        Age grid of ``mx`` (single ages, or abridged ``0, 1, 5, ..., 100``). Default single ages.
    fit_ages : (float, float)
        Start ages of the intervals the curve is fitted to. Default ``(80, 95)``.
    from_age : int
        First single age whose rate is entirely the fitted curve. Default 90. Must not exceed
        the start of the input's open interval.
    blend : int
        Number of years over which the input blends into the curve below ``from_age``; 0 for
        a hard switch. Default 5 (ages 86-89 are blended).
    omega : int
        Start of the output's open interval. Default 100 (output ages 0..100, "100+").
    x0, method, deaths, exposure
        Passed to :func:`fit_kannisto`.
    open_rate : {"life-expectancy", "midpoint"}
        Rate of the open interval (step 5).

    Returns
    -------
    numpy.ndarray, shape (..., omega + 1)
        Death rates at single ages 0..omega, the last for the open interval ``omega+``.

    Raises
    ------
    ValueError
        Missing or negative rates; rates at the fit or blend ages not in (0, 1); ``from_age``,
        ``blend``, ``omega`` or ``fit_ages`` inconsistent with the grid; a fitted curve that
        falls with age (``b <= 0``).

    Examples
    --------
    >>> import numpy as np
    >>> from qsp.demography.ages import abridged_ages
    >>> grid = abridged_ages(100)
    >>> mx = kannisto(grid + np.append(np.diff(grid), 0) / 2, 0.07, 0.1)
    >>> single = close_old_ages(mx, grid)
    >>> single.shape
    (101,)

    References
    ----------
    HMD Methods Protocol v6 (Wilmoth et al. 2017), section 6; Thatcher, Kannisto & Vaupel (1998).
    """
    rates = check_values("mx", mx, lower=0.0, what="death rate",
                         hint="Death rates are per person-year and cannot be negative.")
    grid = _age_grid(ages, rates.shape[-1], "mx")
    for label, value in (("from_age", from_age), ("blend", blend), ("omega", omega)):
        if int(value) != value or value < 0:
            raise ValueError(f"{label} must be a whole number of years (0 or more), got {value!r}.")
    from_age, blend, omega = int(from_age), int(blend), int(omega)
    if open_rate not in ("life-expectancy", "midpoint"):
        raise ValueError(f"open_rate must be 'life-expectancy' or 'midpoint', got {open_rate!r}.")
    if from_age > grid[-1]:
        raise ValueError(
            f"from_age={from_age} is above the start of the open interval of mx ({grid[-1]:g}+), so there are "
            f"no observed single-age rates to join the curve to; use from_age <= {grid[-1]:g}."
        )
    if from_age > omega:
        raise ValueError(f"from_age={from_age} must not exceed omega={omega}.")
    if blend > from_age:
        raise ValueError(f"blend={blend} must not exceed from_age={from_age}.")
    model = fit_kannisto(rates, grid, fit_ages=fit_ages, x0=x0, method=method, deaths=deaths, exposure=exposure)
    b = np.asarray(model.b)
    bad = ~(b > 0)
    if bad.any():
        idx = tuple(int(i) for i in np.argwhere(np.atleast_1d(bad))[0]) if bad.ndim else ()
        where = f" at {describe_position(idx, _trailing(rates)[:-1])}" if idx else ""
        raise ValueError(
            f"the Kannisto curve fitted to mx at fit_ages={tuple(fit_ages)} falls with age (b = "
            f"{float(np.ravel(b)[np.ravel(bad)][0]):.4g}){where}; check the old-age rates or choose other fit_ages."
        )
    single = np.arange(omega + 1)
    join_start = from_age - blend
    weight = np.clip((single - join_start) / blend, 0.0, 1.0) if blend else (single >= from_age).astype(float)
    weight[-1] = 1.0
    observed_ages = single[weight < 1.0]
    position = np.searchsorted(grid, observed_ages, side="right") - 1
    observed = rates[..., position]
    blended = np.flatnonzero((weight > 0) & (weight < 1))
    if blended.size:
        zone = observed[..., blended]
        bad = ~(zone > 0)
        if bad.any():
            idx_, where = _where(zone, bad, single[blended].astype(float))
            raise ValueError(
                f"mx is {zone[idx_]:g} at {where}, inside the blend zone ({join_start}-{from_age}), where rates "
                f"are blended on the log scale and must be positive; raise from_age or set blend=0."
            )
    fitted_ages = single[weight > 0]
    fitted = model.evaluate(fitted_ages[:-1] + 0.5)
    if open_rate == "life-expectancy":
        open_value = model.open_interval_rate(omega)
    else:
        open_value = model.evaluate(omega + 0.5)
    fitted = np.concatenate([fitted, np.asarray(open_value)[..., None]], axis=-1)
    out = np.empty(rates.shape[:-1] + (omega + 1,))
    out[..., observed_ages] = observed
    out[..., fitted_ages] = fitted
    if blended.size:
        w = weight[blended]
        fitted_at_blend = fitted[..., : blended.size]
        out[..., blended] = np.exp((1.0 - w) * np.log(observed[..., blended]) + w * np.log(fitted_at_blend))
    return out


# ---------------------------------------------------------------------------------------------
# Heligman-Pollard
# ---------------------------------------------------------------------------------------------
def _hp_columns(params) -> list[np.ndarray]:
    if isinstance(params, HeligmanPollard):
        return [np.asarray(getattr(params, name), dtype=np.float64) for name in HP_PARAMETER_NAMES]
    arr = as_float_array("params", params)
    if arr.ndim == 0 or arr.shape[-1] != 8:
        raise ValueError(
            f"params must hold the 8 Heligman-Pollard parameters A..H on its last axis, but it has shape {arr.shape}."
        )
    return [arr[..., i] for i in range(8)]


def _hp_odds(x: np.ndarray, A, B, C, D, E, F, G, H) -> np.ndarray:
    """Heligman-Pollard odds q/p; the accident hump is 0 at age 0 (its limit as x -> 0)."""
    positive = x > 0
    log_x = np.log(np.where(positive, x, 1.0))
    hump = np.where(positive, D * np.exp(-E * (log_x - np.log(F)) ** 2), 0.0)
    childhood = np.exp(np.log(A) * (x + B) ** C)
    senescent = G * np.exp(x * np.log(H))
    return childhood + hump + senescent


def heligman_pollard(ages, params) -> np.ndarray:
    r"""Heligman-Pollard (1980) probabilities of dying, first formula (8 parameters).

    .. math::
        \frac{q_x}{p_x} = A^{(x+B)^C} + D\,e^{-E(\ln x - \ln F)^2} + G H^x,
        \qquad q_x = \frac{q_x/p_x}{1 + q_x/p_x}.

    The three terms are childhood mortality (A: level, about :math:`q_1`; B: an age
    displacement locating :math:`q_0`; C: the rate of decline), the accident hump (D: severity,
    E: spread, F: location in years) and senescent mortality (G: level, H: rate of increase).

    At ``x = 0``, :math:`\ln x` is undefined; the hump term is taken as its limit 0 (for
    :math:`x \to 0^+`, :math:`(\ln x - \ln F)^2 \to \infty`), so
    :math:`q_0/p_0 = A^{B^C} + G`.

    Parameters
    ----------
    ages : float or 1-D array
        Exact ages ``x`` (years); ``q_x`` is the probability of dying between ``x`` and ``x+1``.
    params : array_like, shape (..., 8), or HeligmanPollard
        Parameters A, B, C, D, E, F, G, H.

    Returns
    -------
    numpy.ndarray, shape (..., n_ages)
        Probabilities of dying within one year.

    Examples
    --------
    >>> round(float(heligman_pollard(60.0, HP_AUSTRALIA_MALES_1970)), 5)
    0.02238

    References
    ----------
    Heligman & Pollard (1980), formula (1) and Table 2 (Australian males 1970-72).
    """
    columns = _hp_columns(params)
    x, columns = _with_age_axis(ages, *columns)
    odds = _hp_odds(x, *columns)
    return odds / (1.0 + odds)


@dataclass(frozen=True, eq=False)
class HeligmanPollard:
    """Heligman-Pollard parameters A..H (arrays of the batch shape). Call with ages for ``q_x``."""

    A: np.ndarray
    B: np.ndarray
    C: np.ndarray
    D: np.ndarray
    E: np.ndarray
    F: np.ndarray
    G: np.ndarray
    H: np.ndarray

    def evaluate(self, ages) -> np.ndarray:
        """Probability of dying between ``x`` and ``x + 1``, shape (..., n_ages)."""
        return heligman_pollard(ages, self)

    __call__ = evaluate

    @property
    def params(self) -> np.ndarray:
        """The parameters stacked on a last axis of length 8, in the order A..H."""
        return np.stack([np.asarray(getattr(self, name), dtype=np.float64) for name in HP_PARAMETER_NAMES], axis=-1)


def _hp_start(q: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Data-driven starting values for one schedule (natural scale, A..H)."""
    odds = q / (1.0 - q)
    old = (x >= 50) & (x <= 85)
    if old.sum() < 2:
        old = x >= np.quantile(x, 0.6)
    log_g, log_h = _weighted_line(x[old], np.log(odds[old]), None)
    G, H = float(np.exp(log_g)), float(np.exp(log_h))
    at_one = np.flatnonzero(x == 1)
    A = float(odds[at_one[0]] - G * H) if at_one.size else 5e-4
    A = float(np.clip(A, 2e-5, 0.1))
    C = 0.1
    at_zero = np.flatnonzero(x == 0)
    if at_zero.size and odds[at_zero[0]] > A:
        B = (np.log(odds[at_zero[0]]) / np.log(A)) ** (1.0 / C)
    else:
        B = 0.01
    hump_ages = (x >= 10) & (x <= 40)
    if hump_ages.any():
        excess = odds[hump_ages] - G * H ** x[hump_ages] - np.exp(np.log(A) * (x[hump_ages] + B) ** C)
        F = float(np.clip(x[hump_ages][np.argmax(excess)], 15.0, 35.0))
        D = float(np.clip(excess.max(), 1e-5, 0.05))
    else:
        F, D = 20.0, 5e-4
    start = np.array([A, float(B), C, D, 10.0, F, G, H])
    lower, upper = np.array(_HP_LOWER), np.array(_HP_UPPER)
    return np.clip(start, lower * 1.01, upper * 0.99)


def fit_heligman_pollard(
    qx=None,
    ages=None,
    *,
    fit_ages: tuple[float, float] = (0, 85),
    method: str = "ls-log-qx",
    deaths=None,
    exposure=None,
    start=None,
    bounds=None,
) -> HeligmanPollard:
    r"""Fit the 8-parameter Heligman-Pollard law to single-age probabilities of dying.

    ``method="ls-log-qx"`` (default): bounded least squares on log probabilities,
    :math:`\min \sum_x [\ln \hat q_x - \ln q_x]^2`, close to Heligman and Pollard's own
    criterion :math:`\sum (\hat q_x / q_x - 1)^2` (relative errors, so that infant, young-adult
    and old-age rates count alike). ``method="poisson"``: maximum likelihood with deaths
    :math:`D_x \sim \text{Poisson}(E_x \hat m_x)`, where the model's central rate is
    :math:`\hat m_x = -\ln(1 - \hat q_x) = \ln(1 + \hat q_x/\hat p_x)` (constant force within
    each year of age).

    The optimiser is :func:`scipy.optimize.least_squares` on the logarithms of the parameters
    (all are positive), within ``bounds``, once per schedule (a loop over the batch). Without
    ``start`` it tries two starting points, data-driven values and the Australian 1970-72
    male parameters, and keeps the better fit: the Heligman-Pollard surface has several local
    minima.

    Parameters
    ----------
    qx : array_like, shape (..., n_ages), optional
        Probabilities of dying between single ages ``x`` and ``x + 1``. Needed for
        ``"ls-log-qx"``; for ``"poisson"`` it is only used for starting values (default
        ``1 - exp(-deaths/exposure)``).
    ages : 1-D array, optional
        Single ages of the last axis (default ``0..n-1``, the last one open and not fitted).
    fit_ages : (float, float)
        Ages used; default ``(0, 85)``: above 85 single-age rates are often unreliable and
        the senescent term is a Gompertz law on the odds, which overstates the oldest rates.
    method : {"ls-log-qx", "poisson"}
    deaths, exposure : array_like, optional
        Death counts and person-years at risk by single age (for ``"poisson"``).
    start : array_like, shape (8,) or (..., 8), or HeligmanPollard, optional
        Starting values A..H.
    bounds : (lower, upper), optional
        Bounds on A..H. Default lower ``(1e-6, 1e-6, 0.01, 1e-7, 0.5, 10, 1e-8, 1.0)`` and
        upper ``(0.5, 1, 1, 0.1, 100, 50, 0.01, 1.3)``.

    Returns
    -------
    HeligmanPollard
        Parameters with the batch shape ``qx.shape[:-1]``.

    Raises
    ------
    ValueError
        ``qx`` not in (0, 1) at the fit ages, a non-single-year age grid, fewer than 9 fit
        ages, ``fit_ages`` outside the grid, a starting value outside the bounds.

    Examples
    --------
    >>> import numpy as np
    >>> qx = heligman_pollard(np.arange(101), HP_AUSTRALIA_MALES_1970)
    >>> fit = fit_heligman_pollard(qx)
    >>> round(float(fit.F), 2), round(float(fit.H), 4)
    (20.03, 1.1074)

    References
    ----------
    Heligman & Pollard (1980); Preston, Heuveline & Guillot (2001), section 9.2.
    """
    if method not in ("ls-log-qx", "poisson"):
        raise ValueError(f"method must be 'ls-log-qx' or 'poisson', got {method!r}.")
    counts = _counts(deaths, exposure)
    if method == "poisson" and counts is None:
        raise ValueError("method='poisson' needs deaths and exposure (person-years) by single age; pass both.")
    if qx is None:
        if counts is None:
            raise ValueError("give the probabilities of dying qx, or deaths and exposure with method='poisson'.")
        d_all, e_all = counts
        with np.errstate(divide="ignore", invalid="ignore"):
            probs = np.where(e_all > 0, -np.expm1(-d_all / np.where(e_all > 0, e_all, 1.0)), np.nan)
    else:
        probs = as_float_array("qx", qx)
    grid = _age_grid(ages, probs.shape[-1], "qx")
    if np.any(np.diff(grid) != 1):
        raise ValueError("the Heligman-Pollard fit needs single ages (0, 1, 2, ...); graduate abridged data first.")
    idx = _fit_index(grid, fit_ages, min_points=9, model="Heligman-Pollard")
    x = grid[idx]
    lower = np.array(_HP_LOWER if bounds is None else bounds[0], dtype=np.float64)
    upper = np.array(_HP_UPPER if bounds is None else bounds[1], dtype=np.float64)
    if lower.shape != (8,) or upper.shape != (8,) or np.any(~(lower > 0)) or np.any(~(upper > lower)):
        raise ValueError("bounds must be (lower, upper), each 8 positive numbers for A..H with lower < upper.")
    if method == "ls-log-qx":
        sub = _check_fit_rates("qx", probs, idx, grid, upper_exclusive=1.0,
                               why="the fit takes log q and the odds q/(1-q)",
                               fix="Leave that age out of fit_ages, or fit by method='poisson' with deaths "
                                   "and exposure, which accepts ages without deaths.")
        batch = probs.shape[:-1]
    else:
        d_all, e_all = counts
        d = np.broadcast_to(d_all[..., idx], np.broadcast_shapes(d_all.shape[:-1], probs.shape[:-1]) + (idx.size,))
        e = np.broadcast_to(e_all[..., idx], d.shape)
        _check_counts(d, e, x)
        batch = d.shape[:-1]
        sub = np.broadcast_to(probs[..., idx], d.shape)
    if start is not None:
        starts = np.broadcast_to(np.stack(_hp_columns(start), axis=-1), batch + (8,))
        outside = (starts < lower) | (starts > upper)
        if outside.any():
            name = HP_PARAMETER_NAMES[int(np.argwhere(outside)[0][-1])]
            raise ValueError(f"start value of {name} lies outside the bounds; adjust start or bounds.")
    optimize = _scipy_optimize()
    log_lower, log_upper = np.log(lower), np.log(upper)
    out = np.empty(batch + (8,))
    for pos in _batch_loop(batch):
        if method == "ls-log-qx":
            log_q = np.log(sub[pos])

            def residuals(theta, log_q=log_q):
                odds = _hp_odds(x, *np.exp(theta))
                return np.log(odds) - np.log1p(odds) - log_q

            candidates = [_hp_start(sub[pos], x)]
        else:
            deaths_, exposure_ = d[pos], e[pos]

            def residuals(theta, deaths_=deaths_, exposure_=exposure_):
                return _deviance_residuals(deaths_, exposure_ * np.log1p(_hp_odds(x, *np.exp(theta))))

            observed = sub[pos]
            usable = np.isfinite(observed) & (observed > 0) & (observed < 1)
            candidates = [_hp_start(observed[usable], x[usable])] if usable.sum() >= 9 else []
        if start is not None:
            candidates = [np.asarray(starts[pos])]
        else:
            candidates.append(np.clip(np.array(HP_AUSTRALIA_MALES_1970), lower, upper))
        best = None
        for candidate in candidates:
            theta0 = np.clip(np.log(candidate), log_lower, log_upper)
            result = optimize.least_squares(
                residuals, theta0, bounds=(log_lower, log_upper), method="trf",
                ftol=1e-15, xtol=1e-15, gtol=1e-15, max_nfev=4000,
            )
            if best is None or result.cost < best.cost:
                best = result
        out[pos] = np.exp(best.x)
    return HeligmanPollard(*(out[..., i] for i in range(8)))


# ---------------------------------------------------------------------------------------------
# Brass relational logit model
# ---------------------------------------------------------------------------------------------
def _brass_y(survivorship: np.ndarray) -> np.ndarray:
    """Brass logit Y = 0.5 ln((1 - l) / l) for 0 < l < 1."""
    return 0.5 * (np.log1p(-survivorship) - np.log(survivorship))


def _relative_survivorship(name: str, lx) -> np.ndarray:
    """Survivorship divided by its radix ``l_0``, checked to lie in [0, 1]."""
    arr = check_values(name, lx, lower=0.0, what="number of survivors",
                       hint="Survivors l_x are counts or fractions of a birth cohort (0 or more).")
    if arr.ndim == 0 or arr.shape[-1] < 2:
        raise ValueError(f"{name} must have an age axis (last) with at least two ages, but it has shape {arr.shape}.")
    radix = arr[..., :1]
    if np.any(~(radix > 0)):
        raise ValueError(f"{name} must start with a positive radix l_0 at age 0.")
    relative = arr / radix
    bad = relative > 1.0 + 1e-12
    if bad.any():
        _, where = _where(arr, bad)
        raise ValueError(f"{name} exceeds its radix l_0 at {where}; survivors cannot increase with age.")
    return np.minimum(relative, 1.0)


def brass_logit(standard_lx, alpha, beta) -> np.ndarray:
    r"""Survivorship from the Brass relational logit model.

    .. math::
        Y(x) = \tfrac12 \ln\frac{1 - l_x}{l_x}, \qquad Y(x) = \alpha + \beta\, Y_s(x),
        \qquad l_x = \frac{1}{1 + e^{2 Y(x)}},

    with :math:`l_x` on radix 1. This is Brass's own sign convention: :math:`Y` rises with age
    (it is half the logit of the probability of dying by age ``x``, :math:`{}_xq_0 = 1 - l_x`,
    as in Preston et al. 2001), so a larger :math:`\alpha` means higher mortality and
    :math:`\beta > 1` a steeper rise of mortality with age. (Some texts use
    :math:`\tfrac12\ln(l_x/(1-l_x))`, which flips the sign of :math:`\alpha`.) With
    ``alpha = 0`` and ``beta = 1`` the standard is returned.

    Parameters
    ----------
    standard_lx : array_like, shape (..., n_ages)
        Survivors of the standard life table at exact ages, any radix (``l_0``), which the result
        keeps. Ages where the standard is exactly ``l_0`` or 0 keep that value.
    alpha, beta : array_like, shape (...)
        Level and shape parameters; ``beta`` must be positive.

    Returns
    -------
    numpy.ndarray, shape (..., n_ages)
        Survivors :math:`l_x` on the standard's radix.

    Examples
    --------
    >>> import numpy as np
    >>> brass_logit(np.array([1.0, 0.5, 0.25]), 0.0, 2.0).round(4).tolist()  # Y_s = 0 and ln(3)/2
    [1.0, 0.5, 0.1]

    References
    ----------
    Brass (1971); Preston, Heuveline & Guillot (2001), section 9.3.
    """
    relative = _relative_survivorship("standard_lx", standard_lx)
    radix = as_float_array("standard_lx", standard_lx)[..., :1]
    alpha_ = as_float_array("alpha", alpha)[..., None]
    beta_ = as_float_array("beta", beta)[..., None]
    if np.any(~(beta_ > 0)):
        raise ValueError("beta must be positive: with beta <= 0 the survivors would not decline with age.")
    if not (np.all(np.isfinite(alpha_))):
        raise ValueError("alpha must be a finite number.")
    interior = (relative > 0) & (relative < 1)
    y_standard = _brass_y(np.where(interior, relative, 0.5))
    y = alpha_ + beta_ * y_standard
    survivors = 0.5 * (1.0 - np.tanh(y))
    return np.where(interior, survivors, relative) * radix


@dataclass(frozen=True, eq=False)
class BrassLogit:
    """Fitted Brass logit parameters (batch shape) and the standard they refer to.

    Call the object (or :meth:`evaluate`) to get the fitted survivors on the standard's radix.
    """

    alpha: np.ndarray
    beta: np.ndarray
    standard_lx: np.ndarray

    def evaluate(self, standard_lx=None) -> np.ndarray:
        """Survivors ``l_x`` from the fitted alpha, beta and the stored (or another) standard."""
        return brass_logit(self.standard_lx if standard_lx is None else standard_lx, self.alpha, self.beta)

    __call__ = evaluate


def fit_brass_logit(lx, standard_lx, *, ages=None, ages_used=None) -> BrassLogit:
    r"""Fit Brass's logit relational model :math:`Y(x) = \alpha + \beta Y_s(x)` by least squares.

    Ordinary least squares of :math:`Y(x) = \tfrac12\ln((1 - l_x)/l_x)` on
    :math:`Y_s(x)` over the ages used (a closed form, vectorised over the batch):
    :math:`\beta = \operatorname{cov}(Y, Y_s)/\operatorname{var}(Y_s)`,
    :math:`\alpha = \bar Y - \beta \bar Y_s`. (Brass fitted by group averages; least squares is
    the usual modern choice.) Sign convention as in :func:`brass_logit`.

    Parameters
    ----------
    lx : array_like, shape (..., n_ages)
        Survivors of the observed table at exact ages (any radix).
    standard_lx : array_like, shape (..., n_ages)
        Survivors of the standard (any radix), broadcast against ``lx``.
    ages : 1-D array, optional
        Exact ages of the last axis (default ``0..n-1``).
    ages_used : sequence of float, optional
        Ages used in the fit; default every age but the first (``l_0`` is the radix, its logit
        is :math:`-\infty`) and the last (the start of the open interval).

    Returns
    -------
    BrassLogit
        ``alpha``, ``beta`` (batch shape) and the standard.

    Raises
    ------
    ValueError
        An age used where ``l_x`` is not strictly between 0 and ``l_0``; an age not on the
        grid; fewer than two ages; shape mismatch.

    Examples
    --------
    >>> import numpy as np
    >>> standard = np.array([1.0, 0.95, 0.9, 0.8, 0.6, 0.3, 0.05])
    >>> fit = fit_brass_logit(brass_logit(standard, 0.3, 1.2), standard)
    >>> round(float(fit.alpha), 10), round(float(fit.beta), 10)
    (0.3, 1.2)

    References
    ----------
    Brass (1971); Preston, Heuveline & Guillot (2001), section 9.3.
    """
    observed = _relative_survivorship("lx", lx)
    standard = _relative_survivorship("standard_lx", standard_lx)
    if observed.shape[-1] != standard.shape[-1]:
        raise ValueError(
            f"lx has {observed.shape[-1]} ages but standard_lx has {standard.shape[-1]}; they must share the age axis."
        )
    try:
        observed, standard = np.broadcast_arrays(observed, standard)
    except ValueError as exc:
        raise ValueError(f"lx {observed.shape} and standard_lx {standard.shape} do not broadcast together.") from exc
    grid = _age_grid(ages, observed.shape[-1], "lx")
    if ages_used is None:
        idx = np.arange(1, grid.size - 1)
    else:
        wanted = np.atleast_1d(as_float_array("ages_used", ages_used))
        missing = [float(a) for a in wanted if not np.any(grid == a)]
        if missing:
            raise ValueError(
                f"ages_used contains age {missing[0]:g}, which is not on the age grid ({grid[0]:g}..{grid[-1]:g}); "
                f"use ages of the grid."
            )
        idx = np.flatnonzero(np.isin(grid, wanted))
    if idx.size < 2:
        raise ValueError("the Brass logit fit needs at least two ages; give more ages_used.")
    for name, table in (("lx", observed), ("standard_lx", standard)):
        sub = table[..., idx]
        bad = ~((sub > 0) & (sub < 1))
        if bad.any():
            idx_, where = _where(sub, bad, grid[idx])
            raise ValueError(
                f"{name} relative to its radix is {sub[idx_]:g} at {where}; the logit needs survivors strictly "
                f"between 0 and l_0. Leave that age out of ages_used."
            )
    y = _brass_y(observed[..., idx])
    y_standard = _brass_y(standard[..., idx])
    y_mean = y.mean(axis=-1, keepdims=True)
    ys_mean = y_standard.mean(axis=-1, keepdims=True)
    spread = ((y_standard - ys_mean) ** 2).sum(axis=-1)
    if np.any(spread <= 0):
        raise ValueError("standard_lx is constant over the ages used; the fit needs a standard that varies with age.")
    beta = ((y_standard - ys_mean) * (y - y_mean)).sum(axis=-1) / spread
    alpha = y_mean[..., 0] - beta * ys_mean[..., 0]
    return BrassLogit(alpha=alpha, beta=beta, standard_lx=as_float_array("standard_lx", standard_lx))
