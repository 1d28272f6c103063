"""A Streamlit session without a browser: the app's own websocket protocol, driven from asyncio.

The browser and the server speak protobufs over ``/_stcore/stream``: the browser
sends a ``BackMsg`` whose ``rerun_script`` carries the page, the query string and
the widgets' states; the server answers with ``ForwardMsg``s (the page's
elements as deltas) and ends each run with ``script_finished``. This client does
the browser's part of that exchange and nothing else (no rendering), so fifty
sessions cost one process and a load test can tell server time from browser
time: a run's ``seconds`` is from sending the rerun to the run's end.

Used by bench/bench_load.py and by the test that a bomb does not stop other sessions.
"""
from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

_EARLY = ForwardMsg.FINISHED_EARLY_FOR_RERUN
_ALERT_ERROR = 1  # Alert.Format.ERROR


@dataclass
class Run:
    """What one script run sent: its elements, when it ended and how."""

    seconds: float = 0.0  # rerun sent -> the last script_finished (after any st.rerun)
    first_map: float | None = None  # rerun sent -> the map component's arguments arrived
    status: int | None = None  # ForwardMsg.ScriptFinishedStatus; None = did not finish
    elements: list[Element] = field(default_factory=list)
    bytes: int = 0

    @property
    def errors(self) -> list[str]:
        """Error boxes and tracebacks the page showed."""
        out = [e.alert.body for e in self.elements if e.WhichOneof("type") == "alert" and e.alert.format == _ALERT_ERROR]
        out += [f"{e.exception.type}: {e.exception.message}" for e in self.elements
                if e.WhichOneof("type") == "exception"]
        return out

    @property
    def ok(self) -> bool:
        return self.status == ForwardMsg.FINISHED_SUCCESSFULLY and not self.errors

    def component(self) -> Element | None:
        """The (last) custom component the run drew: the district map."""
        found = [e for e in self.elements if e.WhichOneof("type") == "component_instance"]
        return found[-1] if found else None


class Session:
    """One browser tab's worth of protocol: open a page, change widgets, read what comes back."""

    def __init__(self, base_url: str, page_name: str = "", query: str = "") -> None:
        self.url = base_url.replace("http://", "ws://", 1) + "/_stcore/stream"
        self.page_name = page_name
        self.query = query
        self.page_hash = ""
        self.widgets: dict[str, Element] = {}  # user key -> the widget's latest element
        self._ws: websockets.ClientConnection | None = None
        self._reader: asyncio.Task | None = None
        self._run: Run | None = None
        self._started = 0.0
        self._done = asyncio.Event()

    async def connect(self) -> Session:
        self._ws = await websockets.connect(self.url, subprotocols=["streamlit"], max_size=None,
                                            open_timeout=30, ping_interval=None)
        self._reader = asyncio.create_task(self._read())
        return self

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()
        if self._reader is not None:
            self._reader.cancel()
            try:
                await self._reader
            except (asyncio.CancelledError, Exception):  # noqa: BLE001 - closing anyway
                pass

    async def __aenter__(self) -> Session:
        return await self.connect()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def _read(self) -> None:
        async for data in self._ws:
            msg = ForwardMsg()
            msg.ParseFromString(data)
            self._take(msg, len(data))
        self._done.set()  # the server closed the socket: any run waiting is over

    def _take(self, msg: ForwardMsg, size: int) -> None:
        kind = msg.WhichOneof("type")
        run = self._run
        if run is not None:
            run.bytes += size
        if kind == "navigation":  # the page this run drew (the main script routes to it)
            self.page_hash = msg.navigation.page_script_hash or self.page_hash
        elif kind == "page_info_changed":
            self.query = msg.page_info_changed.query_string
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            if run is not None:
                run.elements.append(element)
                if element.WhichOneof("type") == "component_instance" and run.first_map is None:
                    run.first_map = time.perf_counter() - self._started
            inner = getattr(element, element.WhichOneof("type") or "", None)
            widget_id = getattr(inner, "id", "")
            if widget_id.startswith("$$ID-"):
                self.widgets[widget_id.split("-", 2)[2]] = element
        elif kind == "script_finished" and run is not None:
            run.status = msg.script_finished
            if msg.script_finished != _EARLY:
                run.seconds = time.perf_counter() - self._started
                self._done.set()

    async def run(self, states: Iterable[WidgetState] = (), timeout: float = 120) -> Run:
        """Ask for a rerun with these widget states; wait for the run to end (or ``timeout``)."""
        back = BackMsg()
        client = back.rerun_script
        client.query_string = self.query
        client.page_name = self.page_name if not self.page_hash else ""
        client.page_script_hash = self.page_hash
        client.widget_states.widgets.extend(states)
        self._run, self._done = Run(), asyncio.Event()
        self._started = time.perf_counter()
        await self._ws.send(back.SerializeToString())
        try:
            await asyncio.wait_for(self._done.wait(), timeout)
        except asyncio.TimeoutError:
            self._run.status = None
            self._run.seconds = time.perf_counter() - self._started
        run, self._run = self._run, None
        return run

    async def open(self, timeout: float = 120) -> Run:
        """The first run of the page, as a browser's first visit asks for it."""
        return await self.run((), timeout)

    def options(self, key: str) -> list[str]:
        """A widget's options as the browser shows them (formatted labels)."""
        element = self.widgets[key]
        return list(getattr(element, element.WhichOneof("type")).options)

    def state(self, key: str, value: str | list[str] | bool | dict) -> WidgetState:
        """The widget state a browser sends when a person sets this widget to ``value`` (labels, as shown;
        a custom component's value as the dict its JavaScript reports)."""
        element = self.widgets[key]
        kind = element.WhichOneof("type")
        state = WidgetState(id=getattr(element, kind).id)
        if kind == "component_instance":
            state.json_value = json.dumps(value)
        elif kind == "checkbox":
            state.bool_value = bool(value)
        elif kind in ("selectbox", "radio"):
            state.string_value = str(value)
        elif kind in ("slider", "multiselect"):  # select_slider is a slider of labels
            state.string_array_value.data.extend([value] if isinstance(value, str) else list(value))
        else:
            raise ValueError(f"cannot set a {kind} widget")
        return state

    async def set(self, key: str, value: str | list[str] | bool | dict, timeout: float = 120) -> Run:
        """Change one widget, as a person would, and wait for the page to be redrawn."""
        return await self.run([self.state(key, value)], timeout)
