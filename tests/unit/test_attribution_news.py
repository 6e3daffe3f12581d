"""Error classes found on real news (issue 18), each reproduced with sentences
written for this file; both pipelines must get them right."""

import pytest

from tests.unit.test_attribution import analyse, pipeline, quotes  # noqa: F401


def spans(texts, found, label):
    return [texts[i][p.start : p.end] for i, ps in enumerate(found.sentences) for p in ps
            if p.label == label]  # fmt: skip


def test_two_apostrophes_are_quotation_marks(pipeline):  # noqa: F811
    text = "''We will build the bridge by spring,'' Mr. Alder said. ''Nobody should doubt it.''"
    texts, found = analyse(pipeline, text)
    got = quotes(texts, found)
    assert ("Mr. Alder", "''We will build the bridge by spring,''", "named_person") in got
    assert any(q.startswith("Nobody should doubt it") and s == "Mr. Alder" for s, q, _ in got)


def indirect(texts, found):
    """(source, cue, content, kind) of each reported-speech attribution."""

    def at(ref):
        return texts[ref.sentence][ref.start : ref.end] if ref is not None else None

    return [(at(a.source), at(a.cue), at(a.content), a.kind) for a in found.attributions
            if not a.direct]  # fmt: skip


def test_a_verb_beside_a_quotation_is_its_cue_even_if_rare(pipeline):  # noqa: F811
    text = "Ms. Okafor scoffed: “Nobody reads those reports anyway.”"
    texts, found = analyse(pipeline, text)
    assert quotes(texts, found) == [
        ("Ms. Okafor", "“Nobody reads those reports anyway.”", "named_person")
    ]


def test_a_cue_in_the_next_sentence_takes_the_quotation_before(pipeline):  # noqa: F811
    text = "“Will the dam hold through April?” Governor Ruiz asked. “We think so.”"
    texts, found = analyse(pipeline, text)
    got = quotes(texts, found)
    assert got[0] == ("Governor Ruiz", "“Will the dam hold through April?”", "named_person")
    assert all(speaker == "Governor Ruiz" for speaker, _, _ in got)


def test_a_participle_takes_the_subject_of_its_clause(pipeline):  # noqa: F811
    text = "The senator praised the deal, telling reporters: “This is a good day for farmers.”"
    texts, found = analyse(pipeline, text)
    assert [(s, q) for s, q, _ in quotes(texts, found)] == [
        ("The senator", "“This is a good day for farmers.”")
    ]
    texts, found = analyse(pipeline, "Mayor Lind rejected the offer, saying the city would sue.")
    assert ("Mayor Lind", "saying", "the city would sue", "named_person") in indirect(texts, found)


def test_a_post_posed_source_links_to_the_clause_before(pipeline):  # noqa: F811
    texts, found = analyse(pipeline, "The tunnel will reopen in June, engineers said Tuesday.")
    [(source, cue, content, _)] = indirect(texts, found)
    assert (source, cue, content) == ("engineers", "said", "The tunnel will reopen in June")
    texts, found = analyse(
        pipeline, "Two aides, who were not authorized to speak publicly, said the vote would slip."
    )
    [(source, cue, content, kind)] = indirect(texts, found)
    assert source == "Two aides, who were not authorized to speak publicly"
    assert content == "the vote would slip" and kind == "anonymous"


def test_an_adverbial_after_the_cue_is_not_the_content(pipeline):  # noqa: F811
    texts, found = analyse(pipeline, "The port authority said in a statement that fees would rise.")
    [(source, cue, content, _)] = indirect(texts, found)
    assert (source, content) == ("The port authority", "fees would rise")


def test_both_halves_of_a_split_quotation_are_the_speakers(pipeline):  # noqa: F811
    for text in (
        "“The levees held,” Ms. Brandt said, “but only just.”",
        "''The levees held,'' said Ms. Brandt, ''but only just.''",
    ):
        texts, found = analyse(pipeline, text)
        assert [s for s, _, _ in quotes(texts, found)] == ["Ms. Brandt", "Ms. Brandt"], text


@pytest.mark.parametrize(
    "text",
    [
        "The lift will stay shut, a transit authority spokesman said.",
        "Her aides said the tour would go on.",
        "Senior officials in Ohio said the count was over.",
        "A spokeswoman said, speaking on condition of anonymity, that the mill would close.",
    ],
)
def test_unnamed_roles_are_anonymous_sources(pipeline, text):  # noqa: F811
    texts, found = analyse(pipeline, text)
    assert [kind for _, _, _, kind in indirect(texts, found)] == ["anonymous"]


