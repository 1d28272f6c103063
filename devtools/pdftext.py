"""The text of a PDF that matplotlib wrote, for tests: one line per text object, decoded through ToUnicode.

matplotlib embeds TrueType text (``pdf.fonttype`` 42) as glyph codes of a
subset font with a ToUnicode map, in zlib-compressed content streams. This
reads exactly that much of the PDF format (objects, Flate streams, the font
resources, ``Tf``/``Tj``/``TJ``) with the standard library, so a test can check
that a name is on the page as text, not drawn as outlines. Not a general PDF
reader.
"""
from __future__ import annotations

import re
import zlib

_OBJECT = re.compile(rb"(\d+) 0 obj\s*(.*?)endobj", re.S)
_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)
_TOKEN = re.compile(rb"\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]*>|\[|\]|/[^\s/\[\]()<>]+|[-+.\d]+|[A-Za-z*'\"]+", re.S)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _objects(pdf: bytes) -> dict[int, bytes]:
    return {int(n): body for n, body in _OBJECT.findall(pdf)}


def _stream(body: bytes) -> bytes:
    found = _STREAM.search(body)
    if not found:
        return b""
    data = found.group(1)
    return zlib.decompress(data) if b"/FlateDecode" in body[:found.start()] else data


def _literal(token: bytes) -> bytes:
    out, i, inner = bytearray(), 0, token[1:-1]
    while i < len(inner):
        ch = inner[i:i + 1]
        if ch == b"\\":
            nxt = inner[i + 1:i + 2]
            octal = re.match(rb"[0-7]{1,3}", inner[i + 1:i + 4])
            if octal:
                out.append(int(octal.group(0), 8))
                i += 1 + len(octal.group(0))
                continue
            out += _ESCAPES.get(nxt, nxt)
            i += 2
            continue
        out += ch
        i += 1
    return bytes(out)


def _cmap(data: bytes) -> dict[int, str]:
    """Glyph code -> text, from a ToUnicode CMap's bfchar and bfrange entries."""
    out: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            out[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for lo, hi, rest in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(\[[^\]]*\]|<[0-9A-Fa-f]+>)", block):
            lo_i, hi_i = int(lo, 16), int(hi, 16)
            if rest.startswith(b"["):
                for k, dst in enumerate(re.findall(rb"<([0-9A-Fa-f]+)>", rest)):
                    out[lo_i + k] = bytes.fromhex(dst.decode()).decode("utf-16-be")
            else:
                start = int(rest[1:-1], 16)
                for k in range(hi_i - lo_i + 1):
                    out[lo_i + k] = chr(start + k)
    return out


def _fonts(objects: dict[int, bytes]) -> dict[bytes, tuple[int, dict[int, str]]]:
    """Font resource name -> (bytes per code, code -> text)."""
    fonts: dict[bytes, tuple[int, dict[int, str]]] = {}
    for body in objects.values():
        for name, ref in re.findall(rb"/(F\d+) (\d+) 0 R", body):
            font = objects.get(int(ref), b"")
            uni = re.search(rb"/ToUnicode (\d+) 0 R", font)
            cmap = _cmap(_stream(objects[int(uni.group(1))])) if uni else {}
            fonts[name] = (2 if b"/Type0" in font else 1, cmap)
    return fonts


def _decode(raw: bytes, font: tuple[int, dict[int, str]]) -> str:
    width, cmap = font
    if not cmap:
        return raw.decode("latin-1")
    codes = [int.from_bytes(raw[i:i + width], "big") for i in range(0, len(raw), width)]
    return "".join(cmap.get(c, "\ufffd") for c in codes)


def pdf_text(pdf: bytes) -> str:
    """Every text object's text, one per line, in the order drawn (page after page)."""
    objects = _objects(pdf)
    fonts = _fonts(objects)
    lines: list[str] = []
    for body in objects.values():
        if b"/Length" not in body or b"/Subtype" in body[:200] or b"BT" not in (data := _stream(body)):
            continue
        font, current, stack = (1, {}), [], []
        for token in _TOKEN.findall(data):
            if token.startswith(b"/"):
                stack.append(("name", token[1:]))
            elif token == b"Tf":
                names = [v for k, v in stack if k == "name"]
                font = fonts.get(names[-1], (1, {})) if names else font
                stack.clear()
            elif token.startswith(b"("):
                stack.append(("text", _literal(token)))
            elif token.startswith(b"<"):
                stack.append(("text", bytes.fromhex(token[1:-1].decode())))
            elif token in (b"Tj", b"TJ"):
                current.append("".join(_decode(v, font) for k, v in stack if k == "text"))
                stack.clear()
            elif token == b"ET":
                lines.append("".join(current))
                current, stack = [], []
            elif token in (b"[", b"]"):
                continue
            elif re.fullmatch(rb"[A-Za-z*'\"]+", token):
                stack.clear()  # any other operator
            else:
                stack.append(("number", token))  # a kern or an operand, never text
    return "\n".join(lines)
