"""A plan the answer states, put off or called off by a report as recent as its source."""

from rag.checks import verdict
from rag.checks.rules import PlanChange, plain_reason, superseded_plan, when_of
from rag.checks.support import CheckedSentence
from rag.question import analyse
from rag.types import Chunk


def _c(i: int, doc: str, published: str, text: str) -> Chunk:
    return Chunk(i, doc, doc, text, 0, len(text), "Wire", published)


def _passage(change: PlanChange | None) -> int:
    return change.passage if change else 0


def _said(text: str, *cited: int) -> CheckedSentence:
    return CheckedSentence(text, cited, cited, 1.0)


PREVIEW = _c(
    0, "preview.txt", "2024-09-10", "The Halcyon-1 space telescope remains on schedule to launch in October 2025."
)
POSTPONED = _c(
    1,
    "postponed.txt",
    "2025-07-22",
    "The launch of the Halcyon-1 space telescope has been postponed after engineers found cracks. "
    "No new launch date has been set.",
)


def test_when_of_reads_figures_months_weekdays_and_seasons():
    assert when_of("It will open in December 2025.") == {"2025", "december"}
    assert when_of("The match is due on Saturday.") == {"saturday"}
    assert when_of("The stadium is expected to open in the spring.") == {"spring"}
    assert when_of("The board will decide.") == set()


def test_a_later_report_that_the_launch_was_postponed_supersedes_the_preview():
    q = analyse("When will the Halcyon-1 space telescope launch?")
    said = _said("The Halcyon-1 space telescope will launch in October 2025.", 1)
    assert _passage(superseded_plan(q, said, [PREVIEW, POSTPONED])) == 2
    # The preview's plan stands when the postponement is older than it.
    older = _c(1, "postponed.txt", "2024-01-05", POSTPONED.text)
    assert superseded_plan(q, said, [PREVIEW, older]) is None


def test_a_change_that_gives_the_answers_time_is_the_new_plan():
    # Transport: the delay is already in the date the answer gives.
    tram = _c(
        0,
        "tram.txt",
        "2026-01-20",
        "Signalling problems delayed the Tremont tram line, which will now open in September.",
    )
    q = analyse("When will the Tremont tram line open?")
    assert superseded_plan(q, _said("The Tremont tram line will open in September.", 1), [tram]) is None


def test_the_cited_article_itself_may_say_the_plan_fell():
    # Local government: the passage says the opening was postponed and what it had been.
    metro = _c(
        0,
        "metro.txt",
        "2025-10-14",
        "The opening of the Harbourline metro extension has been postponed indefinitely. "
        "It had been due to open in December 2025.",
    )
    q = analyse("When will the Harbourline metro extension open?")
    assert (
        _passage(superseded_plan(q, _said("The Harbourline metro extension will open in December 2025.", 1), [metro]))
        == 1
    )


def test_a_change_to_something_else_of_the_same_name_does_not_count():
    # Sport: the semi-final was postponed, not the final; a business plan untouched by a
    # rival's cancelled launch.
    final = _c(0, "final.txt", "2025-05-01", "The Brannock Cup final will be played at Harlow Lane on Saturday 17 May.")
    semi = _c(1, "semi.txt", "2025-05-03", "A Brannock Cup semi-final was postponed because of a waterlogged pitch.")
    q = analyse("When will the Brannock Cup final be played?")
    said = _said("The Brannock Cup final will be played on Saturday 17 May.", 1)
    assert superseded_plan(q, said, [final, semi]) is None
    ipo = _c(0, "ipo.txt", "2026-02-01", "Veltrix plans to list its shares in Frankfurt in March.")
    rival = _c(1, "rival.txt", "2026-02-10", "Corrant Bank has called off its planned listing in Frankfurt.")
    q = analyse("When will Veltrix list its shares?")
    assert superseded_plan(q, _said("Veltrix plans to list its shares in March.", 1), [ipo, rival]) is None


def test_facts_that_are_not_plans_are_left_alone():
    # Courts: a past event is no plan, whatever a later report postpones.
    trial = _c(0, "trial.txt", "2025-03-01", "Colin Ashdry was jailed for six years in March 2025.")
    appeal = _c(1, "appeal.txt", "2025-06-01", "Colin Ashdry's appeal hearing has been postponed.")
    q = analyse("How long was Colin Ashdry jailed for?")
    assert superseded_plan(q, _said("Colin Ashdry was jailed for six years in March 2025.", 1), [trial, appeal]) is None


def test_the_verdict_refuses_a_superseded_plan_and_says_why():
    q = analyse("When will the Halcyon-1 space telescope launch?")
    v = verdict(q, "The Halcyon-1 space telescope will launch in October 2025 [1].", [PREVIEW, POSTPONED], 0.6)
    assert not v.answer
    assert v.reasons[0].endswith("(passage [2])")
    assert plain_reason(v.reasons[0]) == "The latest report in the articles says this was put off or called off."


