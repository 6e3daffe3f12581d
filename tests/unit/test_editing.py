"""Cursor and span-boundary arithmetic: what one word is when a span grows."""

from annotator.tui import editing


def test_growing_by_a_word_takes_the_next_word_not_the_punctuation_between():
    text = "It sold more than 1 million, said Leong, “mostly abroad”."
    start, end = text.index("more"), text.index("million") + len("million")
    grown = editing.grow_end(text, start, end, by_word=True)
    assert text[start:grown] == "more than 1 million, said"
    back = editing.grow_start(text, text.index("mostly"), end, by_word=True)
    assert text[back : text.index("mostly")] == "Leong, “"
    # A character at a time still takes the comma.
    assert text[start : editing.grow_end(text, start, end, by_word=False)].endswith(",")


def test_growing_past_the_last_word_changes_nothing():
    text = "He said so."
    end = text.index("so") + 2
    assert editing.grow_end(text, 0, end, by_word=True) == end


def test_the_cursor_selects_from_its_anchor_inclusively():
    place = editing.Cursor()
    text = "more than 40 lawmakers"
    place.toggle()
    place.move(text, "word", 1)
    place.extend(text, "end", 1)
    assert text[slice(*place.selection)] == "more than"
    place.toggle()
    assert place.selection is None and not place.selecting


def test_the_span_list_wraps_every_word_and_scrolls_to_the_focused_entry(seeded):
    from annotator.core import review
    from annotator.tui.render import span_list_content
    from tests.conftest import sentence_with

    sid, text = sentence_with(seeded, "The chips Hikvision uses")
    view = review.load_sentence(seeded, sid, "ann")
    quote = next(s for s in view.spans if s.label == "QUOTE")
    whole = span_list_content(view, None, width=30, height=0)
    lines = whole.plain.split("\n")
    assert max(len(line) for line in lines) <= 30
    # Nothing is cut: every word of every span and of the attribution is on screen.
    words = " ".join(whole.plain.split())
    assert " ".join(text[quote.start : quote.end].split()) in words
    assert view.attributions[0].source_name in words
    last = ("attribution", view.attributions[-1].id)
    scrolled = span_list_content(view, last, width=30, height=12).plain.split("\n")
    assert len(scrolled) == 12
    assert scrolled[0].startswith("↑ ") and "more lines" in scrolled[0]
    assert any("◆" in line for line in scrolled)


def test_an_apostrophe_inside_a_name_is_part_of_the_word_but_not_a_possessive():
    text = "Sean O’Brien said Trump’s aides don’t agree."
    place = editing.Cursor(position=text.index("O’Brien"))
    place.toggle()
    place.extend(text, "end", 1)
    assert text[slice(*place.selection)] == "O’Brien"
    place = editing.Cursor(position=text.index("Trump"))
    place.toggle()
    place.extend(text, "end", 1)
    assert text[slice(*place.selection)] == "Trump"
    assert text[editing.next_word_start(text, text.index("don’t")) :].startswith("agree")
