"""Costing a basic social protection package: benefit definitions, eligible populations, benefit
expenditure and the package as shares of GDP and of government revenue, with phasing-in and
administration, year by year and vectorised over scenarios.

The assumptions of the ILO costing (Pal et al. 2005; ILO Social Security Policy Briefing 3,
2008) and their sources are in :mod:`qsp.costing.pal2005`. Public names are loaded lazily from
the submodules listed in ``_EXPORTS``.
"""

from .._lazy import lazy_exports

_EXPORTS = {
    # benefits.py
    "Eligibility": "benefits",
    "BenefitLevel": "benefits",
    "PhaseIn": "benefits",
    "CashBenefit": "benefits",
    "HealthCareBenefit": "benefits",
    "universal_pension": "benefits",
    "child_benefit": "benefits",
    "employment_guarantee": "benefits",
    "essential_health_care": "benefits",
    # cost.py
    "eligible_population": "cost",
    "benefit_cost": "cost",
    "cost_package": "cost",
    "BenefitCost": "cost",
    "PackageCost": "cost",
    "child_cap_upper_bound": "cost",
    # pal2005.py
    "pal_2005_package": "pal2005",
    "PAL_2005_ASSUMPTIONS": "pal2005",
}

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
__all__ = sorted(_EXPORTS)
