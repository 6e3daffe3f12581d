"""Typed records of everything annotator writes out.

The JSON Schemas in `schemas/` are generated from these models
(`python -m annotator.schemas`), and the importer validates native records with
them, so the documentation, the exporter and the importer cannot drift apart.
"""

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from annotator.core import vocabulary
from annotator.core.text import MAX_DOCUMENT_CHARS

SpanLabel = Literal[vocabulary.SPAN_LABELS]
Status = Literal["proposed", "accepted", "rejected"]
SentenceLabelName = Literal[vocabulary.SENTENCE_LABELS]
ReliabilityGrade = Literal[vocabulary.RELIABILITY]
AttributionKind = Literal["named_person", "named_org", "anonymous", "other_outlet", "unattributed"]
SourceKind = Literal["outlet", "person", "organisation", "unknown"]
ContradictionKind = Literal[vocabulary.CONTRADICTION_KINDS]
ContradictionStatus = Literal[vocabulary.LINK_STATUSES]
GoldLabel = Literal["contradiction", "neutral", "entailment"]

# SQLite keeps an integer in 8 bytes: a larger id names no row and cannot be stored.
MAX_ROW_ID = 2**63 - 1
RowId = Annotated[int, Field(ge=1, le=MAX_ROW_ID)]
# No text annotator stores is longer than a document, so neither is any offset or count.
Offset = Annotated[
    int, Field(ge=0, le=MAX_DOCUMENT_CHARS, description="Python string index, end exclusive.")
]
Position = Annotated[int, Field(ge=0, le=MAX_DOCUMENT_CHARS)]
Timestamp = Annotated[
    str, Field(description="When the row last changed: ISO 8601 with time zone, UTC.")
]
Reviewer = Annotated[
    str | None, Field(description="Who made the decision; null for a machine proposal.")
]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


OptionalText = str | None


class IngestMetadata(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)

    outlet: OptionalText = None
    url: OptionalText = None
    published: OptionalText = Field(None, description="Publication date, ISO 8601 where known.")
    author: OptionalText = None
    title: OptionalText = None


class IngestRecord(IngestMetadata):
    """One line of a .jsonl file given to `annotator ingest`: a document's text and
    optional metadata. Keys beside `text` and `meta` are metadata too (`meta` wins where
    both give one)."""

    text: str = Field(
        description="The article text, UTF-8. Control characters other than newline and "
        "tab are removed at ingest; text with no visible character is refused."
    )
    meta: IngestMetadata = Field(default_factory=IngestMetadata)


class Span(Record):
    """A claim span: offsets into the sentence text of the record it is in."""

    id: RowId
    start: Offset
    end: Offset
    label: SpanLabel
    text: str = Field(description="The sentence text from start to end.")
    status: Status
    origin: str = Field(description="`human`, or the pipeline name and version that proposed it.")
    attrs: dict[str, Any] = Field(
        description="QUANTITY: value, unit, qualifier; ENTITY: type; others as proposed."
    )
    entity: str | None = Field(
        description="For ENTITY spans: the canonical entity's key, the same across aliases."
    )
    reviewer: Reviewer
    updated_at: Timestamp


class SpanRef(Record):
    """One part of an attribution: a span, or only offsets when no span stands there."""

    span_id: RowId | None
    start: Offset
    end: Offset
    text: str


class ContentRef(SpanRef):
    """What was said: offsets into the text of sentence `sentence_id`, which is this
    record's sentence or another one of the same document."""

    sentence_id: RowId


class Attribution(Record):
    """Who said what: listed with the sentence of its source (or of its content when
    it has no source)."""

    id: RowId
    kind: AttributionKind
    reason: str | None = Field(description="For anonymous sources: why, as the text says.")
    source: SpanRef | None
    cue: SpanRef | None
    content: ContentRef
    resolved_to: str | None = Field(description="The named speaker a pronoun source refers to.")
    status: Status
    origin: str
    reviewer: Reviewer
    updated_at: Timestamp


class SentenceLabel(Record):
    """Check-worthiness (ClaimBuster's CFS, UFS, NFS) or boilerplate, per reviewer."""

    label: SentenceLabelName
    reviewer: str
    updated_at: Timestamp


class SentenceScores(Record):
    """What a model trained by `annotator train` made of the sentence."""

    checkworthy: Annotated[float, Field(ge=0, le=1)] | None = Field(
        description="Probability that the sentence is check-worthy (CFS)."
    )
    uncertainty: Annotated[float, Field(ge=0, le=1)] = Field(
        description="1 at a coin toss, 0 when sure: the least sure of the model's scores."
    )
    model: str = Field(description="The model's name and version.")
    scored_at: Timestamp


class RatedSource(Record):
    kind: SourceKind
    name: str


class CredibilityRating(Record):
    """Admiralty scale, information axis: 1 confirmed ... 5 improbable, 6 cannot be judged."""

    axis: Literal["credibility"]
    value: Annotated[int, Field(ge=1, le=6)]
    reviewer: str
    updated_at: Timestamp


class ReliabilityRating(Record):
    """Admiralty scale, source axis: A completely reliable ... E unreliable, F cannot be
    judged. Rated once per source; every sentence the source speaks in carries it."""

    axis: Literal["reliability"]
    value: ReliabilityGrade
    reviewer: str
    source: RatedSource
    updated_at: Timestamp