def test_the_reason_after_the_cue_is_kept(pipeline):  # noqa: F811
    texts, found = analyse(
        pipeline,
        "A spokeswoman said, speaking on condition of anonymity, that the mill would close.",
    )
    [a] = [a for a in found.attributions if not a.direct]
    assert a.reason is not None and "anonymity" in a.reason


def test_a_named_source_with_a_role_and_a_relative_clause(pipeline):  # noqa: F811
    texts, found = analyse(
        pipeline, "Ari Hahn, a former official who sits on the board, said it was fine."
    )
    [(source, _, content, kind)] = indirect(texts, found)
    assert (source, content, kind) == ("Ari Hahn", "it was fine", "named_person")


@pytest.mark.parametrize(
    "text",
    [
        "Ann Roe, who runs the lobby’s Washington office, says the rules would not help.",
        "Sam Small, who went to the rally on Wednesday, said that the crowd was large.",
    ],
)
def test_a_relative_clause_ends_the_source_and_gives_it_no_role(pipeline, text):  # noqa: F811
    # The comma closing the relative clause opens the cue and its content: they are
    # no role of the source, and the name before the clause says it is a person.
    texts, found = analyse(pipeline, text)
    [a] = [a for a in found.attributions if not a.direct]
    source = texts[0][a.source.start : a.source.end]
    assert source.startswith(("Ann Roe, who", "Sam Small, who"))
    assert a.role is None
    assert a.kind == "named_person"


@pytest.mark.parametrize(
    "text",
    [
        "Mr. Lowe, in a brief interview on Saturday, said the old jet was safe.",
        "The old jet was safe, said Mr. Lowe, in a statement released by his office.",
    ],
)
def test_an_adverbial_aside_beside_the_source_is_no_role(pipeline, text):  # noqa: F811
    texts, found = analyse(pipeline, text)
    [a] = [a for a in found.attributions if not a.direct]
    assert texts[0][a.source.start : a.source.end] == "Mr. Lowe"
    assert a.role is None
    assert texts[0][a.content.start : a.content.end].lower() == "the old jet was safe"


def test_nouns_that_look_like_cues_are_not_cues(pipeline):  # noqa: F811
    texts, found = analyse(pipeline, "Officials in the United States met the Islamic State envoy.")
    assert spans(texts, found, "CUE") == []
    texts, found = analyse(
        pipeline, "The company's reporting showed a loss, and a few tweets followed."
    )
    assert spans(texts, found, "CUE") == []


def test_bare_and_participle_cues_are_found(pipeline):  # noqa: F811
    texts, found = analyse(
        pipeline, "Farmers say the drought will last, noting that wells are dry."
    )
    assert spans(texts, found, "CUE") == ["say", "noting"]


def test_a_colon_gives_the_next_paragraphs_quotation_its_speaker(pipeline):  # noqa: F811
    texts, found = analyse(
        pipeline, "Dr. Okoro wrote:\n\n“The clinic cannot stay open. We have no nurses left.”"
    )
    assert {s for s, _, _ in quotes(texts, found)} == {"Dr. Okoro"}


def test_said_x_split_from_its_quotation_by_the_segmenter(pipeline):  # noqa: F811
    text = "''Do you want cameras on every corner?'' said Ana Ruiz, a professor of law."
    texts, found = analyse(pipeline, text)
    assert [s for s, _, _ in quotes(texts, found)] == ["Ana Ruiz"]


def test_a_partial_quotation_is_the_words_of_its_clauses_subject(pipeline):  # noqa: F811
    texts, found = analyse(pipeline, "Mr. Lund praised the ruling as ''a victory for farmers.''")
    assert quotes(texts, found) == [("Mr. Lund", "''a victory for farmers.''", "named_person")]
    assert "Mr. Lund" in spans(texts, found, "SOURCE")
    # a scare quote in a sentence about no one stays without a speaker
    texts, found = analyse(pipeline, "It was a “historic” week for the valley.")
    assert quotes(texts, found) == []


