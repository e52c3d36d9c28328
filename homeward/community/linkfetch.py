"""The title of a web page a member linked to, fetched by the worker (never while someone waits
for a page).

The member chose the address, so the fetch must not become their way into places only this
server can reach (server-side request forgery). So, on the first request and on every redirect:

- http and https only, with no name or password in the address, on ports 80 and 443 only;
- the host name is resolved once, and every address it has must be on the public internet:
  not private, loopback, link-local, multicast, reserved, unspecified or shared (CGNAT), also
  when such an address is carried inside an IPv6 one (::ffff:…, 6to4, NAT64). The connection
  goes to the address that was checked, so a second DNS answer can't swap in another (DNS
  rebinding); https still checks the certificate against the host name;
- at most 3 redirects, 5 seconds for the whole fetch, 64 KB read, and only text/html.

Name resolution itself is the system resolver's (its own timeouts apply). Tests serve pages from
127.0.0.1: COMMUNITY_LINK_PREVIEW_TEST_HOSTS names hosts exempt from the address and port rules
(never in production, see conf.py)."""

from __future__ import annotations

import codecs
import http.client
import ipaddress
import re
import socket
import ssl
import time
import unicodedata
from functools import lru_cache
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from homeward.community import conf

TIMEOUT = 5.0  # seconds for the whole fetch, redirects included
MAX_BYTES = 64 * 1024
MAX_REDIRECTS = 3
TITLE_CHARS = 120
PORTS = {"http": 80, "https": 443}
USER_AGENT = "Homeward-link-titles/1.0"
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class FetchRefused(Exception):
    """No title: the address may not be fetched, or the answer is not a web page with one."""


def is_public(address: IPAddress) -> bool:
    """Whether an address is on the public internet (and so may be fetched)."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if address in _NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None and not is_public(embedded):
            return False
    return address.is_global and not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def checked_address(host: str, port: int, scheme: str) -> str:
    """The address to connect to for this host, once every address it resolves to passed."""
    exempt = host in conf.link_preview_test_hosts()
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise FetchRefused("the host name did not resolve") from error
    addresses = list(dict.fromkeys(str(info[4][0]) for info in found))
    if not addresses:
        raise FetchRefused("the host name did not resolve")
    if not exempt:
        for text in addresses:
            if not is_public(ipaddress.ip_address(text.split("%", 1)[0])):
                raise FetchRefused("the host is not on the public internet")
        if port != PORTS[scheme]:
            raise FetchRefused(f"port {port} is not a web port")
    return addresses[0]


@lru_cache(maxsize=1)
def _tls() -> ssl.SSLContext:
    return ssl.create_default_context()


class _Pinned(http.client.HTTPConnection):
    """HTTP to the checked address, whatever DNS would answer now."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedTLS(http.client.HTTPSConnection):
    """HTTPS to the checked address; the certificate must still match the host name."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=_tls())
        self.address = address

    def connect(self) -> None:
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = _tls().wrap_socket(sock, server_hostname=self.host)


def _remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise FetchRefused("took too long")
    return left


def _request(url: str, deadline: float) -> http.client.HTTPConnection:
    """Send the GET for one hop, to a checked address; returns the open connection."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in PORTS:
        raise FetchRefused("only http and https addresses are fetched")
    if parts.username is not None or parts.password is not None:
        raise FetchRefused("addresses with a name or password are not fetched")
    try:
        host = (parts.hostname or "").encode("idna").decode("ascii")
        port = parts.port or PORTS[scheme]
    except (UnicodeError, ValueError) as error:
        raise FetchRefused("not a usable address") from error
    if not host:
        raise FetchRefused("not a usable address")
    address = checked_address(host, port, scheme)
    kind = _PinnedTLS if scheme == "https" else _Pinned
    connection = kind(host, port, address, _remaining(deadline))
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = {"User-Agent": USER_AGENT, "Accept": "text/html", "Accept-Encoding": "identity"}
    try:
        connection.request("GET", target, headers=headers)
    except (OSError, http.client.HTTPException, ValueError) as error:
        connection.close()
        raise FetchRefused("the request failed") from error
    return connection


