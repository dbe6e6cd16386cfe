"""The Leslie matrix: the one-sex (female) cohort-component projection written as a matrix.

For single ages ``0 .. omega`` (``omega`` open) the matrix ``A`` moves the female population
one year ahead, ``P[t+1] = A P[t]``, with exactly the conventions of :func:`project` (no
migration):

- **sub-diagonal** ``A[x+1, x] = S_x = L_{x+1} / L_x`` for ``x = 0 .. omega-2``, and the open
  group ``A[omega, omega-1] = A[omega, omega] = S_open = T_omega / T_{omega-1}``;
- **first row** ``A[0, x] = F_x = (L_0 / l_0) * 1/(1+srb) * (f_x + S_x f_{x+1}) / 2``: a woman
  aged ``x`` at the start of the year has ``f_x / 2`` daughters-worth of exposure while aged
  ``x`` and, if she survives (``S_x``), ``f_{x+1} / 2`` while aged ``x+1`` at the end (births
  from the average of the women at the start and at the end of the year); a share
  ``1/(1+srb)`` of births are girls, who survive to the end of the year with ``L_0 / l_0``.
  In the open group ``f_{omega+1}`` is read as ``f_omega``. With ``birth_exposure="start"``,
  ``F_x = (L_0 / l_0) f_x / (1+srb)``.

Its dominant eigenvalue ``lambda`` is the growth factor of the stable population
(``r = log lambda`` per year), and the eigenvector is the stable age structure.

This is a teaching tool: it builds a dense ``(omega+1) x (omega+1)`` matrix (optionally a batch
of them, ``(..., age, age)``); :func:`project` is the fast, two-sex version with migration.

References
----------
Leslie, P. H. (1945). On the use of matrices in certain population mathematics. *Biometrika*
33(3): 183-212. Preston, Heuveline & Guillot (2001), *Demography*, section 6.4 (the Leslie
matrix, with the same first-row and sub-diagonal elements for 5-year groups). Caswell, H.
(2001). *Matrix Population Models*, 2nd ed., Sinauer.
"""

from __future__ import annotations

import numpy as np

from .._validate import as_float_array, check_values
from .lifetable import survival_ratios

__all__ = ["leslie_matrix", "project_leslie"]


def leslie_matrix(mx, asfr, *, srb=1.05, ages=None, a0="andreev-kingkade", birth_exposure: str = "average"
                  ) -> np.ndarray:
    """Build the female Leslie matrix for single ages ``0 .. omega`` (``omega`` open).

    Parameters
    ----------
    mx : array_like
        Female death rates per person-year, ``(..., age)``.
    asfr : array_like
        Age-specific fertility rates (births of both sexes per woman-year), ``(..., age)``,
        zero outside the reproductive ages.
    srb : float or array_like
        Sex ratio at birth (males per female birth), scalar or over the batch axes.
    ages : array_like, optional
        Single ages ``0 .. omega``; default from the length of ``mx``.
    a0 : str or float
        a0 rule of the female life table (see :func:`life_table`).
    birth_exposure : {"average", "start"}
        As in :func:`project`.

    Returns
    -------
    numpy.ndarray
        ``(..., n_age, n_age)``: first row fertility, sub-diagonal survival, last diagonal
        element the survival within the open interval.

    Raises
    ------
    ValueError
        Bad death rates (as :func:`life_table`), negative or missing fertility rates, age axes of
        different lengths, ``srb <= 0``, unknown ``birth_exposure``.

    Examples
    --------
    >>> import numpy as np
    >>> ages = np.arange(101)
    >>> mx = 0.0002 * np.exp(0.085 * ages)
    >>> asfr = np.where((ages >= 15) & (ages < 50), 0.06, 0.0)
    >>> A = leslie_matrix(mx, asfr)
    >>> A.shape, bool(A[1, 0] < 1), float(A[0, 10])
    ((101, 101), True, 0.0)

    References
    ----------
    Leslie (1945); Preston, Heuveline & Guillot (2001), section 6.4.
    """
    if birth_exposure not in ("average", "start"):
        raise ValueError(f"birth_exposure must be 'average' or 'start', got {birth_exposure!r}.")
    survival = survival_ratios(mx, ages=ages, sex="female", a0=a0)
    ratios = survival.ratios
    n_age = ratios.shape[-1]
    rates = check_values("asfr", asfr, lower=0.0, trailing=("age",), what="fertility rate",
                         hint="Fertility rates are births per woman-year (zero or more).")
    if rates.ndim < 1 or rates.shape[-1] != n_age:
        raise ValueError(f"asfr must have {n_age} entries on its age axis (like mx), but it has shape {rates.shape}.")
    srb_arr = as_float_array("srb", srb)
    if np.any(~np.isfinite(srb_arr)) or np.any(srb_arr <= 0):
        raise ValueError(f"srb (sex ratio at birth, males per female birth) must be positive and finite, got {srb!r}.")
    female_share = 1.0 / (1.0 + srb_arr)

    if birth_exposure == "average":
        next_rates = np.concatenate([rates[..., 1:], rates[..., -1:]], axis=-1)  # f_{omega+1} := f_omega
        exposure = (rates + ratios * next_rates) / 2.0
    else:
        exposure = np.broadcast_to(rates, np.broadcast_shapes(rates.shape, ratios.shape))
    first_row = (survival.births * female_share)[..., None] * exposure

    batch = np.broadcast_shapes(first_row.shape[:-1], ratios.shape[:-1])
    matrix = np.zeros((*batch, n_age, n_age))
    matrix[..., 0, :] = first_row
    rows = np.arange(1, n_age)
    matrix[..., rows, rows - 1] = ratios[..., :-1]
    matrix[..., n_age - 1, n_age - 1] = ratios[..., -1]
    return matrix


