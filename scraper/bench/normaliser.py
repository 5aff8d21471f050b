"""The normaliser on the gold set, side by side with trafilatura (body) and htmldate (date).

A gold item is a saved page (``.html``) or plain text (``.txt``) with the expected record
beside it (same stem, ``.json``: ``{"url", "flags", "fields": {...}}``). Field accuracy is
exact equality per field; body quality is bag-of-words token F1 against the expected body;
speed is pages per CPU second over the HTML items, best of ``repeat`` interleaved passes.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from scraper.normalise import FIELDS, normalise_html, normalise_text

_TOKEN = re.compile(r"\w+")


@dataclass
class GoldItem:
    """One gold input and what must be read from it."""

    path: Path
    data: bytes
    url: str | None
    fields: dict

    @property
    def is_html(self) -> bool:
        return self.path.suffix == ".html"


@dataclass
class ToolResult:
    """What one tool achieved: body F1 and date hits per page, and its speed."""

    name: str
    body_f1: list[float] = field(default_factory=list)
    date_hits: list[bool] = field(default_factory=list)
    title_hits: list[bool] = field(default_factory=list)
    pages_per_second: float | None = None

    @property
    def mean_f1(self) -> float | None:
        return sum(self.body_f1) / len(self.body_f1) if self.body_f1 else None

    @property
    def date_accuracy(self) -> float | None:
        return sum(self.date_hits) / len(self.date_hits) if self.date_hits else None

    @property
    def title_accuracy(self) -> float | None:
        return sum(self.title_hits) / len(self.title_hits) if self.title_hits else None


@dataclass
class BenchResult:
    """Per-field accuracy of pressarchiv plus the side-by-side tool results."""

    items: int
    pages: int
    field_hits: dict[str, int]
    failures: list[tuple[str, str]]
    tools: dict[str, ToolResult]


def load_gold(gold_dir: str | Path) -> list[GoldItem]:
    """Every ``.html`` / ``.txt`` under ``gold_dir`` that has an expected ``.json`` beside it."""
    items = []
    for path in sorted(Path(gold_dir).rglob("*")):
        expected = path.with_suffix(".json")
        if path.suffix in (".html", ".txt") and expected.exists():
            data = json.loads(expected.read_text(encoding="utf-8"))
            items.append(GoldItem(path, path.read_bytes(), data.get("url"), data["fields"]))
    return items


def tokens(text: str | None) -> Counter:
    """Lower-cased word tokens of a text, as a multiset."""
    return Counter(_TOKEN.findall((text or "").lower()))


def token_f1(got: str | None, expected: str | None) -> float:
    """Bag-of-words F1 of ``got`` against ``expected`` (1.0 when both are empty)."""
    want, have = tokens(expected), tokens(got)
    if not want and not have:
        return 1.0
    common = sum((want & have).values())
    if not common:
        return 0.0
    precision, recall = common / sum(have.values()), common / sum(want.values())
    return 2 * precision * recall / (precision + recall)


def _normalise(item: GoldItem):
    if item.is_html:
        return normalise_html(item.data, url=item.url)
    return normalise_text(item.data.decode("utf-8"))


def _generic(items: list[GoldItem]) -> ToolResult:
    """The pages read as if their site had no profile yet: the generic fallback's quality."""
    result = ToolResult("generic")
    for item in items:
        got = normalise_html(item.data, url=item.url, profiles={}).fields()
        result.body_f1.append(token_f1(got["body"], item.fields.get("body")))
        result.date_hits.append(got["published"] == item.fields.get("published"))
        result.title_hits.append(got["title"] == item.fields.get("title"))
    return result


def _pages_per_second(functions: dict, pages: list[GoldItem], repeat: int) -> dict[str, float]:
    """Pages per CPU second for each function: passes interleaved round by round (so that
    a busy machine slows every tool alike), the best pass of each kept."""
    for function in functions.values():  # warm caches (compiled selectors, imports)
        for item in pages:
            function(item)
    best = dict.fromkeys(functions, float("inf"))
    for _ in range(max(1, repeat)):
        for name, function in functions.items():
            start = time.process_time()
            for item in pages:
                function(item)
            best[name] = min(best[name], time.process_time() - start)
    return {name: len(pages) / spent if spent > 0 else float("inf") for name, spent in best.items()}


def _trafilatura():
    try:
        import trafilatura
    except ImportError:
        return None
    return lambda item: trafilatura.extract(item.data, url=item.url)


