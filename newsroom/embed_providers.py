"""The allow-list of oEmbed providers a pasted link may become an embed from (articles/embeds.py).

Plain data, so settings.py can build the Content-Security-Policy's frame-src from exactly the
providers switched on (NEWSROOM_EMBED_PROVIDERS). Which URLs belong to a provider is not decided
here: micawber's curated provider patterns say that, matched on the provider's oEmbed endpoint.
What we add is what readers' browsers may load: the frame origins, and for a provider whose oEmbed
HTML is a script widget rather than an iframe (X, Instagram), the provider's own embed page.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class EmbedProvider:
    key: str  # stored in the body (data-embed="youtube")
    name: str  # what readers read: "Load YouTube content"
    endpoint: str  # the oEmbed endpoint, as micawber registers it
    # Frame origins the provider's oEmbed iframe may name -> the origin readers load it from
    # (YouTube's privacy-enhanced host). Anything else is refused.
    frame_origins: dict = field(default_factory=dict)
    # For widget providers: the embed page built from the id found in the canonical URL.
    frame_page: str = ""
    id_in_url: str = ""


PROVIDERS = {
    provider.key: provider
    for provider in [
        EmbedProvider(
            "youtube", "YouTube", "https://www.youtube.com/oembed",
            frame_origins={
                "https://www.youtube.com": "https://www.youtube-nocookie.com",
                "https://www.youtube-nocookie.com": "https://www.youtube-nocookie.com",
            },
        ),
        EmbedProvider(
            "vimeo", "Vimeo", "https://vimeo.com/api/oembed.json",
            frame_origins={"https://player.vimeo.com": "https://player.vimeo.com"},
        ),
        EmbedProvider(
            "x", "X", "https://publish.x.com/oembed",
            frame_origins={"https://platform.twitter.com": "https://platform.twitter.com"},
            frame_page="https://platform.twitter.com/embed/Tweet.html?dnt=true&id={id}",
            id_in_url=r"/status(?:es)?/(\d{1,25})",
        ),
        EmbedProvider(
            "instagram", "Instagram", "https://graph.facebook.com/v16.0/instagram_oembed",
            frame_origins={"https://www.instagram.com": "https://www.instagram.com"},
            frame_page="https://www.instagram.com/p/{id}/embed/",
            id_in_url=r"/(?:p|reel|tv)/([\w-]{1,40})",
        ),
        EmbedProvider(
            "soundcloud", "SoundCloud", "https://soundcloud.com/oembed",
            frame_origins={"https://w.soundcloud.com": "https://w.soundcloud.com"},
        ),
        EmbedProvider(
            "spotify", "Spotify", "https://open.spotify.com/oembed",
            frame_origins={"https://open.spotify.com": "https://open.spotify.com"},
        ),
    ]
}


def enabled_providers(keys):
    """The providers named in `keys` (NEWSROOM_EMBED_PROVIDERS), in table order; unknown names are ignored."""
    wanted = {key.strip().lower() for key in keys}
    return [provider for key, provider in PROVIDERS.items() if key in wanted]


def reader_frame_origins(keys):
    """The origins readers' browsers load embeds from, for the CSP's frame-src."""
    return sorted({origin for provider in enabled_providers(keys) for origin in provider.frame_origins.values()})
