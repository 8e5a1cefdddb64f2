"""The question, analysed once (rag.question)."""

import pytest

from rag.lang import terms
from rag.question import analyse, retrieval_query, unmentioned


def test_kinds():
    assert analyse("How many goals did Halvorsen score?").kind == "quantity"
    assert analyse("When will the Arc go on sale?").kind == "time"
    assert analyse("In what year was the planet found?").kind == "time"
    assert analyse("What is the name of the boring machine?").kind == "name"
    assert analyse("Did both articles mention Germany?").kind == "yesno"
    assert analyse("Is the Veltrix plant in Dresden?").kind == "yesno"
    assert analyse("Who is Mamadou Adje?").kind == "open"
    # The answer is a name: who did X, which company / team / country ...
    assert analyse("Who leads the Greens?").kind == "entity"
    assert analyse("Which company supplies the battery for the Lumora Arc?").kind == "entity"
    assert analyse("Which European country still operates an airbase?").kind == "entity"
    assert analyse("What share of the vote did the Greens win?").kind == "open"
    # A yes/no question after a fronted clause, in any domain.
    assert (
        analyse("After Reuters reported the rate cut on May 2, did the Financial Times report it the same way?").kind
        == "yesno"
    )
    assert (
        analyse(
            "Between the match report of Saturday and the injury news of Monday, was there a change in the squad?"
        ).kind
        == "yesno"
    )
    assert analyse("Before the launch in Seoul, had Lumora announced a price?").kind == "yesno"
    # ... but not a wh-question whose clause happens to meet an auxiliary after a comma.
    assert (
        analyse("Considering the CNBC article and the Bloomberg report, which division, as both say, is growing?").kind
        != "yesno"
    )
    assert analyse("After the vote, how many councillors were against it?").kind == "quantity"


def test_answer_type_words_describe_the_answer_not_the_subject():
    q = analyse("Which European country still operates an airbase in Niamey?")
    assert q.answer_type == {"european", "countri"}
    assert q.names == (("niamey",),)
    assert analyse("Which pop star announced a festival?").answer_type == {"pop", "star"}
    # "How many tanks": the tanks are what is asked about.
    assert analyse("How many tanks came to Niamey?").answer_type == frozenset()
    # "the name of the X": X is what the answer names; a capitalised X is the subject.
    assert analyse("What is the name of the service that was made free?").answer_type == {"servic"}
    assert analyse("What was the name of the ship that sank off Crete?").answer_type == {"ship"}
    q = analyse("What is the full name of the CNSP?")
    assert q.answer_type == frozenset() and q.names == (("cnsp",),) and q.subject_words() == ["CNSP"]


def test_words_about_the_answers_form_are_not_its_subject():
    assert analyse("What is this story about?").subject_words() == []
    # "May" names a month or a person; the verb is no subject (review).
    assert analyse("How many articles mention Theresa May?").subject_words() == ["Theresa", "May"]
    assert analyse("Which outlets covered the elections in May?").subject_words()[-2:] == ["elections", "May"]
    assert "May" not in analyse("May I see the election articles?").subject_words()
    assert analyse("Give me a timeline of the events described.").subject_words() == []
    assert analyse("Give me a summary of the Veltrix results.").subject_words() == ["Veltrix", "results"]


def test_names_leave_out_excluded_ones_and_position_capitals():
    q = analyse("Which country besides the US has an airbase in Niger's capital?")
    assert q.names == (("niger",),) and q.excluded == (("us",),)
    assert analyse("Considering the TechCrunch report, who founded the startup?").names == (("techcrunch",),)


def test_unmentioned_names_numbers_and_words():
    q = analyse("How much did Iran earn from oil sales in October 2026?")
    vocab = set(terms("Iraq earned $8.1 billion from oil sales in October."))
    assert unmentioned(q, vocab, {"8.1"}) == ["Iran", "2026"]
    assert unmentioned(q, vocab, {"8.1", "2026"}, words_too=True) == ["Iran"]
    # The first word is capitalized by position only.
    assert unmentioned(analyse("Considering oil, what happened?"), set(), set()) == []