def test_every_quotation_in_a_sentence_goes_to_the_cue_that_governs_it(pipeline):  # noqa: F811
    text = (
        "At the hearing, Ms. Vance said her office “made a mistake” with the files, but "
        "that the county’s later refusal to share its own records was “plainly unlawful.”"
    )
    texts, found = analyse(pipeline, text)
    assert quotes(texts, found) == [
        ("Ms. Vance", "“made a mistake”", "named_person"),
        ("Ms. Vance", "“plainly unlawful.”", "named_person"),
    ]


def test_a_paragraph_that_is_a_quotation_goes_on_with_the_speaker_before(pipeline):  # noqa: F811
    text = (
        "“The river has never been this low,” said Tomas Erikson, a ferry pilot.\n\n"
        "“We have stopped the evening crossings. The morning ones may go next.”\n\n"
        "The county did not answer questions about the ferry."
    )
    texts, found = analyse(pipeline, text)
    assert {s for s, _, _ in quotes(texts, found)} == {"Tomas Erikson"}
    assert len(quotes(texts, found)) == 3


def test_a_clause_ending_in_a_colon_introduces_its_subject(pipeline):  # noqa: F811
    text = (
        "The council met for an hour. Mr. Hale then listed his demands:\n\n"
        "“First, the road must be paved. Second, the school must reopen.”"
    )
    texts, found = analyse(pipeline, text)
    got = quotes(texts, found)
    assert len(got) == 2 and {s for s, _, _ in got} == {"Mr. Hale"}


def test_a_quotation_in_a_clause_is_its_subjects_with_any_verb(pipeline):  # noqa: F811
    text = "Ms. Ode thanked the volunteers for “keeping the shelter open all winter.”"
    texts, found = analyse(pipeline, text)
    assert [s for s, _, _ in quotes(texts, found)] == ["Ms. Ode"]
    # a quotation in a clause the verb subordinates is not the subject's
    texts, found = analyse(pipeline, "Ms. Ode thinks that the shelters are “cozy”.")
    assert quotes(texts, found) == []


def test_but_coordinates_a_cue_with_the_verb_before(pipeline):  # noqa: F811
    text = "Mr. Hale did not name any rival, but told the crowd, “our town is in deep trouble.”"
    texts, found = analyse(pipeline, text)
    assert [s for s, _, _ in quotes(texts, found)] == ["Mr. Hale"]


def test_coordinated_unnamed_sources_are_anonymous(pipeline):  # noqa: F811
    texts, found = analyse(pipeline, "Federal and county officials said the bridge was unsafe.")
    assert indirect(texts, found) == [
        ("Federal and county officials", "said", "the bridge was unsafe", "anonymous")
    ]


def test_auxiliaries_and_adverbs_before_a_cue_are_not_the_source(pipeline):  # noqa: F811
    text = "While his advisers have long suggested that he will run, the mayor is silent."
    texts, found = analyse(pipeline, text)
    [(source, _, content, kind)] = indirect(texts, found)
    assert (source, kind) == ("his advisers", "anonymous")
    assert content.startswith("he will run")


def test_a_name_and_a_colon_introduce_a_quotation(pipeline):  # noqa: F811
    text = "POLLS WERE EARLY - Ann Roe and Li Wei: “The polls were not wrong. They ended early.”"
    texts, found = analyse(pipeline, text)
    got = quotes(texts, found)
    assert len(got) == 2 and {s for s, _, _ in got} == {"Ann Roe and Li Wei"}


def test_an_opening_participle_is_not_the_subject(pipeline):  # noqa: F811
    text = "Reading from a prepared text, Mr. Alder twice called the levy “a quiet theft.”"
    texts, found = analyse(pipeline, text)
    assert [s for s, _, _ in quotes(texts, found)] == ["Mr. Alder"]


def test_an_aside_between_commas_is_not_part_of_the_source(pipeline):  # noqa: F811
    texts, found = analyse(pipeline, "Mr. Carter, however, said the plan was dead.")
    assert [(s, k) for s, _, _, k in indirect(texts, found)] == [("Mr. Carter", "named_person")]
    # nor its role: "however" describes no one
    [source] = [p for p in found.sentences[0] if p.label == "SOURCE"]
    assert "role" not in source.attrs


def test_an_upper_case_name_is_not_cut_at_a_time_word(pipeline):  # noqa: F811
    texts, found = analyse(
        pipeline, "According to USA TODAY contributor Ann Hale, the deal is off."
    )
    assert [s for s, _, _, _ in indirect(texts, found)] == ["USA TODAY contributor Ann Hale"]


