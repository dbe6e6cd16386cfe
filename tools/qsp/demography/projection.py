"""Cohort-component population projection by single years of age and sex.

One step moves the population forward one year, from a reference date of year ``t`` (e.g.
1 January or 1 July) to the same date of year ``t+1``. In every step:

1. **Migrants arriving at the start** (all of them with ``migration_timing="start"``, half with
   ``"half"``) join their age group and live through the year.
2. **Survival.** The people aged ``x`` at the start (``x < omega-1``) are aged ``x+1`` at the
   end: ``P[t+1, x+1] = P[t, x] S_x`` with ``S_x = L_{x+1} / L_x``. The open group gathers the
   survivors of ages ``omega-1`` and ``omega+``: ``P[t+1, omega] = (P[t, omega-1] + P[t, omega])
   S_open`` with ``S_open = T_omega / T_{omega-1}`` (see :func:`survival_ratios`).
3. **Births** during the year, ``B = sum_x f_x (W[t, x] + W[t+1, x]) / 2`` with ``f`` the
   age-specific fertility rates and ``W`` the women aged ``x`` at the start (after start
   arrivals) and at the end: the person-years of women at each age, averaged over the year.
   Which women count at the end is the ``birth_exposure`` convention (below). A share
   ``1/(1+srb)`` of births are girls, ``srb/(1+srb)`` boys. The births survive to the end of
   the year with ``L_0 / l_0`` (one ``l_0`` born, ``L_0`` person-years lived in the first
   year, spread over a year of births): ``P[t+1, 0] = B_sex L_0 / l_0``.
4. **Migrants arriving at the end** (all of them with ``"end"``, half with ``"half"``) are added.

**Births convention (``birth_exposure``).** Three are offered; they differ only when some
migrants arrive at the end of the step:

==============================  =====================================================================
``"average"``                   ``W[t+1]`` = all women at the end, *including* the end arrivals
                                (ages 1 and over): Preston, Heuveline & Guillot (2001) Box 6.2, the
                                UN's WPP projection (``ccmppWPP``, Wheldon & Hertog) and most
                                national offices; agrees with ``ccmppWPP``'s step to 1e-9 (tested)
``"average-survivors"`` (dflt)  ``W[t+1]`` = the survivors only, the end arrivals left out (the
                                Leslie-matrix form of markalava's older ``CCMPP`` package computes
                                births this way too)
``"start"``                     ``W[t]`` only (births from the women at the start)
==============================  =====================================================================

Why the default is not (yet) the textbook's. The kit's country data (``datasets/``) were first
built by ``tools/build_datasets.py`` with fertility and migration levels *calibrated* so that
this function, with ``"average-survivors"``, reproduced WPP's births and totals; switching the
default moves every projection of the course (births by up to 0.2% over 2020-2050 on those
data, Switzerland and Nepal) and the self-check keys of ps02, ps04 and ps05. The eight kit
countries have since been rebuilt from WPP's own components (issue 11), so the default should
become ``"average"``: change :data:`DEFAULT_BIRTH_EXPOSURE`, regenerate the self-check keys
(``qsp course keys``) and re-run the lecture and data tests. ``"average-survivors"``
is not wrong either: with arrivals spread evenly over the step, the migrant women live on
average half the step in the country, which it counts exactly (``N/2`` person-years per ``N``
arrivals) while ``"average"`` counts ``3N/4``. The difference is small (Box 6.2: 612,358 against
615,989 births over five years, 0.6%) and is taught in Module 2. Pass
``birth_exposure="average"`` to reproduce the UN's or the textbook's projections.

With ``migration_timing="half"`` this gives, for ``x < omega-1``,
``P[t+1, x+1] = (P[t, x] + N_x/2) S_x + N_{x+1}/2``.

**Migration convention.** ``net_migrants[..., s, x]`` is the year's net number of migrants of
sex ``s`` who are aged ``x`` *when they are added*: at the start of the year (aged ``x`` at the
start, then ageing and surviving with their cohort) or at the end (aged ``x`` at the end, not
exposed to the year's mortality). These are the period-age counts of net migration by age that
UN-style assumptions provide. With ``"half"`` the count at age ``x`` is split equally between
the cohort aged ``x`` at the start and the cohort aged ``x`` at the end (one year younger).
The ``N_0/2`` arriving at the end join the year's births; those arriving at the start were
already born.

**Never negative.** Large net emigration can exceed the people there are. A cohort never
goes below zero: the emigration that cannot happen is dropped, the flows record the
*realised* migrants, and ``Projection.emigration_shortfall`` records what was dropped. The
balancing equation holds exactly (to rounding) with the realised migrants.

**Flows are indexed by cohort, by age at the end of the step.** ``deaths[..., t, s, x]`` and
``migrants[..., t, s, x]`` belong to the cohort that is aged ``x`` at the end of step ``t``:

==============  =============================================================
index ``x``     the cohort
==============  =============================================================
0               born during the step
1 .. omega-1    aged ``x-1`` at the start of the step
omega           aged ``omega-1`` or ``omega+`` at the start (the open group)
==============  =============================================================

so that for every cohort ``population[t+1, x] = population[t, x-1] (+ population[t, omega]
when x = omega; births when x = 0) - deaths[t, x] + migrants[t, x]``.

References
----------
Preston, Heuveline & Guillot (2001), *Demography*, chapter 6 (cohort-component projection,
survival ratios, births from the average number of women, open interval).
United Nations (2024). *World Population Prospects 2024: Methodology of the United Nations
population estimates and projections*, section on the cohort-component projection.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validate import SEX_NAMES, as_float_array, check_values, describe_position
from . import _engine
from .ages import interval_widths
from .lifetable import (
    _AK_C1,
    _AK_C2,
    _AK_CAP,
    _AK_HIGH,
    _AK_LOW,
    _AK_S1,
    _AK_S2,
    _ax_plan,
    _check_mx,
    _piecewise,
    _survival_numpy,
)

__all__ = ["Projection", "project"]

MIGRATION_TIMINGS = {"start": 1.0, "half": 0.5, "end": 0.0}
"""Share of each year's net migrants added at the start of the year, by timing name."""
BIRTH_EXPOSURES = ("average", "average-survivors", "start")
"""Values of ``birth_exposure`` (module docstring: which women are exposed to childbearing)."""
DEFAULT_BIRTH_EXPOSURE = "average-survivors"
"""Default of :func:`project`'s ``birth_exposure``: the convention the kit's country data were
calibrated with (module docstring, "Births convention")."""