def test_news_words_for_a_plan_that_fell():
    # Tech and politics: "on ice", "on hold", "will not go ahead".
    launch = _c(0, "a.txt", "2025-01-21", "Novix said the Arc 5 phone will ship to customers from 20 March.")
    q = analyse("When will the Novix Arc 5 phone ship to customers?")
    said = _said("The Novix Arc 5 phone will ship to customers from 20 March.", 1)
    for change in (
        "Novix has put Arc 5 phone shipments to customers on ice.",
        "Novix said the Arc 5 phone will not go ahead as planned and will not ship to customers.",
        "Shipping of the Novix Arc 5 phone to customers is on hold.",
        "Novix said Arc 5 phone shipments to customers had been hit by delays at a hinge supplier.",
        "Novix rescheduled Arc 5 phone shipments to customers.",
    ):
        assert _passage(superseded_plan(q, said, [launch, _c(1, "b.txt", "2025-03-06", change)])) == 2, change


def test_a_year_alone_is_not_the_new_time():
    # Culture: "postponed to 2026" does not confirm "will open on 3 May 2026".
    plan = _c(0, "a.txt", "2025-02-01", "The Varrow Festival will open on 3 May 2026.")
    later = _c(1, "b.txt", "2025-09-01", "The Varrow Festival has been postponed to 2026 at the earliest.")
    q = analyse("When will the Varrow Festival open?")
    assert _passage(superseded_plan(q, _said("The Varrow Festival will open on 3 May 2026.", 1), [plan, later])) == 2


def test_a_refusal_for_a_plan_put_off_says_so_not_that_the_articles_are_silent():
    """The articles speak to the question: "The articles don't say." was false there."""
    import time

    from rag import Pipeline
    from rag.prompt import REFUSAL

    q = analyse("When will the Halcyon-1 space telescope launch?")
    v = verdict(q, "The Halcyon-1 space telescope will launch in October 2025 [1].", [PREVIEW, POSTPONED], 0.6)
    refused = Pipeline._refusal(q.text, [], {}, time.perf_counter(), None, reasons=v.reasons)
    assert refused.refused and refused.text == "The latest report in the articles says this was put off or called off."
    silent = Pipeline._refusal(q.text, [], {}, time.perf_counter(), None, reasons=("no passage was retrieved",))
    assert silent.text == REFUSAL


def test_a_plan_moved_to_a_new_date_is_answered_with_the_newer_report():
    # Elections: the runoff was moved; the older report's date is no answer, and the
    # newer report's own sentence is (not a refusal: the articles give the new date).
    fixed = _c(0, "a.txt", "2025-02-25", "The Vellmore mayoral runoff will take place on 9 March 2025.")
    moved = _c(
        1,
        "b.txt",
        "2025-03-04",
        "The Vellmore mayoral runoff has been rescheduled for 23 March 2025 after a ballot misprint.",
    )
    q = analyse("On what date will the Vellmore mayoral runoff be held?")
    change = superseded_plan(q, _said("The Vellmore mayoral runoff will be held on 9 March 2025.", 1), [fixed, moved])
    assert change == PlanChange(2, moved.text) and change.new_time
    v = verdict(q, "The Vellmore mayoral runoff will be held on 9 March 2025 [1].", [fixed, moved], 0.6)
    assert v.answer and [s.text for s in v.sentences] == [moved.text] and v.sentences[0].cited == (2,)
    # The new date itself is the answer, and stands.
    assert (
        superseded_plan(q, _said("The Vellmore mayoral runoff will be held on 23 March 2025.", 2), [fixed, moved])
        is None
    )


def test_only_a_time_after_the_change_word_is_a_new_time():
    # Sport, business, culture: "to the autumn", "until Sunday" give the new time; the day
    # the change was made, a year alone, or no time do not.
    for sentence, new in (
        ("The Brannock Cup final has been postponed until Sunday because of a waterlogged pitch.", True),
        ("Veltrix pushed back its Frankfurt listing to the autumn.", True),
        ("The Varrow Festival was brought forward to 3 May.", True),
        ("The council on Tuesday postponed the vote on the stadium.", False),
        ("The Varrow Festival has been postponed to 2026 at the earliest.", False),
        ("The launch has been postponed indefinitely.", False),
    ):
        assert PlanChange(1, sentence).new_time is new, sentence


def test_a_plan_put_off_without_a_new_time_is_still_refused():
    q = analyse("When will the Halcyon-1 space telescope launch?")
    v = verdict(q, "The Halcyon-1 space telescope will launch in October 2025 [1].", [PREVIEW, POSTPONED], 0.6)
    change = superseded_plan(
        q, _said("The Halcyon-1 space telescope will launch in October 2025.", 1), [PREVIEW, POSTPONED]
    )
    assert not v.answer and change is not None and not change.new_time


def test_a_later_passage_of_the_report_stands_for_its_lead():
    # The passage read is the report's second half; its lead says the date moved.
    fixed = _c(0, "a.txt", "2025-02-25", "The Vellmore mayoral runoff will take place on 9 March 2025.")
    lead = _c(1, "b.txt", "2025-03-04", "The Vellmore mayoral runoff has been rescheduled for 23 March 2025.")
    later = _c(2, "b.txt", "2025-03-04", "The vote had been due on 9 March. Both candidates accepted the new date.")
    q = analyse("On what date will the Vellmore mayoral runoff be held?")
    said = _said("The Vellmore mayoral runoff will be held on 9 March 2025.", 1)
    assert superseded_plan(q, said, [fixed, later]) is None
    assert superseded_plan(q, said, [fixed, later], {"b.txt": lead}) == PlanChange(2, lead.text)
