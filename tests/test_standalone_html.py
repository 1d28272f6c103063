"""The standalone map file as text: only hashed inline code, no references out, data that cannot break out.

(Opening it in Chromium is tests/browser/test_standalone.py's job.)
"""
from __future__ import annotations

import base64
import hashlib
import json
from html.parser import HTMLParser

import pytest

from budgetmap.dataset import open_dataset
from budgetmap.maps import MAP_KINDS
from budgetmap.render import standalone
from budgetmap.view import SpendingView
from conftest import HOSTILE_NAMES


class Parts(HTMLParser):
    """Every element's attributes, and the text of each <script> and <style>."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.blocks: list[tuple[str, dict[str, str | None], str]] = []
        self._open: tuple[str, dict] | None = None

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._open = (tag, dict(attrs))
            self.blocks.append((tag, dict(attrs), ""))

    def handle_data(self, data):
        if self._open:
            tag, attrs, text = self.blocks[-1]
            self.blocks[-1] = (tag, attrs, text + data)

    def handle_endtag(self, tag):
        if self._open and tag == self._open[0]:
            self._open = None


def sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


@pytest.fixture
def hostile(city):
    dataset = open_dataset(city(names=HOSTILE_NAMES))
    spec = MAP_KINDS["spending"](dataset, SpendingView(measure="total", fiscal_year=2024))
    return dataset, spec, standalone.standalone_html(spec, dataset.districts)


def test_policy_allows_exactly_the_inline_code(hostile):
    _, _, html = hostile
    parts = Parts()
    parts.feed(html)
    policy = next(a["content"] for t, a in parts.elements if t == "meta" and a.get("http-equiv") ==
                  "Content-Security-Policy")
    rules = dict(rule.strip().split(" ", 1) for rule in policy.split(";"))
    assert rules["default-src"] == "'none'" and rules["base-uri"] == "'none'"
    scripts = [text for tag, attrs, text in parts.blocks if tag == "script" and "type" not in attrs]
    styles = [text for tag, _, text in parts.blocks if tag == "style"]
    assert len(scripts) == 7 and len(styles) == 2  # leaflet, geometry, hatch, points, finder, map, standalone
    assert rules["script-src"].split() == [sha(s) for s in scripts]
    assert rules["style-src"].split() == [sha(s) for s in styles]
    assert "http" not in policy and "unsafe" not in policy
    # nothing is loaded by reference: no src, href, or inline handlers anywhere
    for tag, attrs in parts.elements:
        assert not {"src", "href", "srcset", "style"} & set(attrs), (tag, attrs)
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
    assert "sourceMappingURL" not in html and "images/" not in styles[0]
    assert "Copyright (c) 2010-2023, Volodymyr Agafonkin" in scripts[0], "Leaflet's licence travels with it"


def test_data_is_json_that_cannot_close_its_tag(hostile):
    dataset, spec, html = hostile
    parts = Parts()
    parts.feed(html)
    (text,) = [t for tag, attrs, t in parts.blocks if attrs.get("type") == "application/json"]
    assert not set("<>&") & set(text)
    assert json.loads(text) == json.loads(json.dumps(standalone.page_data(spec, dataset.districts)))
    names = [d["name"] for d in json.loads(text)["page"]["districts"]]
    assert names == HOSTILE_NAMES
    for name in HOSTILE_NAMES:
        if "<" in name:
            assert name not in html, f"{name!r} appears raw in the file"


def test_code_that_could_end_its_element_is_refused():
    with pytest.raises(ValueError, match="</script"):
        standalone._inline("var s = '</SCRIPT>';", "x.js")


def test_missing_leaflet_says_how_to_install_it(hostile, monkeypatch, tmp_path):
    dataset, spec, _ = hostile
    monkeypatch.setattr(standalone, "LEAFLET", tmp_path / "leaflet")
    with pytest.raises(FileNotFoundError, match="npm ci"):
        standalone.standalone_html(spec, dataset.districts)
