"""Word-level differences between two revisions of a release (difflib on words)."""

from __future__ import annotations

from difflib import SequenceMatcher

from storage.records import PUBLIC_FIELDS

CONTEXT = 6


def _text(value) -> str:
    if isinstance(value, list):  # persons
        return "; ".join(f"{p['name']} ({p.get('role') or ''})" for p in value)
    return "" if value is None else str(value)


def word_diff(old: str, new: str, context: int = CONTEXT) -> str:
    """``old`` -> ``new`` as words with ``[-removed-]`` and ``{+added+}``, far context cut."""
    a, b = old.split(), new.split()
    out: list[str] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            same = a[i1:i2]
            if len(same) > 2 * context:
                head = same[:context] if out else []
                tail = same[-context:] if i2 < len(a) else []
                same = head + ["…"] + tail
            out.extend(same)
            continue
        if i2 > i1:
            out.append("[-" + " ".join(a[i1:i2]) + "-]")
        if j2 > j1:
            out.append("{+" + " ".join(b[j1:j2]) + "+}")
    return " ".join(out)


def field_diffs(old: dict, new: dict) -> dict[str, str]:
    """Word diffs of the public fields that differ between two revisions' fields."""
    return {
        name: word_diff(_text(old.get(name)), _text(new.get(name)))
        for name in PUBLIC_FIELDS
        if old.get(name) != new.get(name)
    }
