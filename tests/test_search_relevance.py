"""Relevance: for each query of the set (storage/relevance.toml, releases of our own with
distractors), its release ranks in the top 3, on both backends."""

from test_storage_helpers import any_archive_fixture  # noqa: F401

from storage import relevance


def test_every_query_finds_its_release_in_the_top_3(any_archive):
    any_archive.store(relevance.items())
    results = relevance.evaluate(any_archive)
    missed = [r for r in results if not r["rank"] or r["rank"] > relevance.TOP]
    assert missed == []
    assert relevance.summary(results)["top1"] >= len(results) * 3 // 4


def test_the_set_is_not_trivial():
    """Each query's words also occur in other releases (or only in a ministry's name)."""
    data = relevance.load()
    assert len(data["queries"]) >= 20 and len(data["releases"]) >= 20
    for word in ("kinderbetreuung", "hochwasser", "integration", "digitalisierung"):
        holders = [r for r in relevance.items(data) if word in (r["body"] + r["title"]).lower()]
        assert len(holders) >= 2 or any(word in m.lower() for m in data["ministries"].values())
