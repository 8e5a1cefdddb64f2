import pytest

from rag.checks.discrepancy import (
    Discrepancy,
    dedupe,
    find,
    other_figures,
    other_spellings,
    premise_corrections,
    statement,
)
from rag.types import Chunk

CNN = Chunk(
    0,
    "cnn.txt",
    "CNN",
    "The call was with Nigerien General Abdourahamane Tiani on March 26. "
    "There are approximately 648 US military personnel still deployed in Niger, according to the White House.",
    0,
    10,
)
DW = Chunk(
    1,
    "dw.txt",
    "DW",
    "It follows a deal with junta leader Abdourahamane Tchiani. "
    "Around 1,000 US military personnel had operated from the country as of 2023.",
    0,
    10,
)
CNN2 = Chunk(2, "cnn.txt", "CNN", "The equipment arrived along with 100 Russian military instructors.", 0, 10)
PASSAGES = [CNN, DW, CNN2]


def test_a_different_figure_for_the_same_thing_in_another_article():
    found = other_figures("About 648 US military personnel are deployed in Niger.", [1], PASSAGES)
    assert [(d.passage, d.claimed, d.found) for d in found] == [(2, "648", "1,000")]
    assert found[0].evidence.startswith("Around 1,000 US military personnel")


def test_same_article_or_unrelated_figures_are_not_discrepancies():
    assert other_figures("100 Russian military instructors arrived.", [3], PASSAGES) == []
    assert other_figures("About 1,000 US military personnel operated there.", [2], [DW]) == []
    # Same figure in both articles: agreement.
    same = Chunk(3, "other.txt", "X", "Around 648 US military personnel remain.", 0, 10)
    assert other_figures("About 648 US military personnel are deployed.", [1], [CNN, same]) == []


def test_another_spelling_of_a_name():
    found = other_spellings("The junta leader is Abdourahamane Tchiani.", [2], PASSAGES)
    assert [(d.passage, d.claimed, d.found) for d in found] == [(1, "Tchiani", "Tiani")]
    # A misspelling by the model is matched to the cited passage's spelling first.
    found = other_spellings("The leader is Abdurahamane Tiani.", [1], PASSAGES)
    assert [(d.claimed, d.found) for d in found] == [("Tiani", "Tchiani")]


def test_word_forms_are_not_spellings():
    a = Chunk(0, "a.txt", "A", "Russia sent trainers to Mali.", 0, 1)
    b = Chunk(1, "b.txt", "B", "Russian trainers reached Malian bases.", 0, 1)
    assert other_spellings("Russia sent trainers to Mali.", [1], [a, b]) == []


def test_premise_correction_finds_the_stated_figure():
    found = premise_corrections("Why did Russia send 500 military instructors to Niger?", PASSAGES)
    assert [(d.passage, d.claimed, d.found) for d in found] == [(3, "500", "100")]
    assert premise_corrections("Why did Russia send 100 military instructors?", PASSAGES) == []


def test_a_question_year_the_articles_are_published_in_is_no_premise_to_correct():
    def piece(doc, text, published):
        return Chunk(0, doc, "T", text, 0, 1, source="S", published=published)

    # Film: the 2025 articles say "opens on Friday"; the saga's first film opened in 2022.
    films = [
        piece("a.txt", "The sequel opens on Friday, three days after record presales.", "2025-11-04"),
        piece("b.txt", "The first film took 74 million dollars on its opening weekend in November 2022.", "2025-10-20"),
    ]
    assert premise_corrections("How much did the sequel take on its opening weekend in 2025?", films) == []
    # Election: a year no article is published in is still corrected from the text.
    vote = [piece("c.txt", "Turnout in the 2021 mayoral election was 41 per cent.", "2023-05-02")]
    found = premise_corrections("What was turnout in the 2022 mayoral election?", vote)
    assert [(d.claimed, d.found) for d in found] == [("2022", "2021")]


