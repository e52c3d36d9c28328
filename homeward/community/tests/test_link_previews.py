"""Links alone on their line, shown by title: this site's conversations by their title, for
readers who may read them only; other websites by the title of their page, fetched by the worker
over a real socket (from a local server on 127.0.0.1) behind the SSRF checks, never while a
member waits; and a page costs the same queries however many links it shows."""

from __future__ import annotations

import ipaddress
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from conftest import sign_in
from homeward.community import linkfetch, previews, services
from homeward.community.linkfetch import FetchRefused, fetch_title
from homeward.community.models import LinkPreview, Post, WatchedWord
from homeward.community.models.previews import url_key
from homeward.community.tasks import fetch_link_title
from homeward.core.markdown import render_markdown
from homeward.core.tests.test_markdown import HOSTILE, assert_inert

# Pages -------------------------------------------------------------------------------------


def _html(title: str, before: str = "") -> bytes:
    return f"<!doctype html><html><head>{before}<title>{title}</title></head><body>Hi</body></html>".encode()


class _Handler(BaseHTTPRequestHandler):
    server: _PageServer

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def _send(self, status: int, body: bytes, kind: str = "text/html; charset=utf-8") -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, to: str) -> None:
        self.send_response(302)
        self.send_header("Location", to)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        self.server.hits.append(self.path)
        path = self.path
        if path == "/page":
            self._send(200, _html("  Visiting\n  times &amp; rules  "))
        elif path.startswith("/hop/"):
            left = int(path.rsplit("/", 1)[1])
            self._redirect("/page" if left == 0 else f"/hop/{left - 1}")
        elif path == "/to-localhost":
            self._redirect(f"http://localhost:{self.server.server_port}/page")
        elif path == "/picture":
            self._send(200, b"\x89PNG\r\n\x1a\n", "image/png")
        elif path == "/missing":
            self._send(404, _html("Not found"))
        elif path == "/big":
            self._send(200, _html("Too far down", before="<!--" + "x" * 70_000 + "-->"))
        elif path == "/latin":
            body = "<html><head><title>Caf\xe9 opening times</title></head></html>".encode(
                "latin-1"
            )
            self._send(200, body, "text/html; charset=iso-8859-1")
        elif path == "/hostile":
            title = "<b>Bold</b> \u202eevil\u202c" + " word" * 60
            self._send(200, _html(title.replace("<", "&lt;").replace(">", "&gt;")))
        elif path == "/slow":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            for _ in range(40):
                try:
                    self.wfile.write(b" ")
                    self.wfile.flush()
                except OSError:
                    return
                time.sleep(0.1)
        else:
            self._send(404, b"")


class _PageServer(ThreadingHTTPServer):
    daemon_threads = True
    hits: list[str]


@dataclass
class Pages:
    base: str
    hits: list[str] = field(default_factory=list)


@pytest.fixture
def pages() -> Iterator[Pages]:
    """A real web server on 127.0.0.1 (the only network there is here), counting its requests."""
    server = _PageServer(("127.0.0.1", 0), _Handler)
    server.hits = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Pages(f"http://127.0.0.1:{server.server_port}", server.hits)
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def allowed(settings) -> None:
    """Let the fetcher reach the local test server (it refuses 127.0.0.1 otherwise)."""
    settings.COMMUNITY_LINK_PREVIEW_TEST_HOSTS = ["127.0.0.1"]


# Which links are lines ---------------------------------------------------------------------


def test_an_address_alone_on_its_line_becomes_a_link_and_one_in_a_sentence_does_not():
    html = str(
        render_markdown(
            "Have a look:\nhttps://example.org/visits\n\nor see https://example.org/x today\n\n"
            "```\nhttps://example.org/code\n```",
            link_lines=True,
        )
    )
    assert previews.line_links(html) == ["https://example.org/visits"]
    assert "see https://example.org/x today" in html
    assert "<code>https://example.org/code\n</code>" in html
    assert "<a" not in str(render_markdown("https://example.org/visits"))  # other apps: as before


