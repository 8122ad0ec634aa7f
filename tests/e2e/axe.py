"""Run axe-core (the copy shipped in axe_playwright_python) in a page and describe what it finds."""

from __future__ import annotations

from pathlib import Path

import axe_playwright_python

AXE_JS = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def axe_violations(page) -> list[dict]:
    """The WCAG 2.1 A/AA (and best-practice) violations on the page as it is now.

    The script is handed over through the DevTools protocol, which the page's CSP
    (``script-src 'self'``) does not govern, so no ``bypass_csp`` is needed.
    """
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_JS)
    result = page.evaluate(
        "opts => axe.run(document, opts)",
        {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )
    return result["violations"]


def describe(where: str, violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{where}] {v['id']} ({v['impact']}): {v['help']} — {v['helpUrl']}")
        for node in v["nodes"][:8]:
            target = " ".join(str(t) for t in node["target"])
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"    at {target}\n       {node['html'][:160]}\n       {summary[:300]}")
        if len(v["nodes"]) > 8:
            lines.append(f"    … and {len(v['nodes']) - 8} more nodes")
    return "\n".join(lines)


class AxeAudit:
    """Collects violations page by page so one run reports every page, not just the first."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.report: list[str] = []
        self.checked: list[str] = []

    def check(self, page, name: str) -> None:
        page.wait_for_load_state("load")
        self.checked.append(name)
        violations = axe_violations(page)
        if violations:
            self.report.append(describe(f"{self.label} · {name} · {page.url}", violations))

    def assert_clean(self) -> None:
        assert not self.report, (
            f"axe found violations on {len(self.report)} of {len(self.checked)} pages "
            f"({self.label}):\n" + "\n".join(self.report)
        )
