"""A "how many/much" answer's figure must stand next to what the question asks about."""

import pytest

from rag.checks.parse import split_answer
from rag.checks.rules import counts_the_subject
from rag.checks.support import CheckedSentence
from rag.question import analyse
from rag.types import Chunk


def _answer(text: str) -> CheckedSentence:
    return CheckedSentence(split_answer(text)[0].text, (1,), (1,), 1.0)


def _c(text: str) -> Chunk:
    return Chunk(0, "a.txt", "Headline", text, 0, len(text))


@pytest.mark.parametrize(
    ("question", "answer", "passage"),
    [
        # Weather: millimetres glued to the figure.
        (
            "How much rain fell in Tollan during the floods?",
            "94mm of rain fell in Tollan [1].",
            "Tollan recorded 94mm of rain in 36 hours.",
        ),
        # Markets: a scale glued to a sum.
        (
            "How much did Veltrix pay for the chipmaker?",
            "Veltrix paid $2.3bn for the chipmaker [1].",
            "Veltrix agreed to buy the chipmaker for $2.3bn in cash.",
        ),
        # Sport: kilometres.
        (
            "How long is the final stage of the Grey Coast Rally?",
            "The final stage is 42km [1].",
            "The 42km final stage.",
        ),
        # A count written apart.
        ("How many homes were evacuated?", "About 600 homes were evacuated [1].", "Around 600 homes were evacuated."),
    ],
)
def test_a_figure_next_to_the_question_s_subject_counts_it(question: str, answer: str, passage: str) -> None:
    assert counts_the_subject(analyse(question), _answer(answer), [_c(passage)])


def test_a_figure_next_to_something_else_does_not_count_the_subject() -> None:
    q = analyse("How many people joined Saturday's protests in Niamey?")
    a = _answer("648 US military personnel are deployed [1].")
    assert not counts_the_subject(q, a, [_c("About 648 US military personnel remain deployed in the country.")])
    # Glued to its unit, a figure about something else still does not count the subject.
    q = analyse("How much rain fell in Tollan?")
    a = _answer("The river rose 3m [1].")
    assert not counts_the_subject(q, a, [_c("The river rose 3m overnight, the agency said.")])
