"""Shared pytest configuration: hypothesis profiles and common fixtures."""

import os

import matplotlib
import qsp._startup  # noqa: F401  (before nbformat is imported: see its docstring)
from hypothesis import HealthCheck, settings

matplotlib.use("Agg")

# CI draws the same examples every run (derandomize), so a landing never hinges on a lucky draw;
# the dev profile keeps exploring new examples.
settings.register_profile(
    "ci", max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=100, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


def pytest_collection_modifyitems(config, items):
    """Run the lecture notebooks first and the course site right after them.

    The lecture tests leave each executed lecture in the site's cache (build/site/executed), so the
    site's browser test builds its pages without executing the lectures again. Both are in the
    xdist group "site" (one worker, in this order); the other worker runs everything else.
    """
    def rank(item) -> int:
        path = item.path.as_posix()
        return 0 if "/tests/notebooks/" in path else 1 if "/tests/site/" in path else 2

    items.sort(key=rank)  # stable: each group keeps its own order
