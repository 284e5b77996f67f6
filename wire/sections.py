"""Which section a wire item is filed in: the desk's SectionRules, tried by priority.

Agencies describe an item with subject codes (IPTC media topics: "medtop:04000000" in NewsML-G2,
"http://cv.iptc.org/newscodes/mediatopic/04000000" in ninjs), subject names and keywords. A rule
matches a code exactly, or a name/keyword case-insensitively; a "default" rule matches everything.
The batch reads the rules once (IngestBatch.section_for) and asks `rule_for()` per item.
"""

from .models import SectionRule
from .subjects import subject_code

Kind = SectionRule.Kind

def rule_for(item, rules):
    """The first of `rules` (in priority order) that matches the item's codes, names or keywords; None if none does."""
    codes = {code for code in map(subject_code, item.subject_codes) if code}
    words = {" ".join(word.split()).lower() for word in item.tags}
    for rule in rules:
        if rule.kind == Kind.DEFAULT:
            return rule
        if rule.kind == Kind.SUBJECT and subject_code(rule.value) in codes:
            return rule
        if rule.kind == Kind.KEYWORD and rule.value.lower() in words:
            return rule
    return None
