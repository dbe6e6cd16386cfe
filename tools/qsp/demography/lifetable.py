"""Period life tables from death rates, the a0 rules, and survival ratios for projections.

A life table turns age-specific death rates ``m_x`` into the experience of a synthetic cohort
of ``radix`` births (Preston, Heuveline & Guillot 2001, chapter 3). The steps, for intervals
``[x, x+n)`` with the last interval open (e.g. "100+"):

=========  ========================================================================
``a_x``    person-years lived in the interval by those who die in it (the a0 rule for
           age 0, Coale-Demeny ``4a1`` for age 1-4 of an abridged table, ``n/2``
           elsewhere, ``1/m`` in the open interval)
``q_x``    ``n m / (1 + (n - a) m)``, capped at 1; 1 in the open interval
``p_x``    ``1 - q_x``
``l_x``    ``radix * prod_{y<x} p_y`` (survivors to exact age x)
``d_x``    ``l_x - l_{x+n}`` (``l_x`` in the open interval)
``L_x``    ``n l_{x+n} + a_x d_x`` (``l_x / m_x`` in the open interval)
``T_x``    ``sum_{y>=x} L_y``
``e_x``    ``T_x / l_x``
=========  ========================================================================

Arrays follow the kit's conventions: trailing axes ``(sex, age)`` (sex 0 = female, 1 = male)
or ``(age,)`` for one sex, any leading axes a batch of scenarios. Every column of the table has
the shape of ``mx``.

References
----------
Preston, S. H., Heuveline, P. & Guillot, M. (2001). *Demography: Measuring and Modeling
Population Processes*. Oxford: Blackwell. Chapter 3, Table 3.3 and Box 3.1.

Wilmoth, J. R., Andreev, K., Jdanov, D., Glei, D. A. & Riffe, T. (2021). *Methods Protocol for
the Human Mortality Database*, version 6. Section 7 and Table 3 (a0 from m0).

Andreev, E. M. & Kingkade, W. W. (2015). Average age at death in infancy and infant mortality
level: reconsidering the Coale-Demeny formulas at current levels of low mortality.
*Demographic Research* 33(13): 363-390.

Coale, A. J. & Demeny, P. (1983). *Regional Model Life Tables and Stable Populations*, 2nd ed.
New York: Academic Press, p. 20.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from .._validate import SEX_NAMES, as_float_array, check_values, describe_position
from . import _engine
from .ages import check_ages, interval_widths, is_single_year

__all__ = [
    "LifeTable",
    "SurvivalRatios",
    "a0_andreev_kingkade",
    "a0_coale_demeny",
    "a1_4_coale_demeny",
    "life_table",
    "mx_to_qx",
    "qx_to_mx",
    "survival_ratios",
]

A0_RULES = ("andreev-kingkade", "coale-demeny")
"""Names accepted by ``life_table(a0=...)``."""

# Rows of the coefficient tables are indexed by the sex code (0 = female, 1 = male).
# Andreev-Kingkade rule in terms of m0, HMD Methods Protocol v6, Table 3:
#   m0 < low:          a0 = c1 + s1 * m0
#   low <= m0 < high:  a0 = c2 + s2 * m0
#   m0 >= high:        a0 = cap
_AK_LOW = np.array([0.01724, 0.02300])
_AK_HIGH = np.array([0.06891, 0.08307])
_AK_C1 = np.array([0.14903, 0.14929])
_AK_S1 = np.array([-2.05527, -1.99545])
_AK_C2 = np.array([0.04667, 0.02832])
_AK_S2 = np.array([3.88089, 3.26021])
_AK_CAP = np.array([0.31411, 0.29915])

# Coale-Demeny West, from 1m0: Preston, Heuveline & Guillot (2001), Table 3.3.
_CD_M0_BREAK = 0.107
_CD_M0_A0 = (np.array([0.053, 0.045]), np.array([2.800, 2.684]), np.array([0.350, 0.330]))
_CD_M0_A1 = (np.array([1.522, 1.651]), np.array([-1.518, -2.816]), np.array([1.361, 1.352]))
# Coale-Demeny West, from 1q0: Coale & Demeny (1983), p. 20.
_CD_Q0_BREAK = 0.100
_CD_Q0_A0 = (np.array([0.050, 0.0425]), np.array([3.000, 2.875]), np.array([0.350, 0.330]))
_CD_Q0_A1 = (np.array([1.524, 1.653]), np.array([-1.625, -3.013]), np.array([1.361, 1.352]))

_CHUNK_ROWS = 512
"""Schedules processed per block by the numpy engine, so that the working columns stay in cache."""

ENGINES = _engine.ENGINES
"""Values of ``life_table(engine=...)``."""
_NUMBA_MIN_VALUES = 1_000_000
"""With ``engine="auto"``, numba is used from this many values of ``mx`` up (about 10,000
schedules of 101 ages), or at any size once its compiled kernel is loaded in the session."""


# ---------------------------------------------------------------------------------------------
# small helpers
# ---------------------------------------------------------------------------------------------
_SEX_WORDS = {"female": 0, "f": 0, "male": 1, "m": 1}


def _sex_codes(sex, name: str = "sex") -> np.ndarray:
    """Turn ``"female"``/``"male"``/``"f"``/``"m"``/0/1 (or an array of them) into int codes."""
    if isinstance(sex, str) and sex.lower() in _SEX_WORDS:  # the usual case, without numpy string ops
        return np.array(_SEX_WORDS[sex.lower()])
    arr = np.asarray(sex)
    if arr.dtype.kind in "US":
        lowered = np.char.lower(arr.astype(str))
        codes = np.full(arr.shape, -1, dtype=np.int64)
        codes[np.isin(lowered, ("female", "f"))] = 0
        codes[np.isin(lowered, ("male", "m"))] = 1
    elif arr.dtype.kind in "iub" or (arr.dtype.kind == "f" and np.all(arr == np.round(arr))):
        codes = arr.astype(np.int64)
    else:
        codes = np.full(arr.shape, -1, dtype=np.int64)
    if np.any((codes != 0) & (codes != 1)):
        raise ValueError(
            f"{name} must be 'female' (or 0) or 'male' (or 1), or an array of these; got {sex!r}."
        )
    return codes


def _piecewise(x: np.ndarray, codes: np.ndarray, low, high, c1, s1, c2, s2, cap) -> np.ndarray:
    """Evaluate a by-sex piecewise-linear rule with two breakpoints (one when ``low`` is None).

    The coefficient vectors are indexed by the (small) array of sex codes and then broadcast
    against ``x``, so no full-size integer array is built.
    """
    upper = np.where(x >= high[codes], cap[codes], c2[codes] + s2[codes] * x)
    if low is None:
        return upper
    return np.where(x < low[codes], c1[codes] + s1[codes] * x, upper)


def _coale_demeny(m0, q0, sex, table_m0, table_q0, what: str) -> np.ndarray:
    if (m0 is None) == (q0 is None):
        raise ValueError(f"{what}: give exactly one of m0 (the death rate at age 0) or q0 (the probability "
                         "of dying before age 1).")
    codes = _sex_codes(sex)
    if m0 is not None:
        rate = check_values("m0", m0, lower=0.0, trailing=(), what="death rate at age 0")
        intercept, slope, cap = table_m0
        brk = np.array([_CD_M0_BREAK, _CD_M0_BREAK])
        return _piecewise(rate, codes, None, brk, None, None, intercept, slope, cap)
    prob = check_values("q0", q0, lower=0.0, upper=1.0, trailing=(), what="probability of dying")
    intercept, slope, cap = table_q0
    brk = np.array([_CD_Q0_BREAK, _CD_Q0_BREAK])
    return _piecewise(prob, codes, None, brk, None, None, intercept, slope, cap)


# ---------------------------------------------------------------------------------------------
# a0 and 4a1 rules
# ---------------------------------------------------------------------------------------------
def a0_andreev_kingkade(m0, sex) -> np.ndarray:
    """Average years lived in the first year of life by infants who die (a0), Andreev-Kingkade rule.

    The rule of the HMD Methods Protocol v6 (Table 3), piecewise linear in the infant death
    rate ``m0`` (deaths under 1 / person-years under 1):

    ======  ==========================  =============================  ============
    sex     ``m0 < low``                ``low <= m0 < high``           ``m0 >= high``
    ======  ==========================  =============================  ============
    female  ``0.14903 - 2.05527 m0``    ``0.04667 + 3.88089 m0``        ``0.31411``
            (low = 0.01724)             (high = 0.06891)
    male    ``0.14929 - 1.99545 m0``    ``0.02832 + 3.26021 m0``        ``0.29915``
            (low = 0.02300)             (high = 0.08307)
    ======  ==========================  =============================  ============

    Parameters
    ----------
    m0 : array_like
        Death rate at age 0 (per person-year), any shape.
    sex : str, int or array_like
        ``"female"``/``0`` or ``"male"``/``1``; arrays broadcast against ``m0``.

    Returns
    -------
    numpy.ndarray
        a0 in years, the broadcast shape of ``m0`` and ``sex``.

    Raises
    ------
    ValueError
        If ``m0`` is negative or not finite, or ``sex`` is not female/male.

    Notes
    -----
    The male middle slope is 3.26021, the value in the HMD's own code (ported to the R package
    DemoTools, ``lt_rule_ak_m0_a0``); with it the middle segment meets the cap at
    ``m0 = 0.08307`` (0.02832 + 3.26021 x 0.08307 = 0.29915). Some copies print 3.26201.

    Examples
    --------
    >>> float(a0_andreev_kingkade(0.005, "female"))
    0.13875365
    >>> a0_andreev_kingkade([0.01, 0.1], "male").round(5).tolist()
    [0.12934, 0.29915]

    References
    ----------
    Andreev & Kingkade (2015), Demographic Research 33(13); HMD Methods Protocol v6, Table 3.
    """
    rate = check_values("m0", m0, lower=0.0, trailing=(), what="death rate at age 0")
    codes = _sex_codes(sex)
    return _piecewise(rate, codes, _AK_LOW, _AK_HIGH, _AK_C1, _AK_S1, _AK_C2, _AK_S2, _AK_CAP)


def a0_coale_demeny(m0=None, *, q0=None, sex) -> np.ndarray:
    """Average years lived in the first year of life by infants who die (a0), Coale-Demeny West.

    From the infant death rate ``m0`` (Preston, Heuveline & Guillot 2001, Table 3.3):
    female ``0.053 + 2.800 m0`` (``0.350`` if ``m0 >= 0.107``), male ``0.045 + 2.684 m0``
    (``0.330`` if ``m0 >= 0.107``).
    From the probability of dying ``q0`` (Coale & Demeny 1983, p. 20): female
    ``0.050 + 3.000 q0`` (``0.350`` if ``q0 >= 0.1``), male ``0.0425 + 2.875 q0``
    (``0.330`` if ``q0 >= 0.1``).

    Parameters
    ----------
    m0 : array_like, optional
        Death rate at age 0 (per person-year).
    q0 : array_like, optional
        Probability of dying before age 1 (give exactly one of ``m0`` and ``q0``).
    sex : str, int or array_like
        ``"female"``/``0`` or ``"male"``/``1``; broadcasts against the rate.

    Returns
    -------
    numpy.ndarray
        a0 in years.

    Raises
    ------
    ValueError
        If both or neither of ``m0``/``q0`` are given, values are out of range, or ``sex`` is
        not female/male.

    Examples
    --------
    >>> round(float(a0_coale_demeny(419 / 47925, sex="male")), 3)  # Preston Box 3.1, Austria 1992
    0.068

    References
    ----------
    Preston, Heuveline & Guillot (2001), Table 3.3; Coale & Demeny (1983), p. 20.
    """
    return _coale_demeny(m0, q0, sex, _CD_M0_A0, _CD_Q0_A0, "a0_coale_demeny")


def a1_4_coale_demeny(m0=None, *, q0=None, sex) -> np.ndarray:
    """Average years lived in ages 1-4 by children who die at those ages (4a1), Coale-Demeny West.

    From ``m0`` (Preston, Heuveline & Guillot 2001, Table 3.3): female ``1.522 - 1.518 m0``
    (``1.361`` if ``m0 >= 0.107``), male ``1.651 - 2.816 m0`` (``1.352`` if ``m0 >= 0.107``).
    From ``q0`` (Coale & Demeny 1983, p. 20): female ``1.524 - 1.625 q0`` (``1.361`` if
    ``q0 >= 0.1``), male ``1.653 - 3.013 q0`` (``1.352`` if ``q0 >= 0.1``).

    Parameters and errors are those of :func:`a0_coale_demeny`.

    Examples
    --------
    >>> round(float(a1_4_coale_demeny(419 / 47925, sex="male")), 3)  # Preston Box 3.1
    1.626
    """
    return _coale_demeny(m0, q0, sex, _CD_M0_A1, _CD_Q0_A1, "a1_4_coale_demeny")


# ---------------------------------------------------------------------------------------------
# q <-> m conversions
# ---------------------------------------------------------------------------------------------
def _widths_and_ax(name_values: str, values: np.ndarray, ax, n) -> tuple[np.ndarray, np.ndarray]:
    width = as_float_array("n", n)
    if np.any(~np.isfinite(width)) or np.any(width <= 0):
        raise ValueError(f"n (the interval width in years) must be finite and positive, got {n!r}.")
    if ax is None:
        sep = width / 2.0
    else:
        sep = check_values("ax", ax, lower=0.0, trailing=("age",), what="person-years lived by those dying")
        if np.any(sep > width):
            idx = tuple(np.argwhere(np.broadcast_to(sep > width, np.broadcast_shapes(sep.shape, width.shape)))[0])
            raise ValueError(f"ax must lie between 0 and the interval width n; at {describe_position(idx, ('age',))} "
                             f"it exceeds n.")
    try:
        np.broadcast_shapes(values.shape, sep.shape, width.shape)
    except ValueError as exc:
        raise ValueError(f"{name_values}, ax and n must broadcast together: shapes {values.shape}, "
                         f"{sep.shape}, {width.shape}.") from exc
    return width, sep


def mx_to_qx(mx, *, ax=None, n=1.0) -> np.ndarray:
    """Probability of dying in an interval from the death rate: ``q = n m / (1 + (n - a) m)``.

    Parameters
    ----------
    mx : array_like
        Death rates per person-year, any shape.
    ax : array_like, optional
        Person-years lived in the interval by those who die in it (default ``n/2``, deaths
        spread evenly), ``0 <= ax <= n``.
    n : float or array_like
        Interval width(s) in years (finite; default 1). Arrays broadcast along the last axis.

    Returns
    -------
    numpy.ndarray
        ``q`` in [0, 1] (values above 1, possible when ``a m > 1``, are capped at 1).

    Raises
    ------
    ValueError
        Negative or non-finite ``mx``, ``ax`` outside [0, n], or non-positive ``n``.

    Examples
    --------
    >>> round(float(mx_to_qx(0.02)), 6)
    0.019802

    References
    ----------
    Preston, Heuveline & Guillot (2001), eq. 3.5.
    """
    rate = check_values("mx", mx, lower=0.0, trailing=("age",), what="death rate")
    width, sep = _widths_and_ax("mx", rate, ax, n)
    return np.minimum(width * rate / (1.0 + (width - sep) * rate), 1.0)


def qx_to_mx(qx, *, ax=None, n=1.0) -> np.ndarray:
    """Death rate from the probability of dying: ``m = q / (n - (n - a) q)``, the inverse of
    :func:`mx_to_qx`.

    Parameters
    ----------
    qx : array_like
        Probabilities of dying in [0, 1].
    ax, n : see :func:`mx_to_qx`.

    Returns
    -------
    numpy.ndarray
        Death rates per person-year.

    Raises
    ------
    ValueError
        ``qx`` outside [0, 1] or not finite; ``ax`` outside [0, n]; ``q = 1`` with ``a = 0``
        (an infinite rate).

    Examples
    --------
    >>> round(float(qx_to_mx(mx_to_qx(0.02))), 12)
    0.02
    """
    prob = check_values("qx", qx, lower=0.0, upper=1.0, trailing=("age",), what="probability of dying")
    width, sep = _widths_and_ax("qx", prob, ax, n)
    denominator = width - (width - sep) * prob
    if np.any(denominator <= 0):
        raise ValueError("qx_to_mx: a probability of dying of 1 with ax = 0 means an infinite death rate; "
                         "give ax > 0 where qx = 1.")
    return prob / denominator


# ---------------------------------------------------------------------------------------------
# the life table
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class LifeTable:
    """A period life table: every column has the shape of ``mx`` (``(..., sex, age)`` or
    ``(..., age)``).

    Attributes
    ----------
    ages : numpy.ndarray
        Start of each age interval; the last interval is open.
    mx, ax, qx, px, lx, dx, Lx, Tx, ex : numpy.ndarray
        The life-table columns (see the module docstring for the formulas). ``lx``, ``dx``,
        ``Lx`` and ``Tx`` are per ``radix`` births; ``ex`` is in years and is NaN where
        ``lx = 0`` (nobody reaches that age). ``px = 1 - qx`` and ``dx`` (``l_x - l_{x+n}``,
        ``l_x`` in the open interval) are computed from ``qx`` and ``lx`` when first read
        (then kept), so that building a large table writes six columns, not eight.
    sex : str or None
        ``None`` when the arrays carry a sex axis at position -2 (0 female, 1 male);
        otherwise ``"female"`` or ``"male"``.
    radix : float
        Number of births the table starts from (``lx`` at age 0).
    """

    ages: np.ndarray
    mx: np.ndarray
    ax: np.ndarray
    qx: np.ndarray
    lx: np.ndarray
    Lx: np.ndarray
    Tx: np.ndarray
    ex: np.ndarray
    sex: str | None
    radix: float

    @cached_property
    def px(self) -> np.ndarray:
        """Probability of surviving the interval, ``p_x = 1 - q_x`` (0 in the open interval)."""
        return np.subtract(1.0, self.qx)

    @cached_property
    def dx(self) -> np.ndarray:
        """Deaths in the interval, ``d_x = l_x - l_{x+n}`` (``l_x`` in the open interval); they sum
        to the radix."""
        deaths = np.empty_like(self.lx)
        np.subtract(self.lx[..., :-1], self.lx[..., 1:], out=deaths[..., :-1])
        deaths[..., -1] = self.lx[..., -1]
        return deaths

    def _forget_derived(self) -> None:
        """Drop the cached ``px`` and ``dx`` (after the stored columns were refilled by ``out=``)."""
        self.__dict__.pop("px", None)
        self.__dict__.pop("dx", None)

    @property
    def e0(self) -> np.ndarray:
        """Life expectancy at birth, shape ``mx.shape[:-1]`` (``(..., sex)`` or ``(...)``)."""
        return self.ex[..., 0]

    @property
    def widths(self) -> np.ndarray:
        """Interval widths ``n`` (``inf`` for the open interval)."""
        return interval_widths(self.ages)

    def to_frame(self):
        """The table as a tidy pandas DataFrame, one row per (scenario, sex, age).

        Columns: ``scenario`` (only when there are batch axes: the flat, C-order index over
        them), ``sex`` (``"female"``/``"male"``), ``age`` (start of the interval), then
        ``mx, ax, qx, px, lx, dx, Lx, Tx, ex``. Wide by function, long by age, because the
        columns of a life table are read side by side.
        """
        import pandas as pd

        n_age = self.ages.size
        has_sex_axis = self.sex is None
        batch_shape = self.mx.shape[: self.mx.ndim - (2 if has_sex_axis else 1)]
        n_batch = int(np.prod(batch_shape)) if batch_shape else 1
        n_sex = 2 if has_sex_axis else 1
        columns = {}
        if batch_shape:
            columns["scenario"] = np.repeat(np.arange(n_batch), n_sex * n_age)
        if has_sex_axis:
            sex_names = np.array(SEX_NAMES)
            columns["sex"] = np.tile(np.repeat(sex_names, n_age), n_batch)
        else:
            columns["sex"] = np.full(n_batch * n_age, self.sex)
        columns["age"] = np.tile(self.ages, n_batch * n_sex)
        for field in ("mx", "ax", "qx", "px", "lx", "dx", "Lx", "Tx", "ex"):
            columns[field] = getattr(self, field).reshape(-1)
        return pd.DataFrame(columns)


def _check_mx(mx, sex, ages, *, scan: bool = True) -> tuple[np.ndarray, np.ndarray | int, np.ndarray, tuple[str, ...]]:
    """Validate mx, the sex layout and the age grid; return (mx, sex codes, ages, trailing)."""
    arr = as_float_array("mx", mx)
    if sex is None:
        if arr.ndim < 2 or arr.shape[-2] != 2:
            raise ValueError(
                f"mx has shape {arr.shape}, but with sex=None it must have a sex axis of length 2 "
                "(0 = female, 1 = male) just before the age axis: (..., sex, age). Either pass both "
                "sexes laid out that way, or give sex='female' or sex='male' for a single-sex "
                "schedule whose last axis is age."
            )
        codes: np.ndarray | int = np.array([0, 1])
        trailing: tuple[str, ...] = ("sex", "age")
    else:
        codes = int(_sex_codes(sex))
        trailing = ("age",)
        if arr.ndim < 1:
            raise ValueError(f"mx must have an age axis (its last axis), but it is a scalar: {mx!r}.")
    n_age = arr.shape[-1]
    if ages is None:
        if n_age < 2:
            raise ValueError(f"mx must cover at least two ages (the last one open), but its age axis has {n_age}.")
        grid = np.arange(n_age)
    else:
        grid = check_ages(ages)
        if grid.size != n_age:
            raise ValueError(
                f"ages has {grid.size} entries but mx has {n_age} on its age axis (shape {arr.shape}); "
                "give one death rate per age interval."
            )
    # fast path: two reductions; the detailed check (with the position) only when something is off.
    # With scan=False only the first age is checked here (the a0 rules read it): the caller's
    # compiled kernel checks the other values as it goes and calls again with scan=True if needed.
    scanned = arr if scan else arr[..., :1]
    if scanned.size and not (scanned.min() >= 0.0 and scanned.max() < np.inf):
        check_values("mx", arr, lower=0.0, trailing=trailing, ages=grid, what="death rate",
                     hint="Death rates are deaths per person-year (zero or more).")
    open_rates = arr[..., -1]
    if open_rates.size and not open_rates.min() > 0.0:
        idx = np.argwhere(~(open_rates > 0.0))[0]
        where = describe_position((*idx, n_age - 1), trailing, ages=grid)
        raise ValueError(
            f"mx is 0 at the open age interval ({where}); the open interval needs a positive death rate "
            f"because its person-years are l/m. Close the table at a lower age or supply a rate above 0."
        )
    return arr, codes, grid, trailing


def _ax_plan(mx, codes, grid, widths, a0, ax, trailing):
    """Work out the a_x column before the block loop fills it.

    Returns ``(given, first, second)``: the validated ``ax`` broadcast to ``mx`` (or None);
    else the a0 values for the first interval, shape ``mx.shape[:-1]``, and the 4a1 values for
    an abridged table (or None). The open interval always gets ``1/m``.
    """
    n_closed = widths[:-1]
    if ax is not None:
        given = as_float_array("ax", ax)
        try:
            given = np.broadcast_to(given, mx.shape)
        except ValueError as exc:
            raise ValueError(f"ax has shape {given.shape} but must match mx, shape {mx.shape}.") from exc
        closed = given[..., :-1]
        bad = ~((closed >= 0.0) & (closed <= n_closed))
        if bad.any():
            idx = tuple(np.argwhere(bad)[0])
            where = describe_position(idx, trailing, ages=grid)
            raise ValueError(
                f"ax is {closed[idx]:g} at {where}, outside [0, n] = [0, {n_closed[idx[-1]]:g}]: the years "
                "lived in an interval by those who die in it cannot be negative or exceed its width."
            )
        return given, None, None
    m0 = mx[..., 0]
    if isinstance(a0, str):
        rule = a0.lower().replace("_", "-").replace(" ", "-")
        if rule not in A0_RULES:
            raise ValueError(f"a0 must be one of {A0_RULES} or a number of years, got {a0!r}.")
        if widths[0] != 1:
            raise ValueError(
                f"the a0 rule {a0!r} applies to a first age interval of one year, but it is "
                f"{widths[0]:g} years wide; give ax (person-years lived by those dying) instead."
            )
        if rule == "andreev-kingkade":  # m0 is already checked (finite, not negative)
            first = _piecewise(m0, np.asarray(codes), _AK_LOW, _AK_HIGH, _AK_C1, _AK_S1, _AK_C2, _AK_S2, _AK_CAP)
        else:
            first = a0_coale_demeny(m0, sex=codes)
    else:
        value = as_float_array("a0", a0)
        if np.any(~np.isfinite(value)) or np.any(value < 0) or np.any(value > widths[0]):
            raise ValueError(f"a0 given as a number must lie in [0, {widths[0]:g}] years, got {a0!r}.")
        try:
            first = np.broadcast_to(value, m0.shape)
        except ValueError as exc:
            raise ValueError(f"a0 has shape {value.shape}, which does not broadcast to mx[..., 0] "
                             f"(shape {m0.shape}).") from exc
    first = np.broadcast_to(first, m0.shape)
    second = None
    if grid.size > 2 and grid[1] == 1 and grid[2] == 5:
        second = np.broadcast_to(a1_4_coale_demeny(m0, sex=codes), m0.shape)
    return None, first, second


def _table_block(mx, ax, widths, single, radix, qx, lx, Lx, Tx, ex, px, dx) -> None:
    """Fill the stored life-table columns (except a_x) of a block of schedules, in place.

    All arrays are 2-D (rows x ages) and C-contiguous, ``ax`` already filled (``1/m`` in the open
    interval); ``px`` and ``dx`` are scratch blocks (the table computes them when they are read).
    Most steps run over whole contiguous arrays; the age shift ``x -> x+1`` uses the flattened
    arrays offset by one element (the wrapped-around value in the last column of each row is
    then overwritten), which keeps every inner loop long and contiguous. ``widths`` holds the
    interval widths with 1 standing in for the open interval (whose q is set to 1).
    """
    lx_f, dx_f, Lx_f, Tx_f = lx.ravel(), dx.ravel(), Lx.ravel(), Tx.ravel()
    # q = n m / (1 + (n - a) m), in place: ((n - a) m + 1), then m / that, then * n; capped at 1.
    # In the open interval (n := 1, a = 1/m) this gives 1 up to rounding, then is set to 1.
    np.subtract(widths, ax, out=qx)
    qx *= mx
    qx += 1.0
    np.divide(mx, qx, out=qx)
    if not single:
        qx *= widths
    np.minimum(qx, 1.0, out=qx)
    qx[:, -1] = 1.0
    np.subtract(1.0, qx, out=px)
    # l: cumulative product of p along age, times the radix
    lx[:, 0] = 1.0
    np.cumprod(px[:, :-1], axis=-1, out=lx[:, 1:])
    if radix != 1.0:
        lx *= radix
    # d_x = l_x - l_{x+1}; the open interval: d = l
    np.subtract(lx_f[:-1], lx_f[1:], out=dx_f[:-1])
    dx[:, -1] = lx[:, -1]
    # L_x = n l_{x+1} + a d ; open interval: a d = l / m
    np.multiply(ax, dx, out=Lx)
    if single:
        Lx_f[:-1] += lx_f[1:]
    else:
        Tx_f[:-1] = lx_f[1:]  # Tx as scratch for l_{x+1}
        Tx *= widths
        Lx_f[:-1] += Tx_f[:-1]
    np.multiply(ax[:, -1], dx[:, -1], out=Lx[:, -1])
    # T: reversed cumulative sum; e = T / l (NaN where nobody survives to x)
    np.cumsum(Lx[:, ::-1], axis=-1, out=Tx[:, ::-1])
    with np.errstate(invalid="ignore", divide="ignore"):
        np.divide(Tx, lx, out=ex)
    if not lx[:, -1].min() > 0.0:
        ex[lx <= 0.0] = np.nan


STORED_COLUMNS = ("ax", "qx", "lx", "Lx", "Tx", "ex")
"""The columns :func:`life_table` writes; ``px`` and ``dx`` are derived when read."""


def _output_columns(out, shape) -> list[np.ndarray]:
    """The arrays to fill: new ones, or those of the table ``out`` (checked)."""
    if out is None:
        return [np.empty(shape) for _ in STORED_COLUMNS]
    if not isinstance(out, LifeTable):
        raise ValueError(f"out must be a LifeTable from an earlier call of life_table (its arrays are reused), "
                         f"got {type(out).__name__}.")
    columns = [getattr(out, name) for name in STORED_COLUMNS]
    for name, column in zip(STORED_COLUMNS, columns):
        if column.shape != shape or column.dtype != np.float64 or not column.flags.c_contiguous \
                or not column.flags.writeable:
            raise ValueError(f"out must be a table of the same shape as mx {shape} with writable, contiguous "
                             f"float64 columns, but its {name} has shape {column.shape}; pass out=None to get "
                             f"new arrays.")
    return columns


def life_table(mx, *, ages=None, sex=None, a0="andreev-kingkade", ax=None, radix=100_000,
               engine: str = "auto", out: LifeTable | None = None) -> LifeTable:
    """Build period life tables from death rates, for one or many schedules at once.

    Parameters
    ----------
    mx : array_like
        Death rates per person-year. With ``sex=None`` the shape is ``(..., sex, age)`` with a
        sex axis of length 2 (0 female, 1 male), each sex taking its own a0 rule; with ``sex``
        given the shape is ``(..., age)``. Leading axes are a batch (scenarios, years).
        The open (last) interval needs ``mx > 0``.
    ages : array_like, optional
        Start of each age interval, from 0, increasing, the last one open. Default: single
        ages ``0 .. n-1`` from the length of the last axis. Abridged tables use
        ``0, 1, 5, 10, ..., omega``.
    sex : {"female", "male", 0, 1}, optional
        Sex of a single-sex schedule (then there is no sex axis). Default ``None``: both sexes.
    a0 : {"andreev-kingkade", "coale-demeny"} or float or array_like
        Rule for the person-years lived in the first year of life by infants who die, from the
        infant death rate ``m0``: Andreev-Kingkade (HMD Methods Protocol v6, the default; see
        :func:`a0_andreev_kingkade`) or Coale-Demeny West (Preston et al. 2001, Table 3.3; see
        :func:`a0_coale_demeny`); or the value(s) in years, broadcasting to ``mx[..., 0]``.
        For an abridged table (ages 0, 1, 5, ...) ``4a1`` comes from the Coale-Demeny West rule
        in ``m0`` (Preston Table 3.3, :func:`a1_4_coale_demeny`). Other closed intervals take
        ``n/2``.
    ax : array_like, optional
        Person-years lived in each interval by those who die in it, shape of ``mx``; replaces
        the rules above for every closed interval (``0 <= ax <= n``). The value given for the
        open interval is ignored: it is always ``1/m``.
    radix : float
        Births the table starts from (``l_0``), default 100,000.
    engine : {"auto", "numpy", "numba"}
        How the table is computed; the engines give the same table to rounding (about 1e-15
        relative; ``d_x``, a difference, to about 1e-15 of the radix). ``"numpy"``: vectorised
        numpy, in blocks of schedules. ``"numba"``: a compiled loop that writes each schedule's
        table in one pass over memory (needs the optional numba package; about 2x faster on
        large batches, 3x when ``out`` is reused, and faster on small ones too). ``"auto"`` (default): numba when it is installed and either
        the compiled kernel has already run in this session, or ``mx`` has at least
        ``_NUMBA_MIN_VALUES`` (1,000,000) values (about 10,000 schedules of 101 ages) and numba
        is already imported; numpy otherwise. "auto" never imports numba itself: the first
        compiled call of a session imports numba and loads the machine code cached on disk
        (measured about 1-2 s on the 2-core course machines; ``make bench`` prints it), and the
        very first one after installing also compiles it (a few seconds more), more than one
        large table saves. ``QSP_DISABLE_NUMBA=1`` in the environment turns numba off. With
        numba, invalid rates are found while the table is computed (the same error is raised,
        but an ``out`` table is then overwritten).
    out : LifeTable, optional
        A table from an earlier call with the same shape of ``mx``, whose arrays are reused:
        it is refilled with the new table and returned (its earlier values are gone). This
        saves allocating fresh memory for large batches computed again and again.

    Returns
    -------
    LifeTable
        Columns ``ax, qx, px, lx, dx, Lx, Tx, ex`` with the shape of ``mx``; ``.e0``,
        ``.to_frame()``. ``px`` and ``dx`` are computed when first read.

    Raises
    ------
    ValueError
        Negative, NaN or infinite death rates (with the sex and age); zero rate in the open
        interval; a missing or wrong sex axis; ages not starting at 0, not increasing, or not
        matching the age axis; ``ax`` outside ``[0, n]``; an unknown a0 rule or engine;
        ``engine="numba"`` without numba; an ``out`` table of another shape.

    Notes
    -----
    ``q = n m / (1 + (n - a) m)`` is capped at 1 (it exceeds 1 only when ``a m > 1``, i.e.
    extreme rates); the open interval has ``q = 1``, ``a = 1/m``, ``L = l/m``. ``d_x`` is the
    difference of successive ``l_x``, so the ``d_x`` sum to the radix. The numpy engine
    processes the schedules in blocks of ``_CHUNK_ROWS`` so that the working columns stay in
    cache; there is no Python loop over ages. Both engines write six columns (``ax, qx, lx,
    Lx, Tx, ex``); ``px`` and ``dx`` follow from them.

    Examples
    --------
    >>> import numpy as np
    >>> mx = np.array([[0.005, 0.001, 0.002, 0.5], [0.006, 0.001, 0.003, 0.6]])
    >>> table = life_table(mx)            # (sex, age): female and male
    >>> table.e0.round(3).tolist()
    [4.967, 4.63]
    >>> life_table(mx[1], sex="male").e0.round(3).item()
    4.63

    References
    ----------
    Preston, Heuveline & Guillot (2001), chapter 3; HMD Methods Protocol v6, section 7.
    """
    size = np.size(mx) if isinstance(mx, np.ndarray) else 0
    kernels = _engine.choose(engine, n_values=size, threshold=_NUMBA_MIN_VALUES, kernel_name="life_table_rows")
    arr, codes, grid, trailing = _check_mx(mx, sex, ages, scan=kernels is None)
    radix = float(radix)
    if not (np.isfinite(radix) and radix > 0):
        raise ValueError(f"radix must be a positive number of births, got {radix!r}.")
    arr = np.ascontiguousarray(arr)
    if ages is None:  # single ages 0 .. n-1 (checked by construction)
        widths = np.ones(grid.size)
        widths[-1] = np.inf
        single = True
    else:
        widths = interval_widths(grid)
        single = bool(is_single_year(grid))
    given, first, second = _ax_plan(arr, codes, grid, widths, a0, ax, trailing)
    widths_open_one = widths.copy()
    widths_open_one[-1] = 1.0

    columns = _output_columns(out, arr.shape)
    n_age = grid.size
    flat_mx = arr.reshape(-1, n_age)
    flat_cols = [c.reshape(-1, n_age) for c in columns]  # ax, qx, lx, Lx, Tx, ex
    rows = flat_mx.shape[0]
    if kernels is not None:
        empty = np.empty(0)
        bad = kernels.life_table_rows(
            flat_mx,
            empty if first is None else np.ascontiguousarray(first, dtype=np.float64).reshape(-1),
            empty if second is None else np.ascontiguousarray(second, dtype=np.float64).reshape(-1),
            np.empty((0, n_age)) if given is None else np.ascontiguousarray(given, dtype=np.float64).reshape(-1, n_age),
            widths_open_one, single, radix, *flat_cols)
        if bad:  # a negative, missing or infinite rate, or 0 in the open interval: say where
            _check_mx(arr, sex, ages)
            raise ValueError("mx holds a death rate that is negative, missing or infinite.")  # pragma: no cover
    else:
        half_widths = widths_open_one / 2.0
        flat_given = None if given is None else given.reshape(-1, n_age)
        flat_first = None if first is None else first.reshape(-1)
        flat_second = None if second is None else second.reshape(-1)
        block_rows = max(1, min(_CHUNK_ROWS, rows))
        px_scratch = np.empty((block_rows, n_age))
        dx_scratch = np.empty((block_rows, n_age))
        for start in range(0, rows, block_rows):
            block = slice(start, min(start + block_rows, rows))
            n_rows = block.stop - block.start
            ax_block = flat_cols[0][block]
            if flat_given is not None:
                ax_block[...] = flat_given[block]
            else:
                ax_block[...] = half_widths
                ax_block[:, 0] = flat_first[block]
                if flat_second is not None:
                    ax_block[:, 1] = flat_second[block]
            np.divide(1.0, flat_mx[block, -1], out=ax_block[:, -1])
            _table_block(flat_mx[block], ax_block, widths_open_one, single, radix,
                         *(c[block] for c in flat_cols[1:]), px_scratch[:n_rows], dx_scratch[:n_rows])
    sex_name = None if sex is None else SEX_NAMES[int(codes)]
    fields = dict(zip(STORED_COLUMNS, columns))
    if out is None:
        return LifeTable(ages=grid, mx=arr, sex=sex_name, radix=radix, **fields)
    for name, value in (("ages", grid), ("mx", arr), ("sex", sex_name), ("radix", radix)):
        object.__setattr__(out, name, value)
    out._forget_derived()
    return out


# ---------------------------------------------------------------------------------------------
# survival ratios for single-year projections
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class SurvivalRatios:
    """Survival ratios of a single-year life table, for the cohort-component projection.

    Attributes
    ----------
    ratios : numpy.ndarray
        Shape of ``mx``. ``ratios[..., x] = L_{x+1} / L_x`` for ``x = 0 .. omega-2``: the share
        of the people aged ``x`` at the start of a year who are alive (aged ``x+1``) a year later.
        ``ratios[..., omega-1] = ratios[..., omega] = T_omega / T_{omega-1}``: the survival of
        those aged ``omega-1`` and ``omega+`` into (and within) the open interval a year later.
        A ratio is 0 where its denominator is 0.
    births : numpy.ndarray
        ``L_0 / l_0``: the share of a year's births alive at the end of that year (aged 0),
        shape ``mx.shape[:-1]``.
    ages : numpy.ndarray
        The single-year age grid ``0 .. omega``.
    sex : str or None
        As in :class:`LifeTable`.
    """

    ratios: np.ndarray
    births: np.ndarray
    ages: np.ndarray
    sex: str | None


def survival_ratios(mx_or_table, *, ages=None, sex=None, a0="andreev-kingkade", ax=None) -> SurvivalRatios:
    """Survival ratios ``S_x = L_{x+1} / L_x`` for projecting a population one year at a time.

    Parameters
    ----------
    mx_or_table : array_like or LifeTable
        Death rates ``(..., sex, age)`` (or ``(..., age)`` with ``sex`` given), on single ages
        ``0 .. omega`` with ``omega`` open and at least 3 ages; any leading axes (scenarios,
        projection steps). Or a single-year :class:`LifeTable`.
    ages, sex, a0, ax
        Passed to :func:`life_table` when death rates are given (ignored for a table).

    Returns
    -------
    SurvivalRatios
        ``ratios`` with the shape of ``mx`` and ``births = L_0 / l_0`` with shape
        ``mx.shape[:-1]``; see :class:`SurvivalRatios` for the open-interval convention.

    Raises
    ------
    ValueError
        As :func:`life_table`, and when the ages are not single years or fewer than 3.

    Examples
    --------
    >>> import numpy as np
    >>> s = survival_ratios(np.array([0.01, 0.001, 0.002, 0.3]), sex="female")
    >>> s.ratios.round(5).tolist()
    [0.99822, 0.9985, 0.76905, 0.76905]

    References
    ----------
    Preston, Heuveline & Guillot (2001), section 6.1 (projection with survival ratios
    ``nLx+n / nLx`` and ``T_omega / T_{omega-n}`` for the open interval).
    """
    if isinstance(mx_or_table, LifeTable):
        table = mx_or_table
        _check_single_year(table.ages)
        Lx, Tx = table.Lx, table.Tx
        ratios = np.zeros_like(Lx)
        _ratios_from_columns(Lx, Tx, ratios)
        births = Lx[..., 0] / table.lx[..., 0]
        return SurvivalRatios(ratios=ratios, births=births, ages=table.ages, sex=table.sex)
    arr, codes, grid, trailing = _check_mx(mx_or_table, sex, ages)
    _check_single_year(grid)
    arr = np.ascontiguousarray(arr)
    given, first, _ = _ax_plan(arr, codes, grid, interval_widths(grid), a0, ax, trailing)
    ratios, births = _survival_numpy(arr, first, given)
    sex_name = None if sex is None else SEX_NAMES[int(codes)]
    return SurvivalRatios(ratios=ratios, births=births, ages=grid, sex=sex_name)


def _check_single_year(grid: np.ndarray) -> None:
    if not is_single_year(grid) or grid.size < 3:
        raise ValueError(
            "survival_ratios needs single-year ages 0, 1, ..., omega (at least 3 ages) because the "
            f"projection moves people up one year of age per year; got ages {grid[:4]}... of size {grid.size}."
        )


def _ratios_from_columns(Lx: np.ndarray, Tx: np.ndarray, ratios: np.ndarray) -> None:
    """``ratios`` (zeros on entry) from the L and T columns: ``L_{x+1}/L_x``, and ``T_omega /
    T_{omega-1}`` for the last two ages (0 where a denominator is 0)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        np.divide(Lx[..., 1:-1], Lx[..., :-2], out=ratios[..., :-2], where=Lx[..., :-2] > 0)
        np.divide(Tx[..., -1], Tx[..., -2], out=ratios[..., -1], where=Tx[..., -2] > 0)
    ratios[..., -2] = ratios[..., -1]


