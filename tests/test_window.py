"""Reading hits in long articles with their neighbours (rag/window.py), on news of several kinds."""

from rag.types import Chunk, Hit
from rag.window import contiguous, joined, widen


def article(doc: str, sentences: list[str], per: int = 2, overlap: int = 1) -> list[Chunk]:
    """Passages of ``per`` sentences sharing ``overlap`` sentence, with real character spans."""
    text = " ".join(sentences)
    starts = [text.index(s) for s in sentences]
    out, i = [], 0
    while i < len(sentences):
        j = min(i + per, len(sentences))
        start, end = starts[i], starts[j - 1] + len(sentences[j - 1])
        out.append(Chunk(len(out), doc, "Title", text[start:end], start, end))
        if j == len(sentences):
            break
        i = j - overlap
    return out


MATCH = [f"Sentence {n} of the match report." for n in range(1, 30)]
MATCH[10] = "The winning goal came in the 89th minute."
MATCH[12] = "It was scored by Rovers striker Dana Okafor."
MARKET = [f"Line {n} about the bond market." for n in range(1, 30)]


def test_neighbouring_passages_are_joined_with_their_shared_sentence_once():
    passages = article("m.txt", MATCH)
    window = joined(passages[9:12], passages[10])
    assert window.text.count("The winning goal came in the 89th minute.") == 1
    assert window.start == passages[9].start and window.end == passages[11].end
    assert window.chunk_id == passages[10].chunk_id
    assert all(p.text in window.text for p in passages[9:12])
    assert window.text == " ".join(MATCH[9:13])


def test_a_hit_in_a_long_article_is_read_with_the_sentence_that_names_the_answer():
    passages = article("m.txt", MATCH)
    hit = next(p for p in passages if p.text.startswith("The winning goal"))
    assert "Okafor" not in hit.text  # the passage alone does not name the scorer
    [read] = widen([Hit(hit, 1.0)], lambda d: passages, neighbours=1, long_article=10)
    assert "89th minute" in read.chunk.text and "Dana Okafor" in read.chunk.text
    assert read.score == 1.0 and read.chunk.doc_id == "m.txt"


def test_a_short_article_is_read_as_it_is():
    passages = article("wire.txt", MARKET[:8])
    hit = Hit(passages[2], 0.5)
    assert widen([hit], lambda d: passages, neighbours=1, long_article=10) == [hit]


def test_windows_never_give_the_same_passage_twice():
    passages = article("m.txt", MATCH)
    hits = [Hit(passages[5], 0.9), Hit(passages[6], 0.8), Hit(passages[4], 0.7), Hit(passages[12], 0.6)]
    read = widen(hits, lambda d: passages, neighbours=1, long_article=10)
    # passages[6] and [4] lie in the first hit's window: their hits are dropped.
    assert [h.score for h in read] == [0.9, 0.6]
    assert (read[0].chunk.start, read[0].chunk.end) == (passages[4].start, passages[6].end)
    assert (read[1].chunk.start, read[1].chunk.end) == (passages[11].start, passages[13].end)


def test_a_window_stops_at_a_paragraph_left_out_of_the_index():
    passages = article("f.txt", MARKET)
    gap = [
        *passages[:5],
        *(Chunk(c.chunk_id, c.doc_id, c.title, c.text, c.start + 200, c.end + 200) for c in passages[5:]),
    ]
    assert not contiguous(gap[4], gap[5])
    [read] = widen([Hit(gap[5], 1.0)], lambda d: gap, neighbours=1, long_article=10)
    assert read.chunk.start == gap[5].start  # not reaching back across the furniture


def test_no_neighbours_or_an_unknown_passage_change_nothing():
    passages = article("m.txt", MATCH)
    stray = Chunk(99, "m.txt", "Title", "Not in the index.", 5000, 5017)
    hits = [Hit(passages[3], 1.0), Hit(stray, 0.5)]
    assert widen(hits, lambda d: passages, neighbours=0, long_article=10) == hits
    assert widen(hits[1:], lambda d: passages, neighbours=1, long_article=10) == hits[1:]


def test_a_window_stays_within_its_share_of_the_budget():
    passages = article("m.txt", MATCH)
    [read] = widen([Hit(passages[10], 1.0)], lambda d: passages, neighbours=50, long_article=10, max_chars=200)
    assert len(read.chunk.text) <= 200 + 2  # joined passages share sentences; never past the cap
    assert passages[10].text in read.chunk.text
    [alone] = widen([Hit(passages[10], 1.0)], lambda d: passages, neighbours=50, long_article=10, max_chars=10)
    assert alone.chunk == passages[10]
