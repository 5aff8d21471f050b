from storage import Archive
from storage.benchmark import percentiles, query_sets, timed
from storage.synthetic import RARE_WORDS, populate, releases


def test_synthetic_releases_are_deterministic_and_realistic():
    first = list(releases(40, seed=3))
    assert first == list(releases(40, seed=3)) and first != list(releases(40, seed=4))
    lengths = sorted(len(fields["body"]) for _, fields in first)
    assert lengths[0] >= 900 and lengths[-1] <= 12000 and 1500 < lengths[20] < 6000
    assert len({site for site, _ in first}) == 6
    assert any("ä" in f["body"] or "ü" in f["body"] or "ß" in f["body"] for _, f in first)


def test_populate_fills_a_searchable_archive(db_url):
    with Archive(db_url) as archive:
        assert populate(archive.engine, 250, chunk=100) == 250
        assert archive.count() == 250
        rows = list(archive.releases())
        assert len({r["id"] for r in rows}) == 250 and rows[0]["revisions"] == 1
        planted = [w for w in RARE_WORDS if any(w in r["body"] for r in rows)]
        assert planted and archive.search(planted[0])
        assert archive.persons() and archive.stats()["releases"] == 250
        populate(archive.engine, 10)
        assert archive.count() == 260


def test_query_sets_and_percentiles():
    bodies = [fields["body"] for _, fields in releases(8)]
    sets = query_sets(bodies)
    assert {name: len(q) for name, q in sets.items()} == {"rare": 8, "common": 8, "phrase": 8}
    for phrase, body in zip(sets["phrase"], bodies, strict=True):
        assert phrase.startswith('"') and phrase.endswith('"')
        assert phrase.strip('"').split()[0] in body
    cuts = percentiles([float(n) for n in range(1, 101)])
    assert cuts == {"p50": 50.5, "p95": 95.05, "p99": 99.01}
    wall, cpu = timed(len, ["ab", "c"])
    assert len(wall) == len(cpu) == 2 and all(w >= 0 for w in wall)
