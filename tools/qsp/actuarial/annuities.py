"""Life annuities, pure endowments and insurances, single and joint life, and the cost of a pension unit.

Every function returns its value at EVERY age ``x = 0 .. omega`` on the last axis (the
mortality's shape, broadcast with the shapes of the rates): read the age you need,
``annuity_due(table, interest_rate=0.04)[..., 65]``.
"""

from __future__ import annotations

import numpy as np

from .._validate import check_values
from ._basis import (
    Basis,
    check_approximation,
    gather,
    mortality_qx,
    net_rate,
    payments_per_year,
    rate,
    safe_divide,
    udd_alpha_beta,
    whole_years,
)

_REFERENCES = """
    Iyer, S. (1999). *Actuarial Mathematics of Social Security Pensions*. ILO/ISSA, ch. 2
    (annuities, commutation functions) and ch. 4 (survivors' benefits).
    Bowers, N. L., Gerber, H. U., Hickman, J. C., Jones, D. A. and Nesbitt, C. J. (1997).
    *Actuarial Mathematics*, 2nd ed. Society of Actuaries, ch. 5 (5.4: m-thly annuities under
    UDD; Woolhouse's formula) and ch. 9 (multiple lives)."""


def net_interest_rate(interest_rate, escalation):
    """Net rate of interest for payments that grow: ``j = (1 + i) / (1 + g) - 1``.

    A payment that grows by ``g`` a year (indexation, escalation), discounted at ``i``, has the
    present value of a level payment discounted at ``j``: ``(1 + g)^t v_i^t = v_j^t``.

    Parameters
    ----------
    interest_rate : float or array_like
        Effective annual interest rate ``i`` (> -1).
    escalation : float or array_like
        Growth of the payments ``g`` a year (> -1), e.g. the indexation of pensions.

    Returns
    -------
    ndarray or float
        ``j``, broadcast over the two inputs; negative when the payments grow faster than
        interest.

    Raises
    ------
    ValueError
        A rate of -1 or less, or NaN.

    Examples
    --------
    >>> from qsp.actuarial import net_interest_rate
    >>> round(float(net_interest_rate(0.05, 0.02)), 6)
    0.029412

    References
    ----------
    Iyer, S. (1999). *Actuarial Mathematics of Social Security Pensions*. ILO/ISSA, ch. 2
    (escalating annuities).
    """
    i = rate("interest_rate", interest_rate, what="interest rate")
    g = rate("escalation", escalation, what="escalation rate")
    return net_rate(i, g)[()]


def _life_annuity(q, i, g, *, term, deferral, m, approximation, advance) -> np.ndarray:
    """Annuity of 1 a year at every age: deferred ``u`` years at ``i``, then paid at the net rate."""
    try:
        j = net_rate(i, g)
    except ValueError:
        raise ValueError(f"interest_rate {np.shape(i)} and escalation {np.shape(g)} must broadcast together.") from None
    pay = Basis(q, j, name="the net rate (1 + interest_rate) / (1 + escalation) - 1")
    ages = pay.ages
    if term is None:
        value = pay.annuity_due()
        end = 0.0
    else:
        value = safe_divide(pay.N - gather(pay.N, ages + term, pay.ratio), pay.D)
        end = safe_divide(gather(pay.D, ages + term, pay.ratio), pay.D)
    if m > 1:
        if approximation == "udd":
            alpha, beta = udd_alpha_beta(np.broadcast_to(j, pay.v.shape[:-1]), m)
            value = alpha[..., None] * value - beta[..., None] * (1.0 - end)
        else:
            value = value - (m - 1) / (2 * m) * (1.0 - end)
    if not advance:
        value = value - (1.0 - end) / m
    if not np.any(deferral):
        return value
    discount = Basis(q, i)
    start = ages + deferral
    survive = safe_divide(gather(discount.D, start, discount.ratio), discount.D)
    return survive * gather(value, start, 1.0)


def _prepare(mortality, interest_rate, escalation, m, approximation, name="mortality"):
    q = mortality_qx(mortality, name)
    i = rate("interest_rate", interest_rate, what="interest rate")
    g = rate("escalation", escalation, what="escalation rate")
    m = payments_per_year(m)
    check_approximation(approximation)
    return q, i, g, m


def _term(term):
    return None if term is None else whole_years("term", term)


