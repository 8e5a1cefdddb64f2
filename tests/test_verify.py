"""The answer-or-refuse decision (rag.checks.rules) and the checks it uses, on news beyond the seeds."""

import pytest

from rag.checks import gate_bar, split_answer, support, verdict
from rag.checks.parse import leading_clauses
from rag.question import analyse
from rag.types import Chunk


def _chunk(i: int, text: str, doc: str = "a.txt", source: str = "") -> Chunk:
    return Chunk(i, doc, f"Headline {i}", text, 0, len(text), source=source)


TESLA = _chunk(
    0, "Tesla reported revenue of $10.4 billion in the first quarter of 2021, up 74% from a year earlier.", "tesla.txt"
)
VERGE = _chunk(
    1,
    "Google pays Apple billions of dollars a year to be the default search engine in Safari.",
    "verge.txt",
    "The Verge",
)
TC = _chunk(
    2, "A lawsuit says Google's search deals with Apple and Samsung harm news publishers.", "tc.txt", "TechCrunch"
)
FOOTBALL = _chunk(
    3, "Halvorsen scored three goals in a 4-1 win over Castlebury. He has 14 league goals this season.", "fb.txt"
)


def test_invented_citation_phrasing_is_normalised_not_fatal():
    q = analyse("What was Tesla's revenue in Q1 2021?")
    v = verdict(q, "Tesla's revenue in Q1 2021 was $10.4 billion, as reported in passage [1].", [TESLA], 0.6)
    assert v.answer, v.reasons
    assert [s.text for s in v.sentences] == ["Tesla's revenue in Q1 2021 was $10.4 billion."]
    v = verdict(q, "Tesla's revenue was $10.4 billion [1]. This is supported by passage [1].", [TESLA], 0.6)
    assert [s.text for s in v.sentences] == ["Tesla's revenue was $10.4 billion."]


def test_a_yes_no_question_gets_a_direct_answer_with_the_citations_of_its_support():
    q = analyse("Do both The Verge and TechCrunch report that Google has search deals with Apple?")
    draft = "Yes, The Verge says Google pays Apple to be the default search engine [1], and TechCrunch reports Google's search deals with Apple [2]."
    v = verdict(q, draft, [VERGE, TC], 0.6)
    assert v.answer, v.reasons
    assert v.sentences[0].text == "Yes." and set(v.sentences[0].cited) <= {1, 2} and v.sentences[0].cited


def test_a_yes_no_answer_without_any_support_is_refused():
    q = analyse("Did Tesla's revenue fall in 2021?")
    v = verdict(q, "No.", [TESLA], 0.6)
    assert not v.answer and "supported" in v.reasons[0]


def test_the_model_saying_the_articles_do_not_answer_is_a_refusal():
    v = verdict(
        analyse("Who is Tesla's chief financial officer?"), "The passages do not mention the CFO.", [TESLA], 0.6
    )
    assert not v.answer and "do not answer" in v.reasons[0]


def test_a_match_figure_is_not_answered_with_the_season_figure():
    q = analyse("How many goals did Halvorsen score against Castlebury?")
    assert verdict(q, "Halvorsen scored three goals against Castlebury [1].", [FOOTBALL], 0.6).answer
    v = verdict(q, "Halvorsen scored 27 goals [1].", [FOOTBALL], 0.6)
    assert not v.answer


def test_a_passage_repeated_per_citation_is_kept_once():
    assert [s.text for s in split_answer("[1] 5,000 participants [2] 5,000 participants.")] == ["5,000 participants."]
    assert split_answer("[1] 5,000 participants [2] 5,000 participants.")[0].cited == (1, 2)


def test_clause_trimming_never_leaves_a_dangling_word():
    out = leading_clauses("Junta supporters held up Nigerien and Russian flags as they marched through Niamey.")
    assert all(not c.rstrip(".").endswith(("Nigerien", "Nigerien's", "and", "the")) for c in out)
    assert "Shares in Veltrix fell 14%." in leading_clauses(
        "Shares in Veltrix fell 14%, which analysts blamed on weak demand."
    )
    # A reporting verb without what was reported says nothing.
    out = leading_clauses("The Sporting News article suggests that Oregon is still in contention for the playoff.")
    assert "The Sporting News article suggests." not in out
    assert not any(
        c.endswith("said.") for c in leading_clauses("The coach said that the striker, who scored twice, is fit.")
    )


def test_a_citation_marker_as_the_subject_cites_the_claim_it_introduces():
    got = split_answer("Bayern won 1-0 [1]. [2] also states that Bayern were the better side.")
    assert [(s.text, s.cited) for s in got] == [("Bayern won 1-0.", (1,)), ("Bayern were the better side.", (2,))]
    got = split_answer("The plan passed 7-2 [1]. [1] and [3] report that two councillors voted against it.")
    assert [(s.text, s.cited) for s in got][1] == ("Two councillors voted against it.", (1, 3))


def test_gate_bar_is_strict_only_for_unmentioned_names_or_mostly_missing_words():
    passages = [_chunk(0, "Iraq exported 3.52 million barrels of oil a day in October, the ministry said.")]
    strict, base = 0.8, 0.5
    assert gate_bar(analyse("How much oil did Iran export in October?"), passages, base, strict)[0] == strict
    # Paraphrase: "shipped abroad" for "exported" is not a missing subject.
    assert (
        gate_bar(analyse("How many barrels of oil did Iraq ship abroad daily in October?"), passages, base, strict)[0]
        == base
    )
    assert gate_bar(analyse("How many tanks and jets did the army parade?"), passages, base, strict)[0] == strict


def test_a_which_company_question_is_not_answered_with_its_own_names():
    phone = _chunk(0, "The battery was developed with its supplier, Hanbit Energy, Lumora said of the Lumora Arc.")
    q = analyse("Which company supplies the battery for the Lumora Arc?")
    assert not verdict(q, "Lumora supplies the battery for the Lumora Arc [1].", [phone], 0.6).answer
    assert verdict(q, "Hanbit Energy supplies the battery for the Lumora Arc [1].", [phone], 0.6).answer


def test_the_month_may_is_evidence_like_any_other_month():
    """ "May" was a stopword, so a draft saying May was supported by a passage saying June,
    and "will reopen in May" only repeated the question. The verb stays a stopword."""
    referendum = _chunk(0, "The Zorbia referendum was held on June 5, 2024, officials said.")
    q = analyse("When was the Zorbia referendum held?")
    assert not verdict(q, "The Zorbia referendum was held on May 5, 2024 [1].", [referendum], 0.6).answer
    assert verdict(q, "The Zorbia referendum was held on June 5, 2024 [1].", [referendum], 0.6).answer
    bridge = _chunk(0, "Repairs are nearly done, and the Zorbia bridge will reopen in May, the city said.")
    q = analyse("When will the Zorbia bridge reopen?")
    assert verdict(q, "The Zorbia bridge will reopen in May [1].", [bridge], 0.6).answer
    assert not verdict(q, "The Zorbia bridge will reopen in July [1].", [bridge], 0.6).answer
    from rag.lang import terms

    assert terms("Prices may rise in May, as Theresa May said.") == ["price", "rise", "may", "theresa", "may"]
    assert terms("May 5 was the vote. May I ask?") == ["may", "5", "vote", "ask"]


