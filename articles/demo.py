"""Demo content for `manage.py seed_demo`: written for Newsroom, shaped like a real desk's day."""
import io
import secrets
from datetime import timedelta
from xml.sax.saxutils import escape

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image, ImageDraw

from frontpage.layouts import SlotChoice, desk_draft, publish_draft, save_draft
from frontpage.models import FrontLayout

from .models import Article, ArticleAuthor, ArticleNote, Author, Caption, Section, Source
from .photos import import_photo
from .publishing import append_note, set_status

# Sent at the end of seed_demo (now=, stories= {key: Article} of DESK_STORIES): apps above articles
# add their own demo rows to those stories (the desk app: a comment with an @mention).
demo_seeded = Signal()

SECTIONS = [
    ("North Korea", "north-korea", "Politics, military and economy north of the border."),
    ("Nation", "nation", "Politics and society at home."),
    ("World", "world", "Foreign affairs and diplomacy."),
    ("Business", "business", "Markets, companies and the economy."),
    ("Culture", "culture", "Film, music, books and the arts."),
    ("Sports", "sports", "Results and stories from the field."),
]

SOURCES = [
    ("Yonhap", "yonhap", "Yonhap", "https://en.yna.co.kr/"),
    ("AFP", "afp", "AFP", "https://www.afp.com/"),
    ("AP", "ap", "AP", "https://apnews.com/"),
    ("Reuters", "reuters", "Reuters", "https://www.reuters.com/"),
]

AUTHORS = [
    ("Kim Min-ji", "kim-min-ji", "Diplomatic correspondent"),
    ("Lee Joon-ho", "lee-joon-ho", "Business reporter"),
    ("Park Soo-yeon", "park-soo-yeon", "Culture editor"),
    ("Daniel Cho", "daniel-cho", "Sports reporter"),
]

ACCOUNTS = [
    # username, password, group, is_superuser
    ("admin", "newsroom-admin", "Admin", True),
    ("editor", "newsroom-editor", "Editor", False),
    ("reporter", "newsroom-reporter", "Reporter", False),
]

# The story shaped like the reference wire story: a Yonhap wire story with an
# AFP photo distributed by Yonhap, a source line after the body, tagged.
FEATURED = {
    "slug": "seoul-and-washington-voice-alarm-over-arms-transfers-before-alliance-summit",
    "headline": "Seoul and Washington voice alarm over arms transfers before alliance summit",
    # Shorter than the headline, for search results (the form's counter shows about 60 characters fit).
    "seo_title": "Seoul, Washington alarmed by arms transfers before summit",
    "dek": "Officials in both capitals said deepening military ties between Pyongyang and Moscow "
    "would top the agenda when allied leaders meet this week.",
    "section": "north-korea",
    "source": "yonhap",
    "dateline": "WASHINGTON",
    "tags": ["North Korea", "Russia", "NATO", "Diplomacy"],
    "body": (
        "<p>A senior U.S. diplomat on Monday repeated Washington's \u201cserious concern\u201d over weapons "
        "and technology moving between North Korea and Russia, days before allied leaders gather for a "
        "summit in the American capital.</p>"
        "<p>Speaking at a regular briefing, the official said the transfers were prolonging the war in "
        "Ukraine and breaking a string of U.N. Security Council resolutions that bar arms trade with "
        "the North.</p>"
        "<blockquote><p>\u201cWe will keep working with our allies and partners to push back against this "
        "relationship,\u201d the official told reporters.</p></blockquote>"
        "{inline_photo}"
        "<p>The summit follows a visit to Pyongyang last month at which the two countries signed a "
        "partnership treaty that includes a pledge of mutual military assistance.</p>"
        "<h2>Concern in Seoul</h2>"
        "<p>South Korean officials say the pact raises the stakes on the Korean Peninsula as well as in "
        "Europe, and have asked partners for closer intelligence sharing.</p>"
    ),
    "photo": {
        "caption": "Giant portraits of the two leaders hang outside a stadium in Pyongyang, decorated "
        "with banners celebrating their friendship, ahead of last month's summit.",
        "credit": "AFP-Yonhap",
        "photographer": "Staff photographer",
        "copyright": "AFP",
        # The agency's licence terms, read from the file into the photo desk's fields (docs/photos.md).
        "usage_terms": "Editorial use only. No sales.",
        "color": (150, 40, 40),
        "label": "PYONGYANG",
        # Where the crops centre (set by clicking the photo on its admin page): the right-hand side.
        "focal_point": (860, 360),
    },
    # A photo inside the body (a <figure data-photo>, drawn with the story's caption and credit).
    "inline_photo": {
        "caption": "Delegates walk past flags of the allied countries at the summit venue in Washington "
        "before the opening session.",
        "credit": "Yonhap",
        "photographer": "Staff photographer",
        "copyright": "Yonhap",
        "color": (40, 70, 130),
        "label": "WASHINGTON",
    },
}

