"""The spaCy config that ships in the package, fitted to a data set: the spancat's
suggester spans the lengths of the labelled spans, and a component nothing was
labelled for is left out. `annotator train` and `export --format spacy --config`
both write it from here."""

from pathlib import Path

CONFIG = Path(__file__).with_name("config.cfg")
SPANCAT = "spancat"
TEXTCAT = "textcat_multilabel"
SPANS_KEY = "sc"
# spaCy's own spancat, for a config that must train without annotator installed.
STOCK_SPANCAT = "spancat"
STOCK_TEXTCAT = "textcat_multilabel"
# What our textcat factory adds to spaCy's config of it.
OWN_TEXTCAT_SETTINGS = ("learn_rate", "L2")


def build_config(
    *,
    span_labels: tuple[str, ...],
    sizes: tuple[int, int],
    checkworthiness: bool,
    max_steps: int = 20000,
    eval_frequency: int | None = None,
    seed: int = 0,
    spancat_factory: str = "annotator_spancat",
    textcat_factory: str = "annotator_textcat",
):
    from spacy import util

    config = util.load_config(CONFIG, interpolate=False)
    components = config["components"]
    pipeline = []
    if span_labels:
        pipeline.append(SPANCAT)
        components[SPANCAT]["suggester"]["min_size"] = sizes[0]
        components[SPANCAT]["suggester"]["max_size"] = sizes[1]
        components[SPANCAT]["factory"] = spancat_factory
    else:
        del components[SPANCAT]
    if checkworthiness:
        pipeline.append(TEXTCAT)
        components[TEXTCAT]["factory"] = textcat_factory
        if textcat_factory == STOCK_TEXTCAT:
            for key in OWN_TEXTCAT_SETTINGS:
                del components[TEXTCAT][key]
    else:
        del components[TEXTCAT]
    config["nlp"]["pipeline"] = pipeline
    weights = {}
    if span_labels:
        weights["spans_sc_f"] = 0.5 if checkworthiness else 1.0
        weights["spans_sc_p"] = 0.0
        weights["spans_sc_r"] = 0.0
    if checkworthiness:
        weights["cats_macro_auc"] = 0.5 if span_labels else 1.0
    training = config["training"]
    training["score_weights"] = weights
    training["max_steps"] = max_steps
    training["seed"] = seed
    config["system"]["seed"] = seed
    frequency = eval_frequency or max(5, min(200, max_steps // 10))
    training["eval_frequency"] = frequency
    # Stop after eight evaluations without improvement.
    training["patience"] = frequency * 8
    return config
