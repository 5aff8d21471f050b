"""The normaliser benchmark: its metric and its command on a small gold folder."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from click.testing import CliRunner
from conftest import FILES

from scraper.bench.normaliser import token_f1
from scraper.cli.bench import bench


def test_token_f1():
    assert token_f1("Das Land fördert", "das land fördert") == 1.0
    assert token_f1("", "") == 1.0
    assert token_f1("anderes", "das land") == 0.0
    assert token_f1("das land fördert viel", "das land") == pytest.approx(2 * 0.5 / 1.5)


def test_bench_command_prints_side_by_side(tmp_path):
    pytest.importorskip("trafilatura")
    for name in ("integrationskonferenz-in-wetzlar.html", "integrationskonferenz-in-wetzlar.json"):
        shutil.copy(FILES / "hessen" / name, tmp_path / name)
    result = CliRunner().invoke(bench, ["normalise", "--gold", str(tmp_path), "--repeat", "1"])
    assert result.exit_code == 0, result.output
    assert "pressarchiv" in result.output and "trafilatura" in result.output
    assert "pages per CPU second" in result.output and "title" in result.output


def test_bench_command_without_gold_set(tmp_path):
    result = CliRunner().invoke(bench, ["normalise", "--gold", str(tmp_path / "none")])
    assert result.exit_code != 0 and "gold set not found" in result.output


# A dev-set folder is read at run time with the scorer it carries; these two are small
# stand-ins of our own with the same interface as the realpages / realtexts scorers.
PAGES_SCORER = """
import json, os
HERE = os.path.dirname(os.path.abspath(__file__))

def load_index(path):
    pages = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    for page in pages:
        page["path"] = os.path.join(HERE, page["file"])
    return pages

def body_text(obj, fields):
    return "\\n".join(obj.get(f) or "" for f in fields)

def evaluate(pages, bodies, titles, dates, errors):
    tp = sum(w in bodies[p["id"]] for p in pages for w in p["with"])
    fp = sum(w in bodies[p["id"]] for p in pages for w in p["without"])
    fn = sum(len(p["with"]) for p in pages) - tp
    title = sum(titles[p["id"]] == p["title"] for p in pages)
    date = sum(dates[p["id"]] == p["published"] for p in pages)
    f1 = 2 * tp / (2 * tp + fp + fn)
    return {"prfa": (tp / (tp + fp), tp / (tp + fn), f1, 0.0), "title": (title, title, len(pages)),
            "date": (date, len(pages))}
"""
TEXTS_SCORER = """
SUMMARY_FIELDS = ("title", "published")

def checks_of(gold):
    return [(key, key, value) for key, value in gold.items()]

def field_of(key):
    return key

def evaluate(result, key, expected):
    return result.get(key) == expected, result.get(key)
"""
PAGE = """<html lang="de"><head><title>Neue Radwege im Kreis | Kreisblatt</title></head>
<body><nav><a href="/">Start</a> <a href="/politik">Politik</a></nav><article>
<h1>Neue Radwege im Kreis</h1><p>Veröffentlicht am 12.03.2024</p>
<p>Der Kreistag hat am Dienstag beschlossen, in den kommenden zwei Jahren vierzig Kilometer
neue Radwege zwischen den Ortsteilen zu bauen. Die Kosten teilen sich Land und Kreis.</p>
<p>Die ersten Abschnitte sollen noch in diesem Sommer fertig werden, sagte der Landrat.</p>
</article><footer>Impressum Datenschutz Kontakt</footer></body></html>"""


def _realpages(folder):
    (folder / "pages").mkdir(parents=True)
    (folder / "pages" / "0001.html").write_text(PAGE, encoding="utf-8")
    gold = {"id": "0001", "file": "pages/0001.html", "title": "Neue Radwege im Kreis",
            "published": "2024-03-12", "with": ["vierzig Kilometer"],
            "without": ["Datenschutz"]}  # fmt: skip
    (folder / "index.jsonl").write_text(json.dumps(gold) + "\n", encoding="utf-8")
    (folder / "score.py").write_text(PAGES_SCORER, encoding="utf-8")
    return folder


def _realtexts(folder):
    folder.mkdir()
    (folder / "README.md").write_text("texts\n", encoding="utf-8")
    (folder / "score.py").write_text(TEXTS_SCORER, encoding="utf-8")
    text = ("Pressemitteilung\n\nBonn, 4. Juni 2019\n\nSchulen erhalten neue Tablets\n\n"
            "Alle Grundschulen der Stadt erhalten bis zum Herbst neue Tablets für den "
            "Unterricht.\n")  # fmt: skip
    (folder / "case_01.txt").write_text(text, encoding="utf-8")
    gold = {"title": "Schulen erhalten neue Tablets", "published": "2019-06-04"}
    (folder / "case_01.gold.json").write_text(json.dumps(gold), encoding="utf-8")
    (folder / "case_02.txt").write_text(text.replace("4. Juni", "5. Juni"), encoding="utf-8")
    (folder / "case_02.gold.json").write_text(json.dumps(gold), encoding="utf-8")
    return folder


def test_bench_scores_the_dev_sets_with_their_own_scorers(tmp_path):
    gold = tmp_path / "gold"
    gold.mkdir()
    for name in ("integrationskonferenz-in-wetzlar.html", "integrationskonferenz-in-wetzlar.json"):
        shutil.copy(FILES / "hessen" / name, gold / name)
    pages, texts = _realpages(tmp_path / "realpages"), _realtexts(tmp_path / "realtexts")
    args = ["normalise", "--gold", str(gold), "--repeat", "1", "--realpages", str(pages),
            "--realtexts", str(texts)]  # fmt: skip
    result = CliRunner().invoke(bench, args)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "realpages: 1 pages" in out and "trafilatura/htmldate" in out
    assert re.search(r"title exact +1/1 \(100.0%\)", out), out
    assert re.search(r"date exact +1/1 \(100.0%\)", out), out
    assert "speed ratio pressarchiv / trafilatura extract" in out
    assert "realtexts: 2 texts, 3/4 (75.0%) checks passed, 1/2 texts fully right" in out
    assert "published 1/2 (50.0%)" in out and "not fully right: case_02" in out
    figures = json.loads(CliRunner().invoke(bench, [*args, "--json"]).output)
    assert figures["realpages"]["tools"]["pressarchiv"]["date"] == [1, 1]
    assert figures["realtexts"]["checks"] == [3, 4]


def test_bench_rejects_a_folder_that_is_no_dev_set(tmp_path):
    args = ["normalise", "--gold", str(FILES / "hessen"), "--realpages", str(tmp_path)]
    result = CliRunner().invoke(bench, args)
    assert result.exit_code == 1
    assert "is not a dev set folder (needs index.jsonl and score.py)" in result.output
