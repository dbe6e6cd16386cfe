"""Valuation-date membership file: loading from frames and CSV, aggregation, validation messages."""

import doctest

import numpy as np
import pandas as pd
import pytest
from qsp.pensions import PENSION_TYPES, load_membership, membership_from_arrays


def actives_table():
    return pd.DataFrame({
        "sex": ["female", "male", "male", "M"],
        "age": [30, 45, 45, 60],
        "service": [5, 20, 20, 40],
        "count": [100, 30, 10, 5],
        "wage": [10_000.0, 14_000.0, 18_000.0, 20_000.0],
    })


def pensioners_table():
    return pd.DataFrame({
        "sex": ["male", "female", "female", "male"],
        "age": [70, 66, 40, 10],
        "type": ["old_age", "old-age", "widow", "orphan"],
        "count": [40, 20, 8, 3],
        "amount": [6_000.0, 5_000.0, 3_000.0, 1_000.0],
    })


def test_load_from_frames_aggregates_cells():
    members = load_membership(actives_table(), pensioners=pensioners_table(),
                              inactives=pd.DataFrame({"sex": [0], "age": [50], "service": [12], "count": [7]}))
    assert members.actives.shape == (2, 101, 86)               # service 0..85 = omega - min_entry_age
    # the two rows of men aged 45 with 20 years are one cell: 40 members, wage (30 x 14,000 + 10 x 18,000) / 40
    assert members.actives[1, 45, 20] == 40
    assert members.active_wages[1, 45, 20] == pytest.approx(15_000.0)
    assert members.inactives[0, 50, 12] == 7
    totals = members.totals()
    assert totals["actives"] == 145
    # wage bill 100 x 10,000 + 30 x 14,000 + 10 x 18,000 + 5 x 20,000 = 1,700,000
    assert totals["wage_bill"] == pytest.approx(1_700_000.0)
    assert members.average_wage() == pytest.approx(1_700_000.0 / 145)
    # types: old-age 40 men + 20 women (both spellings), a widow, orphans
    assert totals["pensioners_old_age"] == 60
    assert totals["pensioners_survivor"] == 8
    assert members.pensioners[PENSION_TYPES.index("orphan"), 1, 10] == 3
    assert totals["pensions_old_age"] == pytest.approx(40 * 6_000 + 20 * 5_000)


def test_load_from_csv_and_round_trip(tmp_path):
    path = tmp_path / "actives.csv"
    actives_table().to_csv(path, index=False)
    pensions_path = tmp_path / "pensioners.csv"
    pensioners_table().to_csv(pensions_path, index=False)
    members = load_membership(str(path), pensioners=pensions_path)
    again = load_membership(members.to_frame("actives"), pensioners=members.to_frame("pensioners"))
    np.testing.assert_array_equal(again.actives, members.actives)
    np.testing.assert_allclose(again.active_wages, members.active_wages)
    np.testing.assert_allclose(again.pension_amounts, members.pension_amounts)
    assert list(members.to_frame("pensioners").columns) == ["sex", "age", "type", "count", "amount"]


def test_wage_by_age_fills_empty_ages_from_the_nearest():
    actives = np.zeros((2, 101, 86))
    wages = np.zeros((2, 101, 86))
    actives[0, 30, 5], wages[0, 30, 5] = 10.0, 1000.0
    actives[0, 40, 5], wages[0, 40, 5] = 10.0, 3000.0
    actives[0, 40, 6], wages[0, 40, 6] = 30.0, 1000.0           # age 40: (10 x 3,000 + 30 x 1,000) / 40 = 1,500
    members = membership_from_arrays(actives, active_wages=wages)
    profile = members.wage_by_age()
    assert profile[0, 40] == pytest.approx(1500.0)
    assert profile[0, 20] == 1000.0 and profile[0, 34] == 1000.0     # nearest age with members: 30
    assert profile[0, 35] == 1000.0                                  # a tie between 30 and 40: the younger
    assert profile[0, 36] == 1500.0 and profile[0, 90] == 1500.0
    np.testing.assert_array_equal(profile[1], profile[0])             # no men: the women's profile


