"""Language knowledge and the text functions built on it.

``en.py`` holds English as data (word lists and patterns); ``lexicon.py`` the frozen
:class:`Lexicon` that compiles it; ``terms.py`` tokenising, stemming and matching;
``text.py`` spans, sentences, citation markers and text addressed to the model;
``dates.py`` dates; ``patterns.py`` the patterns that read headers, questions and drafts.
"""

from .dates import date_stamp, iso_date, spelled_date, whole_date
from .en import ENGLISH, LEXICON
from .lexicon import Lexicon
from .terms import (
    STOPWORDS,
    asked_years,
    compound_parts,
    content_words,
    date_line_year,
    figure,
    is_named,
    is_year,
    neighbours,
    numbers,
    one_edit,
    other_years,
    respelled,
    seasons_in_full,
    spelled_figures,
    stem,
    term_matches,
    terms,
    unglued,
    words,
)
from .text import (
    MARKER,
    Span,
    injection_reason,
    mend_surrogates,
    normalize_space,
    outlet_name,
    outlet_names,
    readable,
    sentence_texts,
    sentences,
    strip_citations,
    strip_control,
    without_instructions,
    without_planted_turns,
)

__all__ = [
    "ENGLISH",
    "LEXICON",
    "Lexicon",
    "MARKER",
    "STOPWORDS",
    "Span",
    "asked_years",
    "compound_parts",
    "content_words",
    "date_line_year",
    "figure",
    "injection_reason",
    "is_named",
    "is_year",
    "iso_date",
    "date_stamp",
    "whole_date",
    "mend_surrogates",
    "neighbours",
    "outlet_name",
    "outlet_names",
    "spelled_figures",
    "normalize_space",
    "readable",
    "numbers",
    "one_edit",
    "other_years",
    "respelled",
    "seasons_in_full",
    "sentence_texts",
    "sentences",
    "spelled_date",
    "stem",
    "strip_citations",
    "strip_control",
    "term_matches",
    "terms",
    "unglued",
    "without_instructions",
    "without_planted_turns",
    "words",
]
