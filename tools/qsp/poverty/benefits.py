"""Cash benefits paid to survey households: who is eligible, how much, and who takes it up.

A :class:`Benefit` pays ``amount`` (national currency per beneficiary per year) to every member
of a household who is eligible (an age band, the sexes, optionally a disability), provided the
household takes the benefit up. Take-up is drawn once per household and benefit from a seeded
random stream: a household with draw ``u`` takes up when ``u < take_up``, so raising the take-up
rate only adds households (common random numbers: comparisons across scenarios are not blurred
by new draws).

The three universal benefits of the basic package costed in Module 5 (:mod:`qsp.costing`) have
constructors with the same defaults: :func:`old_age_pension` (everyone 65+),
:func:`child_benefit` (children under 14) and :func:`disability_benefit` (the disabled aged
15-64, paid the pension amount in the ILO costing). :func:`amount_from_costing` turns a
:class:`qsp.costing.BenefitLevel` (e.g. 30% of GDP per capita capped at US$1 PPP a day) into
the annual amount, so the survey simulation and the costing use one parameter.

Amounts and take-up rates may carry a leading batch of scenarios: ``amount`` of shape ``(S,)``
gives transfers of shape ``(S, n)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from .survey import Survey


def _batch_array(name: str, value, *, upper: float | None = None, what: str) -> np.ndarray:
    arr = np.asarray(value, dtype=np.float64)
    if not np.isfinite(arr).all() or (arr < 0).any() or (upper is not None and (arr > upper).any()):
        bound = f"between 0 and {upper:g}" if upper is not None else "zero or more"
        raise ValueError(f"{name} must be finite and {bound} ({what}), got {value!r}.")
    return arr


@dataclass(frozen=True, kw_only=True, eq=False)
class Benefit:
    """A cash benefit for eligible members of survey households.

    Parameters
    ----------
    name : str
    amount : array_like
        National currency per beneficiary per year; a leading batch of scenarios is allowed.
    min_age : float, default 0
        First eligible age (completed years).
    max_age : float or None, default None
        First age no longer eligible (``min_age <= age < max_age``); None for no upper age.
    sexes : tuple of int, default (0, 1)
    requires_disability : bool, default False
        Only members flagged disabled are eligible.
    take_up : array_like, default 1
        Share of eligible households that take the benefit up, in [0, 1] (batch allowed).
    """

    name: str
    amount: ArrayLike
    min_age: float = 0.0
    max_age: float | None = None
    sexes: tuple[int, ...] = (0, 1)
    requires_disability: bool = False
    take_up: ArrayLike = 1.0

    def __post_init__(self) -> None:
        _batch_array("amount", self.amount, what="national currency per beneficiary per year")
        _batch_array("take_up", self.take_up, upper=1.0, what="a share of eligible households")
        if self.min_age < 0 or (self.max_age is not None and self.max_age <= self.min_age):
            raise ValueError(f"{self.name}: the age band must satisfy 0 <= min_age < max_age, got "
                             f"[{self.min_age}, {self.max_age}).")
        if not set(self.sexes) <= {0, 1} or not self.sexes:
            raise ValueError(f"{self.name}: sexes must be a non-empty subset of (0, 1), got {self.sexes}.")

    def eligible(self, survey: Survey) -> np.ndarray:
        """Eligible members, bool of shape (m,)."""
        ok = survey.age >= self.min_age
        if self.max_age is not None:
            ok &= survey.age < self.max_age
        if tuple(self.sexes) != (0, 1):
            ok &= np.isin(survey.sex, self.sexes)
        if self.requires_disability:
            ok &= survey.disabled
        return ok

    def transfers(self, survey: Survey, draws: np.ndarray) -> np.ndarray:
        """Transfer to each household per year, shape ``batch + (n,)``.

        Parameters
        ----------
        draws : ndarray, shape (n,)
            One uniform draw in [0, 1) per household (:func:`take_up_draws`).
        """
        count = survey.member_count(self.eligible(survey))
        amount = np.asarray(self.amount, dtype=np.float64)[..., None]
        taken = draws < np.asarray(self.take_up, dtype=np.float64)[..., None]
        return amount * count * taken


def take_up_draws(n_households: int, *, seed: int = 0, stream: int = 0) -> np.ndarray:
    """Uniform draws in [0, 1), one per household, from stream ``stream`` of a seeded generator."""
    return np.random.default_rng([seed, stream]).random(n_households)


def old_age_pension(amount: ArrayLike, *, pension_age: float = 65.0, take_up: ArrayLike = 1.0,
                    name: str = "old-age pension") -> Benefit:
    """Universal old-age pension: everyone aged ``pension_age`` or more (65 as in Module 5's costing)."""
    return Benefit(name=name, amount=amount, min_age=pension_age, take_up=take_up)


def child_benefit(amount: ArrayLike, *, max_age: float = 14.0, take_up: ArrayLike = 1.0,
                  name: str = "child benefit") -> Benefit:
    """Universal child benefit: every child under ``max_age`` (14 as in Module 5's costing)."""
    return Benefit(name=name, amount=amount, max_age=max_age, take_up=take_up)


def disability_benefit(amount: ArrayLike, *, min_age: float = 15.0, max_age: float = 65.0,
                       take_up: ArrayLike = 1.0, name: str = "disability benefit") -> Benefit:
    """Disability benefit: members flagged disabled aged ``min_age`` to ``max_age - 1`` (15-64 in Module 5)."""
    return Benefit(name=name, amount=amount, min_age=min_age, max_age=max_age, requires_disability=True,
                   take_up=take_up)


def amount_from_costing(level, gdp_per_capita, ppp_factor) -> np.ndarray:
    """Annual amount of a Module 5 :class:`qsp.costing.BenefitLevel` (share of GDP per capita, PPP$ a day
    or national currency a day, with its cap), for the survey year's GDP per capita and PPP factor.

    Examples
    --------
    >>> from qsp.costing import BenefitLevel
    >>> level = BenefitLevel(share_of_gdp_per_capita=0.3, cap_ppp_per_day=1.0)
    >>> float(amount_from_costing(level, gdp_per_capita=1000.0, ppp_factor=0.5))   # cap 0.5 a day binds
    182.5
    """
    amount, _ = level.annual_amount(np.asarray(gdp_per_capita, dtype=np.float64),
                                    np.asarray(ppp_factor, dtype=np.float64))
    return amount


def simulate_transfers(survey: Survey, benefits, *, seed: int = 0) -> dict[str, np.ndarray]:
    """Transfers of several benefits, each with its own take-up stream, by benefit name.

    Returns
    -------
    dict
        ``{benefit.name: transfers}``, each of shape ``batch + (n,)``; add them for a package.
    """
    out = {}
    for stream, benefit in enumerate(benefits):
        if benefit.name in out:
            raise ValueError(f"two benefits are named {benefit.name!r}; give each a distinct name.")
        out[benefit.name] = benefit.transfers(survey, take_up_draws(survey.n_households, seed=seed, stream=stream))
    return out
