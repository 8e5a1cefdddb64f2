"""An answer dated to another year than the question asks about is no answer to it."""

import pytest

from rag.checks import verdict
from rag.checks.rules import dated_otherwise, plain_reason
from rag.lang import asked_years, date_line_year, other_years, year_glosses
from rag.question import analyse
from rag.types import Chunk


def _c(i: int, text: str) -> Chunk:
    return Chunk(i, f"d{i}.txt", f"d{i}.txt", text, 0, len(text), "Wire", "2025-03-06")


@pytest.mark.parametrize(
    ("question", "years"),
    [
        ("What net profit did Orlinde Pharma report for 2025?", {"2025"}),
        ("Who won the 2026 Port Aldwick mayoral election?", {"2026"}),
        ("Which club won the league in the 2024-25 season?", {"2024", "2025"}),
        # Years that bound or compare are not what is asked about.
        ("Who was the first British winner since 2012?", set()),
        ("How much did sales rise in 2025 compared with 2024?", {"2025"}),
        ("Which studio released the most films before 2020?", set()),
        # A span: any year within is asked about.
        ("Who led the party between 2015 and 2019?", set()),
        ("How many storms hit the coast?", set()),
    ],
)
def test_asked_years_are_those_that_date_what_is_asked(question: str, years: set[str]) -> None:
    assert asked_years(question) == years


@pytest.mark.parametrize(
    ("asked", "text", "other"),
    [
        ({"2025"}, "Revenue was $4.1bn in 2024, the company said.", {"2024"}),
        ({"2025"}, "The 2024 and 2025 seasons both ended in a draw.", set()),
        ({"2025"}, "The minister resigned on Tuesday.", set()),
        (set(), "Turnout was 61% in 2022.", set()),
    ],
)
def test_other_years_are_those_named_when_no_asked_year_is(asked: set[str], text: str, other: set[str]) -> None:
    assert other_years(frozenset(asked), text) == other


@pytest.mark.parametrize(
    ("published", "year"),
    [
        ("2024-03-01T09:30:00Z", "2024"),
        ("Oct. 7, 2023", "2023"),
        ("Saturday 7 October 2023, 5:05PM ET", "2023"),
        ("March 2026", "2026"),
        ("", ""),
        ("Tuesday", ""),
        # A first date and an edit date in other years: which one dates the text is unknown.
        ("2023-12-30, updated 2024-01-02", ""),
    ],
)
def test_a_date_line_gives_its_one_year(published: str, year: str) -> None:
    assert date_line_year(published) == year


@pytest.mark.parametrize(
    ("question", "answer", "other"),
    [
        # Business: last year's result beside this year's.
        (
            "What net profit did Orlinde Pharma report for 2025?",
            "Orlinde Pharma reported a net profit of €410 million for 2024.",
            "2024",
        ),
        # Sport: the previous edition's winner.
        ("Who won the 2025 Brannock City Marathon?", "Tobias Lemaire won the Brannock City Marathon in 2023.", "2023"),
        # Elections: the earlier term.
        (
            "Who won the 2026 Port Aldwick mayoral election?",
            "Gareth Lomax won the Port Aldwick mayoral election in 2022 by 900 votes.",
            "2022",
        ),
        # Weather: two years named, neither the asked one.
        (
            "How many homes lost power in Storm Ingrid in 2025?",
            "In 2023 and 2024 storms cut power to 9,000 homes.",
            "2023 and 2024",
        ),
        # The asked year among others: about it.
        ("Who won the 2025 Solberg Open?", "Anika Varga won the 2025 Solberg Open, after losing the 2024 final.", ""),
        # No year: may be about the asked one.
        ("Who won the 2025 Northern Counties Cup final?", "Jonah Whitcombe scored the winner on Sunday.", ""),
        # A season written in short spans its two years.
        ("Who won the league in 2025?", "Halden City won the 2024-25 league title.", ""),
        # A "when" question is answered by a year.
        ("When was the 2026 World Cup awarded to North America?", "It was awarded in 2018.", ""),
        # A year that bounds: the answer need not be about it.
        ("Who was the first British winner since 2012?", "Emma Raducanu won in 2021.", ""),
    ],
)
def test_dated_otherwise_names_the_answers_years_when_none_is_asked(question: str, answer: str, other: str) -> None:
    assert dated_otherwise(analyse(question), answer) == other


