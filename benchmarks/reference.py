"""Plain-Python references for the benchmarks: the same formulas as the qsp kernels, written
the way a learner who thinks in spreadsheet columns would write them.

No numpy: lists of floats, one loop over schedules (rows) and one over ages (cells), each column
of the table filled in turn, exactly as one would fill columns in a spreadsheet. The benchmark
run checks that these give the same numbers as the kernels (max relative difference < 1e-9)
before it compares their speed, so they double as an independent check of the formulas.

References: Preston, Heuveline & Guillot (2001), *Demography*, ch. 3 (life table) and ch. 6
(cohort-component projection); HMD Methods Protocol v6, Table 3 (Andreev-Kingkade a0).
"""

from __future__ import annotations

# Andreev-Kingkade a0 from m0 (HMD Methods Protocol v6, Table 3), as typed from the table:
# (low, high, constant below low, slope below low, constant between, slope between, cap)
AK_FEMALE = (0.01724, 0.06891, 0.14903, -2.05527, 0.04667, 3.88089, 0.31411)
AK_MALE = (0.02300, 0.08307, 0.14929, -1.99545, 0.02832, 3.26021, 0.29915)


def a0_andreev_kingkade(m0: float, sex: int) -> float:
    """a0 for one infant death rate ``m0`` (sex 0 = female, 1 = male)."""
    low, high, c1, s1, c2, s2, cap = AK_FEMALE if sex == 0 else AK_MALE
    if m0 < low:
        return c1 + s1 * m0
    if m0 < high:
        return c2 + s2 * m0
    return cap


def life_table_one(mx: list[float], sex: int, radix: float = 100_000.0) -> dict[str, list[float]]:
    """A complete (single-year) life table for one schedule of death rates, column by column.

    Columns as in :func:`qsp.demography.life_table`: ax, qx, px, lx, dx, Lx, Tx, ex.
    Single ages 0..omega, the last open; a0 by Andreev-Kingkade, a_x = 0.5 at other closed
    ages, a = 1/m, q = 1, L = l/m in the open interval.
    """
    n_ages = len(mx)
    last = n_ages - 1
    # column ax
    ax = []
    for age in range(n_ages):
        if age == 0:
            ax.append(a0_andreev_kingkade(mx[0], sex))
        elif age < last:
            ax.append(0.5)
        else:
            ax.append(1.0 / mx[age])
    # column qx: q = n m / (1 + (n - a) m) with n = 1, at most 1; 1 in the open interval
    qx = []
    for age in range(n_ages):
        if age < last:
            q = mx[age] / (1.0 + (1.0 - ax[age]) * mx[age])
            qx.append(min(q, 1.0))
        else:
            qx.append(1.0)
    # column px
    px = []
    for age in range(n_ages):
        px.append(1.0 - qx[age])
    # column lx
    lx = [radix]
    for age in range(1, n_ages):
        lx.append(lx[age - 1] * px[age - 1])
    # column dx
    dx = []
    for age in range(n_ages):
        if age < last:
            dx.append(lx[age] - lx[age + 1])
        else:
            dx.append(lx[age])
    # column Lx: L = l_{x+1} + a d; open interval L = l / m
    Lx = []
    for age in range(n_ages):
        if age < last:
            Lx.append(lx[age + 1] + ax[age] * dx[age])
        else:
            Lx.append(lx[age] / mx[age])
    # column Tx: sum of L from x to the end, filled from the bottom up
    Tx = [0.0] * n_ages
    running = 0.0
    for age in range(last, -1, -1):
        running = running + Lx[age]
        Tx[age] = running
    # column ex
    ex = []
    for age in range(n_ages):
        ex.append(Tx[age] / lx[age] if lx[age] > 0 else float("nan"))
    return {"ax": ax, "qx": qx, "px": px, "lx": lx, "dx": dx, "Lx": Lx, "Tx": Tx, "ex": ex}


def life_tables(schedules: list[list[float]], sex: int, radix: float = 100_000.0) -> list[dict[str, list[float]]]:
    """One life table per schedule (a list of death-rate lists, all of one sex)."""
    tables = []
    for mx in schedules:
        tables.append(life_table_one(mx, sex, radix))
    return tables


def survival_one(mx: list[float], sex: int) -> tuple[list[float], float]:
    """Survival ratios of one sex for a one-year projection step, from its life table (radix 1).

    ``S_x = L_{x+1} / L_x`` for ``x = 0 .. omega-2``; ``S_{omega-1} = S_omega = T_omega /
    T_{omega-1}`` (into and within the open interval); births survive to the end of the year
    with ``L_0 / l_0``. A ratio is 0 where its denominator is 0.
    """
    table = life_table_one(mx, sex, radix=1.0)
    Lx, Tx = table["Lx"], table["Tx"]
    last = len(mx) - 1
    ratios = []
    for age in range(last - 1):
        ratios.append(Lx[age + 1] / Lx[age] if Lx[age] > 0 else 0.0)
    open_ratio = Tx[last] / Tx[last - 1] if Tx[last - 1] > 0 else 0.0
    ratios.append(open_ratio)
    ratios.append(open_ratio)
    return ratios, Lx[0] / table["lx"][0]


