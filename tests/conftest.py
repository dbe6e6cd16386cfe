"""Shared pytest configuration: hypothesis profiles and common fixtures."""

import os

import matplotlib
from hypothesis import HealthCheck, settings

matplotlib.use("Agg")

# CI draws the same examples every run (derandomize), so a landing never hinges on a lucky draw;
# the dev profile keeps exploring new examples.
settings.register_profile(
    "ci", max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=100, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
