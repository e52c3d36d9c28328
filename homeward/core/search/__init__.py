"""Full-text search for every app, behind one interface (FTS5 on SQLite, tsvector + GIN on
PostgreSQL; the SQL is in backend.py).

    from homeward.core import search
    search.register(Topic, document=lambda t: (t.title, t.body))   # in AppConfig.ready
    search.index(obj)       # upsert its document; call inside the writer's transaction
    search.remove(obj)
    search.matching(queryset, "visiting times")   # the rows that match (narrowed=True: few rows)
    search.ranked(queryset, "visiting times", offset=0, limit=20)  # best first, a page
    search.ranked_among(Model, "visiting times", rows_for_keys)  # the same, any permission check
    search.excerpts(objects, "visiting times")    # {pk: safe HTML with <mark>ed words}
    search.highlights(objects, "visiting times")  # {pk: Highlight(title, excerpt)}
    words = search.parse(Model, "visiting times")  # parsed once, for several of the above
    manage.py search_reindex [app_label.Model ...]
    search.register_section(search.Section(...))  # a section of the /search/ page (sections.py)

Results are permission-aware by construction: `matching` only narrows a queryset the caller
already limited to what the reader may see (`Topic.objects.visible_to(user)`). A `document`
returning None means "not searchable now" (deleted, hidden): `index` then removes it. Only
text every reader of the object may see belongs in its document.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import islice
from math import ceil
from typing import Any, TypeVar

from django.db import IntegrityError, models, router, transaction
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from markupsafe import escape

from homeward.core.models import SearchDocument
from homeward.core.search import backend
from homeward.core.search.backend import words
from homeward.core.search.sections import Section, register_section, sections_for

__all__ = [
    "COMMON_MATCHES",
    "Highlight",
    "Query",
    "Registration",
    "Section",
    "excerpts",
    "highlights",
    "index",
    "matching",
    "parse",
    "ranked",
    "ranked_among",
    "register",
    "register_section",
    "registered",
    "reindex",
    "remove",
    "sections_for",
    "words",
]

M = TypeVar("M", bound=models.Model)
Document = tuple[str, str] | None
MAX_TITLE_CHARS = 1_000
MAX_BODY_CHARS = 100_000


# The last word of a search also matches as the start of longer words ("Pentonv" finds
# Pentonville), unless the model was registered with whole_common_words and the words as typed
# already match this many documents. On a large collection, the start of a common word costs
# the engine every matching word's list in full (FTS5 merges them before reading any:
# "visitors centre" was 17 ms as a prefix and under 1 ms whole, for the newest 2,000 matches
# of 1M messages).
COMMON_MATCHES = 50


@dataclass(frozen=True)
class Registration:
    model: type[models.Model]
    document: Callable[[Any], Document]
    # What reindexing reads (e.g. with select_related for the document); default: every row.
    queryset: Callable[[], models.QuerySet[Any]] | None = None
    whole_common_words: bool = False

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    @property
    def kind(self) -> str:
        return _key_kind(self.model)

    def rows(self) -> models.QuerySet[Any]:
        if self.queryset is not None:
            return self.queryset()
        return self.model._default_manager.all()


_registry: dict[str, Registration] = {}


def _key_kind(model: type[models.Model]) -> str:
    pk = model._meta.pk
    if isinstance(pk, models.UUIDField):
        return "uuid"
    if isinstance(pk, models.IntegerField | models.AutoField):
        return "int"
    raise TypeError(f"core.search needs an integer or UUID primary key, not {type(pk).__name__}")


def _label(model: type[models.Model]) -> str:
    return model._meta.concrete_model._meta.label_lower  # type: ignore[union-attr]


def register(
    model: type[M],
    document: Callable[[M], Document],
    *,
    queryset: Callable[[], models.QuerySet[M]] | None = None,
    whole_common_words: bool = False,
) -> None:
    """Say how to make an object's searchable (title, body); call from AppConfig.ready().
    `whole_common_words`: for a large collection, the last word is a prefix only when the
    words as typed are rare (COMMON_MATCHES)."""
    _key_kind(model)
    registration = Registration(model, document, queryset, whole_common_words)
    _registry[_label(model)] = registration


def registered() -> list[Registration]:
    return sorted(_registry.values(), key=lambda r: r.label)


def _registration(model: type[models.Model]) -> Registration:
    try:
        return _registry[_label(model)]
    except KeyError:
        raise LookupError(f"{_label(model)} is not registered with core.search") from None


def _key_filter(registration: Registration, pk: Any) -> dict[str, Any]:
    if registration.kind == "uuid":
        return {"model": registration.label, "object_uuid": pk}
    return {"model": registration.label, "object_int": pk}


def _values(document: tuple[str, str]) -> dict[str, Any]:
    title, body = document
    return {
        "title": backend.clean_text(title or "")[:MAX_TITLE_CHARS],
        "body": backend.clean_text(body or "")[:MAX_BODY_CHARS],
        "updated_at": timezone.now(),
    }


def index(obj: models.Model) -> None:
    """Make the object's document what its `document` says now (or remove it on None)."""
    registration = _registration(type(obj))
    document = registration.document(obj)
    if document is None:
        remove(obj)
        return
    keys = _key_filter(registration, obj.pk)
    values = _values(document)
    if SearchDocument.objects.filter(**keys).update(**values):
        return
    try:
        with transaction.atomic():
            SearchDocument.objects.create(**keys, **values)
    except IntegrityError:  # written by a racing request a moment ago
        SearchDocument.objects.filter(**keys).update(**values)


