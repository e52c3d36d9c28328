"""core.search on the engine the suite runs on (SQLite FTS5, or PostgreSQL tsvector + GIN).

Two stand-in models: Organisation (integer key) and django-tasks' DBTaskResult (UUID key),
registered for the length of each test only."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import QuerySet
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from homeward.accounts.models import Organisation
from homeward.core import search
from homeward.core.models import SearchDocument


@pytest.fixture
def registry(db: None) -> Iterator[None]:
    saved = dict(search._registry)
    search.register(Organisation, document=lambda o: (o.name, o.website))
    search.register(
        DBTaskResult, document=lambda t: ("", t.task_path) if t.traceback == "" else None
    )
    yield
    search._registry.clear()
    search._registry.update(saved)


def org(name: str, body: str = "", slug: str | None = None) -> Organisation:
    # `website` carries the body text in these tests (it is just a text column here).
    o = Organisation.objects.create(
        name=name, slug=slug or name.lower().replace(" ", "-")[:60], website=body
    )
    search.index(o)
    return o


def task(text: str, hidden: bool = False) -> DBTaskResult:
    t = DBTaskResult.objects.create(
        args_kwargs={},
        task_path=text,
        backend_name="default",
        run_after=timezone.now(),
        exception_class_path="",
        traceback="hidden" if hidden else "",
    )
    search.index(t)
    return t


def names(qs: QuerySet[Organisation]) -> set[str]:
    return {o.name for o in qs}


@pytest.fixture
def orgs(registry: None) -> dict[str, Organisation]:
    return {
        "visits": org(
            "Visiting help", "Help with visiting times and travel costs to the visits hall"
        ),
        "children": org("Talking to children", "How to explain a sentence to young children"),
        "cafe": org("Family café", "Tea and a chat after the visit"),
        "money": org("Money worries", "Benefits, debts and the cost of travel"),
    }


def test_every_word_must_match(orgs):
    found = search.matching(Organisation.objects.all(), "travel hall")
    assert names(found) == {"Visiting help"}


def test_words_are_stemmed(orgs):
    assert names(search.matching(Organisation.objects.all(), "explaining sentences")) == {
        "Talking to children"
    }


def test_last_word_matches_as_a_prefix(orgs):
    assert names(search.matching(Organisation.objects.all(), "young chil")) == {
        "Talking to children"
    }
    # Only the last word: a prefix in the middle must be a whole word.
    assert not search.matching(Organisation.objects.all(), "chil young").exists()


@pytest.fixture
def large_collection(registry: None) -> None:
    # As a forum's messages are registered: the start of a common word is not looked up.
    search.register(Organisation, document=lambda o: (o.name, o.website), whole_common_words=True)


def test_common_words_as_typed_are_taken_whole_in_a_large_collection(large_collection, monkeypatch):
    monkeypatch.setattr(search, "COMMON_MATCHES", 3)
    for n in range(3):
        org(f"Visit {n}", "Help on the visit day")
    org("Visitors", "For visitors to the prison")
    common = search.parse(Organisation, "visit")
    assert common is not None and "*" not in common.expression and ":*" not in common.expression
    # "visit" is found as typed in three documents: "Visitors" is not one of them.
    assert "Visitors" not in names(search.matching(Organisation.objects.all(), "visit"))
    assert len(search.ranked(Organisation.objects.all(), common, limit=10)) == 3


def test_rare_or_unfinished_words_still_match_as_the_start_of_longer_ones(
    large_collection, monkeypatch
):
    monkeypatch.setattr(search, "COMMON_MATCHES", 3)
    org("Visitors", "For visitors to the prison")
    assert names(search.matching(Organisation.objects.all(), "visit")) == {"Visitors"}
    assert names(search.matching(Organisation.objects.all(), "visito")) == {"Visitors"}
    found = search.ranked(Organisation.objects.all(), search.parse(Organisation, "visito") or "")
    assert [o.name for o in found] == ["Visitors"]
    marks = search.highlights(found, search.parse(Organisation, "visito") or "")
    assert "<mark>" in marks[found[0].pk].title


def test_accents_do_not_matter(orgs):
    assert names(search.matching(Organisation.objects.all(), "cafe")) == {"Family café"}
    assert names(search.matching(Organisation.objects.all(), "CAFÉ")) == {"Family café"}


def test_matching_narrows_the_given_queryset_only(orgs):
    allowed = Organisation.objects.exclude(pk=orgs["money"].pk)
    assert names(search.matching(allowed, "travel")) == {"Visiting help"}


def test_title_words_rank_above_body_words(registry):
    org("Buses", "Sharing travel to the visits hall with other families", slug="body")
    org("Travel to visits", "Buses and trains", slug="title")
    ranked = search.ranked(Organisation.objects.all(), "travel")
    assert [o.slug for o in ranked] == ["title", "body"]


def test_ranked_keeps_only_what_the_queryset_allows_in_rank_order(registry):
    org("Travel to visits", "Buses and trains", slug="title")
    org("Buses", "Sharing travel to the visits hall", slug="body")
    org("Travel money", "Help with travel costs", slug="both")
    everyone = [o.slug for o in search.ranked(Organisation.objects.all(), "travel")]
    allowed = Organisation.objects.exclude(slug="title")
    assert [o.slug for o in search.ranked(allowed, "travel")] == [
        s for s in everyone if s != "title"
    ]


def test_ranked_pages_walk_past_windows_the_queryset_filters_out(registry, monkeypatch):
    """Rows the reader may not see take up room in the engine's window; the next, wider
    window is read until the page is full, and pages follow on without gaps or repeats."""
    monkeypatch.setattr(search, "RANK_WINDOW", 2)
    for n in range(12):
        org(f"Travel group {n}", "travel travel" if n % 2 else "travel", slug=f"g{n}")
    allowed = Organisation.objects.filter(slug__in=[f"g{n}" for n in range(0, 12, 3)])
    every = search.ranked(allowed, "travel", limit=10)
    assert sorted(o.slug for o in every) == ["g0", "g3", "g6", "g9"]
    pages = [search.ranked(allowed, "travel", offset=k, limit=1) for k in range(5)]
    assert [p[0].slug for p in pages[:4]] == [o.slug for o in every]
    assert pages[4] == []


def test_newest_windows_rank_the_newest_matches_first_then_older_ones(registry):
    """`newest=N`: the newest N matches (of any model) are ranked among themselves, then the N
    before them, and so on; pages follow on without gaps or repeats, and the queryset's
    filter still reaches matches in older windows."""
    for n in range(7):
        # Older documents match better (more title words), so whole-ranking would put them first.
        org(f"Travel {'travel ' * (7 - n)}{n}", "buses", slug=f"w{n}")
        task(f"travel note {n}")  # another model's matches share the windows
    ranked = [
        o.slug for o in search.ranked(Organisation.objects.all(), "travel", limit=20, newest=4)
    ]
    # Documents interleave with the tasks' (every other one), so windows of four hold two
    # each; in a full window, every title has the word, so the newer comes first.
    assert ranked == ["w6", "w5", "w4", "w3", "w2", "w1", "w0"], " ".join(ranked)
    whole = [o.slug for o in search.ranked(Organisation.objects.all(), "travel", limit=20)]
    assert whole == [f"w{n}" for n in range(7)]
    # A window with room to spare holds every match: it is ranked as the whole is.
    roomy = search.ranked(Organisation.objects.all(), "travel", limit=20, newest=15)
    assert [o.slug for o in roomy] == whole
    pages = [
        o.slug
        for k in range(8)
        for o in search.ranked(Organisation.objects.all(), "travel", offset=k, limit=1, newest=4)
    ]
    assert pages == ranked
    only_old = Organisation.objects.filter(slug="w0")
    assert [o.slug for o in search.ranked(only_old, "travel", newest=4)] == ["w0"]


def test_a_full_window_ranks_title_then_words_together_then_newest(registry):
    """When there are more matches than a window holds, BM25 would first count every match in
    the collection: the window is ranked on what it holds instead."""
    org("Older", "a visitors centre story", slug="oldest")  # left for the next window
    org("Visitors centre", "opening times", slug="title-and-together")
    org("News today", "the visitors centre opens", slug="together")
    org("News this week", "a centre for visitors", slug="apart")
    org("Centre for visitors", "opening times", slug="title")
    org("Hello", "visitors to the centre", slug="apart-newer")
    found = search.ranked(Organisation.objects.all(), "visitors centre", limit=10, newest=5)
    assert [o.slug for o in found] == [
        "title", "title-and-together", "together", "apart-newer", "apart", "oldest",
    ]  # fmt: skip
    # The last word as the start of a longer one counts the same way.
    unfinished = search.ranked(Organisation.objects.all(), "visitors cent", limit=10, newest=5)
    assert [o.slug for o in unfinished] == [o.slug for o in found]
    pages = [
        search.ranked(Organisation.objects.all(), "visitors centre", offset=k, limit=2, newest=5)
        for k in (0, 2, 4)
    ]
    assert [o.slug for page in pages for o in page] == [o.slug for o in found]


def test_a_full_window_looks_for_words_together_among_its_newest_first(registry, monkeypatch):
    """Words side by side are looked for among a full window's newest few documents first;
    when those do not fill the places asked for, the whole window is looked through. Either
    way, each page is the same slice of one ranking."""
    monkeypatch.setattr(search, "RANK_WINDOW", 1)
    together = {3, 5, 11, 12}
    for n in range(14):
        words = "the visitors centre" if n in together else "centre for visitors"
        org(f"Group {n}", f"{words} {n}", slug=f"g{n}")
    # Older than the newest few: found by the title's own list.
    Organisation.objects.filter(slug="g4").update(name="Visitors centre group")
    search.index(Organisation.objects.get(slug="g4"))
    allowed = Organisation.objects.all()
    whole = [o.slug for o in search.ranked(allowed, "visitors centre", limit=20, newest=12)]
    # The newest twelve: the title's, side by side, then the rest, newest first; then the
    # two older.
    assert whole[:12] == [f"g{n}" for n in (4, 12, 11, 5, 3, 13, 10, 9, 8, 7, 6, 2)]
    assert sorted(whole[12:]) == ["g0", "g1"]
    pages = [
        o.slug
        for k in range(15)
        for o in search.ranked(allowed, "visitors centre", offset=k, limit=1, newest=12)
    ]
    assert pages == whole


def test_ranked_with_no_words_or_no_room_is_empty(orgs):
    assert search.ranked(Organisation.objects.all(), "***") == []
    assert search.ranked(Organisation.objects.all(), "travel", limit=0) == []


def test_narrowed_matching_finds_the_same_rows_as_text_driven(orgs):
    for query in ("travel", "young chil", "cafe", "nothing like this"):
        driven = names(search.matching(Organisation.objects.all(), query))
        assert names(search.matching(Organisation.objects.all(), query, narrowed=True)) == driven
    allowed = Organisation.objects.exclude(pk=orgs["money"].pk)
    assert names(search.matching(allowed, "travel", narrowed=True)) == {"Visiting help"}


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '"unbalanced quote',
        "travel AND",
        "AND OR NOT",
        "NEAR(travel costs)",
        "travel NEAR costs",
        "*",
        "travel*",
        "-travel",
        "title:travel",
        "body : travel",
        "travel) OR (1=1",
        "'; DROP TABLE core_searchdocument; --",
        "travel & !costs | <->",
        "😀🙏",
        "travel 😀",
        "\x00\x02\x03",
        "a" * 10_000,
        "travel " * 2_000,
        "_",
        "",
        "   ",
    ],
)
def test_any_user_input_is_safe(orgs, query):
    found = list(search.matching(Organisation.objects.all(), query))
    assert {o.name for o in found} <= set(names(Organisation.objects.all()))
    search.excerpts(found, query)


def test_operators_are_plain_words(registry):
    org("Near and far", "Visiting near home", slug="near")
    org("Costs", "Travel costs", slug="costs")
    assert names(search.matching(Organisation.objects.all(), "NEAR home")) == {"Near and far"}
    # A column filter is two plain words here ("title" is in no document).
    assert names(search.matching(Organisation.objects.all(), "costs:")) == {"Costs"}
    assert not search.matching(Organisation.objects.all(), "title:costs").exists()


def test_a_query_without_words_matches_nothing(orgs):
    assert not search.matching(Organisation.objects.all(), "😀 -- **").exists()


def test_removed_and_hidden_documents_stop_matching(orgs):
    search.remove(orgs["cafe"])
    assert not search.matching(Organisation.objects.all(), "cafe").exists()
    search.remove(orgs["cafe"])  # twice is fine
    assert not SearchDocument.objects.filter(
        model="accounts.organisation", object_int=orgs["cafe"].pk
    ).exists()


def test_index_again_replaces_the_old_text(orgs):
    cafe = orgs["cafe"]
    cafe.website = "Coffee morning on Saturdays"
    search.index(cafe)
    assert not search.matching(Organisation.objects.all(), "tea").exists()
    assert names(search.matching(Organisation.objects.all(), "coffee")) == {"Family café"}
    assert SearchDocument.objects.filter(model="accounts.organisation").count() == 4


def test_uuid_keys(registry):
    shown = task("Reminder about the family day")
    task("Reminder about the family day, but hidden", hidden=True)
    found = list(search.matching(DBTaskResult.objects.all(), "family reminder"))
    assert [t.pk for t in found] == [shown.pk]
    excerpt = search.excerpts(found, "family")
    assert "<mark>family</mark>" in excerpt[shown.pk]


def test_document_none_removes(registry):
    t = task("Coach trip to the visits")
    t.traceback = "now hidden"
    search.index(t)
    assert not search.matching(DBTaskResult.objects.all(), "coach").exists()


def test_excerpts_mark_the_matched_words_and_escape_the_rest(registry):
    o = org("Escaping", "visiting <script>alert(1)</script> & travel tips")
    excerpt = search.excerpts([o], "visiting")[o.pk]
    # SQLite keeps the tag as escaped text; PostgreSQL's headline drops tag-like words.
    assert "<script" not in excerpt
    assert "<mark>visiting</mark>" in excerpt
    assert "&amp;" in excerpt


def test_marker_characters_in_text_cannot_make_markup(registry):
    o = org("Markers", "before \x02<b>bold</b>\x03 visiting")
    excerpt = search.excerpts([o], "visiting")[o.pk]
    assert "<b>" not in excerpt
    assert excerpt.count("<mark>") == excerpt.count("</mark>") == 1


def test_excerpts_cost_one_query(orgs, django_assert_num_queries):
    objects = list(Organisation.objects.all())
    with django_assert_num_queries(1):
        found = search.excerpts(objects, "travel")
    assert set(found) == {orgs["visits"].pk, orgs["money"].pk}


def test_matching_costs_one_query(orgs, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert len(list(search.matching(Organisation.objects.all(), "travel"))) == 2


def test_unregistered_models_are_refused(registry):
    with pytest.raises(LookupError):
        search.matching(SearchDocument.objects.all(), "x")


def test_reindex_rebuilds_from_the_registry(orgs):
    SearchDocument.objects.all().delete()
    assert not search.matching(Organisation.objects.all(), "travel").exists()
    written = search.reindex([Organisation])
    assert written == {"accounts.organisation": 4}
    assert names(search.matching(Organisation.objects.all(), "travel")) == {
        "Visiting help",
        "Money worries",
    }


def test_reindex_command(orgs):
    task("Shown task")
    task("Hidden task", hidden=True)
    SearchDocument.objects.all().delete()
    out = StringIO()
    call_command(
        "search_reindex", "accounts.Organisation", "django_tasks_database.DBTaskResult", stdout=out
    )
    assert "accounts.organisation: 4 documents" in out.getvalue()
    assert "django_tasks_database.dbtaskresult: 1 documents" in out.getvalue()
    assert search.matching(DBTaskResult.objects.all(), "task").count() == 1


def test_reindex_command_refuses_unknown_models(registry):
    with pytest.raises(CommandError, match="not registered"):
        call_command("search_reindex", "accounts.Nothing")


def test_only_integer_and_uuid_keys_can_register(registry):
    from django.contrib.sessions.models import Session

    with pytest.raises(TypeError):
        search.register(Session, document=lambda s: ("", ""))


def test_a_query_without_words_matches_nothing_either_way(orgs):
    assert list(search.matching(Organisation.objects.all(), "***")) == []
    assert list(search.matching(Organisation.objects.all(), "***", narrowed=True)) == []


def test_highlights_mark_the_title_and_the_body(registry):
    o = org("Visiting & travel", "Tips for visiting days", slug="hl")
    found = search.highlights([o], "visiting")[o.pk]
    assert found.title == "<mark>Visiting</mark> &amp; travel"
    assert "<mark>visiting</mark>" in found.excerpt