def test_statement_and_dedupe():
    d = Discrepancy(2, "figure", "648", "1,000", "Around 1,000 US military personnel had operated.")
    assert (
        statement(d) == "Another article gives a different figure: “Around 1,000 US military personnel had operated.”"
    )
    assert (
        statement(Discrepancy(1, "spelling", "Tchiani", "Tiani", "General Tiani."))
        == "Another article spells the name Tiani: “General Tiani.”"
    )
    assert "do not give 500" in statement(Discrepancy(3, "premise", "500", "100", "100 came."))
    assert dedupe([d, d, Discrepancy(1, "spelling", "a", "b", "y"), Discrepancy(3, "x", "", "", "z")]) == [
        d,
        Discrepancy(1, "spelling", "a", "b", "y"),
    ]
    # Two overlapping passages of one article hold the same sentence: it is quoted once.
    again = Discrepancy(3, "figure", "648", "1,000", "Around 1,000 US military\npersonnel had operated.")
    assert dedupe([d, again]) == [d]


def test_one_edit():
    from rag.lang import one_edit

    assert one_edit("abdurahamane", "abdourahamane") and one_edit("abc", "abc")
    # A swapped letter is another word, not a misspelling: Iran/Iraq, Guinea/Guiana.
    assert not one_edit("abc", "abd") and not one_edit("iran", "iraq") and not one_edit("guinea", "guiana")
    assert not one_edit("tiani", "tchiani")
    assert not one_edit("kitten", "sitting")
    assert not one_edit("a", "abcdefgh")


def test_evidence_is_one_sentence_even_after_a_line_without_a_full_stop():
    dw = Chunk(
        1,
        "dw.txt",
        "DW",
        "The junta revoked an accord on two of its bases\n"
        "Around 1,000 US military personnel had operated from the country as of 2023.",
        0,
        10,
    )
    found = other_figures("About 648 US military personnel are deployed in Niger.", [1], [CNN, dw])
    assert found[0].evidence == "Around 1,000 US military personnel had operated from the country as of 2023."


def test_different_words_are_not_spellings_of_one_name():
    from rag.checks.discrepancy import indel_distance

    assert indel_distance("tiani", "tchiani") == 2
    assert indel_distance("french", "france") == 4
    a = Chunk(0, "a.txt", "A", "Former French colonies and American troops.", 0, 1)
    b = Chunk(1, "b.txt", "B", "France withdrew; African nations watched.", 0, 1)
    assert other_spellings("Former French colonies welcomed American troops.", [1], [a, b]) == []


def test_apostrophes_and_possessives_are_not_spellings():
    a = Chunk(0, "a.txt", "A", "Niger's junta revoked the accord.", 0, 1)
    b = Chunk(1, "b.txt", "B", "Niger’s junta has turned to Russia.", 0, 1)
    assert other_spellings("Niger's junta revoked the accord.", [1], [a, b]) == []


# -- off the home domain -------------------------------------------------------------
def test_rising_and_falling_shares_are_not_one_figure():
    a = Chunk(0, "a.txt", "A", "Shares in Veltrix rose 3% on Monday after the results.", 0, 1)
    b = Chunk(1, "b.txt", "B", "Shares in Veltrix fell 2% on Friday as investors sold.", 0, 1)
    assert other_figures("Shares in Veltrix rose 3% on Monday.", [1], [a, b]) == []


def test_match_goals_and_season_goals_are_not_one_figure():
    a = Chunk(0, "a.txt", "A", "Halvorsen scored 2 goals for Rovers against Castlebury.", 0, 1)
    b = Chunk(1, "b.txt", "B", "Halvorsen has scored 27 goals for Rovers this season.", 0, 1)
    assert other_figures("Halvorsen scored 2 goals for Rovers.", [1], [a, b]) == []


def test_the_same_quantity_reported_differently_is_a_discrepancy():
    a = Chunk(0, "a.txt", "A", "The stadium holds 41,200 fans after the expansion, the club said.", 0, 1)
    b = Chunk(1, "b.txt", "B", "The expansion lifted the stadium to 42,000 fans, the council said.", 0, 1)
    found = other_figures("The stadium holds 41,200 fans after the expansion.", [1], [a, b])
    assert [(d.claimed, d.found) for d in found] == [("41,200", "42,000")]