_ANNUITY_PARAMETERS = """
    mortality : LifeTable or array_like, shape (..., age)
        A kit life table (:func:`qsp.demography.life_table`, single ages, e.g. ``(..., sex, age)``)
        or probabilities of dying ``q_x`` on single ages ``0 .. omega``, the last age open (see
        :func:`commutation_functions` for the open interval).
    interest_rate : float or array_like
        Effective annual rate ``i`` (> -1), broadcasting against the mortality's shape without
        the age axis (``(k, 1)`` for ``k`` rates on a ``(sex, age)`` table).
    term : int or array_like of int, optional
        Number of years of payment ``n`` (a temporary annuity); default: for life.
    deferral : int or array_like of int, default 0
        Years ``u`` before the first payment. May vary by age: ``np.maximum(65 - ages, 0)``
        defers to age 65 from every younger age.
    escalation : float or array_like, default 0
        Growth ``g`` of the payments a year FROM THE FIRST PAYMENT (indexation of a pension in
        payment): the payment phase is valued at the net rate ``(1 + i) / (1 + g) - 1``, the
        deferral at ``i``.
    payments_per_year : int, default 1
        ``m``: payments of ``1 / m`` each, ``m`` times a year (12 = monthly).
    approximation : {"udd", "woolhouse"}, default "udd"
        How an m-thly annuity is obtained from the annual one (see Notes)."""

_ANNUITY_NOTES = """
    For ``m > 1`` (at the rate ``j`` of the payment phase, ``nE`` the pure endowment at ``j``):

    - ``"udd"`` (uniform distribution of deaths within each year of age; Bowers 5.4.11):
      ``a-due^(m)_x:n = alpha(m) a-due_x:n - beta(m) (1 - nE_x)``, with
      ``alpha(m) = i d / (i^(m) d^(m))`` and ``beta(m) = (i - i^(m)) / (i^(m) d^(m))``;
    - ``"woolhouse"`` (the first two terms of Woolhouse's formula):
      ``a-due^(m)_x:n = a-due_x:n - (m - 1) / (2 m) (1 - nE_x)``.

    The two differ by a few thousandths of a unit at usual rates (about 0.006 for a monthly
    pension at 65 and 5%): Woolhouse's two terms omit ``-(m^2 - 1) / (12 m^2) (delta + mu_x)``.
    UDD is exact for a table whose survivors are linear within each year of age. Payments in arrears: ``a^(m)_x:n = a-due^(m)_x:n -
    (1 - nE_x) / m``. Values are NaN at ages nobody reaches (``l_x = 0``)."""


def annuity_due(mortality, *, interest_rate, term=None, deferral=0, escalation=0.0,
                payments_per_year: int = 1, approximation: str = "udd"):
    """Life annuity-due (payments in advance): ``a-due_x = sum_{t>=0} v^t tp_x = N_x / D_x``.

    The general form is the deferred, temporary, escalating, m-thly annuity-due
    ``u| a-due^(m)_x:n = uE_x a-due^(m)_{x+u:n}`` (deferral at ``i``, payments at the net rate).
    With the defaults it is the whole-life annuity-due of 1 a year.

    Parameters
    ----------
    {params}

    Returns
    -------
    ndarray, shape (..., age)
        The present value at every age ``x = 0 .. omega`` of 1 a year (money per unit of annual
        payment), for each batch cell.

    Raises
    ------
    ValueError
        Probabilities outside [0, 1] or NaN (naming the age and sex), an abridged life table,
        rates of -1 or less, a negative or fractional term or deferral, an unknown
        approximation, ``payments_per_year`` not a positive whole number, or a net rate so low
        that the annuity is infinite.

    Notes
    -----
    {notes}

    Examples
    --------
    With ``q = 0.1`` at every age and no interest, ``a-due = 1 / (1 - 0.9) = 10`` at every age;
    paid monthly (UDD at 0%: ``10 - 11/24``); for 2 years, ``1 + 0.9``:

    >>> import numpy as np
    >>> from qsp.actuarial import annuity_due
    >>> q = np.full(5, 0.1)
    >>> annuity_due(q, interest_rate=0.0).round(6).tolist()
    [10.0, 10.0, 10.0, 10.0, 10.0]
    >>> round(float(annuity_due(q, interest_rate=0.0, payments_per_year=12)[0]), 6)
    9.541667
    >>> annuity_due(q, interest_rate=0.0, term=2).round(6).tolist()
    [1.9, 1.9, 1.9, 1.9, 1.9]

    References
    ----------
    {refs}
    """
    q, i, g, m = _prepare(mortality, interest_rate, escalation, payments_per_year, approximation)
    return _life_annuity(q, i, g, term=_term(term), deferral=whole_years("deferral", deferral), m=m,
                         approximation=approximation, advance=True)


