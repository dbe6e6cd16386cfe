"""Commutation functions D, N, S, C, M, R of a life table at an interest rate."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._basis import Basis, mortality_qx, rate, reverse_cumsum_with_tail


@dataclass(frozen=True, eq=False)
class CommutationTable:
    """Commutation columns, each of shape ``(..., age)`` (the mortality's shape, broadcast with the rate's).

    Attributes
    ----------
    ages : ndarray
        Single ages ``0 .. omega``; the last one is open.
    interest_rate : ndarray
        The rate the columns are computed at (batch shape).
    lx, dx : ndarray
        Survivors to exact age x and deaths between x and x+1, per ``radix`` at age 0 (``d_omega``
        counts the deaths of the first year of the open interval only).
    Dx, Nx, Sx, Cx, Mx, Rx : ndarray
        ``D_x = v^x l_x``, ``N_x = sum_{y>=x} D_y``, ``S_x = sum_{y>=x} N_y``, ``C_x = v^(x+1) d_x``,
        ``M_x = sum_{y>=x} C_y``, ``R_x = sum_{y>=x} M_y``, the sums running to infinity through
        the open interval (see :func:`commutation_functions`).
    """

    ages: np.ndarray
    interest_rate: np.ndarray
    lx: np.ndarray
    dx: np.ndarray
    Dx: np.ndarray
    Nx: np.ndarray
    Sx: np.ndarray
    Cx: np.ndarray
    Mx: np.ndarray
    Rx: np.ndarray

    def to_frame(self):
        """The columns as a tidy pandas DataFrame: one row per (batch cell, age).

        Columns ``cell`` (the flat C-order index over the leading axes, when there are any), ``age``,
        then ``lx, dx, Dx, Nx, Sx, Cx, Mx, Rx``.
        """
        import pandas as pd

        n_age = self.ages.size
        n_cell = self.Dx.size // n_age
        columns = {}
        if self.Dx.ndim > 1:
            columns["cell"] = np.repeat(np.arange(n_cell), n_age)
        columns["age"] = np.tile(self.ages, n_cell)
        for field in ("lx", "dx", "Dx", "Nx", "Sx", "Cx", "Mx", "Rx"):
            columns[field] = getattr(self, field).reshape(-1)
        return pd.DataFrame(columns)


def qx_from_lx(lx, *, open_qx=1.0):
    """Probabilities of dying from survivors: ``q_x = 1 - l_(x+1) / l_x``, for tables printed as ``l_x``.

    Parameters
    ----------
    lx : array_like, shape (..., age)
        Survivors to exact ages ``0 .. omega`` (any radix; non-increasing, ``l_0 > 0``). Leading
        axes (sex, scenarios) are kept.
    open_qx : float or array_like, default 1
        Probability of dying in each year of the open interval ``omega+`` (the last age). The
        default 1 ends the table at ``omega``, as a table printed to its last age does.

    Returns
    -------
    ndarray, shape (..., age)
        ``q_x`` for the functions of :mod:`qsp.actuarial`; 1 at ages with ``l_x = 0``.

    Raises
    ------
    ValueError
        Negative or NaN survivors, survivors that increase with age (naming the age), ``l_0 = 0``,
        an ``open_qx`` outside [0, 1].

    Examples
    --------
    >>> from qsp.actuarial import qx_from_lx
    >>> qx_from_lx([1000, 900, 450]).round(6).tolist()
    [0.1, 0.5, 1.0]

    References
    ----------
    Bowers, N. L. et al. (1997). *Actuarial Mathematics*, 2nd ed., ch. 3 (the life table).
    """
    from .._validate import check_values

    survivors = check_values("lx", lx, lower=0.0, trailing=("sex", "age") if np.ndim(lx) >= 2 else ("age",),
                             what="number of survivors")
    if survivors.ndim == 0 or survivors.shape[-1] < 2:
        raise ValueError(f"lx must hold survivors at ages 0 .. omega on its last axis; got shape {survivors.shape}.")
    if np.any(survivors[..., 0] <= 0):
        raise ValueError("lx must start with a positive radix l_0 (the number of births the table follows).")
    growth = survivors[..., 1:] > survivors[..., :-1] * (1 + 1e-12)
    if growth.any():
        where = tuple(np.argwhere(growth)[0])
        raise ValueError(f"lx increases from age {where[-1]} to {where[-1] + 1} (at index {where[:-1]} of the leading "
                         "axes): survivors can only fall with age. Check the column is l_x, not d_x or L_x.")
    closing = check_values("open_qx", open_qx, lower=0.0, upper=1.0, trailing=(), what="probability of dying")
    q = np.ones_like(survivors)
    ratio = np.divide(survivors[..., 1:], survivors[..., :-1], out=np.zeros(survivors[..., 1:].shape),
                      where=survivors[..., :-1] > 0)
    q[..., :-1] = 1.0 - ratio
    q[..., -1] = closing
    return q


def commutation_functions(mortality, *, interest_rate, radix: float = 100_000.0) -> CommutationTable:
    """Commutation functions of a life table at an interest rate, every age and scenario at once.

    With ``v = 1 / (1 + i)`` and ``l_x`` the survivors of ``radix`` births,

    ``D_x = v^x l_x``, ``N_x = sum_{y>=x} D_y``, ``S_x = sum_{y>=x} N_y``,
    ``C_x = v^(x+1) d_x``, ``M_x = sum_{y>=x} C_y``, ``R_x = sum_{y>=x} M_y``.

    They turn present values into ratios: ``a-due_x = N_x / D_x``, ``A_x = M_x / D_x``,
    ``nE_x = D_(x+n) / D_x``, ``(I a-due)_x = S_x / D_x`` (Iyer 1999, ch. 2).

    Parameters
    ----------
    mortality : LifeTable or array_like, shape (..., age)
        A kit life table (:func:`qsp.demography.life_table`, single ages, e.g. ``(..., sex, age)``)
        or probabilities of dying ``q_x`` on single ages ``0 .. omega``, the last age open (from
        survivors ``l_x``: :func:`qx_from_lx`).
    interest_rate : float or array_like
        Effective annual rate ``i`` (0.04 for 4%), > -1; broadcasts against the mortality's shape
        without its age axis (e.g. ``(..., sex)``: give shape ``(k, 1)`` for ``k`` rates applied
        to both sexes).
    radix : float, default 100,000
        ``l_0``.

    Returns
    -------
    CommutationTable
        Columns ``lx, dx, Dx, Nx, Sx, Cx, Mx, Rx``, each ``(..., age)``; ``.to_frame()``.

    Raises
    ------
    ValueError
        Probabilities outside [0, 1] or NaN (with the age and sex), an abridged life table, an
        interest rate of -1 or less or NaN, a radix that is not positive, or a rate so low that
        the open interval's discounted survivors never decrease (``v p_omega >= 1``).

    Notes
    -----
    The open interval: a kit life table's death rate ``m_omega`` of the open interval is read as
    a constant force, ``p_omega = exp(-m_omega)`` every year beyond ``omega``; an array of
    ``q_x`` keeps its last ``q`` every year beyond ``omega`` (``q_omega = 1`` ends the table).
    The sums are then geometric beyond ``omega`` and closed exactly: ``N_omega = D_omega /
    (1 - v p_omega)``, and likewise for ``S``, ``M`` and ``R``. With this closure the textbook
    identities hold at every age: ``N_x = D_x + N_(x+1)``, ``M_x = D_x - d N_x`` (``d = i v``),
    ``C_x = v D_x - D_(x+1)``. Survivors are a cumulative product and the sums reversed
    cumulative sums: no loop over ages.

    Examples
    --------
    A table of three ages whose last is open with ``q = 1``, at 0% interest: ``N`` counts the
    person-years of payments (the curtate expectation of life plus one).

    >>> from qsp.actuarial import commutation_functions
    >>> table = commutation_functions([0.5, 0.5, 1.0], interest_rate=0.0, radix=100)
    >>> table.lx.tolist(), table.Nx.tolist()
    ([100.0, 50.0, 25.0], [175.0, 75.0, 25.0])
    >>> (table.Nx / table.Dx).tolist()
    [1.75, 1.5, 1.0]

    References
    ----------
    Iyer, S. (1999). *Actuarial Mathematics of Social Security Pensions*. ILO/ISSA, ch. 2
    (commutation functions). Bowers, N. L., Gerber, H. U., Hickman, J. C., Jones, D. A. and
    Nesbitt, C. J. (1997). *Actuarial Mathematics*, 2nd ed. Society of Actuaries, ch. 5 and
    Appendix 2A.
    """
    q = mortality_qx(mortality)
    i = rate("interest_rate", interest_rate, what="interest rate")
    if not np.isfinite(radix) or radix <= 0:
        raise ValueError(f"radix must be a positive number of births (e.g. 100000); got {radix!r}.")
    basis = Basis(q, i)
    v = basis.v
    lx = basis.lx * radix
    dx = lx * basis.q
    Dx = basis.D * radix
    Nx = basis.N * radix
    Sx = reverse_cumsum_with_tail(Nx, basis.ratio)
    Cx = v ** (basis.ages + 1) * dx
    Mx = reverse_cumsum_with_tail(Cx, basis.ratio)
    Rx = reverse_cumsum_with_tail(Mx, basis.ratio)
    return CommutationTable(ages=basis.ages, interest_rate=np.broadcast_to(i, v.shape[:-1]), lx=lx, dx=dx,
                            Dx=Dx, Nx=Nx, Sx=Sx, Cx=Cx, Mx=Mx, Rx=Rx)
