"""Merge a TOML fragment into manifest text key by key, keeping the steward's layout and comments.

A suggested join rule (``check --json``'s ``toml``) is a fragment such as
``[spending]\\npad = 5``; accepting it must change that one key of the manifest and
nothing else, so the merge works on the text rather than re-serialising parsed TOML
(which would drop comments and reorder keys).
"""
from __future__ import annotations

import re

_HEADER = re.compile(r"\[([^\[\]]+)\]")


def merge_toml(text: str, fragment: str) -> str:
    """A manifest with a TOML fragment merged key by key: each key replaces or joins its section.

    Sections of the fragment are plain ``[name]`` headers (comments ignored); a
    key already in that section of the manifest is replaced in place; a section the
    manifest lacks is added at the end, where no later table can claim its keys.
    """
    section, out = None, text.splitlines()
    for line in fragment.splitlines():
        line = line.split("  #", 1)[0].rstrip()
        if not line or line.startswith("#"):
            continue
        header = _HEADER.fullmatch(line)
        if header:
            section = header.group(1).strip()
            continue
        key = line.split("=", 1)[0].strip()
        start = next((i for i, old in enumerate(out) if old.strip() == f"[{section}]"), None)
        if start is None:
            out += ["", f"[{section}]"]
            start = len(out) - 1
        end = next((i for i in range(start + 1, len(out)) if out[i].lstrip().startswith("[")), len(out))
        same = [i for i in range(start + 1, end) if out[i].split("=", 1)[0].strip() == key]
        if same:
            out[same[0]] = line
        else:
            out.insert(start + 1, line)
    return "\n".join(out) + "\n"