def annuity_immediate(mortality, *, interest_rate, term=None, deferral=0, escalation=0.0,
                      payments_per_year: int = 1, approximation: str = "udd"):
    """Life annuity-immediate (payments in arrears): ``a_x = sum_{t>=1} v^t tp_x = a-due_x - 1``.

    The general form is ``u| a^(m)_x:n = uE_x a^(m)_{x+u:n}``, where
    ``a^(m)_x:n = a-due^(m)_x:n - (1 - nE_x) / m`` (the first payment of ``1/m`` moves to the end
    of the term).

    Parameters
    ----------
    {params}

    Returns
    -------
    ndarray, shape (..., age)
        The present value at every age of 1 a year paid in arrears.

    Raises
    ------
    ValueError
        As :func:`annuity_due`.

    Notes
    -----
    {notes}

    Examples
    --------
    >>> import numpy as np
    >>> from qsp.actuarial import annuity_immediate
    >>> annuity_immediate(np.full(3, 0.1), interest_rate=0.0).round(6).tolist()
    [9.0, 9.0, 9.0]

    References
    ----------
    {refs}
    """
    q, i, g, m = _prepare(mortality, interest_rate, escalation, payments_per_year, approximation)
    return _life_annuity(q, i, g, term=_term(term), deferral=whole_years("deferral", deferral), m=m,
                         approximation=approximation, advance=False)


for _function in (annuity_due, annuity_immediate):
    _function.__doc__ = (_function.__doc__.replace("{params}", _ANNUITY_PARAMETERS.strip())
                         .replace("{notes}", _ANNUITY_NOTES.strip()).replace("{refs}", _REFERENCES.strip()))


def pure_endowment(mortality, *, interest_rate, term):
    """Pure endowment ``nE_x = v^n np_x = D_(x+n) / D_x``: 1 paid at ``x + n`` if alive then.

    Parameters
    ----------
    mortality : LifeTable or array_like, shape (..., age)
        Kit life table or ``q_x`` on single ages, the last open.
    interest_rate : float or array_like
        Effective annual rate (> -1), broadcasting against the mortality without its age axis.
    term : int or array_like of int
        Years ``n`` (>= 0); may vary by age, e.g. ``np.maximum(65 - ages, 0)``.

    Returns
    -------
    ndarray, shape (..., age)
        ``nE_x`` at every age x.

    Raises
    ------
    ValueError
        Bad probabilities or rate; a negative or fractional term.

    Examples
    --------
    >>> import numpy as np
    >>> from qsp.actuarial import pure_endowment
    >>> round(float(pure_endowment(np.full(3, 0.1), interest_rate=0.0, term=2)[0]), 6)
    0.81

    References
    ----------
    Iyer, S. (1999). *Actuarial Mathematics of Social Security Pensions*. ILO/ISSA, ch. 2.
    """
    q = mortality_qx(mortality)
    i = rate("interest_rate", interest_rate, what="interest rate")
    n = whole_years("term", term)
    basis = Basis(q, i)
    return safe_divide(gather(basis.D, basis.ages + n, basis.ratio), basis.D)


