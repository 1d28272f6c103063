"""The app's pages for ``st.navigation``: real titles, stable url paths, sections.

The url paths are part of every permalink ever copied (``budgetmap.permalink.PAGES``
maps map kinds onto them), so they never change: they are the paths Streamlit's
folder navigation gave the ``pages/`` files before this router. The home page is
the root. "Add your data" is listed only for those who may use it; for everyone
else it stays reachable by its address, where it says which sign-in it needs.
"""
from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from budgetmap.access import Role
from ui import auth

HOME = "pages/0_Home.py"


@dataclass(frozen=True)
class PageInfo:
    """One page of the app: its file (as ``st.page_link`` names it), title and url path."""

    file: str
    title: str
    url_path: str
    section: str
    editors_only: bool = False


#: In the order the side navigation lists them; the home page's url path is the root ("").
PAGES: tuple[PageInfo, ...] = (
    PageInfo(HOME, "Home", "", ""),
    PageInfo("pages/1_Spending_map.py", "Spending map", "Spending_map", "Maps"),
    PageInfo("pages/3_Targets.py", "Targets", "Targets", "Maps"),
    PageInfo("pages/5_Compare_years.py", "Compare years", "Compare_years", "Maps"),
    PageInfo("pages/6_Money_vs_results.py", "Money vs results", "Money_vs_results", "Maps"),
    PageInfo("pages/10_Clusters.py", "Clusters", "Clusters", "Maps"),
    PageInfo("pages/4_District_story.py", "District story", "District_story", "Follow up"),
    PageInfo("pages/9_Monitoring.py", "Monitoring", "Monitoring", "Follow up"),
    PageInfo("pages/2_Load_report.py", "Load report", "Load_report", "Data"),
    PageInfo("pages/7_Hearing.py", "Hearing", "Hearing", "Present"),
    PageInfo("pages/8_Add_your_data.py", "Add your data", "Add_your_data", "Data", editors_only=True),
)


def _page(info: PageInfo, hidden: bool) -> st.Page:
    if info.url_path == "":
        return st.Page(info.file, title=info.title, default=True)
    return st.Page(info.file, title=info.title, url_path=info.url_path,
                   visibility="hidden" if hidden else "visible")


def listing(may_edit: bool) -> dict[str, list[tuple[PageInfo, bool]]]:
    """Section header -> its pages, each with whether it is hidden from the side navigation."""
    out: dict[str, list[tuple[PageInfo, bool]]] = {}
    for info in PAGES:
        out.setdefault(info.section, []).append((info, info.editors_only and not may_edit))
    return out


def sections() -> dict[str, list[st.Page]]:
    """The navigation for this session: editors-only pages hidden from the others."""
    may_edit = auth.access().can(Role.EDITOR)
    return {section: [_page(info, hidden) for info, hidden in pages]
            for section, pages in listing(may_edit).items()}


def run() -> None:
    """The router: build the navigation for this session and run the chosen page."""
    st.navigation(sections(), position="sidebar").run()