@dataclass(frozen=True, eq=False)
class Projection:
    """Result of :func:`project`.

    Attributes
    ----------
    years : numpy.ndarray
        The ``T`` calendar years; ``population[..., t, :, :]`` is at the reference date of
        ``years[t]``, and step ``t`` runs from ``years[t]`` to ``years[t+1]``.
    population : numpy.ndarray
        ``(..., T, sex, age)`` counts, never negative.
    births : numpy.ndarray
        ``(..., T-1, sex)`` births during each step, by sex of the child.
    deaths : numpy.ndarray
        ``(..., T-1, sex, age)`` deaths during each step by cohort, indexed by age at the end of
        the step (module docstring): index 0 = deaths of the step's births before the end of
        the step, index ``omega`` = deaths of the open group and of those aged ``omega-1`` at
        the start.
    migrants : numpy.ndarray
        ``(..., T-1, sex, age)`` realised net migrants during each step by cohort (same
        indexing as ``deaths``).
    emigration_shortfall : numpy.ndarray
        ``(..., T-1, sex, age)`` net emigration that was asked for but could not happen because
        the cohort would have become negative (zero unless emigration exceeded the people).
    ages : numpy.ndarray
        Single ages ``0 .. omega`` (``omega`` open).
    """

    years: np.ndarray
    population: np.ndarray
    births: np.ndarray
    deaths: np.ndarray
    migrants: np.ndarray
    emigration_shortfall: np.ndarray
    ages: np.ndarray

    def total(self) -> np.ndarray:
        """Total population by year, shape ``(..., T)``."""
        return self.population.sum(axis=(-2, -1))

    def to_frame(self):
        """Tidy long pandas DataFrame: ``scenario`` (only with batch axes; flat C-order index),
        ``year``, ``sex`` (``"female"``/``"male"``), ``age``, ``population``."""
        import pandas as pd

        n_years, n_sex, n_age = self.population.shape[-3:]
        batch_shape = self.population.shape[:-3]
        n_batch = int(np.prod(batch_shape)) if batch_shape else 1
        per_batch = n_years * n_sex * n_age
        columns = {}
        if batch_shape:
            columns["scenario"] = np.repeat(np.arange(n_batch), per_batch)
        columns["year"] = np.tile(np.repeat(self.years, n_sex * n_age), n_batch)
        columns["sex"] = np.tile(np.repeat(np.array(SEX_NAMES), n_age), n_batch * n_years)
        columns["age"] = np.tile(self.ages, n_batch * n_years * n_sex)
        columns["population"] = self.population.reshape(-1)
        return pd.DataFrame(columns)


# ---------------------------------------------------------------------------------------------
# input checks
# ---------------------------------------------------------------------------------------------
def _check_years(years) -> np.ndarray:
    arr = np.asarray(list(years) if not isinstance(years, np.ndarray) else years)
    if arr.ndim != 1 or arr.size < 1:
        raise ValueError(f"years must be a one-dimensional sequence of calendar years, e.g. range(2020, 2051); "
                         f"got {years!r}.")
    if arr.dtype.kind == "f" and np.all(arr == np.round(arr)):
        arr = arr.astype(np.int64)
    if arr.dtype.kind not in "iu":
        raise ValueError(f"years must be whole calendar years, e.g. range(2020, 2051); got {arr[:5]}...")
    steps = np.diff(arr)
    if np.any(steps != 1):
        i = int(np.argmax(steps != 1))
        raise ValueError(
            f"years must be consecutive calendar years increasing by 1 (the projection moves one year per "
            f"step), but {arr[i + 1]} follows {arr[i]} (positions {i} and {i + 1}). Use e.g. range(2020, 2051)."
        )
    return arr