def _content_type(header: str) -> tuple[str, str | None]:
    media, _, params = header.partition(";")
    charset = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", params, re.IGNORECASE)
    return media.strip().lower(), charset.group(1) if charset else None


def _read(response: http.client.HTTPResponse, sock: socket.socket | None, deadline: float) -> bytes:
    """At most MAX_BYTES of the body, within the deadline (a slow drip can't hold the worker)."""
    chunks: list[bytes] = []
    size = 0
    while size < MAX_BYTES:
        left = _remaining(deadline)
        if sock is not None:
            sock.settimeout(left)
        chunk = response.read1(min(16 * 1024, MAX_BYTES - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _decode(body: bytes, charset: str | None) -> str:
    if charset is None:
        meta = re.search(rb"<meta[^>]+charset\s*=\s*[\"']?([\w.:-]+)", body[:4096], re.IGNORECASE)
        charset = meta.group(1).decode("ascii") if meta else None
    try:
        return body.decode(codecs.lookup(charset or "utf-8").name, errors="replace")
    except LookupError:  # unknown, or not a text encoding ("rot13")
        return body.decode("utf-8", errors="replace")


class _TitleParser(HTMLParser):
    """The text of the document's first <title> (not one inside an SVG or MathML picture)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.inside = False
        self.done = False
        self.foreign = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("svg", "math"):
            self.foreign += 1
        elif tag == "title" and not self.foreign and not self.done:
            self.inside = True

    def handle_endtag(self, tag: str) -> None:
        if tag in ("svg", "math") and self.foreign:
            self.foreign -= 1
        elif tag == "title" and self.inside:
            self.inside = False
            self.done = True

    def handle_data(self, data: str) -> None:
        if self.inside:
            self.parts.append(data)


def clean_title(text: str) -> str:
    """Plain text on one line: control and format characters (right-to-left overrides, zero
    widths) become spaces, runs of space one, and at most TITLE_CHARS characters."""
    text = "".join(" " if unicodedata.category(c).startswith("C") else c for c in text)
    text = " ".join(text.split())
    if len(text) <= TITLE_CHARS:
        return text
    cut = text[: TITLE_CHARS - 1]
    space = cut.rfind(" ")
    if space > TITLE_CHARS - 20:
        cut = cut[:space]
    return cut.rstrip(" ,.;:-") + "…"


def title_of(html: str) -> str:
    parser = _TitleParser()
    parser.feed(html)
    return clean_title("".join(parser.parts))


def fetch_title(url: str) -> str:
    """The title of the page at `url`, following at most MAX_REDIRECTS redirects, each checked
    as the first. Raises FetchRefused when there is none to be had."""
    deadline = time.monotonic() + TIMEOUT
    for _hop in range(MAX_REDIRECTS + 1):
        connection = _request(url, deadline)
        # Kept here: a connection that will close hands its socket to the response.
        sock = connection.sock
        try:
            if sock is not None:
                sock.settimeout(_remaining(deadline))
            response = connection.getresponse()
            if response.status in _REDIRECTS:
                location = (response.getheader("Location") or "").strip()
                if not location:
                    raise FetchRefused("a redirect to nowhere")
                url = urljoin(url, location)
                continue
            if response.status != 200:
                raise FetchRefused(f"the site answered {response.status}")
            media, charset = _content_type(response.getheader("Content-Type") or "")
            if media != "text/html":
                raise FetchRefused("not a web page")
            body = _read(response, sock, deadline)
        except (OSError, http.client.HTTPException, ValueError) as error:
            raise FetchRefused("the site's answer could not be read") from error
        finally:
            connection.close()
        title = title_of(_decode(body, charset))
        if not title:
            raise FetchRefused("the page has no title")
        return title
    raise FetchRefused("too many redirects")