@pytest.mark.parametrize(
    "text",
    [
        *HOSTILE,
        "javascript:alert(1)",
        'https://example.org/" onmouseover="alert(1)',
        "https://example.org/<script>alert(1)</script>",
        "https://example.org/`x`",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    ],
)
def test_hostile_lines_stay_inert_with_line_links(text):
    html = str(render_markdown(f"Look:\n{text}\n", link_lines=True))
    assert_inert(html)
    for url in previews.line_links(html):
        assert url.startswith(("http://", "https://")) and '"' not in url and "<" not in url


def test_a_label_the_writer_chose_is_kept(topic, regular):
    post = services.post_reply(regular, topic, "[Our guide](https://example.org/guide)")
    LinkPreview.objects.create(url_hash=url_key("https://example.org/guide"), url="x", title="T")
    previews.dress(regular, [post])
    assert not hasattr(post, "body_html")


# This site's conversations ------------------------------------------------------------------


def test_a_link_to_a_conversation_shows_its_title_only_to_those_who_may_read_it(
    topic, staff_room, worker_a, family
):
    rota = services.create_topic(worker_a, staff_room, title="Holiday rota", body="Who?")
    other = services.create_topic(worker_a, topic.category, title="Lockers at Lewes", body="?")
    post = services.post_reply(
        worker_a,
        topic,
        f"See\n{settings.SITE_URL}/community/t/{rota.pk}/\n\n"
        f"{settings.SITE_URL}/community/t/{other.pk}/?page=1#post-1",
    )
    page = sign_in(Client(), family).get(post.get_absolute_url()).content.decode()
    assert "Lockers at Lewes</a>" in page
    assert "Holiday rota" not in page
    assert f">{settings.SITE_URL}/community/t/{rota.pk}/</a>" in page  # the address as written
    staff_page = sign_in(Client(), worker_a).get(post.get_absolute_url()).content.decode()
    assert "Holiday rota</a>" in staff_page


def test_a_link_to_a_removed_or_held_conversation_shows_the_address(topic, regular, peer_moderator):
    gone = services.create_topic(regular, topic.category, title="Old news", body="x")
    services.delete_post(peer_moderator, gone.posts.get())
    post = services.post_reply(regular, topic, f"{settings.SITE_URL}/community/t/{gone.pk}/")
    page = sign_in(Client(), peer_moderator).get(post.get_absolute_url()).content.decode()
    assert "Old news" not in page


def test_links_to_this_site_are_never_fetched(topic, regular, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.post_reply(
            regular,
            topic,
            f"{settings.SITE_URL}/community/t/{topic.pk}/\n{settings.SITE_URL}/accounts/login/",
        )
    assert not LinkPreview.objects.exists()
    assert not DBTaskResult.objects.exists()


# Other websites: queued at publication, fetched by the worker -------------------------------


def test_nothing_is_fetched_while_posting_the_worker_fetches_it_later(
    pages, allowed, topic, regular, family, django_capture_on_commit_callbacks
):
    url = f"{pages.base}/page"
    client = sign_in(Client(), regular)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/community/t/{topic.pk}/reply/", {"body": f"This helped me:\n{url}"}
        )
    assert response.status_code == 302
    assert pages.hits == []  # the member's request fetched nothing
    row = LinkPreview.objects.get()
    assert (row.url, row.title, row.fetched_at) == (url, "", None)
    queued = DBTaskResult.objects.get()
    assert queued.task_path.endswith("fetch_link_title")
    assert queued.args_kwargs["args"] == [row.url_hash]
    before = sign_in(Client(), family).get(response.url).content.decode()
    assert f">{url}</a>" in before  # not fetched yet: the address as written
    assert fetch_link_title.call(row.url_hash) is True  # what the worker runs
    assert pages.hits == ["/page"]
    row.refresh_from_db()
    assert (row.title, row.failed) == ("Visiting times & rules", False)
    after = sign_in(Client(), family).get(response.url).content.decode()
    assert "Visiting times &amp; rules</a>" in after
    assert '<span class="link-title__site">(127.0.0.1)</span>' in after
    assert fetch_link_title.call(row.url_hash) is False  # done once
    assert pages.hits == ["/page"]