def _survival_numpy(mx: np.ndarray, first, given) -> tuple[np.ndarray, np.ndarray]:
    """Survival ratios and ``L_0/l_0`` of single-year schedules ``mx`` (C-contiguous, ``(..., age)``)
    with a0 ``first`` (shape ``mx.shape[:-1]``) or the given ``ax``: the life table of radix 1 is
    built block by block in cache-sized scratch arrays, so only the ratios are written out. The
    same operations as :func:`life_table` followed by :func:`survival_ratios` on the table."""
    n_age = mx.shape[-1]
    flat_mx = mx.reshape(-1, n_age)
    rows = flat_mx.shape[0]
    ratios = np.zeros(mx.shape)
    births = np.empty(mx.shape[:-1])
    flat_ratios = ratios.reshape(-1, n_age)
    flat_births = births.reshape(-1)
    flat_first = None if first is None else np.broadcast_to(first, mx.shape[:-1]).reshape(-1)
    flat_given = None if given is None else given.reshape(-1, n_age)
    ones = np.ones(n_age)
    block_rows = max(1, min(_CHUNK_ROWS, rows))
    scratch = np.empty((5, block_rows, n_age))
    for start in range(0, rows, block_rows):
        block = slice(start, min(start + block_rows, rows))
        n_rows = block.stop - block.start
        ax, qx, lx, dx, Lx = (column[:n_rows] for column in scratch)
        rates = flat_mx[block]
        if flat_given is not None:
            ax[...] = flat_given[block]
        else:
            ax[...] = 0.5
            ax[:, 0] = flat_first[block]
        np.divide(1.0, rates[:, -1], out=ax[:, -1])
        # the steps of _table_block with radix 1 that the ratios need (no T_x, e_x)
        np.subtract(ones, ax, out=qx)
        qx *= rates
        qx += 1.0
        np.divide(rates, qx, out=qx)
        np.minimum(qx, 1.0, out=qx)
        qx[:, -1] = 1.0
        np.subtract(1.0, qx, out=dx)  # p_x, in the d_x scratch
        lx[:, 0] = 1.0
        np.cumprod(dx[:, :-1], axis=-1, out=lx[:, 1:])
        lx_f, dx_f, Lx_f = lx.ravel(), dx.ravel(), Lx.ravel()
        np.subtract(lx_f[:-1], lx_f[1:], out=dx_f[:-1])
        dx[:, -1] = lx[:, -1]
        np.multiply(ax, dx, out=Lx)
        Lx_f[:-1] += lx_f[1:]
        np.multiply(ax[:, -1], dx[:, -1], out=Lx[:, -1])
        # ratios: L_{x+1} / L_x; the open interval T_omega / T_{omega-1} = L_omega / (L_omega + L_{omega-1})
        out = flat_ratios[block]
        with np.errstate(invalid="ignore", divide="ignore"):
            np.divide(Lx[:, 1:-1], Lx[:, :-2], out=out[:, :-2], where=Lx[:, :-2] > 0)
            open_total = Lx[:, -1] + Lx[:, -2]
            np.divide(Lx[:, -1], open_total, out=out[:, -1], where=open_total > 0)
        out[:, -2] = out[:, -1]
        np.divide(Lx[:, 0], lx[:, 0], out=flat_births[block])
    return ratios, births
