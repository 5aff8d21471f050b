"""The addresses of the journalist's pages (Datasette ``register_routes``)."""

from scraper.web import copies, feeds, views

RELEASE = r"/release/(?P<id>[0-9A-Za-z_-]{1,64})"
ROUTES = [
    (r"^/$", views.search_page),
    (rf"^{RELEASE}$", views.release_page),
    (rf"^{RELEASE}\.(?P<format>json)$", views.release_page),
    (rf"^{RELEASE}/fassung/(?P<number>\d{{1,6}})$", views.version_page),
    (rf"^{RELEASE}/diff$", views.diff_page),
    (rf"^{RELEASE}/vergleich/(?P<other>[0-9A-Za-z_-]{{1,64}})$", views.compare_page),
    (rf"^{RELEASE}/kopie/(?P<number>\d{{1,6}})$", copies.copy_page),
    (rf"^{RELEASE}/kopie/(?P<number>\d{{1,6}})/roh$", copies.copy_raw),
    (rf"^{RELEASE}/anhang/(?P<pk>\d{{1,12}})$", copies.attachment),
    (r"^/aenderungen$", views.edits_page),
    (r"^/mehrfach$", views.copies_page),
    (r"^/personen$", views.people_page),
    (r"^/person/(?P<name>[^/]+)$", views.person_page),
    (r"^/ministerien$", views.ministries_page),
    (r"^/ministerium/(?P<id>[a-z0-9-]{1,100})$", views.ministry_page),
    (r"^/feeds/neu\.atom$", feeds.new_releases),
    (r"^/feeds/aenderungen\.atom$", feeds.edits),
]