def test_a_refused_fetch_is_recorded_and_the_address_stays(pages, topic, regular, family):
    url = f"{pages.base}/page"  # 127.0.0.1, and no test hosts allowed
    post = services.post_reply(regular, topic, url)
    row = LinkPreview.objects.get()
    assert fetch_link_title.call(row.url_hash) is False
    assert pages.hits == []  # refused before connecting
    row.refresh_from_db()
    assert row.failed and row.fetched_at is not None and row.title == ""
    page = sign_in(Client(), family).get(post.get_absolute_url()).content.decode()
    assert f">{url}</a>" in page


@pytest.mark.parametrize(
    ("title", "word", "action", "shown"),
    [
        ("Best casino bonuses", "casino", "flag", ""),
        ("Best casino bonuses", "casino", "block", ""),
        ("Best casino bonuses", "casino*", "approval", ""),
        ("Damned visiting rules", "damn*", "censor", "\u25a0\u25a0\u25a0 visiting rules"),
        ("Suicide prevention helpline", "suicide", "crisis", "Suicide prevention helpline"),
        ("Visiting times", "casino", "flag", "Visiting times"),
    ],
)
def test_watched_words_apply_to_fetched_titles(
    topic, regular, family, monkeypatch, title, word, action, shown
):
    """A page's title is someone else's words shown on our page: a word that would block, hold
    or flag a message keeps the address instead; a censored word is replaced."""
    WatchedWord.objects.create(word=word, action=action)
    monkeypatch.setattr(linkfetch, "fetch_title", lambda url: title)
    url = "https://www.example.org/page"
    post = services.post_reply(regular, topic, f"Look:\n{url}")
    row = LinkPreview.objects.get()
    assert fetch_link_title.call(row.url_hash) is bool(shown)
    row.refresh_from_db()
    assert (row.title, row.failed) == (shown, not shown)
    page = sign_in(Client(), family).get(post.get_absolute_url()).content.decode()
    assert (f">{url}</a>" in page) is not bool(shown)
    assert (f"{shown}</a>" in page) if shown else (title not in page)


