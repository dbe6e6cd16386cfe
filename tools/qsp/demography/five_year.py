"""Cohort-component projection in five-year steps on five-year age groups.

This is the method of Preston, Heuveline & Guillot (2001), chapter 6 (Boxes 6.1 and 6.2), and
of most national statistics offices and the UN's five-year projections: the population in age
groups ``0-4, 5-9, ..., (n-1)w+`` (width ``w``, usually 5) moves forward ``w`` years per step,
so that each group becomes the next one. :func:`qsp.demography.project` does the same with
single years of age and one-year steps. In every step (``P`` the population at the start,
``N`` the step's net migrants by age group, ``L`` the life table's person-years ``nLx`` per
``radix`` births):

1. **Migrants at the start**: a share of ``N`` (half with the default ``migration_timing="half"``,
   as in Box 6.2) joins its group at the start: ``W = P + N/2``.
2. **Survival**: ``P'[x+1] = W[x] L[x+1] / L[x]`` for the closed groups; the open group gathers
   the survivors of the last closed group and of itself,
   ``P'[open] = (W[open-1] + W[open]) L[open] / (L[open-1] + L[open])`` (``L[open]`` is
   ``T`` of the open group).
3. **Migrants at the end**: the rest of ``N`` is added, ``E = P' + N/2``.
4. **Births** over the ``w`` years, by age group of the mother:
   ``B[x] = w f[x] (W[x] + E[x]) / 2`` (``birth_exposure="average"``: the women at the end
   include those who arrived at the end, as in Box 6.2 and the UN's WPP; see
   :mod:`qsp.demography.projection` for the other conventions, ``"average-survivors"`` and
   ``"start"``). A share ``1/(1+srb)`` are girls. They survive to the end of the step with
   ``L[0] / (w l_0)``, and the end arrivals of group 0 join them:
   ``P'[0] = B_sex L[0] / (w l_0) + N[0]/2``.

A group never goes below zero: emigration that would empty it stops at zero.

References
----------
Preston, S. H., Heuveline, P. & Guillot, M. (2001). *Demography: Measuring and Modeling
Population Processes*. Oxford: Blackwell. Chapter 6, Box 6.1 (Sweden 1993, closed) and Box 6.2
(Sweden 1993-1998 with migration).
Wheldon, M. & Hertog, S. ``ccmppWPP``: cohort-component projection of the UN Population
Division (R package, github.com/markalava/ccmppWPP), ``project_z_by_z`` with
``mig_assumption="even"``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validate import SEX_NAMES, as_float_array, broadcast_batch_shapes, check_values
from .projection import BIRTH_EXPOSURES, MIGRATION_TIMINGS

__all__ = ["FiveYearProjection", "project_five_year", "PRESTON_BOX_6_2"]

PRESTON_BOX_6_2 = {
    "source": "Preston, Heuveline & Guillot (2001), Demography, Box 6.2: Sweden, women, 1993-1998, as transcribed "
              "in ccmppWPP (github.com/markalava/ccmppWPP, data-raw/sweden_1993.R)",
    "ages": tuple(range(0, 90, 5)),
    "women_1993": (293395, 248369, 240012, 261346, 285209, 314388, 281290, 286923, 304108, 324946, 247613,
                   211351, 215140, 221764, 223506, 183654, 141990, 112424),
    "Lx": (497487, 497138, 496901, 496531, 495902, 495168, 494213, 492760, 490447, 486613, 480665, 471786,
           457852, 436153, 402775, 350358, 271512, 291707),
    "asfr": (0, 0, 0, 0.0120, 0.0908, 0.1499, 0.1125, 0.0441, 0.0074, 0.0003, 0, 0, 0, 0, 0, 0, 0, 0),
    "net_migrants": (6840, 4150, 3365, 5270, 9240, 8230, 5470, 3155, 1770, 1115, 1075, 845, 645, 530, 465, 300,
                     250, 175),
    "srb": 1.05,
    "radix": 100_000,
    "births_by_age": (0, 0, 0, 15244, 126688, 229354, 170057, 63203, 10971, 472, 0, 0, 0, 0, 0, 0, 0, 0),
    "births": 615_989,
    "women_1998": (302392, 298682, 252007, 244150, 268267, 293515, 320624, 284767, 288031, 303166, 322062,
                   243989, 205841, 205516, 205270, 194771, 142565, 131966),
}
"""The inputs and printed results of Preston et al. (2001) Box 6.2: 18 five-year groups (85+
open), the women of Sweden in 1993, the female life table's ``5Lx`` (``l0 = 100,000``; the last
is ``T85``), annual fertility rates, net female migrants over 1993-1998 (half added at the start
and half at the end), and the printed births by age of mother (their sum 615,989) and women in
1998. ``project_five_year`` reproduces the printed figures to the digit (tested)."""


@dataclass(frozen=True, eq=False)
class FiveYearProjection:
    """Result of :func:`project_five_year`.

    Attributes
    ----------
    years : numpy.ndarray
        The ``T`` calendar years, ``width`` apart; step ``t`` runs from ``years[t]`` to
        ``years[t+1]``.
    population : numpy.ndarray
        ``(..., T, sex, group)`` counts at each date, never negative.
    births : numpy.ndarray
        ``(..., T-1, sex)`` births during each step (``width`` years), by sex of the child.
    births_by_age : numpy.ndarray
        ``(..., T-1, group)`` the same births by age group of the mother (zero where the
        fertility rate is zero).
    deaths : numpy.ndarray
        ``(..., T-1, sex, group)`` deaths during each step by cohort, indexed by the group the
        cohort reaches at the end (0: the step's births; the last: the open group and the last
        closed group at the start).
    ages : numpy.ndarray
        The first age of each group, ``0, width, 2 width, ...``; the last group is open.
    width : int
        Width of the age groups and of the step, in years.
    """

    years: np.ndarray
    population: np.ndarray
    births: np.ndarray
    births_by_age: np.ndarray
    deaths: np.ndarray
    ages: np.ndarray
    width: int

    def total(self) -> np.ndarray:
        """Total population by date, shape ``(..., T)``."""
        return self.population.sum(axis=(-2, -1))

    def to_frame(self):
        """Tidy long pandas DataFrame ``year, sex, age`` (first age of the group), ``population``
        (one projection; for a batch, select a scenario first)."""
        import pandas as pd

        if self.population.ndim != 3:
            raise ValueError(f"to_frame needs one projection (population of shape (T, sex, group)), but this one "
                             f"has batch axes {self.population.shape[:-3]}; select a scenario first, e.g. "
                             f"population[0].")
        n_years, n_sex, n_age = self.population.shape
        return pd.DataFrame({
            "year": np.repeat(self.years, n_sex * n_age),
            "sex": np.tile(np.repeat(np.array(SEX_NAMES), n_age), n_years),
            "age": np.tile(self.ages, n_years * n_sex),
            "population": self.population.reshape(-1),
        })


def _years(years, width: int) -> np.ndarray:
    arr = np.asarray(list(years) if not isinstance(years, np.ndarray) else years)
    if arr.ndim != 1 or arr.size < 2 or arr.dtype.kind not in "iu":
        raise ValueError(f"years must be at least two whole calendar years {width} apart, e.g. "
                         f"range(1993, 2004, {width}) or [1993, 1998]; got {years!r}.")
    steps = np.diff(arr)
    if np.any(steps != width):
        i = int(np.argmax(steps != width))
        raise ValueError(f"years must be {width} years apart (each step moves every age group of width {width} "
                         f"into the next one), but {arr[i + 1]} follows {arr[i]}. Use e.g. "
                         f"range({arr[0]}, {arr[0] + 3 * width + 1}, {width}).")
    return arr


def project_five_year(
    population,
    *,
    Lx,
    asfr,
    net_migrants=None,
    srb=1.05,
    years,
    radix: float = 100_000.0,
    width: int = 5,
    migration_timing: str = "half",
    birth_exposure: str = "average",
) -> FiveYearProjection:
    """Project a population by sex and five-year age group, five years per step.

    The method of Preston et al. (2001) Box 6.2 (module docstring): a group's survivors move
    into the next group; births come from the average number of women in each group at the
    start and the end of the step.

    Parameters
    ----------
    population : array_like
        Base population ``(..., sex, group)`` at the date ``years[0]``, in groups
        ``0 .. width-1, width .. 2 width - 1, ...``, the last one open; sex 0 female, 1 male.
        At least 3 groups. Leading axes are scenarios.
    Lx : array_like
        Person-years lived in each group by a life table of ``radix`` births (``nLx``; for the
        open group its ``T``), ``(..., sex, group)``, or ``(..., step, sex, group)`` varying by
        step (read so exactly when it has more axes than ``population``). All must be positive.
        From an abridged table ``lt = life_table(mx, ages=abridged_ages(85))`` this is
        ``lt.Lx`` with its first two intervals (``1L0 + 4L1``) added together.
    asfr : array_like
        Annual age-specific fertility rates of women (births per woman-year) by group,
        ``(..., group)`` or ``(..., step, group)`` (more axes than ``population[..., 0, :]``).
    net_migrants : array_like, optional
        Net migrants over the whole step (``width`` years, not per year), ``(..., sex, group)``
        or ``(..., step, sex, group)``, by the group they are in when they are added (as in
        Box 6.2). Negative = net emigration. Default: none.
    srb : float or array_like
        Sex ratio at birth, males per female birth (default 1.05): scalar or over the batch.
    years : sequence of int
        The dates of the result, ``width`` years apart, e.g. ``[1993, 1998]`` or
        ``range(2020, 2051, 5)``.
    radix : float
        The life table's ``l_0`` (default 100,000): newborns survive to the end of the step
        with ``Lx[0] / (width radix)``.
    width : int
        Width of the age groups and of the step, in years (default 5).
    migration_timing : {"half", "start", "end"}
        Share of the step's migrants added at the start (half, all, none), as in :func:`project`.
    birth_exposure : {"average", "average-survivors", "start"}
        Which women are exposed to childbearing, as in :func:`project`. The default here is
        ``"average"``, the method of Box 6.2 and of the UN (the women who arrive at the end
        count): no kit data are calibrated on this function, so it follows the textbook.

    Returns
    -------
    FiveYearProjection
        ``population (..., T, sex, group)``, ``births (..., T-1, sex)``,
        ``births_by_age (..., T-1, group)`` and ``deaths (..., T-1, sex, group)``.

    Raises
    ------
    ValueError
        Wrong shapes, negative counts or rates, ``Lx`` not positive, ``srb <= 0``, years not
        ``width`` apart, unknown option names.

    Examples
    --------
    Preston et al. (2001) Box 6.2 (Sweden, women, 1993-1998; the men get the same numbers in
    the book's exercise) gives 615,989 births; here without rounding each age group first:

    >>> import numpy as np
    >>> women = [293395, 248369, 240012, 261346, 285209, 314388, 281290, 286923, 304108, 324946,
    ...          247613, 211351, 215140, 221764, 223506, 183654, 141990, 112424]
    >>> Lx = [497487, 497138, 496901, 496531, 495902, 495168, 494213, 492760, 490447, 486613,
    ...       480665, 471786, 457852, 436153, 402775, 350358, 271512, 291707]
    >>> asfr = np.zeros(18); asfr[3:10] = [0.0120, 0.0908, 0.1499, 0.1125, 0.0441, 0.0074, 0.0003]
    >>> migrants = [6840, 4150, 3365, 5270, 9240, 8230, 5470, 3155, 1770, 1115, 1075, 845, 645,
    ...             530, 465, 300, 250, 175]
    >>> r = project_five_year(np.stack([women, women]), Lx=np.stack([Lx, Lx]), asfr=asfr,
    ...                       net_migrants=np.stack([migrants, migrants]), years=[1993, 1998])
    >>> round(float(r.births.sum())), round(float(r.population[1, 0, 0]))
    (615988, 302392)

    References
    ----------
    Preston, Heuveline & Guillot (2001), chapter 6, Box 6.2.
    """
    if migration_timing not in MIGRATION_TIMINGS:
        raise ValueError(f"migration_timing must be one of {tuple(MIGRATION_TIMINGS)}, got {migration_timing!r}.")
    if birth_exposure not in BIRTH_EXPOSURES:
        raise ValueError(f"birth_exposure must be one of {BIRTH_EXPOSURES}, got {birth_exposure!r}.")
    if not (isinstance(width, (int, np.integer)) and width >= 1):
        raise ValueError(f"width must be a whole number of years (the width of the age groups), e.g. 5; got {width!r}.")
    year_arr = _years(years, int(width))
    n_steps = year_arr.size - 1
    if not (np.isfinite(radix) and radix > 0):
        raise ValueError(f"radix (the life table's l0) must be a positive number, e.g. 100000; got {radix!r}.")

    pop = as_float_array("population", population)
    if pop.ndim < 2 or pop.shape[-2] != 2:
        raise ValueError(f"population must be laid out as (..., sex, group) with a sex axis of length 2 (0 = female, "
                         f"1 = male) at axis -2, but it has shape {pop.shape}.")
    n_age = pop.shape[-1]
    if n_age < 3:
        raise ValueError(f"population needs at least 3 age groups (the last one open), but has {n_age}.")
    ages = np.arange(n_age) * int(width)
    check_values("population", pop, lower=0.0, ages=ages, what="population count",
                 hint="Populations are counts of people (zero or more).")

    def stepped(name, value, n_trailing, trailing_names, *, lower=None, strict=False, what="value", hint=""):
        arr = as_float_array(name, value)
        want = (2, n_age) if n_trailing == 2 else (n_age,)
        if arr.ndim < n_trailing or arr.shape[-n_trailing:] != want:
            raise ValueError(f"{name} must end with {'(sex, group) axes of lengths' if n_trailing == 2 else 'a group axis of'}"
                             f" {want if n_trailing == 2 else n_age} like population, but it has shape {arr.shape}.")
        base_ndim = pop.ndim - (2 - n_trailing)
        varies = arr.ndim > base_ndim
        if varies and arr.shape[-n_trailing - 1] != n_steps:
            raise ValueError(f"{name} has shape {arr.shape}: with more axes than the population, its axis "
                             f"{-n_trailing - 1} is read as the step, which must have len(years) - 1 = {n_steps} "
                             f"entries but has {arr.shape[-n_trailing - 1]}.")
        names = (("step",) if varies else ()) + trailing_names
        if strict:
            check_values(name, arr, lower=lower, lower_inclusive=False, trailing=names, ages=ages, years=year_arr[:-1],
                         what=what, hint=hint)
        else:
            check_values(name, arr, lower=lower, trailing=names, ages=ages, years=year_arr[:-1], what=what, hint=hint)
        return arr if varies else np.expand_dims(arr, -n_trailing - 1)

    L = stepped("Lx", Lx, 2, ("sex", "age"), lower=0.0, strict=True, what="person-years lived (nLx)",
                hint="Lx are the life table's person-years lived in each age group (positive).")
    f = stepped("asfr", asfr, 1, ("age",), lower=0.0, what="fertility rate",
                hint="Fertility rates are births per woman-year (zero or more).")
    mig = None
    if net_migrants is not None:
        mig = stepped("net_migrants", net_migrants, 2, ("sex", "age"), what="number of migrants")
    srb_arr = as_float_array("srb", srb)
    if np.any(~np.isfinite(srb_arr)) or np.any(srb_arr <= 0):
        raise ValueError(f"srb (sex ratio at birth, males per female birth) must be positive and finite; got "
                         f"{srb_arr}. Typical values are 1.03-1.07.")
    shapes = {"population": pop.shape[:-2], "Lx": L.shape[:-3], "asfr": f.shape[:-2], "srb": srb_arr.shape}
    if mig is not None:
        shapes["net_migrants"] = mig.shape[:-3]
    batch = broadcast_batch_shapes(shapes)

    start_share = MIGRATION_TIMINGS[migration_timing]
    average = birth_exposure != "start"
    arrivals_exposed = birth_exposure == "average"
    girls_share = 1.0 / (1.0 + srb_arr)
    shares = np.stack(np.broadcast_arrays(girls_share, 1.0 - girls_share), axis=-1)  # (..., 2)

    population_out = np.empty((*batch, n_steps + 1, 2, n_age))
    births = np.empty((*batch, n_steps, 2))
    births_by_age = np.empty((*batch, n_steps, n_age))
    deaths = np.empty((*batch, n_steps, 2, n_age))
    population_out[..., 0, :, :] = pop
    for t in range(n_steps):
        lx = L[..., t if L.shape[-3] > 1 else 0, :, :]
        rates = f[..., t if f.shape[-2] > 1 else 0, :]
        now = population_out[..., t, :, :]
        moving = None if mig is None else mig[..., t if mig.shape[-3] > 1 else 0, :, :]
        exposed = now if moving is None or start_share == 0 else np.maximum(now + start_share * moving, 0.0)
        survivors = np.zeros((*batch, 2, n_age))
        survivors[..., 1:-1] = exposed[..., :-2] * (lx[..., 1:-1] / lx[..., :-2])
        survivors[..., -1] = (exposed[..., -2] + exposed[..., -1]) * (lx[..., -1] / (lx[..., -2] + lx[..., -1]))
        nxt = survivors if moving is None or start_share == 1 else np.maximum(survivors + (1 - start_share) * moving,
                                                                                0.0)
        at_end = nxt if arrivals_exposed else survivors
        women = exposed[..., 0, :].copy()
        if average:
            women[..., 1:] += at_end[..., 0, 1:]
            women *= 0.5
        by_age = births_by_age[..., t, :]
        np.multiply(width * rates, women, out=by_age)
        born = by_age.sum(axis=-1)[..., None] * shares  # (..., 2)
        births[..., t, :] = born
        newborn = born * lx[..., 0] / (width * radix)
        first = newborn if moving is None or start_share == 1 else np.maximum(newborn + (1 - start_share)
                                                                             * moving[..., 0], 0.0)
        died = deaths[..., t, :, :]
        died[..., 0] = born - newborn
        died[..., 1:-1] = exposed[..., :-2] - survivors[..., 1:-1]
        died[..., -1] = exposed[..., -2] + exposed[..., -1] - survivors[..., -1]
        result = population_out[..., t + 1, :, :]
        result[...] = nxt
        result[..., 0] = first
    return FiveYearProjection(years=year_arr, population=population_out, births=births, births_by_age=births_by_age,
                              deaths=deaths, ages=ages, width=int(width))