def test_a_figure_in_a_hyphenated_word_supports_the_answer():
    council = _chunk(0, "No party has a majority in the 183-seat National Council, officials said.")
    v = verdict(
        analyse("How many seats does the National Council have?"),
        "The National Council has 183 seats [1].",
        [council],
        0.6,
    )
    assert v.answer, v.reasons


def test_a_sentence_cites_a_passage_holding_the_question_words_it_uses():
    drug = _chunk(0, "Corvane has not said what revonimab will cost once approved.", "drug.txt")
    tunnel = _chunk(1, "The tunnel's cost rose to £1.12 billion after the delay.", "tunnel.txt")
    q = analyse("How much will a revonimab injection cost?")
    assert not verdict(q, "The cost of a revonimab injection is £1.12 billion [2].", [drug, tunnel], 0.6).answer


def test_markers_used_as_words_are_not_an_answer():
    council = _chunk(0, "Councillors Gareth Lloyd and Sunita Patel voted against the plan.")
    q = analyse("Which councillors voted against the plan?")
    assert split_answer("[1] and [3] voted against the plan.") == []
    assert not verdict(q, "[1] and [3] voted against the plan.", [council], 0.6).answer


def test_short_questions_missing_two_words_need_the_strict_bar():
    oil = [_chunk(0, "Veltrix reported net profit of $310 million for the quarter, the company said.")]
    assert gate_bar(analyse("How large a dividend will Veltrix pay this year?"), oil, 0.5, 0.8)[0] == 0.8
    assert gate_bar(analyse("How much net profit did Veltrix report?"), oil, 0.5, 0.8)[0] == 0.5


def test_an_answer_restating_the_question_is_judged_on_what_it_adds():
    # A long article spreads the question's words over passages; the claim is "Mississippi".
    # Half of the question's words are here (the other half in other passages); scored on all
    # its words the sentence would get 4/7 and be refused.
    p = _chunk(0, "Mississippi officials are investigating the arson that damaged Beth Israel synagogue.")
    q = analyse("Which state is investigating an alleged arson at its largest and oldest synagogue?")
    v = verdict(q, "Mississippi is investigating an alleged arson at its largest and oldest synagogue [1].", [p], 0.6)
    assert v.answer, v.reasons
    # Adding nothing to the question is no claim at all.
    assert not verdict(q, "A state is investigating an alleged arson at its largest synagogue [1].", [p], 0.6).answer


def test_background_sentences_of_a_question_set_the_scene():
    q = analyse(
        "Pope Francis died in April, and his successor was chosen at the Vatican. Which country is the new pope from?"
    )
    assert q.names == ()
    p = _chunk(0, "Pope Leo XIV was born in Chicago, in the United States, in 1955.")
    assert verdict(q, "The new pope is from the United States [1].", [p], 0.6).answer


def test_a_long_comparison_question_needs_half_its_names_in_the_answer_passages():
    from rag.checks import about_the_question

    q = analyse(
        "Does the TechCrunch article on Meta's advertising involve the European Commission the way "
        "The Verge describes its role in Amazon's iRobot purchase?"
    )
    meta = _chunk(0, "The European Commission asked Meta about its advertising.", "tc.txt", "TechCrunch")
    irobot = _chunk(
        1, "Amazon dropped its iRobot purchase after the European Commission objected.", "v.txt", "The Verge"
    )
    assert about_the_question(q, (1,), [meta, irobot])
    # A short question's names must all be there.
    short = analyse("How many Russian soldiers arrived in Burkina Faso?")
    niamey = _chunk(2, "100 Russian military instructors arrived in Niamey.")
    burkina = _chunk(3, "A group of Russian soldiers arrived in Burkina Faso.")
    assert not about_the_question(short, (1,), [niamey, burkina])


def test_an_outlet_written_as_a_domain_matches_its_name():
    from rag.lang import term_matches, terms

    assert set(terms("CBSSports")) <= set(terms("CBSSports.com reported the trade."))
    assert term_matches(terms("CBSSports")[0], set(terms("(CBSSports.com, 2023-12-01) Hill needs 153 yards a game.")))


def test_dates_are_figures_not_names_and_passage_dates_count():
    from rag.lang import spelled_date

    assert spelled_date("2023-10-07T13:00:00+00:00") == "October 7, 2023" and spelled_date("last week") == "last week"
    tc = Chunk(
        0,
        "tc.txt",
        "T",
        "Bankman-Fried was compared to Warren Buffett by investors.",
        0,
        1,
        source="TechCrunch",
        published="2023-10-07T10:00:00+00:00",
    )
    q = analyse("Did the TechCrunch report published on October 7, 2023 compare Bankman-Fried to Warren Buffett?")
    assert gate_bar(q, [tc], 0.5, 0.8)[0] == 0.5
    v = verdict(
        q,
        "Yes. TechCrunch reported on October 7, 2023 that Bankman-Fried was compared to Warren Buffett [1].",
        [tc],
        0.6,
    )
    assert v.answer and v.sentences[1].cited == (1,), v


def test_frame_words_and_hyphenated_names_do_not_sink_a_supported_answer():
    weiss = _chunk(0, "People's Party leader Katharina Weiss, 46, said she would begin coalition talks on Monday.")
    assert verdict(analyse("How old is she?"), "Katharina Weiss is 46 years old [1].", [weiss], 0.6).answer
    p = _chunk(
        1,
        "Solid-state batteries replace the liquid electrolyte with a solid material, which makes them less likely to catch fire.",
    )
    q = analyse("Why are solid-state batteries less likely to catch fire?")
    assert verdict(
        q, "Solid-state batteries replace the liquid electrolyte with a solid material [1].", [p], 0.6
    ).answer


# A company described by two outlets' articles: the answer restates the whole question,
# whose words are split between the two passages; its claim, the company, is in each.
FACTORY = _chunk(
    4,
    "But given Amazon's immense resources, you are able to build factories from the ground up.",
    "tc2.txt",
    "TechCrunch",
)
CABLES = _chunk(
    5, "You can get this two-pack of USB-C cables at Amazon for $15.99 and keep one at home.", "pg.txt", "Polygon"
)
LONG_ENTITY_Q = (
    "Which company, covered by TechCrunch for its ability to build new factories, "
    "also sells a two-pack of USB-C cables as noted by Polygon?"
)


