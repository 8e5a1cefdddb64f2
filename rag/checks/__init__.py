"""From a draft to a checked answer.

``parse.py`` reads the draft (sentences, markers, framing); ``support.py`` decides whether
a passage supports a sentence and re-points citations; ``rules.py`` the gate's bar and the
verdict, each refusal with its reason; ``discrepancy.py`` other articles' figures and
spellings; ``render.py`` numbering and the final text.
"""

from .discrepancy import Discrepancy, number_contexts, same_quantity
from .discrepancy import find as find_discrepancies
from .discrepancy import statement as discrepancy_statement
from .parse import Sentence, is_refusal, split_answer, strip_framing
from .render import citations, numbering_for, render
from .rules import Verdict, answers_the_type, gate_bar, plain_reason, says_otherwise, verdict
from .support import CheckedSentence, Judge, about_the_question, check, support, supporters

__all__ = [
    "CheckedSentence",
    "Discrepancy",
    "Judge",
    "Sentence",
    "Verdict",
    "about_the_question",
    "answers_the_type",
    "check",
    "citations",
    "discrepancy_statement",
    "find_discrepancies",
    "gate_bar",
    "is_refusal",
    "number_contexts",
    "numbering_for",
    "plain_reason",
    "says_otherwise",
    "render",
    "same_quantity",
    "split_answer",
    "strip_framing",
    "support",
    "supporters",
    "verdict",
]
