"""axe-core accessibility checks in Playwright pages (shared by the dashboard's and the story form's tests).

axe-core is vendored in tests/fixtures/axe/ (npm package axe-core, see its README there) and injected
into the page under test by Playwright: no page ever loads it, and nothing is fetched at run time.
"""

from pathlib import Path

AXE_JS = Path(__file__).parent / "fixtures" / "axe" / "axe.min.js"
BLOCKING = ("critical", "serious")


def run_axe(page, context=None, *, options=None):
    """axe.run() on the page (or on the `context` selector); returns axe's result dict."""
    # Evaluated through the DevTools protocol, which the site's Content-Security-Policy does not
    # govern (a <script> tag added to the page would be refused by it, rightly).
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;void 0")
    return page.evaluate(
        "([context, options]) => axe.run(context || document, options || {})",
        [context, options or {"resultTypes": ["violations"]}],
    )


def blocking_violations(page, context=None, *, impacts=BLOCKING):
    """The violations of `impacts` (critical and serious by default), as short readable lines."""
    result = run_axe(page, context)
    return [
        f"{v['impact']}: {v['id']} ({v['help']}) at {', '.join(str(n['target']) for n in v['nodes'][:5])}"
        for v in result["violations"]
        if v["impact"] in impacts
    ]
