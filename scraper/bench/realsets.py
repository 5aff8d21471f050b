"""The normaliser on the real-material dev sets (``realpages``, ``realtexts``), in process.

Each dev set is read from the folder given at run time and scored with that folder's own
``score.py`` (loaded from there, so the figures are the scorer's): nothing of the sets is
part of the project. On the pages, trafilatura (body, title) and htmldate (date) run on the
same bytes in the same process with the settings of the scorer's ``--peer-python`` run.
Speed is pages per CPU second (``time.process_time``), one pass, first calls included.
"""

from __future__ import annotations

import importlib.util
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from scraper.normalise import normalise_html, normalise_text


class DevSetError(ValueError):
    """The folder is not a dev set this benchmark can read."""


def load_scorer(folder: Path, marker: str) -> ModuleType:
    """The dev set's own ``score.py``, loaded from ``folder`` (which must hold ``marker``)."""
    script = folder / "score.py"
    if not (folder / marker).exists() or not script.is_file():
        raise DevSetError(f"{folder} is not a dev set folder (needs {marker} and score.py)")
    spec = importlib.util.spec_from_file_location(f"devset_{folder.name}_score", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass
class PageTool:
    """One tool's figures on the realpages set."""

    name: str
    body_prf: tuple[float, float, float] | None = None
    title: tuple[int, int] | None = None
    date: tuple[int, int] | None = None
    cpu_seconds: float = 0.0

    def pages_per_second(self, pages: int) -> float | None:
        return pages / self.cpu_seconds if self.cpu_seconds > 0 else None


@dataclass
class PagesResult:
    """pressarchiv beside trafilatura/htmldate on the realpages set."""

    pages: int
    body_pages: int
    tools: dict[str, PageTool] = field(default_factory=dict)
    extract_seconds: float = 0.0  # trafilatura's extract alone


def _timed(function, *args):
    start = time.process_time()
    try:
        value = function(*args)
    except Exception:  # a peer library failing on one page costs it that page
        value = None
    return value, time.process_time() - start


def _score(scorer, pages, bodies, titles, dates, name: str, seconds: float) -> PageTool:
    figures = scorer.evaluate(pages, bodies, titles, dates, {})
    title_ok, _, title_n = figures["title"]
    return PageTool(name, tuple(figures["prfa"][:3]), (title_ok, title_n), figures["date"], seconds)


def run_realpages(folder: str | Path, limit: int | None = None, peer: bool = True) -> PagesResult:
    """Score pressarchiv (and trafilatura/htmldate) on the realpages set in ``folder``."""
    folder = Path(folder)
    scorer = load_scorer(folder, "index.jsonl")
    pages = scorer.load_index(str(folder / "index.jsonl"))[:limit]
    data = {p["id"]: Path(p["path"]).read_bytes() for p in pages}
    result = PagesResult(len(pages), sum(1 for p in pages if p["with"] or p["without"]))
    bodies, titles, dates, spent = {}, {}, {}, 0.0
    for page in pages:
        record, seconds = _timed(normalise_html, data[page["id"]])
        spent += seconds
        got = record.to_dict() if record is not None else {}
        bodies[page["id"]] = scorer.body_text(got, ["subtitle", "body"])
        titles[page["id"]], dates[page["id"]] = got.get("title"), got.get("published")
    result.tools["pressarchiv"] = _score(scorer, pages, bodies, titles, dates, "pressarchiv", spent)
    if peer:
        result.tools["trafilatura"], result.extract_seconds = _peer(scorer, pages, data)
    return result


def _peer(scorer, pages: list[dict], data: dict[str, bytes]) -> tuple[PageTool, float]:
    """trafilatura's extract and metadata title, htmldate's find_date (extensive search, with
    htmldate's own dateparser setup), as the scorer's ``--peer-python`` run calls them."""
    import trafilatura
    from htmldate import extractors, find_date
    from trafilatura.metadata import extract_metadata
    from trafilatura.utils import load_html

    from scraper.normalise.readers import dates_htmldate

    def title_of(raw: bytes):
        tree = load_html(raw)
        return extract_metadata(tree, extensive=False).title if tree is not None else None

    ours = extractors.get_external_parser
    extractors.get_external_parser = dates_htmldate.HTMLDATE_PARSER
    try:
        bodies, titles, dates, spent, extract_spent = {}, {}, {}, 0.0, 0.0
        for page in pages:
            raw = data[page["id"]]
            bodies[page["id"]], seconds = _timed(
                lambda raw=raw: trafilatura.extract(
                    raw, include_comments=False, include_tables=True
                )
            )
            extract_spent += seconds
            titles[page["id"]], title_seconds = _timed(title_of, raw)
            dates[page["id"]], date_seconds = _timed(
                lambda raw=raw: find_date(raw, original_date=True, extensive_search=True)
            )
            spent += seconds + title_seconds + date_seconds
    finally:
        extractors.get_external_parser = ours
    tool = _score(scorer, pages, bodies, titles, dates, "trafilatura/htmldate", spent)
    return tool, extract_spent


@dataclass
class TextsResult:
    """pressarchiv on the realtexts set: checks passed, per field and per case."""

    passed: int = 0
    total: int = 0
    cases: int = 0
    perfect: int = 0
    by_field: dict[str, list[int]] = field(default_factory=dict)
    failed_cases: list[str] = field(default_factory=list)


def run_realtexts(folder: str | Path) -> TextsResult:
    """Score pressarchiv on the realtexts set in ``folder`` with its own checks."""
    folder = Path(folder)
    scorer = load_scorer(folder, "README.md")
    result = TextsResult(by_field={name: [0, 0] for name in scorer.SUMMARY_FIELDS})
    for gold_path in sorted(folder.glob("case_*.gold.json")):
        text_path = gold_path.with_name(gold_path.name.removesuffix(".gold.json") + ".txt")
        if not text_path.is_file():
            continue
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        got = normalise_text(text_path.read_bytes()).to_dict()
        checks = scorer.checks_of(gold)
        passed = 0
        for _label, key, expected in checks:
            ok = scorer.evaluate(got, key, expected)[0]
            counts = result.by_field.get(scorer.field_of(key))
            if counts is not None:
                counts[0] += ok
                counts[1] += 1
            passed += ok
        result.cases += 1
        result.passed += passed
        result.total += len(checks)
        if passed == len(checks):
            result.perfect += 1
        else:
            result.failed_cases.append(text_path.stem)
    if not result.cases:
        raise DevSetError(f"no case_NN.txt with case_NN.gold.json in {folder}")
    return result


def _share(hits: int, total: int) -> str:
    return f"{hits}/{total} ({hits / total:.1%})" if total else "-"


def report_pages(result: PagesResult) -> str:
    """The realpages figures as a plain-text table."""
    lines = [f"realpages: {result.pages} pages ({result.body_pages} with body strings)", ""]
    lines.append(f"{'':26}" + "".join(f"{t.name:>24}" for t in result.tools.values()))
    tools = list(result.tools.values())
    rows = [
        ("body P/R/F1", ["/".join(f"{x:.3f}" for x in t.body_prf) for t in tools]),
        ("title exact", [_share(*t.title) for t in tools]),
        ("date exact", [_share(*t.date) for t in tools]),
        ("pages per CPU second", [f"{t.pages_per_second(result.pages) or 0:.1f}" for t in tools]),
    ]
    lines += [f"{label:26}" + "".join(f"{v:>24}" for v in values) for label, values in rows]
    ours = result.tools["pressarchiv"]
    peer = result.tools.get("trafilatura")
    if peer is not None:
        extract_rate = result.pages / result.extract_seconds if result.extract_seconds else 0.0
        our_rate = ours.pages_per_second(result.pages) or 0.0
        lines += [
            f"trafilatura extract alone: {extract_rate:.1f} pages per CPU second",
            f"speed ratio pressarchiv / trafilatura extract: {our_rate / extract_rate:.2f}x"
            if extract_rate
            else "speed ratio: -",
            f"body F1 difference pressarchiv - trafilatura: "
            f"{ours.body_prf[2] - peer.body_prf[2]:+.3f}",
        ]
    return "\n".join(lines)


def report_texts(result: TextsResult) -> str:
    """The realtexts figures as plain text."""
    fields = ", ".join(f"{name} {_share(*counts)}" for name, counts in result.by_field.items())
    lines = [
        f"realtexts: {result.cases} texts, {_share(result.passed, result.total)} checks passed, "
        f"{result.perfect}/{result.cases} texts fully right",
        f"  by field: {fields}",
    ]
    if result.failed_cases:
        lines.append(f"  not fully right: {', '.join(result.failed_cases)}")
    return "\n".join(lines)


def to_json(pages: PagesResult | None, texts: TextsResult | None) -> dict:
    """Both results as a JSON-ready dict (None for a set not run)."""
    out: dict = {}
    if pages is not None:
        out["realpages"] = {
            "pages": pages.pages,
            "extract_pages_per_second": (
                pages.pages / pages.extract_seconds if pages.extract_seconds else None
            ),
            "tools": {
                name: {
                    "body_prf": tool.body_prf,
                    "title": tool.title,
                    "date": tool.date,
                    "pages_per_second": tool.pages_per_second(pages.pages),
                }
                for name, tool in pages.tools.items()
            },
        }
    if texts is not None:
        out["realtexts"] = {
            "cases": texts.cases,
            "perfect": texts.perfect,
            "checks": [texts.passed, texts.total],
            "by_field": texts.by_field,
        }
    return out
