"""qsp.plots: figures are drawn with the Agg backend, carry labels, and reject bad input."""

from types import SimpleNamespace

import matplotlib
import matplotlib.pyplot as plt  # the Agg backend is selected in tests/conftest.py
import numpy as np
import pytest
from qsp import plots
from qsp.demography import indicators

AGES = np.arange(101)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _population(scale=1_000.0, growth=0.01):
    survival = np.exp(-0.0002 * np.expm1(0.09 * AGES) / 0.09)
    base = scale * np.exp(-growth * AGES) * survival
    return np.stack([base, 0.97 * base])


def _projection(n_years=11):
    years = np.arange(2025, 2025 + n_years)
    population = np.stack([_population(1_000 * 1.01**t, growth=0.01 - 0.001 * t) for t in range(n_years)])
    return SimpleNamespace(years=years, population=population)


def _bars(ax):
    return [patch for container in ax.containers for patch in container]


# ------------------------------------------------------------------------------- pyramid
def test_pyramid_five_year_groups_bars_labels_and_sides():
    pop = _population()
    ax = plots.pyramid(pop, title="Country X, 2025")
    # 0-4, 5-9, ..., 95-99 and 100+: 21 groups, one bar per sex
    assert len(ax.containers) == 2
    assert [len(container) for container in ax.containers] == [21, 21]
    males, females = ax.containers
    assert all(bar.get_width() <= 0 for bar in males)
    assert all(bar.get_width() >= 0 for bar in females)
    grouped = indicators.age_group_totals(pop, np.arange(0, 101, 5), by_sex=True)
    np.testing.assert_allclose([bar.get_width() for bar in females], grouped[0] / 1_000)
    np.testing.assert_allclose([-bar.get_width() for bar in males], grouped[1] / 1_000)
    labels = [tick.get_text() for tick in ax.get_yticklabels()]
    assert labels[0] == "0-4" and labels[-1] == "100+"
    assert ax.get_title() == "Country X, 2025"
    assert ax.get_xlabel() == "Population (thousands)"
    assert ax.get_ylabel() == "Age"
    assert isinstance(ax.figure, matplotlib.figure.Figure)


def test_pyramid_single_ages_and_shares():
    pop = _population()
    ax = plots.pyramid(pop, group=1, as_share=True)
    assert [len(container) for container in ax.containers] == [101, 101]
    widths = np.array([abs(bar.get_width()) for container in ax.containers for bar in container])
    assert widths.sum() == pytest.approx(1.0)
    assert "Share" in ax.get_xlabel() and "%" in ax.get_xlabel()


def test_pyramid_compare_outline_and_existing_axes():
    fig, (left, right) = plt.subplots(1, 2)
    pop = _population()
    ax = plots.pyramid(pop, compare=_population(growth=0.02), compare_label="WPP 2024", ax=right, scale=1)
    assert ax is right
    assert len(ax.patches) == 2 * 21 + 2  # bars plus two outline step patches
    assert [text.get_text() for text in ax.get_legend().get_texts()] == ["WPP 2024"]
    assert ax.get_xlabel() == "Population"


def test_pyramid_abridged_grid_uses_its_own_intervals():
    ages = np.array([0, 1, 5, 10, 15])
    pop = np.ones((2, 5))
    ax = plots.pyramid(pop, ages=ages, group=None)
    assert [tick.get_text() for tick in ax.get_yticklabels()] == ["0", "1-4", "5-9", "10-14", "15+"]


def test_pyramid_bad_input():
    pop = _population()
    with pytest.raises(ValueError, match=r"population must be one population of shape \(sex, age\)"):
        plots.pyramid(np.stack([pop, pop]))
    with pytest.raises(ValueError, match="population has a population count of -1"):
        plots.pyramid(np.where(AGES == 3, -1.0, pop))
    with pytest.raises(ValueError, match="population must have a sex axis of length 2"):
        plots.pyramid(np.ones((3, 101)))
    with pytest.raises(ValueError, match=r"compare must have the same shape as population \(2, 101\)"):
        plots.pyramid(pop, compare=np.ones((2, 91)))
    with pytest.raises(ValueError, match="group must be a whole number of years"):
        plots.pyramid(pop, group=2.5)
    with pytest.raises(ValueError, match="group=5 needs groups starting at ages 15, 20, which the age grid lacks"):
        plots.pyramid(np.ones((2, 5)), ages=[0, 1, 5, 10, 25])
    with pytest.raises(ValueError, match="scale must be a positive divisor"):
        plots.pyramid(pop, scale=0)
    with pytest.raises(ValueError, match="population is all zeros, so shares are undefined"):
        plots.pyramid(np.zeros((2, 101)), as_share=True)