def _step_axis(name: str, arr: np.ndarray, base_ndim: int, n_steps: int, axis: int, layout: str,
               pop_ndim: int) -> bool:
    """Whether ``arr`` carries a step axis (it has more axes than the population's layout)."""
    if arr.ndim <= base_ndim:
        return False
    length = arr.shape[axis]
    if length != n_steps:
        raise ValueError(
            f"{name} has shape {arr.shape}: because it has more axes than the population ({pop_ndim}), its "
            f"axis {axis} is read as the projection step ({layout}), which must have len(years) - 1 = {n_steps} "
            f"entries but has {length}. Give {name} without a step axis for rates constant over time, or "
            f"give the population the same batch axes (e.g. population[None])."
        )
    return True


def _batch_shape(name: str, arr: np.ndarray, trailing: int) -> tuple[int, ...]:
    return arr.shape[: arr.ndim - trailing]


def _check(name: str, arr: np.ndarray, *, lower: float | None = None, **options) -> None:
    """:func:`check_values`, after a fast path of two reductions for the usual, valid input."""
    if arr.size:
        low, high = arr.min(), arr.max()
        if (low >= lower if lower is not None else low > -np.inf) and high < np.inf:
            return
    check_values(name, arr, lower=lower, **options)


# ---------------------------------------------------------------------------------------------
# the projection
# ---------------------------------------------------------------------------------------------
def project(
    population,
    *,
    mx,
    asfr,
    net_migrants=None,
    srb=1.05,
    years,
    migration_timing: str = "half",
    birth_exposure: str = DEFAULT_BIRTH_EXPOSURE,
    omega: int | None = None,
    a0="andreev-kingkade",
    engine: str = "auto",
    out: Projection | None = None,
) -> Projection:
    """Project a population by sex and single year of age with the cohort-component method.

    Parameters
    ----------
    population : array_like
        Base population ``(..., sex, age)`` at the reference date of ``years[0]``; single ages
        ``0 .. omega``, the last one open; sex 0 female, 1 male. Leading axes are scenarios.
    mx : array_like
        Death rates per person-year ``(..., sex, age)``, constant over the projection, or
        ``(..., step, sex, age)`` varying by step (``len(years) - 1`` steps). ``mx`` is read as
        having a step axis exactly when it has more axes than ``population``.
    asfr : array_like
        Age-specific fertility rates of women (births per woman-year) ``(..., age)`` over the
        same ages, zero outside the reproductive ages; or ``(..., step, age)``, read as varying
        by step exactly when it has more axes than ``population[..., 0, :]``.
    net_migrants : array_like, optional
        Net migrants per year ``(..., sex, age)`` or ``(..., step, sex, age)`` (same rule as
        ``mx``), indexed by age when added (module docstring). Negative = net emigration.
        Default: no migration.
    srb : float or array_like
        Sex ratio at birth, males per female birth (default 1.05). Scalar, or an array over the
        batch axes ``(...)``, or ``(..., step)`` when it has more axes than the batch.
    years : sequence of int
        The calendar years of the result, consecutive, e.g. ``range(2020, 2051)``: the first is
        the base year, so there are ``len(years)`` time points and ``len(years) - 1`` steps.
    migration_timing : {"half", "start", "end"}
        When in the year net migrants are added (default ``"half"``: half at the start, exposed
        to the year's mortality and fertility, half at the end).
    birth_exposure : {"average-survivors", "average", "start"}
        Women exposed to childbearing (module docstring, "Births convention"). ``"average"``:
        the average of the women at the start (after the start arrivals) and at the end (after
        the end arrivals), as in Preston et al. (2001) Box 6.2 and the UN's WPP;
        ``"average-survivors"`` (default, :data:`DEFAULT_BIRTH_EXPOSURE`, the convention the
        kit's data were calibrated with): the same, but the women who arrive at the end are
        left out; ``"start"``: the women at the start only.
    omega : int, optional
        Start of the open age interval; must equal ``population.shape[-1] - 1`` (a check).
    a0 : str or float
        a0 rule of the life tables behind the survival ratios (see :func:`life_table`).
    engine : {"auto", "numpy", "numba"}
        How the projection is computed; the engines agree to rounding (1e-12 relative).
        ``"numpy"``: a loop over years with a few large numpy operations per year (deaths and
        migrants are computed after the loop, for several years at once). ``"numba"``: a
        compiled loop over scenarios, years and ages that computes the survival ratios as it
        goes and writes every result once, scenario by scenario (needs the optional numba
        package; 2-4x faster for many scenarios, about 6x for one; its arrays are laid out
        scenario first, numpy's year first: the values and shapes are the same).
        ``"auto"`` (default): numba when it is
        installed and either the compiled kernel has already run in this session, or the result
        has at least ``_NUMBA_MIN_VALUES`` (200,000) values per output (about 10 scenarios of 50
        years) and numba is already imported; numpy otherwise. "auto" never imports numba
        itself: the first compiled call of a session imports numba and loads the machine code
        cached on disk (measured about 1-2 s on the 2-core course machines; ``make bench``
        prints it), and the very first one after installing also compiles it (a few seconds
        more). ``QSP_DISABLE_NUMBA=1`` in the environment turns numba off.
    out : Projection, optional
        A projection from an earlier call with the same shapes, whose arrays are reused: it is
        refilled with the new projection and returned (its earlier values are gone). This saves
        allocating fresh memory when large projections are run again and again. With
        ``engine="auto"`` the engine that made ``out`` is used (the engines lay out their
        arrays differently).

    Returns
    -------
    Projection
        ``population (..., T, sex, age)``, ``births (..., T-1, sex)``, and ``deaths``,
        ``migrants`` and ``emigration_shortfall`` ``(..., T-1, sex, age)`` by cohort.

    Raises
    ------
    ValueError
        Negative or missing population, death or fertility rates; NaN or infinite migrants;
        wrong shapes (naming the argument and the axis); a step axis whose length does not
        match ``years``; ``srb <= 0``; years not consecutive; unknown timing names or engine;
        ``engine="numba"`` without numba; an ``out`` projection of other shapes, or made by the
        other engine.

    Examples
    --------
    >>> import numpy as np
    >>> ages = np.arange(101)
    >>> mx = np.broadcast_to(0.0002 * np.exp(0.085 * ages), (2, 101))
    >>> asfr = np.where((ages >= 15) & (ages < 50), 0.06, 0.0)
    >>> base = np.full((2, 101), 1000.0)
    >>> result = project(base, mx=mx, asfr=asfr, years=range(2020, 2031))
    >>> result.population.shape, result.births.shape
    ((11, 2, 101), (10, 2))

    References
    ----------
    Preston, Heuveline & Guillot (2001), chapter 6; UN World Population Prospects 2024,
    Methodology.
    """
    year_arr = _check_years(years)
    n_steps = year_arr.size - 1
    step_years = year_arr[:-1]

    if migration_timing not in MIGRATION_TIMINGS:
        raise ValueError(f"migration_timing must be one of {tuple(MIGRATION_TIMINGS)}, got {migration_timing!r}.")
    if birth_exposure not in BIRTH_EXPOSURES:
        raise ValueError(f"birth_exposure must be one of {BIRTH_EXPOSURES}, got {birth_exposure!r}.")

    # population ---------------------------------------------------------------------------
    pop = as_float_array("population", population)
    if pop.ndim < 2 or pop.shape[-2] != 2:
        raise ValueError(
            f"population must be laid out as (..., sex, age) with a sex axis of length 2 (0 = female, "
            f"1 = male) at axis -2, but it has shape {pop.shape}."
        )
    n_age = pop.shape[-1]
    if n_age < 3:
        raise ValueError(f"population needs at least 3 single ages (0, 1, ..., omega+), but has {n_age}.")
    if omega is not None and omega != n_age - 1:
        raise ValueError(
            f"omega={omega} but population has {n_age} ages (0..{n_age - 1}); the open age is the last one, "
            f"so omega must be {n_age - 1}."
        )
    ages = np.arange(n_age)
    _check("population", pop, lower=0.0, ages=ages, what="population count",
           hint="Populations are counts of people (zero or more).")
    pop_ndim = pop.ndim

    # mortality ------------------------------------------------------------------------------
    mx_arr = as_float_array("mx", mx)
    if mx_arr.ndim < 2 or mx_arr.shape[-2:] != (2, n_age):
        raise ValueError(
            f"mx must end with (sex, age) axes of lengths (2, {n_age}) like population, but it has shape "
            f"{mx_arr.shape}."
        )
    mx_varies = _step_axis("mx", mx_arr, pop_ndim, n_steps, -3, "(..., step, sex, age)", pop_ndim)
    trailing = ("year", "sex", "age") if mx_varies else ("sex", "age")

    def check_mx(values: np.ndarray) -> None:
        if values.size and not (values.min() >= 0.0 and values.max() < np.inf):
            check_values("mx", mx_arr, lower=0.0, trailing=trailing, ages=ages, years=step_years,
                         what="death rate", hint="Death rates are deaths per person-year (zero or more).")

    mx_step_shape = mx_arr.shape if mx_varies else (*mx_arr.shape[:-2], 1, 2, n_age)

    # fertility ------------------------------------------------------------------------------
    asfr_arr = as_float_array("asfr", asfr)
    if asfr_arr.ndim < 1 or asfr_arr.shape[-1] != n_age:
        raise ValueError(
            f"asfr must end with an age axis of {n_age} entries (the population's ages 0..{n_age - 1}; zeros "
            f"outside the reproductive ages), but it has shape {asfr_arr.shape}. It holds the rates of women "
            f"only: (..., age) or (..., step, age)."
        )
    asfr_varies = _step_axis("asfr", asfr_arr, pop_ndim - 1, n_steps, -2, "(..., step, age)", pop_ndim)
    _check("asfr", asfr_arr, lower=0.0, trailing=("year", "age") if asfr_varies else ("age",),
           ages=ages, years=step_years, what="fertility rate",
           hint="Fertility rates are births per woman-year (zero or more).")
    fert = asfr_arr if asfr_varies else asfr_arr[..., None, :]
    average_exposure = birth_exposure != "start"
    if average_exposure:
        fert = fert * 0.5

    # migration ------------------------------------------------------------------------------
    mig = None
    if net_migrants is not None:
        mig_arr = as_float_array("net_migrants", net_migrants)
        if mig_arr.ndim < 2 or mig_arr.shape[-2:] != (2, n_age):
            raise ValueError(
                f"net_migrants must end with (sex, age) axes of lengths (2, {n_age}) like population, but it "
                f"has shape {mig_arr.shape}."
            )
        mig_varies = _step_axis("net_migrants", mig_arr, pop_ndim, n_steps, -3, "(..., step, sex, age)", pop_ndim)
        _check("net_migrants", mig_arr, trailing=("year", "sex", "age") if mig_varies else ("sex", "age"),
               ages=ages, years=step_years, what="number of migrants")
        if np.any(mig_arr != 0):
            mig = mig_arr if mig_varies else mig_arr[..., None, :, :]
    start_share = MIGRATION_TIMINGS[migration_timing]
    # the end arrivals are women exposed to childbearing (the UN's and Box 6.2's convention)
    arrivals_exposed = birth_exposure == "average" and mig is not None and start_share < 1
    may_go_negative = mig is not None and bool(mig.min() < 0)

    # sex ratio at birth ---------------------------------------------------------------------
    srb_arr = as_float_array("srb", srb)
    if np.any(~np.isfinite(srb_arr)) or np.any(srb_arr <= 0):
        idx = tuple(np.argwhere(~(np.isfinite(srb_arr) & (srb_arr > 0)))[0]) if srb_arr.ndim else ()
        raise ValueError(
            f"srb (sex ratio at birth, males per female birth) must be a positive finite number, but it is "
            f"{srb_arr[idx]} at {describe_position(idx, ())}. Typical values are 1.03-1.07."
        )
    srb_varies = srb_arr.ndim > pop_ndim - 2
    if srb_varies and srb_arr.shape[-1] != n_steps:
        raise ValueError(
            f"srb has shape {srb_arr.shape}: with more axes than the population's batch ({pop_ndim - 2}), its "
            f"last axis is read as the projection step and must have {n_steps} entries."
        )
    srb_steps = srb_arr if srb_varies else srb_arr[..., None]
    sex_shares = np.stack([1.0 / (1.0 + srb_steps), srb_steps / (1.0 + srb_steps)], axis=-1)  # (..., step, 2)

    # batch shape ----------------------------------------------------------------------------
    shapes = {
        "population": pop.shape[:-2],
        "mx": mx_step_shape[:-3],
        "asfr": fert.shape[:-2],
        "srb": sex_shares.shape[:-2],
    }
    if mig is not None:
        shapes["net_migrants"] = mig.shape[:-3]
    try:
        batch = np.broadcast_shapes(*shapes.values())
    except ValueError as exc:
        described = ", ".join(f"{k} {v}" for k, v in shapes.items())
        raise ValueError(
            f"the batch (scenario) axes of the inputs do not broadcast together: {described}. Leading axes "
            f"before (sex, age) must match or be 1."
        ) from exc

    n_batch = int(np.prod(batch)) if batch else 1
    if out is not None:
        if not isinstance(out, Projection):
            raise ValueError(f"out must be a Projection from an earlier call of project (its arrays are reused), "
                             f"got {type(out).__name__}.")
        made_by = getattr(out, "_engine", "numpy")
        if engine == "auto":
            engine = made_by  # its arrays are laid out for that engine
        elif engine != made_by and n_batch > 1:
            raise ValueError(f"out was made by engine={made_by!r}, whose arrays are laid out differently from "
                             f"those of engine={engine!r}; pass engine={made_by!r}, or out=None.")
    kernels = _engine.choose(engine, n_values=n_batch * n_steps * 2 * n_age, threshold=_NUMBA_MIN_VALUES,
                             kernel_name="project_rows")
    # death rates: the compiled kernel checks them as it reads them (a second pass over a large
    # mx costs as much as a tenth of the projection); here only the ages the a0 rule reads
    check_mx(mx_arr if kernels is None else mx_arr[..., ::n_age - 1])
    mx_arr, a0_values = _schedules(mx_arr, a0)  # a0 per schedule; the open interval must be > 0
    mx_steps = mx_arr if mx_varies else mx_arr[..., None, :, :]
    a0_steps = a0_values if mx_varies else a0_values[..., None, :]
    outputs = _Outputs(out, batch, n_steps, n_age, time_first=kernels is None)
    base = np.broadcast_to(pop, (*batch, 2, n_age)).reshape(n_batch, 2, n_age)
    if kernels is not None:
        outputs.population[:, 0] = base
        empty = np.empty((0, 1, 2, n_age))
        status = kernels.project_rows(
            outputs.population, _flat(mx_steps, batch, 2), _flat(a0_steps, batch, 1), _flat(fert, batch, 1),
            _flat(sex_shares, batch, 1), empty if mig is None else _flat(mig, batch, 2), start_share,
            may_go_negative, average_exposure, arrivals_exposed, outputs.births, outputs.deaths, outputs.migrants,
            outputs.shortfall)
        if status & 2:  # a death rate is negative, missing or infinite: say where
            check_mx(mx_arr)
            raise ValueError("mx holds a death rate that is negative, missing or infinite.")  # pragma: no cover
        clipped = status & 1
    else:
        outputs.population[0] = base
        ratios, newborn = _survival_numpy(np.ascontiguousarray(mx_steps), a0_steps, None)
        clipped = _run(outputs, batch, ratios, newborn, fert, sex_shares, mig, start_share, may_go_negative,
                       average_exposure, arrivals_exposed)
    return outputs.result(out, year_arr, bool(clipped), "numpy" if kernels is None else "numba")


