import pytest

from rag.ingest import chunk_spans, clean, is_boilerplate, paragraphs, split_title
from rag.lang import Span, content_words, numbers, sentences, strip_control, terms, words

from .conftest import CNN, DW, SEEDS

ARTICLE = """Headline about things

First paragraph. It has two sentences.
A caption - AFP/Getty Images
A caption - AFP/Getty Images

Gen. Tiani met U.S. officials on Monday. They talked.

For more news and newsletters create an account at"""


def test_title_is_first_short_line():
    title, paras = split_title(ARTICLE)
    assert title == "Headline about things"
    assert ARTICLE[paras[0].start : paras[0].end].startswith("First paragraph")


def test_clean_drops_repeated_caption_and_boilerplate():
    kept = [ARTICLE[s.start : s.end] for s in clean(ARTICLE)]
    assert kept.count("A caption - AFP/Getty Images") == 1
    assert not any("newsletters" in k for k in kept)
    assert kept[0] == "First paragraph. It has two sentences."


def test_clean_on_seed_articles():
    cnn = (SEEDS / CNN).read_text(encoding="utf-8")
    kept = [cnn[s.start : s.end] for s in clean(cnn)]
    assert sum("AFP/Getty Images" in k for k in kept) == 1
    assert not any("create an account" in k for k in kept)
    dw = (SEEDS / DW).read_text(encoding="utf-8")
    kept = [dw[s.start : s.end] for s in clean(dw)]
    assert not any("AllAfrica publishes" in k or "Contact us" in k for k in kept)
    assert not any(k.startswith("tg/wd") for k in kept)
    assert any("Germany still currently operates an airbase" in k for k in kept)


def test_boilerplate_is_specific():
    assert is_boilerplate("Sign up for our newsletter")
    assert is_boilerplate("© 2024 Cable News Network. All Rights Reserved.")
    assert not is_boilerplate("The newsletter's editor said the junta would hold elections.")


def test_hard_wrapped_lines_join_into_one_paragraph():
    text = "This sentence is wrapped\nacross two lines.\nA new line starts here."
    paras = [text[s.start : s.end] for s in paragraphs(text)]
    assert paras == ["This sentence is wrapped\nacross two lines.", "A new line starts here."]


def test_sentences_respect_abbreviations():
    text = "Gen. Tiani met U.S. officials. Then 1,100 troops left. “Quote here.” Done"
    got = [text[s.start : s.end] for s in sentences(text)]
    assert got == ["Gen. Tiani met U.S. officials.", "Then 1,100 troops left.", "“Quote here.”", "Done"]


def test_chunks_are_exact_spans_that_never_cross_dropped_text():
    for name in (CNN, DW):
        text = (SEEDS / name).read_text(encoding="utf-8")
        keep = clean(text)
        kept_chars = set()
        for p in keep:
            kept_chars.update(range(p.start, p.end))
        spans = chunk_spans(text, keep, 420, 1)
        assert len(spans) >= 5
        for s in spans:
            outside = [i for i in range(s.start, s.end) if i not in kept_chars and not text[i].isspace()]
            assert not outside, f"chunk {s} contains dropped text {text[outside[0] : outside[0] + 40]!r}"
        # Every kept sentence is in some chunk.
        covered = set()
        for s in spans:
            covered.update(range(s.start, s.end))
        assert kept_chars <= covered


def test_chunk_size_and_overlap():
    text = " ".join(f"Sentence number {i} is here." for i in range(40))
    spans = chunk_spans(text, [Span(0, len(text))], 120, 1)
    assert len(spans) > 5
    for a, b in zip(spans, spans[1:]):
        assert b.start < a.end, "consecutive chunks share one sentence"
        assert b.end > a.end, "each chunk adds new text"
    assert all(s.end - s.start <= 120 for s in spans)
    assert spans[-1].end == len(text)


def test_a_sentence_longer_than_the_limit_is_split_at_words_and_nothing_is_lost():
    text = "Short one. " + "word " * 100 + "end. Last."
    spans = chunk_spans(text, [Span(0, len(text))], 50, 1)
    assert all(s.end - s.start <= 50 for s in spans)
    assert all(text[s.start].isalpha() and text[s.end - 1] != " " for s in spans)
    covered = " ".join(text[s.start : s.end] for s in spans).split()
    assert covered.count("word") >= 100 and "end." in covered and "Last." in covered


