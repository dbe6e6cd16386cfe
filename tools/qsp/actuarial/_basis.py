"""The mortality and interest basis shared by the actuarial kernels (private).

Every kernel reduces its mortality argument to one array of probabilities of dying ``q_x`` on
single ages ``0 .. omega`` (last axis), the last age being an OPEN interval in which the
probability of dying is the same every year (``q_omega`` applies at ``omega``, ``omega + 1``,
...). The discounted survivors then have a geometric tail beyond ``omega`` with ratio
``v p_omega``, which closes every sum exactly; ``q_omega = 1`` ends the table at ``omega``.

Nothing here loops over ages: survivors are a cumulative product, sums to the end of the table
are reversed cumulative sums.
"""

from __future__ import annotations

import numpy as np

from .._validate import check_values

APPROXIMATIONS = ("udd", "woolhouse")
"""Names accepted by ``approximation=`` for payments more than once a year."""


def _trailing(arr: np.ndarray) -> tuple[str, ...]:
    return ("sex", "age") if arr.ndim >= 2 else ("age",)


def mortality_qx(mortality, name: str = "mortality") -> np.ndarray:
    """Probabilities of dying ``(..., age)`` from a kit life table or from an array of ``q_x``.

    A :class:`qsp.demography.LifeTable` (single ages) gives its ``qx`` with the open interval's
    ``q = 1`` replaced by ``1 - exp(-m_omega)``: the death rate of the open interval is read as
    a constant force of mortality, so that survivors beyond ``omega`` are not all lost in one
    year. An array is taken as ``q_x`` itself (values in [0, 1], last age open).
    """
    if hasattr(mortality, "qx") and hasattr(mortality, "mx") and hasattr(mortality, "ages"):
        ages = np.asarray(mortality.ages)
        if ages[0] != 0 or np.any(np.diff(ages) != 1):
            raise ValueError(
                f"{name} is an abridged life table (ages {ages[:4].tolist()} ...); the actuarial functions need "
                "single ages 0, 1, 2, ... Build the table from single-year death rates."
            )
        q = np.array(mortality.qx, dtype=np.float64, copy=True)
        q[..., -1] = -np.expm1(-np.asarray(mortality.mx, dtype=np.float64)[..., -1])
        return q
    arr = np.asarray(mortality, dtype=np.float64) if not isinstance(mortality, np.ndarray) else mortality
    if np.ndim(arr) == 0 or np.shape(arr)[-1] < 2:
        raise ValueError(
            f"{name} must be a kit life table (qsp.demography.life_table) or an array of probabilities of dying "
            f"q_x with ages 0 .. omega on the last axis (at least two ages); got shape {np.shape(arr)}."
        )
    return check_values(name, arr, lower=0.0, upper=1.0, trailing=_trailing(np.asarray(arr)),
                        what="probability of dying",
                        hint="Give q_x (probabilities, 0 to 1), not death rates m_x or percentages.")


def rate(name: str, value, *, what: str = "rate", hint: str = "") -> np.ndarray:
    """A rate per year (interest, escalation, growth) as a float array, checked to be > -1."""
    return check_values(name, value, lower=-1.0, lower_inclusive=False, trailing=(), what=what,
                        hint=hint or "Give it as a fraction per year (0.04 for 4%).")


def net_rate(interest_rate, escalation) -> np.ndarray:
    """``(1 + i) / (1 + g) - 1``: the rate that discounts payments growing at ``g`` a year."""
    return (1.0 + interest_rate) / (1.0 + escalation) - 1.0


def payments_per_year(m) -> int:
    """Check the number of payments a year (a positive whole number)."""
    if isinstance(m, bool) or not float(m).is_integer() or m < 1:
        raise ValueError(f"payments_per_year must be a whole number of payments a year (1, 2, 4, 12, ...); got {m!r}.")
    return int(m)


def check_approximation(approximation: str) -> None:
    if approximation not in APPROXIMATIONS:
        raise ValueError(
            f"approximation must be one of {APPROXIMATIONS} (uniform distribution of deaths, or Woolhouse's "
            f"two-term formula); got {approximation!r}."
        )


def whole_years(name: str, value, *, allow_negative: bool = False) -> np.ndarray:
    """A number of years (term, deferral, age difference) as an integer array."""
    arr = np.asarray(value)
    if arr.dtype == bool or not np.issubdtype(arr.dtype, np.number):
        raise ValueError(f"{name} must be a whole number of years; got {value!r}.")
    if not np.all(np.isfinite(arr)) or np.any(arr != np.round(arr)):
        raise ValueError(f"{name} must be a whole number of years (the functions work on single ages); got {value!r}.")
    if not allow_negative and np.any(arr < 0):
        raise ValueError(f"{name} cannot be negative; got {value!r}.")
    return arr.astype(np.int64)


