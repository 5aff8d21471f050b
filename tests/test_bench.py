"""The normaliser benchmark: its metric and its command on a small gold folder."""

from __future__ import annotations

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