def test_a_long_question_restated_across_passages_is_judged_on_its_claim():
    draft = "Amazon, covered by TechCrunch for its ability to build new factories, also sells a two-pack of USB-C cables as noted by Polygon."
    v = verdict(analyse(LONG_ENTITY_Q), draft, [FACTORY, CABLES], 0.6)
    assert v.answer, v.reasons
    assert v.sentences[0].supported
    # The claim must still be in a passage: another company is not supported.
    v = verdict(analyse(LONG_ENTITY_Q), draft.replace("Amazon", "Walmart"), [FACTORY, CABLES], 0.6)
    assert not v.answer


def test_a_short_question_restatement_is_still_sought_in_one_passage():
    # Short: every word is the subject; the passage that names the figure must be about it.
    q = analyse("How much did Tesla earn from batteries?")
    v = verdict(q, "Tesla earned $10.4 billion from batteries.", [TESLA, FOOTBALL], 0.6)
    assert not v.answer


def test_a_long_comparison_gets_its_yes_no_when_the_restatement_is_unchecked():
    q = analyse(
        "Does the article from The Verge suggest that Google pays Apple for default search, "
        "while the TechCrunch article reports that publishers are harmed by those deals?"
    )
    draft = (
        "Yes. The Verge article suggests that Google pays Apple for default search, while the TechCrunch "
        "article reports that publishers are harmed by those deals, in both cases."
    )
    v = verdict(q, draft, [VERGE, TC, TESLA], 0.6)
    assert v.answer, v.reasons
    assert v.sentences[0].text == "Yes." and set(v.sentences[0].cited) == {1, 2}
    # Passages about something else give the direct answer nothing to stand on.
    v = verdict(q, draft, [TESLA, FOOTBALL], 0.6)
    assert not v.answer


PLANET_LEAD = Chunk(
    0,
    "exo.txt",
    "Astronomers find water vapour on nearby exoplanet",
    "Astronomers have detected water vapour in the atmosphere of K2-412b, a planet 118 light-years away.",
    0,
    100,
    source="Science Bulletin",
)
PLANET_LATER = Chunk(
    1,
    "exo.txt",
    "Astronomers find water vapour on nearby exoplanet",
    "The planet was first discovered in 2019 by NASA's Kepler space telescope during its extended K2 mission.",
    900,
    1000,
    source="Science Bulletin",
)


def test_a_later_passage_is_about_the_subject_its_article_leads_with():
    q = analyse("When was K2-412b first discovered?")
    draft = "K2-412b was first discovered in 2019 [2]."
    # Without its article's lead, "the planet" is about nothing the question names.
    assert not verdict(q, draft, [PLANET_LEAD, PLANET_LATER, TESLA], 0.6).answer
    v = verdict(q, draft, [PLANET_LEAD, PLANET_LATER, TESLA], 0.6, leads={"exo.txt": PLANET_LEAD})
    assert v.answer, v.reasons


def test_a_name_further_down_the_article_does_not_make_a_passage_about_it():
    # Niger's article names Burkina Faso as a neighbour further down; its lead does not.
    lead = Chunk(0, "niger.txt", "Russian trainers arrive in Niger", "Russia delivered air defences to Niger.", 0, 40)
    arrived = Chunk(
        1, "niger.txt", "Russian trainers arrive in Niger", "100 Russian instructors arrived on Wednesday.", 500, 550
    )
    neighbour = Chunk(
        2, "niger.txt", "Russian trainers arrive in Niger", "Neighbouring Burkina Faso also turned to Russia.", 900, 950
    )
    q = analyse("How many Russian instructors arrived in Burkina Faso?")
    v = verdict(q, "100 Russian instructors arrived [1].", [arrived, neighbour], 0.6, leads={"niger.txt": lead})
    assert not v.answer


def test_the_direct_answer_must_be_supported_not_only_the_detail_after_it():
    fraud = _chunk(
        6,
        "Wang testified that he heard Bankman-Fried tell another trader that it was okay to keep "
        "withdrawing money as long as the amount was small.",
        "verge.txt",
        "The Verge",
    )
    q = analyse(
        "Who is implicated in a legal case covered by The Verge for allowing a trader to withdraw funds "
        "from an account under certain conditions?"
    )
    draft = (
        "The individual implicated in the legal case covered by The Verge for allowing a trader to withdraw funds "
        "from an account under certain conditions is Wang. Wang testified that he heard Bankman-Fried tell "
        "another trader that it was okay to keep withdrawing money [1]."
    )
    v = verdict(q, draft, [fraud], 0.6)
    assert not v.answer and "direct answer" in v.reasons[0]
    # A first sentence that only repeats the question's background claims nothing.
    dilbert = _chunk(7, 'Adams was best known for creating the "Dilbert" comic strip.', "ca.txt")
    q = analyse("Cartoonist Scott Adams died this week. He was best known for creating which comic strip?")
    v = verdict(
        q, 'Scott Adams died this week. He was best known for creating the "Dilbert" comic strip [1].', [dilbert], 0.6
    )
    assert v.answer, v.reasons


def test_a_long_question_needs_most_of_its_names_missing_for_the_strict_bar():
    strict, base = 0.8, 0.5
    passages = [
        _chunk(
            0,
            "Hill needs to average almost 153 yards per game in his final three games to reach 2,000 yards.",
            "sn.txt",
            "Sporting News",
        ),
        _chunk(
            1,
            "The Dolphins receiver now needs 153 yards a game to reach his goal, the report said.",
            "cbs.txt",
            "CBSSports.com",
        ),
    ]
    # One name of many missing (the excerpt says "Hill", the team, not "Miami"): a detail.
    q = analyse(
        "Between the Sporting News report on Tyreek Hill's chances of reaching 2,000 receiving yards and the "
        "CBSSports.com report on his required average for Miami, was there a change in the reporting?"
    )
    assert gate_bar(q, passages, base, strict)[0] == base
    # Most of them missing: the question is about something the articles do not cover.
    q = analyse(
        "Considering the information from a BBC News article on Volodymyr Zelenskyy's diplomatic efforts in "
        "Europe and a CNN report on his domestic policies, which European leader did Zelenskyy meet?"
    )
    assert gate_bar(q, passages, base, strict)[0] == strict
    # A short question: any one missing name is enough.
    assert gate_bar(analyse("How many yards does Waddle need?"), passages, base, strict)[0] == strict