def test_words_and_numbers():
    assert numbers("About 1,100 US troops and 38% rise in 2023.") == {"1100", "38", "2023"}
    assert "niger" in words("Niger's junta")
    assert "the" not in content_words("the junta of Niger")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Halden City finished third in the 2024-25 season.", {"2024", "2025"}),
        ("the government's 2019/20 budget", {"2019", "2020"}),
        ("the 1999–2000 season, then the 1999-00 accounts", {"1999", "2000"}),
        # Not a season: a span of years, and a score.
        ("funding for 2020-24 was cut", {"2020", "24"}),
        ("Kestrel Bay beat the Stags 94-88", {"94", "88"}),
        ("filed on 2009-10-05", {"2009", "10", "05"}),
    ],
)
def test_a_season_across_two_years_names_both_years(text: str, expected: set[str]):
    """A season or fiscal year ("2024-25") names two years: its "25" is 2025, not a figure
    to compare with another article's "23"."""
    assert numbers(text) == expected


def test_a_figure_with_a_scale_glued_to_it_is_the_same_figure():
    """Wire copy glues scales to figures ("$2.3bn", "€640m", "15k"); an answer spells them."""
    from rag.lang import unglued

    assert numbers("Quorra pays $2.3bn; Ferrona raised €410m; 15k fans came.") == {"2.3", "410", "15"}
    assert numbers("The 1990s, the 3rd round, 5G masts.") == {"1990", "3", "5"}
    # Inside a hyphenated name only bare digits count: "K2-412b" is a planet, not 412.
    assert numbers("K2-412b orbits its star") == set() and numbers("a 4-1 win, a 183-seat jet") == {"4", "1", "183"}
    assert unglued(["valu", "2.3bn", "deal"]) == ["valu", "2.3", "billion", "deal"]
    assert unglued(["1,100m"]) == ["1100", "million"] and numbers("a $1,100m bid") == {"1100"}
    assert unglued(["214mm", "rain"]) == ["214mm", "rain"]  # a unit, not a scale: kept whole


def test_a_decimal_point_is_not_a_dot_between_words():
    """A domain splits at its dots; a decimal figure does not ("$2.3bn" is not also "3bn")."""
    from rag.lang import unglued

    assert unglued(terms("Quorra pays $2.3bn")) == ["quorra", "pay", "2.3", "billion"]
    assert "5-inch" not in terms("a 3.5-inch floppy drive")
    assert terms("Shares rose 4.25% to €1,204.50") == ["share", "rise", "4.25", "1204.50"]
    assert "cbssport" in terms("read it on cbssports.com")


def test_strip_control_keeps_newlines():
    assert strip_control("a\x00b\x1bc\nd\u200be") == "abc\nde"


def test_stem_handles_irregular_verbs():
    from rag.lang import stem

    assert stem("built") == stem("build") == "build"
    assert stem("sent") == "send" and stem("withdrew") == "withdraw"
    assert stem("instructors") == "instructor" and stem("arrived") == stem("arrives") == "arriv"
    # Snowball, not suffix stripping: "scored" is "score", "rates" is "rate".
    assert stem("scored") == stem("scores") == "score" and stem("rates") == "rate"


def test_stem_meets_british_and_american_spellings():
    from rag.lang import LEXICON, stem

    american = LEXICON.american
    assert stem("neighbours") == stem("neighbors") == stem("neighbour") == "neighbor"
    assert stem("defence") == stem("defense") and stem("organised") == stem("organized")
    assert stem("organisation") == stem("organization") and stem("centre") == stem("center")
    assert stem("analysed") == stem("analyzed") and stem("catalogue") == stem("catalog")
    assert stem("programme") == stem("program") and stem("labourers") == stem("laborers")
    # Short words only look like British spellings.
    assert [american(w) for w in ("four", "hour", "your", "tour", "rise", "raise")] == [
        "four",
        "hour",
        "your",
        "tour",
        "rise",
        "raise",
    ]


def test_hyphenated_words_also_give_their_parts():
    from rag.lang import terms

    assert terms("air-defence system") == ["air-defens", "air", "defens", "system"]
    assert terms("air-defense systems") == terms("air-defence system")
    assert terms("Ilyushin-76 and anti-aircraft") == [
        "ilyushin-76",
        "ilyushin",
        "76",
        "anti-aircraft",
        "anti",
        "aircraft",
    ]
    # A figure inside a hyphenated word is a figure: "183-seat", "a 4-1 win".
    assert numbers("the 183-seat National Council") == {"183"} and numbers("a 4-1 win") == {"4", "1"}


# -- bounded passages (issue 9: a 140 kB line became one passage) ----------------------
from rag.ingest import bounded as _bounded  # noqa: E402
from rag.lang import Span as _Span  # noqa: E402