# ------------------------------------------------------------------------------- survival curves
def test_survival_curves_from_dict_and_array():
    lx = 100_000 * np.exp(-0.01 * AGES * np.array([[1.0], [1.2]]))
    ax = plots.survival_curves({"women": lx[0], "men": lx[1]}, title="Survivors")
    assert len(ax.lines) == 2
    assert [text.get_text() for text in ax.get_legend().get_texts()] == ["women", "men"]
    assert "100,000" in ax.get_ylabel() and ax.get_xlabel().startswith("Exact age")
    ax = plots.survival_curves(lx)
    assert [text.get_text() for text in ax.get_legend().get_texts()] == ["Females", "Males"]
    ax = plots.survival_curves(SimpleNamespace(lx=lx[0]), as_share=True)
    assert ax.lines[0].get_ydata()[0] == pytest.approx(100)


def test_survival_curves_bad_input():
    with pytest.raises(ValueError, match="lx must be one curve"):
        plots.survival_curves(np.ones((2, 2, 3)))
    with pytest.raises(ValueError, match="labels has 1 entries but there are 2 curves"):
        plots.survival_curves(np.ones((2, 3)), labels=["a"])
    with pytest.raises(ValueError, match=r"lx\['a'\] has a number of survivors of -1"):
        plots.survival_curves({"a": [1.0, -1.0]})
    with pytest.raises(ValueError, match="ages has 2 entries but"):
        plots.survival_curves({"a": [1.0, 0.5, 0.1]}, ages=[0, 1])
    with pytest.raises(ValueError, match="lx holds no curves"):
        plots.survival_curves({})


# ------------------------------------------------------------------------------- projections
def test_plot_projection_total_sex_and_age_groups():
    projection = _projection()
    ax = plots.plot_projection(projection, title="Projection")
    assert len(ax.lines) == 1
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), projection.years)
    np.testing.assert_allclose(ax.lines[0].get_ydata(), projection.population.sum(axis=(-2, -1)) / 1_000)
    assert ax.get_xlabel() == "Year" and ax.get_ylabel() == "Population (thousands)"
    ax = plots.plot_projection(projection, by="sex")
    assert [line.get_label() for line in ax.lines] == ["Females", "Males"]
    ax = plots.plot_projection(projection, by="age_group")
    assert [text.get_text() for text in ax.get_legend().get_texts()] == ["0-14", "15-64", "65+"]
    assert len(ax.collections) == 3


def test_plot_projection_scenarios_and_totals():
    projection = _projection()
    scenarios = np.stack([projection.population, 1.1 * projection.population])
    ax = plots.plot_projection(scenarios, years=projection.years, labels=["low", "high"])
    assert [line.get_label() for line in ax.lines] == ["low", "high"]
    ax = plots.plot_projection(np.array([1.0, 2.0, 3.0]) * 1e6, years=[2025, 2026, 2027], scale=1e6)
    np.testing.assert_allclose(ax.lines[0].get_ydata(), [1, 2, 3])
    assert ax.get_ylabel() == "Population (millions)"


def test_plot_projection_bad_input():
    projection = _projection()
    with pytest.raises(ValueError, match="by must be 'total', 'sex' or 'age_group'"):
        plots.plot_projection(projection, by="region")
    with pytest.raises(ValueError, match=r"years must hold one entry per projected year \(11\)"):
        plots.plot_projection(projection.population, years=[2025, 2026])
    with pytest.raises(ValueError, match="by='sex' plots one scenario"):
        plots.plot_projection(np.stack([projection.population] * 2), by="sex")
    with pytest.raises(ValueError, match="needs populations by sex and age"):
        plots.plot_projection(np.ones(4), by="age_group")
    with pytest.raises(ValueError, match="labels has 1 entries but there are 2 scenarios"):
        plots.plot_projection(np.stack([projection.population] * 2), labels=["one"])


