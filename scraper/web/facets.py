"""Facets Datasette lacks: releases by month of publication and by person named."""

from __future__ import annotations

import json

from datasette.database import QueryInterrupted
from datasette.facets import Facet
from datasette.utils import escape_sqlite, path_with_added_args, path_with_removed_args


class GroupFacet(Facet):
    """Counts per value of ``value_sql``; choosing a value adds the filter ``toggle_arg``."""

    def value_sql(self, column: str) -> str:
        """``select value, count ... from ({inner})``, grouped, best first."""
        raise NotImplementedError

    def toggle_arg(self, column: str, value: str) -> tuple[str, str]:
        """The query-string pair that keeps only the rows with ``value``."""
        raise NotImplementedError

    def merge(self, rows: list) -> list[tuple[str, str, int]]:
        """``(value, label, count)`` per facet value (by default one per row)."""
        return [(value, value, count) for value, count in rows]

    async def facet_results(self):
        results, timed_out = [], []
        pairs = self.get_querystring_pairs()
        size = self.get_facet_size()
        for source_config in self.get_configs():
            config = source_config["config"]
            column = config.get("column") or config["simple"]
            sql = self.value_sql(column).replace("{inner}", self.sql) + f" limit {size + 1}"
            try:
                rows = await self.ds.execute(
                    self.database,
                    sql,
                    self.params,
                    truncate=False,
                    custom_time_limit=self.ds.setting("facet_time_limit_ms"),
                )
            except QueryInterrupted:
                timed_out.append(column)
                continue
            values = []
            merged = self.merge(rows.rows)
            for value, label, count in merged[:size]:
                arg = self.toggle_arg(column, value)
                selected = arg in pairs
                toggle = path_with_removed_args if selected else path_with_added_args
                path = self.ds.urls.path(toggle(self.request, dict([arg])))
                values.append(
                    {
                        "value": value,
                        "label": label,
                        "count": count,
                        "toggle_url": self.ds.absolute_url(self.request, path),
                        "selected": selected,
                    }
                )
            hide = path_with_removed_args(self.request, {f"_facet_{self.type}": column})
            results.append(
                {
                    "name": column,
                    "type": self.type,
                    "hideable": source_config["source"] != "metadata",
                    "toggle_url": self.ds.urls.path(hide),
                    "results": values,
                    "truncated": len(merged) > size,
                }
            )
        return results, timed_out


class MonthFacet(GroupFacet):
    """``{"month": "published"}``: releases per ``YYYY-MM`` of a date column, newest first."""

    type = "month"

    def value_sql(self, column: str) -> str:
        month = f"substr({escape_sqlite(column)}, 1, 7)"
        return (
            f"select {month} as value, count(*) as count from ({{inner}}) "
            f"where {escape_sqlite(column)} is not null group by value order by value desc"
        )

    def toggle_arg(self, column: str, value: str) -> tuple[str, str]:
        return f"{column}__startswith", value


class PersonFacet(GroupFacet):
    """``{"person": "persons"}``: releases per person, most frequent first.

    Counts the names of ``release_persons``, the table form of the releases' ``persons``.
    """

    type = "person"

    def value_sql(self, column: str) -> str:
        return (
            "select p.name as value, count(distinct p.release_pk) as count "
            "from ({inner}) as r join release_persons as p on p.release_pk = r.pk "
            "group by p.name order by count desc, value"
        )

    def toggle_arg(self, column: str, value: str) -> tuple[str, str]:
        through = {"table": "release_persons", "column": "name", "value": value}
        return "_through", json.dumps(through, ensure_ascii=False)


class MinistryFacet(GroupFacet):
    """``{"ministry": "ministry_id"}``: releases per ministry across its names.

    Counts per authority entry (over the ``ministry_id`` index), merged into lineages
    (``scraper.ministries``); choosing one keeps the releases of all its names.
    """

    type = "ministry"

    def value_sql(self, column: str) -> str:
        col = escape_sqlite(column)
        return (
            f"select {col} as value, count(*) as count from ({{inner}}) "
            f"where {col} is not null group by {col}"
        )

    def merge(self, rows: list) -> list[tuple[str, str, int]]:
        from scraper.ministries import load_authority

        known = load_authority()
        counts: dict[str, int] = {}
        for entry_id, count in rows:
            if entry_id in known.entries:
                lineage = known.lineage_id(entry_id)
                counts[lineage] = counts.get(lineage, 0) + count
        return sorted(
            ((lid, known.entries[lid].name, n) for lid, n in counts.items()),
            key=lambda row: (-row[2], row[1]),
        )

    def toggle_arg(self, column: str, value: str) -> tuple[str, str]:
        from scraper.ministries import load_authority

        ids = ",".join(e.id for e in load_authority().lineage(value))
        return f"{column}__in", ids