Rating = Annotated[CredibilityRating | ReliabilityRating, Field(discriminator="axis")]


class DocumentSource(Record):
    """Where the document came from, where known."""

    outlet: str | None
    url: str | None
    published: str | None
    author: str | None
    title: str | None


class ClaimDocument(DocumentSource):
    """A claim's document, with the one name every listing and screen shows for it."""

    name: str = Field(description="the title, else the name of the file it came from")


class Paragraph(Record):
    index: Position
    kind: Literal["headline", "body"]
    boilerplate: bool


class SentenceRecord(Record):
    """`annotator export --format native`: everything known about one sentence.
    `annotator import` reads it back."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    id: RowId
    document_id: RowId
    document_sha256: str = Field(
        pattern="^[0-9a-f]{64}$", description="SHA-256 of the document text as ingested."
    )
    source: DocumentSource
    paragraph: Paragraph
    index: Annotated[Position, Field(description="Position of the sentence in its document.")]
    document_offset: Offset = Field(description="Where the sentence starts in its document.")
    lang: str
    text: str = Field(min_length=1)
    spans: list[Span]
    attributions: list[Attribution]
    labels: list[SentenceLabel]
    ratings: list[Rating]
    scores: SentenceScores | None = Field(
        default=None, description="Present when a trained model scored the sentence."
    )
    reviewer: str | None = Field(description="Who made the latest decision on this sentence.")
    answer: Literal["accept"] | None = Field(
        description="`accept` once reviewed: no proposal left and a decision made."
    )
    timestamp: int | None = Field(
        alias="_timestamp", description="Unix time of the latest decision on this sentence."
    )


class ProdigyToken(Record):
    text: str
    start: Offset
    end: Offset
    id: Annotated[int, Field(ge=0)]
    ws: bool


class ProdigySpan(Record):
    start: Offset
    end: Offset
    token_start: Annotated[int, Field(ge=0)]
    token_end: Annotated[int, Field(ge=0, description="Inclusive, as Prodigy has it.")]
    label: SpanLabel


class ProdigyRelation(Record):
    """An accepted attribution as Prodigy's `rel.manual` stores a relation."""

    head: Annotated[int, Field(ge=0, description="The source span's last token.")]
    child: Annotated[int, Field(ge=0, description="The content span's last token.")]
    head_span: ProdigySpan
    child_span: ProdigySpan
    label: AttributionKind


class ProdigyMeta(Record):
    sentence_id: int
    document_id: int
    span_id: int | None = Field(description="For a rejected proposal's task: that span.")


class ProdigyTask(Record):
    """`annotator export --format prodigy`: Prodigy's task format. A reviewed sentence is
    one `accept` task with its accepted spans; each rejected proposal is a `reject` task
    of its own (a negative example); a sentence not yet reviewed is `ignore`."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    text: str
    tokens: list[ProdigyToken]
    spans: list[ProdigySpan]
    answer: Literal["accept", "reject", "ignore"]
    meta: ProdigyMeta
    input_hash: int = Field(alias="_input_hash")
    task_hash: int = Field(alias="_task_hash")
    timestamp: int | None = Field(alias="_timestamp")
    annotator_id: str | None = Field(alias="_annotator_id")
    relations: list[ProdigyRelation] = Field(
        default_factory=list, description="Accepted attributions; absent when none."
    )


class ClaimSource(Record):
    """Who a claim is attributed to, as an attribution in its sentence says."""

    name: str | None = Field(description="The source as written; null when unattributed.")
    kind: AttributionKind
    reason: str | None = Field(description="Why an anonymous source is not named.")
    reliability: ReliabilityGrade | None = Field(
        description="The source's most recent reliability rating, A-F."
    )


class Claim(Record):
    """One side of a contradiction: a sentence, its document and its sources."""

    sentence_id: int
    document_id: int
    text: str
    document: ClaimDocument
    sources: list[ClaimSource]


class Contradiction(Record):
    """Two claims about one entity that disagree, as `annotator contradictions --json`
    lists them."""

    id: int
    entity: str = Field(description="The canonical entity's name.")
    entity_key: str
    kind: ContradictionKind
    status: ContradictionStatus
    score: float = Field(description="How much the link deserves a look first, 0 to 1.")
    evidence: dict[str, Any] = Field(
        description="Why it was proposed: the event, each claim's stance (asserted, "
        "possible, negated) and `marks1`/`marks2`, the words of each sentence that differ "
        "as [start, end, role] with Python string offsets."
    )
    origin: str = Field(description="`human` for a link made by hand, else the generator.")
    claim1: Claim
    claim2: Claim
    gold_label: GoldLabel | None = Field(
        description="What a reviewer said holds between the claims."
    )
    note: str | None
    reviewer: Reviewer
    updated_at: Timestamp


class EntityContradictions(Record):
    """`annotator contradictions --json` prints a list of these, one per entity."""

    entity: str = Field(description="The canonical entity's name.")
    entity_key: str
    aliases: list[str]
    contradictions: list[Contradiction]


class NliPair(Record):
    """`annotator export --format nli`: one confirmed or rejected contradiction link."""

    sentence1: str
    sentence2: str
    gold_label: GoldLabel
    kind: ContradictionKind
    entity: str
    sentence1_id: int
    sentence2_id: int
    document1_id: int
    document2_id: int
    reviewer: str | None