def _htmldate():
    try:
        from htmldate import find_date
    except ImportError:
        return None
    return lambda item: find_date(item.data, url=item.url, original_date=True)


def run(gold_dir: str | Path, repeat: int = 5) -> BenchResult:
    """Run pressarchiv, trafilatura and htmldate over the gold set."""
    items = load_gold(gold_dir)
    pages = [item for item in items if item.is_html]
    field_hits = dict.fromkeys(FIELDS, 0)
    failures: list[tuple[str, str]] = []
    ours = ToolResult("pressarchiv")
    for item in items:
        got = _normalise(item).fields()
        for name in FIELDS:
            if got[name] == item.fields.get(name):
                field_hits[name] += 1
            else:
                failures.append((str(item.path), name))
        if item.is_html:
            ours.body_f1.append(token_f1(got["body"], item.fields.get("body")))
            ours.date_hits.append(got["published"] == item.fields.get("published"))
            ours.title_hits.append(got["title"] == item.fields.get("title"))
    tools = {"pressarchiv": ours}
    functions = {"pressarchiv": _normalise}
    extract, find_date = _trafilatura(), _htmldate()
    if extract and pages:
        result = tools["trafilatura"] = ToolResult("trafilatura")
        for item in pages:
            result.body_f1.append(token_f1(extract(item), item.fields.get("body")))
        functions["trafilatura"] = extract
    if find_date and pages:
        result = tools["htmldate"] = ToolResult("htmldate")
        for item in pages:
            result.date_hits.append(find_date(item) == item.fields.get("published"))
        functions["htmldate"] = find_date
    if pages:
        for name, speed in _pages_per_second(functions, pages, repeat).items():
            tools[name].pages_per_second = speed
        tools["generic"] = _generic(pages)
    return BenchResult(len(items), len(pages), field_hits, failures, tools)


def _cell(value, fmt: str) -> str:
    return "-" if value is None else format(value, fmt)


def report(result: BenchResult) -> str:
    """The benchmark as a plain-text table."""
    texts = result.items - result.pages
    lines = [f"gold set: {result.items} items ({result.pages} pages, {texts} texts)", ""]
    lines.append("pressarchiv field accuracy (all items)")
    for name, hits in result.field_hits.items():
        share = hits / result.items if result.items else 0.0
        lines.append(f"  {name:<10} {hits:>4}/{result.items:<4} {share:7.1%}")
    names = list(result.tools)
    lines += ["", f"{'on the HTML pages':<24}" + "".join(f"{n:>14}" for n in names)]
    rows = [
        ("title accuracy", [_cell(t.title_accuracy, ".1%") for t in result.tools.values()]),
        ("body token F1", [_cell(t.mean_f1, ".4f") for t in result.tools.values()]),
        ("date accuracy", [_cell(t.date_accuracy, ".1%") for t in result.tools.values()]),
        ("pages per CPU second", [_cell(t.pages_per_second, ".1f") for t in result.tools.values()]),
    ]
    lines += [f"{label:<24}" + "".join(f"{v:>14}" for v in values) for label, values in rows]
    ours = result.tools["pressarchiv"]
    for name, tool in result.tools.items():
        if name != "pressarchiv" and tool.pages_per_second and ours.pages_per_second:
            ratio = ours.pages_per_second / tool.pages_per_second
            lines.append(f"speed ratio pressarchiv / {name}: {ratio:.1f}x")
    traf = result.tools.get("trafilatura")
    if traf and traf.mean_f1 is not None and ours.mean_f1 is not None:
        lines.append(
            f"body F1 difference pressarchiv - trafilatura: {ours.mean_f1 - traf.mean_f1:+.4f}"
        )
    lines.append("generic: pressarchiv with no site profile (how it reads a site it does not know)")
    if result.failures:
        lines += ["", "field mismatches:"] + [f"  {path}: {name}" for path, name in result.failures]
    return "\n".join(lines)


def to_json(result: BenchResult) -> dict:
    """The benchmark as a JSON-ready dict."""
    return {
        "items": result.items,
        "pages": result.pages,
        "field_accuracy": {
            name: hits / result.items if result.items else None
            for name, hits in result.field_hits.items()
        },
        "tools": {
            name: {
                "body_f1": tool.mean_f1,
                "date_accuracy": tool.date_accuracy,
                "title_accuracy": tool.title_accuracy,
                "pages_per_second": tool.pages_per_second,
            }
            for name, tool in result.tools.items()
        },
        "failures": [{"path": path, "field": name} for path, name in result.failures],
    }
