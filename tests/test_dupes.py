"""The same release everywhere: near-duplicates found at store time, kept in clusters."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from test_storage_helpers import TEST_DB, backend_fixture, drop_pg_schema, new_archive_url, pg_url

from storage import Archive
from storage.clusters import (
    DupeBand,
    ReleaseCluster,
    bands,
    same_release,
    shingles,
    signature,
    similarity,
)
from storage.models import Release

T0 = datetime(2025, 3, 4, 10, 0, tzinfo=UTC)

TRAIN = (
    "Das Land Hessen fördert den Ausbau der Regionalbahn zwischen Gießen und Fulda mit "
    "45 Millionen Euro. Bis 2028 sollen zwei Bahnhöfe barrierefrei umgebaut und ein "
    "drittes Gleis in Lauterbach gebaut werden. „Wer auf dem Land wohnt, braucht eine "
    "verlässliche Bahn“, sagte Verkehrsminister Jonas Keller bei der Übergabe des "
    "Förderbescheids. Die Bauarbeiten beginnen im Herbst, Ersatzbusse fahren während der "
    "Sperrpausen im Stundentakt."
)
TRAIN_REPOST = (
    "Wiesbaden. Die Landesregierung fördert den Ausbau der Regionalbahn zwischen Gießen und "
    "Fulda mit 45 Millionen Euro. Bis 2028 sollen zwei Bahnhöfe barrierefrei umgebaut und "
    "ein drittes Gleis in Lauterbach gebaut werden. „Wer auf dem Land wohnt, braucht eine "
    "verlässliche Bahn“, sagte Verkehrsminister Jonas Keller bei der Übergabe des "
    "Förderbescheids. Die Bauarbeiten beginnen im Herbst, Ersatzbusse fahren während der "
    "Sperrpausen im Stundentakt. Weitere Informationen gibt der Verkehrsverbund."
)
TRAIN_OTHER = (
    "Die Regionalbahn zwischen Gießen und Fulda ist nach zwei Jahren Bauzeit wieder "
    "durchgehend befahrbar. Verkehrsminister Jonas Keller eröffnete am Montag den neuen "
    "barrierefreien Bahnhof in Lauterbach. Das dritte Gleis erlaubt künftig einen "
    "Halbstundentakt in der Hauptverkehrszeit. „Das ist ein guter Tag für Oberhessen“, "
    "sagte Keller. Die Kosten blieben mit 47 Millionen Euro leicht über der Planung."
)
FOREST = (
    "Nach dem trockenen Sommer hat Forst Hessen mit der Aufforstung von 1.200 Hektar "
    "Schadflächen begonnen. Gepflanzt werden vor allem Eichen, Douglasien und Esskastanien, "
    "die mit Hitze besser zurechtkommen. Waldbesitzende können bis Ende März Zuschüsse für "
    "klimastabile Mischwälder beantragen; das Land stellt dafür 12 Millionen Euro bereit."
)


def item(site: str, slug: str, title: str, body: str, published="2025-03-04", **extra) -> dict:
    return {
        "site": site,
        "ministry": extra.pop("ministry", site),
        "url": f"https://{site}.example.de/presse/{slug}",
        "fetched_at": extra.pop("fetched_at", T0),
        "kind": "Pressemitteilung",
        "published": published,
        "title": title,
        "body": body,
        "persons": [],
        "flags": [],
        **extra,
    }


@pytest.fixture(params=["postgresql"] if TEST_DB else ["sqlite", "postgresql"])
@backend_fixture
def archive(request, tmp_path):
    """An archive on each backend (PostgreSQL: a schema of its own, dropped after; only
    PostgreSQL in the PostgreSQL pass)."""
    url = f"sqlite:///{tmp_path / 'dupes.sqlite'}"
    if request.param == "postgresql":
        url = pg_url()
        request.addfinalizer(lambda: drop_pg_schema(url))
    with Archive(url) as archive:
        yield archive


def ids(archive: Archive) -> dict[str, str]:
    return {row["url"].rsplit("/", 1)[1]: row["id"] for row in archive.releases()}


def also(archive: Archive, release_id: str) -> list[str]:
    return [m["id"] for m in archive.show(release_id)["also_published_as"]]


def test_a_repost_by_another_issuer_is_found_at_store_time(archive):
    archive.store([item("verkehr", "bahn", "Land fördert Regionalbahn", TRAIN)])
    archive.store(
        [
            item("staatskanzlei", "bahn-stk", "45 Millionen für die Regionalbahn", TRAIN_REPOST),
            item("verkehr", "bahn-fertig", "Regionalbahn wieder frei", TRAIN_OTHER),
            item("umwelt", "wald", "Aufforstung beginnt", FOREST),
        ]
    )
    known = ids(archive)
    first, repost = known["bahn"], known["bahn-stk"]
    assert also(archive, first) == [repost]
    assert also(archive, repost) == [first]
    shown = archive.show(repost)
    assert shown["cluster"] == first == archive.show(first)["cluster"]  # the oldest member
    assert 0.7 < shown["also_published_as"][0]["similarity"] < 1
    assert also(archive, known["bahn-fertig"]) == []  # same topic, another release
    assert archive.show(known["bahn-fertig"])["cluster"] == known["bahn-fertig"]
    assert also(archive, known["wald"]) == []
    assert [len(c["members"]) for c in archive.dupes()] == [2]


def test_a_batch_finds_duplicates_among_its_own_items(archive):
    archive.store(
        [
            item("verkehr", "bahn", "Land fördert Regionalbahn", TRAIN),
            item("staatskanzlei", "bahn-stk", "Regionalbahn", TRAIN_REPOST),
        ]
    )
    known = ids(archive)
    assert also(archive, known["bahn"]) == [known["bahn-stk"]]


def test_an_edit_that_rewrites_the_text_leaves_the_cluster(archive):
    archive.store(
        [
            item("verkehr", "bahn", "Land fördert Regionalbahn", TRAIN),
            item("staatskanzlei", "bahn-stk", "Regionalbahn", TRAIN_REPOST),
            item(
                "presseamt", "bahn-pa", "Regionalbahn", TRAIN + " Rückfragen an die Pressestelle."
            ),
        ]
    )
    known = ids(archive)
    assert sorted(also(archive, known["bahn"])) == sorted([known["bahn-stk"], known["bahn-pa"]])
    later = T0.replace(day=9)
    counts = archive.store(
        [item("verkehr", "bahn", "Land fördert Regionalbahn", FOREST, fetched_at=later)]
    )
    assert counts.changed == 1
    assert also(archive, known["bahn"]) == []
    assert archive.show(known["bahn"])["cluster"] == known["bahn"]
    # the two others stay together; their cluster is now named after the older of them
    assert also(archive, known["bahn-stk"]) == [known["bahn-pa"]]
    assert archive.show(known["bahn-pa"])["cluster"] == known["bahn-stk"]


def test_a_release_joining_two_clusters_merges_them(archive):
    """A round-up quoting two releases in full joins both (and so links them)."""
    archive.store([item("a", "eins", "Bahn", TRAIN), item("b", "zwei", "Wald", FOREST)])
    known = ids(archive)
    assert also(archive, known["eins"]) == []
    archive.store([item("c", "drei", "Bahn und Wald", TRAIN + " " + FOREST)])
    known = ids(archive)
    members = {known["eins"], known["zwei"], known["drei"]}
    for release_id in members:
        assert set(also(archive, release_id)) == members - {release_id}
        assert archive.show(release_id)["cluster"] == known["eins"]


def test_short_texts_are_not_called_duplicates(archive):
    archive.store(
        [
            item("a", "eins", "Termin", "Der Minister besucht am Montag Kassel."),
            item("b", "zwei", "Termin", "Der Minister besucht am Montag Kassel."),
        ]
    )
    known = ids(archive)
    assert also(archive, known["eins"]) == []


def test_stored_bands_are_those_of_title_and_body_with_or_without_attachments(archive):
    pdf = {
        "url": "https://bund.example.de/presse/wald.pdf",
        "fetched_at": T0,
        "content_type": "application/pdf",
        "sha256": "a" * 64,
        "size": 1000,
        "warc": None,
        "pages": 1,
        "text": "Anlage: Förderrichtlinie Mischwald, Antragsformular und Fristen 2025",
    }
    archive.store(
        [
            item("hessen", "bahn", "Mehr Geld für die Regionalbahn", TRAIN),
            item("bund", "wald", "Aufforstung nach dem Dürresommer", FOREST, attachments=[pdf]),
        ]
    )
    with Session(archive.engine) as session:
        for release in session.scalars(select(Release)):
            stored = set(
                session.scalars(select(DupeBand.band).where(DupeBand.release_pk == release.pk))
            )
            assert stored == set(bands(signature(shingles(release.title, release.body))))


def test_rebuild_finds_what_the_store_found(archive):
    archive.store(
        [
            item("verkehr", "bahn", "Land fördert Regionalbahn", TRAIN),
            item("staatskanzlei", "bahn-stk", "Regionalbahn", TRAIN_REPOST),
            item("verkehr", "bahn-fertig", "Regionalbahn wieder frei", TRAIN_OTHER),
        ]
    )
    before = archive.dupes()
    assert archive.rebuild_dupes() == 3
    assert archive.dupes() == before


def test_verification_rule():
    train, repost = shingles("t", TRAIN), shingles("t", TRAIN_REPOST)
    assert same_release(*similarity(train, repost))
    assert not same_release(*similarity(train, shingles("t", TRAIN_OTHER)))
    longer = shingles("t", TRAIN + " " + FOREST)  # a repost with a long paragraph added
    assert same_release(*similarity(train, longer))
    assert similarity(set(), train) == (0.0, 0.0)


@pytest.mark.backends
def test_at_archive_size_only_the_planted_reposts_cluster(request, tmp_path):
    """3,000 synthetic releases (bulk-loaded, then indexed by the rebuild) and 40 reposts
    of some of them stored as a crawl stores them: exactly those 40 pairs cluster."""
    from storage.synthetic import populate

    with Archive(new_archive_url(request, tmp_path, "gross.sqlite")) as archive:
        populate(archive.engine, 3000)
        assert archive.rebuild_dupes() == 3000
        assert archive.dupes() == []
        with Session(archive.engine) as session:
            originals = session.scalars(select(Release).where(Release.pk % 75 == 0)).all()
        reposts = []
        for n, release in enumerate(originals):
            sentences = release.body.split(". ")
            body = ". ".join(sentences[1:]) + " Quelle: Hessische Staatskanzlei."
            published = release.published.isoformat()
            reposts.append(item("hessen-staatskanzlei", f"r-{n}", release.title, body, published))
        archive.store(reposts[:20])
        archive.store(reposts[20:])
        found = archive.dupes(limit=1000)
        assert len(found) == len(originals) == 40
        expected = {release.id for release in originals}
        assert {c["cluster"] for c in found} == expected
        assert all(len(c["members"]) == 2 for c in found)
        with Session(archive.engine) as session:
            assert session.scalar(select(ReleaseCluster.release_pk).limit(1)) is not None
            bands = session.scalars(select(DupeBand.release_pk).distinct()).all()
            assert len(bands) == 3040


def test_exports_carry_the_cluster(archive, tmp_path):
    import csv

    from exports import write
    from exports.rows import export_rows

    archive.store(
        [
            item("verkehr", "bahn", "Land fördert Regionalbahn", TRAIN),
            item("staatskanzlei", "bahn-stk", "Regionalbahn", TRAIN_REPOST),
            item("umwelt", "wald", "Aufforstung beginnt", FOREST),
        ]
    )
    known = ids(archive)
    out = tmp_path / "export.csv"
    write(export_rows(archive), "csv", out)
    with out.open(encoding="utf-8", newline="") as handle:
        cluster = {row["id"]: row["cluster"] for row in csv.DictReader(handle)}
    assert cluster == {
        known["bahn"]: known["bahn"],
        known["bahn-stk"]: known["bahn"],
        known["wald"]: known["wald"],
    }


@pytest.mark.sqlite_only(
    "bench dupes scores the labelled set in a SQLite file of its own; clusters on "
    "PostgreSQL: the other tests here"
)
def test_bench_on_the_labelled_set(tmp_path):
    """``pressarchiv bench dupes`` stores the labelled texts as a crawl would and scores
    every pair; the shipped set is separated (reposts grouped, same-topic releases not)."""
    from click.testing import CliRunner

    from scraper.bench.dupes import LabelledSetError, load_labelled, quality
    from scraper.cli import main

    texts = load_labelled()
    assert len({t["story"] for t in texts}) < len(texts) < 100
    measured = quality(texts)
    assert measured.same >= 15 and measured.hard_negatives >= 30
    assert measured.precision >= 0.9 and measured.recall >= 0.9
    result = CliRunner().invoke(main, ["bench", "dupes", "--releases", "0"])
    assert result.exit_code == 0, result.output
    assert "precision" in result.output and "<- used" in result.output
    broken = tmp_path / "broken.toml"
    broken.write_text(
        '[[text]]\nid = "a"\nstory = "a"\ntopic = "t"\ntitle = "T"\nbody = "Ein Text."\n'
        '[[text]]\nid = "b"\nstory = "a"\ntopic = "t"\nfrom = "a"\nreplace = [["fehlt", "x"]]\n',
        encoding="utf-8",
    )
    with pytest.raises(LabelledSetError, match="'fehlt' is not in a"):
        load_labelled(broken)
    result = CliRunner().invoke(main, ["bench", "dupes", "--releases", "0", "--pairs", str(broken)])
    assert result.exit_code == 1 and result.output.startswith("Error: b: 'fehlt' is not in a")


def test_cli_search_shows_a_text_once_and_says_where_else(archive, tmp_path):
    import json

    from click.testing import CliRunner

    from scraper.cli import main

    archive.store(
        [
            item("verkehr", "bahn", "Land fördert Regionalbahn", TRAIN),
            item("staatskanzlei", "bahn-stk", "45 Millionen für die Regionalbahn", TRAIN_REPOST),
            item("verkehr", "bahn-fertig", "Regionalbahn wieder frei", TRAIN_OTHER),
        ]
    )
    known = ids(archive)
    db = str(archive.engine.url)
    runner = CliRunner()
    once = runner.invoke(main, ["search", "Regionalbahn", "--db", db, "--format", "json"])
    assert once.exit_code == 0, once.output
    found = json.loads(once.output)
    assert found["total"] == 2 and found["folded"] == 1
    by_id = {hit["id"]: hit["also_published_as"] for hit in found["hits"]}
    assert by_id[known["bahn-fertig"]] == []
    (copy,) = set(by_id) - {known["bahn-fertig"]}
    assert by_id[copy] == [({known["bahn"], known["bahn-stk"]} - {copy}).pop()]
    table = runner.invoke(main, ["search", "Regionalbahn", "--db", db])
    assert "also published as " in table.output
    every = runner.invoke(
        main, ["search", "Regionalbahn", "--db", db, "--all-copies", "--format", "json"]
    )
    assert {hit["id"] for hit in json.loads(every.output)["hits"]} == set(known.values())