def life_insurance(mortality, *, interest_rate, term=None):
    """Life insurance of 1 paid at the end of the year of death: ``A_x = sum_t v^(t+1) tp_x q_(x+t) = M_x / D_x``.

    Whole life by default; with ``term`` the n-year term insurance ``(M_x - M_(x+n)) / D_x``.
    Used here for the death benefits of a scheme (funeral grants) and for the identity
    ``A_x = 1 - d a-due_x`` that checks the annuities.

    Parameters
    ----------
    mortality : LifeTable or array_like, shape (..., age)
        Kit life table or ``q_x`` on single ages, the last open.
    interest_rate : float or array_like
        Effective annual rate (> -1).
    term : int or array_like of int, optional
        Years of cover; default for life.

    Returns
    -------
    ndarray, shape (..., age)
        ``A_x`` at every age x.

    Raises
    ------
    ValueError
        Bad probabilities or rate; a negative or fractional term.

    Examples
    --------
    At 25% (``v = 0.8``), half die at ages 0 and 1 and all at age 2: ``A_2 = v``,
    ``A_1 = 0.5 v + 0.5 v^2``, ``A_0 = 0.5 v + 0.5 v A_1``:

    >>> from qsp.actuarial import life_insurance
    >>> [round(a, 6) for a in life_insurance([0.5, 0.5, 1.0], interest_rate=0.25).tolist()]
    [0.688, 0.72, 0.8]

    References
    ----------
    Bowers, N. L. et al. (1997). *Actuarial Mathematics*, 2nd ed., ch. 4 and 5.
    """
    q = mortality_qx(mortality)
    i = rate("interest_rate", interest_rate, what="interest rate")
    basis = Basis(q, i)
    # M_x = D_x - d N_x (the closure of the open interval keeps this exact), d = 1 - v
    d = 1.0 - basis.v
    whole = safe_divide(basis.D - d * basis.N, basis.D)
    if term is None:
        return whole
    n = whole_years("term", term)
    later = basis.ages + n
    endowment = safe_divide(gather(basis.D, later, basis.ratio), basis.D)
    return whole - endowment * gather(whole, later, 1.0)


def _joint_survival_q(q1, q2, k: int):
    """Probabilities of dying of the joint status of two independent lives (x, x + k).

    Returns ``(q_joint, shift)``: the joint status of (x, x + k) has one-year survival
    ``p1_x p2_(x+k)``; for ``k < 0`` the status is indexed by the second life's age and the
    value at first-life age x sits at index ``x + k`` (``shift = k``).
    """
    p1, p2 = 1.0 - q1, 1.0 - q2
    shape = np.broadcast_shapes(p1.shape, p2.shape)
    p1, p2 = np.broadcast_to(p1, shape), np.broadcast_to(p2, shape)
    ages = np.arange(shape[-1])
    if k >= 0:
        return 1.0 - p1 * gather(p2, ages + k, 1.0), 0
    return 1.0 - p2 * gather(p1, ages - k, 1.0), k


def _check_difference(age_difference) -> int:
    k = whole_years("age_difference", age_difference, allow_negative=True)
    if k.ndim:
        raise ValueError("age_difference must be one whole number of years (the second life's age minus the first's).")
    return int(k)


def _timing(timing: str) -> bool:
    if timing not in ("advance", "arrears"):
        raise ValueError(f"timing must be 'advance' (annuity-due) or 'arrears' (annuity-immediate); got {timing!r}.")
    return timing == "advance"


def joint_life_annuity(first, second, *, interest_rate, age_difference=0, term=None, escalation=0.0,
                       payments_per_year: int = 1, approximation: str = "udd", timing: str = "advance"):
    """Joint-life annuity ``a-due_xy = sum_t v^t tp_x tp_y``: paid while BOTH lives are alive.

    The two lives are independent; the second is ``age_difference`` years older than the first
    (``y = x + k``; negative if younger). The joint status is a single "life" with one-year
    survival ``p_x p_y``, valued with the single-life formulas (same m-thly approximations).

    Parameters
    ----------
    first, second : LifeTable or array_like, shape (..., age)
        Mortality of the first life (indexed by its age x) and of the second (e.g. a male and a
        female table: ``qx[..., 1, :]`` and ``qx[..., 0, :]``); they broadcast together.
    interest_rate : float or array_like
        Effective annual rate (> -1), broadcasting against the mortality without its age axis.
    age_difference : int, default 0
        ``k = y - x`` in whole years. Ages of the second life beyond omega continue in its open
        interval; below 0 the value is NaN.
    term : int, optional
        Years of payment; default while both live.
    escalation : float or array_like, default 0
        Growth of the payments a year (valued at the net rate).
    payments_per_year : int, default 1
        ``m``.
    approximation : {"udd", "woolhouse"}, default "udd"
        As :func:`annuity_due`, applied to the joint status.
    timing : {"advance", "arrears"}, default "advance"
        Annuity-due or annuity-immediate.

    Returns
    -------
    ndarray, shape (..., age)
        ``a-due_(x, x+k)`` (or ``a_(x, x+k)``) at every age x of the first life.

    Raises
    ------
    ValueError
        As :func:`annuity_due`; an age difference that is not one whole number; an unknown
        timing.

    Examples
    --------
    Two lives with ``q = 0.1`` each, no interest: ``1 / (1 - 0.81)``.

    >>> import numpy as np
    >>> from qsp.actuarial import joint_life_annuity
    >>> q = np.full(4, 0.1)
    >>> round(float(joint_life_annuity(q, q, interest_rate=0.0, age_difference=2)[0]), 6)
    5.263158

    References
    ----------
    {refs}
    """
    advance = _timing(timing)
    q1, i, g, m = _prepare(first, interest_rate, escalation, payments_per_year, approximation, "first")
    q2 = mortality_qx(second, "second")
    k = _check_difference(age_difference)
    try:
        joint, shift = _joint_survival_q(q1, q2, k)
    except ValueError:
        raise ValueError(
            f"first {q1.shape} and second {q2.shape} must broadcast together with the same number of ages."
        ) from None
    value = _life_annuity(joint, i, g, term=_term(term), deferral=np.int64(0), m=m, approximation=approximation,
                          advance=advance)
    if shift == 0:
        return value
    return gather(value, np.arange(value.shape[-1]) + shift, 1.0)


