"""The SQL behind core.search, one flavour per engine: FTS5 on SQLite, tsvector + GIN on
PostgreSQL (both made by core migration 0002).

User text never reaches SQL as SQL: it is cut into words of letters and digits only, and the
engine's query (an FTS5 expression, a tsquery) is built from those words and passed as a
parameter. Every word must match; the last one also matches as a prefix. The SQL strings below
are built from constants (table and column names) only, hence their `nosec B608/B611` marks."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import BooleanField, Expression, F
from django.db.models.expressions import RawSQL
from django.db.models.sql.compiler import SQLCompiler

# Letters and digits in any script; everything else (quotes, operators, emoji, "_") separates.
_WORD = re.compile(r"[^\W_]+")
MAX_QUERY_CHARS = 500
MAX_WORDS = 8
MAX_WORD_CHARS = 40
# Marks the engines put around matched words in excerpts; never kept in indexed text.
MARK_START = "\x02"
MARK_END = "\x03"
PG_CONFIG = "homeward_search"


def words(query: str) -> list[str]:
    """The words of a person's query that the search uses (at most MAX_WORDS)."""
    found = _WORD.findall(query[:MAX_QUERY_CHARS].casefold())
    return [w[:MAX_WORD_CHARS] for w in found[:MAX_WORDS]]


def clean_text(text: str) -> str:
    return text.replace(MARK_START, " ").replace(MARK_END, " ")


@dataclass(frozen=True)
class Query:
    """A person's query in the form one engine understands (a parameter, never SQL)."""

    vendor: str
    expression: str
    # The words and whether the last is also a prefix, for the query's other forms.
    terms: tuple[str, ...] = ()
    prefix: bool = True

    @classmethod
    def parse(cls, query: str, vendor: str, *, prefix: bool = True) -> Query | None:
        """Every word must match; with `prefix`, the last also as the start of longer words."""
        found = words(query)
        if not found:
            return None
        if vendor not in ("sqlite", "postgresql"):
            raise NotImplementedError(f"core.search has no backend for {vendor}")
        return cls(vendor, _every(found, vendor, prefix), tuple(found), prefix)

    def in_title(self) -> str:
        """Every word in the title."""
        if self.vendor == "sqlite":
            return f"{{title}} : ({self.expression})"
        # The title's words are weighted A in the vector (core migration 0002).
        *whole, last = self.terms
        return " & ".join(
            [*(f"{w}:A" for w in whole), f"{last}:*A" if self.prefix else f"{last}:A"]
        )

    def together(self) -> str | None:
        """The words side by side, as typed (None for a single word)."""
        if len(self.terms) < 2:
            return None
        *whole, last = self.terms
        if self.vendor == "sqlite":
            return f'"{" ".join(self.terms)}"' + ("*" if self.prefix else "")
        return " <-> ".join([*whole, f"{last}:*" if self.prefix else last])


def _every(found: list[str], vendor: str, prefix: bool) -> str:
    *whole, last = found
    if vendor == "sqlite":
        # "word" is a phrase of one word; "word"* a prefix; a space between means AND.
        return " ".join([*(f'"{w}"' for w in whole), f'"{last}"*' if prefix else f'"{last}"'])
    return " & ".join([*whole, f"{last}:*" if prefix else last])


def matches_at_least(query: Query, count: int, using: str) -> bool:
    """Whether `count` documents (of any model) match: the engine stops at that many."""
    if query.vendor == "sqlite":
        sql = "SELECT rowid FROM core_search_fts WHERE core_search_fts MATCH %s LIMIT %s"
    else:
        sql = (
            "SELECT id FROM core_searchdocument"  # noqa: S608  # nosec B608
            f" WHERE vector @@ to_tsquery('{PG_CONFIG}', %s) LIMIT %s"
        )
    with connections[using].cursor() as cursor:
        cursor.execute(sql, [query.expression, count])
        return len(cursor.fetchall()) >= count