@pytest.mark.parametrize(
    "question, passage",
    [
        ("Did Measure C pass?", "Measure C failed, with 54% of voters against it."),
        ("Did the Harriers win the final?", "The Harriers lost the final 2-1 after extra time."),
        ("Did Orlin Motors' sales rise in May?", "Orlin Motors' sales fell 4% in May."),
        ("Was the nurse convicted?", "The jury acquitted the nurse on all counts."),
        ("Did Orvik's revenue increase?", "Orvik's revenue rose 5% in the quarter."),
    ],
)
def test_a_yes_no_outcome_is_mentioned_when_the_passage_reports_its_opposite(question: str, passage: str):
    # The passage answers "no": the gate must not treat the question as off its subject.
    assert unmentioned(analyse(question), set(terms(passage)), set(), words_too=True) == []
    # Not so for a question that asks for something else, nor for an outcome no passage reports.
    assert unmentioned(analyse("Why did the Harriers win?"), set(terms("The Harriers lost.")), set(), words_too=True)
    assert unmentioned(analyse("Did Measure C pass?"), set(terms("Measure C was debated.")), set(), words_too=True)


def test_a_name_given_in_short_is_mentioned_first_name_and_all():
    # Articles name a person in full once, then by surname; an excerpt may hold only that.
    vocab = set(terms("Mahomes threw two touchdowns as Kansas City beat Denver."))
    assert unmentioned(analyse("Did Patrick Mahomes throw two touchdowns against Denver?"), vocab, set()) == []
    # A different person with the same first name is still missing.
    assert unmentioned(analyse("Did Patrick Surtain intercept a pass against Kansas City?"), vocab, set()) == [
        "Patrick",
        "Surtain",
    ]
    # Nor does a single word stand for a name it is not the last word of.
    assert unmentioned(analyse("How many goals did Kansas score?"), set(terms("Arkansas won 3-1.")), set()) == [
        "Kansas"
    ]


def test_follow_up_joins_the_previous_question_for_retrieval():
    history = [
        {"role": "user", "content": "Who leads Austria's People's Party?"},
        {"role": "assistant", "content": "Katharina Weiss [1]."},
    ]
    q = analyse("How old is she?")
    assert q.follow_up and retrieval_query(q, history) == "Who leads Austria's People's Party? How old is she?"
    assert retrieval_query(analyse("What did Iraq export in October?"), history) == "What did Iraq export in October?"


def test_the_asking_sentence_sets_kind_and_answer_type():
    q = analyse(
        "Jack Schlossberg is running for a House seat in New York City. Which former US president was his grandfather?"
    )
    assert q.kind == "entity" and {"former", "presid"} <= q.answer_type and q.names == ()
    q = analyse("Pope Francis died in April. Which country is Pope Leo XIV from?")
    assert q.kind == "entity" and q.names == (("pope", "leo", "xiv"),)
    assert analyse("The Fed met on Wednesday. Did it cut rates?").kind == "yesno"
    # An abbreviation or an initial does not end the sentence.
    q = analyse(
        "Does the article on the Jaguars vs. Saints game say John F. Kennedy Jr. was there, while Dr. Ruth was not?"
    )
    assert q.kind == "yesno"


def test_a_question_about_two_things_at_once_spans_passages():
    assert analyse("Which outlet published both the Veltrix shares story and the Iraq oil story?").multipart
    assert analyse("Did both Arsenal and Chelsea win on Saturday?").multipart
    assert not analyse("Who won the match on Saturday?").multipart
    assert analyse(
        "Between the report on the harvest and the report on the strike in the port of Odesa, "
        "which news agency covered the grain exports?"
    ).multipart  # long


@pytest.mark.parametrize(
    ("question", "names", "answer_type"),
    [
        # A name no common noun follows is the subject, not the type asked about.
        ("Which articles mention Norvale?", (("norval",),), {"articl", "mention"}),
        ("Which reports mention Storm Idris?", (("storm", "idri"),), {"report", "mention"}),
        (
            "Compare what Markets Wire and Nordic Business Daily say about the dividend.",
            (("market", "wire"), ("nordic", "busi", "daili")),
            set(),
        ),
        # Capitals that qualify a common noun are the type.
        ("Which Premier League club won the title?", (), {"premier", "leagu", "club"}),
        ("Which former US president was his grandfather?", (), {"former", "us", "presid"}),
        ("Which European country still operates the base?", (), {"european", "countri"}),
    ],
)
def test_a_name_after_which_or_what_is_the_subject_unless_a_noun_follows(question, names, answer_type):
    """ "Which articles mention Norvale?" took "Norvale" as the kind of thing asked for, so
    the question had no subject and listed every article; "Compare what Markets Wire and
    ..." lost one of the two outlets it names, and the comparison was refused."""
    q = analyse(question)
    assert q.names == names
    assert q.answer_type == frozenset(answer_type)
