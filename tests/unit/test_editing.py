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
