"""The Lee-Carter (1992) model of mortality change and its random-walk forecast.

.. math::
    \\ln m_{x,t} = a_x + b_x k_t + \\varepsilon_{x,t},
    \\qquad \\sum_x b_x = 1, \\qquad \\sum_t k_t = 0.

Estimation (Lee and Carter 1992, appendix B): :math:`a_x` is the mean of :math:`\\ln m_{x,t}`
over the years; :math:`b_x` and :math:`k_t` come from the first term of the singular value
decomposition of the centred matrix :math:`\\ln m_{x,t} - a_x`, rescaled so that the
:math:`b_x` sum to 1 (then the :math:`k_t` sum to 0 because every age column is centred).
Lee and Carter then re-estimate :math:`k_t` so that the fitted rates reproduce each year's
observed total deaths (a "second stage"); that needs deaths by age and is not done here, so the
:math:`k_t` are the least-squares values on the log scale.

Forecast: :math:`k_t` follows a random walk with drift,
:math:`k_{t} = k_{t-1} + d + e_t`, :math:`e_t \\sim N(0, \\sigma^2)`, with
:math:`\\hat d = (k_T - k_1)/(T - 1)` and
:math:`\\hat\\sigma^2 = \\sum_{t=2}^{T} (k_t - k_{t-1} - \\hat d)^2 / (T - 2)`.

Shapes: ``mx`` is ``(..., year, age)`` for one sex, or ``(..., year, sex, age)`` for two sexes,
which are fitted separately (vectorised: the sex axis is just part of the batch). Parameters
come back as ``ax, bx: (..., [sex,] age)``, ``kt: (..., year[, sex])``.

References
----------
Lee, R. D. and Carter, L. R. (1992). Modeling and forecasting U.S. mortality. *Journal of the
American Statistical Association* 87(419): 659-671.
Lee, R. D. and Miller, T. (2001). Evaluating the performance of the Lee-Carter method for
forecasting mortality. *Demography* 38(4): 537-549 (jump-off from observed rates).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validate import as_float_array, check_increasing, check_values, describe_position

_JUMP_OFFS = ("fitted", "observed")


def _series(arr: np.ndarray, has_sex: bool) -> np.ndarray:
    """(..., year, [sex,] age) -> (..., [sex,] year, age): every series is one (year, age) matrix."""
    return np.moveaxis(arr, -2, -3) if has_sex else arr


def _public(arr: np.ndarray, has_sex: bool) -> np.ndarray:
    """(..., [sex,] year, age) -> (..., year, [sex,] age)."""
    return np.moveaxis(arr, -3, -2) if has_sex else arr


@dataclass(frozen=True, eq=False)
class LeeCarterForecast:
    """A Lee-Carter forecast.

    Attributes
    ----------
    years : numpy.ndarray, shape (horizon,)
        Forecast years (last fitted year + step, + 2 steps, ...).
    kt : numpy.ndarray, shape (..., horizon[, sex])
        Point forecast of the mortality index: ``k_T + d h``.
    mx : numpy.ndarray, shape (..., horizon, [sex,] age)
        Point forecast of the death rates, ``exp(a_x + b_x k)`` (or from the observed jump-off).
        On the log scale it is the mean of the forecast distribution; on the rate scale it is
        the median (the mean of the rates is higher).
    kt_draws : numpy.ndarray or None, shape (n_draws, ..., horizon[, sex])
        Simulated paths of the index.
    mx_draws : numpy.ndarray or None, shape (n_draws, ..., horizon, [sex,] age)
        Simulated death rates; the draws axis comes first, so the result broadcasts against
        other inputs of shape (..., year, sex, age).
    ages : numpy.ndarray
        Ages of the last axis.
    has_sex_axis : bool
        Whether the rates carry a sex axis before the age axis.
    """

    years: np.ndarray
    kt: np.ndarray
    mx: np.ndarray
    kt_draws: np.ndarray | None
    mx_draws: np.ndarray | None
    ages: np.ndarray
    has_sex_axis: bool = False

    def e0(self, *, draws: bool = False, sex=None, **life_table_options) -> np.ndarray:
        """Life expectancy at birth of the forecast rates, from :func:`qsp.demography.life_table`.

        Parameters
        ----------
        draws : bool
            Use the simulated rates (shape ``(n_draws, ..., horizon[, sex])``) instead of the
            point forecast (``(..., horizon[, sex])``).
        sex : {"female", "male"}, optional
            Needed when the model was fitted to one sex (it selects the a0 rule); must be
            omitted for a two-sex fit.
        **life_table_options
            Passed to :func:`qsp.demography.life_table` (``a0``, ``radix``, ...). The age grid
            is the one given to :func:`fit_lee_carter`, so fit on the true ages (e.g. abridged
            ``0, 1, 5, ...``) for a correct table.
        """
        from .lifetable import life_table

        rates = self.mx_draws if draws else self.mx
        if rates is None:
            raise ValueError("this forecast has no draws; call forecast(..., n_draws=1000) to simulate them.")
        if self.has_sex_axis and sex is not None:
            raise ValueError("the forecast has a sex axis (both sexes); leave sex out.")
        if not self.has_sex_axis and sex is None:
            raise ValueError("the forecast is for one sex; say which with sex='female' or sex='male'.")
        return life_table(rates, ages=self.ages, sex=sex, **life_table_options).e0


@dataclass(frozen=True, eq=False)
class LeeCarter:
    """A fitted Lee-Carter model (see the module notes for the formulas).

    Attributes
    ----------
    ax, bx : numpy.ndarray, shape (..., [sex,] age)
        Mean log death rate by age, and the age pattern of change (sums to 1 over ages).
    kt : numpy.ndarray, shape (..., year[, sex])
        Mortality index (sums to 0 over years).
    years, ages : numpy.ndarray
        Labels of the year and age axes.
    explained_variance : numpy.ndarray, shape (...[, sex])
        Share of the variance of the centred log rates captured by the first SVD term,
        :math:`s_1^2 / \\sum_i s_i^2`.
    last_log_mx : numpy.ndarray, shape (..., [sex,] age)
        Observed log death rates in the last year, for ``jump_off="observed"``.
    has_sex_axis : bool
        Whether the data had a sex axis (then ``kt`` ends with it).
    """

    ax: np.ndarray
    bx: np.ndarray
    kt: np.ndarray
    years: np.ndarray
    ages: np.ndarray
    explained_variance: np.ndarray
    last_log_mx: np.ndarray
    has_sex_axis: bool = False

    def _kt_series(self) -> np.ndarray:
        """kt as (..., [sex,] year)."""
        return np.moveaxis(self.kt, -1, -2) if self.has_sex_axis else self.kt

    @property
    def drift(self) -> np.ndarray:
        """Drift of the random walk, :math:`(k_T - k_1)/(T - 1)`, per step of ``years``; shape (...[, sex])."""
        k = self._kt_series()
        return (k[..., -1] - k[..., 0]) / (k.shape[-1] - 1)

    @property
    def sigma(self) -> np.ndarray:
        """Standard deviation of the random walk's innovations (``T - 2`` degrees of freedom)."""
        steps = np.diff(self._kt_series(), axis=-1)
        return np.sqrt(((steps - self.drift[..., None]) ** 2).sum(axis=-1) / (steps.shape[-1] - 1))

    def fitted_mx(self) -> np.ndarray:
        """Fitted death rates ``exp(a_x + b_x k_t)``, shape (..., year, [sex,] age)."""
        k = self._kt_series()
        log_mx = self.ax[..., None, :] + self.bx[..., None, :] * k[..., :, None]
        return _public(np.exp(log_mx), self.has_sex_axis)

    def forecast(
        self,
        horizon: int,
        *,
        n_draws: int = 0,
        seed=None,
        jump_off: str = "fitted",
        drift_uncertainty: bool = False,
    ) -> LeeCarterForecast:
        """Forecast death rates with the random walk with drift.

        Parameters
        ----------
        horizon : int
            Number of steps ahead (years when the fitted years are annual).
        n_draws : int
            Number of simulated paths (0: point forecast only). Simulation is vectorised.
        seed : int or numpy.random.Generator, optional
            Seed for reproducible draws.
        jump_off : {"fitted", "observed"}
            ``"fitted"`` (Lee and Carter 1992): :math:`\\ln m_{x,T+h} = a_x + b_x k_{T+h}`.
            ``"observed"`` (Lee and Miller 2001): start from the observed rates of the last
            year, :math:`\\ln m_{x,T+h} = \\ln m_{x,T} + b_x (k_{T+h} - k_T)`, which removes the
            jump between the last observed and the first forecast year.
        drift_uncertainty : bool
            Also draw the drift of each path from its sampling distribution
            :math:`N(\\hat d, \\hat\\sigma^2/(T-1))` (parameter uncertainty). Default False:
            only the innovations are random, as in the basic Lee-Carter intervals, which are
            therefore too narrow at long horizons.

        Returns
        -------
        LeeCarterForecast
        """
        if int(horizon) != horizon or horizon < 1:
            raise ValueError(f"horizon must be a whole number of steps (1 or more), got {horizon!r}.")
        if int(n_draws) != n_draws or n_draws < 0:
            raise ValueError(f"n_draws must be a whole number (0 or more), got {n_draws!r}.")
        if jump_off not in _JUMP_OFFS:
            raise ValueError(f"jump_off must be one of {_JUMP_OFFS}, got {jump_off!r}.")
        horizon, n_draws = int(horizon), int(n_draws)
        k = self._kt_series()
        k_last = k[..., -1]
        drift = self.drift
        steps_ahead = np.arange(1, horizon + 1, dtype=np.float64)
        step = self.years[-1] - self.years[-2]
        years = self.years[-1] + step * steps_ahead.astype(self.years.dtype)

        if jump_off == "fitted":
            base, k_base = self.ax, np.zeros_like(k_last)
        else:
            base, k_base = self.last_log_mx, k_last

        def rates(k_paths: np.ndarray) -> np.ndarray:
            # k_paths (..., [sex,] horizon) -> mx (..., horizon, [sex,] age)
            log_mx = base[..., None, :] + self.bx[..., None, :] * (k_paths - k_base[..., None])[..., None]
            return _public(np.exp(log_mx), self.has_sex_axis)

        def public_k(k_paths: np.ndarray) -> np.ndarray:
            return np.moveaxis(k_paths, -2, -1) if self.has_sex_axis else k_paths

        k_point = k_last[..., None] + drift[..., None] * steps_ahead
        kt_draws = mx_draws = None
        if n_draws:
            rng = np.random.default_rng(seed)
            shock_shape = (n_draws,) + k_last.shape + (horizon,)
            shocks = rng.standard_normal(shock_shape) * self.sigma[..., None]
            path_drift = np.broadcast_to(drift, (n_draws,) + drift.shape)
            if drift_uncertainty:
                spread = self.sigma / np.sqrt(k.shape[-1] - 1)
                path_drift = path_drift + spread * rng.standard_normal((n_draws,) + drift.shape)
            k_paths = k_last[..., None] + path_drift[..., None] * steps_ahead + np.cumsum(shocks, axis=-1)
            kt_draws, mx_draws = public_k(k_paths), rates(k_paths)
        return LeeCarterForecast(years=years, kt=public_k(k_point), mx=rates(k_point), kt_draws=kt_draws,
                                 mx_draws=mx_draws, ages=self.ages, has_sex_axis=self.has_sex_axis)


