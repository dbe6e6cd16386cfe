"""Demography: life tables, mortality models, fertility, graduation, migration, projection.

Public names are loaded lazily from the submodules listed in ``_EXPORTS``. To add a public
function, add one line ``"name": "submodule"`` here.
"""

from .._lazy import lazy_exports

_EXPORTS = {
    # ages.py
    "single_ages": "ages",
    "abridged_ages": "ages",
    "interval_widths": "ages",
    "age_labels": "ages",
    # graduation.py
    "graduate": "graduation",
    "group": "graduation",
    "graduation_matrix": "graduation",
    "multiplier_panels": "graduation",
    # fertility.py
    "tfr": "fertility",
    "mean_age_at_childbearing": "fertility",
    "hadwiger": "fertility",
    "gamma_schedule": "fertility",
    "asfr_single_from_groups": "fertility",
    "scale_to_tfr": "fertility",
    "female_share_of_births": "fertility",
    "srb_from_births": "fertility",
    "DEFAULT_SRB": "fertility",
    # migration.py
    "rogers_castro": "migration",
    "distribute_net_migration": "migration",
    "ROGERS_CASTRO_STANDARD": "migration",
    # lifetable.py
    "life_table": "lifetable",
    "LifeTable": "lifetable",
    "a0_andreev_kingkade": "lifetable",
    "a0_coale_demeny": "lifetable",
    "a1_4_coale_demeny": "lifetable",
    "mx_to_qx": "lifetable",
    "qx_to_mx": "lifetable",
    "survival_ratios": "lifetable",
    "SurvivalRatios": "lifetable",
    # mortality.py (re-exports mortality_laws.py and lee_carter.py)
    "gompertz": "mortality",
    "gompertz_makeham": "mortality",
    "Gompertz": "mortality",
    "GompertzMakeham": "mortality",
    "fit_gompertz": "mortality",
    "fit_gompertz_makeham": "mortality",
    "kannisto": "mortality",
    "Kannisto": "mortality",
    "fit_kannisto": "mortality",
    "close_old_ages": "mortality",
    "heligman_pollard": "mortality",
    "HeligmanPollard": "mortality",
    "fit_heligman_pollard": "mortality",
    "HP_AUSTRALIA_MALES_1970": "mortality",
    "brass_logit": "mortality",
    "BrassLogit": "mortality",
    "fit_brass_logit": "mortality",
    "fit_lee_carter": "mortality",
    "LeeCarter": "mortality",
    "LeeCarterForecast": "mortality",
    # projection.py, leslie.py
    "project": "projection",
    "Projection": "projection",
    "leslie_matrix": "leslie",
    "project_leslie": "leslie",
    # five_year.py
    "project_five_year": "five_year",
    "FiveYearProjection": "five_year",
    "PRESTON_BOX_6_2": "five_year",
    # indicators.py
    "total_population": "indicators",
    "age_group_totals": "indicators",
    "dependency_ratios": "indicators",
    "DependencyRatios": "indicators",
    "youth_dependency_ratio": "indicators",
    "old_age_dependency_ratio": "indicators",
    "total_dependency_ratio": "indicators",
    "potential_support_ratio": "indicators",
    "median_age": "indicators",
    "mean_age": "indicators",
    "sex_ratio": "indicators",
    "life_expectancy": "indicators",
    "total_fertility_rate": "indicators",
    "crude_birth_rate": "indicators",
    "crude_death_rate": "indicators",
    "crude_net_migration_rate": "indicators",
    "growth_rate": "indicators",
}

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
__all__ = sorted(_EXPORTS)