# A wire picture that is an AI-generated illustration (IPTC digital source type in its XMP): readers
# see the label under the figure, editors the badge (docs/photos.md).
AI_ILLUSTRATED = {
    "Schools adopt four-day week in rural pilot": {
        "caption": "An illustration, generated with AI by the agency, of a classroom in a country school.",
        "digital_source_type": "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia",
    },
}

# The story an editor pinned as the home lead (admin → Front page): older than the newest one.
DESK_PICK = "Government unveils plan to ease housing shortage"

TOPICS = {
    "north-korea": [
        ("Pyongyang test-fires short-range missiles into East Sea", "PYONGYANG"),
        ("Unification ministry proposes talks on separated families", "SEOUL"),
        ("Satellite images show new construction at northern port", "SEOUL"),
        ("North Korea marks party anniversary with mass rally", "PYONGYANG"),
    ],
    "nation": [
        ("Assembly passes budget after overnight session", "SEOUL"),
        ("Heavy rain warnings issued for southern provinces", "GWANGJU"),
        ("Government unveils plan to ease housing shortage", "SEOUL"),
        ("Schools adopt four-day week in rural pilot", "GANGNEUNG"),
        ("High-speed rail line to Busan reopens after repairs", "BUSAN"),
    ],
    "world": [
        ("Foreign ministers meet to discuss Indo-Pacific security", "TOKYO"),
        ("Leaders pledge new funds for climate adaptation", "GENEVA"),
        ("Trade envoy visits Jakarta to widen supply deals", "JAKARTA"),
        ("Ceasefire talks resume with new mediator", "DOHA"),
        ("Envoys gather for regional security forum", "SINGAPORE"),
    ],
    "business": [
        ("Chipmakers lift exports to a record in October", "SEOUL"),
        ("Central bank holds key rate steady", "SEOUL"),
        ("Battery maker breaks ground on plant in Georgia", "ATLANTA"),
        ("Shipbuilders win orders for gas carriers", "ULSAN"),
        ("Won strengthens as foreign investors return", "SEOUL"),
    ],
    "culture": [
        ("Director's new film opens festival to standing ovation", "BUSAN"),
        ("Palace night tours return for the autumn season", "SEOUL"),
        ("Novelist wins international prize for translated work", "LONDON"),
        ("Traditional music ensemble sets off on world tour", "SEOUL"),
        ("Museum returns restored scrolls to temple", "GYEONGJU"),
    ],
    "sports": [
        ("National team qualifies for Asian Cup knockout round", "DOHA"),
        ("Marathon record falls on cool morning in Chuncheon", "CHUNCHEON"),
        ("Baseball champions clinch title in game seven", "SEOUL"),
        ("Archers sweep gold at world championships", "BERLIN"),
        ("Figure skater lands quad in season opener", "GANGNEUNG"),
    ],
}