def fit_lee_carter(mx, *, years=None, ages=None, has_sex_axis: bool | None = None) -> LeeCarter:
    """Fit the Lee-Carter model to death rates by year and age (one model per sex and batch).

    Parameters
    ----------
    mx : array_like, shape (..., year, age) or (..., year, sex, age)
        Central death rates, strictly positive (their logarithm is taken).
    years : 1-D array, optional
        Calendar years of the year axis, increasing and equally spaced (e.g. annual, or
        5-year periods labelled by their start). Default ``0, 1, ..., T-1``. Drift and
        horizon are per step of this axis.
    ages : 1-D array, optional
        Ages of the last axis (labels only). Default ``0, 1, ..., n-1``.
    has_sex_axis : bool, optional
        Whether the second-to-last axis is sex. Default: yes when ``mx`` has 3 or more axes and
        the second-to-last has length 2 (a year axis of length 2 could not be fitted anyway).

    Returns
    -------
    LeeCarter
        ``ax, bx, kt``, labels, explained variance; ``.fitted_mx()``, ``.forecast(...)``.

    Raises
    ------
    ValueError
        Rates that are zero, negative or missing (naming the year, sex and age; close the old
        ages with :func:`qsp.demography.close_old_ages`, or pool ages or years), fewer than 3
        years, labels that do not match the axes, unequally spaced years, or rates that do not
        change over the years.

    Examples
    --------
    >>> import numpy as np
    >>> ax, bx = np.log([0.01, 0.002, 0.05]), np.array([0.5, 0.3, 0.2])
    >>> kt = np.array([3.0, 1.0, -1.0, -3.0])
    >>> fit = fit_lee_carter(np.exp(ax + bx * kt[:, None]), years=[2000, 2001, 2002, 2003])
    >>> fit.bx.round(6).tolist(), fit.kt.round(6).tolist(), round(float(fit.drift), 6)
    ([0.5, 0.3, 0.2], [3.0, 1.0, -1.0, -3.0], -2.0)

    References
    ----------
    Lee and Carter (1992); Preston, Heuveline & Guillot (2001), section 9.5 (forecasting).
    """
    arr = as_float_array("mx", mx)
    if arr.ndim < 2:
        raise ValueError(f"mx must have at least a year and an age axis (..., year, age), but it has shape {arr.shape}.")
    if has_sex_axis is None:
        has_sex_axis = arr.ndim >= 3 and arr.shape[-2] == 2
    if has_sex_axis and (arr.ndim < 3 or arr.shape[-2] != 2):
        raise ValueError(
            f"has_sex_axis=True needs mx laid out as (..., year, sex, age) with 2 sexes, but it has shape {arr.shape}."
        )
    trailing = ("year", "sex", "age") if has_sex_axis else ("year", "age")
    n_years = arr.shape[-len(trailing)]
    n_ages = arr.shape[-1]
    if n_years < 3:
        raise ValueError(
            f"mx has {n_years} year(s) on its year axis (shape {arr.shape}, read as {tuple(trailing)}); "
            f"Lee-Carter needs at least 3 years to estimate a drift and its variance."
        )
    if years is None:
        year_labels = np.arange(n_years)
    else:
        year_labels = check_increasing("years", years, what="years")
        if year_labels.size != n_years:
            raise ValueError(f"years has {year_labels.size} entries but mx has {n_years} years (shape {arr.shape}).")
        spacing = np.diff(year_labels)
        if np.any(spacing != spacing[0]):
            raise ValueError(
                f"years must be equally spaced for the random walk (got steps {sorted(set(spacing.tolist()))}); "
                f"drop or interpolate the irregular years."
            )
    age_labels = np.arange(n_ages) if ages is None else np.asarray(ages)
    if age_labels.shape != (n_ages,):
        raise ValueError(f"ages has {age_labels.size} entries but mx has {n_ages} ages (shape {arr.shape}).")
    check_values("mx", arr, trailing=trailing, lower=0.0, lower_inclusive=False, ages=age_labels,
                 years=year_labels, what="death rate",
                 hint="Lee-Carter takes logarithms of the rates. Close the old ages with "
                      "qsp.demography.close_old_ages, or pool ages, sexes or years where deaths are zero.")

    log_mx = _series(np.log(arr), has_sex_axis)  # (..., [sex,] year, age)
    ax = log_mx.mean(axis=-2)
    centred = log_mx - ax[..., None, :]
    u, s, vt = np.linalg.svd(centred, full_matrices=False)
    first_age = vt[..., 0, :]
    total = first_age.sum(axis=-1)
    norm = np.sqrt((first_age**2).sum(axis=-1))
    size = np.sqrt((log_mx**2).sum(axis=(-2, -1)))
    degenerate = ~(np.abs(total) > 1e-8 * np.maximum(norm, 1e-300)) | ~(s[..., 0] > 1e-10 * size)
    if degenerate.any():
        idx = tuple(int(i) for i in np.argwhere(np.atleast_1d(degenerate))[0]) if degenerate.ndim else ()
        where = f" at {describe_position(idx, ('sex',) if has_sex_axis else ())}" if idx else ""
        raise ValueError(
            f"mx does not change over the years in a way Lee-Carter can normalise{where}: the first age pattern "
            f"of change sums to zero (or the rates are constant), so b_x cannot be scaled to sum to 1."
        )
    bx = first_age / total[..., None]
    kt = u[..., :, 0] * (s[..., 0] * total)[..., None]
    explained = s[..., 0] ** 2 / (s**2).sum(axis=-1)
    kt_public = np.moveaxis(kt, -2, -1) if has_sex_axis else kt
    return LeeCarter(ax=ax, bx=bx, kt=kt_public, years=np.asarray(year_labels), ages=age_labels,
                     explained_variance=explained, last_log_mx=log_mx[..., -1, :], has_sex_axis=bool(has_sex_axis))
