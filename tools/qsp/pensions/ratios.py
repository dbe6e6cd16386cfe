"""Ratios that summarise a pension scheme's projection: reserve, funding, dependency, benefit level.

All functions are element-wise and broadcast (leading axes are scenarios; when a time axis is
present it is the last one). They return a numpy float (0-d inputs) or an array.
"""

from __future__ import annotations

import numpy as np

from .._validate import check_values

_TRAILING = ("year",)


def _ratio(numerator_name: str, numerator, denominator_name: str, denominator, *, numerator_lower: float | None,
           numerator_what: str, denominator_what: str, hint: str = "") -> np.ndarray:
    """Checked element-wise ``numerator / denominator`` (denominator > 0, both finite)."""
    top = check_values(numerator_name, numerator, trailing=_TRAILING, lower=numerator_lower, what=numerator_what)
    bottom = check_values(denominator_name, denominator, trailing=_TRAILING, lower=0, lower_inclusive=False,
                          what=denominator_what, hint=hint)
    try:
        np.broadcast_shapes(top.shape, bottom.shape)
    except ValueError:
        raise ValueError(
            f"{numerator_name} (shape {top.shape}) and {denominator_name} (shape {bottom.shape}) do not "
            f"broadcast together. Time is the last axis of both; leading axes are scenarios."
        ) from None
    return (top / bottom)[()]


def reserve_ratio(reserve, expenditure):
    """Reserve ratio: the reserve expressed in years of expenditure, ``rho_t = R / E_t``.

    Convention: the ILO's actuarial reports and pension model relate the reserve at the
    BEGINNING of year t (the end of year t-1) to the expenditure of year t,
    ``rho_t = R_{t-1} / E_t``: how many years of the coming expenditure the reserve holds. Pass
    :attr:`ReserveProjection.reserve_begin` for that convention (or call
    :meth:`ReserveProjection.reserve_ratio`); some reports use the end-of-year reserve
    ``R_t / E_t``: pass :attr:`ReserveProjection.reserve`. The function itself only divides,
    element by element, so it applies whichever reserve you pass; say which in a report.

    Parameters
    ----------
    reserve : array_like, shape (..., n_years)
        Reserve (money), aligned with ``expenditure`` year by year. May be negative (a debt).
    expenditure : array_like, shape (..., n_years)
        Total expenditure of each year (benefits plus administrative cost, money per year), > 0.

    Returns
    -------
    ndarray or float
        Reserve ratio in years of expenditure (e.g. 3.0 = three years).

    Raises
    ------
    ValueError
        NaN or infinite values, expenditure of zero or less (position named), shapes that do
        not broadcast.

    Examples
    --------
    >>> from qsp.pensions import reserve_ratio
    >>> float(reserve_ratio(300.0, 100.0))
    3.0

    References
    ----------
    Plamondon, P. et al. (2002). *Actuarial Practice in Social Security*. ILO/ISSA (indicators of the financial projection).
    ILO (1997/2018). *The ILO Pension Model: A Technical Guide*, indicators of long-term development.
    """
    return _ratio("reserve", reserve, "expenditure", expenditure, numerator_lower=None,
                  numerator_what="reserve", denominator_what="total expenditure",
                  hint="A reserve ratio needs positive expenditure in every year.")


def funding_ratio(assets, liabilities):
    """Funding ratio: assets over actuarial liabilities, ``assets / liabilities``.

    Which liability is meant is the caller's choice and must be stated: usually the accrued
    liability of a closed group (present value of pensions in payment plus the pension rights
    accrued to date by contributors), valued at a stated discount rate. A ratio of 1 means the
    accrued rights are fully covered; social security schemes that are partially funded have
    ratios well below 1 by design.

    Parameters
    ----------
    assets : array_like
        Value of the reserve (money). May be negative (net debt).
    liabilities : array_like
        Actuarial liability (money), > 0.

    Returns
    -------
    ndarray or float
        Funding ratio (a fraction; 0.8 = 80% funded).

    Raises
    ------
    ValueError
        NaN or infinite values, liabilities of zero or less, shapes that do not broadcast.

    Examples
    --------
    >>> from qsp.pensions import funding_ratio
    >>> float(funding_ratio(80.0, 100.0))
    0.8

    References
    ----------
    Plamondon, P. et al. (2002). *Actuarial Practice in Social Security*. ILO/ISSA (balance
    sheet and accrued liabilities of social security schemes).
    """
    return _ratio("assets", assets, "liabilities", liabilities, numerator_lower=None, numerator_what="value",
                  denominator_what="liability")