def reversionary_annuity(member, survivor, *, interest_rate, age_difference=0, escalation=0.0,
                         payments_per_year: int = 1, approximation: str = "udd"):
    """Reversionary (survivor's) annuity ``a_(x|y) = a_y - a_xy``: paid to (y) after the death of (x).

    The value, at the member's age x, of 1 a year paid to a survivor aged ``y = x + k`` from
    the death of the member for the rest of the survivor's life: the widow(er)'s pension. Paid
    in advance or in arrears it is the same (``a-due_y - a-due_xy = a_y - a_xy``): nothing is
    paid at time 0, when the member is alive.

    Parameters
    ----------
    member, survivor : LifeTable or array_like, shape (..., age)
        Mortality of the member (indexed by age x) and of the survivor.
    interest_rate : float or array_like
        Effective annual rate (> -1).
    age_difference : int, default 0
        ``k = y - x`` (negative: the survivor is younger, the usual case for a widow).
    escalation : float or array_like, default 0
        Indexation of the survivor's pension (valued at the net rate).
    payments_per_year : int, default 1
        ``m``. Woolhouse: the m-thly corrections of the two annuities cancel; UDD:
        ``alpha(m) (a-due_y - a-due_xy)``.
    approximation : {"udd", "woolhouse"}, default "udd"
        As :func:`annuity_due`.

    Returns
    -------
    ndarray, shape (..., age)
        At every member age x (NaN where ``x + k < 0``).

    Raises
    ------
    ValueError
        As :func:`joint_life_annuity`.

    Examples
    --------
    The member dies at once (``q = 1``): the survivor gets a whole-life annuity-immediate.

    >>> import numpy as np
    >>> from qsp.actuarial import reversionary_annuity
    >>> round(float(reversionary_annuity(np.ones(4), np.full(4, 0.1), interest_rate=0.0)[0]), 6)
    9.0

    References
    ----------
    {refs}
    """
    q1, i, g, m = _prepare(member, interest_rate, escalation, payments_per_year, approximation, "member")
    q2 = mortality_qx(survivor, "survivor")
    k = _check_difference(age_difference)
    joint = joint_life_annuity(q1, q2, interest_rate=i, age_difference=k, escalation=g, payments_per_year=m,
                               approximation=approximation)
    single = _life_annuity(q2, i, g, term=None, deferral=np.int64(0), m=m, approximation=approximation, advance=True)
    single = gather(single, np.arange(single.shape[-1]) + k, 1.0)
    return single - joint


for _function in (joint_life_annuity, reversionary_annuity):
    _function.__doc__ = _function.__doc__.replace("{refs}", _REFERENCES.strip())