def key_column(kind: str) -> str:
    return "object_uuid" if kind == "uuid" else "object_int"


def matching_ids(query: Query, label: str, kind: str) -> RawSQL:
    """SQL for "the keys of this model's documents that match", for a `pk__in` filter."""
    column = key_column(kind)
    if query.vendor == "sqlite":
        sql = (
            # The full-text match drives (CROSS JOIN keeps that order), then one lookup each.
            f"SELECT d.{column} FROM core_search_fts CROSS JOIN core_searchdocument d"  # noqa: S608  # nosec B608
            " ON d.id = core_search_fts.rowid WHERE core_search_fts MATCH %s AND d.model = %s"
        )
    else:
        sql = (
            f"SELECT d.{column} FROM core_searchdocument d WHERE d.model = %s"  # noqa: S608  # nosec B608
            f" AND d.vector @@ to_tsquery('{PG_CONFIG}', %s)"
        )
    params = (query.expression, label) if query.vendor == "sqlite" else (label, query.expression)
    return RawSQL(sql, params)  # noqa: S611  # nosec B611


class RowMatches(Expression):
    """ "This row's document matches", correlated with the row's key: for a queryset an index
    has already narrowed to a few rows (the services in a distance box), where driving from
    the text would first collect every matching document. SQLite lists the matching
    documents' rowids once, then looks each row up by its key; PostgreSQL checks each row's
    vector. Over a large unnarrowed table, `matching_ids` is the faster form."""

    conditional = True

    def __init__(self, query: Query, label: str, kind: str, pk: Any = None) -> None:
        super().__init__(output_field=BooleanField())
        self.query = query
        self.label = label
        self.kind = kind
        self.pk: Any = pk if pk is not None else F("pk")

    def get_source_expressions(self) -> list[Any]:
        return [self.pk]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        (self.pk,) = exprs

    def as_sql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, list[Any]]:
        pk_sql, pk_params = compiler.compile(self.pk)
        column = key_column(self.kind)
        if self.query.vendor == "sqlite":
            match = "d.id IN (SELECT rowid FROM core_search_fts WHERE core_search_fts MATCH %s)"
        else:
            match = f"d.vector @@ to_tsquery('{PG_CONFIG}', %s)"
        sql = (
            f"EXISTS (SELECT 1 FROM core_searchdocument d WHERE d.model = %s"  # noqa: S608  # nosec B608
            f" AND d.{column} = {pk_sql} AND {match})"
        )
        return sql, [self.label, *pk_params, self.query.expression]


def ranked_keys(
    query: Query, label: str, kind: str, offset: int, count: int, using: str
) -> list[Any]:
    """Keys of this model's matching documents, best first (BM25 with title words weighted
    five times on SQLite, ts_rank with the title weighted A on PostgreSQL), rows
    offset..offset+count: one query that ranks inside the engine."""
    column = key_column(kind)
    if query.vendor == "sqlite":
        sql = (
            f"SELECT d.{column} FROM core_search_fts JOIN core_searchdocument d"  # noqa: S608  # nosec B608
            " ON d.id = core_search_fts.rowid WHERE core_search_fts MATCH %s AND d.model = %s"
            " ORDER BY bm25(core_search_fts, 5.0, 1.0), d.id LIMIT %s OFFSET %s"
        )
        params: list[Any] = [query.expression, label, count, offset]
    else:
        sql = (
            f"SELECT d.{column} FROM core_searchdocument d, to_tsquery('{PG_CONFIG}', %s) AS q(q)"  # noqa: S608  # nosec B608
            " WHERE d.model = %s AND d.vector @@ q.q"
            " ORDER BY ts_rank(d.vector, q.q) DESC, d.id LIMIT %s OFFSET %s"
        )
        params = [query.expression, label, count, offset]
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        return [_python_key(k, kind) for (k,) in cursor.fetchall()]


_NO_ROWID = 2**63 - 1  # above every rowid


