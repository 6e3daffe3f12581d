"""How well a ranking puts the sentences worth checking first.

Average precision as CLEF CheckThat! 2019 task 1 computes it (their
scorer/task1.py): walk the ranking from the top, add the precision at each
relevant item, divide by the number of relevant items. Mean average precision is
the mean over documents (debates), each ranked on its own.
"""

from collections.abc import Iterable, Sequence


def average_precision(ranked: Sequence[bool]) -> float | None:
    """`ranked`: whether each item, best-scored first, is relevant. None when
    nothing is relevant (AP is undefined)."""
    relevant = sum(ranked)
    if not relevant:
        return None
    found, total = 0, 0.0
    for rank, hit in enumerate(ranked, start=1):
        if hit:
            found += 1
            total += found / rank
    return total / relevant


def rank(scored: Iterable[tuple[float, bool]]) -> list[bool]:
    """Relevance flags in order of descending score; ties keep their given order,
    as a stable sort of the scorer's lines does."""
    return [hit for _, hit in sorted(scored, key=lambda item: -item[0])]


def mean_average_precision(groups: Iterable[Iterable[tuple[float, bool]]]) -> float | None:
    values = [ap for ap in (average_precision(rank(g)) for g in groups) if ap is not None]
    return sum(values) / len(values) if values else None