# Stories still on the desk, so the dashboard (the admin home) has something in each panel:
# key -> (headline, section, source or None, status, hours to go live / embargo lift, created by).
DESK_STORIES = {
    "ready": ("Night markets return to the riverside after three-year pause", "culture", None, Article.Status.READY,
              None, "reporter"),
    "draft": ("Fishing towns brace for a thin anchovy season", "business", None, Article.Status.DRAFT,
              None, "reporter"),
    "scheduled": ("What the new subway line means for the morning commute", "nation", None,
                  Article.Status.PUBLISHED, 3, "editor"),
    "embargoed": ("Central bank to publish quarterly growth estimate", "business", "yonhap", Article.Status.READY,
                  5, None),
}
CORRECTION = ("An earlier version of this story gave the wrong day for the briefing. It was Monday, "
              "not Tuesday.")

SOURCE_ROTATION = ["yonhap", "yonhap", "afp", "ap", "reuters", None]
CREDITS = {"yonhap": "Yonhap", "afp": "AFP-Yonhap", "ap": "AP-Yonhap", "reuters": "Reuters-Yonhap", None: "Newsroom"}
SECTION_COLORS = {
    "north-korea": (120, 30, 30),
    "nation": (30, 70, 130),
    "world": (30, 110, 90),
    "business": (110, 90, 20),
    "culture": (90, 40, 110),
    "sports": (20, 110, 40),
}


XMP_TEMPLATE = """<?xpacket begin="﻿" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" xmlns:xmpRights="http://ns.adobe.com/xap/1.0/rights/"
  xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/">
<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{caption}</rdf:li></rdf:Alt></dc:description>
<dc:creator><rdf:Seq><rdf:li>{photographer}</rdf:li></rdf:Seq></dc:creator>
<dc:rights><rdf:Alt><rdf:li xml:lang="x-default">{copyright}</rdf:li></rdf:Alt></dc:rights>
<photoshop:Credit>{credit}</photoshop:Credit>
<photoshop:City>{city}</photoshop:City>{rights}
</rdf:Description></rdf:RDF></x:xmpmeta>
<?xpacket end="w"?>"""
USAGE_TERMS_XMP = (
    '<xmpRights:UsageTerms><rdf:Alt><rdf:li xml:lang="x-default">{}</rdf:li></rdf:Alt></xmpRights:UsageTerms>'
)
SOURCE_TYPE_XMP = "<Iptc4xmpExt:DigitalSourceType>{}</Iptc4xmpExt:DigitalSourceType>"