def test_cue_words_used_as_nouns_or_phrasal_verbs_are_not_cues(pipeline):  # noqa: F811
    text = (
        "Her handwritten note thanked the staff. The delay adds to the drama of the state "
        "primary. Ms. Roe notes that the bridge is old."
    )
    texts, found = analyse(pipeline, text)
    assert spans(texts, found, "CUE") == ["notes"]


def test_a_word_inside_the_quotation_is_not_its_speaker(pipeline):  # noqa: F811
    text = '"Thanks, Clarkston, for welcoming these refugees," said host Asab Tabchi, an engineer.'
    texts, found = analyse(pipeline, text)
    assert [s for s, _, _ in quotes(texts, found)] == ["host Asab Tabchi"]


def test_a_speaker_is_never_a_word_of_another_quotation(pipeline):  # noqa: F811
    text = (
        "In the square, marchers kept chanting “We are Orlando” and “Disarm hate.” Mr. Lee "
        "said “Orlando will heal” and “We are Orlando,” calling it “a new day.”"
    )
    texts, found = analyse(pipeline, text)
    got = quotes(texts, found)
    assert not {"We", "Orlando", "it"} & {s for s, _, _ in got}
    assert ("Mr. Lee", "“a new day.”", "named_person") in got


def test_the_clause_after_an_opening_according_to_is_not_a_role(pipeline):  # noqa: F811
    text = "According to the budget office, the rise in annual deficits will continue."
    texts, found = analyse(pipeline, text)
    [source] = [p for p in found.sentences[0] if p.label == "SOURCE"]
    assert "role" not in source.attrs


def test_capitalised_words_a_verb_of_saying_quotes_are_no_title(pipeline):  # noqa: F811
    texts, found = analyse(pipeline, "Mr. Lee called the plan “Project Fear” on Monday.")
    assert quotes(texts, found) == [("Mr. Lee", "“Project Fear”", "named_person")]
    texts, found = analyse(pipeline, "Ms. Ode cited “Hale-Lund” policies twice.")
    assert quotes(texts, found) == [("Ms. Ode", "“Hale-Lund”", "named_person")]
    texts, found = analyse(pipeline, "Ms. Roe says her favourite film is “The Great Escape”.")
    assert quotes(texts, found) == []


def test_a_role_after_a_name_is_part_of_the_clause_subject(pipeline):  # noqa: F811
    text = "A Hale campaign official later withdrew the remark, saying that it was wrong."
    texts, found = analyse(pipeline, text)
    assert indirect(texts, found) == [
        ("A Hale campaign official", "saying", "it was wrong", "anonymous")
    ]


def test_a_quotation_signed_after_a_dash_is_its_signers(pipeline):  # noqa: F811
    text = (
        "“The plan is a scandal. Nobody asked us.”― Ana Ruiz\n"
        "“I will vote no.” ― Li Wei Chen\n"
        "“Enough is enough.” — Omar K. Haddad."
    )
    texts, found = analyse(pipeline, text)
    assert [(s, q) for s, q, _ in quotes(texts, found)] == [
        ("Ana Ruiz", "“The plan is a scandal."),
        ("Ana Ruiz", "Nobody asked us.”"),
        ("Li Wei Chen", "“I will vote no.”"),
        ("Omar K. Haddad", "“Enough is enough.”"),
    ]
    # A dash before a clause signs nothing.
    texts, found = analyse(pipeline, "He called the plan “a disgrace” — and then he left.")
    assert [s for s, _, _ in quotes(texts, found)] == ["He"]


@pytest.mark.parametrize(
    "text, speaker",
    [
        # The subject of a subordinate clause follows its conjunction.
        ("Though she called the bank’s conduct “shameful,” Ms. Ortiz limited her remarks.",
         "she"),
        # A long opening adverbial still ends at its comma.
        ("At a dinner in Boston with a famous cellist and two of her old friends from school, "
         "Ms. Ortiz called the guests “wonderful.”", "Ms. Ortiz"),
        # A pronoun after an opening phrase with no comma.
        ("On May 3 they announced that the claim was “true.”", "they"),
        # A capitalised adjective before a noun-like cue: "Republican claims" is no speaker.
        ("The group rated 40% of Republican claims as “false” last year.", "The group"),
        # The words before a participle after a preposition are no speaker.
        ("Dr. Lane appeared on TV and began by saying he would “never” do it.", "Dr. Lane"),
    ],
)  # fmt: skip
def test_the_speaker_is_the_clause_subject_not_an_opening_word(pipeline, text, speaker):  # noqa: F811
    texts, found = analyse(pipeline, text)
    assert [s for s, _, _ in quotes(texts, found, resolve=False)] == [speaker]


