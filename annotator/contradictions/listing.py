"""`annotator contradictions` as text: one block per entity, one entry per link."""

import textwrap

_WIDTH = 100


def _document(claim: dict) -> str:
    document = claim["document"]
    parts = [f"doc {claim['document_id']}: {document['name']}"]
    parts += [document[k] for k in ("outlet", "published") if document.get(k)]
    return ", ".join(parts)


def _sources(claim: dict) -> str:
    if not claim["sources"]:
        return "no attribution"
    described = []
    for source in claim["sources"]:
        who = source["name"] or "unattributed"
        detail = source["kind"] + (
            f", rated {source['reliability']}" if source["reliability"] else ""
        )
        described.append(f"{who} ({detail})")
    return "; ".join(described)


def _claim_lines(number: int, claim: dict) -> list[str]:
    head = f"    {number}. "
    body = textwrap.wrap(
        claim["text"],
        _WIDTH,
        initial_indent=head,
        subsequent_indent=" " * len(head),
        replace_whitespace=True,
    )
    meta = f"{' ' * len(head)}— sentence {claim['sentence_id']}, {_document(claim)}; "
    meta += f"source: {_sources(claim)}"
    return [*body, *textwrap.wrap(meta, _WIDTH, subsequent_indent=" " * (len(head) + 2))]


def other_names(name: str, aliases: list[str]) -> list[str]:
    """The aliases to name beside an entity, most mentioned first: a spelling that
    differs from the name or a more mentioned alias only in case ("CLINTON",
    "HIllary Clinton") is the same name again. `--json` keeps every alias."""
    seen = {name.casefold()}
    shown = []
    for alias in aliases:
        if alias.casefold() not in seen:
            seen.add(alias.casefold())
            shown.append(alias)
    return shown


def render(groups: list[dict]) -> str:
    if not groups:
        return "No contradictions."
    lines = []
    for group in groups:
        links = group["contradictions"]
        others = other_names(group["entity"], group["aliases"])
        also = f" (also: {'; '.join(others)})" if others else ""
        lines.append(f"{group['entity']}{also}: {len(links)} link{'s' if len(links) != 1 else ''}")
        for link in links:
            decided = f" by {link['reviewer']}" if link["reviewer"] else ""
            gold = (
                f" as {link['gold_label']}"
                if link["status"] == "rejected" and link["gold_label"]
                else ""
            )
            lines.append(
                f"  #{link['id']}  {link['kind']}  {link['status']}{gold}{decided}  "
                f"score {link['score']:.2f}"
            )
            lines += _claim_lines(1, link["claim1"])
            lines += _claim_lines(2, link["claim2"])
            if link["note"]:
                lines += textwrap.wrap(
                    f"note: {link['note']}", _WIDTH, initial_indent="    ", subsequent_indent="    "
                )
        lines.append("")
    return "\n".join(lines).rstrip()