def test_percent_and_money_are_different_quantities():
    a = Chunk(0, "a.txt", "A", "Veltrix revenue rose 22% from data-centre chips.", 0, 1)
    b = Chunk(1, "b.txt", "B", "Veltrix revenue rose to $640 million from data-centre chips.", 0, 1)
    assert other_figures("Veltrix revenue rose 22% from data-centre chips.", [1], [a, b]) == []


def test_other_countries_are_not_spellings_of_a_name():
    for mine, theirs in (("Iran", "Iraq"), ("Mali", "Malawi"), ("Guinea", "Guiana"), ("Austria", "Australia")):
        a = Chunk(0, "a.txt", "A", f"Officials in {mine} announced the deal on Monday.", 0, 1)
        b = Chunk(1, "b.txt", "B", f"Officials in {theirs} announced a deal on Monday.", 0, 1)
        assert other_spellings(f"Officials in {mine} announced the deal.", [1], [a, b]) == [], (mine, theirs)


def test_sums_that_share_only_their_unit_are_not_one_figure():
    # "million dollars" stands beside any two sums: a film's budget is not another film's
    # takings, a club's transfer fee not another club's wage bill.
    a = Chunk(0, "a.txt", "A", "'Iron Meridian' cost 180 million dollars and opens next month.", 0, 1)
    b = Chunk(1, "b.txt", "B", "'Paper Lions' led the box office with 28.5 million dollars.", 0, 1)
    assert other_figures("'Iron Meridian' cost 180 million dollars [1].", [1], [a, b]) == []
    c = Chunk(0, "c.txt", "C", "Fenwick paid 12 million pounds for the striker.", 0, 1)
    d = Chunk(1, "d.txt", "D", "Stranava's wage bill rose to 30 million pounds.", 0, 1)
    assert other_figures("Fenwick paid 12 million pounds for him.", [1], [c, d]) == []
    # Sharing a word besides the unit still makes it the same quantity.
    e = Chunk(0, "e.txt", "E", "The bridge will cost 180 million dollars, the council said.", 0, 1)
    f = Chunk(1, "f.txt", "F", "The bridge will cost 210 million dollars, engineers said.", 0, 1)
    found = other_figures("The bridge will cost 180 million dollars.", [1], [e, f])
    assert [(d.claimed, d.found) for d in found] == [("180", "210")]


# -- figures of other years are other events, not other reports ----------------------
@pytest.mark.parametrize(
    ("claim", "other", "asked"),
    [
        # Another edition of the event.
        (
            "Aurelio Mancini won the 2023 Grey Coast Rally by 40 seconds.",
            "Teodora Vlasic won the 2024 Grey Coast Rally in heavy rain.",
            "2023",
        ),
        (
            "Labour won the 2019 Hartley council election with 41 seats.",
            "The Greens won the 2023 Hartley council election with 29 seats.",
            "2019",
        ),
        # Another period of the same measure.
        (
            "Marrowfield Foods reported revenue of $2.2 billion in the first quarter of 2025.",
            "Marrowfield Foods said revenue in the first quarter of 2024 was $2.5 billion.",
            "2025",
        ),
        (
            "Rovers averaged 18,400 fans in the 2024-25 season.",
            "Rovers averaged 15,100 fans in the 2022-23 season, the club said.",
            "2024",
        ),
    ],
)
def test_a_figure_of_a_year_not_asked_about_is_no_discrepancy(claim: str, other: str, asked: str):
    a = Chunk(0, "a.txt", "A", claim, 0, 1)
    b = Chunk(1, "b.txt", "B", other, 0, 1)
    assert other_figures(claim, [1], [a, b], frozenset({asked})) == []


