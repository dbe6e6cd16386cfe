"""The README's library examples run as written (a README that lies is worse than none)."""

import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def _library_examples() -> str:
    text = README.read_text()
    section = text[text.index("## Using the library"):text.index("## Data")]
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    assert len(blocks) >= 4, "the README should show the demography, pensions, budget and costing examples"
    return "\n".join(blocks)


def test_readme_library_examples_run():
    namespace: dict = {}
    exec(compile(_library_examples(), str(README), "exec"), namespace)
    # what the prose beside the examples claims
    assert 0.01 < namespace["cost"].share_of_gdp[0] < 0.05
    assert round(float(namespace["headcount"]), 3) == 0.264          # the poverty example's comment
    assert namespace["pension"].fgt_after.shape == (100, 3)
    assert namespace["reform"].payg_cost_rate.shape == namespace["valuation"].payg_cost_rate.shape
    assert (README.parent / "docs" / "figures" / "scheme-financing.png").is_file()
    assert round(float(namespace["sickness"].cost_rate), 3) == 0.023
    ruin = namespace["ruin"]
    assert ruin[0] > ruin[1] > ruin[2]