def remove(obj: models.Model) -> None:
    registration = _registration(type(obj))
    SearchDocument.objects.filter(**_key_filter(registration, obj.pk)).delete()


Query = backend.Query


def parse(model: type[models.Model], text: str) -> Query | None:
    """The words of a person's text as a search of this model takes them (None: no words).
    `matching`, `ranked` and `highlights` take the text and parse it themselves; parse it
    once to give several of them the same Query (for a model registered with
    whole_common_words, deciding costs a query)."""
    using = router.db_for_read(model)
    vendor = transaction.get_connection(using).vendor
    if not _registration(model).whole_common_words:
        return Query.parse(text, vendor)
    whole = Query.parse(text, vendor, prefix=False)
    if whole is None or backend.matches_at_least(whole, COMMON_MATCHES, using):
        return whole
    return Query.parse(text, vendor)


def _query(model: type[models.Model], query: str | Query) -> Query | None:
    return query if isinstance(query, Query) else parse(model, query)


def matching(
    queryset: models.QuerySet[M], query: str | Query, *, narrowed: bool = False
) -> models.QuerySet[M]:
    """The same queryset narrowed to rows whose document has every word of `query` (the last
    also as a prefix, unless COMMON_MATCHES says otherwise); not ordered (best first: `ranked`). Any text is safe to pass; a query
    with no words matches nothing.

    The search drives from the text by default: the engine lists the matching documents and
    the queryset keeps those rows. `narrowed=True` says the queryset is already limited by an
    index to a few rows (say, the services inside a distance box), so each of those rows is
    checked against the text instead: much faster when the words are common."""
    registration = _registration(queryset.model)
    parsed = _query(queryset.model, query)
    if parsed is None:
        return queryset.none()
    label, kind = registration.label, registration.kind
    if narrowed:
        return queryset.filter(backend.RowMatches(parsed, label, kind))
    return queryset.filter(pk__in=backend.matching_ids(parsed, label, kind))


RANK_WINDOW = 20  # at least this many ranked keys checked against the queryset at a time
MAX_RANK_WINDOW = 5_000


def ranked(
    queryset: models.QuerySet[M],
    query: str | Query,
    *,
    offset: int = 0,
    limit: int = 20,
    newest: int | None = None,
    kept_share: float = 0.5,
) -> list[M]:
    """The queryset's rows whose documents match `query`, best first (BM25 on SQLite with
    title words counting five times, ts_rank on PostgreSQL), rows offset..offset+limit.

    The engine ranks the matching documents in one query; the queryset (the reader's
    permissions and filters) then keeps the rows it allows among the best keys, in that
    order, reading further down the ranking when it keeps too few. Two queries for a first
    page, whatever the number of matches.

    `newest=N` ranks the newest N matches first, then the N before those, and so on: for a
    large, growing collection (a forum's messages), where a common word matches a fifth of
    everything and ranking every match takes the engine most of a second. Without it, every
    match is ranked at once (a directory's listings, where newer is not better). A window
    holding every remaining match is ranked as above; a full one (the words are common) puts
    documents with every word in the title first, then those with the words side by side,
    newest first within each (backend.Window says why).

    `kept_share`: about how many of the ranked rows the queryset keeps. Rows are read for a
    page and a half of wanted rows at first when it keeps nearly all (a search with no
    filters), twice as many with the default (filters often keep half or less)."""
    return ranked_among(
        queryset.model,
        query,
        lambda keys: queryset.filter(pk__in=keys),
        offset=offset,
        limit=limit,
        newest=newest,
        kept_share=kept_share,
    )


def ranked_among(
    model: type[M],
    query: str | Query,
    rows: Callable[[list[Any]], Iterable[M]],
    *,
    offset: int = 0,
    limit: int = 20,
    newest: int | None = None,
    kept_share: float = 0.5,
) -> list[M]:
    """As `ranked`, with `rows(keys)` in place of the queryset: the rows the reader may see
    among these keys, in any order (each row's pk is its key). For a caller whose permission
    check is a hand-written query."""
    registration = _registration(model)
    parsed = _query(model, query)
    if parsed is None or limit <= 0:
        return []
    wanted = offset + limit
    using = router.db_for_read(model)
    label, kind = registration.label, registration.kind
    if newest is None:
        everything = partial(_ranked_all, parsed, label, kind, using)
        return _kept(rows, wanted, everything, kept_share)[offset:wanted]
    kept: list[M] = []
    before: int | None = None
    while True:
        window = backend.Window(parsed, label, kind, using, newest=newest, before=before)
        kept = _kept(rows, wanted, window.keys, kept_share, kept)
        before = window.older
        if len(kept) >= wanted or before is None:
            return kept[offset:wanted]


