"""The review screen's keys and the choices of its pickers, in one place: the screen,
its help, the command palette and the tests read them from here."""

from textual.content import Content

from annotator.core import actions
from annotator.core.vocabulary import ATTRIBUTION_KINDS
from annotator.tui.bindings import binder
from annotator.tui.screens.picker import Choice

LABEL_KEYS = dict(zip("123456", actions.SPAN_LABELS, strict=True))
SENTENCE_LABEL_CHOICES = [
    Choice("1", "CFS", "check-worthy factual sentence"),
    Choice("2", "UFS", "unimportant factual sentence"),
    Choice("3", "NFS", "non-factual sentence"),
    Choice("b", "boilerplate", "not part of the report"),
]
RELIABILITY_CHOICES = [
    Choice("a", "A", "completely reliable"),
    Choice("b", "B", "usually reliable"),
    Choice("c", "C", "fairly reliable"),
    Choice("d", "D", "not usually reliable"),
    Choice("e", "E", "unreliable"),
    Choice("f", "F", "reliability cannot be judged"),
]
CREDIBILITY_CHOICES = [
    Choice("1", 1, "confirmed by other sources"),
    Choice("2", 2, "probably true"),
    Choice("3", 3, "possibly true"),
    Choice("4", 4, "doubtful"),
    Choice("5", 5, "improbable"),
    Choice("6", 6, "truth cannot be judged"),
]


ATTRIBUTION_KIND_CHOICES = [
    Choice(key, kind, description)
    for key, kind, description in zip(
        "pgaou",
        ATTRIBUTION_KINDS,
        [
            "a named person said it",
            "a named organisation said it",
            "an unnamed source (say why with R)",
            "another outlet reported it",
            "no source is given",
        ],
        strict=True,
    )
]
ROLE_CHOICES = [
    Choice("s", "source", "who said it (a selection becomes a SOURCE span)"),
    Choice("c", "cue", "the reporting verb or phrase (a selection becomes a CUE span)"),
    Choice("q", "content", "what was said (may lie in another sentence)"),
]

_b = binder("review")