def test_without_a_year_in_the_question_another_year_s_figure_is_shown():
    # "How many fans do Rovers average?": the newer season's figure may be the answer.
    c = Chunk(0, "c.txt", "C", "Rovers averaged 15,100 fans a game in 2023.", 0, 1)
    d = Chunk(1, "d.txt", "D", "Rovers averaged 18,400 fans a game in 2025, the club said.", 0, 1)
    found = other_figures("Rovers averaged 15,100 fans a game in 2023.", [1], [c, d])
    assert ("15,100", "18,400") in [(x.claimed, x.found) for x in found]


def test_a_year_that_bounds_the_question_leaves_other_years_figures_shown():
    # "since 2019" bounds the question; the newer report is about no year asked, so a
    # sentence dated 2025 is another report of the same thing, not another period.
    a = Chunk(0, "a.txt", "A", "Harbour traffic rose 12% in 2025, the port authority said.", 0, 1)
    b = Chunk(1, "b.txt", "B", "Harbour traffic rose 9% in 2025, according to shipping data.", 0, 1)
    claims = [("Harbour traffic rose 12% in 2025 [1].", [1])]
    found = find("How much has harbour traffic grown since 2019?", claims, [a, b])
    assert [(d.claimed, d.found) for d in found] == [("12", "9")]


def test_the_same_year_reported_differently_is_still_a_discrepancy():
    a = Chunk(0, "a.txt", "A", "The 2024 floods damaged 1,200 homes in Wexmoor, the council said.", 0, 1)
    b = Chunk(1, "b.txt", "B", "Insurers said the 2024 floods damaged 1,500 homes in Wexmoor.", 0, 1)
    found = other_figures("The 2024 floods damaged 1,200 homes in Wexmoor.", [1], [a, b], frozenset({"2024"}))
    assert [(d.claimed, d.found) for d in found] == [("1,200", "1,500")]
    undated = Chunk(1, "b.txt", "B", "Insurers said the floods damaged 1,500 homes in Wexmoor.", 0, 1)
    found = other_figures("The 2024 floods damaged 1,200 homes in Wexmoor.", [1], [a, undated], frozenset({"2024"}))
    assert [(d.claimed, d.found) for d in found] == [("1,200", "1,500")]


def test_a_season_s_second_year_is_a_year_not_a_figure():
    # "2024-25" against "2022-23": the seasons differ, but "25" is not a figure to set
    # against "23", nor against the other article's "64 points".
    claim = "Rovers finished third in the 2024-25 season with 71 points."
    a = Chunk(0, "a.txt", "A", claim, 0, 1)
    b = Chunk(1, "b.txt", "B", "Rovers finished third in the 2022-23 season with 64 points, the club said.", 0, 1)
    pairs = [(d.claimed, d.found) for d in other_figures(claim, [1], [a, b])]
    assert ("71", "64") in pairs
    assert not [p for p in pairs if "25" in p or "23" in p]


@pytest.mark.parametrize(
    ("question", "claim", "mine", "theirs"),
    [
        # Markets: two companies' shares on one day.
        (
            "By how much did Acme Foods shares rise?",
            "Acme Foods shares rose 7% on Wednesday.",
            "Shares of Acme Foods rose 7% on Wednesday after the company reported quarterly profit.",
            "Shares of Globex Steel rose 3% on Wednesday after the company won a contract.",
        ),
        # Culture: two prize winners' scores.
        (
            "What score did Renée Gärtner get from the jury?",
            "Renée Gärtner got 92.5 points from the jury.",
            "Renée Gärtner won the piano prize with 92.5 points from the jury.",
            "Théo Lefèvre took the violin prize with 88.1 points from the jury.",
        ),
    ],
)
def test_another_subject_s_figure_is_no_other_report(question: str, claim: str, mine: str, theirs: str):
    # "Another article gives a different figure" quoted the other company's rise.
    a = Chunk(0, "a.txt", "Markets", mine, 0, 1)
    b = Chunk(1, "b.txt", "Markets", theirs, 0, 1)
    assert find(question, [(claim, [1])], [a, b]) == []
    # The same subject's other figure is still one.
    c = Chunk(2, "c.txt", "Markets", mine.replace("7%", "9%").replace("92.5", "94"), 0, 1)
    assert [d.passage for d in find(question, [(claim, [1])], [a, c])] == [2]