class Window:
    """The newest `newest` matching documents (of any model) older than document `before`
    (None: the newest of all), ranked among themselves; this model's keys, a slice at a time.

    Ranking costs the engine work for every match it ranks, and BM25 also counts every
    document that holds each word, in the whole collection, before scoring one: 4.5 ms for
    each word in a sixth of a million messages. So a window holding every remaining match
    (the words are not common) is ranked as `ranked_keys` ranks; a full window (there are
    more matches than it holds) is ranked on what the window itself can answer: documents
    with every word in the title first, then those with the words side by side as typed,
    then the rest, the newest first within each. SQLite then reads only as far down each
    list as the slice asked for needs, and looks up the slice's documents only.
    """

    def __init__(
        self, query: Query, label: str, kind: str, using: str, *, newest: int, before: int | None
    ) -> None:
        self.query, self.label, self.kind, self.using = query, label, kind, using
        self.newest, self.before = newest, before
        # Where the next, older window starts (None: no older matches); known after keys().
        self.older: int | None = None
        self._ranked: list[Any] | None = None  # PostgreSQL: every key of this model, best first

    def keys(self, start: int, size: int) -> tuple[list[Any], bool]:
        """This model's keys among the ranked documents start..start+size, best first, and
        whether more follow in this window."""
        if self.query.vendor == "sqlite":
            return self._sqlite(start, size)
        if self._ranked is None:
            self._ranked = self._postgresql_ranked()
        return self._ranked[start : start + size], start + size < len(self._ranked)

    def _sqlite(self, start: int, size: int) -> tuple[list[Any], bool]:
        """One statement, for the slice start..start+size of the window's documents: ranked on
        what the window holds, and, only when it holds every remaining match, by BM25 (that
        part reads an empty range of rowids otherwise, so BM25 never counts a common word's
        documents). Only the slice's documents are looked up."""
        older = " AND rowid < %s" if self.before is not None else ""
        before = [self.before] if self.before is not None else []
        fts = "SELECT rowid FROM core_search_fts WHERE core_search_fts MATCH %s"
        expression, together, reach = self.query.expression, self.query.together(), start + size
        # The window; its size and oldest document.
        parts = [f"w(id) AS ({fts}{older} ORDER BY rowid DESC LIMIT %s)"]
        params: list[Any] = [expression, *before, self.newest]
        parts.append("edge(n, oldest) AS (SELECT count(*), min(id) FROM w)")
        # Its documents with every word in the title (read in rowid order: FTS5 reads a
        # descending range to its very end, whatever its lower bound).
        in_window = f" AND rowid >= (SELECT oldest FROM edge){older}"  # noqa: S608  # nosec B608
        parts.append(f"t(id) AS ({fts}{in_window})")
        params += [self.query.in_title(), *before]
        # The window's newest few (a descending read that stops there; the window's
        # `oldest` bounds it when the window holds fewer).
        looked_at = 4 * reach if together else reach
        parts.append(f"top(id) AS ({fts}{older} ORDER BY rowid DESC LIMIT %s)")
        params += [expression, *before, looked_at]
        newest_few = "(SELECT id FROM top WHERE id >= (SELECT oldest FROM edge))"
        if together:
            # Those with the words side by side, looked for among the window's newest few
            # first: when those and the title's fill every place up to the slice's end, no
            # other document can take one of those places, and only they are ranked.
            parts.append(
                f"near(id) AS ({fts} AND rowid >= (SELECT min(id) FROM {newest_few}){older})"  # noqa: S608  # nosec B608
            )
            params += [together, *before]
            parts.append("few(id) AS (SELECT id FROM t UNION SELECT id FROM near)")
            parts.append("enough(yes) AS (SELECT count(*) >= %s FROM few)")
            params.append(reach)
            score = (
                "CASE WHEN id IN (SELECT id FROM t) THEN 2"  # noqa: S608  # nosec B608
                " WHEN (SELECT yes FROM enough) THEN 1"  # only `few` is ranked
                f" WHEN id IN ({fts}{in_window}) THEN 1 ELSE 0 END"
            )
            params += [together, *before]
        else:
            # One word: the title's, then the window's newest.
            parts.append(f"few(id) AS (SELECT id FROM t UNION SELECT id FROM {newest_few})")  # noqa: S608  # nosec B608
            parts.append("enough(yes) AS (SELECT 1)")
            score = "CASE WHEN id IN (SELECT id FROM t) THEN 2 ELSE 0 END"
        ranked = (
            "SELECT id FROM few WHERE (SELECT yes FROM enough)"
            " UNION ALL SELECT id FROM w WHERE NOT (SELECT yes FROM enough)"
        )
        parts.append(
            f"s(id, score) AS (SELECT id, {score} FROM ({ranked}) ORDER BY 2 DESC, id DESC"  # noqa: S608  # nosec B608
            " LIMIT CASE WHEN (SELECT n FROM edge) = %s THEN %s ELSE 0 END OFFSET %s)"
        )
        params += [self.newest, size, start]
        # Every remaining match with its BM25 score; an empty range of rowids when the
        # window is full, so the engine scans nothing.
        parts.append(
            "b(id, score) AS (SELECT rowid, bm25(core_search_fts, 5.0, 1.0) FROM core_search_fts"  # noqa: S608  # nosec B608
            f" WHERE core_search_fts MATCH %s{older}"
            " AND rowid >= CASE WHEN (SELECT n FROM edge) < %s THEN 0 ELSE %s END"
            " ORDER BY 2, 1 LIMIT %s OFFSET %s)"
        )
        params += [expression, *before, self.newest, _NO_ROWID, size, start]
        column = key_column(self.kind)
        sql = (
            f"WITH {', '.join(parts)}"  # noqa: S608  # nosec B608
            f" SELECT edge.n, edge.oldest, s.id, d.model, d.{column}, s.score FROM edge"
            " LEFT JOIN s ON 1 LEFT JOIN core_searchdocument d ON d.id = s.id"
            f" UNION ALL SELECT NULL, NULL, b.id, d.model, d.{column}, b.score FROM b"
            " JOIN core_searchdocument d ON d.id = b.id"
        )
        with connections[self.using].cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        count, oldest = rows[0][0], rows[0][1]
        full = count == self.newest
        self.older = oldest if full else None
        # Best first (a compound SELECT keeps no order of its parts): the window's own
        # ranking, higher first; BM25, lower first.
        if full:
            mine = sorted((r for r in rows if r[0] is not None and r[3] == self.label),
                          key=lambda r: (-r[5], -r[2]))  # fmt: skip
        else:
            mine = sorted((r for r in rows if r[0] is None and r[3] == self.label),
                          key=lambda r: (r[5], r[2]))  # fmt: skip
        return [_python_key(r[4], self.kind) for r in mine], start + size < count

    def _postgresql_ranked(self) -> list[Any]:
        """One query: the window's documents with both rankings (ts_rank reads only their own
        vectors, so it costs what the window's other ranking costs)."""
        older = " AND d.id < %s" if self.before is not None else ""
        together = self.query.together()
        window = (
            f"SELECT d.id, d.model, d.{key_column(self.kind)} AS key, d.vector"  # noqa: S608  # nosec B608
            f" FROM core_searchdocument d WHERE d.vector @@ to_tsquery('{PG_CONFIG}', %s){older}"
            " ORDER BY d.id DESC LIMIT %s"
        )
        beside = f" WHEN m.vector @@ to_tsquery('{PG_CONFIG}', %s) THEN 1" if together else ""
        sql = (
            f"SELECT m.id, m.model, m.key, ts_rank(m.vector, to_tsquery('{PG_CONFIG}', %s)),"  # noqa: S608  # nosec B608
            f" CASE WHEN m.vector @@ to_tsquery('{PG_CONFIG}', %s) THEN 2{beside} ELSE 0 END"
            f" FROM ({window}) m"
        )
        params: list[Any] = [self.query.expression, self.query.in_title()]
        if together:
            params.append(together)
        params.append(self.query.expression)
        if self.before is not None:
            params.append(self.before)
        params.append(self.newest)
        with connections[self.using].cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        full = len(rows) == self.newest
        self.older = min(row[0] for row in rows) if full else None
        mine = [row for row in rows if row[1] == self.label]
        if full:
            mine.sort(key=lambda row: (-row[4], -row[0]))
        else:
            mine.sort(key=lambda row: (-row[3], row[0]))  # ts_rank: higher is better
        return [_python_key(row[2], self.kind) for row in mine]