def test_denying_a_false_premise_is_a_correction_not_a_repetition():
    council = _chunk(8, "Millbrook city council voted 7-2 on Thursday to approve the bike lane plan.", "m.txt")
    q = analyse("Why did Millbrook council reject the bike lane plan?")
    v = verdict(q, "The council did not reject the plan; it voted 7-2 to approve it [1].", [council], 0.6)
    assert v.answer, v.reasons
    # Repeating the premise as fact is not supported, whatever else the sentence says.
    v = verdict(q, "The council rejected the plan because it voted 7-2 [1].", [council], 0.6)
    assert not v.answer


def test_a_direct_answer_stands_on_every_passage_that_supports_it():
    # The model cites one of two passages holding the company; together they hold both
    # of the question's names.
    epic = _chunk(9, "Epic sued Google over the distribution of apps to Android users.", "v.txt", "The Verge")
    chronicle = _chunk(
        10, "The Helena World Chronicle sued Google, saying it siphons off publishers' revenue.", "t.txt", "TechCrunch"
    )
    q = analyse("Which company did Epic and the Chronicle sue?")
    v = verdict(q, "Epic and the Chronicle sued Google [1].", [epic, chronicle, TESLA], 0.6)
    assert v.answer, v.reasons
    assert set(v.sentences[0].cited) == {1, 2}
    # The cited passage alone is not about the Chronicle.
    from rag.checks import about_the_question

    assert not about_the_question(q, [1], [epic, chronicle, TESLA])


def test_a_name_given_in_full_in_the_articles_lead_supports_a_later_passage():
    lead = Chunk(
        0, "ups.txt", "Louisville mourns", "Louisville, Kentucky, mourns the loss of 14 people in the UPS crash.", 0, 70
    )
    later = Chunk(
        1,
        "ups.txt",
        "Louisville mourns",
        "The plane crashed near a petroleum recycling facility in Louisville.",
        900,
        970,
    )
    q = analyse("A UPS cargo plane crashed this week. Where did the crash occur?")
    draft = "The crash occurred near a petroleum recycling facility in Louisville, Kentucky [2]."
    # Without the lead, "Kentucky" is a name the passage never gives: the tail is cut.
    v = verdict(q, draft, [TESLA, later], 0.6)
    assert v.answer and "Kentucky" not in v.sentences[0].text
    v = verdict(q, draft, [TESLA, later], 0.6, leads={"ups.txt": lead})
    assert v.answer and v.sentences[0].text.endswith("Louisville, Kentucky.") and v.sentences[0].cited == (2,)
    # Another article's lead lends nothing.
    v = verdict(q, draft, [TESLA, later], 0.6, leads={"ups.txt": later, "tesla.txt": lead})
    assert "Kentucky" not in v.sentences[0].text


def test_a_long_comparisons_yes_no_cites_the_passages_about_all_it_compares():
    # The one supported clause covers the Saints; the Mahomes passage is the other half.
    saints = _chunk(
        11, "The Saints failed on fourth down at the Jacksonville 10 late in the game.", "sn1.txt", "Sporting News"
    )
    mahomes = _chunk(
        12, "Patrick Mahomes converted a critical third down to seal the win over the Jets.", "sn2.txt", "Sporting News"
    )
    q = analyse(
        "Does the Sporting News article on the Jaguars vs. Saints game show the Saints failing a fourth down "
        "attempt, while the article on the Chiefs vs. Jets game shows Patrick Mahomes converting a third down?"
    )
    draft = "Yes, the Saints failed on fourth down at the Jacksonville 10 [1], while Mahomes converted a critical third down [2]."
    v = verdict(q, "Yes. The Saints failed on fourth down at the Jacksonville 10 [1].", [saints, mahomes, TESLA], 0.6)
    assert v.answer, v.reasons
    assert v.sentences[0].text == "Yes." and set(v.sentences[0].cited) == {1, 2}
    assert verdict(q, draft, [saints, mahomes, TESLA], 0.6).answer


def test_a_two_part_question_is_restated_from_the_passages_of_both_parts():
    harvest = _chunk(13, "Ukraine's wheat harvest rose 8% this year, the ministry said.", "wheat.txt", "Agrinews Wire")
    strike = _chunk(14, "Dock workers in Odesa went on strike on Friday.", "port.txt", "Agrinews Wire")
    q = analyse("Which agency published both the Ukraine harvest story and the Odesa strike story?")
    draft = "Agrinews Wire published both the Ukraine harvest story and the Odesa strike story [1]."
    # Neither passage holds half of what the answer repeats; the two together do.
    v = verdict(q, draft, [harvest, strike], 0.6)
    assert v.answer, v.reasons


def test_the_model_may_judge_a_paraphrase_but_never_a_missing_figure_or_name():
    """A judge (the model's p(yes) that a passage states a sentence) is asked only where
    the words fall short, and only about passages that hold the sentence's figures and names."""
    from rag.checks import Judge, Sentence, check

    q = analyse("What did Halvorsen Foods report for the first quarter?")
    passages = [
        _chunk(0, "Halvorsen Foods said quarterly sales climbed to $4.2 billion, helped by strong demand for snacks."),
        _chunk(1, "Grain prices fell in March, traders in Chicago said."),
    ]
    asked = []

    def ask(sentence, n):
        asked.append((sentence, n))
        return 0.9

    paraphrase = Sentence("Halvorsen Foods posted first-quarter revenue of $4.2 billion.", (1,))
    [plain] = check([paraphrase], passages, q, 0.9)
    assert not plain.supported  # the words alone fall short at this bar
    [judged] = check([paraphrase], passages, q, 0.9, judge=Judge(ask))
    assert judged.cited == (1,) and asked == [(paraphrase.text, 1)]

    asked.clear()
    wrong_figure = Sentence("Halvorsen Foods posted first-quarter revenue of $5.1 billion.", (1,))
    other_name = Sentence("Halvorsen Foods chief Quentin Marlow posted revenue of $4.2 billion.", (1,))
    for s in (wrong_figure, other_name):
        [c] = check([s], passages, q, 0.9, judge=Judge(ask))
        assert not c.supported
    assert asked == []  # the hard rules failed: the model is not asked

    [no] = check([paraphrase], passages, q, 0.9, judge=Judge(lambda s, n: 0.2))
    assert not no.supported


def test_the_judge_weighs_a_restatement_in_other_words():
    """A passage that says what the question asks in other words ("chairs the panel on
    homes" for "leads the housing committee") fails the word rule for restated words; its
    names and figures hold, so the model is asked, on any topic."""
    from rag.checks import Judge, Sentence, check

    cases = [
        (
            "Who leads the Tarrow council's housing committee?",
            "Councillor Ines Moyo, who chairs the panel on homes, said rents had risen 9%.",
            "Ines Moyo leads the Tarrow council's housing committee.",
        ),
        (
            "Which striker did Brentwick Rovers sign in January?",
            "The club completed the winter transfer of forward Kofi Mensah from Eastwick City.",
            "Brentwick Rovers signed striker Kofi Mensah in January.",
        ),
    ]
    for question, passage, answer in cases:
        q = analyse(question)
        passages = [_chunk(0, passage), _chunk(1, "Grain prices fell in March, traders in Chicago said.")]
        [plain] = check([Sentence(answer, (1,))], passages, q, 0.6)
        assert not plain.supported, answer
        asked: list[int] = []

        def ask(sentence: str, n: int, asked: list[int] = asked) -> float:
            asked.append(n)
            return 0.9

        [judged] = check([Sentence(answer, (1,))], passages, q, 0.6, judge=Judge(ask))
        assert judged.cited == (1,) and asked == [1], answer