def demo_image(color, label, *, caption, credit, photographer, copyright, usage_terms="", digital_source_type="",
               size=(1200, 800)):
    """A deterministic JPEG carrying its caption, credit and any licence terms and digital source type
    as XMP, the way agency photos arrive."""
    image = Image.new("RGB", size, color)
    draw = ImageDraw.Draw(image)
    for i in range(0, size[0], 80):
        shade = tuple(min(255, c + (i * 40) // size[0]) for c in color)
        draw.rectangle([i, 0, i + 79, size[1]], fill=shade)
    draw.rectangle([60, size[1] - 200, size[0] - 60, size[1] - 60], fill=(245, 245, 240))
    draw.text((100, size[1] - 150), label, fill=(20, 20, 20), font_size=56)
    fields = {"caption": caption, "credit": credit, "photographer": photographer, "copyright": copyright,
              "city": label.split()[0].title()}
    rights = "".join(template.format(escape(value)) for template, value in
                     [(USAGE_TERMS_XMP, usage_terms), (SOURCE_TYPE_XMP, digital_source_type)] if value)
    xmp = XMP_TEMPLATE.format(**{k: escape(v) for k, v in fields.items()}, rights=rights).encode()
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85, xmp=xmp)
    return buffer.getvalue()


def ensure_photo(*, caption, credit, color, label, photographer="", copyright="", source=None, **rights):
    """Run a generated wire photo through the real upload pipeline (the same bytes reuse the photo).
    `rights`: usage_terms and digital_source_type, written into the file as an agency would."""
    data = demo_image(
        color, label, caption=caption, credit=credit, photographer=photographer or "Newsroom staff",
        copyright=copyright or credit, **rights,
    )
    photo, _created = import_photo(ContentFile(data, name=f"{label.lower().replace(' ', '-')}.jpg"), source=source)
    if not photo.alt_text:
        photo.alt_text = caption[:300]
        photo.save(update_fields=["alt_text"])
    return photo


def story_body(headline, dateline):
    topic = headline[0].lower() + headline[1:]
    return (
        f"<p>Officials confirmed on Tuesday that {topic}, a development closely watched by analysts "
        "and residents alike.</p>"
        "<p>The announcement came after weeks of preparation, according to people familiar with the "
        "matter who asked not to be named because they were not authorised to speak publicly.</p>"
        f"<p>\u201cThis is a significant moment for everyone involved,\u201d one official said in {dateline.title()}, "
        "adding that further details would be released later this week.</p>"
        "<h2>What happens next</h2>"
        "<p>Observers expect follow-up measures within a month, with a review scheduled for early next "
        "year.</p>"
    )


def seed_demo(now=None):
    """Create the demo newsroom; running it twice changes nothing. Returns the created accounts."""
    now = now or timezone.now()
    with transaction.atomic():
        sections = {}
        for position, (name, slug, description) in enumerate(SECTIONS):
            sections[slug], _ = Section.objects.get_or_create(
                slug=slug, defaults={"name": name, "position": position, "description": description}
            )
        sources = {}
        for name, slug, attribution, website in SOURCES:
            sources[slug], _ = Source.objects.get_or_create(
                slug=slug, defaults={"name": name, "attribution": attribution, "website": website}
            )
        sources[None], _ = Source.objects.get_or_create(
            slug="newsroom-staff", defaults={"name": "Newsroom staff", "kind": Source.Kind.STAFF, "attribution": ""}
        )
        authors = []
        for name, slug, role in AUTHORS:
            author, _ = Author.objects.get_or_create(slug=slug, defaults={"name": name, "role": role})
            authors.append(author)
        accounts = ensure_accounts()

        featured = {k: v for k, v in FEATURED.items() if k not in ("photo", "inline_photo", "section", "source")}
        inline_photo = ensure_photo(**FEATURED["inline_photo"], source=sources["yonhap"])
        featured["body"] = featured["body"].format(inline_photo=f'<figure data-photo="{inline_photo.pk}"></figure>')
        photo_fields = {k: v for k, v in FEATURED["photo"].items() if k != "focal_point"}
        featured_photo = ensure_photo(**photo_fields, source=sources["afp"])
        if featured_photo.focal_point is None:
            featured_photo.focal_x, featured_photo.focal_y = FEATURED["photo"]["focal_point"]
            featured_photo.save(update_fields=["focal_x", "focal_y"])
        ensure_story(
            **featured,
            section=sections[FEATURED["section"]],
            source=sources[FEATURED["source"]],
            published_at=now - timedelta(minutes=20),
            photo=featured_photo,
            authors=[],
            body_photos=[inline_photo],
        )

        index = 0
        for section_slug, topics in TOPICS.items():
            for headline, dateline in topics:
                index += 1
                source_slug = SOURCE_ROTATION[index % len(SOURCE_ROTATION)]
                photo = ensure_photo(**{
                    "caption": f"A scene from {dateline.title()} related to the story: {headline.lower()}.",
                    "credit": CREDITS[source_slug],
                    "color": SECTION_COLORS[section_slug],
                    "label": f"{dateline} {index:02d}",
                    "source": sources[source_slug],
                    **AI_ILLUSTRATED.get(headline, {}),
                })
                ensure_story(
                    slug=None,
                    headline=headline,
                    dek=f"The latest on a story our {sections[section_slug].name.lower()} desk is following.",
                    body=story_body(headline, dateline),
                    section=sections[section_slug],
                    source=sources[source_slug],
                    dateline=dateline,
                    tags=[sections[section_slug].name, dateline.title()],
                    published_at=now - timedelta(hours=index * 3),
                    photo=photo,
                    authors=[] if source_slug else [authors[index % len(authors)]],
                )
        desk_stories = ensure_desk_stories(now, sections, sources)
        featured_story = Article.objects.get(slug=FEATURED["slug"])
        if not featured_story.notes.exists():
            append_note(featured_story, kind=ArticleNote.Kind.CORRECTION, text=CORRECTION,
                        at=now - timedelta(minutes=5))
        ensure_front(Article.objects.get(slug=slugify(DESK_PICK)))
        demo_seeded.send(sender=Article, now=now, stories=desk_stories)
    return accounts


def ensure_desk_stories(now, sections, sources):
    """The stories of DESK_STORIES, each moved to its status the way the desk does it (so the desk is
    notified as it would be). Returns {key: Article}."""
    User = get_user_model()
    stories = {}
    for key, (headline, section, source, status, hours, creator) in DESK_STORIES.items():
        slug = slugify(headline)
        article = Article.objects.filter(slug=slug).first()
        if article is None:
            by = User.objects.filter(username=creator).first() if creator else None
            article = Article.objects.create(
                slug=slug, headline=headline, section=sections[section], source=sources[source],
                dek=f"The latest on a story our {sections[section].name.lower()} desk is following.",
                body=story_body(headline, "SEOUL"), dateline="SEOUL", created_by=by,
                wire_guid=f"urn:newsroom:demo:{key}" if source else "",
                embargo_until=now + timedelta(hours=hours) if hours and status != Article.Status.PUBLISHED else None,
            )
            if status == Article.Status.PUBLISHED:  # scheduled by the system, like the stories above
                set_status(article, status, at=now + timedelta(hours=hours), previous=Article.Status.DRAFT)
            elif status != Article.Status.DRAFT:
                set_status(article, status, by=by, previous=Article.Status.DRAFT)
        stories[key] = article
    return stories


def ensure_front(lead):
    """A curated front, as an editor would set it: the desk's pick leads instead of the newest story."""
    if FrontLayout.objects.published().exists():
        return
    editor = get_user_model().objects.filter(username="editor").first()
    draft = save_draft([SlotChoice(lead)], version=desk_draft().version, by=editor)
    publish_draft(version=draft.version, by=editor)


def ensure_story(
    *, slug, headline, dek, body, section, source, dateline, tags, published_at, photo, authors, body_photos=(),
    seo_title="",
):
    slug = slug or slugify(headline)
    if Article.objects.filter(slug=slug).exists():
        return
    article = Article.objects.create(
        slug=slug,
        headline=headline,
        dek=dek,
        body=body,
        section=section,
        source=source,
        dateline=dateline,
        seo_title=seo_title,
    )
    # Published the way the desk does it, so the demo has the status history real stories have.
    set_status(article, Article.Status.PUBLISHED, at=published_at, previous=Article.Status.DRAFT)
    article.tags.set(tags)
    for position, author in enumerate(authors):
        ArticleAuthor.objects.create(article=article, author=author, position=position)
    Caption.objects.create(article=article, photo=photo, role=Caption.Role.LEAD)
    for position, inline in enumerate(body_photos, 1):  # the photos its body shows in place
        Caption.objects.create(article=article, photo=inline, role=Caption.Role.INLINE, position=position)


def ensure_accounts():
    """The demo logins: [(username, password to print)].

    With DEBUG on (`make run`) they get the well-known demo passwords. With DEBUG off a new account
    gets a random password, printed this once; an existing account keeps its password, unprinted,
    so a demo seeded on a public server never has a superuser with a password from the source code.
    """
    User = get_user_model()
    created = []
    for username, demo_password, group_name, is_superuser in ACCOUNTS:
        user, was_created = User.objects.get_or_create(
            username=username,
            defaults={"is_staff": True, "is_superuser": is_superuser, "email": f"{username}@newsroom.test"},
        )
        password = demo_password if settings.DEBUG else secrets.token_urlsafe(12)
        if was_created:
            user.set_password(password)
            user.save()
        elif not settings.DEBUG:
            password = "(existing account: password unchanged)"
        group = Group.objects.filter(name=group_name).first()
        if group:
            user.groups.add(group)
        created.append((username, password))
    return created
