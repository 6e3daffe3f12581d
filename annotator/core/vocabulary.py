"""The closed sets of values labels and ratings take. Plain constants, so the CLI,
the record models and the actions read one list without loading the store."""

SPAN_LABELS = ("QUANTITY", "QUOTE", "SOURCE", "CUE", "HEDGE", "ENTITY")
SENTENCE_LABELS = ("CFS", "UFS", "NFS", "boilerplate")
RELIABILITY = ("A", "B", "C", "D", "E", "F")
CREDIBILITY = (1, 2, 3, 4, 5, 6)
ATTRIBUTION_KINDS = ("named_person", "named_org", "anonymous", "other_outlet", "unattributed")
CONTRADICTION_KINDS = ("modality", "actor", "numeric", "negation", "temporal", "antonym", "other")
LINK_STATUSES = ("proposed", "confirmed", "rejected")
# What a reviewer can say holds between two claims they do not call contradictory.
REJECTED_AS = ("neutral", "entailment")