@pytest.mark.parametrize(
    "text",
    [
        "Contrary to his claim that voters would ''gain nothing,'' there would be plenty of facts.",
        "His allies praised ''the vision'' behind his newly revealed plan.",
    ],
)
def test_an_adverbial_or_a_participle_is_never_the_speaker(pipeline, text):  # noqa: F811
    texts, found = analyse(pipeline, text)
    speakers = {s for s, _, _ in quotes(texts, found, resolve=False)}
    assert not speakers & {"Contrary", "for his newly", "behind his newly", "his newly"}


def test_a_clause_after_a_comma_and_a_conjunction_is_no_apposition(pipeline):  # noqa: F811
    text = "The meeting went badly, and the talks stalled after that, said one aide in the room."
    texts, found = analyse(pipeline, text)
    [(source, cue, _, kind)] = indirect(texts, found)
    assert (source, cue, kind) == ("one aide in the room", "said", "anonymous")


def test_a_negated_auxiliary_is_not_part_of_the_source(pipeline):  # noqa: F811
    texts, found = analyse(pipeline, "The nominee and his aides haven't said much about the plan.")
    [(source, _, _, kind)] = indirect(texts, found)
    assert source.endswith("his aides") and kind == "anonymous"


def test_the_name_before_a_verb_and_a_preposition_is_the_speaker(pipeline):  # noqa: F811
    texts, found = analyse(pipeline, "Ms. Hale continued by saying, “We will appeal the ruling.”")
    assert [s for s, _, _ in quotes(texts, found)] == ["Ms. Hale"]


def test_a_partial_quotation_the_parse_gives_no_subject_takes_the_clause_subject():
    # A parse that missed the subject ("Roe" hung on the verb as a modifier, no
    # nsubj anywhere above the quotation): the words still name the speaker.
    import spacy
    from spacy.tokens import Doc

    from annotator.nlp.attribution import _partial_quote_speaker, _Piece

    words = ["With", "a", "week", "to", "go", ",", "Ann", "Roe", "called", "it", "“", "a",
             "wake-up", "call", "”", "."]  # fmt: skip
    heads = [8, 2, 0, 4, 2, 8, 7, 8, 8, 8, 13, 13, 13, 8, 13, 8]
    deps = ["prep", "det", "pobj", "aux", "relcl", "punct", "compound", "npadvmod", "ROOT",
            "dobj", "punct", "det", "compound", "oprd", "punct", "punct"]  # fmt: skip
    pos = ["ADP", "DET", "NOUN", "PART", "VERB", "PUNCT", "PROPN", "PROPN", "VERB", "PRON",
           "PUNCT", "DET", "NOUN", "NOUN", "PUNCT", "PUNCT"]  # fmt: skip
    spaces = [True] * len(words)
    doc = Doc(spacy.blank("en").vocab, words=words, spaces=spaces, heads=heads, deps=deps,
              pos=pos)  # fmt: skip
    found = _partial_quote_speaker(0, doc, _Piece(0, 10, 15, 0), trained=True)
    assert found is not None and found.source_text == "Ann Roe"


def test_a_participle_after_by_takes_the_subject_of_its_verb(pipeline):  # noqa: F811
    text = (
        "President Lee responded to a veteran's mother on Wednesday night by saying "
        "the charge was “invented” by his critics."
    )
    texts, found = analyse(pipeline, text)
    assert {s for s, _, _ in quotes(texts, found)} == {"President Lee"}


def test_a_markup_attribute_value_is_no_quotation(pipeline):  # noqa: F811
    text = 'A post. <tweet tweet_id="77825" author="@ann">The blue line is Ann Roe.</tweet>.'
    texts, found = analyse(pipeline, text)
    assert quotes(texts, found) == []


def test_a_source_cut_after_its_reason_for_anonymity_is_kept(pipeline):  # noqa: F811
    text = (
        "The city will spend $2 million on the bridge, according to an official who was "
        "not authorized to speak publicly before the vote."
    )
    texts, found = analyse(pipeline, text)
    [(source, cue, _, kind)] = indirect(texts, found)
    assert source.startswith("an official who was not authorized") and kind == "anonymous"


