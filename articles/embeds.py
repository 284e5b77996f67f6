"""Embeds in story bodies: a link pasted alone in a paragraph becomes a click-to-load embed.

When a story is saved from the desk, each paragraph that holds nothing but a link to an allow-listed
provider (newsroom/embed_providers.py, switched on by NEWSROOM_EMBED_PROVIDERS) is looked up through
the provider's oEmbed endpoint, server-side, with a timeout and a size limit. micawber's curated
provider patterns say which URLs belong to which provider. Nothing of the provider's HTML is kept:
only the title, the thumbnail address, the canonical URL, the provider and the frame address
(checked against the provider's frame origins), in our own markup:

    <figure class="embed" data-embed="youtube" data-embed-frame="https://www.youtube-nocookie.com/embed/…"
            data-embed-title="…" data-embed-thumbnail="https://…"><a href="https://youtu.be/…">Title</a>
        <figcaption>YouTube</figcaption></figure>

The sanitizer (html.py) allows exactly that element and checks those attributes again on every save.
The reader's page shows it as a placeholder with a "Load YouTube content" button; the iframe is
made only on the click (static/js/embeds.js), so no third-party request happens before it. Any
failure (provider down, slow, an answer that is not oEmbed) leaves the plain link: never an error.
"""

import json
import re
import time
from html import unescape
from http.client import HTTPException
from urllib.parse import urlencode, urlsplit
from urllib.request import Request, urlopen

import micawber
import nh3
from django.conf import settings
from django.utils.html import format_html

from newsroom.embed_providers import enabled_providers

# An oEmbed answer is a few KB; a bigger one is not what we asked for.
MAX_RESPONSE_BYTES = 64 * 1024
# Lookups per save: a body of pasted links must not hold the save for minutes.
MAX_LOOKUPS_PER_SAVE = 10
USER_AGENT = "Newsroom-oEmbed/1.0"

# A paragraph holding only a link (as the editor writes a pasted URL) or only a bare URL.
_LONE_LINK = re.compile(
    r"<p>\s*(?:<a\s(?:[^>]*?\s)?href=\"(?P<href>https?://[^\"]{1,2000})\"[^>]*>(?P<text>[^<]{1,2000})</a>"
    r"|(?P<bare>https?://[^\s<]{1,2000}))\s*</p>"
)


class EmbedUnavailable(Exception):
    """The provider gave no usable oEmbed answer (down, slow, refused, garbage); the link stays a link."""


def oembed_endpoint(provider):
    """Where the provider's oEmbed answers come from (tests point it at a local server)."""
    return provider.endpoint


def _micawber_patterns():
    """micawber's own URL patterns for each allow-listed provider (bootstrap_basic: no network)."""
    by_endpoint = {provider.endpoint: provider for provider in enabled_providers(settings.NEWSROOM_EMBED_PROVIDERS)}
    registry = micawber.bootstrap_basic()
    return [(pattern, by_endpoint[p.endpoint]) for pattern, p in registry if p.endpoint in by_endpoint]


def provider_for(url):
    """The allow-listed provider whose micawber pattern matches `url`, or None."""
    for pattern, provider in _micawber_patterns():
        if pattern.match(url):
            return provider
    return None