class Basis:
    """Survivors and discounted survivors of one mortality array at one rate, all ages at once.

    ``l`` is relative to ``l_0 = 1``; ``D = v^x l_x``; ``N`` sums ``D`` to the end of the table
    including the geometric tail beyond ``omega`` (ratio ``r = v p_omega``).
    """

    def __init__(self, q: np.ndarray, interest_rate: np.ndarray, *, name: str = "interest_rate"):
        try:
            shape = np.broadcast_shapes(q.shape[:-1], np.shape(interest_rate))
        except ValueError:
            k = np.shape(interest_rate)
            raise ValueError(
                f"{name} has shape {k}, which does not broadcast against the mortality's shape without its age "
                f"axis, {q.shape[:-1]}. Rates broadcast against (..., sex): for {k[-1] if k else 1} scenarios on a "
                f"(sex, age) table give shape {k + (1,)}."
            ) from None
        n_age = q.shape[-1]
        self.q = np.broadcast_to(q, shape + (n_age,))
        self.v = (1.0 / (1.0 + np.broadcast_to(interest_rate, shape)))[..., None]
        p = 1.0 - self.q
        self.p_open = p[..., -1:]
        self.ratio = self.v * self.p_open
        if np.any(self.ratio >= 1.0):
            raise ValueError(
                f"{name} is so low (a net rate of {float(1 / self.v.max() - 1):g}) that the survivors of the open age "
                "interval, discounted, do not decrease: the annuity would be infinite. Raise the rate or give a "
                "probability of dying above 0 in the last (open) age."
            )
        lx = np.empty(shape + (n_age,))
        lx[..., 0] = 1.0
        np.cumprod(p[..., :-1], axis=-1, out=lx[..., 1:])
        self.lx = lx
        self.ages = np.arange(n_age)
        self.D = self.v ** self.ages * lx
        self.N = reverse_cumsum_with_tail(self.D, self.ratio)

    @property
    def omega(self) -> int:
        return self.q.shape[-1] - 1

    def extended(self, values: np.ndarray, index: np.ndarray, ratio: np.ndarray) -> np.ndarray:
        """``values`` at ages ``index`` (any integers >= 0), beyond omega by the geometric tail."""
        return gather(values, index, ratio)

    def annuity_due(self) -> np.ndarray:
        """``N_x / D_x`` at every age (NaN where nobody reaches x)."""
        return safe_divide(self.N, self.D)


def reverse_cumsum_with_tail(values: np.ndarray, ratio: np.ndarray) -> np.ndarray:
    """``S_x = sum_{y >= x} values_y`` where values beyond the last age continue as ``values_omega r^k``."""
    work = values.copy()
    work[..., -1:] = values[..., -1:] / (1.0 - ratio)
    return np.cumsum(work[..., ::-1], axis=-1)[..., ::-1]


def gather(values: np.ndarray, index, ratio) -> np.ndarray:
    """``values[..., index]`` with ages past the last one continued geometrically (``v_omega r^k``).

    Negative indices give NaN (an age below 0: nobody of that age exists).
    """
    index = np.asarray(index)
    shape = np.broadcast_shapes(values.shape, index.shape, np.shape(ratio))
    omega = values.shape[-1] - 1
    idx = np.broadcast_to(index, shape)
    clipped = np.clip(idx, 0, omega)
    out = np.take_along_axis(np.broadcast_to(values, shape), clipped, axis=-1)
    beyond = idx - clipped
    if np.any(beyond > 0):
        out = out * np.asarray(ratio) ** np.maximum(beyond, 0)
    if np.any(idx < 0):
        out = np.where(idx < 0, np.nan, out)
    return out


def safe_divide(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """``num / den``, NaN where ``den`` is 0 (nobody alive at that age)."""
    num, den = np.broadcast_arrays(num, den)
    return np.divide(num, den, out=np.full(num.shape, np.nan), where=den > 0)


def udd_alpha_beta(rate: np.ndarray, m: int) -> tuple[np.ndarray, np.ndarray]:
    """``alpha(m) = i d / (i^(m) d^(m))`` and ``beta(m) = (i - i^(m)) / (i^(m) d^(m))`` (Bowers 5.4.11).

    At a rate of 0 the limits ``alpha = 1``, ``beta = (m - 1) / (2 m)`` are used.
    """
    rate = np.asarray(rate, dtype=np.float64)
    delta = np.log1p(rate)
    i_m = m * np.expm1(delta / m)
    d_m = -m * np.expm1(-delta / m)
    d = -np.expm1(-delta)
    small = np.abs(rate) < 1e-9
    denominator = np.where(small, 1.0, i_m * d_m)
    alpha = np.where(small, 1.0, rate * d / denominator)
    beta = np.where(small, (m - 1) / (2 * m), (rate - i_m) / denominator)
    return alpha, beta
