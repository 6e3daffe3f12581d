import importlib

import pytest

from annotator.core import language
from annotator.core.segment import split_paragraphs
from tests.conftest import CORPUS


def corpus_paragraphs():
    for path in sorted(CORPUS.glob("*.txt")):
        text = path.read_text("utf-8")
        for p in split_paragraphs(text):
            yield text[p.start : p.end]


def test_corpus_paragraphs_are_english_with_high_probability():
    for paragraph in corpus_paragraphs():
        detected = language.detect(paragraph)
        assert detected.code == "en", paragraph
        assert detected.prob > 0.9


def test_other_languages_are_detected():
    german = "Die Regierung erwägt neue Sanktionen gegen den chinesischen Kamerahersteller."
    spanish = "El gobierno estudia nuevas sanciones contra el fabricante chino de cámaras."
    assert language.detect(german).code == "de"
    assert language.detect(spanish).code == "es"


@pytest.mark.parametrize("text", ["", "12345 678 90", "Hi there.", "!!! ??? ...", "¥38.24 10%"])
def test_short_or_featureless_text_is_undetermined(text):
    assert language.detect(text) == language.UNKNOWN


def test_detection_is_reproducible():
    mixed = "Hikvision Hikvision Xinjiang Beijing Shenzhen Trivium China Modular Asset"
    assert len({language.detect(mixed) for _ in range(5)}) == 1


def test_langdetect_rs_gives_the_same_answers_as_langdetect():
    rs = pytest.importorskip("langdetect_rs")
    pure = importlib.import_module("langdetect")
    pure.DetectorFactory.seed = 0
    rs.DetectorFactory.seed = 0
    samples = [*corpus_paragraphs(), "Die Regierung erwägt neue Sanktionen gegen den Hersteller."]
    for sample in samples:
        a = [(x.lang, x.prob) for x in pure.detect_langs(sample)]
        b = [(x.lang, x.prob) for x in rs.detect_langs(sample)]
        assert a == b, sample