def test_a_question_figure_is_not_corrected_by_another_subject_s():
    a = Chunk(0, "a.txt", "Markets", "Shares of Globex Steel rose 3% on Wednesday after a contract.", 0, 1)
    assert premise_corrections("Why did Acme Foods shares rise 9% on Wednesday?", [a]) == []
    b = Chunk(1, "b.txt", "Markets", "Shares of Acme Foods rose 7% on Wednesday after results.", 0, 1)
    assert [d.found for d in premise_corrections("Why did Acme Foods shares rise 9% on Wednesday?", [a, b])] == ["7"]


def test_digits_of_a_name_are_no_figure():
    # "Aurora-2" and "Aurora-1" are two missions, "Covid-19" and "G7" no counts: another
    # article's mission is no other report of the figure "2".
    a = Chunk(0, "a.txt", "Space", "Kaisa Rautio will command the Nordic Space Agency's Aurora-2 crewed mission.", 0, 1)
    b = Chunk(
        1, "b.txt", "Space", "The crew of Aurora-1, the Nordic Space Agency's first crewed mission, landed.", 0, 1
    )
    claim = "Kaisa Rautio will command the Nordic Space Agency's Aurora-2 crewed mission [1]."
    assert find("Who will command the Nordic Space Agency's Aurora-2 crewed mission?", [(claim, [1])], [a, b]) == []
    c = Chunk(0, "c.txt", "Health", "Covid-19 admissions at Kelby General rose to 140 in March.", 0, 1)
    d = Chunk(1, "d.txt", "Health", "Covid-19 admissions at Kelby General rose to 165 in March, nurses said.", 0, 1)
    found = other_figures("Covid-19 admissions at Kelby General rose to 140 in March.", [1], [c, d])
    assert [(x.claimed, x.found) for x in found] == [("140", "165")]


def test_another_edition_is_no_other_report_of_the_year_asked_about():
    # The answer repeats the question's year; a sentence on another edition names it too
    # ("will not stand again in 2026"), so the year alone does not leave it out.
    a = Chunk(
        0, "a.txt", "Fenwick", "Colin Barr and Sunita Rao are standing in the 2026 Fenwick mayoral election.", 0, 1
    )
    b = Chunk(
        1,
        "b.txt",
        "Fenwick",
        "Derek Sowerby, who finished second in the 2022 Fenwick mayoral election, will not stand again in 2026.",
        0,
        1,
    )
    claim = "The candidates in the 2026 Fenwick mayoral election are Colin Barr and Sunita Rao [1]."
    assert find("Who are the candidates in the 2026 Fenwick mayoral election?", [(claim, [1])], [a, b]) == []
    # The same year reported differently is still shown: 2026 is asked, 2027 is not.
    c = Chunk(1, "c.txt", "Fenwick", "The Fenwick mayoral election count will finish in 2027, officials said.", 0, 1)
    claim = "The Fenwick mayoral election count will finish in 2028 [1]."
    e = Chunk(0, "e.txt", "Fenwick", "The Fenwick mayoral election count will finish in 2028, the council said.", 0, 1)
    found = find("When will the Fenwick mayoral election count finish?", [(claim, [1])], [e, c])
    assert [(x.claimed, x.found) for x in found] == [("2028", "2027")]


def test_a_quarters_figure_and_the_full_years_are_not_one_figure():
    a = Chunk(0, "a.txt", "Results", "Marrowfield Foods reported revenue of $2.2 billion in the first quarter.", 0, 1)
    b = Chunk(1, "b.txt", "Results", "Marrowfield Foods said full-year revenue reached $11.4 billion.", 0, 1)
    claim = "Marrowfield Foods reported revenue of $2.2 billion in the first quarter [1]."
    assert other_figures(claim, [1], [a, b]) == []
    c = Chunk(1, "c.txt", "Results", "Marrowfield Foods reported revenue of $2.4 billion in the first quarter.", 0, 1)
    assert [(x.claimed, x.found) for x in other_figures(claim, [1], [a, c])] == [("2.2", "2.4")]