def fetch_oembed(provider, url):
    """The provider's oEmbed answer for `url` as a dict; EmbedUnavailable when there is none in time."""
    params = {"url": url, "format": "json", "maxwidth": 800}
    if provider.key == "instagram":
        if not settings.NEWSROOM_EMBED_INSTAGRAM_TOKEN:
            raise EmbedUnavailable("Instagram embeds need NEWSROOM_EMBED_INSTAGRAM_TOKEN.")
        params["access_token"] = settings.NEWSROOM_EMBED_INSTAGRAM_TOKEN
    endpoint = oembed_endpoint(provider)
    request = Request(f"{endpoint}{'&' if '?' in endpoint else '?'}{urlencode(params)}",
                      headers={"User-Agent": USER_AGENT, "Accept": "application/json"})
    timeout = settings.NEWSROOM_EMBED_TIMEOUT_SECONDS
    deadline = time.monotonic() + timeout
    try:
        with urlopen(request, timeout=timeout) as response:  # noqa: S310 -- an allow-listed https endpoint
            if response.status != 200:
                raise EmbedUnavailable(f"{provider.name} answered {response.status}.")
            body = bytearray()
            # The socket timeout applies per read; the deadline bounds a provider that trickles.
            while chunk := response.read(8192):
                body += chunk
                if len(body) > MAX_RESPONSE_BYTES or time.monotonic() > deadline:
                    raise EmbedUnavailable(f"{provider.name}'s answer was too large or too slow.")
    except (TimeoutError, OSError, HTTPException, ValueError) as error:  # URLError is an OSError
        raise EmbedUnavailable(f"{provider.name} could not be reached: {error}") from error
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise EmbedUnavailable(f"{provider.name} did not answer with oEmbed JSON.") from error
    if not isinstance(data, dict):
        raise EmbedUnavailable(f"{provider.name} did not answer with an oEmbed object.")
    return data


def _plain(value, limit):
    text = value if isinstance(value, str) else ""
    return " ".join(unescape(nh3.clean(text, tags=set())).split())[:limit]


def _https(value):
    value = value if isinstance(value, str) else ""
    parts = urlsplit(value)
    return value if parts.scheme == "https" and parts.netloc and len(value) <= 2000 else ""


_IFRAME_SRC = re.compile(r"<iframe\b[^>]*?\ssrc=[\"']([^\"']{1,2000})[\"']", re.IGNORECASE)


def frame_url(provider, url, data):
    """The address readers' browsers load on the click, on one of the provider's frame origins; '' if none.

    From the iframe in the provider's oEmbed HTML (its origin swapped for the reader-facing one, such
    as YouTube's privacy-enhanced host), or for a script-widget provider its embed page for the id
    in the canonical URL. The HTML itself is only read for that address, never kept.
    """
    match = _IFRAME_SRC.search(data.get("html") or "") if isinstance(data.get("html"), str) else None
    if match:
        src = _https(unescape(match.group(1)))
        parts = urlsplit(src)
        origin = f"{parts.scheme}://{parts.netloc}" if src else ""
        if origin in provider.frame_origins:
            return provider.frame_origins[origin] + src[len(origin):]
        return ""
    if provider.frame_page and provider.id_in_url:
        found = re.search(provider.id_in_url, urlsplit(url).path)
        if found:
            return provider.frame_page.format(id=found.group(1))
    return ""


def embed_html(provider, url, data):
    """Our figure for one embed (see the module docstring); the sanitizer keeps exactly this."""
    title = _plain(data.get("title"), 300) or f"{provider.name} content"
    return format_html(
        '<figure class="embed" data-embed="{}" data-embed-frame="{}" data-embed-title="{}" data-embed-thumbnail="{}">'
        '<a href="{}">{}</a><figcaption>{}</figcaption></figure>',
        provider.key, frame_url(provider, url, data), title, _https(data.get("thumbnail_url")), url, title,
        provider.name,
    )


def embed_pasted_links(body_html):
    """The body with each lone allow-listed link turned into an embed figure; links whose lookup fails stay."""
    lookups = 0

    def replace(match):
        nonlocal lookups
        url = unescape(match.group("href") or match.group("bare"))
        text = match.group("text")
        if text is not None and unescape(text).strip() not in (url, url.removeprefix("https://"), url.removeprefix("http://")):
            return match.group(0)  # a link with words of its own is the reporter's link, not a paste
        provider = provider_for(url)
        if provider is None or lookups >= MAX_LOOKUPS_PER_SAVE:
            return match.group(0)
        lookups += 1
        try:
            data = fetch_oembed(provider, url)
        except EmbedUnavailable:
            return match.group(0)
        return embed_html(provider, url, data)

    return _LONE_LINK.sub(replace, body_html or "")