def optimize(using: str) -> None:
    """Merge the index's segments after a bulk rebuild (SQLite FTS5; PostgreSQL's GIN index
    needs nothing)."""
    connection = connections[using]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO core_search_fts(core_search_fts) VALUES ('optimize')")


def excerpt_rows(
    query: Query, label: str, kind: str, keys: list[Any], words: int, using: str
) -> list[tuple[Any, str, str]]:
    """(key, title, excerpt of the body) for each key whose document matches, with
    MARK_START/MARK_END around the matched words: one query."""
    if not keys:
        return []
    column = key_column(kind)
    connection = connections[using]
    placeholders = ", ".join(["%s"] * len(keys))
    db_keys = [_db_key(k, kind, connection) for k in keys]
    if query.vendor == "sqlite":
        # FTS5 evaluates a MATCH afresh for each rowid in an IN list, and a prefix word ("cen*")
        # merges every matching term's list each time: 190 ms for 21 rows of a word in a fifth
        # of a million messages. Bounding the rowids instead evaluates it once, over the range
        # the documents span (results of one search sit close together): 9 ms.
        chosen = f"FROM core_searchdocument WHERE model = %s AND {column} IN ({placeholders})"
        sql = (
            f"SELECT d.{column}, highlight(core_search_fts, 0, %s, %s),"  # noqa: S608  # nosec B608
            " snippet(core_search_fts, 1, %s, %s, '…', %s)"
            " FROM core_search_fts JOIN core_searchdocument d ON d.id = core_search_fts.rowid"
            f" WHERE core_search_fts MATCH %s AND core_search_fts.rowid >= (SELECT min(id) {chosen})"
            f" AND core_search_fts.rowid <= (SELECT max(id) {chosen})"
            f" AND d.model = %s AND d.{column} IN ({placeholders})"
        )
        params = [
            *(MARK_START, MARK_END) * 2, max(1, min(words, 64)), query.expression,
            *(label, *db_keys) * 3,
        ]  # fmt: skip
    else:
        marks = f'StartSel="{MARK_START}", StopSel="{MARK_END}"'
        whole = f"{marks}, HighlightAll=true"
        options = (
            f"{marks}, MaxWords={max(3, words)}, MinWords={max(2, words // 2)}, ShortWord=2,"
            ' MaxFragments=1, FragmentDelimiter=" … "'
        )
        sql = (
            f"SELECT d.{column}, ts_headline('{PG_CONFIG}', d.title, q.q, %s),"  # noqa: S608  # nosec B608
            f" ts_headline('{PG_CONFIG}', d.body, q.q, %s)"
            f" FROM core_searchdocument d, to_tsquery('{PG_CONFIG}', %s) AS q(q)"
            f" WHERE d.model = %s AND d.{column} IN ({placeholders}) AND d.vector @@ q.q"
        )
        params = [whole, options, query.expression, label, *db_keys]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [
            (_python_key(k, kind), title or "", text or "") for k, title, text in cursor.fetchall()
        ]


def _db_key(key: Any, kind: str, connection: BaseDatabaseWrapper) -> Any:
    if kind == "uuid":
        from django.db.models import UUIDField

        return UUIDField().get_db_prep_value(key, connection)
    return int(key)


def _python_key(value: Any, kind: str) -> Any:
    if kind == "uuid":
        import uuid

        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    return int(value)
