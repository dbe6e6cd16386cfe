"""The result of :func:`~qsp.pensions.insured.project_insured`: stocks, flows and their totals."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..membership import PENSION_TYPES


@dataclass(frozen=True, eq=False)
class InsuredProjection:
    """Result of :func:`project_insured`.

    Stocks are at the dates 0..n (date 0 = valuation date, date t = end of year t); flows are
    those of the projection years 1..n. With ``detail="age"`` arrays end with ``(sex, age)``
    on the full age grid; with ``detail="total"`` the (sex, age) axes are summed away.

    Attributes
    ----------
    years : ndarray, shape (n,)
        Labels of the projection years (``start_year + 0 .. n-1``, default 1..n).
    ages : ndarray
        Single ages ``0 .. omega``.
    actives, inactives : ndarray, shape (..., n + 1, sex, age)
        Active and inactive insured at each date.
    pensioners : dict of str -> ndarray, shape (..., n + 1, sex, age)
        Pensioners at each date, by type (:data:`~qsp.pensions.membership.PENSION_TYPES`).
    pension_amounts : dict of str -> ndarray, shape (..., n + 1, sex, age)
        Total annual amount of the pensions in payment at each date (before the indexation of
        the next year), by type.
    contributors : ndarray, shape (..., n, sex, age)
        Contributors of each year (exposure times contribution density: full-year equivalents).
    covered_wages, insurable_earnings : ndarray, shape (..., n, sex, age)
        Wages of the contributors of each year, without and with the ceiling (money per year).
        ``insurable_earnings`` is the contribution base.
    pensioners_exposed : dict of str -> ndarray, shape (..., n, sex, age)
        Pensioners counted in each year's expenditure (start or average, see ``exposure``).
    expenditure : dict of str -> ndarray, shape (..., n, sex, age)
        Pension expenditure of each year by type (money per year).
    new_pensioners, new_pension_amounts, pensioner_deaths : dict of str -> ndarray, shape (..., n, sex, age)
        New pensions awarded in each year (number and total annual amount; old-age pensions
        at the age at retirement, the others at the age at the end of the year) and deaths of
        pensioners (at the age at the start of the year).
    entrants, deaths_active, deaths_inactive, disabled, disability_grants, withdrawals, reentries,
    retired_active, retired_inactive, retirement_grants, orphans_ending : ndarray, shape (..., n, sex, age)
        Flows of members in each year. ``disabled`` includes the disabled without the
        qualifying period (``disability_grants``); ``retired_*`` include those who leave at the
        retirement age with a grant (``retirement_grants``).
    lump_sums : ndarray, shape (..., n)
        Lump-sum grants paid in each year (money).
    average_wage : ndarray, shape (..., n)
        Average wage of each year, ``W_0 I_t`` (the basis of the ceiling).
    wage_index : ndarray, shape (..., n)
        ``I_t``, 1 in year 0.
    final_actives, final_inactives : ndarray, shape (..., sex, age, service)
        The service distribution at date n, on the full age grid; the service axis is the
        projection's, ``0 .. (highest member age - min_entry_age)``.
    retirement_age : ndarray, shape (n,) or (n, 2)
        Retirement age of each year: shape (n,) when it is the same for both sexes, (n, sex)
        otherwise (see ``retirement_age_by_sex``).
    exposure, detail : str
        The options used.
    exits : ndarray, shape (..., n, sex, age)
        Actives who leave the insured population with a lump-sum settlement (``exit_rate``).
    settlements : ndarray, shape (..., n)
        Settlements paid to them (money); included in ``lump_sums``.
    early_retired_active, early_retired_inactive : ndarray, shape (..., n, sex, age)
        Early retirements (included in ``retired_active`` / ``retired_inactive``), at the age at
        retirement.
    retirement_age_by_sex : ndarray, shape (n, 2)
        Retirement age of each year and sex.
    """

    years: np.ndarray
    ages: np.ndarray
    actives: np.ndarray
    inactives: np.ndarray
    pensioners: dict
    pension_amounts: dict
    contributors: np.ndarray
    covered_wages: np.ndarray
    insurable_earnings: np.ndarray
    pensioners_exposed: dict
    expenditure: dict
    new_pensioners: dict
    new_pension_amounts: dict
    pensioner_deaths: dict
    entrants: np.ndarray
    deaths_active: np.ndarray
    deaths_inactive: np.ndarray
    disabled: np.ndarray
    disability_grants: np.ndarray
    withdrawals: np.ndarray
    reentries: np.ndarray
    retired_active: np.ndarray
    retired_inactive: np.ndarray
    retirement_grants: np.ndarray
    orphans_ending: np.ndarray
    lump_sums: np.ndarray
    average_wage: np.ndarray
    wage_index: np.ndarray
    final_actives: np.ndarray
    final_inactives: np.ndarray
    retirement_age: np.ndarray
    exposure: str
    detail: str
    exits: np.ndarray = None
    settlements: np.ndarray = None
    early_retired_active: np.ndarray = None
    early_retired_inactive: np.ndarray = None
    retirement_age_by_sex: np.ndarray = None

    def total(self, values) -> np.ndarray:
        """Sum over (sex, age) of a stock or flow (a no-op with ``detail="total"``); a dict is summed over types too."""
        if isinstance(values, dict):
            return sum(self.total(v) for v in values.values())
        values = np.asarray(values)
        return values if self.detail == "total" else values.sum(axis=(-2, -1))

    @property
    def pension_expenditure(self) -> np.ndarray:
        """Expenditure on pensions of all types in each year, shape ``(..., n)`` (lump sums not included)."""
        return self.total(self.expenditure)

    @property
    def benefit_expenditure(self) -> np.ndarray:
        """Pensions of all types plus lump-sum grants in each year, shape ``(..., n)``."""
        return self.pension_expenditure + self.lump_sums

    @property
    def number_of_contributors(self) -> np.ndarray:
        """Contributors (full-year equivalents) in each year, shape ``(..., n)``."""
        return self.total(self.contributors)

    @property
    def number_of_pensioners(self) -> np.ndarray:
        """Pensioners of all types counted in each year's expenditure, shape ``(..., n)``."""
        return self.total(self.pensioners_exposed)

    def conservation(self) -> dict[str, np.ndarray]:
        """Residuals of the yearly balances of members, shape ``(..., n)`` each (zero up to rounding).

        ``actives``: ``A_{t-1} + entrants + reentries - A_t - deaths - disabled - exits - withdrawals -
        retired`` (retired including early retirements); ``inactives``: ``I_{t-1} + withdrawals - I_t - deaths - reentries - retired``;
        ``insured``: their sum; ``pensioners_<type>``: ``P_{t-1} + new - P_t - deaths - ended``.
        """
        total = self.total
        actives = total(self.actives)
        inactives = total(self.inactives)
        result = {
            "actives": actives[..., :-1] + total(self.entrants) + total(self.reentries) - actives[..., 1:]
            - total(self.deaths_active) - total(self.disabled) - total(self.exits) - total(self.withdrawals)
            - total(self.retired_active),
            "inactives": inactives[..., :-1] + total(self.withdrawals) - inactives[..., 1:]
            - total(self.deaths_inactive) - total(self.reentries) - total(self.retired_inactive),
        }
        result["insured"] = result["actives"] + result["inactives"]
        for name in PENSION_TYPES:
            stock = total(self.pensioners[name])
            ended = total(self.orphans_ending) if name == "orphan" else 0.0
            result[f"pensioners_{name}"] = (stock[..., :-1] + total(self.new_pensioners[name]) - stock[..., 1:]
                                            - total(self.pensioner_deaths[name]) - ended)
        return result

    def to_frame(self):
        """Tidy long :class:`pandas.DataFrame` of the yearly totals: scenario (with a batch), year, variable, value.

        Variables: contributors, insurable_earnings, covered_wages, actives and inactives (end
        of year), pensioners_<type> (exposed), expenditure_<type>, lump_sums (settlements
        included), settlements, entrants, deaths_active, disabled, exits, withdrawals,
        reentries, retired_active, retired_inactive, early_retired, average_wage.
        """
        from ...economy._frame import long_frame

        total = self.total
        variables = {
            "contributors": total(self.contributors),
            "insurable_earnings": total(self.insurable_earnings),
            "covered_wages": total(self.covered_wages),
            "actives": total(self.actives)[..., 1:],
            "inactives": total(self.inactives)[..., 1:],
        }
        for name in PENSION_TYPES:
            variables[f"pensioners_{name}"] = total(self.pensioners_exposed[name])
        for name in PENSION_TYPES:
            variables[f"expenditure_{name}"] = total(self.expenditure[name])
        variables["lump_sums"] = self.lump_sums
        variables["settlements"] = self.settlements
        for name in ("entrants", "deaths_active", "disabled", "exits", "withdrawals", "reentries", "retired_active",
                     "retired_inactive"):
            variables[name] = total(getattr(self, name))
        variables["early_retired"] = total(self.early_retired_active) + total(self.early_retired_inactive)
        variables["average_wage"] = self.average_wage
        return long_frame(self.years, variables)

