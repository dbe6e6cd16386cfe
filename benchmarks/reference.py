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