def test_a_name_given_in_short_must_not_belong_to_another_of_the_same_ending():
    """Catching the wrong entity: the passage's "Foods" is Halvorsen Foods, not Marlow Foods;
    "Kelce" is Jason, not Travis. A name the passage gives in short still counts."""
    from rag.checks import support

    q = analyse("What did the company report for the first quarter?")
    foods = "Halvorsen Foods said quarterly sales climbed to $4.2 billion, helped by snacks."
    assert support("Marlow Foods reported sales of $4.2 billion.", foods, q) == 0.0
    assert support("Halvorsen Foods reported sales of $4.2 billion.", foods, q) > 0.6
    kelce = "Jason Kelce retired after 13 seasons with the Eagles."
    assert support("Travis Kelce retired after 13 seasons.", kelce, analyse("Who retired?")) == 0.0
    mahomes = "Mahomes threw for 320 yards in the win over Denver."
    assert support("Patrick Mahomes threw for 320 yards.", mahomes, analyse("Who threw for 320 yards?")) > 0.6


def test_the_answers_type_need_not_be_named_by_the_passage():
    """ "Which pop star / team / service ...?" is answered by a passage that names the
    singer, the club or the app without calling it one; its other words still count."""
    cases = [
        (
            "Which pop star announced an all-female music festival?",
            "Olivia Rodrigo announced an all-female music festival.",
            "Olivia Rodrigo said on Monday she would headline an all-female music festival in Chicago next summer.",
        ),
        (
            "What is the name of the service that has been made free for users?",
            "Beeper Mini is the service.",
            "Beeper Mini, the app that brought iMessage to Android, is now free for users after a chaotic week.",
        ),
        (
            "Which team won the Super Bowl in February 2024?",
            "The Kansas City Chiefs won the Super Bowl.",
            "The Chiefs beat the San Francisco 49ers 25-22 in overtime to win the Super Bowl in Las Vegas.",
        ),
    ]
    for question, answer, passage in cases:
        q = analyse(question)
        assert support(answer, passage, q) >= 0.6, question
        # The hard rules stand: a name the passage does not give is never supported.
        other = answer.replace(answer.split(" is ")[0].split(" announced")[0].split(" won")[0], "Katy Perry")
        assert support(other, passage, q) == 0.0, other


def test_refusal_reasons_have_plain_words():
    from rag.checks import plain_reason

    assert plain_reason("the model's p(yes) that the passages answer is 0.45, under 0.80") == (
        "None of the articles seems to answer this."
    )
    assert plain_reason(
        "the model's p(yes) that the passages answer is 0.4, under 0.8 (the passages never mention Kyiv)"
    ) == ("The articles found never mention Kyiv.")
    assert "not stated in the articles" in plain_reason("no sentence of the draft is supported by a passage")
    assert all("p(yes)" not in plain_reason(r) for r in ("the model said the passages do not answer", "time limit"))


def test_figures_match_however_the_outlet_writes_them():
    """ "$2.3bn" supports "$2.3 billion" and the other way round; a different figure
    still does not."""
    from rag.checks import support

    deal = analyse("How much is Quorra Labs paying for Sablewood Analytics?")
    wire = "Quorra Labs agreed to acquire Sablewood Analytics in a deal that values it at $2.3bn."
    assert support("Quorra Labs is paying $2.3 billion for Sablewood Analytics.", wire, deal) > 0.6
    assert support("Quorra Labs is paying $2.5 billion for Sablewood Analytics.", wire, deal) == 0.0
    spelled = "Quorra Labs agreed to buy Sablewood Analytics for $2.3 billion in cash."
    assert support("Quorra Labs is paying $2.3bn for Sablewood Analytics.", spelled, deal) > 0.6
    fund = analyse("How much did Ferrona Energy raise in its Series C round?")
    round_ = "Ferrona Energy closed a €410m Series C round led by Northwall Capital."
    assert support("Ferrona Energy raised €410 million in its Series C round.", round_, fund) > 0.6


def test_a_place_is_found_by_its_full_name_though_its_words_frame_claims():
    """ "US" is "the United States"; "states" is also a word that frames a claim, but in a
    name it is the name."""
    from rag.checks import about_the_question

    q = analyse("How much will the Lumo Glass 2 headset cost in the US?")
    price = _chunk(0, "The Lumo Glass 2 will go on sale priced at $1,499 in the United States, Lumo said.")
    other = _chunk(1, "Vireo will sell its Sight headset for $999 in Canada.")
    assert about_the_question(q, (1,), [price, other])


def test_a_percentage_is_the_same_however_the_outlet_writes_it():
    """ "58%", "58 per cent" and "58 percent" stand next to the same unit word, so the
    words near the figure meet; another percentage, or the figure with another unit,
    still does not support the answer."""
    vote = analyse("What percentage of Corvane Airways' creditors by value voted for Halcyon's bid?")
    wire = "Creditors holding 58 per cent of the airline's debts by value had voted for Halcyon's revised bid."
    assert support("58% of Corvane Airways' creditors by value voted for Halcyon's bid.", wire, vote) > 0.6
    assert support("61% of Corvane Airways' creditors by value voted for Halcyon's bid.", wire, vote) == 0.0
    turnout = analyse("What was the turnout in the Lannock South by-election?")
    report = "Turnout in Lannock South fell to 41 percent, the lowest since the seat was created."
    assert support("Turnout in the Lannock South by-election was 41%.", report, turnout) > 0.6
    trial = analyse("By how much did Dulmorix cut migraine days in the trial?")
    paper = "Patients on Dulmorix had 41 fewer migraine days a year in the trial, the company said."
    assert support("Dulmorix cut migraine days by 41% in the trial.", paper, trial) == 0.0


