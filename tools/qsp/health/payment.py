"""Provider payment as a lever on the unit cost: fee-for-service, per diem, case rates (DRG-style) and capitation.

How a scheme pays providers decides which quantity drives its cost. Under fee-for-service
every service is paid, so utilisation trends pass fully into the scheme's cost; a per diem pays
hospital days, so longer stays cost more; a case rate pays a fixed amount per admission
weighted by its case group, so the length of stay no longer does; capitation pays a fixed
amount per enrolled person, so the provider carries the utilisation risk.

References
----------
Langenbrunner, J. C., Cashin, C. and O'Dougherty, S. (eds.) (2009). *Designing and Implementing
Health Care Provider Payment Systems: How-To Manuals*. World Bank (ch. 2: capitation, including
age-sex risk adjustment; ch. 3: case-based hospital payment).
Fetter, R. B., Shin, Y., Freeman, J. L., Averill, R. F. and Thompson, J. D. (1980). Case mix
definition by diagnosis-related groups. *Medical Care* 18(2 suppl.), 1-53.
Cichon, M., Newbrander, W., Yamabana, H. et al. (1999). *Modelling in Health Care Finance*.
ILO/ISSA (provider payment mechanisms and their effect on unit costs).
"""

from __future__ import annotations

import numpy as np

from .._validate import check_values


def _sum_last(name_a, a, name_b, b) -> np.ndarray:
    try:
        return (a * b).sum(axis=-1)
    except ValueError:
        raise ValueError(f"{name_a} {np.shape(a)} and {name_b} {np.shape(b)} do not broadcast: the last axis is the "
                         f"service (or case group), leading axes are years or scenarios.") from None


def fee_for_service_cost(volume, fee):
    """Fee-for-service: ``C = sum_k V_k F_k``, every unit of service paid at its fee.

    Parameters
    ----------
    volume : array_like, shape (..., service)
        Units of each service (visits, tests, days).
    fee : array_like, shape (..., service)
        Fee per unit (money).

    Returns
    -------
    ndarray, shape (...)

    Examples
    --------
    >>> from qsp.health import fee_for_service_cost
    >>> float(fee_for_service_cost([1000, 50], [10.0, 200.0]))
    20000.0
    """
    v = check_values("volume", volume, trailing=("service",), lower=0.0, what="volume")
    f = check_values("fee", fee, trailing=("service",), lower=0.0, what="fee")
    if v.ndim == 0 and f.ndim == 0:
        return (v * f)[()]
    return _sum_last("volume", v, "fee", f)[()]


def per_diem_cost(admissions, average_length_of_stay, per_diem):
    """Per diem: ``C = sum_j A_j L_j d``, hospital days paid at a daily rate.

    Parameters
    ----------
    admissions : array_like, shape (..., case_group)
    average_length_of_stay : array_like, shape (..., case_group)
        Days per admission.
    per_diem : float or array_like, shape (...)
        Payment per day.

    Returns
    -------
    ndarray, shape (...)

    Examples
    --------
    >>> from qsp.health import per_diem_cost
    >>> float(per_diem_cost([100, 20], [4.0, 10.0], 50.0))
    30000.0
    """
    a = check_values("admissions", admissions, trailing=("case_group",), lower=0.0, what="number of admissions")
    los = check_values("average_length_of_stay", average_length_of_stay, trailing=("case_group",), lower=0.0,
                       what="length of stay (days)")
    d = check_values("per_diem", per_diem, trailing=(), lower=0.0, what="per diem")
    return (_sum_last("admissions", a, "average_length_of_stay", los) * d)[()]


def case_rate_cost(admissions, base_rate, case_weights=1.0):
    """Case rates (DRG-style): ``C = b sum_j A_j w_j``, each admission paid the base rate times its case weight.

    The length of stay does not enter: a shorter stay saves the hospital money, not the payer.
    ``sum_j A_j w_j / sum_j A_j`` is the case-mix index.

    Parameters
    ----------
    admissions : array_like, shape (..., case_group)
    base_rate : float or array_like, shape (...)
        Payment for a case of weight 1.
    case_weights : float or array_like, shape (..., case_group), default 1
        Relative cost weight of each case group (>= 0).

    Returns
    -------
    ndarray, shape (...)

    Examples
    --------
    >>> from qsp.health import case_rate_cost
    >>> float(case_rate_cost([100, 20], 250.0, [0.8, 2.5]))
    32500.0
    """
    a = check_values("admissions", admissions, trailing=("case_group",), lower=0.0, what="number of admissions")
    b = check_values("base_rate", base_rate, trailing=(), lower=0.0, what="base rate")
    w = check_values("case_weights", case_weights, trailing=("case_group",), lower=0.0, what="case weight")
    if a.ndim == 0:
        raise ValueError("admissions needs a last axis of case groups, e.g. [100, 20].")
    return (_sum_last("admissions", a, "case_weights", w) * b)[()]


def capitation_cost(enrolled, rate, risk_weights=1.0):
    """Capitation: ``C = kappa sum_(s, a) N_(s, a) w_(s, a)``, a fixed payment per enrolled person.

    The age-sex risk weights ``w`` pay more for persons expected to need more care (a weight of
    1 is the average person); utilisation does not enter.

    Parameters
    ----------
    enrolled : array_like, shape (..., sex, age)
        Persons enrolled with the provider.
    rate : float or array_like, shape (...)
        ``kappa``: payment per enrolled person of weight 1 a year.
    risk_weights : float or array_like, shape (..., sex, age), default 1
        Age-sex risk weights (>= 0).

    Returns
    -------
    ndarray, shape (...)

    Examples
    --------
    >>> from qsp.health import capitation_cost
    >>> float(capitation_cost([[100.0, 10.0], [100.0, 10.0]], 20.0, [[1.0, 3.0], [0.8, 3.0]]))
    4800.0
    """
    n = check_values("enrolled", enrolled, lower=0.0, what="number of enrolled persons")
    k = check_values("rate", rate, trailing=(), lower=0.0, what="capitation rate")
    w = check_values("risk_weights", risk_weights, lower=0.0, what="risk weight")
    if n.ndim < 2:
        raise ValueError(f"enrolled must have axes (..., sex, age), but it has shape {n.shape}.")
    try:
        weighted = (n * w).sum(axis=(-2, -1))
    except ValueError:
        raise ValueError(f"enrolled {n.shape} and risk_weights {np.shape(w)} do not broadcast.") from None
    return (weighted * k)[()]


def budget_neutral_capitation(cost, enrolled, risk_weights=1.0):
    """Capitation rate that pays, in the base year, what the services cost: ``kappa = C / sum N w``.

    Parameters
    ----------
    cost : float or array_like, shape (...)
        Base-year cost of the services the capitation replaces (e.g. under fee-for-service).
    enrolled, risk_weights
        As :func:`capitation_cost`.

    Returns
    -------
    ndarray, shape (...)

    Examples
    --------
    >>> from qsp.health import budget_neutral_capitation
    >>> float(budget_neutral_capitation(4800.0, [[100.0, 10.0], [100.0, 10.0]], [[1.0, 3.0], [0.8, 3.0]]))
    20.0
    """
    c = check_values("cost", cost, trailing=(), lower=0.0, what="cost")
    weighted = capitation_cost(enrolled, 1.0, risk_weights)
    if np.any(np.asarray(weighted) <= 0):
        raise ValueError("nobody is enrolled (or every risk weight is 0): a capitation rate needs enrolled persons.")
    return (c / weighted)[()]
