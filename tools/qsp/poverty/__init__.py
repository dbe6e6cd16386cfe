"""Poverty and inequality from a household survey, and the simulation of cash transfers (Module 9).

Conventions (stated once):

- a :class:`Survey` holds households (weight, consumption per year in national currency, design)
  and their members (age, sex 0 = female / 1 = male, disability); welfare is consumption per
  adult equivalent (:mod:`qsp.poverty.scales`), shared by every member of the household;
- measures are over *people*: each household counts ``weight x size``;
  money totals over households (``weight``);
- every measure takes ``welfare`` of shape ``(..., n)`` with any leading batch of scenarios (or
  bootstrap replicates) and returns fractions with the batch shape;
- a person is poor when welfare is strictly below the line.

Modules: :mod:`~qsp.poverty.scales` (equivalence scales), :mod:`~qsp.poverty.survey` (the
validated survey), :mod:`~qsp.poverty.measures` (FGT, Watts, Gini, Lorenz, generalised entropy,
quantiles), :mod:`~qsp.poverty.groups` (by group, decompositions), :mod:`~qsp.poverty.lines`
(absolute and relative lines), :mod:`~qsp.poverty.variance` (design-based standard errors),
:mod:`~qsp.poverty.benefits` (universal benefits and take-up), :mod:`~qsp.poverty.targeting`
(proxy-means test, targeting errors, incidence), :mod:`~qsp.poverty.impact` (impact and cost).
A country's (synthetic) survey is loaded by :func:`qsp.data.load_survey`.

References: Haughton, J. and Khandker, S. R. (2009), *Handbook on Poverty and Inequality*, World
Bank; Foster, Greer and Thorbecke (1984); Coady, Grosh and Hoddinott (2004).
"""

from .._lazy import lazy_exports

_EXPORTS = {
    "SCALES": "scales", "adult_equivalents": "scales",
    "Survey": "survey", "make_survey": "survey",
    "fgt": "measures", "headcount": "measures", "poverty_gap": "measures", "poverty_severity": "measures",
    "watts": "measures", "lorenz": "measures", "gini": "measures", "mean": "measures",
    "generalized_entropy": "measures", "theil": "measures", "mean_log_deviation": "measures",
    "weighted_quantile": "measures", "quantile_groups": "measures",
    "fgt_by_group": "groups", "entropy_by_group": "groups", "GroupDecomposition": "groups",
    "EntropyDecomposition": "groups",
    "line_from_ppp": "lines", "relative_line": "lines",
    "linearized_se": "variance", "fgt_se": "variance", "bootstrap_weights": "variance", "bootstrap_se": "variance",
    "Benefit": "benefits", "old_age_pension": "benefits", "child_benefit": "benefits",
    "disability_benefit": "benefits", "amount_from_costing": "benefits", "take_up_draws": "benefits",
    "simulate_transfers": "benefits",
    "ProxyMeansTest": "targeting", "fit_pmt": "targeting", "pmt_eligible": "targeting",
    "TargetingPerformance": "targeting", "targeting_performance": "targeting",
    "PolicyImpact": "impact", "poverty_impact": "impact", "fgt_012": "impact",
}

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
__all__ = sorted(_EXPORTS)
