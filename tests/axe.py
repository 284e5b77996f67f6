"""axe-core accessibility checks on a Playwright page (axe is vendored in tests/vendor/axe-core)."""

from pathlib import Path

AXE_JS = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
# What the desk holds itself to: no violation an assistive-technology user would be blocked by.
BLOCKING_IMPACTS = ("critical", "serious")


def axe_violations(page, *, context=None, impacts=BLOCKING_IMPACTS):
    """Run axe-core on `page` (or on the elements matching the CSS selector `context`); returns the
    violations of the given impacts as axe reports them (id, impact, help, nodes)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, which the pages' Content-Security-Policy (no inline
        # scripts) does not govern, so pages are checked exactly as served.
        page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;true")
    results = page.evaluate(
        "async (context) => await axe.run(context ? document.querySelectorAll(context) : document, "
        "{resultTypes: ['violations']})",
        context,
    )
    return [v for v in results["violations"] if v["impact"] in impacts]


def describe_violations(violations):
    """One readable line per failing element, for an assertion message."""
    lines = []
    for violation in violations:
        for node in violation["nodes"]:
            lines.append(
                f"{violation['impact']}: {violation['id']} ({violation['help']}) at {node['target']}: "
                f"{node['html'][:200]} {node.get('failureSummary', '')}"
            )
    return "\n".join(lines)


def assert_accessible(page, *, context=None):
    """Fail with every critical or serious axe-core violation on the page, listed one per element."""
    violations = axe_violations(page, context=context)
    assert not violations, "axe-core found:\n" + describe_violations(violations)