def pension_unit_cost(mortality, *, interest_rate, indexation=0.0, payments_per_year: int = 12,
                      approximation: str = "udd", timing: str = "advance", survivor_mortality=None,
                      survivor_share=0.0, married_share=1.0, age_difference=0):
    """Cost of a pension unit: the present value at award of a pension of 1 a year, paid m-thly for life.

    ``cost_x = a-due^(m)_x (at the net rate j) + married_share * survivor_share * a^(m)_(x|y)``

    with ``j = (1 + i) / (1 + indexation) - 1``: the annuity factor that turns an annual pension
    awarded at age x into the capital needed to pay it (Iyer 1999, ch. 3-4). Without survivors
    it is :func:`annuity_due` with ``escalation=indexation``.

    Parameters
    ----------
    mortality : LifeTable or array_like, shape (..., age)
        Mortality of the pensioners (kit life table or ``q_x``; single ages, the last open).
    interest_rate : float or array_like
        Effective annual rate (> -1), broadcasting against the mortality without its age axis.
    indexation : float or array_like, default 0
        Annual increase of pensions in payment (e.g. expected price inflation when pensions
        follow prices), > -1.
    payments_per_year : int, default 12
        Monthly by default.
    approximation : {"udd", "woolhouse"}, default "udd"
        See :func:`annuity_due`.
    timing : {"advance", "arrears"}, default "advance"
        Pensions paid at the start (annuity-due) or at the end of each period.
    survivor_mortality : LifeTable or array_like, optional
        Mortality of the spouses; needed when ``survivor_share > 0``.
    survivor_share : float, default 0
        Survivor's pension as a fraction of the pension (e.g. 0.5), in [0, 1].
    married_share : float or array_like, default 1
        Probability that a pensioner leaves an eligible spouse, in [0, 1].
    age_difference : int, default 0
        Spouse's age minus the pensioner's (negative: younger spouse).

    Returns
    -------
    ndarray, shape (..., age)
        Cost of 1 a year of pension awarded at each age x.

    Raises
    ------
    ValueError
        As :func:`annuity_due`; a share outside [0, 1]; survivors' pensions without
        ``survivor_mortality``.

    Notes
    -----
    The survivor's pension here starts at the pensioner's death and is indexed like the
    pension; it is the reversionary annuity on the pensioner's life. Shares are expected
    values: ``married_share`` may vary by age and sex (broadcasting to ``(..., age)``).

    Examples
    --------
    With ``q = 0.1``, no interest, a pension of 1 a year paid monthly in advance (UDD at 0%:
    ``10 - 11/24``); a half pension to a survivor of the same mortality adds
    ``0.5 (a-due_y - a-due_xy)`` times ``alpha(12) = 1``:

    >>> import numpy as np
    >>> from qsp.actuarial import pension_unit_cost
    >>> q = np.full(3, 0.1)
    >>> round(float(pension_unit_cost(q, interest_rate=0.0)[0]), 6)
    9.541667
    >>> round(float(pension_unit_cost(q, interest_rate=0.0, survivor_mortality=q, survivor_share=0.5)[0]), 6)
    11.910088

    References
    ----------
    Iyer, S. (1999). *Actuarial Mathematics of Social Security Pensions*. ILO/ISSA, ch. 2-4
    (the annuity factor at retirement, survivors' benefits). Plamondon, P. et al. (2002).
    *Actuarial Practice in Social Security*. ILO/ISSA.
    """
    advance = _timing(timing)
    q, i, g, m = _prepare(mortality, interest_rate, indexation, payments_per_year, approximation)
    share = _share("survivor_share", survivor_share)
    married = _share("married_share", married_share)
    cost = _life_annuity(q, i, g, term=None, deferral=np.int64(0), m=m, approximation=approximation, advance=advance)
    if not np.any(share > 0):
        return cost
    if survivor_mortality is None:
        raise ValueError(
            "survivor_share > 0 needs survivor_mortality: the life table (or q_x) of the spouses who would "
            "receive the survivor's pension."
        )
    reversion = reversionary_annuity(q, survivor_mortality, interest_rate=i, age_difference=age_difference,
                                     escalation=g, payments_per_year=m, approximation=approximation)
    return cost + married * share * reversion


def _share(name: str, value) -> np.ndarray:
    return check_values(name, value, lower=0.0, upper=1.0, trailing=("sex", "age") if np.ndim(value) >= 2 else ("age",),
                        what="share", hint="Give a fraction (0.5 for half), not a percentage.")
