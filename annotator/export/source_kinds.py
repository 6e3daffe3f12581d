"""Telling an unnamed source from its words alone, for gold that does not say: a
brat or INCEpTION file marks a source, not whether it is named. Pure text rules,
no NLP: `annotator import --format brat` and the evaluation share them."""

import re

ANONYMOUS_HEADS = frozenset(
    """official officials source sources spokesman spokeswoman spokesperson spokespeople
    aide aides adviser advisers advisor advisors staffer staffers insider insiders
    operative operatives diplomat diplomats strategist strategists confidant confidants
    associate associates""".split()
)
_PEOPLE = frozenset({"people", "person", "persons", "individuals", "individual"})
_POSTMODIFIER = frozenset(
    "who familiar close with from of at in for to on , briefed involved".split()
)
REASON = re.compile(
    r"anonymity|not authorized|not authorised|declined to be (?:named|identified)"
    r"|asked not to be (?:named|identified)|insisted on anonymity|requested anonymity",
    re.IGNORECASE,
)
_NAMELESS_GROUP = re.compile(r"^(?:one|some|many|two|three|several|most|all) of (?:the )?")


def looks_anonymous(source: str, after: str = "") -> bool:
    """An unnamed source: its head is an official, an aide, a source ... with no name
    after it, or people described by their access, or a stated reason for anonymity."""
    if REASON.search(source) or REASON.search(after):
        return True
    words = _NAMELESS_GROUP.sub("", source.casefold().replace("’", "'")).split()
    head = None
    for i, raw in enumerate(words):
        w = raw.strip(",.")
        if raw.endswith(",") and i > 0 and w not in ANONYMOUS_HEADS:
            # "Brian Fallon, a spokesman for ...": a name, then its apposition.
            head = w
            break
        if w in _POSTMODIFIER and i > 0:
            rest = " ".join(words[i:])
            if head in _PEOPLE and re.match(r"(familiar|close|with knowledge|briefed|who)", rest):
                return True
            break
        head = w
    if head is None:
        return False
    # "Clinton spokesman Brian Fallon" ends on a name: named.
    return head in ANONYMOUS_HEADS