REVIEW_BINDINGS = [
    # The core keys, shown in the footer.
    _b("a", "accept", "Accept", show=True, tooltip="Accept the focused span or attribution"),
    _b("x", "reject", "Reject", show=True, tooltip="Reject the focused span or attribution"),
    _b("j", "next_sentence", "Next", show=True),
    _b("k", "previous_sentence", "Previous", show=True),
    _b("u", "undo", "Undo", show=True),
    _b("question_mark", "help", "Help", show=True, display="?"),
    _b("q", "quit", "Quit", show=True),
    # Spans.
    _b("A", "accept_all", "Accept every pending proposal and attribution in the sentence"),
    _b("tab,down", "next_span", "Focus the next span or attribution", display="tab ↓"),
    _b(
        "shift+tab,up",
        "previous_span",
        "Focus the previous span or attribution",
        display="shift+tab ↑",
    ),
    _b("J", "scroll_list(1)", "Scroll the span list down (when it does not fit)"),
    _b("K", "scroll_list(-1)", "Scroll the span list up"),
    _b("d,delete", "delete_span", "Delete the focused span", display="d del"),
    _b(
        "1",
        "label('1')",
        "Label",
        show=True,
        display="1-6",
        tooltip="Label QUANTITY: the selection as a new span, or the focused span",
    ),
    _b("2", "label('2')", "Label QUOTE"),
    _b("3", "label('3')", "Label SOURCE"),
    _b("4", "label('4')", "Label CUE"),
    _b("5", "label('5')", "Label HEDGE"),
    _b("6", "label('6')", "Label ENTITY"),
    _b(
        "less_than_sign",
        "boundary('start', 'grow', 1)",
        "Grow the focused span's start by a word",
        display="<",
    ),
    _b(
        "comma",
        "boundary('start', 'shrink', 1)",
        "Shrink the focused span's start by a word",
        display=",",
    ),
    _b(
        "greater_than_sign",
        "boundary('end', 'grow', 1)",
        "Grow the focused span's end by a word",
        display=">",
    ),
    _b(
        "full_stop",
        "boundary('end', 'shrink', 1)",
        "Shrink the focused span's end by a word",
        display=".",
    ),
    _b(
        "left_curly_bracket",
        "boundary('start', 'grow', 0)",
        "Grow the focused span's start by a character",
        display="{",
    ),
    _b(
        "left_square_bracket",
        "boundary('start', 'shrink', 0)",
        "Shrink the focused span's start by a character",
        display="[",
    ),
    _b(
        "right_curly_bracket",
        "boundary('end', 'grow', 0)",
        "Grow the focused span's end by a character",
        display="}",
    ),
    _b(
        "right_square_bracket",
        "boundary('end', 'shrink', 0)",
        "Shrink the focused span's end by a character",
        display="]",
    ),
    # Cursor and selection.
    _b("l,right", "move('char', 1)", "Cursor one character right", display="l →"),
    _b("h,left", "move('char', -1)", "Cursor one character left", display="h ←"),
    _b("w", "move('word', 1)", "Cursor to the next word"),
    _b("b", "move('word', -1)", "Cursor to the previous word"),
    _b("e", "move('end', 1)", "Cursor to the end of the word"),
    _b("0,home", "move('line', -1)", "Cursor to the sentence start", display="0 home"),
    _b("dollar_sign,end", "move('line', 1)", "Cursor to the sentence end", display="$ end"),
    _b(
        "L,shift+right",
        "select('char', 1)",
        "Extend the selection a character right",
        display="L shift+→",
    ),
    _b(
        "H,shift+left",
        "select('char', -1)",
        "Extend the selection a character left",
        display="H shift+←",
    ),
    _b(
        "W,ctrl+shift+right",
        "select('end', 1)",
        "Extend the selection to the end of the next word",
        display="W ctrl+shift+→",
    ),
    _b(
        "B,ctrl+shift+left",
        "select('word', -1)",
        "Extend the selection to the previous word",
        display="B ctrl+shift+←",
    ),
    _b(
        "v",
        "toggle_selection",
        "Select",
        show=True,
        tooltip="Select: start or drop a selection at the cursor (then move to extend)",
    ),
    _b(
        "escape",
        "clear_selection",
        "Drop the selection (pressed again: put down the attribution in hand)",
    ),
    # Attributions: the focused one, else the one in hand (tab to it, or N), else the
    # one that links the focused span.
    _b("t", "attribution_kind", "Attribution kind: person / organisation / anonymous / …"),
    _b("R", "attribution_reason", "Edit the anonymity reason of the attribution"),
    _b("o", "attribution_resolve", "Who the source is: a name of the document, or typed"),
    _b(
        "P",
        "attribution_repoint",
        "Point the attribution's source, cue or content at the selection or the focused span",
    ),
    _b(
        "N",
        "attribution_new",
        "New attribution of the selection or focused span (then P to give it a source)",
    ),
    _b("T", "toggle_advance", "Auto-advance to the next sentence when all is decided: on/off"),
    # Sentence labels and ratings.
    _b("s", "sentence_label", "Sentence label: CFS / UFS / NFS / boilerplate"),
    _b(
        "r",
        "rate_source",
        "Rate the source's reliability, A-F (the focused span's attribution)",
    ),
    _b("c", "rate_claim", "Rate the claim's credibility, 1-6"),
    # Navigation.
    _b("n", "next_unreviewed", "Next sentence to review"),
    _b("O", "cycle_order", "Order j / k / n walk: document, check-worthy first, most unsure first"),
    _b("p", "next_with_proposals", "Next sentence with pending proposals"),
    _b("g", "jump_document", "Jump to a document"),
    _b("slash", "search", "Full-text search over sentences", display="/"),
    _b("U,ctrl+r", "redo", "Redo", display="U ctrl+r"),
    # Contradictions.
    _b("C", "contradictions", "Contradictions about this sentence's entities (and the corpus)"),
    _b("m", "mark_claim", "Mark this sentence as a claim to link by hand"),
    _b("M", "link_claim", "Link this sentence to the marked one as contradicting (kind picker)"),
    _b("E", "entities", "Entities: merge, split or rename how mentions are linked"),
]

# What the screen's marks mean, at the top of its help.
REVIEW_LEGEND = [
    Content.styled("In the sentence", "bold")
    + Content(
        ": ⟦N…⟧ marks a span: N quantity, Q quote, S source, C cue, H hedge, E entity"
        " (keys 1-6). Reversed: the focused span; underlined: the cursor and the selection."
    ),
    Content.styled("In the list", "bold")
    + Content(
        ": ?proposed ✓accepted ✗rejected. ◆ an attribution (source · cue · content);"
        " ✎ in hand: the attribution t, R, o and P change, kept while you move to other"
        " sentences (escape twice puts it down)."
    ),
    Content.styled("Sentence labels (s)", "bold")
    + Content(
        ": CFS check-worthy factual sentence, UFS unimportant factual sentence,"
        " NFS non-factual sentence (opinion, question), boilerplate: not part of the report."
    ),
    Content.styled("Ratings", "bold")
    + Content(
        " (Admiralty scale): source reliability A completely reliable … E unreliable,"
        " F cannot be judged (r); claim credibility 1 confirmed … 5 improbable,"
        " 6 cannot be judged (c)."
    ),
]
