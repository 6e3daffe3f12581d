import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.core.errors import RefusedInput
from annotator.core.text import canonical_text, clean, contains_controls, decode


def test_decode_refuses_invalid_utf8_naming_the_byte():
    with pytest.raises(RefusedInput, match=r"byte 0xff at offset 3"):
        decode(b"abc\xff def")


def test_decode_drops_a_bom():
    assert decode("\ufeffHello".encode()) == "Hello"


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("a\r\nb", "a\nb"),
        ("a\rb", "a\nb"),
        ("a\u2028b\u2029c", "a\nb\nc"),
        ("a\x0cb", "a\nb"),
        ("tab\tkept", "tab\tkept"),
    ],
)
def test_line_breaks_are_normalised(raw, expected):
    assert clean(raw).text == expected


def test_escape_sequences_are_removed_whole():
    cleaned = clean("title: \x1b]0;evil title\x07red \x1b[31mtext\x1b[0m done")
    assert cleaned.text == "title: red text done"
    assert cleaned.removed_chars == len("\x1b]0;evil title\x07") + len("\x1b[31m\x1b[0m")


def test_an_unterminated_osc_does_not_swallow_the_text():
    assert clean("\x1b]0;no terminator then the article").text == "0;no terminator then the article"


def test_nul_and_c1_controls_are_removed():
    assert clean("a\x00b\x85c\x80d\x7f").text == "ab\ncd"


def test_markup_is_kept_as_written():
    text = "[@click=app.quit]x[/] [red]y[/] [/"
    assert canonical_text(text).text == text


def test_mostly_control_characters_is_refused_as_binary():
    with pytest.raises(RefusedInput, match="binary"):
        canonical_text("\x00\x01\x02\x03abc")


def test_whitespace_only_is_refused_as_empty():
    with pytest.raises(RefusedInput, match="empty"):
        canonical_text(" \n\t  ")


def test_too_long_is_refused():
    with pytest.raises(RefusedInput, match="too long"):
        canonical_text("x" * 11, max_chars=10)


@given(st.text())
def test_cleaned_text_never_contains_control_characters(raw):
    assert not contains_controls(clean(raw).text)
    assert "\x1b" not in clean(raw).text and "\r" not in clean(raw).text
