"""Agency subject codes in one spelling, and the values a wire section rule may hold (pure; no models)."""

import re

# The mediatopic vocabulary's two spellings: its qcode prefix and its address.
_MEDIATOPIC_URI = re.compile(r"^https?://cv\.iptc\.org/newscodes/mediatopic/(\w+)/?$", re.IGNORECASE)
_QCODE = re.compile(r"^[a-z][\w-]*:[\w.-]+$", re.IGNORECASE)


def subject_code(value):
    """A subject code in one spelling: 'http://cv.iptc.org/newscodes/mediatopic/04000000' -> 'medtop:04000000'.

    A bare eight-digit code is taken as a media topic; other qcodes ('subj:04000000') are kept as
    they are, in lower case. '' for anything that is not a code.
    """
    text = (value or "").strip()
    uri = _MEDIATOPIC_URI.match(text)
    if uri:
        return f"medtop:{uri.group(1)}".lower()
    if re.fullmatch(r"\d{8}", text):
        return f"medtop:{text}"
    return text.lower() if _QCODE.match(text) else ""


def normalized_rule_value(kind, value):
    """The value a rule of `kind` stores; ValueError (in an editor's words) when it cannot match anything."""
    text = " ".join((value or "").split())
    if kind == "default":
        return ""
    if not text:
        raise ValueError("Give the subject code or the keyword this rule matches.")
    if kind == "subject":
        code = subject_code(text)
        if not code:
            raise ValueError(
                f"“{text}” is not a subject code: write it as medtop:04000000, 04000000 or its "
                "cv.iptc.org mediatopic address (for a word, match on a subject name or keyword)."
            )
        return code
    return text.lower()