def test_a_source_question_answered_by_a_marker_names_the_articles_outlet():
    """ "Who reported that?" answered "[1]": the passage is the source, named by its outlet
    and date, or by its headline when the article names no outlet."""
    from dataclasses import replace

    from rag.checks.rules import source_reply

    wire = replace(TC, published="2023-10-31")
    for question in ("Who reported that?", "Which outlet published this?", "Where is that from?", "What's the source?"):
        decision = verdict(analyse(question), "[1]", [wire], 0.6)
        assert decision.answer, question
        assert decision.sentences[0].text == "TechCrunch reported it on October 31, 2023."
        assert decision.sentences[0].cited == (1,)
    assert (
        source_reply(analyse("Who reported that?"), "[2]", [TESLA, FOOTBALL])
        == "It is from the article “Headline 3” [2]."
    )
    # Any other question, or a draft with words, is read as it is.
    assert source_reply(analyse("Who scored three goals?"), "[1]", [FOOTBALL]) is None
    assert source_reply(analyse("Who reported that?"), "Halvorsen [1]", [FOOTBALL]) is None
    # Two articles, however the markers are joined.
    two = source_reply(analyse("Where is that from?"), "[1, 2].", [wire, TESLA])
    assert two == source_reply(analyse("Where is that from?"), "[1] and [2]", [wire, TESLA])
    assert two == "TechCrunch reported it on October 31, 2023 [1]. It is from the article “Headline 0” [2]."
    assert not verdict(analyse("Who scored three goals?"), "[1]", [FOOTBALL], 0.6).answer


def test_an_undated_passage_that_names_no_year_may_carry_the_questions_year():
    # Undated articles (web snippets, plain text files) rarely repeat the year the
    # question asks about; the answer restating it is neither confirmed nor contradicted.
    cases = [
        (
            "Who won the 2017 Darnley mayoral election?",
            "Ruth Okafor won the Darnley mayoral election on Sunday with 54 percent of the vote.",
            "Ruth Okafor won the 2017 Darnley mayoral election [1].",
        ),
        (
            "What was Quillon Foods' revenue in the first quarter of 2025?",
            "Quillon Foods reported revenue of $4.2 billion for its fiscal first quarter, up 6 percent from a "
            "year earlier.",
            "Quillon Foods' revenue in the first quarter of 2025 was $4.2 billion [1].",
        ),
        (
            "Who was the chief executive of Brightmoor Bank in 2021?",
            "Priya Raman took over as chief executive of Brightmoor Bank on Monday, replacing Tom Ellery.",
            "The chief executive of Brightmoor Bank in 2021 was Priya Raman [1].",
        ),
    ]
    for question, text, draft in cases:
        v = verdict(analyse(question), draft, [_chunk(0, text)], 0.6)
        assert v.answer and v.sentences[0].cited == (1,), (question, v)


def test_a_passage_that_names_another_year_or_is_dated_must_bear_the_year_out():
    q = analyse("Which club won the 2024 Kestrel Cup?")
    draft = "Harbury Town won the 2024 Kestrel Cup [1]."
    other_year = _chunk(0, "Harbury Town won the 2022 Kestrel Cup, beating Selby Rovers 2-0 in the final.")
    last_season = _chunk(0, "Last season's Kestrel Cup winners Harbury Town were knocked out on Saturday.")
    dated = Chunk(
        0, "a.txt", "Cup final", "Harbury Town won the Kestrel Cup on Saturday.", 0, 1, published="2023-05-07"
    )
    for passage in (other_year, last_season, dated):
        assert not verdict(q, draft, [passage], 0.6).answer, passage.text
    # The same passage dated in the question's year does bear it out.
    assert verdict(q, draft, [Chunk(0, "a.txt", "Cup final", dated.text, 0, 1, published="2024-05-05")], 0.6).answer


def test_a_passage_dated_in_the_questions_year_that_names_no_other_bears_it_out():
    # The year is only in the date line, far from the words the answer puts next to it.
    cases = [
        (
            "How many points did Dara Okonjo score in the deciding game of the 2026 Coastal Basketball League finals?",
            "Dara Okonjo saved his best for last. The Ospreys forward poured in 31 points on Saturday night as "
            "Kestrel Bay won Game 7 to take the Coastal Basketball League championship.",
            "Dara Okonjo scored 31 points in the deciding game of the 2026 Coastal Basketball League finals [1].",
            "2026-05-24",
        ),
        (
            "Which drug did European regulators approve for cluster headaches in 2025?",
            "The European Commission on Monday granted marketing authorisation to Soliprant, a monthly injection, "
            "for preventing cluster headache attacks in adults.",
            "The European Commission approved Soliprant for preventing cluster headache attacks in adults in 2025 [1].",
            "2025-09-15",
        ),
        (
            "Who is headlining Saturday night at Saltmarsh Festival 2026?",
            "Organisers confirmed on Tuesday that indie band The Marigold Arcade will close the main stage of "
            "Saltmarsh Festival on the Saturday night.",
            "The Marigold Arcade is headlining Saturday night at Saltmarsh Festival 2026 [1].",
            "2026-03-03",
        ),
    ]
    for question, text, draft, date in cases:
        passage = Chunk(0, "a.txt", "Results", text, 0, 1, published=date)
        v = verdict(analyse(question), draft, [passage], 0.6)
        assert v.answer and v.sentences[0].cited == (1,), (question, v)
        # Dated the year before, it must say the year itself.
        earlier = Chunk(0, "a.txt", "Results", text, 0, 1, published=f"{int(date[:4]) - 1}{date[4:]}")
        assert not verdict(analyse(question), draft, [earlier], 0.6).answer, question
        # Another year in a sentence about something else leaves the date line's year to
        # the claim; another year in the claim's own sentence dates it otherwise.
        for other in (" The 2023 result was closer.", " Last year's result was closer."):
            passage = Chunk(0, "a.txt", "Results", text + other, 0, 1, published=date)
            assert verdict(analyse(question), draft, [passage], 0.6).answer, (question, other)
        for other in (" in 2023.", ", as it did last year."):
            passage = Chunk(0, "a.txt", "Results", text.removesuffix(".") + other, 0, 1, published=date)
            assert not verdict(analyse(question), draft, [passage], 0.6).answer, (question, other)


def test_the_date_line_does_not_date_a_claim_whose_sentence_names_another_year():
    # The cited passage gives the question's year only in its date line; the sentence that
    # holds the claim gives another year, in digits or as "last year".
    revenue = Chunk(
        0,
        "a.txt",
        "Orlinde revenue climbs",
        "Orlinde Pharma said revenue rose 14% to €4.3bn in 2023, helped by vaccines. The dividend will rise.",
        0,
        1,
        published="2024-02-07",
    )
    q = analyse("What revenue did Orlinde Pharma report for 2024?")
    assert not verdict(q, "Orlinde Pharma reported revenue of €4.3bn for 2024 [1].", [revenue], 0.6).answer
    awards = Chunk(
        0,
        "b.txt",
        "Nominations",
        "Theo Brannagh leads the nominations for album of the year at the Northern Lights Music Awards. "
        "Last year, Ada Korr won album of the year.",
        0,
        1,
        published="2026-01-14",
    )
    q = analyse("Who won album of the year at the 2026 Northern Lights Music Awards?")
    draft = "Ada Korr won album of the year at the 2026 Northern Lights Music Awards [1]."
    assert not verdict(q, draft, [awards], 0.6).answer


