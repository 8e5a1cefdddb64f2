"""Answers with a shape: an overview, a timeline, a comparison of outlets, or facts about
the collection itself, for the questions that ask for one (see
:func:`rag.question.intent_of`); a fact question keeps the model's path.

``articles.py`` names and picks articles; ``sentences.py`` picks the sentences worth
quoting; ``overview.py``, ``timeline.py``, ``comparison.py`` and ``collection.py`` are
one plan each; ``render.py`` numbers the citations and writes the Markdown. Every line
of an overview, timeline or comparison is a sentence quoted from a passage and cited to
it, so it is supported by construction, and no model runs: the answer is immediate.
"""

from .gather import plan_for
from .plan import Line, Plan
from .render import rendered

__all__ = ["Line", "Plan", "plan_for", "rendered"]
