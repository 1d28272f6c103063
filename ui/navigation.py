"""The app's pages for ``st.navigation``: real titles and stable url paths, in one flat list.

The url paths are part of every permalink ever copied (``budgetmap.permalink.PAGES``
maps map kinds onto them), so they never change: they are the paths Streamlit's
folder navigation gave the page files (then in ``pages/``) before this router. The home
page is the root. The files are in ``app_pages/``: a ``pages/`` folder puts Streamlit in its
old folder mode, which skips this router, until a session first calls ``st.navigation``. "Add your data" is listed only for those who may use it; for everyone
else it stays reachable by its address, where it says which sign-in it needs.

No sections: Streamlit draws section headers inside the navigation's ``<ul>``,
which axe reports as a serious violation (a list holds only list items) on every page.
"""
from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from budgetmap.access import Role
from ui import auth

HOME = "app_pages/0_Home.py"


@dataclass(frozen=True)
class PageInfo:
    """One page of the app: its file (as ``st.page_link`` names it), title and url path."""

    file: str
    title: str
    url_path: str
    editors_only: bool = False


#: In the order the side navigation lists them; the home page's url path is the root ("").
PAGES: tuple[PageInfo, ...] = (
    PageInfo(HOME, "Home", ""),
    PageInfo("app_pages/1_Spending_map.py", "Spending map", "Spending_map"),
    PageInfo("app_pages/3_Targets.py", "Targets", "Targets"),
    PageInfo("app_pages/5_Compare_years.py", "Compare years", "Compare_years"),
    PageInfo("app_pages/6_Money_vs_results.py", "Money vs results", "Money_vs_results"),
    PageInfo("app_pages/10_Clusters.py", "Clusters", "Clusters"),
    PageInfo("app_pages/4_District_story.py", "District story", "District_story"),
    PageInfo("app_pages/9_Monitoring.py", "Monitoring", "Monitoring"),
    PageInfo("app_pages/2_Load_report.py", "Load report", "Load_report"),
    PageInfo("app_pages/7_Hearing.py", "Hearing", "Hearing"),
    PageInfo("app_pages/8_Add_your_data.py", "Add your data", "Add_your_data", editors_only=True),
)


def _page(info: PageInfo, hidden: bool) -> st.Page:
    if info.url_path == "":
        return st.Page(info.file, title=info.title, default=True)
    return st.Page(info.file, title=info.title, url_path=info.url_path,
                   visibility="hidden" if hidden else "visible")


def listing(may_edit: bool) -> list[tuple[PageInfo, bool]]:
    """Every page, each with whether it is hidden from the side navigation."""
    return [(info, info.editors_only and not may_edit) for info in PAGES]


def pages() -> list[st.Page]:
    """The navigation for this session: editors-only pages hidden from the others."""
    return [_page(info, hidden) for info, hidden in listing(auth.access().can(Role.EDITOR))]


def run() -> None:
    """The router: build the navigation for this session and run the chosen page."""
    st.navigation(pages(), position="sidebar").run()