def test_a_passage_found_by_words_alone_must_hold_the_year_beside_the_same_words():
    # The draft cites last year's result; this year's nominations story, dated in the
    # question's year, holds the words but not the year beside them: no re-pointing to it.
    q = analyse("Who won album of the year at the 2026 Northern Lights Music Awards?")
    nominations = Chunk(
        0,
        "a.txt",
        "Nominations",
        "Theo Brannagh leads the nominations for album of the year at the Northern Lights Music Awards.",
        0,
        1,
        published="2026-01-14",
    )
    result = Chunk(
        1,
        "b.txt",
        "Result",
        "Theo Brannagh won album of the year at the Northern Lights Music Awards.",
        0,
        1,
        published="2025-02-16",
    )
    draft = "Theo Brannagh won album of the year at the 2026 Northern Lights Music Awards [2]."
    assert not verdict(q, draft, [nominations, result], 0.6).answer


def test_of_two_asked_years_a_cited_passage_bears_out_only_the_one_it_names():
    q = analyse("How did Norvale Bank's profit in 2024 compare with 2023?")
    passage = Chunk(
        0, "a.txt", "Results", "Norvale Bank made a profit of $5.2 billion, it said.", 0, 1, published="2023-03-01"
    )
    assert not verdict(q, "Norvale Bank's profit was $5.2 billion in 2024 [1].", [passage], 0.6).answer
    assert verdict(q, "Norvale Bank's profit was $5.2 billion in 2023 [1].", [passage], 0.6).answer


# -- an answer the passage says of a rival with a like name ---------------------------
def test_an_answer_said_of_a_rival_with_a_like_name_is_refused():
    club = _chunk(
        0,
        "Halden Athletic have agreed a shirt sponsorship deal with Corvane Telecom from the start of the "
        "2025-26 season. The announcement comes days after city rivals Halden City confirmed their own new partner.",
    )
    q = analyse("Which company will be Halden City's shirt sponsor for the 2025-26 season?")
    v = verdict(q, "Corvane Telecom will be Halden City's shirt sponsor for the 2025-26 season [1].", [club], 0.6)
    assert not v.answer
    assert v.reasons == ("the cited passages say this of Halden Athletic, not of the question's subject",)
    from rag.checks import plain_reason

    assert plain_reason(v.reasons[0]) == (
        "The articles found say this of Halden Athletic, not of what the question asks about."
    )

    kelce = _chunk(1, "Jason Kelce signed a one-year contract with ESPN. His brother Travis Kelce watched on.")
    q = analyse("Which network did Travis Kelce sign with?")
    assert not verdict(q, "Travis Kelce signed with ESPN [1].", [kelce], 0.6).answer

    foods = _chunk(2, "Penhallow Foods appointed Mara Quist as chief executive. Marrowfield Foods declined to comment.")
    q = analyse("Who did Marrowfield Foods appoint as chief executive?")
    assert not verdict(q, "Marrowfield Foods appointed Mara Quist as chief executive [1].", [foods], 0.6).answer


def test_an_answer_tied_to_the_question_s_subject_stands():
    # The sentence naming the answer names the subject, in full or within a longer name.
    club = _chunk(
        0, "Halden City have signed Norvik Energy as shirt sponsor, beating an offer to rivals Halden Athletic."
    )
    q = analyse("Which company will be Halden City FC's shirt sponsor?")
    v = verdict(q, "Norvik Energy will be Halden City FC's shirt sponsor [1].", [club], 0.6)
    assert v.answer, v.reasons
    # A later sentence of the passage that names neither rival nor subject leaves it alone.
    bank = _chunk(
        1,
        "Carrowdale Bank named Sunita Rao chief executive on Monday. Rao previously ran retail banking at Brennard Bank.",
    )
    q = analyse("Who is the chief executive of Carrowdale Bank?")
    assert verdict(q, "Sunita Rao is the chief executive of Carrowdale Bank [1].", [bank], 0.6).answer
    # A one-word subject has no like-named rival to be confused with.
    tech = _chunk(2, "Apple Music raised its price to $11.99. Spotify followed a week later.")
    q = analyse("What did Spotify do?")
    assert verdict(q, "Spotify raised its price a week later [1].", [tech], 0.6).answer


def test_a_quote_must_be_the_cited_passage_s_words():
    """A sentence that quotes words its passage does not say cites the wrong source:
    "the results were "slightly below expectations"" was cited to a poll of analysts in
    another outlet's article. In sport, politics and tech alike the quote must be there."""
    poll = _chunk(0, "Analysts polled by the newspaper had expected a profit of 1.55 billion dollars.", "nbd.txt")
    berg = _chunk(
        1,
        'Analyst Tomas Berg said the results were "slightly below expectations" but the buyback was a "positive surprise".',
        "mw.txt",
    )
    q = analyse("What did analysts say about Norvale's results?")
    claim = 'Analysts had expected 1.55 billion dollars, and the results were "slightly below expectations".'
    assert support(claim, poll.text, q) == 0.0
    assert support('Tomas Berg said the results were "slightly below expectations".', berg.text, q) > 0
    # Quoted words a passage holds, in other case or punctuation, or with a gap marked "…".
    coach = _chunk(2, 'Dunmore said her team had thrown away a point. "It hit his shoulder," she said.', "fb.txt")
    q = analyse("What did Claire Dunmore say about the penalty?")
    assert support('Dunmore said "it hit his shoulder".', coach.text, q) > 0
    mayor = _chunk(
        3, 'Greaves said she would "reach out to every neighbourhood, including those that did not vote."', "l.txt"
    )
    q = analyse("What did Greaves promise?")
    assert support('Greaves said she would "reach out to every neighbourhood … that did not vote".', mayor.text, q) > 0
    assert support('Greaves said she would "rebuild every neighbourhood".', mayor.text, q) == 0.0
    # The question's own quoted words may be quoted back.
    from rag.checks.support import misquotes

    asked = 'Who called the chip "the biggest jump in efficiency"?'
    raman = "Chief executive Priya Raman called it the biggest jump the firm has made."
    assert not misquotes('Priya Raman called it "the biggest jump in efficiency".', raman, asked)
    assert misquotes('Priya Raman called it "the biggest jump in efficiency".', raman)