def test_a_modal_and_an_adverb_before_a_verb_of_speech_keep_it_a_cue(pipeline):  # noqa: F811
    text = 'The timing was odd, and a spokesman for the mayor could only quip: "Friday was full."'
    texts, found = analyse(pipeline, text)
    assert [(s, k) for s, _, k in quotes(texts, found)] == [
        ("a spokesman for the mayor", "anonymous")
    ]


@pytest.mark.parametrize(
    "text, reason_start",
    [
        ("The deal is dead, said a party donor who backs the mayor, asking for anonymity "
         "to speak freely.", "asking for anonymity"),
        ("One guest, who like others spoke on the condition of anonymity to discuss the "
         "dinner, said the mood was grim.", "on the condition of anonymity"),
        ("The clerk of four years, a Democrat who spoke on the condition of anonymity for "
         "fear of losing her job, said she was let go.", "on the condition of anonymity"),
        ("The plan will fail, he said, on condition of anonymity to speak freely about it.",
         "on condition of anonymity"),
    ],
)  # fmt: skip
def test_the_reason_for_anonymity_is_found_around_the_source(pipeline, text, reason_start):  # noqa: F811
    texts, found = analyse(pipeline, text)
    [attribution] = [a for a in found.attributions if not a.direct]
    assert attribution.kind == "anonymous"
    assert attribution.reason.startswith(reason_start)
    content = texts[attribution.content.sentence][
        attribution.content.start : attribution.content.end
    ]
    assert "anonymity" not in content


def test_a_phrase_between_a_quotation_and_its_cue_is_not_the_speaker(pipeline):  # noqa: F811
    text = (
        "Ms. Lane “drew quite well from farmers” in the 2011 race, said state professor Ann Beck."
    )
    texts, found = analyse(pipeline, text)
    assert [s for s, _, _ in quotes(texts, found)] == ["state professor Ann Beck"]


@pytest.mark.parametrize(
    "text, speaker",
    [
        ("The city bid for the fair hoping to shed what Mayor Ortiz called “a tired image.”",
         "Mayor Ortiz"),
        ("Ann Roe accuses Li Wei of spreading an “artful smear” about her record.", "Ann Roe"),
        ("Some senators were cross, with Sen. Omar Haddad calling the plan a “wish list.”",
         "Sen. Omar Haddad"),
        ("Chair Ines Vale condemned what she called a “brazen breach” of the rules.",
         "Chair Ines Vale"),
    ],
)  # fmt: skip
def test_the_name_before_the_verb_a_partial_quotation_hangs_on(pipeline, text, speaker):  # noqa: F811
    texts, found = analyse(pipeline, text)
    assert [s for s, _, _ in quotes(texts, found)] == [speaker]


@pytest.mark.parametrize(
    "text",
    [
        "Ms. Ode told MSNBC’s “Morning Brew” on Friday that she would run.",
        "Ms. Ode said it on Fox Radio’s “Talk of the Town.”",
        "The pledge was part of his 1994 “Contract with Voters” and stayed there.",
    ],
)
def test_a_programme_or_work_someone_owns_is_no_quotation(pipeline, text):  # noqa: F811
    texts, found = analyse(pipeline, text)
    assert quotes(texts, found) == []


@pytest.mark.parametrize(
    "text, source, content",
    [
        ("After the vote, the mayor's aides were openly cheerful about the result.",
         "the mayor's aides", "about the result"),
        ("But county officials have quietly ruled out a second count.",
         "county officials", "a second count"),
        ("Harbour officials praised the crews for their speed.",
         "Harbour officials", "the crews for their speed"),
        ("Port officials aren’t sure the ferry will run.", "Port officials",
         "the ferry will run"),
        ("Some diplomats, who asked not to be named, doubted the truce would last.",
         "Some diplomats, who asked not to be named", "the truce would last"),
    ],
)  # fmt: skip
def test_an_unnamed_role_s_stance_is_an_anonymous_attribution(pipeline, text, source, content):  # noqa: F811
    """PolNeAR counts what officials, aides or diplomats did or thought, not only what
    they said; a reviewer rating sources needs those unnamed voices too."""
    texts, found = analyse(pipeline, text)
    [(got_source, cue, got_content, kind)] = indirect(texts, found)
    assert kind == "anonymous" and cue
    assert got_source == source
    assert content in got_content


