"""Projection of the insured population of a pension scheme, in the manner of the ILO pension model.

State at each date (the valuation date is date 0, date t is the end of projection year t):

- active members (contributors) and inactive insured ``(..., sex, age, service)``, service in
  whole credited years ``0 .. S``;
- pensioners by type (old-age, disability, survivor, orphan) ``(..., sex, age)`` with the total
  annual amount of their pensions (the average pension is amount / number).

Projection year t (from date t-1 to date t) runs in this order:

1. **Indexation**: pensions in payment are adjusted by the rate of the rules' indexation
   (:func:`~qsp.pensions.benefits.indexation_rate`): ``theta g_t + (1 - theta) pi_t`` (wage
   growth ``g``, inflation ``pi``, indexation share ``theta``) or ``min(g_t, pi_t)``
   (``"lesser"``). With ``rules.indexation_cap`` ``C_t`` the increase of a cell of ``N``
   pensions of total amount ``P`` is ``min(r_t P, C_t N)`` (the cap applied to the cell's
   average pension; with ``rules.indexation_cap_indexed`` ``C_t = C prod_{k<=t} (1 + pi_k)``). The amounts of the membership file are those of year 0, so they are
   adjusted at the start of year 1 too.
2. **Retirement** at the start of the year: actives and inactives aged ``R_t(s)`` or more (the
   retirement age of year t and sex s) leave the insured population. Those with the qualifying
   period become old-age pensioners with a pension from the benefit formula (service,
   reference wage of year t, early/late adjustment against the normal retirement age); the
   others receive a lump-sum grant, paid in year t. Inactives with the qualifying period thus
   receive deferred pensions.
   **Early retirement** (when ``rules.early_retirement_age`` ``E_t(s)`` is set): of the actives
   and inactives aged ``E_t(s) <= x < R_t(s)`` with at least ``early_minimum_years`` of service,
   a fraction ``early_retirement_rate(s, x)`` retires at the same time, with the pension reduced
   by ``early_reduction`` per year before the normal retirement age.
3. **New entrants** join as actives with no service: ``E_t x distribution(sex, age)``.
4. **Decrements during the year**, by age at the start of the year ``x``. Actives: death
   ``q_x``, then disability ``i_x`` among the survivors, then exit with a lump-sum settlement
   ``e_x`` (``exit_rate``, times ``exit_service_factor(n)`` if given) among those left, then
   withdrawal to inactive ``w_x`` among those left (dependent probabilities applied in this
   order, so that ``deaths + disabled + exits + withdrawals <= actives`` whatever the rates).
   Members who exit leave the insured population with ``settlement_rate x n x W`` (service
   ``n``, reference wage ``W`` of year t), paid in year t and counted in ``lump_sums``.
   Inactives: death, then re-entry ``r_x`` into active membership (keeping their service).
   Pensioners: death (the disabled with their own table if given).
5. **New pensions at the end of the year**: qualifying disabled actives become disability
   pensioners (the others receive a grant); deaths of insured members with
   ``survivor_minimum_years`` of service and deaths of old-age and disability pensioners
   leave a widow(er) with probability ``proportion_married`` (sex of the deceased, age ``x``),
   of the other sex, aged ``x - d`` for a deceased man and ``x + d`` for a deceased woman
   (``d = spouse_age_difference``, clipped to the age grid), with ``survivor_rate`` times the
   deceased's pension; and ``orphans_per_death`` orphans aged ``x - parent_age_gap`` (half
   girls, half boys), each with ``orphan_rate`` times the deceased's pension. Orphans who would
   be at or above ``orphan_age_limit`` at the end of the year are not eligible and are not
   counted. Deaths of survivors and orphans generate no further pensions; deaths of insured
   members without the qualifying service generate none (no death grant is modelled).
6. **Ageing**: everyone still present is one year older at date t. Actives earn credited
   service: a fraction ``d`` (the contribution density of their sex and age) of each
   (sex, age, service) cell moves to ``service + 1`` and the rest stays: the expected service
   gained is ``d`` years, and the distribution spreads as a sum of yearly Bernoulli credits
   (a weighted shift along the service axis, vectorised). Inactives keep their service.
   Orphans who reach ``orphan_age_limit`` leave (end of entitlement).

The pension of a member with ``n`` years of service and reference wage ``W`` is that of
:class:`~qsp.pensions.benefits.BenefitRules`: ``clip(a min(n, n_max) W f, P_min, P_max)``. The
reference wage of an event in year t at age x is built from the wage profile ``w_0(s, x)`` (wage
at age x in year 0, fixed over time) and the wage index ``I_t``:

- ``"final"``: ``(1/N) sum_{k=1..N} I_{t-k} w_0(s, x - k)``, the nominal average of the wages of
  the N years before year t (index before the valuation extrapolated with ``past_wage_growth``);
- ``"career"``: ``I_{t-1} (1/n) sum_{k=1..n} w_0(s, x - k)``, the career average of the n
  credited years, each revalued with wages to year t - 1 (assuming the credited years are the
  years just before the event).

Wages are capped at ``wage_ceiling`` times the average wage of the year, both for
contributions and for reference wages (applied to the average wage of the age cell, an
approximation to capping each member's wage). Disability pensions use the credited service
(plus the years up to the normal retirement age if ``disability_future_service``), no early
reduction. Deferred pensions of inactives use the reference wage of an active of the same age.

Flows of year t are counted on the members present at the start of the year (after retirement
and entry; ``exposure="start"``) or on the average of the start and the end of the year
(``exposure="average"``, default, as the ILO pension model counts average contributors and
pensioners). Members are conserved every year: for actives
``A_{t-1} + entrants + re-entries = A_t + deaths + disabled + exits + withdrawals + retirements``
(retirements include early retirements), for
inactives ``I_{t-1} + withdrawals = I_t + deaths + re-entries + retirements``, for each type of
pension ``P_{t-1} + new = P_t + deaths + ended``; :meth:`InsuredProjection.conservation` returns
the residuals.

Only the loop over years is in Python; each year works on whole ``(..., sex, age, service)``
arrays. Counts carry the batch shape of the inputs that shape them (membership, mortality,
rates, entrants); money arrays carry that of every input (wages, inflation, limits too), so
economic scenarios do not multiply the work on the service distribution.

The code follows these steps: :func:`project_insured` (:mod:`._project`) resolves its arguments
once into a frozen :class:`~._inputs.Assumptions` object (:mod:`._inputs`: every check and every
derived schedule, index and profile), then runs the steps of each year of :mod:`._steps`
(``index_pensions``, ``reference_wages``, ``retire``, ``retire_early``, ``enter``, ``decrements``,
``pensioner_deaths``, ``awards``, ``survivors``, ``age``) over a :class:`~._steps.State`, and
collects the :class:`InsuredProjection` (:mod:`._result`). The sums of pensions awarded by service
are in :mod:`._award`, the internal layout and small moves along the age axis in :mod:`._layout`,
the choice of engine in :mod:`._engine`.

Speed: the hot yearly steps, the ageing of the service distributions with the credit of
service, the sums of the pensions awarded over service and the pensioners' year (deaths,
exposure, survivors' and orphans' pensions, ageing: about a hundred small numpy operations),
have an optional compiled version (numba, :mod:`qsp.pensions._numba_kernels`, one pass each),
chosen with ``engine=`` as in :mod:`qsp.demography._engine`; the compiled kernel replaces the
inner pass of its step, not the loop. The numpy path stays the reference and the
tests check that both agree. Measured on the 75-year, 1,000-scenario run of
benchmarks/pensions.py (2 cores, shared): numpy about 7.5 s, numba about 3.8 s (4.2 s before the
pensioners' year was compiled); one scenario about 55 ms with numpy, 45 ms with numba.
"""

# private names that tests and benchmarks use
from ._award import _by_thresholds as _by_thresholds
from ._engine import _NUMBA_MIN_VALUES as _NUMBA_MIN_VALUES
from ._engine import _kernels as _kernels
from ._inputs import DETAILS, EXPOSURES, Assumptions
from ._project import project_insured
from ._result import InsuredProjection

__all__ = ["DETAILS", "EXPOSURES", "Assumptions", "InsuredProjection", "project_insured"]
