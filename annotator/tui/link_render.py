"""Contradiction links → Content: the list line, each claim with the words that
differ marked, and the link's details. Corpus text goes through `literal`, never
markup; styles are set by offset."""

import re

from textual.content import Content

from annotator.tui.render import literal

# Evidence roles: a style that reads without colour too (bold / underline /
# reverse), and a legend word.
MARK_STYLES = {
    "negation": ("bold reverse #ff5f5f", "denied"),
    "possible": ("bold underline #ff875f", "hedged"),
    "trigger": ("underline", "event"),
    "actor": ("bold underline #d787ff", "actor"),
    "number": ("bold underline #5fafff", "number"),
    "date": ("bold underline #5fafff", "date"),
    "past": ("italic #87afaf", "past"),
}
# The word diff shown for links without evidence (those made by hand).
_DIFF_STYLE = "underline"
STATUS_MARKS = {"proposed": "?", "confirmed": "✓", "rejected": "✗"}
_WORD = re.compile(r"\w+")


def _words(text: str) -> set[str]:
    return {w.casefold() for w in _WORD.findall(text)}


def claim_content(text: str, marks: list, other_text: str) -> Content:
    """The sentence with its evidence marks; with none, the words the other claim
    does not have are underlined."""
    content = literal(text)
    if marks:
        # The event's words first, so a cue inside them keeps its own style on top.
        for start, end, role in sorted(marks, key=lambda m: m[2] != "trigger"):
            style = MARK_STYLES.get(role, ("bold", role))[0]
            if 0 <= start < end <= len(text):
                content = content.stylize(style, start, end)
        return content
    others = _words(other_text)
    for match in _WORD.finditer(text):
        if match.group().casefold() not in others:
            content = content.stylize(_DIFF_STYLE, match.start(), match.end())
    return content


def legend() -> Content:
    seen: dict[str, str] = {}
    for style, word in MARK_STYLES.values():
        seen.setdefault(word, style)
    parts = [Content.styled(word, style) for word, style in seen.items()]
    return Content.styled("marks: ", "dim") + Content(" ").join(parts)


def link_line(link: dict, width: int = 120) -> Content:
    """One line of the list: status, kind, score, entity, and the two claims, each
    given half of the room that is left so that neither is cut to nothing."""
    one, two = link["claim1"], link["claim2"]
    head = (
        f"{STATUS_MARKS[link['status']]} {link['kind']:<9} {link['score']:.2f}  "
        f"s{one['sentence_id']} ⇄ s{two['sentence_id']}  "
    )
    room = max((width - len(head) - len(link["entity"]) - 8) // 2, 12)
    style = {"confirmed": "bold", "rejected": "dim"}.get(link["status"], "")
    return (
        Content.styled(head, style)
        + literal(link["entity"])
        + Content.styled("  “", "dim")
        + literal(_clip(one["text"], room))
        + Content.styled("” ⇄ “", "dim")
        + literal(_clip(two["text"], room))
        + Content.styled("”", "dim")
    )


def _clip(text: str, width: int = 32) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def claim_header(number: int, claim: dict) -> Content:
    document = claim["document"]
    title = document["name"]
    parts = [
        Content.styled(f"claim {number} ", "bold"),
        Content(f"doc {claim['document_id']}: "),
        literal(title),
    ]
    if document.get("published"):
        parts.append(Content(f" · {document['published']}"))
    line = Content("").join(parts)
    for source in claim["sources"]:
        who = source["name"] or "unattributed"
        rating = source["reliability"] or "unrated"
        line = (
            line
            + Content("\n")
            + Content.styled("  ◆ ", "bold")
            + literal(who)
            + Content.styled(f"  {source['kind']} · reliability {rating}", "dim")
        )
    return line


def link_details(link: dict) -> Content:
    evidence = link["evidence"]
    parts = [
        Content.styled(f"#{link['id']} {link['kind']} · {link['status']}", "bold"),
    ]
    if link["status"] == "rejected" and link["gold_label"]:
        parts.append(Content(f" as {link['gold_label']}"))
    if link["reviewer"] and link["status"] != "proposed":
        parts.append(Content(" by ") + literal(link["reviewer"]))
    parts.append(Content(f" · score {link['score']:.2f} · entity ") + literal(link["entity"]))
    if evidence.get("event"):
        stances = " / ".join(evidence.get("stances", []))
        parts.append(Content(f" · event {evidence['event']} ({stances})"))
    if link["origin"] == "human":
        parts.append(Content(" · linked by hand"))
    line = Content("").join(parts)
    if evidence.get("reasons"):
        line = line + Content.styled("\n" + "; ".join(evidence["reasons"]), "dim")
    if link["note"]:
        line = line + Content("\nnote: ") + literal(link["note"])
    return line