def _schedules(mx_arr: np.ndarray, a0) -> tuple[np.ndarray, np.ndarray]:
    """Validated, C-contiguous death rates and their a0 values (shape ``mx.shape[:-1]``): the checks
    and the a0 rule of :func:`life_table` (a zero rate in the open interval is an error). The rates
    are already known to be finite and not negative."""
    arr = np.ascontiguousarray(mx_arr)
    if isinstance(a0, str) and a0 == "andreev-kingkade" and arr[..., -1].min() > 0.0:
        # the default rule, straight from the coefficient table (m0 is already checked)
        return arr, np.ascontiguousarray(_piecewise(arr[..., 0], _SEX_CODES, _AK_LOW, _AK_HIGH, _AK_C1, _AK_S1,
                                                    _AK_C2, _AK_S2, _AK_CAP))
    arr, codes, grid, trailing = _check_mx(arr, None, None)
    _, first, _ = _ax_plan(arr, codes, grid, interval_widths(grid), a0, None, trailing)
    return arr, np.ascontiguousarray(np.broadcast_to(first, arr.shape[:-1]))


_SEX_CODES = np.array([0, 1])


def _flat(arr: np.ndarray, batch: tuple[int, ...], n_trailing: int) -> np.ndarray:
    """An input ``(*own_batch, steps or 1, *trailing)`` as a C-contiguous ``(B or 1, steps or 1,
    *trailing)`` array over the flattened batch of ``batch`` (``B``); 1 when it has no batch."""
    own = arr.shape[: arr.ndim - n_trailing - 1]
    rest = arr.shape[arr.ndim - n_trailing - 1:]
    if int(np.prod(own)) == 1:
        return np.ascontiguousarray(arr.reshape(1, *rest))
    n_batch = int(np.prod(batch))
    if own != batch:
        arr = np.broadcast_to(arr, (*batch, *rest))
    return np.ascontiguousarray(arr).reshape(n_batch, *rest)