def test_missing_columns_name_the_field_and_table():
    with pytest.raises(ValueError, match="actives lacks the column\\(s\\) 'wage'"):
        load_membership(actives_table().drop(columns="wage"))
    with pytest.raises(ValueError, match="pensioners lacks the column\\(s\\) 'type', 'amount'"):
        load_membership(actives_table(), pensioners=pensioners_table().drop(columns=["type", "amount"]))
    with pytest.raises(ValueError, match="inactives lacks the column\\(s\\) 'service'"):
        load_membership(actives_table(), inactives=pd.DataFrame({"sex": [0], "age": [50], "count": [7]}))


def test_impossible_service_names_the_row(tmp_path):
    table = actives_table()
    table.loc[2, "service"] = 35                                  # a man aged 45 with 35 years: 45 - 15 = 30 at most
    with pytest.raises(ValueError, match="actives: field 'service' is impossible at row 2: 35 years of service at age "
                                         "45, but service cannot exceed age - min_entry_age = 30 years"):
        load_membership(table)
    path = tmp_path / "bad.csv"
    table.to_csv(path, index=False)
    with pytest.raises(ValueError, match="row 2 \\(line 4 of the file, after the header\\)"):
        load_membership(path)
    # a lower minimum entry age makes the record possible
    assert load_membership(table, min_entry_age=10).actives[1, 45, 35] == 10


def test_bad_values_name_the_field_and_row():
    cases = [
        ("count", -5, "field 'count' is -5 at row 1, but it must be at least 0"),
        ("age", 30.5, "field 'age' is 30.5 at row 1, but it must be a whole number of years"),
        ("sex", "x", "field 'sex' has the unknown value 'x' at row 1; allowed: female/male"),
        ("wage", np.nan, "field 'wage' is missing or not a number \\(nan\\) at row 1"),
        ("wage", 0.0, "field 'wage' is 0 at row 1, which has 30 members"),
        ("age", 12, "field 'age' is 12 at row 1, below the minimum entry age 15"),
        ("service", "ten", "field 'service' is missing or not a number \\('ten'\\) at row 1"),
    ]
    for column, value, message in cases:
        table = actives_table().astype({column: object})
        table.loc[1, column] = value
        with pytest.raises(ValueError, match=message):
            load_membership(table)
    bad_type = pensioners_table()
    bad_type.loc[3, "type"] = "child"
    with pytest.raises(ValueError, match="pensioners: field 'type' has the unknown value 'child' at row 3; allowed: "
                                         "old_age, disability, survivor, orphan"):
        load_membership(actives_table(), pensioners=bad_type)
    negative = pensioners_table()
    negative.loc[0, "amount"] = -1.0
    with pytest.raises(ValueError, match="pensioners: field 'amount' is -1 at row 0"):
        load_membership(actives_table(), pensioners=negative)
    with pytest.raises(ValueError, match="no such file"):
        load_membership("/nonexistent/members.csv")
    with pytest.raises(ValueError, match="must be a pandas DataFrame or the path of a CSV file"):
        load_membership(42)


def test_array_checks():
    actives = np.zeros((2, 101, 86))
    actives[1, 20, 10] = 3.0                                     # 10 years of service at 20: impossible
    with pytest.raises(ValueError, match="actives has 3 members with impossible service at sex 1 \\(male\\), age 20, "
                                         "service 10"):
        membership_from_arrays(actives, active_wages=1000.0)
    with pytest.raises(ValueError, match="sex, age, service"):
        membership_from_arrays(np.zeros((101, 86)), active_wages=1000.0)
    ok = np.zeros((2, 101, 86))
    ok[0, 40, 10] = 1.0
    with pytest.raises(ValueError, match="active_wages is 0 where there are active members \\(sex 0, age 40, service "
                                         "10\\)"):
        membership_from_arrays(ok, active_wages=0.0)
    with pytest.raises(ValueError, match="pensioners was given without pension_amounts"):
        membership_from_arrays(ok, active_wages=1.0, pensioners=np.zeros((4, 2, 101)))
    with pytest.raises(ValueError, match="pensioners must be laid out as \\(..., type, sex, age\\)"):
        membership_from_arrays(ok, active_wages=1.0, pensioners=np.zeros((3, 2, 101)), pension_amounts=1.0)
    with pytest.raises(ValueError, match="actives has a number of members of -1"):
        membership_from_arrays(-ok, active_wages=1.0)


def test_docstring_examples():
    import qsp.pensions.membership as module

    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
