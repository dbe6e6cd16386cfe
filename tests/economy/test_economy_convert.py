"""Conversions: PPP dollars, real values, growth rates."""

import numpy as np
import pytest
from qsp.economy import growth_rates, national_to_ppp_dollars, ppp_dollars_to_national, to_real


def test_ppp_conversion_round_trip():
    # US$1 PPP a day at a PPP factor of 250 national units per PPP$: 250 a day, 91,250 a year
    assert float(ppp_dollars_to_national(1.0, 250.0)) == 250.0
    assert float(ppp_dollars_to_national(1.0, 250.0) * 365) == 91_250.0
    np.testing.assert_allclose(national_to_ppp_dollars(ppp_dollars_to_national([0.5, 1.0], [[2.0], [4.0]]),
                                                       [[2.0], [4.0]]), [[0.5, 1.0], [0.5, 1.0]])


def test_to_real_at_first_and_last_year_prices():
    # nominal 100, 110, 121 with prices 1, 1.1, 1.21: constant 100 at first-year prices
    np.testing.assert_allclose(to_real([100.0, 110.0, 121.0], [1.0, 1.1, 1.21]), [100.0, 100.0, 100.0])
    # at last-year prices: 121, 121, 121
    np.testing.assert_allclose(to_real([100.0, 110.0, 121.0], [1.0, 1.1, 1.21], base=-1), [121.0, 121.0, 121.0])


def test_growth_rates():
    np.testing.assert_allclose(growth_rates([100.0, 110.0, 121.0]), [0.1, 0.1])


def test_bad_conversion_inputs():
    with pytest.raises(ValueError, match=r"ppp_factor has a PPP factor of 0.* greater than 0"):
        ppp_dollars_to_national(1.0, 0.0)
    with pytest.raises(ValueError, match=r"price_index has a price index of -1"):
        to_real([1.0, 2.0], [1.0, -1.0])
    with pytest.raises(ValueError, match=r"nominal covers 3 years but price_index covers 2"):
        to_real([1.0, 2.0, 3.0], [1.0, 1.1])
    with pytest.raises(ValueError, match=r"base must be a position on the year axis"):
        to_real([1.0, 2.0], [1.0, 1.1], base=5)
    with pytest.raises(ValueError, match=r"at least two years"):
        growth_rates([1.0])
