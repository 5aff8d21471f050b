"""``pressarchiv bench startup``: every command beside its references, with ratios."""

import pytest
from click.testing import CliRunner
from test_storage_helpers import item

from scraper.cli.bench import bench
from storage import Archive


@pytest.mark.sqlite_only("bench startup times commands beside sqlite3 on the same archive file")
def test_bench_startup_reports_commands_beside_references(tmp_path):
    url = f"sqlite:///{tmp_path / 'small.sqlite'}"
    with Archive(url) as archive:
        archive.store([item(n) for n in range(1, 4)])
    result = CliRunner().invoke(bench, ["startup", "--db", url, "--runs", "1"])
    assert result.exit_code == 0, result.output
    assert "archive of 3 releases; load average" in result.output
    rows = {line.split("  ")[0].strip(): line for line in result.output.splitlines()[3:]}
    assert set(rows) >= {"python -c pass", "pressarchiv --help", "pressarchiv stats"}
    assert "pressarchiv search Integration" in rows
    assert rows["python -c pass"].split()[5] == "1.0"  # the wall ratio of the reference itself
    assert rows["pressarchiv search Integration"].rstrip().endswith(("< 0.5 s met", "MISSED"))


def test_bench_startup_refuses_a_missing_archive(tmp_path):
    url = f"sqlite:///{tmp_path / 'none.sqlite'}"
    result = CliRunner().invoke(bench, ["startup", "--db", url])
    assert result.exit_code == 1 and "no archive at" in result.output