class _Outputs:
    """The result arrays, new or those of ``out``, in the working layout of an engine: time first,
    ``(time, B, sex, age)`` with the batch flattened (numpy: each year is one contiguous block),
    or batch first, ``(B, time, sex, age)`` (numba: each scenario is written in one sweep, and the
    public arrays are contiguous). :meth:`result` returns them in the public order ``(..., time,
    sex, age)`` as views (no copy)."""

    def __init__(self, out, batch: tuple[int, ...], n_steps: int, n_age: int, *, time_first: bool):
        n_batch = int(np.prod(batch)) if batch else 1
        self.batch = batch
        self.time_first = time_first
        trailing = {"population": (n_steps + 1, 2, n_age), "births": (n_steps, 2), "deaths": (n_steps, 2, n_age),
                    "migrants": (n_steps, 2, n_age), "emigration_shortfall": (n_steps, 2, n_age)}
        shapes = {name: ((t[0], n_batch, *t[1:]) if time_first else (n_batch, *t)) for name, t in trailing.items()}
        if out is None:
            arrays = {name: (np.zeros if name == "emigration_shortfall" else np.empty)(shape)
                      for name, shape in shapes.items()}
        else:
            arrays = {}
            for name, shape in shapes.items():
                public = getattr(out, name)
                if public.shape != (*batch, *trailing[name]):
                    raise ValueError(f"out must be a projection with the same shapes as this one (its {name} "
                                     f"has shape {public.shape}, not {(*batch, *trailing[name])}); pass out=None "
                                     f"to get new arrays.")
                work = np.moveaxis(public, len(batch), 0) if time_first else public
                if not (work.flags.c_contiguous and work.flags.writeable and work.dtype == np.float64):
                    raise ValueError(f"out's arrays must be writable, contiguous float64 arrays laid out by the engine "
                                     f"of this call (its {name} is not); pass out=None to get new arrays.")
                arrays[name] = work.reshape(shape)
            if getattr(out, "_shortfall_written", True):
                arrays["emigration_shortfall"].fill(0.0)
        self.population = arrays["population"]
        self.births = arrays["births"]
        self.deaths = arrays["deaths"]
        self.migrants = arrays["migrants"]
        self.shortfall = arrays["emigration_shortfall"]

    def public(self, arr: np.ndarray) -> np.ndarray:
        if not self.time_first:
            return arr.reshape(*self.batch, *arr.shape[1:])
        shaped = arr.reshape(arr.shape[0], *self.batch, *arr.shape[2:])
        if not self.batch:
            return shaped
        n = len(self.batch)
        return shaped.transpose(*range(1, n + 1), 0, *range(n + 1, shaped.ndim))

    def result(self, out, years: np.ndarray, clipped: bool, engine: str) -> Projection:
        fields = {"years": years, "population": self.public(self.population), "births": self.public(self.births),
                  "deaths": self.public(self.deaths), "migrants": self.public(self.migrants),
                  "emigration_shortfall": self.public(self.shortfall), "ages": np.arange(self.population.shape[-1])}
        if out is None:
            result = Projection(**fields)
        else:
            result = out
            for name, value in fields.items():
                object.__setattr__(result, name, value)
        object.__setattr__(result, "_shortfall_written", clipped)
        object.__setattr__(result, "_engine", engine)
        return result