def test_a_country_is_where_not_what_the_figure_is_about():
    # Tech: another headset's US price is no other report of this one's.
    a = Chunk(0, "a.txt", "Tech", "The Lumo Glass 2 headset will cost $1,499 in the US from November.", 0, 1)
    b = Chunk(1, "b.txt", "Tech", "Vireo will sell its Sight headset for $999 in the US from October 24.", 0, 1)
    q = "How much will the Lumo Glass 2 headset cost in the US?"
    claim = "The Lumo Glass 2 headset will cost $1,499 in the US [1]."
    assert find(q, [(claim, [1])], [a, b]) == []
    c = Chunk(1, "c.txt", "Tech", "Lumo says the Glass 2 headset will cost $1,599 in the US.", 0, 1)
    assert [(d.claimed, d.found) for d in find(q, [(claim, [1])], [a, c])] == [("1,499", "1,599")]
    # World: where the question names only countries, they are what the figures are about.
    d = Chunk(0, "d.txt", "World", "About 648 US military personnel remain in Niger, officials said.", 0, 1)
    e = Chunk(1, "e.txt", "World", "Around 1,000 US military personnel remain in Niger, a report said.", 0, 1)
    claim = "About 648 US military personnel remain in Niger [1]."
    found = find("How many US military personnel remain in Niger?", [(claim, [1])], [d, e])
    assert [(x.claimed, x.found) for x in found] == [("648", "1,000")]


def test_the_number_of_a_name_the_question_gives_is_no_figure_to_contradict():
    # Tech: "Arc 5" names the phone; a rival's "200" beside the same name is no other
    # report of it.
    a = Chunk(0, "a.txt", "Tech", "The Novix Arc 5 phone will start shipping to customers from 20 March.", 0, 1)
    b = Chunk(
        1, "b.txt", "Tech", "Rival Qadra's foldable will go on sale in April, undercutting the Novix Arc 200.", 0, 1
    )
    q = "When will the Novix Arc 5 phone start shipping to customers?"
    claim = "The Novix Arc 5 phone will start shipping to customers from 20 March [1]."
    assert [d.found for d in find(q, [(claim, [1])], [a, b])] == []
    # A count the question states is still compared ("500 instructors" in one outlet,
    # "100 instructors" in another).
    c = Chunk(0, "c.txt", "World", "Russia sent 500 military instructors to Niger, a minister said.", 0, 1)
    d = Chunk(1, "d.txt", "World", "Russia sent 100 military instructors to Niger, state television said.", 0, 1)
    claim = "Russia sent 500 military instructors to Niger [1]."
    found = find("Why did Russia send 500 military instructors to Niger?", [(claim, [1])], [c, d])
    assert [(x.claimed, x.found) for x in found] == [("500", "100")]


@pytest.mark.parametrize(
    ("claim", "other"),
    [
        # Same day, same currency, other things: a quarter's profit and a buyback.
        (
            "Norvale reported a fourth-quarter net profit of 1.4 billion dollars on Wednesday.",
            "Norvale announced a buyback of as much as 500 million dollars on Wednesday, as fourth-quarter profit fell.",
        ),
        # A transfer fee and a day's ticket sales.
        ("Drummond joined on Saturday for 1.2 million pounds.", "Ticket sales raised 2 million pounds on Saturday."),
        # An amount per share and a total: a billion times apart.
        (
            "Norvale's dividend is 0.45 dollars a share.",
            "Norvale held its dividend and will buy back 500 million dollars of its shares.",
        ),
        # A ticket's price and a stadium's cost.
        (
            "Tickets for the Arena final cost 85 dollars.",
            "The Arena final's stadium cost 1.2 billion dollars to build.",
        ),
    ],
)
def test_a_day_shared_or_figures_far_apart_make_no_other_report(claim: str, other: str):
    """A day ("on Wednesday") says when, not what, and figures a hundred times apart are
    not two reports of one quantity: both made "Another article gives a different figure"
    quote another article's buyback for a quarter's profit or a dividend."""
    a = Chunk(0, "a.txt", "A", claim, 0, 1)
    b = Chunk(1, "b.txt", "B", other, 0, 1)
    assert other_figures(claim, [1], [a, b]) == []