def test_a_title_is_shown_escaped_with_its_site(topic, regular, family):
    url = "https://www.example.org/visiting"
    LinkPreview.objects.create(
        url_hash=url_key(url), url=url, title='<script>alert(1)</script> & "more"'
    )
    post = services.post_reply(regular, topic, url)
    page = sign_in(Client(), family).get(post.get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;more&quot;</a>" in page
    assert "<script>alert(1)" not in page
    assert "(example.org)</span>" in page


def test_one_message_has_at_most_five_pages_fetched(topic, regular):
    body = "\n".join(f"https://example.org/{n}" for n in range(8))
    services.post_reply(regular, topic, body)
    assert LinkPreview.objects.count() == previews.MAX_FETCHES_PER_MESSAGE


def test_known_titles_are_fetched_again_only_when_old_or_failed(
    topic, regular, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    fresh, old, failed, failed_now = (f"https://example.org/{n}" for n in range(4))
    for url, fetched, bad in (
        (fresh, now - timedelta(days=2), False),
        (old, now - timedelta(days=40), False),
        (failed, now - timedelta(days=2), True),
        (failed_now, now - timedelta(hours=2), True),
    ):
        LinkPreview.objects.create(
            url_hash=url_key(url), url=url, title="T" if not bad else "", fetched_at=fetched,
            failed=bad,
        )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        services.post_reply(regular, topic, "\n".join([fresh, old, failed, failed_now]))
    queued = sorted(r.args_kwargs["args"][0] for r in DBTaskResult.objects.all())
    assert queued == sorted([url_key(old), url_key(failed)])
    assert LinkPreview.objects.get(url=old).title == "T"  # kept until a new one is found


def test_titles_no_message_links_to_any_more_are_swept(topic, regular, family):
    """Each message linking to a page keeps its title; one nobody has linked to for
    KEEP_UNLINKED is removed by the daily job, and its old messages show the address."""
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    from homeward.core import schedule

    old, linked_again = "https://example.org/old", "https://example.org/again"
    long_ago = timezone.now() - previews.KEEP_UNLINKED - timedelta(days=1)
    for url in (old, linked_again):
        LinkPreview.objects.create(
            url_hash=url_key(url), url=url, title="A title", fetched_at=long_ago,
            queued_at=long_ago, linked_at=long_ago,
        )  # fmt: skip
    with time_machine.travel(long_ago + timedelta(hours=1), tick=False):
        first = services.post_reply(regular, topic, old)
    services.post_reply(regular, topic, linked_again)  # today
    assert previews.sweep_unlinked() == 1
    assert list(LinkPreview.objects.values_list("url", flat=True)) == [linked_again]
    page = sign_in(Client(), family).get(first.get_absolute_url()).content.decode()
    assert f">{old}</a>" in page
    assert "community.link_titles" in {job.name for job in schedule.jobs()}


def test_a_held_message_fetches_nothing_until_approved(topic, family, peer_moderator):
    from homeward.community import moderation
    from homeward.community.models import ReviewItem

    topic.category.approve_new_members = True
    topic.category.save(update_fields=["approve_new_members"])
    held = services.post_reply(family, topic, "https://example.org/spam")
    assert held.awaiting_approval
    assert not LinkPreview.objects.exists()
    moderation.approve(peer_moderator, ReviewItem.objects.get(post=held))
    assert LinkPreview.objects.filter(url="https://example.org/spam").exists()


# The page costs the same however many links it shows -----------------------------------------


def test_a_page_of_linked_messages_costs_the_same_queries_as_one(topic, regular, family):
    short = services.create_topic(regular, topic.category, title="One link", body="Hello")
    body = f"{settings.SITE_URL}/community/t/{topic.pk}/\nhttps://example.org/guide"
    services.post_reply(regular, short, body)
    for n in range(19):
        services.post_reply(regular, topic, f"{body}\nhttps://example.org/{n}")
    LinkPreview.objects.update(title="A guide", fetched_at=None)
    client = sign_in(Client(), family)
    counts = []
    for convo in (short, topic):
        client.get(convo.get_absolute_url())  # first visits write reading places
        with CaptureQueriesContext(connection) as queries:
            page = client.get(convo.get_absolute_url()).content.decode()
        counts.append(len(queries))
        assert "A guide</a>" in page and "First visit next week</a>" in page
    assert counts[0] == counts[1]
    assert Post.objects.filter(topic=topic).count() == 20


# The fetcher and its checks, over a real socket --------------------------------------------


def test_the_title_comes_over_a_socket_from_an_allowed_test_host(pages, allowed):
    assert fetch_title(f"{pages.base}/page") == "Visiting times & rules"
    assert fetch_title(f"{pages.base}/latin") == "Caf\xe9 opening times"
    assert pages.hits == ["/page", "/latin"]


def test_127_0_0_1_is_refused_unless_it_is_an_allowed_test_host(pages):
    with pytest.raises(FetchRefused, match="not on the public internet"):
        fetch_title(f"{pages.base}/page")
    assert pages.hits == []


def test_a_redirect_to_a_private_address_is_refused_at_that_hop(pages, allowed):
    # "localhost" resolves to a loopback address and is not an allowed test host.
    with pytest.raises(FetchRefused, match="not on the public internet"):
        fetch_title(f"{pages.base}/to-localhost")
    assert pages.hits == ["/to-localhost"]


def test_three_redirects_are_followed_and_a_fourth_is_not(pages, allowed):
    assert fetch_title(f"{pages.base}/hop/2") == "Visiting times & rules"
    assert pages.hits == ["/hop/2", "/hop/1", "/hop/0", "/page"]
    with pytest.raises(FetchRefused, match="too many redirects"):
        fetch_title(f"{pages.base}/hop/3")


@pytest.mark.parametrize(
    ("path", "why"),
    [
        ("/picture", "not a web page"),
        ("/missing", "answered 404"),
        ("/big", "no title"),  # the title is past the first 64 KB, which is all that's read
    ],
)
def test_only_a_web_page_with_a_title_in_its_first_64_kb_gives_one(pages, allowed, path, why):
    with pytest.raises(FetchRefused, match=why):
        fetch_title(f"{pages.base}{path}")


def test_a_slow_page_is_given_up_on_in_time(pages, allowed, monkeypatch):
    monkeypatch.setattr(linkfetch, "TIMEOUT", 1.0)
    started = time.monotonic()
    with pytest.raises(FetchRefused):
        fetch_title(f"{pages.base}/slow")
    assert time.monotonic() - started < 2.5


def test_a_hostile_title_comes_back_as_short_plain_text(pages, allowed):
    title = fetch_title(f"{pages.base}/hostile")
    assert title.startswith("<b>Bold</b> evil word")  # text: the page escapes it when shown
    assert "\u202e" not in title and "\u202c" not in title
    assert len(title) <= linkfetch.TITLE_CHARS and title.endswith("…")


@pytest.mark.parametrize(
    "url",
    [
        "ftp://127.0.0.1/file",
        "file:///etc/passwd",
        "gopher://127.0.0.1:70/",
        "http://someone:secret@127.0.0.1/page",
        "http://",
        "http://127.0.0.1:notaport/",
    ],
)
def test_other_schemes_names_and_broken_addresses_are_refused(pages, allowed, url):
    with pytest.raises(FetchRefused):
        fetch_title(url)
    assert pages.hits == []


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.1/",
        "http://172.16.5.4/",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data/",  # cloud metadata
        "http://100.64.0.1/",  # shared address space (CGNAT)
        "http://0.0.0.0/",
        "http://2130706433/",  # 127.0.0.1 as one number
        "http://0x7f000001/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[fe80::1]/",
        "http://[fd00::1]/",
        "http://[64:ff9b::a00:1]/",  # NAT64 of 10.0.0.1
        "http://[2002:7f00:1::]/",  # 6to4 of 127.0.0.1
        "http://224.0.0.1/",
        "http://[ff02::1]/",
        "http://240.0.0.1/",
        "http://93.184.215.14:8080/",  # public, but not a web port
        "https://93.184.215.14:22/",
    ],
)
def test_addresses_off_the_public_internet_and_other_ports_are_refused(url):
    # Refused for that reason, before any connection is tried (this machine has no network,
    # so a failed connection would prove nothing).
    with pytest.raises(FetchRefused, match=r"not on the public internet|not a web port"):
        fetch_title(url)


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.215.14", True),
        ("2606:2800:21f:cb07:6820:80da:af6b:8b2c", True),
        ("8.8.8.8", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("100.100.100.100", False),
        ("169.254.0.1", False),
        ("192.0.2.1", False),
        ("198.18.0.1", False),
        ("239.255.255.250", False),
        ("255.255.255.255", False),
        ("::", False),
        ("::ffff:10.0.0.1", False),
        ("64:ff9b::7f00:1", False),
        ("fc00::1", False),
        ("ff05::1", False),
    ],
)
def test_public_addresses(address, public):
    assert linkfetch.is_public(ipaddress.ip_address(address)) is public