def demographic_dependency_ratio(older_population, working_age_population):
    """Demographic (old-age) dependency ratio of the POPULATION: older persons per person of working age.

    ``older_population / working_age_population``, e.g. persons aged 65+ over persons aged
    15-64 (or 20-64, or the scheme's pensionable age): state the ages used. It describes the
    country's demography, whatever the scheme's coverage. The corresponding ratio of the
    SCHEME (pensioners per contributor, which drives the PAYG cost rate) is
    :func:`system_dependency_ratio`; Iyer (1999) calls that one the scheme's "demographic ratio".

    Parameters
    ----------
    older_population : array_like, shape (..., n_years) or any broadcastable shape
        Number of persons at or above the old-age threshold (>= 0). From a projection of shape
        ``(..., year, sex, age)``: ``population[..., 65:].sum(axis=(-2, -1))``.
    working_age_population : array_like
        Number of persons of working age (> 0).

    Returns
    -------
    ndarray or float
        Persons of old age per person of working age (a fraction, not per 100).

    Raises
    ------
    ValueError
        NaN or infinite values, negative counts, a working-age population of zero.

    Examples
    --------
    >>> from qsp.pensions import demographic_dependency_ratio
    >>> float(demographic_dependency_ratio(20.0, 80.0))
    0.25

    References
    ----------
    United Nations (2024). *World Population Prospects 2024* (old-age dependency ratio).
    Plamondon, P. et al. (2002). *Actuarial Practice in Social Security*. ILO/ISSA.
    """
    return _ratio("older_population", older_population, "working_age_population", working_age_population,
                  numerator_lower=0, numerator_what="number of persons", denominator_what="number of persons")


def system_dependency_ratio(pensioners, contributors):
    """System dependency ratio of the SCHEME: pensioners per contributor, ``N_p / N_c``.

    With the benefit ratio ``b`` (average pension over average insurable earnings), the PAYG
    cost rate is ``P = (N_p / N_c) * b``: this ratio times :func:`benefit_ratio`. Iyer (1999)
    calls it the "demographic ratio" of the scheme; ILO actuarial reports call it the system
    (or scheme) dependency ratio, to distinguish it from the population's
    :func:`demographic_dependency_ratio`. Count pensioners of the benefit types whose
    expenditure enters the cost rate (e.g. old-age, disability and survivors' pensions), and
    contributors as the average number of persons contributing during the year.

    Parameters
    ----------
    pensioners : array_like
        Number of pensioners (>= 0).
    contributors : array_like
        Number of (average) contributors (> 0).

    Returns
    -------
    ndarray or float
        Pensioners per contributor (a fraction: 0.2 = one pensioner for five contributors).

    Raises
    ------
    ValueError
        NaN or infinite values, negative counts, zero contributors.

    Examples
    --------
    >>> from qsp.pensions import system_dependency_ratio
    >>> float(system_dependency_ratio(10.0, 50.0))
    0.2

    References
    ----------
    Iyer, S. (1999). *Actuarial Mathematics of Social Security Pensions*. ILO/ISSA, ch. 1
    (PAYG cost rate = demographic ratio x replacement ratio).
    """
    return _ratio("pensioners", pensioners, "contributors", contributors, numerator_lower=0,
                  numerator_what="number of pensioners", denominator_what="number of contributors")


def replacement_rate(pension, reference_wage):
    """Replacement rate: a pension as a fraction of a reference wage, ``pension / reference_wage``.

    Say which wage: the pensioner's own earnings (final, or career average revalued), the
    average insurable wage of contributors, or, for ILO Convention No. 102, the reference wage
    of the standard beneficiary (previous earnings under Art. 65, the wage of an ordinary
    adult male labourer under Art. 66); see :func:`c102_old_age_check`. For the ratio of the
    AVERAGE pension to AVERAGE insurable earnings use :func:`benefit_ratio`.

    Parameters
    ----------
    pension : array_like
        Pension amount (money per year or per month, >= 0).
    reference_wage : array_like
        Wage in the same units and period as ``pension`` (> 0).

    Returns
    -------
    ndarray or float
        Replacement rate (a fraction: 0.4 = 40%).

    Raises
    ------
    ValueError
        NaN or infinite values, a negative pension, a reference wage of zero or less.

    Examples
    --------
    >>> from qsp.pensions import replacement_rate
    >>> float(replacement_rate(400.0, 1000.0))
    0.4

    References
    ----------
    ILO (1952). Social Security (Minimum Standards) Convention, No. 102, Art. 28, 65-66.
    Plamondon, P. et al. (2002). *Actuarial Practice in Social Security*. ILO/ISSA.
    """
    return _ratio("pension", pension, "reference_wage", reference_wage, numerator_lower=0,
                  numerator_what="pension", denominator_what="wage")


def benefit_ratio(average_pension, average_insurable_earnings):
    """Benefit ratio: average pension over average insurable earnings of contributors.

    ``b = (B / N_p) / (S / N_c)``, the aggregate replacement ratio of the scheme. Times the
    :func:`system_dependency_ratio` ``N_p / N_c`` it gives the PAYG cost rate ``B / S``.

    Parameters
    ----------
    average_pension : array_like
        Average pension in payment (money per year, >= 0).
    average_insurable_earnings : array_like
        Average insurable earnings per contributor (money per year, > 0).

    Returns
    -------
    ndarray or float
        Benefit ratio (a fraction).

    Raises
    ------
    ValueError
        NaN or infinite values, a negative average pension, average earnings of zero or less.

    Examples
    --------
    >>> from qsp.pensions import benefit_ratio
    >>> float(benefit_ratio(300.0, 1000.0))
    0.3

    References
    ----------
    Iyer, S. (1999). *Actuarial Mathematics of Social Security Pensions*. ILO/ISSA, ch. 1.
    """
    return _ratio("average_pension", average_pension, "average_insurable_earnings", average_insurable_earnings,
                  numerator_lower=0, numerator_what="mean pension", denominator_what="mean earnings")