# ------------------------------------------------------------------------------- fan chart
def test_fan_chart_bands_and_median():
    rng = np.random.default_rng(1)
    years = np.arange(2025, 2051)
    draws = 70 + np.cumsum(rng.normal(0.15, 0.3, size=(500, years.size)), axis=1)
    ax = plots.fan_chart(years, draws, title="Life expectancy", ylabel="e0 (years)")
    assert len(ax.collections) == 2  # 90% and 50% bands
    np.testing.assert_allclose(ax.lines[0].get_ydata(), np.median(draws, axis=0))
    labels = [text.get_text() for text in ax.get_legend().get_texts()]
    assert labels == ["90% interval", "50% interval", "50% quantile (median)"]
    assert ax.get_ylabel() == "e0 (years)" and ax.get_title() == "Life expectancy"


def test_fan_chart_bad_input():
    years = np.arange(5)
    draws = np.ones((10, 5))
    with pytest.raises(ValueError, match=r"draws must have shape \(n_draws, year\)"):
        plots.fan_chart(years, np.ones(5))
    with pytest.raises(ValueError, match="years has shape"):
        plots.fan_chart(np.arange(4), draws)
    with pytest.raises(ValueError, match="at least two draws"):
        plots.fan_chart(years, np.ones((1, 5)))
    with pytest.raises(ValueError, match="quantiles must be an odd number of increasing probabilities"):
        plots.fan_chart(years, draws, quantiles=(0.25, 0.75))
    with pytest.raises(ValueError, match="quantiles must be symmetric around 0.5"):
        plots.fan_chart(years, draws, quantiles=(0.1, 0.5, 0.95))
    with pytest.raises(ValueError, match=r"draws contains a missing or infinite value .* at draw 0, year index 2"):
        plots.fan_chart(years, np.where(years == 2, np.nan, draws))


# ------------------------------------------------------------------------------- dependency ratios
def test_dependency_ratio_plot_matches_the_indicator():
    projection = _projection()
    ax = plots.dependency_ratios(projection, title="Dependency")
    ratios = indicators.dependency_ratios(projection.population)
    total, youth, old = ax.lines
    np.testing.assert_allclose(total.get_ydata(), 100 * ratios.total)
    np.testing.assert_allclose(youth.get_ydata(), 100 * ratios.youth)
    np.testing.assert_allclose(old.get_ydata(), 100 * ratios.old_age)
    assert [line.get_label() for line in ax.lines] == ["Total", "Youth (0-14)", "Old-age (65+)"]
    assert ax.get_ylabel() == "Dependants per 100 persons aged 15-64"


def test_dependency_ratio_plot_bad_input():
    projection = _projection()
    with pytest.raises(ValueError, match="dependency_ratios plots one scenario"):
        plots.dependency_ratios(np.stack([projection.population] * 2))
    with pytest.raises(ValueError, match=r"projection must be a Projection or an array \(\.\.\., year, sex, age\)"):
        plots.dependency_ratios(np.ones((2, 101)))


def test_import_qsp_plots_does_not_import_matplotlib():
    import subprocess
    import sys

    code = "import sys, qsp.plots; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert out.stdout.strip() == "False"


def test_plots_accept_a_real_projection_and_life_table():
    from qsp.demography import life_table, project

    mx = 0.00005 * np.exp(0.09 * AGES) * np.array([[0.8], [1.0]]) + 0.0005
    asfr = np.where((AGES >= 15) & (AGES < 50), 0.06, 0.0)
    projection = project(_population(), mx=mx, asfr=asfr, years=range(2025, 2036))
    ax = plots.plot_projection(projection)
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), np.arange(2025, 2036))
    ax = plots.dependency_ratios(projection)
    assert len(ax.lines[0].get_ydata()) == 11
    ax = plots.pyramid(projection.population[-1], compare=projection.population[0], compare_label="2025")
    assert [len(container) for container in ax.containers] == [21, 21]
    ax = plots.survival_curves(life_table(mx))
    assert [line.get_color() for line in ax.lines] == [plots.FEMALE_COLOUR, plots.MALE_COLOUR]