def test_a_supported_answer_about_last_year_is_refused_with_its_year() -> None:
    passage = _c(0, "Orlinde Pharma reported a net profit of €410 million for 2024 on Thursday, up 8%.")
    q = analyse("What net profit did Orlinde Pharma report for 2025?")
    v = verdict(q, "Orlinde Pharma reported a net profit of €410 million for 2024 [1].", [passage], 0.6)
    assert not v.answer
    assert v.reasons == ("the answer is about 2024, not the year the question asks about",)
    assert plain_reason(v.reasons[0]) == (
        "The articles found give this for 2024, not for the year the question asks about."
    )
    # Asked about 2024, the same answer stands.
    q24 = analyse("What net profit did Orlinde Pharma report for 2024?")
    assert verdict(q24, "Orlinde Pharma reported a net profit of €410 million for 2024 [1].", [passage], 0.6).answer


@pytest.mark.parametrize(
    ("text", "published", "glossed"),
    [
        (
            "Operating profit climbed 25% to €612 million last year, helped by fares.",
            "2025-02-27",
            "Operating profit climbed 25% to €612 million last year (2024), helped by fares.",
        ),
        (
            "Last year's champion lost to this year's top seed.",
            "2026-07-12T09:00:00+00:00",
            "Last year's (2025) champion lost to this year's (2026) top seed.",
        ),
        (
            "The council will vote on the budget later this year and build next year.",
            "2024-03-01",
            "The council will vote on the budget later this year (2024) and build next year (2025).",
        ),
        ("Earlier this year the band toured Japan.", "2023-11-30", "Earlier this year (2023) the band toured Japan."),
        # A date line written out, as articles' own headers write it.
        ("Sales fell last year.", "Feb. 27, 2025", "Sales fell last year (2024)."),
        (
            "Turnout hit a record this year.",
            "Updated Nov 6, 2024, 8:48 p.m. ET",
            "Turnout hit a record this year (2024).",
        ),
        # The twelve months before, a year already in digits, and an undated article stay.
        ("Prices rose 4% over the last year.", "2025-05-01", "Prices rose 4% over the last year."),
        # After a possessive it is the final year, not the one before.
        ("The coach said this would be his last year.", "2026-05-18", "The coach said this would be his last year."),
        (
            "It was the club's last year in the top flight.",
            "2026-05-18",
            "It was the club's last year in the top flight.",
        ),
        ("She won it last year (2022).", "2023-06-01", "She won it last year (2022)."),
        ("Turnout was higher last year.", "", "Turnout was higher last year."),
    ],
)
def test_a_year_named_by_its_distance_from_the_date_is_given_in_digits(text: str, published: str, glossed: str) -> None:
    assert year_glosses(text, published) == glossed


def _dated(i: int, text: str, published: str) -> Chunk:
    return Chunk(i, f"d{i}.txt", f"d{i}.txt", text, 0, len(text), "Wire", published)


@pytest.mark.parametrize(
    ("question", "text", "published", "draft", "ok"),
    [
        # The year the question asks about, which the report gives as "last year".
        (
            "What operating profit did Brackwell Airlines report for 2024?",
            "Brackwell Airlines said on Thursday that operating profit climbed 25% to €612 million "
            "last year, helped by record passenger numbers.",
            "2025-02-27",
            "Brackwell Airlines reported an operating profit of €612 million for 2024 [1].",
            True,
        ),
        (
            "How many titles did Mara Velez win in 2023?",
            "Mara Velez, who won four titles last year, opens her season in Doha on Monday.",
            "2024-01-08",
            "Mara Velez won four titles in 2023 [1].",
            True,
        ),
        # Last year's figure is not the asked year's, even from a report dated in it.
        (
            "What operating profit did Brackwell Airlines report for 2024?",
            "Brackwell Airlines said on Thursday its operating profit rose to €488 million last year, "
            "up from €301 million.",
            "2024-02-29",
            "Brackwell Airlines reported an operating profit of €488 million for 2024 [1].",
            False,
        ),
    ],
)
def test_a_year_the_passage_names_by_its_distance_is_checked_as_that_year(
    question: str, text: str, published: str, draft: str, ok: bool
) -> None:
    assert verdict(analyse(question), draft, [_dated(1, text, published)], 0.5).answer is ok
