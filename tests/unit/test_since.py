"""`--since` takes any date Python can read, and refuses in one line what it cannot place."""

import pytest

from annotator.core.errors import RefusedInput
from annotator.export.selection import parse_since


@pytest.mark.parametrize(
    "value", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "0001-01-01T00:00+00:01"]
)
def test_a_date_that_leaves_the_calendar_in_utc_is_refused_in_one_line(value):
    with pytest.raises(RefusedInput, match="out of range") as refused:
        parse_since(value)
    assert "\n" not in str(refused.value)


def test_the_ends_of_the_calendar_in_utc_are_taken():
    assert parse_since("0001-01-01") == "0001-01-01T00:00:00.000000+00:00"
    assert parse_since("9999-12-31T23:59:59+00:00").startswith("9999-12-31T23:59:59")