@pytest.mark.parametrize(
    "text, cue, content",
    [
        ("Port officials aren’t sure the ferry will run this winter.", "aren’t sure",
         "the ferry will run this winter"),
        ("Harbour officials didn’t praise the crews for their speed.", "didn’t praise",
         "the crews for their speed"),
    ],
)  # fmt: skip
def test_a_curly_negation_stays_in_an_unnamed_role_s_cue(pipeline, text, cue, content):  # noqa: F811
    """The model parses a curly n’t as punctuation or leaves the subject on the
    auxiliary; the stance is still the negated verb, not "are" or "did"."""
    texts, found = analyse(pipeline, text)
    [(_, got_cue, got_content, _)] = indirect(texts, found)
    assert (got_cue, got_content) == (cue, content)


@pytest.mark.parametrize(
    "text",
    [
        "The report faulted officials for the delay.",
        "She met harbour officials on Monday.",
        "The officials’ report was late.",
        "The mayor thanked the officials, who worked all night.",
    ],
)
def test_an_unnamed_role_that_is_no_subject_is_no_source(pipeline, text):  # noqa: F811
    texts, found = analyse(pipeline, text)
    assert indirect(texts, found) == []
    assert spans(texts, found, "CUE") == []


def test_an_attribution_inside_a_post_posed_clause_is_nested_not_cut(pipeline):  # noqa: F811
    text = "A county aide decided to close the bridge early, a source said."
    texts, found = analyse(pipeline, text)
    got = {(source, cue): content for source, cue, content, _ in indirect(texts, found)}
    assert got[("a source", "said")] == "A county aide decided to close the bridge early"
    assert got[("A county aide", "decided")] == "to close the bridge early"


@pytest.mark.parametrize(
    "text, source",
    [
        ("Then a county aide said the bridge would close.", "a county aide"),
        ("Later Ann Roe said the bridge was safe.", "Ann Roe"),
    ],
)
def test_an_opening_adverb_is_no_part_of_the_source(pipeline, text, source):  # noqa: F811
    texts, found = analyse(pipeline, text)
    assert [s for s, _, _, _ in indirect(texts, found)] == [source]


@pytest.mark.parametrize(
    "text, source, cue, content",
    [
        ("Senator Ann Roe praised the plan on Monday.", "Senator Ann Roe", "praised",
         "the plan"),
        ("Ann Roe cited a 2012 report on the dam.", "Ann Roe", "cited", "a 2012 report"),
        ("The county clerk dismissed the complaint as baseless.", "The county clerk",
         "dismissed", "the complaint"),
        ("The mayor called for a recount of the ballots.", "The mayor", "called for",
         "a recount"),
    ],
)  # fmt: skip
def test_a_verb_of_stance_or_evidence_is_an_attribution(pipeline, text, source, cue, content):  # noqa: F811
    """PolNeAR marks praising, citing, dismissing as attributions: a reviewer rating
    sources wants who took that stance."""
    texts, found = analyse(pipeline, text)
    [(got_source, got_cue, got_content, _)] = indirect(texts, found)
    assert (got_source, got_cue) == (source, cue)
    assert content in got_content


@pytest.mark.parametrize(
    "text",
    [
        "Protesters held signs calling the mayor a fraud.",
        "The bill replaced it with softer language calling for restraint.",
    ],
)
def test_a_participle_of_stance_after_a_noun_describes_it(pipeline, text):  # noqa: F811
    texts, found = analyse(pipeline, text)
    assert spans(texts, found, "CUE") == []


def test_a_coordinated_stance_verb_keeps_the_speaker_and_ends_the_said_clause(pipeline):  # noqa: F811
    text = (
        "In a letter, the senators said the camps “may be crimes against humanity” and "
        "urged tighter export controls on the firms."
    )
    texts, found = analyse(pipeline, text)
    got = {cue: (source, content) for source, cue, content, _ in indirect(texts, found)}
    assert got["urged"] == ("the senators", "tighter export controls on the firms")
    assert "urged" not in got.get("said", ("", ""))[1]
    assert [s for s, _, _ in quotes(texts, found)] == ["the senators"]


@pytest.mark.parametrize(
    "text",
    ["Two firms were specifically cited in a letter to the mayor.", "She was praised for it."],
)
def test_a_passive_verb_of_stance_has_no_speaker_before_it(pipeline, text):  # noqa: F811
    texts, found = analyse(pipeline, text)
    assert indirect(texts, found) == []


