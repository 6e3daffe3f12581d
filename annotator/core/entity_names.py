"""What a mention's words say about the name in it, for linking across the corpus.

A mention is read with a little of its sentence around it:
- titles and honorifics before the name ("Mrs.", "Sen.", "President", "Secretary")
  are not part of it for matching, and are evidence that it names a person, unless
  what follows is an institution's noun ("Justice Department");
- "said" right after or right before it is weaker evidence of a person;
- a name in a list that ends in a plural place noun ("Beaufort, Moore and Cumberland
  counties") or followed by one ("Moore County") is a place: the county, not a
  person of that surname.
"""

import functools
import re
from dataclasses import dataclass

from annotator.datafiles import read_data

_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
_ABBREVIATION = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]?\.?")

# Titles read before a name; all lower case, without the full stop.
_TITLES = frozenset(
    """mr mrs ms miss mx dr sen senator rep representative congressman congresswoman
    president vice secretary gov governor gen general judge justice speaker leader
    chairman chairwoman chair candidate nominee sir dame rev reverend prof professor mayor
    ambassador sheriff lt col adm sgt capt attorney minister premier chancellor
    first lady former then director commissioner""".split()
)
# Titles that say the name is a person's whatever the model thought.
_PERSON_TITLES = frozenset(
    """mr mrs ms miss mx dr sen senator rep representative congressman congresswoman
    president gov governor secretary judge justice speaker sir dame rev reverend prof
    professor mayor ambassador candidate nominee lady""".split()
)
_TITLE_OF = re.compile(
    r"\b(?:secretary|minister|ministry|department|director|attorney|chief|head)\s+of\s+$",
    re.IGNORECASE,
)
_HONORIFICS = frozenset("mr mrs ms miss mx dr sir dame".split())
# The nouns a title before them makes an institution's name, not a person's
# ("Justice Department", "Speaker's Office").
_INSTITUTION_NOUNS = frozenset(
    """department ministry court committee office administration agency bureau
    commission council caucus campaign party foundation fund institute university
    college school center centre association union board service""".split()
)
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z-]*)\.?\s*$")
_SAID = re.compile(r"^\s*(?:,\s*)?(?:said|says|told|added|wrote|tweeted)\b")
_SAID_BEFORE = re.compile(r"\b(?:said|says|told|added|wrote|tweeted)\s*$")

# The nouns that make a list of capitalised names a list of places.
PLACE_NOUNS = {
    "counties": "county",
    "county": "county",
    "parishes": "parish",
    "parish": "parish",
    "townships": "township",
    "township": "township",
    "boroughs": "borough",
    "borough": "borough",
    "states": None,
    "cities": None,
    "provinces": None,
    "districts": None,
    "regions": None,
    "countries": None,
}
_LIST_ITEM = r"(?:the\s+)?[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)*"
_SEPARATOR = r"\s*(?:,|,?\s*(?:and|or|&))\s*"
# "Moore County"; "Beaufort, Moore and Cumberland counties": a plural noun only after
# a list, lest a verb ("Clinton states that") make a person a place.
_PLACE_AFTER = re.compile(
    r"^\s+(county|parish|township|borough)\b"
    rf"|^(?:{_SEPARATOR}{_LIST_ITEM})+,?\s+"
    rf"({'|'.join(sorted(PLACE_NOUNS, key=len, reverse=True))})\b",
    re.IGNORECASE,
)


@functools.cache
def company_words() -> frozenset[str]:
    data = read_data("annotator.nlp", "entities.json")
    return frozenset(w.rstrip(".") for w in data["company_words"])


def words_of(name: str) -> list[str]:
    """The words of a name without a leading "the" or a trailing possessive."""
    words = name.split()
    if words and words[0].casefold() == "the":
        words = words[1:]
    if words:
        words[-1] = _POSSESSIVE.sub("", words[-1])
    return [w for w in words if w]


def fold(word: str) -> str:
    folded = word.casefold()
    # U.S. / US, S.P. / SP: the dots of an abbreviation are spelling, not name.
    if _ABBREVIATION.fullmatch(word):
        folded = folded.replace(".", "")
    return folded.rstrip(".")


def is_title(word: str) -> bool:
    return fold(word) in _TITLES


def _institution(title: str, words) -> bool:
    """ "Justice Department" is an institution; "Mrs. Court" is still a person."""
    return (
        fold(title) not in _HONORIFICS
        and len(words) == 1
        and fold(_POSSESSIVE.sub("", words[0])) in _INSTITUTION_NOUNS
    )


@dataclass(frozen=True, slots=True)
class ReadName:
    """One mention as the linker matches it."""

    # the name's words without titles, as written ("Hillary", "Clinton")
    words: tuple[str, ...]
    # a title read before or inside the mention says it is a person
    titled: bool
    said: bool
    # the place noun it is listed with ("county"), "" when listed with a plural
    # noun that names no kind of its own ("states"); None when not a place item
    place: str | None


def read_name(surface: str, before: str, after: str) -> ReadName:
    words = words_of(surface)
    titled = False
    if len(words) > 1 and _TITLE_OF.search(before):
        # "Secretary of State Hillary Clinton": "State" ends the title, not the name.
        words = words[1:]
        titled = True
    while len(words) > 1 and is_title(words[0]) and not _institution(words[0], words[1:]):
        titled = titled or fold(words[0]) in _PERSON_TITLES
        words = words[1:]
    found = _WORD_BEFORE.search(before)
    if found and fold(found.group(1)) in _PERSON_TITLES:
        titled = True
    said = bool(_SAID.match(after) or _SAID_BEFORE.search(before))
    place = None
    listed = _PLACE_AFTER.match(after)
    if listed:
        noun = PLACE_NOUNS[(listed.group(1) or listed.group(2)).casefold()]
        place = noun or ""
    return ReadName(tuple(words), titled, said, place)


def name_key(words) -> str:
    return " ".join(fold(w) for w in words)