def test_bounded_cuts_at_clauses_then_words_and_keeps_every_character():
    text = (
        "Shares of the chipmaker rose sharply in early trading, analysts said, as demand for "
        "data-centre processors kept growing; the company raised its forecast for the year " * 6
    ).strip()
    pieces = _bounded(text, _Span(0, len(text)), 120)
    assert all(p.end - p.start <= 120 for p in pieces)
    assert "".join(text[p.start : p.end] for p in pieces).replace(" ", "") == text.replace(" ", "")
    assert all(text[p.end - 1] in ",;" or text[p.end : p.end + 1] in (" ", "") for p in pieces)
    assert any(text[p.end - 1] in ",;" for p in pieces[:-1])  # a clause break was preferred


def test_bounded_hard_cuts_text_without_spaces():
    text = "x" * 1000
    pieces = _bounded(text, _Span(0, 1000), 300)
    assert [p.end - p.start for p in pieces] == [300, 300, 300, 100]


@pytest.mark.parametrize("size", [200_000, 5_000_000])
def test_a_huge_one_line_file_becomes_bounded_passages(size):
    from rag.ingest import chunk_document
    from rag.types import Document

    unit = "the match went to extra time and the crowd waited while the referee checked the replay "
    text = "Giant line\n\n" + (unit * (size // len(unit) + 1))[:size]
    chunks = chunk_document(Document("huge.txt", "Giant line", text, "x"), 420, 1)
    assert len(chunks) >= size // 420
    assert max(len(c.text) for c in chunks) <= 420
    assert all(c.text == " ".join(text[c.start : c.end].split()) for c in chunks[:50])


def test_front_matter_gives_outlet_and_date_and_leaves_the_passages():
    from rag.ingest import front_matter

    text = (
        "A headline\n\nTitle: A headline\nSource: The Verge\nPublished: 2023-12-19T13:00:00+00:00\n"
        "Author: David Pierce\n\nIn the world of ActivityPub, every post is made of a sender."
    )
    fields, spans = front_matter(text)
    assert fields == {"source": "The Verge", "published": "2023-12-19T13:00:00+00:00"} and len(spans) == 4
    kept = clean(text)
    assert [text[s.start : s.end] for s in kept] == ["In the world of ActivityPub, every post is made of a sender."]
    # An article without a header has none: the first body line is reporting.
    assert front_matter("Headline\n\nThe council met on Monday.\nSource: a spokesman.") == ({}, [])


@pytest.mark.parametrize(
    "raw, read",
    [
        (
            "Die Bundes\u00adregierung beschloss das Haus\u00adhalts\u00adgesetz.",
            "Die Bundesregierung beschloss das Haushaltsgesetz.",
        ),
        ("Le pre\u0301sident a de\u0301clare\u0301 la re\u0301forme.", "Le président a déclaré la réforme."),
        ("The Nig\u200ber junta met Russian in\u200bstructors.", "The Niger junta met Russian instructors."),
        ("\ufeffStocks rose on Monday.", "Stocks rose on Monday."),
        ("Line one.\nLine\ttwo.", "Line one.\nLine\ttwo."),
    ],
)
def test_text_is_read_as_a_reader_sees_it(raw, read):
    """Soft hyphens, zero-width spaces and byte-order marks are invisible, and an accent
    may come as a letter plus a combining mark (NFD, as macOS writes): read as the visible
    words, so "Bundes\\u00adregierung" matches "Bundesregierung" and "pre\\u0301sident"
    matches "président"."""
    from rag.lang import readable

    assert readable(raw) == read
    assert terms(readable(raw)) == terms(read)


@pytest.mark.parametrize(
    ("sentence", "lead"),
    [
        ("LAKEMONT - Mayor Diane Greaves won a second term on Tuesday.", "Mayor Diane Greaves"),
        ("SAN JOSE — Chipmaker Vantor unveiled its Helix 3 processor.", "Chipmaker Vantor"),
        ("OSLO, Feb. 12 - Norvale Energy held its dividend.", "Norvale Energy"),
        ("WASHINGTON, March 3, 2024 (Reuters) - The Federal Reserve held rates.", "The Federal Reserve"),
        ("NEW YORK (AP) — Stocks fell sharply on Monday.", "Stocks fell"),
        ("MANCHESTER -- City won the derby 3-1.", "City won"),
        # Not datelines: a name in brackets, an acronym that starts the sentence, a hyphen.
        ("AMD (Advanced Micro Devices) - Shares jumped 5%.", "AMD (Advanced"),
        ("NASA said the launch slipped to May.", "NASA said"),
        ("UK-based lenders raised rates.", "UK-based"),
        ("GDP - the broadest measure - fell 0.3%.", "GDP - the"),
    ],
)
def test_a_lead_is_quoted_without_its_dateline(sentence: str, lead: str):
    """An overview's or a note's quote of a lead began "LAKEMONT - " or "OSLO - ": the
    place belongs to the article's title line, not the answer's sentence."""
    from rag.lang import without_dateline

    assert without_dateline(sentence).startswith(lead)