def test_reports_of_one_figure_on_the_same_day_still_differ():
    a = Chunk(0, "a.txt", "A", "Norvale shares fell 3.1% in Oslo trading on Wednesday.", 0, 1)
    b = Chunk(1, "b.txt", "B", "Norvale shares closed 2.6% lower in Oslo on Wednesday.", 0, 1)
    found = other_figures("Norvale shares fell 3.1% on Wednesday.", [1], [a, b])
    assert [(d.claimed, d.found) for d in found] == [("3.1", "2.6")]
    c = Chunk(0, "c.txt", "C", "Officials said 1.2 million people voted in the region on Sunday.", 0, 1)
    d = Chunk(1, "d.txt", "D", "About 980,000 people voted in the region on Sunday, observers said.", 0, 1)
    found = other_figures("1.2 million people voted in the region on Sunday.", [1], [c, d])
    assert [(x.claimed, x.found) for x in found] == [("1.2", "980,000")]


def test_the_full_year_written_in_two_words_is_a_scope():
    """A comparison gave "Nordic Business Daily gives 1.4 billion; Markets Wire gives 6.1
    billion": a quarter's profit against "For the full year 2024, net profit was 6.1
    billion dollars". "the full year", "the whole year" and "the half year" are scopes,
    as "full-year" is."""
    quarter = Chunk(0, "a.txt", "A", "Net profit for October to December was 1.4 billion dollars.", 0, 1)
    year = Chunk(1, "b.txt", "B", "For the full year 2024, net profit was 6.1 billion dollars.", 0, 1)
    assert other_figures("Net profit for the quarter was 1.4 billion dollars.", [1], [quarter, year]) == []
    season = Chunk(1, "c.txt", "C", "The club's net profit over the whole year was 9 million pounds.", 0, 1)
    match = Chunk(0, "d.txt", "D", "The club's net profit from the final was 2 million pounds.", 0, 1)
    assert other_figures("The club's net profit from the final was 2 million pounds.", [1], [match, season]) == []
    # Two reports of the full year still differ.
    other = Chunk(2, "e.txt", "E", "In the full year, net profit was 6.3 billion dollars, the company said.", 0, 1)
    found = other_figures("For the full year 2024, net profit was 6.1 billion dollars.", [2], [quarter, year, other])
    assert [(d.claimed, d.found) for d in found] == [("6.1", "6.3")]


def test_an_article_that_states_the_figure_too_gives_no_other_figure_for_it():
    # Markets: the other outlet's sentence gives the same revenue beside the profit.
    a = Chunk(0, "a.txt", "A", "Quillon reported third-quarter revenue of $4.8 billion on Wednesday.", 0, 1)
    b = Chunk(
        1,
        "b.txt",
        "B",
        "Quillon's net profit for the quarter climbed to $910 million, as revenue rose to $4.8 billion.",
        0,
        1,
    )
    assert other_figures("Quillon's third-quarter revenue was $4.8 billion.", [1], [a, b]) == []
    # Sport: an attendance both give, and a goal tally beside it in one report.
    c = Chunk(0, "c.txt", "C", "A crowd of 31,450 watched Halden win the final.", 0, 1)
    d = Chunk(1, "d.txt", "D", "Halden won the final before a crowd of 31,450, and 2 players were sent off.", 0, 1)
    assert other_figures("A crowd of 31,450 watched the final.", [1], [c, d]) == []


