"""Month names, as news writes them, for every layer that reads dates."""

MONTHS = (
    "january february march april may june july august september october november december"
).split()
# Abbreviations with and without their full stop ("Oct.", "Sept"), lower case.
MONTH_ABBREVIATIONS = frozenset(
    form
    for short in "jan feb mar apr jun jul aug sep sept oct nov dec".split()
    for form in (short, short + ".")
)
