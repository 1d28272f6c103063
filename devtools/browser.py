"""How the tests and benchmarks start Debian's Chromium, and what counts as non-local."""
from __future__ import annotations

import re

CHROMIUM = "/usr/bin/chromium"  # Debian's package; never `playwright install`
#: background networking off: Chromium's own calls home would otherwise be refused, noisily
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
#: Requests leaving the machine (matched in the browser, so local requests never wait on Python).
NON_LOCAL = re.compile(r"^(https?|wss?)://(?!(localhost|127\.0\.0\.1|\[::1\])(:\d+)?(/|$))", re.I)
MAP_FRAME = "iframe[src*='/component/ui.mapview.budgetmap_map/']"
