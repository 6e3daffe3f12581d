from annotator.core.boilerplate import judge
from annotator.core.segment import split_paragraphs
from tests.conftest import CORPUS, SEED_WITH_HEADLINE


def test_the_seo_author_bio_is_boilerplate():
    text = SEED_WITH_HEADLINE.read_text("utf-8")
    last = split_paragraphs(text)[-1]
    verdict = judge(text[last.start : last.end], is_last=True)
    assert verdict.boilerplate
    assert "first person" in verdict.reason and "search-engine" in verdict.reason


def test_no_paragraph_of_the_reports_is_boilerplate():
    for path in sorted(CORPUS.glob("*.txt")):
        text = path.read_text("utf-8")
        paragraphs = split_paragraphs(text)
        report = paragraphs[:-1] if path == SEED_WITH_HEADLINE else paragraphs
        for i, p in enumerate(report):
            verdict = judge(text[p.start : p.end], is_last=i == len(paragraphs) - 1)
            assert not verdict.boilerplate, text[p.start : p.end]


def test_sharing_and_newsletter_prompts_are_boilerplate_anywhere():
    assert judge("Share this: Facebook, Twitter, Email", is_last=False).boilerplate
    assert judge("Sign up for our daily newsletter to get updates.", is_last=False).boilerplate
    assert judge("© 2024 Example News. All rights reserved.", is_last=False).boilerplate


def test_first_person_speech_inside_quotes_does_not_count():
    quote = (
        "“I love to write, I like my job and I am interested in it,” said Jane Doe, "
        "the company's chief executive, on Monday."
    )
    assert not judge(quote, is_last=True).boilerplate


def test_news_mentioning_a_newsletter_is_not_boilerplate():
    text = "The company said in its investor newsletter that revenue fell 10% in March."
    assert not judge(text, is_last=True).boilerplate