def test_a_yes_the_cited_passage_denies_is_refused():
    """ "Did anyone die in the flood?" was answered "Yes [1]. Two people were treated in
    hospital [1]." from "No one died, though two people were treated in hospital": the
    passage uses the question's verb only denied. In markets and sport alike; a passage
    that also states it, or answers "Yes", keeps the answer."""
    flood = _chunk(0, "Volunteers reached 37 people. No one died, though two people were treated in hospital.")
    q = analyse("Did anyone die in the Marlow Ferry flood?")
    v = verdict(q, "Yes [1]. Two people were treated in hospital [1].", [flood], 0.6)
    assert not v.answer and "deny" in v.reasons[0]
    from rag.checks import plain_reason, says_otherwise

    assert says_otherwise(v.reasons[0])
    assert plain_reason(v.reasons[0]) == (
        "The articles found say otherwise: “No one died, though two people were treated in hospital.”"
    )
    assert verdict(q, "No [1]. No one died, though two people were treated in hospital [1].", [flood], 0.6).answer
    dividend = _chunk(
        1, "Norvale did not cut its dividend, keeping it at 0.45 dollars a share, and announced a buyback."
    )
    q = analyse("Did Norvale cut its dividend?")
    assert not verdict(q, "Yes [1]. Norvale announced a buyback [1].", [dividend], 0.6).answer
    prices = _chunk(2, "Copper prices did not rise in March. They rose 2% in April on the London Metal Exchange.")
    q = analyse("Did copper prices rise on the London Metal Exchange?")
    assert verdict(q, "Yes [1]. Copper prices rose 2% in April on the London Metal Exchange [1].", [prices], 0.6).answer
    cup = _chunk(3, "Westbrook never trailed after the break and beat Alder Vale on penalties.")
    q = analyse("Did Westbrook beat Alder Vale?")
    assert verdict(q, "Yes [1]. Westbrook beat Alder Vale on penalties [1].", [cup], 0.6).answer


@pytest.mark.parametrize(
    "question, passage, draft",
    [
        (
            "Did Measure C pass?",
            "RIDGEWAY - Voters rejected Measure C, a proposed half-cent sales tax, with 54% voting against it. "
            "The measure needed a simple majority to pass.",
            "Yes [1]. Measure C passed [1].",
        ),
        (
            "Did Quillon raise its full-year forecast?",
            "Quillon kept its full-year revenue forecast of $19 billion, disappointing some investors.",
            "Yes [1]. Quillon raised its full-year forecast [1].",
        ),
        (
            "Was Helen Marsh convicted?",
            "A jury on Thursday acquitted Dr. Helen Marsh, the former director of Eastbridge General Hospital, "
            "of all five fraud charges.",
            "Yes [1]. Helen Marsh was convicted [1].",
        ),
        (
            "Did the Harriers win the final?",
            "The Harriers lost the final 2-1 to Castlebury after extra time.",
            "Yes [1]. The Harriers won the final [1].",
        ),
        # A wish or a prospect is no report of the outcome ("preferring a cut", "cuts could come").
        (
            "Did the Bank of Norland cut rates?",
            "The Bank of Norland kept its main interest rate at 4.25% on Thursday. The committee voted 7-2 "
            "to hold, with two members preferring a cut of a quarter point.",
            "Yes [1]. The Bank of Norland cut rates [1].",
        ),
        (
            "Did the Bank of Norland cut rates?",
            "The Bank of Norland left borrowing costs unchanged at 4.25% on Thursday and signalled that cuts "
            "could come in the summer.",
            "Yes [1]. The Bank of Norland cut rates [1].",
        ),
    ],
)
def test_a_yes_to_an_outcome_the_passage_reports_otherwise_is_refused(question: str, passage: str, draft: str):
    """A ballot measure rejected, a forecast kept, a defendant acquitted, a final lost:
    the cited passage reports an outcome that excludes the one asked about, and never the
    asked one (a need, "to pass", is no report), so its "Yes" is refused, quoting it."""
    from rag.checks import says_otherwise

    v = verdict(analyse(question), draft, [_chunk(0, passage)], 0.6)
    assert not v.answer and says_otherwise(v.reasons[0]), v.reasons
    assert "RIDGEWAY" not in v.reasons[0]  # quoted without its dateline


@pytest.mark.parametrize(
    "question, passage, draft",
    [
        # The asked outcome is reported too.
        (
            "Did the Harriers win the final?",
            "The Harriers won the final 2-1, a week after they lost the league decider.",
            "Yes [1]. The Harriers won the final 2-1 [1].",
        ),
        # The excluded outcome is another's: the name nearest to "lost" is not the question's.
        (
            "Did Rovers win the derby?",
            "Kestrel Town lost the derby 2-1 to Rovers on Saturday.",
            "Yes [1]. Rovers won the derby 2-1 [1].",
        ),
        # "went on to win" reports the win, beside the loss of another year.
        (
            "Did the Harriers win the final?",
            "The Harriers, who lost the final last year, came back from a goal down to win it 2-1.",
            "Yes [1]. The Harriers won the final 2-1 [1].",
        ),
        # The outcome reported in other words ("rose" for "increase").
        (
            "Did Orvik's revenue increase?",
            "Orvik's revenue rose 5% in the quarter, while sales of its eSlate tablets fell 3%.",
            "Yes [1]. Orvik's revenue rose 5% in the quarter [1].",
        ),
        # A rival named after the outcome is no subject of it, nor a winner "defeated".
        (
            "Did Rovers win against Kestrel Town?",
            "Kestrel Town lost 2-1 to Rovers on Saturday.",
            "Yes [1]. Rovers won 2-1 [1].",
        ),
        (
            "Did Rovers win the derby?",
            "Rovers defeated Kestrel Town 2-1 in the derby on Saturday.",
            "Yes [1]. Rovers won the derby 2-1 [1].",
        ),
        # Not a yes/no question.
        (
            "Why did Measure C pass?",
            "Voters rejected Measure C. Measure D, a parks levy, passed with 58% because turnout was high.",
            "Measure C passed because turnout was high [1].",
        ),
    ],
)
def test_a_yes_stands_where_the_asked_outcome_is_reported_or_the_other_is_anothers(
    question: str, passage: str, draft: str
):
    from rag.checks import says_otherwise

    v = verdict(analyse(question), draft, [_chunk(0, passage)], 0.6)
    assert not any(says_otherwise(r) for r in v.reasons), v.reasons


@pytest.mark.parametrize(
    "sentence, passage",
    [
        ("Aydin's contract is five years long.", "Aydin, 24, has signed a five-year contract with Marston."),
        ("The bridge reopened after a delay of six weeks.", "The bridge reopened on Monday after a six-week delay."),
        ("The loan runs for 10 years.", "The city took out a ten-year loan for the tram line."),
    ],
)
def test_a_figure_spelled_before_a_hyphen_supports_the_same_figure(sentence: str, passage: str):
    # "a five-year contract" states five years: a sentence saying so is not refused for its figure.
    assert support(sentence, passage) > 0
