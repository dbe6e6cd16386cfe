"""Report every claim of the lectures' text that the lecture tests checked."""


def pytest_terminal_summary(terminalreporter):
    checked = []
    for report in terminalreporter.stats.get("passed", []):
        if report.when != "call":
            continue
        for name, value in report.user_properties:
            if name == "claims":
                checked.append((report.nodeid.split("[", 1)[-1].rstrip("]"), value))
    if not checked:
        return
    total = sum(len(claims) for _, claims in checked)
    terminalreporter.section(f"claims in the lectures' text checked against their numbers: {total}")
    for lecture, claims in checked:
        for text in claims:
            terminalreporter.write_line(f"{lecture}: {text}")