def project_one(
    base: list[list[float]],
    mx: list,
    asfr: list[float],
    net_migrants: list[list[float]],
    srb: float,
    n_steps: int,
    mx_by_year: bool = False,
) -> dict[str, list]:
    """Cohort-component projection of one scenario, one year and one age at a time.

    Inputs are lists: ``base[sex][age]``, ``mx[sex][age]`` (or ``mx[step][sex][age]`` with
    ``mx_by_year``), ``asfr[age]`` (women), ``net_migrants[sex][age]`` per year. The conventions
    are those of :func:`qsp.demography.project` with its defaults: half of the migrants arrive
    at the start of the year and half at the end, no cohort goes below zero, births come from
    the average of the women at the start and at the end of the year, and the flows are
    indexed by the age of the cohort at the end of the year.
    Returns ``population[t][sex][age]``, ``births[t][sex]``, ``deaths[t][sex][age]``,
    ``migrants[t][sex][age]``.
    """
    n_ages = len(base[0])
    last = n_ages - 1
    share_girls = 1.0 / (1.0 + srb)
    share_boys = srb / (1.0 + srb)
    emigration = False
    for sex in range(2):
        for age in range(n_ages):
            if net_migrants[sex][age] < 0:
                emigration = True
    survival = None if mx_by_year else [survival_one(mx[sex], sex) for sex in range(2)]

    population = [[list(base[0]), list(base[1])]]
    births, deaths, migrants = [], [], []
    for step in range(n_steps):
        if mx_by_year:
            survival = [survival_one(mx[step][sex], sex) for sex in range(2)]
        now = population[step]
        # 1. half the migrants arrive at the start of the year (never below zero)
        start = [[0.0] * n_ages, [0.0] * n_ages]
        for sex in range(2):
            for age in range(n_ages):
                value = now[sex][age] + net_migrants[sex][age] * 0.5
                if emigration and value < 0.0:
                    value = 0.0
                start[sex][age] = value
        # 2. survivors, one year older at the end; the open group gathers omega-1 and omega+
        nxt = [[0.0] * n_ages, [0.0] * n_ages]
        for sex in range(2):
            ratios = survival[sex][0]
            for age in range(last):
                nxt[sex][age + 1] = start[sex][age] * ratios[age]
            nxt[sex][last] = nxt[sex][last] + start[sex][last] * ratios[last]
        # 3. births from the women at the start and the surviving women at the end
        total_births = 0.0
        for age in range(n_ages):
            women = start[0][age] + (nxt[0][age] if age > 0 else 0.0)
            total_births = total_births + women * (asfr[age] * 0.5)
        born = [total_births * share_girls, total_births * share_boys]
        for sex in range(2):
            nxt[sex][0] = born[sex] * survival[sex][1]
        # deaths by cohort (age at the end of the year)
        died = [[0.0] * n_ages, [0.0] * n_ages]
        for sex in range(2):
            died[sex][0] = born[sex] - nxt[sex][0]
            for age in range(1, n_ages):
                died[sex][age] = start[sex][age - 1] - nxt[sex][age]
            died[sex][last] = died[sex][last] + start[sex][last]
        # 4. the other half of the migrants arrive at the end of the year
        moved = [[0.0] * n_ages, [0.0] * n_ages]
        for sex in range(2):
            for age in range(n_ages):
                arriving = net_migrants[sex][age] * 0.5
                if emigration and arriving < -nxt[sex][age]:
                    arriving = -nxt[sex][age]
                nxt[sex][age] = nxt[sex][age] + arriving
                moved[sex][age] = arriving
        # the start arrivals of the cohort aged x at the start count at age x + 1 (omega stays)
        for sex in range(2):
            for age in range(n_ages):
                realised = start[sex][age] - now[sex][age]
                index = age + 1 if age < last else last
                moved[sex][index] = moved[sex][index] + realised
        population.append(nxt)
        births.append(born)
        deaths.append(died)
        migrants.append(moved)
    return {"population": population, "births": births, "deaths": deaths, "migrants": migrants}


def projections(base, mx, asfr, net_migrants, srb: float, n_steps: int, mx_by_year: bool = False) -> list[dict]:
    """One projection per scenario (lists indexed by scenario first)."""
    results = []
    for scenario in range(len(base)):
        results.append(project_one(base[scenario], mx[scenario], asfr[scenario], net_migrants[scenario], srb,
                                   n_steps, mx_by_year))
    return results
