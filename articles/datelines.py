"""The dateline, written once: the place a story was filed from, however the agency or the reporter typed it.

Agencies send the place in a field ("SEOUL, July 3", "Seoul", "PYONGYANG") and again at the start of
the body ("SEOUL, July 3 (Yonhap) -- "); reporters type "SEOUL —" in the field and often in the
first paragraph too. `place_of()` reduces any of these to the place ("SEOUL"), `strip_lede()` takes
the repeated dateline off the start of the body, and `dateline_lede()` is how the page prints it.
Article.save() runs the first two on every way in (form, wire, scripts, restores), so the page
never says "SEOUL, SEOUL, July 3 --".
"""

import re

# Dashes agencies and keyboards produce: hyphen-minus, double hyphen, en and em dashes, the minus sign.
_DASH = r"(?:-{1,3}|[\u2010-\u2015\u2212])"
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?"
    r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
# "July 3", "3 July", "July 3, 2024", "2024-07-03", "7월 3일", "2024년 7월 3일".
_DATE = (
    rf"(?:{_MONTH}\s+\d{{1,2}}(?:,?\s+\d{{4}})?|\d{{1,2}}\s+{_MONTH}(?:\s+\d{{4}})?|\d{{4}}-\d{{2}}-\d{{2}}"
    r"|(?:\d{4}\s*년\s*)?\d{1,2}\s*월\s*\d{1,2}\s*일)"
)
# A place: up to 60 letters, spaces and the punctuation place names use ("ST. LOUIS", "PYONGYANG/SEOUL", "서울").
_PLACE = r"[^\W\d_][\w .'’/&-]{0,59}?"
# "(Yonhap)", "(AP)", "(연합뉴스)".
_AGENCY = r"\([^()<>=]{1,40}\)"

# What the dateline field may hold around the place: a date, the agency, a closing dash or colon.
_FIELD = re.compile(
    rf"^\s*(?P<place>{_PLACE})\s*(?:,\s*{_DATE})?\s*(?:{_AGENCY})?\s*(?:{_DASH}|:|,)?\s*$", re.IGNORECASE
)
# Yonhap's Korean form: "(서울=연합뉴스) 홍길동 기자 = ".
_KOREAN_WIRE = re.compile(r"^\s*\((?P<place>[^()=<>]{1,40})=[^()<>]{1,40}\)\s*(?:[^\s<>=]{1,20}\s+기자\s*=\s*)?")

_OPENING = r"(?P<open>\s*<p(?:\s[^>]*)?>)\s*(?:<(?P<bold>strong|b)>)?"
# The dash, with a bold opening closed before or after it ("<strong>SEOUL</strong> —", "<b>SEOUL —</b>").
_DASH_AFTER = rf"\s*(?:(?(bold)</(?P=bold)>)\s*(?:{_DASH}|:)|(?:{_DASH}|:)\s*(?(bold)</(?P=bold)>))\s*"
# A dateline opening the first paragraph. With a date or an agency it is a dateline whatever the
# place; a bare place needs a dash after it and must be the story's own place ("SEOUL — Rain fell").
_LEDE_DATED = re.compile(
    rf"^{_OPENING}(?P<place>{_PLACE})\s*(?:,\s*{_DATE}\s*(?:{_AGENCY})?|{_AGENCY}){_DASH_AFTER}", re.IGNORECASE
)
_LEDE_BARE = re.compile(rf"^{_OPENING}(?P<place>{_PLACE}){_DASH_AFTER}", re.IGNORECASE)
_LEDE_KOREAN = re.compile(rf"^(?P<open>\s*<p(?:\s[^>]*)?>)\s*{_KOREAN_WIRE.pattern[1:]}")


def place_of(value):
    """The place alone, in capitals: 'Seoul, July 3 (Yonhap) --' -> 'SEOUL', 'SEOUL —' -> 'SEOUL', '서울' -> '서울'.

    A value that does not read as a dateline is kept (tidied: spaces collapsed, a trailing dash or
    comma dropped) rather than guessed at.
    """
    text = " ".join(str(value or "").split())
    if not text:
        return ""
    korean = _KOREAN_WIRE.match(text)
    if korean:
        text = korean.group("place")
    match = _FIELD.match(text)
    place = match.group("place") if match else text.split(",")[0]
    return re.sub(rf"\s*(?:{_DASH}|[,:;])\s*$", "", place.strip()).strip().upper()[:100]


def strip_lede(body_html, place=""):
    """The body without a dateline repeated at its start ('<p>SEOUL, July 3 (Yonhap) -- Rain' -> '<p>Rain').

    A dated or agency-marked dateline goes whatever its place (agencies write "PYONGYANG/SEOUL" over
    a story located in Pyongyang); a bare "PLACE —" only when it is the story's own `place`, so a
    first sentence such as "WARNING — ..." stays.
    """
    html = body_html or ""
    for pattern in (_LEDE_DATED, _LEDE_KOREAN):
        match = pattern.match(html)
        if match:
            return match.group("open") + html[match.end():]
    match = _LEDE_BARE.match(html)
    if match and place and place_of(match.group("place")) == place_of(place):
        return match.group("open") + html[match.end():]
    return html


def dateline_lede(place):
    """How the page opens the body with the dateline: 'SEOUL — ' ('' without one)."""
    place = place_of(place)
    return f"{place} \u2014 " if place else ""