def test_evidence_reported_by_a_poll_or_records_is_an_attribution(pipeline):  # noqa: F811
    texts, found = analyse(pipeline, "A new poll shows Ann Roe leading the race.")
    assert indirect(texts, found)[0][:3] == ("A new poll", "shows", "Ann Roe leading the race")
    texts, found = analyse(pipeline, "The team found a new home; the data came later.")
    assert indirect(texts, found) == []


def test_a_sentence_opening_in_a_poll_attributes_what_follows_to_it(pipeline):  # noqa: F811
    text = "In a Marist/Union poll released Monday, 52 percent of voters backed the levy."
    texts, found = analyse(pipeline, text)
    assert indirect(texts, found)[0][:3] == (
        "a Marist/Union poll",
        "In",
        "52 percent of voters backed the levy",
    )


def test_a_headline_name_before_a_colon_is_whose_claim_follows(pipeline):  # noqa: F811
    texts, found = analyse(pipeline, "Ann Roe: The Levy Would Ruin Small Farms.")
    assert indirect(texts, found)[0][:3] == ("Ann Roe", ":", "The Levy Would Ruin Small Farms")
    for label in ("The Latest: Roe wins the county vote.", "BOOM: Roe wins the county vote."):
        texts, found = analyse(pipeline, label)
        assert indirect(texts, found) == []


@pytest.mark.parametrize(
    "text, cue",
    [
        ("A spokesman for the mayor declined to comment.", "declined to comment"),
        ("The campaign did not immediately respond to a request.", "did not immediately respond"),
    ],
)
def test_declining_to_comment_is_a_cue(pipeline, text, cue):  # noqa: F811
    texts, found = analyse(pipeline, text)
    assert spans(texts, found, "CUE") == [cue]


def test_a_short_clause_after_a_participle_is_its_content(pipeline):  # noqa: F811
    texts, found = analyse(pipeline, "Ann Roe took a swipe at Lee, saying he lied.")
    assert ("Ann Roe", "saying", "he lied", "named_person") in indirect(texts, found)


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("Ann Roe then appears in a clip from a speech,\u00a0saying, “We will win.”", "Ann Roe"),
        (
            "DAYTON — Sen. Ann Roe on Wednesday dismissed the attack and said it was "
            "“the same old story.”",
            "Sen. Ann Roe",
        ),
        (
            "At a summit in Hilton Head, S.C., Roe offered a defense of the bill, saying "
            "“it was a good idea.”",
            "Roe",
        ),
        (
            "In Ames, Iowa, on Sunday, Ms. Roe tried to defend the bill, saying that it was good.",
            "Ms. Roe",
        ),
    ],
    ids=["no-break-space", "dateline", "city-and-state", "place-then-day"],
)
def test_a_place_a_dateline_or_a_space_before_the_subject_is_not_the_speaker(
    pipeline,  # noqa: F811
    text,
    speaker,
):
    texts, found = analyse(pipeline, text)
    said = quotes(texts, found) or indirect(texts, found)
    assert [one[0] for one in said][:1] == [speaker]


def test_the_day_before_the_cue_is_not_part_of_the_source(pipeline):  # noqa: F811
    texts, found = analyse(pipeline, "Ann Roe on Friday night said the plan had failed.")
    assert [s for s, *_ in indirect(texts, found)] == ["Ann Roe"]


@pytest.mark.parametrize(
    ("text", "source", "role"),
    [
        ("AFL-CIO President Ann Roe said the deal was bad.", "AFL-CIO President Ann Roe", None),
        (
            "UN Secretary-General Ann Roe said the talks failed.",
            "UN Secretary-General Ann Roe",
            None,
        ),
        (
            "Jane Doe, from the Kelmor Institute, said the plan failed.",
            "Jane Doe",
            "from the Kelmor Institute",
        ),
        ("Texas, Mr. Abbott's state, said it would sue.", "Texas", "Mr. Abbott's state"),
    ],
    ids=["hyphenated-capitals", "hyphenated-title", "affiliation-role", "a-state-that-speaks"],
)
def test_what_looks_like_a_dateline_or_an_aside_but_is_not(pipeline, text, source, role):  # noqa: F811
    texts, found = analyse(pipeline, text)
    [a] = [a for a in found.attributions if not a.direct]
    assert texts[0][a.source.start : a.source.end] == source
    assert (texts[0][a.role.start : a.role.end] if a.role else None) == role