def project_leslie(population_female, mx_female, asfr, *, srb=1.05, steps: int, a0="andreev-kingkade",
                   birth_exposure: str = "average") -> np.ndarray:
    """Project a female population with the Leslie matrix: ``P[t+1] = A P[t]``.

    Parameters
    ----------
    population_female : array_like
        Women by single age ``(..., age)`` at the start.
    mx_female, asfr, srb, a0, birth_exposure
        As in :func:`leslie_matrix` (constant over the projection).
    steps : int
        Number of one-year steps.

    Returns
    -------
    numpy.ndarray
        ``(..., steps + 1, age)``, the start population first. Equal (to rounding) to the
        female part of :func:`project` with the same rates and no migration.

    Raises
    ------
    ValueError
        Negative or missing population, a population age axis that does not match ``mx``,
        a negative number of steps, and the errors of :func:`leslie_matrix`.

    Examples
    --------
    >>> import numpy as np
    >>> ages = np.arange(101)
    >>> mx = 0.0002 * np.exp(0.085 * ages)
    >>> asfr = np.where((ages >= 15) & (ages < 50), 0.06, 0.0)
    >>> project_leslie(np.full(101, 1000.0), mx, asfr, steps=10).shape
    (11, 101)
    """
    if int(steps) != steps or steps < 0:
        raise ValueError(f"steps must be a whole number of years (0 or more), got {steps!r}.")
    matrix = leslie_matrix(mx_female, asfr, srb=srb, a0=a0, birth_exposure=birth_exposure)
    pop = check_values("population_female", population_female, lower=0.0, trailing=("age",),
                       what="population count", hint="Populations are counts of people (zero or more).")
    n_age = matrix.shape[-1]
    if pop.ndim < 1 or pop.shape[-1] != n_age:
        raise ValueError(f"population_female must have {n_age} entries on its age axis (like mx_female), but it "
                         f"has shape {pop.shape}.")
    batch = np.broadcast_shapes(pop.shape[:-1], matrix.shape[:-2])
    out = np.empty((*batch, int(steps) + 1, n_age))
    out[..., 0, :] = pop
    for t in range(int(steps)):
        np.matmul(matrix, out[..., t, :, None], out=out[..., t + 1, :, None])
    return out