class _PerStep:
    """Serve an input with an optional step axis as one array per step, or per run of steps.

    ``arr`` has shape ``(*own_batch, steps or 1, *trailing)``. With ``shared_ok`` and no batch
    axes, ``get(t)`` has shape ``trailing`` (broadcasting does the rest; ``(1, *trailing)`` when the
    batch is one scenario, unless ``keep_trailing``, so that the operands of the loop have the
    same shapes, numpy's fastest case) and ``steps(t0, t1)`` ``(steps, 1, *trailing)``;
    otherwise ``get(t)`` is a contiguous ``(B, *trailing)`` block (``B`` the flattened full batch)
    and ``steps(t0, t1)`` ``(steps, B, *trailing)``.
    """

    def __init__(self, arr: np.ndarray, batch: tuple[int, ...], n_trailing: int, *, shared_ok: bool,
                 keep_trailing: bool = False):
        own_batch = arr.shape[: arr.ndim - n_trailing - 1]
        trailing = arr.shape[arr.ndim - n_trailing:]
        n_batch = int(np.prod(batch)) if batch else 1
        n_steps = arr.shape[arr.ndim - n_trailing - 1]
        self.varies = n_steps > 1
        self.shared = shared_ok and int(np.prod(own_batch)) == 1
        if self.shared:
            one = () if keep_trailing or n_batch > 1 else (1,)
            self.data = arr.reshape(n_steps, *one, *trailing)
            self.batch_axis = bool(one)
        else:
            full = np.broadcast_to(arr, (*batch, n_steps, *trailing))
            self.data = np.ascontiguousarray(np.moveaxis(full, len(batch), 0)).reshape(n_steps, n_batch, *trailing)

    def get(self, t: int) -> np.ndarray:
        return self.data[t if self.varies else 0]

    def steps(self, t0: int, t1: int) -> np.ndarray:
        block = self.data[t0:t1] if self.varies else self.data[:1]
        return block[:, None] if self.shared and not self.batch_axis else block