def test_it_is_unclear_which_figure_differs_when_two_could():
    # The claim sentence gives a result and a forecast; the other says only the forecast.
    a = Chunk(
        0, "a.txt", "A", "Net profit rose to $910 million, ahead of the $850 million analysts had expected.", 0, 1
    )
    b = Chunk(1, "b.txt", "B", "Analysts had forecast a profit of about $870 million.", 0, 1)
    found = other_figures(
        "Net profit rose to $910 million, ahead of the $850 million analysts had expected.", [1], [a, b]
    )
    assert ("910", "870") not in [(d.claimed, d.found) for d in found]
    # A baseline the sentence compares with ("down from") is not a second report.
    c = Chunk(
        0,
        "c.txt",
        "C",
        "The club now expects 18,200 season-ticket holders, down from the 19,500 it forecast in May.",
        0,
        1,
    )
    d = Chunk(1, "d.txt", "D", "The club expects 18,900 season-ticket holders this year.", 0, 1)
    found = other_figures("The club expects 18,900 season-ticket holders this year.", [2], [c, d])
    assert [(x.claimed, x.found) for x in found] == [("18,900", "18,200")]


@pytest.mark.parametrize(
    ("other", "published", "noted"),
    [
        # A report of 2024 about "last year" is about 2023: no other report of 2024's profit.
        ("Brackwell Airlines said its operating profit rose to €488 million last year.", "2024-02-29", False),
        ("Brackwell's operating profit rose to €488 million last year, the airline said.", "2024-03-01", False),
        # A report of 2025 about "last year" is another report of 2024's.
        ("Brackwell Airlines said its operating profit rose to €600 million last year.", "2025-03-01", True),
    ],
)
def test_a_sentence_about_last_year_is_another_period_when_the_question_names_a_year(
    other: str, published: str, noted: bool
) -> None:
    ours = "Brackwell Airlines said operating profit climbed 25% to €612 million last year."
    passages = [
        Chunk(0, "a.txt", "A", ours, 0, len(ours), "Wire", "2025-02-27"),
        Chunk(1, "b.txt", "B", other, 0, len(other), "Post", published),
    ]
    question = "What operating profit did Brackwell Airlines report for 2024?"
    claim = "Brackwell Airlines reported an operating profit of €612 million for 2024."
    assert bool(find(question, [(claim, [1])], passages)) is noted


def test_a_half_or_a_quarter_written_with_a_hyphen_or_a_short_form_is_a_scope():
    """A report of a first half gave "another figure" for the year's operating profit:
    "first-half", "H1" and "third-quarter" name the part of the year (or of a match) a
    figure covers, as "the first half" does."""
    # Business: a half's profit is no other report of the year's.
    year = Chunk(0, "a.txt", "A", "Brenholt Air said operating profit climbed to 612 million euros last year.", 0, 1)
    half = Chunk(1, "b.txt", "B", "Brenholt Air reported a first-half operating profit of 290 million euros.", 0, 1)
    claim = "Brenholt Air's operating profit was 612 million euros [1]."
    assert other_figures(claim, [1], [year, half]) == []
    h1 = Chunk(1, "c.txt", "C", "Brenholt Air said H1 operating profit was 290 million euros.", 0, 1)
    assert other_figures(claim, [1], [year, h1]) == []
    # Basketball: a quarter's points are not the game's.
    game = Chunk(0, "d.txt", "D", "Dana Okoro scored 31 points as the Harbor Hawks beat Lakeport.", 0, 1)
    quarter = Chunk(1, "e.txt", "E", "Dana Okoro scored 14 points in a third-quarter burst against Lakeport.", 0, 1)
    assert other_figures("Dana Okoro scored 31 points against Lakeport [1].", [1], [game, quarter]) == []
    # Two reports of the same half still differ.
    other = Chunk(2, "f.txt", "F", "Brenholt Air posted operating profit of 295 million euros in the first half.", 0, 1)
    found = other_figures(
        "Brenholt Air's first-half operating profit was 290 million euros [2].", [2], [year, half, other]
    )
    assert [(d.claimed, d.found) for d in found] == [("290", "295")]
