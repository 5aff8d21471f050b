import pytest

from storage import canonical_url

BASE = "https://soziales.hessen.de/presse/integrationskonferenz"


@pytest.mark.parametrize(
    "variant",
    [
        BASE,
        "https://SOZIALES.Hessen.DE/presse/integrationskonferenz",
        "HTTPS://www.soziales.hessen.de/presse/integrationskonferenz",
        "http://soziales.hessen.de/presse/integrationskonferenz",
        "https://soziales.hessen.de:443/presse/integrationskonferenz/",
        "https://soziales.hessen.de/presse/integrationskonferenz#kontakt",
        "https://soziales.hessen.de/presse/integrationskonferenz?utm_source=x&utm_medium=y",
        "https://soziales.hessen.de/presse/integrationskonferenz?fbclid=1&gclid=2&mc_cid=3",
        "  https://soziales.hessen.de/presse/integrationskonferenz?_hsenc=a&mc_eid=b  ",
    ],
)
def test_variants_share_one_canonical_url(variant):
    assert canonical_url(variant) == BASE


def test_remaining_query_parameters_are_sorted_and_kept():
    url = "https://innen.hessen.de/presse?page=2&b=&a=1&utm_campaign=z"
    assert canonical_url(url) == "https://innen.hessen.de/presse?a=1&b=&page=2"


def test_root_keeps_its_slash():
    assert canonical_url("https://www.hessen.de") == "https://hessen.de/"
    assert canonical_url("https://hessen.de/") == "https://hessen.de/"


def test_loopback_keeps_http_and_port():
    url = "http://127.0.0.1:8123/soziales.hessen.de/presse/a/"
    assert canonical_url(url) == "http://127.0.0.1:8123/soziales.hessen.de/presse/a"
    assert canonical_url("http://localhost/x").startswith("http://localhost/")


def test_other_ports_and_paths_stay_distinct():
    assert canonical_url("https://hessen.de:8443/a") == "https://hessen.de:8443/a"
    assert canonical_url("https://hessen.de/a") != canonical_url("https://hessen.de/A")
