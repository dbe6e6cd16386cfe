"""Present values for a membership file: benefits, contributions, the accrued-to-date liability and a balance sheet."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validate import check_sex_axis, check_trailing_shape, check_values
from ._basis import Basis, check_approximation, gather, mortality_qx, rate, safe_divide
from ._basis import payments_per_year as _check_payments
from .annuities import _life_annuity

SALARY_BASES = ("projected", "current")
"""Names accepted by ``value_membership(salary_basis=...)``."""


@dataclass(frozen=True, eq=False)
class MembershipValuation:
    """Present values at the valuation date of a closed group (the members on file, no new entrants).

    Every amount is money (the currency of the wages and pensions) at the valuation date, with
    the batch shape ``(...)`` of the inputs. Liabilities: ``pv_pensions_in_payment``,
    ``pv_accrued_benefits`` (actives, for the service credited so far) and
    ``pv_future_accruals`` (actives, for the service still to be earned). Resources: ``assets``
    and ``pv_future_contributions``.

    Attributes
    ----------
    pv_pensions_in_payment : ndarray
        ``sum count x amount x a-due^(m)_x`` (at the net rate of the indexation).
    pv_accrued_benefits : ndarray
        Actives' accrued pensions: ``accrual x service x reference wage x u|a-due^(m)_x``.
    pv_future_accruals : ndarray
        Actives' pensions for future service (and, with ``salary_basis="current"``, for the
        growth of the wage on past service).
    pv_future_wages : ndarray
        Insured wages of the actives until retirement (or death).
    pv_future_contributions : ndarray
        ``contribution_rate x pv_future_wages``.
    assets : ndarray
        The reserve at the valuation date.
    pv_other_accrued : ndarray
        Accrued liabilities valued outside this model and passed in (``other_accrued_liabilities``).
    liability_by_age : ndarray, shape (..., sex, age)
        Pensions in payment plus actives' accrued benefits by sex and age: the accrued-to-date
        liability's profile.
    """

    pv_pensions_in_payment: np.ndarray
    pv_accrued_benefits: np.ndarray
    pv_future_accruals: np.ndarray
    pv_future_wages: np.ndarray
    pv_future_contributions: np.ndarray
    assets: np.ndarray
    liability_by_age: np.ndarray
    pv_other_accrued: np.ndarray = 0.0

    @property
    def accrued_to_date_liability(self) -> np.ndarray:
        """Pensions in payment + actives' accrued benefits (+ other accrued liabilities passed in):
        the implicit pension debt of an unfunded scheme."""
        return self.pv_pensions_in_payment + self.pv_accrued_benefits + self.pv_other_accrued

    @property
    def pv_future_benefits(self) -> np.ndarray:
        """All benefits of the closed group: pensions in payment + accrued + future accruals."""
        return self.accrued_to_date_liability + self.pv_future_accruals

    @property
    def total_resources(self) -> np.ndarray:
        """Assets + present value of future contributions."""
        return self.assets + self.pv_future_contributions

    @property
    def surplus(self) -> np.ndarray:
        """Resources less liabilities (negative: an actuarial deficit of the closed group)."""
        return self.total_resources - self.pv_future_benefits

    @property
    def funding_ratio(self) -> np.ndarray:
        """Assets over the accrued-to-date liability (1 = fully funded on plan termination)."""
        return self.assets / self.accrued_to_date_liability

    @property
    def balancing_contribution_rate(self) -> np.ndarray:
        """Contribution rate that balances the closed group: ``(PV benefits - assets) / PV future wages``."""
        return (self.pv_future_benefits - self.assets) / self.pv_future_wages

    def balance_sheet(self):
        """The actuarial balance sheet as a tidy pandas DataFrame: columns (``cell``,) ``side``, ``item``, ``value``.

        Resources (assets, future contributions) and liabilities (pensions in payment, accrued
        benefits of actives, future accruals), then the surplus (negative = deficit) so that each
        side adds up: resources = liabilities + surplus.
        """
        import pandas as pd

        rows = [
            ("resources", "assets (reserve)", self.assets),
            ("resources", "PV future contributions", self.pv_future_contributions),
            ("liabilities", "PV pensions in payment", self.pv_pensions_in_payment),
            ("liabilities", "PV accrued benefits of actives", self.pv_accrued_benefits),
            ("liabilities", "PV other accrued liabilities", self.pv_other_accrued),
            ("liabilities", "PV future accruals of actives", self.pv_future_accruals),
            ("liabilities", "surplus (+) or deficit (-)", self.surplus),
        ]
        shape = np.shape(self.surplus)
        n_cell = int(np.prod(shape)) if shape else 1
        columns: dict[str, list] = {"side": [], "item": [], "value": []}
        if shape:
            columns["cell"] = []
        for side, item, value in rows:
            flat = np.broadcast_to(value, shape).reshape(-1)
            for cell in range(n_cell):
                columns["side"].append(side)
                columns["item"].append(item)
                columns["value"].append(float(flat[cell]))
                if shape:
                    columns["cell"].append(cell)
        frame = pd.DataFrame(columns)
        return frame[["cell", "side", "item", "value"]] if shape else frame


def value_membership(actives, active_wages, mortality, *, interest_rate, accrual_rate, retirement_age,
                     contribution_rate, salary_scale=None, wage_growth=0.0, indexation=0.0, pensioners=None,
                     pension_amounts=None, assets=0.0, payments_per_year: int = 12, approximation: str = "udd",
                     salary_basis: str = "projected", maximum_years=None,
                     other_accrued_liabilities=0.0) -> MembershipValuation:
    """Present values of future benefits and contributions of a membership file, and its balance sheet.

    For an active member aged x (exact age at the valuation date) with credited service s and
    wage W, retiring at age R (``u = max(R - x, 0)`` years ahead, death being the only exit):

    - reference wage (final salary) ``W_R = W s_(R-1) (1+w)^(R-1) / (s_x (1+w)^x)``: the wage of
      the last year before R, projected with the salary scale ``s`` and general wage growth ``w``;
    - value of a pension of 1 a year from R: ``F_x = uE_x a-due^(m)_R`` (``uE_x`` at ``i``; the
      annuity at the net rate ``(1 + i) / (1 + g) - 1`` of the indexation ``g``);
    - PV future benefits ``= k (s + u) W_R F_x``; accrued ``= k s W_R F_x`` (projected unit
      credit; ``salary_basis="current"`` uses ``W`` instead of ``W_R``: the accrued benefit
      obligation); future accruals = the difference;
    - PV future wages ``= W sum_(y=x)^(R-1) s_y (1+w)^y D_y / (s_x (1+w)^x D_x)`` (wages paid
      at the start of each year of age), times the contribution rate for the contributions.

    Pensioners of age x with pension P: ``P a-due^(m)_x`` at the net rate. Members at or past R
    retire at once with their current wage and service.

    Parameters
    ----------
    actives : array_like, shape (..., sex, age, service)
        Number of active members by sex, single age ``0 .. omega`` and whole years of credited
        service ``0 .. S`` (the layout of :class:`qsp.pensions.Membership`).
    active_wages : array_like, shape (..., sex, age, service)
        Average annual insurable wage of each cell (money per year, >= 0).
    mortality : LifeTable or array_like, shape (..., sex, age)
        Kit life table or ``q_x`` with the same ages as ``actives``.
    interest_rate : float or array_like
        Discount rate (> -1), broadcasting against ``(..., sex)``.
    accrual_rate : float or array_like
        Pension per year of service as a fraction of the reference wage (0.02), >= 0; an array
        is a batch (shape ``(...)``).
    retirement_age : int or array_like of int
        Age R at which the pension starts, per sex if an array of shape ``(2,)``.
    contribution_rate : float or array_like
        Fraction of wages contributed (>= 0), batch shape.
    salary_scale : array_like, shape (..., sex, age), optional
        Relative wage by age (any positive scale; only ratios matter). Default flat.
    wage_growth : float or array_like, default 0
        General (nominal) wage growth a year, > -1.
    indexation : float or array_like, default 0
        Annual increase of pensions in payment, > -1.
    pensioners, pension_amounts : array_like, shape (..., sex, age), optional
        Pensioners in payment and their average annual pension.
    assets : float or array_like, default 0
        Reserve at the valuation date (batch shape).
    payments_per_year : int, default 12
        Pensions paid m-thly in advance.
    approximation : {"udd", "woolhouse"}, default "udd"
        m-thly approximation (see :func:`annuity_due`).
    salary_basis : {"projected", "current"}, default "projected"
        Wage the accrued benefit is based on (see above).
    maximum_years : float, optional
        Cap on the years of service that count (e.g. 30): ``min(s + u, cap)`` and ``min(s, cap)``
        replace ``s + u`` and ``s``. Default: no cap.
    other_accrued_liabilities : float or array_like, default 0
        Present value (money, batch shape) of accrued benefits valued elsewhere and added to the
        accrued-to-date liability: e.g. orphans' pensions valued as temporary annuities
        (:func:`annuity_due` with a ``term``), or inactive members' deferred pensions.

    Returns
    -------
    MembershipValuation
        Present values with the batch shape, the accrued-to-date liability, the surplus, the
        funding ratio, the balancing contribution rate and ``balance_sheet()``.

    Raises
    ------
    ValueError
        Negative counts, wages or rates, NaN (naming the cell); ``actives`` and
        ``active_wages`` of different shapes; mortality whose ages do not match the
        membership's; a missing sex axis; a retirement age that is not a whole age in
        ``1 .. omega``; pensioners without amounts; an unknown salary basis or approximation.

    Notes
    -----
    A deliberately simple closed-group model for teaching (Iyer 1999, ch. 3-4): no exits other
    than death before retirement (no withdrawal, disability or survivors' benefits for actives),
    pensions from R on the final salary, no new entrants. The balance sheet is then
    ``assets + PV future contributions = PV pensions in payment + PV accrued + PV future
    accruals + surplus``. The accrued-to-date liability is the implicit pension debt of an
    unfunded scheme (Holzmann, Palacios & Zviniene 2004). All the work is vectorised: the sum
    over future wages is a reversed cumulative sum over ages.

    Examples
    --------
    One man aged 64 with 30 years of service and a wage of 10,000, retiring at 65 with 2% a
    year; nobody dies before 65, everybody in the year after (``q_65 = 1``), no interest: he
    pays one year of 10% contributions, then draws one annual pension of ``0.02 x 31 x 10,000``,
    of which ``0.02 x 30 x 10,000`` is accrued.

    >>> import numpy as np
    >>> from qsp.actuarial import value_membership
    >>> q = np.zeros((2, 67)); q[:, 65:] = 1.0
    >>> actives = np.zeros((2, 67, 41)); actives[1, 64, 30] = 1.0
    >>> result = value_membership(actives, 10_000.0, q, interest_rate=0.0, accrual_rate=0.02,
    ...                           retirement_age=65, contribution_rate=0.10, payments_per_year=1)
    >>> float(result.pv_accrued_benefits), float(result.pv_future_accruals)
    (6000.0, 200.0)
    >>> float(result.pv_future_contributions), float(result.surplus)
    (1000.0, -5200.0)

    References
    ----------
    Iyer, S. (1999). *Actuarial Mathematics of Social Security Pensions*. ILO/ISSA, ch. 3-4.
    Holzmann, R., Palacios, R. and Zviniene, A. (2004). *Implicit Pension Debt: Issues,
    Measurement and Scope in International Perspective*. World Bank SP Discussion Paper 0403.
    Plamondon, P. et al. (2002). *Actuarial Practice in Social Security*. ILO/ISSA (the
    actuarial balance sheet).
    """
    if salary_basis not in SALARY_BASES:
        raise ValueError(f"salary_basis must be one of {SALARY_BASES}; got {salary_basis!r}.")
    check_approximation(approximation)
    m = _check_payments(payments_per_year)
    counts = check_values("actives", actives, lower=0.0, trailing=("sex", "age", "service"), what="count")
    wages = check_values("active_wages", active_wages, lower=0.0, trailing=("sex", "age", "service"), what="wage")
    if counts.ndim < 3:
        raise ValueError(f"actives must have axes (..., sex, age, service); got shape {counts.shape}.")
    check_sex_axis("actives", counts, axis=-3)
    try:
        counts, wages = np.broadcast_arrays(counts, wages)
    except ValueError:
        raise ValueError(f"active_wages {np.shape(wages)} must broadcast to actives {counts.shape}.") from None
    q = mortality_qx(mortality)
    check_sex_axis("mortality", q)
    n_age = counts.shape[-2]
    check_trailing_shape("mortality", q, (2, n_age), ("sex", "age"),
                         hint="Give the life table on the same single ages as the membership (0 .. omega).")
    i = rate("interest_rate", interest_rate, what="interest rate")
    g = rate("indexation", indexation, what="indexation rate")
    w = rate("wage_growth", wage_growth, what="wage growth")
    k = check_values("accrual_rate", accrual_rate, lower=0.0, trailing=(), what="accrual rate")[..., None, None, None]
    c = check_values("contribution_rate", contribution_rate, lower=0.0, trailing=(), what="contribution rate")
    reserve = check_values("assets", assets, trailing=(), what="reserve")
    other = check_values("other_accrued_liabilities", other_accrued_liabilities, lower=0.0, trailing=(),
                         what="present value")
    ages = np.arange(n_age)
    retire = _retirement_age(retirement_age, n_age)
    scale = np.ones(n_age) if salary_scale is None else check_values(
        "salary_scale", salary_scale, lower=0.0, lower_inclusive=False, what="relative wage")
    if salary_scale is not None:
        check_trailing_shape("salary_scale", scale, (n_age,), ("age",))

    deferral = np.maximum(retire[..., None] - ages, 0)                    # (..., sex, age)
    pension_value = _life_annuity(q, i, g, term=None, deferral=deferral, m=m, approximation=approximation,
                                  advance=True)                         # u|a-due^(m)_x, (..., sex, age)
    at_pension = _life_annuity(q, i, g, term=None, deferral=np.int64(0), m=m, approximation=approximation,
                               advance=True)                            # a-due^(m)_x for pensioners

    # wage profile relative to age x: s_y (1 + w)^y
    profile = scale * (1.0 + w)[..., None] ** ages
    last_year = np.clip(retire[..., None] - 1, 0, n_age - 1)
    to_reference = np.where(ages < retire[..., None], gather(profile, last_year + 0 * ages, 1.0) / profile, 1.0)

    service = np.arange(counts.shape[-1], dtype=np.float64)
    total_service = service + deferral[..., None]                         # (..., sex, age, service)
    if maximum_years is not None:
        cap = check_values("maximum_years", maximum_years, lower=0.0, trailing=(), what="number of years")
        service = np.minimum(service, cap)
        total_service = np.minimum(total_service, cap)
    reference = wages * to_reference[..., None]
    accrued_wage = reference if salary_basis == "projected" else wages
    per_unit = counts * pension_value[..., None]
    accrued = np.sum(k * service * accrued_wage * per_unit, axis=-1)      # (..., sex, age)
    total = np.sum(k * total_service * reference * per_unit, axis=-1)

    # wages until R: W/(profile_x D_x) * sum_{x <= y < R} profile_y D_y
    basis = Basis(q, i)
    weighted = np.where(ages < retire[..., None], profile * basis.D, 0.0)
    remaining = np.cumsum(weighted[..., ::-1], axis=-1)[..., ::-1]
    wage_factor = safe_divide(remaining, profile * basis.D)
    future_wages = np.sum(counts * wages, axis=-1) * np.nan_to_num(wage_factor)

    if pensioners is None:
        if pension_amounts is not None:
            raise ValueError("pension_amounts were given without pensioners: give both, shape (..., sex, age).")
        in_payment = np.zeros(())
    else:
        if pension_amounts is None:
            raise ValueError("pensioners were given without pension_amounts (the average annual pension of each cell).")
        number = check_values("pensioners", pensioners, lower=0.0, what="count")
        amount = check_values("pension_amounts", pension_amounts, lower=0.0, what="pension")
        check_trailing_shape("pensioners", number, (2, n_age), ("sex", "age"))
        in_payment = number * amount * np.nan_to_num(at_pension)

    accrued = np.nan_to_num(accrued)
    total = np.nan_to_num(total)
    by_age = accrued + in_payment
    batch = (-2, -1)
    wages_pv = future_wages.sum(axis=batch)
    return MembershipValuation(
        pv_pensions_in_payment=np.sum(np.broadcast_to(in_payment, by_age.shape), axis=batch),
        pv_accrued_benefits=accrued.sum(axis=batch),
        pv_future_accruals=(total - accrued).sum(axis=batch),
        pv_future_wages=wages_pv,
        pv_future_contributions=c * wages_pv,
        assets=reserve + np.zeros_like(wages_pv),
        liability_by_age=by_age,
        pv_other_accrued=other + np.zeros_like(wages_pv),
    )


def _retirement_age(value, n_age: int) -> np.ndarray:
    arr = np.asarray(value)
    if arr.dtype == bool or not np.issubdtype(arr.dtype, np.number) or np.any(arr != np.round(arr)):
        raise ValueError(f"retirement_age must be a whole age (e.g. 65), or one per sex [female, male]; got {value!r}.")
    if np.any(arr < 1) or np.any(arr > n_age - 1):
        raise ValueError(f"retirement_age must lie between 1 and the last age {n_age - 1}; got {value!r}.")
    return arr.astype(np.int64)