def _ranked_all(
    parsed: backend.Query, label: str, kind: str, using: str, start: int, size: int
) -> tuple[list[Any], bool]:
    keys = backend.ranked_keys(parsed, label, kind, start, size, using)
    return keys, len(keys) == size


def _kept(
    rows_among: Callable[[list[Any]], Iterable[M]],
    wanted: int,
    keys_at: Callable[[int, int], tuple[list[Any], bool]],
    kept_share: float,
    kept: list[M] | None = None,
) -> list[M]:
    """`kept` and then the rows allowed among ranked keys (`rows_among(keys)`), in rank order:
    keys are read a window at a time (`keys_at(start, size)`: the keys among ranked places
    start..start+size and whether more follow; each window four times the last) until
    `wanted` rows are kept in all or the keys run out. Each key read costs a row and its
    related objects, so the first window is sized for the share expected to be kept."""
    kept = [] if kept is None else kept
    position = 0
    first = ceil((wanted - len(kept)) / min(max(kept_share, 0.1), 1.0))
    size = min(max(RANK_WINDOW, first), MAX_RANK_WINDOW)
    while True:
        keys, more = keys_at(position, size)
        if keys:
            rows = {row.pk: row for row in rows_among(keys)}
            kept.extend(rows[key] for key in keys if key in rows)
        if len(kept) >= wanted or not more:
            return kept
        position += size
        size = min(size * 4, MAX_RANK_WINDOW)


@dataclass(frozen=True)
class Highlight:
    """An object's title with the matched words in <mark>, and a short excerpt of its body
    around them; both escaped, so safe to insert into a page."""

    title: SafeString
    excerpt: SafeString


def highlights(
    objects: Sequence[models.Model], query: str | Query, *, words: int = 24
) -> dict[Any, Highlight]:
    """Each object's Highlight (by pk), in one query for the whole list. Objects whose
    document does not match are left out."""
    if not objects:
        return {}
    model = type(objects[0])
    registration = _registration(model)
    parsed = _query(model, query)
    if parsed is None:
        return {}
    rows = backend.excerpt_rows(
        parsed,
        registration.label,
        registration.kind,
        [o.pk for o in objects],
        words,
        router.db_for_read(model),
    )
    return {key: Highlight(_marked(title), _marked(text)) for key, title, text in rows}


def excerpts(
    objects: Sequence[models.Model], query: str | Query, *, words: int = 24
) -> dict[Any, SafeString]:
    """A short plain-text excerpt of each object's body around the words that matched, with
    those words in <mark>; everything else escaped. One query for the whole list."""
    return {key: h.excerpt for key, h in highlights(objects, query, words=words).items()}


def _marked(text: str) -> SafeString:
    """Escape the excerpt, then turn the engine's markers into <mark> (balanced or dropped)."""
    if text.count(backend.MARK_START) != text.count(backend.MARK_END):
        text = backend.clean_text(text)
    # markupsafe's escape, as Jinja2's: three times faster than Django's, forty times a search.
    safe = str(escape(" ".join(text.split())))
    # Safe: everything was escaped above; only our own <mark> tags are added.
    return mark_safe(  # nosec B308 B703
        safe.replace(backend.MARK_START, "<mark>").replace(backend.MARK_END, "</mark>")
    )


def reindex(
    models_to_index: Iterable[type[models.Model]] | None = None,
    *,
    batch_size: int = 500,
    progress: Callable[[str, int], None] | None = None,
) -> dict[str, int]:
    """Rebuild the documents of these models (default: every registered one) from their
    `document`. Returns label → documents written."""
    chosen = (
        registered() if models_to_index is None else [_registration(m) for m in models_to_index]
    )
    written: dict[str, int] = {}
    for registration in chosen:
        with transaction.atomic():
            SearchDocument.objects.filter(model=registration.label).delete()
            count = 0
            rows = registration.rows().iterator(chunk_size=batch_size)
            while chunk := list(islice(rows, batch_size)):
                docs = []
                for obj in chunk:
                    document = registration.document(obj)
                    if document is not None:
                        docs.append(
                            SearchDocument(**_key_filter(registration, obj.pk), **_values(document))
                        )
                SearchDocument.objects.bulk_create(docs)
                count += len(docs)
                if progress is not None:
                    progress(registration.label, count)
        written[registration.label] = count
    if chosen:
        backend.optimize(router.db_for_write(SearchDocument))
    return written


def model_for_label(label: str) -> type[models.Model]:
    """The registered model named "app_label.Model" (any case), for the reindex command."""
    registration = _registry.get(label.lower())
    if registration is None:
        known = ", ".join(r.label for r in registered()) or "none"
        raise LookupError(f"{label} is not registered with core.search (registered: {known})")
    return registration.model
