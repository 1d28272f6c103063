"""Run axe-core (the npm registry package in devtools/a11y) on a Playwright page and its frames.

Why here and not in the app: axe is a test tool. It is injected into the page under test
from the local file (``add_script_tag(path=...)`` sends the file's text, nothing is fetched),
into every frame too, so the top frame's ``axe.run`` includes the map component's iframe.

The rules run are WCAG 2.0/2.1 A and AA (``wcag2a``, ``wcag2aa``, ``wcag21a``, ``wcag21aa``).
Rules switched off are listed in ``DISABLED`` with the reason, so a reader sees exactly
what is not checked and why.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

AXE = Path(__file__).resolve().parent / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
BLOCKING = ("serious", "critical")

#: rule id -> why it is not run (empty: every WCAG 2.1 A/AA rule runs)
DISABLED: dict[str, str] = {}


@dataclass(frozen=True)
class Violation:
    """One failed rule: its id and impact, and where (CSS target and a snippet of each node)."""
    rule: str
    impact: str
    help: str
    nodes: tuple[str, ...]

    def __str__(self) -> str:
        where = "; ".join(self.nodes[:4]) + (f" (+{len(self.nodes) - 4} more)" if len(self.nodes) > 4 else "")
        return f"{self.impact} {self.rule}: {self.help} -- {where}"


def available() -> bool:
    """True when setup.sh --dev has installed axe-core."""
    return AXE.exists()


def inject(page) -> None:
    """Put axe into the page and every frame of it (the map component's iframe included)."""
    for frame in page.frames:
        try:
            if not frame.evaluate("() => typeof window.axe !== 'undefined'"):
                frame.add_script_tag(path=str(AXE))
        except Exception:  # a frame that went away between listing and injecting
            continue


def audit(page, *, impacts: tuple[str, ...] = BLOCKING, context: str | dict = "document") -> list[Violation]:
    """The violations of WCAG 2.1 A/AA rules on the page as it is now, of the given impacts."""
    inject(page)
    options = {"runOnly": {"type": "tag", "values": list(TAGS)},
               "rules": {rule: {"enabled": False} for rule in DISABLED},
               "resultTypes": ["violations"], "iframes": True}
    result = page.evaluate("""async ([context, options]) => {
        const where = context === 'document' ? document : context;
        const r = await window.axe.run(where, options);
        return r.violations.map(v => ({rule: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => n.target.join(' >>> ') + '  ' + n.html.slice(0, 160))}));
    }""", [context, options])
    return [Violation(v["rule"], v["impact"] or "", v["help"], tuple(v["nodes"]))
            for v in result if (v["impact"] or "") in impacts]


#: the page's DOM has not changed for ``quiet`` ms and no script run is going (installs its observer once)
_QUIET = """(quiet) => {
  if (!window.__bmQuiet) {
    window.__bmQuiet = {last: Date.now()};
    new MutationObserver(() => { window.__bmQuiet.last = Date.now(); })
      .observe(document.documentElement, {subtree: true, childList: true, attributes: true, characterData: true});
  }
  const app = document.querySelector('[data-testid=stApp]');
  return !!app && app.getAttribute('data-test-script-state') === 'notRunning' &&
         Date.now() - window.__bmQuiet.last >= quiet;
}"""

#: the script has drawn something: before its first run the app says notRunning too
_DRAWN = "() => document.querySelectorAll('[data-testid=stMain] [data-testid=stElementContainer]').length > 0"


def settle(page, timeout: float = 120_000, quiet: float = 750) -> None:
    """Wait until the page is as a person sees it: a script run has drawn it and is over, every
    map on it has painted, and nothing has changed for ``quiet`` ms (a half-run page has no legend
    yet, a half-drawn map no names; a map's first paint may start one more run, which redraws the
    sidebar and the page around whatever a test is looking at)."""
    page.wait_for_function(_DRAWN, timeout=timeout)
    for _ in range(5):
        page.wait_for_function(_QUIET, arg=quiet, timeout=timeout, polling=100)
        waiting = False
        for frame in page.frames:
            if "/component/ui.mapview.budgetmap_map/" in frame.url and \
                    not frame.evaluate("() => !!document.body && document.body.hasAttribute('data-painted')"):
                frame.wait_for_selector("body[data-painted]", timeout=timeout)
                waiting = True
        if not waiting:
            return
    raise AssertionError("the page kept redrawing: a map painted and the page changed again, five times over")