_CHUNK_VALUES = 65_536
"""The numpy engine computes the flows (deaths, migrants) after every run of years whose
working arrays hold about this many values (for one scenario: all the years at once)."""
_NUMBA_MIN_VALUES = 200_000
"""With ``engine="auto"``, numba is used from this many values per output (scenarios x steps x
2 x ages) up, or at any size once its compiled kernel is loaded in the session."""


def _run(outputs: _Outputs, batch, surv_ratios, surv_births, fert, sex_shares, mig, start_share,
         may_go_negative, average_exposure, arrivals_exposed=False) -> bool:
    """The numpy engine: a loop over years with a few large operations per year; returns whether
    some emigration could not happen (was clipped).

    Working layout: ``(time, B, sex, age)`` with the flattened batch ``B`` after the time axis,
    so that each step reads and writes contiguous blocks; the shift of one year of age is done
    on the flattened block offset by one element (the value that wraps into age 0 of the next
    row is overwritten by the births). With ``arrivals_exposed`` the end-of-year arrivals are
    added before the births are counted (ages 1 and over: the women at the end include them),
    and the year's newborns join age 0 after. The loop computes only what the next year needs (the
    population and the births); deaths, realised migrants and the shortfall are computed after
    every run of years, for all of its years at once, from the same intermediate values, so the
    balancing equation holds to rounding.
    """
    population, births, deaths, migrants, shortfall = (
        outputs.population, outputs.births, outputs.deaths, outputs.migrants, outputs.shortfall)
    n_steps = births.shape[0]
    n_batch, _, n_age = population.shape[1:]
    ratios = _PerStep(surv_ratios, batch, 2, shared_ok=False)  # contiguous (B, 2, A) for the flat shift
    newborn_survival = _PerStep(surv_births, batch, 1, shared_ok=True)
    fertility = _PerStep(fert, batch, 1, shared_ok=True, keep_trailing=True)
    shares = _PerStep(sex_shares, batch, 1, shared_ok=True)
    start_in = end_in = None
    if mig is not None and start_share > 0:
        start_in = _PerStep(mig * start_share, batch, 2, shared_ok=True)
    if mig is not None and start_share < 1:
        end_in = _PerStep(mig * (1.0 - start_share), batch, 2, shared_ok=True)

    chunk = max(1, min(n_steps, _CHUNK_VALUES // (n_batch * 2 * n_age)))
    exposed_runs = np.empty((chunk, n_batch, 2, n_age)) if start_in is not None else None
    survivor_runs = np.empty((chunk, n_batch, 2, n_age)) if end_in is not None else None
    # views made once, indexed by year (population) or by year within the run (the run buffers):
    # flattened (sex, age) blocks for the shift of one year of age, the open and first ages, women
    views = {}
    for name, block in (("population", population), ("exposed", exposed_runs), ("survivors", survivor_runs)):
        if block is not None:
            flat = block.reshape(block.shape[0], -1)
            views[name] = (block, flat[:, :-1], flat[:, 1:], block[..., -1], block[..., 0], block[:, :, 0, :])
    exposed_views = views["exposed" if start_in is not None else "population"]
    survivor_views = views["survivors" if end_in is not None else "population"]
    ratio_head = ratios.data.reshape(ratios.data.shape[0], -1)[:, :-1]
    ratio_open = ratios.data[..., -1]
    open_survivors = np.empty((n_batch, 2))
    births_total = np.empty(n_batch)
    births_end = np.empty(n_batch) if average_exposure else None
    births_column = births_total[:, None]
    clipped = False

    for t0 in range(0, n_steps, chunk):
        t1 = min(t0 + chunk, n_steps)
        for t in range(t0, t1):
            k = t - t0
            step = t if ratios.varies else 0
            # 1. migrants at the start (a cohort never goes below zero)
            at = k if start_in is not None else t
            exposed = exposed_views[0][at]
            if start_in is not None:
                np.add(population[t], start_in.get(t), out=exposed)
                if may_go_negative:
                    np.maximum(exposed, 0.0, out=exposed)
            # 2. survivors (before the end-of-year arrivals): x -> x+1, and the open group
            to = k if end_in is not None else t + 1
            survivors, _, survivor_tail, survivor_open, survivor_first, survivor_women = (
                view[to] for view in survivor_views)
            np.multiply(exposed_views[1][at], ratio_head[step], out=survivor_tail)
            np.multiply(exposed_views[3][at], ratio_open[step], out=open_survivors)
            np.add(survivor_open, open_survivors, out=survivor_open)
            survivor_first.fill(0.0)
            # 3. births from women at the start and (average exposure) women at the end: the
            # survivors, or (arrivals_exposed) everyone at the end, the end arrivals included;
            # age 0 at the end (this year's newborns) is never exposed
            rates = fertility.get(t)
            end_women = survivor_women
            if arrivals_exposed:  # 4 before 3: nxt + max(requested, -nxt) = max(nxt + requested, 0)
                nxt = population[t + 1]
                np.add(survivors, end_in.get(t), out=nxt)
                if may_go_negative:
                    np.maximum(nxt, 0.0, out=nxt)
                nxt[:, 0, 0] = 0.0
                end_women = nxt[:, 0, :]
            if rates.ndim == 1:
                np.dot(exposed_views[5][at], rates, out=births_total)  # BLAS gemv, as np.matmul
                if average_exposure:
                    np.dot(end_women, rates, out=births_end)
                    births_total += births_end
            else:
                np.einsum("ba,ba->b", exposed_views[5][at], rates, out=births_total)
                if average_exposure:
                    np.einsum("ba,ba->b", end_women, rates, out=births_end)
                    births_total += births_end
            born = births[t]
            np.multiply(births_column, shares.get(t), out=born)
            np.multiply(born, newborn_survival.get(t), out=survivor_first)
            # 4. migrants at the end: nxt + max(requested, -nxt), i.e. max(nxt + requested, 0)
            if end_in is not None:
                nxt = population[t + 1]
                if arrivals_exposed:  # the older ages are done: the newborns and the age-0 arrivals
                    np.add(survivor_first, end_in.get(t)[..., 0], out=nxt[..., 0])
                    if may_go_negative:
                        np.maximum(nxt[..., 0], 0.0, out=nxt[..., 0])
                else:
                    np.add(survivors, end_in.get(t), out=nxt)
                    if may_go_negative:
                        np.maximum(nxt, 0.0, out=nxt)
        clipped |= _flows(population, births, deaths, migrants, shortfall, t0, t1, exposed_runs, survivor_runs,
                          start_in, end_in, may_go_negative)
    return clipped


def _flows(population, births, deaths, migrants, shortfall, t0, t1, exposed_runs, survivor_runs, start_in, end_in,
           may_go_negative) -> bool:
    """Deaths, realised migrants and the emigration shortfall of steps ``t0 .. t1-1``, by cohort,
    from the exposed population and the survivors before the end-of-year arrivals."""
    n_run = t1 - t0
    before = population[t0:t1]
    exposed = exposed_runs[:n_run] if start_in is not None else before
    survivors = survivor_runs[:n_run] if end_in is not None else population[t0 + 1:t1 + 1]
    died = deaths[t0:t1]
    moved = migrants[t0:t1]
    clipped = False
    # deaths by cohort: aged x-1 at the start (the open group: omega-1 and omega+), births at 0
    np.subtract(exposed.reshape(-1)[:-1], survivors.reshape(-1)[1:], out=died.reshape(-1)[1:])
    died[..., -1] += exposed[..., -1]
    np.subtract(births[t0:t1], survivors[..., 0], out=died[..., 0])
    if start_in is not None:
        if may_go_negative:  # the emigration at the start that could not happen, by cohort
            asked = start_in.steps(t0, t1)
            wanted = np.add(before, asked)
            if wanted.min() < 0.0:
                clipped = True
                np.negative(wanted, out=wanted)
                np.maximum(wanted, 0.0, out=wanted)
                short = shortfall[t0:t1]
                short[..., 1:] += wanted[..., :-1]
                short[..., -1] += wanted[..., -1]
        realised = np.subtract(exposed, before, out=exposed)  # exposed is not needed any more
        np.copyto(moved.reshape(-1)[1:], realised.reshape(-1)[:-1])
        moved[..., 0] = 0.0
        moved[..., -1] += realised[..., -1]
    else:
        moved[...] = 0.0
    if end_in is not None:
        arriving = end_in.steps(t0, t1)
        if may_go_negative:
            lost = np.negative(survivors, out=survivors)  # survivors are not needed any more
            moved += np.maximum(lost, arriving)
            np.subtract(lost, arriving, out=lost)
            if lost.max() > 0.0:
                clipped = True
                np.maximum(lost, 0.0, out=lost)
                shortfall[t0:t1] += lost
        else:
            moved += arriving
    return clipped
