"""Screenshots of the journalist's pages for the README, from the replica demo archive.

    .venv/bin/python docs/screenshots.py [--out docs/screenshots]

Builds a fresh demo archive in a temporary folder (`pressarchiv demo`, then
`demo --edited` so that there are silent edits), lets the Staatskanzlei repost one demo
release with a new title and a sentence of its own (stored through the archive API, so
that the near-duplicate pages have something to show), serves it on a free loopback port
and photographs the main pages in headless Chromium (Debian's chromium and chromium-driver,
selenium from the test extra). With Pillow installed the PNGs are reduced to 64 colours.
"""

from __future__ import annotations

import argparse
import os
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

WIDTH, HEIGHT = 1100, 860
PAGES = [
    ("suche", "/?q=Integration"),
    ("meldung", "/release/{seed}"),
    ("vergleich", "/release/{seed}/vergleich/{repost}"),
    ("mehrfach", "/mehrfach"),
    ("diff", "/release/{edited}/diff"),
    ("aenderungen", "/aenderungen"),
    ("person", "/person/{person}"),
    ("ministerium", "/ministerium/he-hmaijs-2024"),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def build(folder: Path) -> Path:
    db = folder / "demo.sqlite"
    for extra in ([], ["--edited"]):
        subprocess.run(
            [sys.executable, "-m", "scraper.cli", "demo", "--db", f"sqlite:///{db}", *extra],
            check=True,
            capture_output=True,
        )
    return db


def repost(db: Path) -> None:
    """The Staatskanzlei reposts the Integrationskonferenz release, lightly edited."""
    from storage import Archive

    with sqlite3.connect(db) as conn:
        title, body, published, url = conn.execute(
            "select title, body, published, url from releases "
            "where title like 'Integrationskonferenz%' order by published"
        ).fetchone()
    item = {
        "site": "hessen-staatskanzlei",
        "ministry": "Hessische Staatskanzlei",
        "url": "https://staatskanzlei.hessen.de/presse/" + url.rstrip("/").rsplit("/", 1)[1],
        "published": published,
        "kind": "Pressemitteilung",
        "title": "Landesregierung: " + title,
        "body": "Die Landesregierung teilt mit: " + body,
        "persons": [],
        "flags": [],
    }
    with Archive(f"sqlite:///{db}") as archive:
        archive.store([item])


def ids(db: Path) -> dict[str, str]:
    with sqlite3.connect(db) as conn:
        seed = conn.execute(
            "select id from releases where title like 'Integrationskonferenz%' order by published"
        ).fetchone()[0]
        edited = conn.execute(
            "select r.id from releases r join revisions v on v.release_pk = r.pk "
            "where v.number > 1 order by r.published desc"
        ).fetchone()[0]
        person = conn.execute(
            "select name from release_persons group by name_key order by count(*) desc"
        ).fetchone()[0]
        reposted = conn.execute(
            "select id from releases where site = 'hessen-staatskanzlei' "
            "and title like 'Landesregierung: Integrationskonferenz%'"
        ).fetchone()[0]
    return {
        "seed": seed,
        "edited": edited,
        "person": urllib.request.quote(person, safe=""),
        "repost": reposted,
    }


def serve(db: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    args = ["-m", "scraper.cli", "serve", "--db", f"sqlite:///{db}", "--port", str(port)]
    proc = subprocess.Popen([sys.executable, *args], stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):  # up to a minute on a busy machine
        try:
            urllib.request.urlopen(base + "/-/versions.json", timeout=1)
            return proc, base
        except OSError:
            time.sleep(0.1)
    proc.terminate()
    raise SystemExit("serve did not start")


def browser(profile: Path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--lang=de-DE",
                 "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
                 f"--window-size={WIDTH},{HEIGHT}", f"--user-data-dir={profile}"):  # fmt: skip
        options.add_argument(flag)
    service = Service(
        "/usr/bin/chromedriver", env=os.environ | {"LANGUAGE": "de", "LANG": "de_DE.UTF-8"}
    )
    return webdriver.Chrome(service=service, options=options)


def shrink(path: Path) -> None:
    try:
        from PIL import Image
    except ImportError:
        return
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=64, dither=Image.Dither.NONE)
    small.save(path, optimize=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "screenshots")
    out = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = build(Path(tmp))
        repost(db)
        names = ids(db)
        proc, base = serve(db)
        driver = browser(Path(tmp) / "profile")
        try:
            for name, path in PAGES:
                driver.get(base + path.format(**names))
                target = out / f"{name}.png"
                driver.save_screenshot(str(target))
                shrink(target)
                print(f"{target} {target.stat().st_size // 1024} kB")
        finally:
            driver.quit()
            proc.terminate()
            proc.wait(timeout=10)


if __name__ == "__main__":
    main()
