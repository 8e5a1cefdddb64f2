import logging

import pytest

from rag.errors import CorpusError
from rag.ingest import chunk_document, load_corpus, paragraph_key, read_article

from .conftest import CNN


def test_loads_seed_articles_with_titles(seeds_copy):
    docs, skipped = load_corpus(seeds_copy)
    assert [d.doc_id for d in docs] == sorted(d.doc_id for d in docs)
    assert skipped == []
    titles = {d.title for d in docs}
    assert "Russian weapons and trainers arrive in Niger weeks after US military agreement ends" in titles
    assert "Niger: Russia Sends Military Trainers, Troops to Niger" in titles


def test_bad_files_are_skipped_with_a_warning_naming_them(seeds_copy, caplog):
    (seeds_copy / "empty.txt").write_bytes(b"")
    (seeds_copy / "blank.md").write_text("   \n\n")
    (seeds_copy / "binary.txt").write_bytes(b"\x00\x01\x02PNG")
    (seeds_copy / "garbled.txt").write_bytes(bytes(range(0x80, 0xA0)) * 5)
    (seeds_copy / "image.png").write_bytes(b"\x89PNG")
    (seeds_copy / ".hidden.txt").write_text("secret")
    with caplog.at_level(logging.WARNING):
        docs, skipped = load_corpus(seeds_copy)
    assert len(docs) == 2
    reasons = {s.path: s.reason for s in skipped}
    assert set(reasons) == {"empty.txt", "blank.md", "binary.txt", "garbled.txt"}
    assert "UTF-8" in reasons["garbled.txt"] and "binary" in reasons["binary.txt"]
    for name in reasons:
        assert name in caplog.text


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(CorpusError, match="does not exist"):
        load_corpus(tmp_path / "nope")
    (tmp_path / "story.txt").write_text("Harbour reopens", encoding="utf-8")
    with pytest.raises(CorpusError, match="is a file, not a folder"):  # --seeds story.txt
        load_corpus(tmp_path / "story.txt")


def test_untitled_article_gets_its_file_name(tmp_path):
    p = tmp_path / "my-article.txt"
    p.write_text("Just one long sentence that is the whole article and ends with a full stop.")
    doc = read_article(p, p.name)
    assert doc.title == "My article"


def test_chunk_text_matches_its_span(seeds_copy):
    docs, _ = load_corpus(seeds_copy)
    doc = next(d for d in docs if d.doc_id == CNN)
    chunks = chunk_document(doc, 420, 1)
    for c in chunks:
        assert doc.text[c.start : c.end].split() == c.text.split()
    assert sum("AFP/Getty Images" in c.text for c in chunks) == 1


@pytest.mark.parametrize(
    "text, encoding",
    [
        ("Le président a déclaré que «la réforme» coûterait 3 milliards d’euros.", "cp1252"),
        ("The café’s owner said the “new” menu would cost €12 — a 20% rise.", "cp1252"),
        ("Müller scored twice as Bayern München beat Köln 3–1 on Saturday.", "cp1252"),
        ("Caf\xe9 owners in Montr\xe9al protested the tax.", "latin-1"),
        ("Правительство обсудило бюджет на следующий год, сообщили в министерстве финансов.", "cp1251"),
        ("Hello from a UTF-16 export of the council minutes.", "utf-16"),
        ("Hello from a UTF-32 export of the council minutes.", "utf-32"),
        ("Big-endian UTF-32 minutes of the council.", "utf-32-be-bom"),
        # Without a byte-order mark (some Windows exports): it was skipped as binary.
        ("Le président a déclaré que la réforme coûterait 3 milliards d’euros.", "utf-16-le"),
        ("Müller scored twice as Bayern München beat Köln 3–1 on Saturday.", "utf-16-be"),
        # Read as Windows-1252 these gave "Rz±d og³osi³ w ¶rodê": signs inside words.
        ("Rząd ogłosił w środę, że inflacja spadła do 2,8 proc. Źródło: PAP.", "iso8859_2"),
        ("Rząd ogłosił w środę, że inflacja spadła do 2,8 proc. Źródło: PAP.", "cp1250"),
    ],
)
def test_articles_in_legacy_encodings_are_read(tmp_path, text, encoding, caplog):
    body = f"Headline\n\n{text}\n"
    data = b"\x00\x00\xfe\xff" + body.encode("utf-32-be") if encoding == "utf-32-be-bom" else body.encode(encoding)
    (tmp_path / "story.txt").write_bytes(data)
    with caplog.at_level(logging.INFO):
        docs, skipped = load_corpus(tmp_path)
    assert not skipped and text in docs[0].text
    if not encoding.startswith("utf-"):
        assert "story.txt is not UTF-8; read it as" in caplog.text
    if encoding in ("utf-16-le", "utf-16-be"):
        assert "story.txt is UTF-16 without a byte-order mark" in caplog.text


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" * 8,  # NULs on both sides of a pair
        "Headline\n\nText.\n".encode("utf-16-le") + b"\x00",  # an odd length
        "Head\x01line\n\nA control character in every line\x02.\n".encode("utf-16-le"),
    ],
)
def test_a_binary_file_is_not_taken_for_utf16(tmp_path, data):
    (tmp_path / "image.txt").write_bytes(data)
    docs, skipped = load_corpus(tmp_path)
    assert not docs and "binary file" in skipped[0].reason


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        # Both decode as text: an uncompressed PDF and an RTF document are plain ASCII.
        (b"%PDF-1.4\n1 0 obj\n<< /Type /Page >>\nstream\nBT (Flood barrier opens) Tj ET\nendstream\n", "PDF"),
        (b"\xef\xbb\xbf{\\rtf1\\ansi{\\fonttbl\\f0 Times;}\\f0 Storm closes the port.\\par}", "RTF"),
        (b"PK\x03\x04\x14\x00\x06\x00" + b"word/document.xml" * 4, "zip"),
    ],
)
def test_a_document_of_another_format_named_txt_is_skipped_naming_it(tmp_path, data, kind):
    (tmp_path / "story.txt").write_bytes(data)
    (tmp_path / "note.txt").write_text("Port reopens\n\nThe port of Dunmere reopened on Monday.\n")
    docs, skipped = load_corpus(tmp_path)
    assert [d.doc_id for d in docs] == ["note.txt"]
    assert skipped[0].path == "story.txt" and kind in skipped[0].reason and ".txt" in skipped[0].reason


def test_readme_files_and_ragignore_patterns_are_left_out(tmp_path):
    story = "Headline\n\nThe council voted for the bike lanes on Monday.\n"
    for rel in ("a.txt", "README.md", "LICENSE.txt", "drafts/b.txt", "wire/c.txt", "wire/d.md", "notes.md"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(story, encoding="utf-8")
    (tmp_path / ".ragignore").write_text("# not for the index\ndrafts/\nwire/*.md\nnotes.md\n", encoding="utf-8")
    docs, skipped = load_corpus(tmp_path)
    assert [d.doc_id for d in docs] == ["a.txt", "wire/c.txt"]
    assert {s.path for s in skipped} == {"README.md", "LICENSE.txt"}
    assert all("not an article" in s.reason for s in skipped)


def test_cleaning_never_drops_the_only_sentence_stating_a_figure():
    """Captions and short paragraphs are content: on the project's articles from a dozen
    outlets, every sentence with a figure is in its article's passages, unless its
    paragraph is publisher furniture (a newsletter prompt, the publisher describing
    itself) or repeats across three articles."""
    from rag.config import PROJECT_ROOT
    from rag.ingest import chunk_document, is_boilerplate, repeated_paragraphs
    from rag.lang import normalize_space, sentences

    folders = [PROJECT_ROOT / "seeds", PROJECT_ROOT / "eval" / "offdomain" / "articles"]
    folders += sorted((PROJECT_ROOT / "eval" / "kinds").iterdir())
    checked = 0
    for folder in folders:
        docs, _ = load_corpus(folder)
        furniture = repeated_paragraphs(docs)
        for d in docs:
            passages = " ".join(c.text for c in chunk_document(d, 420, 1, furniture))
            for line in d.text.split("\n")[1:]:  # the headline is the title, not a passage
                if is_boilerplate(line) or (
                    ":" in line[:12] and line.split(":")[0].strip().lower() in ("source", "published", "date")
                ):
                    continue
                for s in sentences(line):
                    sentence = normalize_space(line[s.start : s.end])
                    if any(ch.isdigit() for ch in sentence):
                        checked += 1
                        assert sentence in passages, (d.doc_id, sentence)
    assert checked > 100


def test_a_wire_brief_that_three_outlets_carried_keeps_its_text_and_footers_still_go(tmp_path):
    """Wire briefs come in paragraphs of one sentence: three copies of one were taken for
    publisher furniture and indexed with no passage at all."""
    from rag.ingest import chunk_document, repeated_paragraphs

    brief = [
        "SPRINGFIELD, Ill. (AP) — Repairs to the Elm Street bridge will cost $4.2 million, city officials said Monday.",
        "The bridge has been closed to trucks since a crack was found in one of its beams in March.",
        "Work is expected to begin in June and take about five months, the city's engineer said.",
    ]
    footer = "The Valley Herald is owned by Northfield Media Group."
    for outlet in ("herald", "gazette", "tribune"):
        (tmp_path / f"ap-{outlet}.txt").write_text("Bridge repairs to cost $4.2M\n\n" + "\n\n".join(brief) + "\n")
    stories = {
        "budget": "The school board approved a budget of $31 million on Tuesday, with 12 new teachers.",
        "match": "Valley United beat Riverton 3-1 on Saturday to stay top of the league with two games left.",
        "shares": "Shares of Northfield Foods rose 8% on Wednesday after its profit beat forecasts.",
    }
    for name, lead in stories.items():
        (tmp_path / f"{name}.txt").write_text(f"{name.title()}\n\n{lead}\n\nMore to follow.\n\n{footer}\n")
    docs, _ = load_corpus(tmp_path)
    furniture = repeated_paragraphs(docs)
    assert paragraph_key(footer) in furniture
    for d in docs:
        text = " ".join(c.text for c in chunk_document(d, 420, 1, furniture))
        assert ("Elm Street bridge will cost $4.2 million" in text) == d.doc_id.startswith("ap-"), d.doc_id
        assert footer not in text


def test_an_article_with_invisible_characters_is_answered_as_a_plain_one(tmp_path):
    """Soft hyphens (copied from a web page) and decomposed accents used to split words,
    so a right answer was refused as unsupported (fake models)."""
    from rag.config import Settings
    from rag.pipeline import Pipeline
    from rag.store import build_index

    from .conftest import FakeEmbedder, FakeGenerator

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "zeine.txt").write_text(
        "Niger names prime minister\n\nThe junta named Ali Lamine Ze\u00adine prime minister on Monday. "
        "Ze\u00adine is an eco\u00adno\u00admist who served as finance minister and worked for the Afri\u00adcan "
        "Develop\u00adment Bank in Cha\u0301d.\n",
        encoding="utf-8",
    )
    settings = Settings(seeds_dir=seeds, index_dir=tmp_path / "index", embedder="fake-embedder")
    index, _ = build_index(settings, FakeEmbedder())
    reply = "Zeine is an economist who served as finance minister [1]."
    a = Pipeline(settings, embedder=FakeEmbedder(), index=index, generator=FakeGenerator(reply)).answer(
        "What did Zeine do before?"
    )
    assert not a.refused, a.reasons
    assert "\u00ad" not in a.citations[0].text and "Chád" in index.passages("zeine.txt")[0].text


def test_a_dumps_bad_lines_are_warned_of_when_indexing_not_at_every_question(tmp_path, caplog):
    """Every `rag ask` (the index checked against the folder) and every article view in
    the chat repeated the warnings about a dump's bad lines."""
    from rag.ingest import article_text

    (tmp_path / "wire.jsonl").write_text(
        '{"id": "a1", "title": "Port reopens", "text": "The port reopened on Monday after a storm."}\n{not json\n'
    )
    with caplog.at_level(logging.WARNING):
        load_corpus(tmp_path)
    assert "line 2" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        docs, _ = load_corpus(tmp_path, warn=False)
        assert article_text(tmp_path, docs[0].doc_id)
    assert not caplog.records


def test_documents_no_reader_reads_are_named_when_skipped(tmp_path):
    """A folder of .json articles was indexed as empty, without a word about them."""
    (tmp_path / "story.txt").write_text("Port reopens\n\nThe port reopened on Monday after a storm.\n")
    (tmp_path / "story.txt.meta.json").write_text('{"source": "Coast News"}')  # a sidecar: read, not skipped
    (tmp_path / "articles.json").write_text('[{"title": "A", "text": "B"}]')
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.7")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8")  # not a document: passed over
    docs, skipped = load_corpus(tmp_path)
    assert [d.doc_id for d in docs] == ["story.txt"] and docs[0].source == "Coast News"
    reasons = {s.path: s.reason for s in skipped}
    assert set(reasons) == {"articles.json", "report.pdf"}
    assert ".json files are not read" in reasons["articles.json"] and ".jsonl" in reasons["articles.json"]


def test_an_outlets_briefs_still_lose_their_shared_footers(tmp_path):
    """Briefs of one lead each share three footers, most of each brief: they are no copies
    of one story (their leads differ), and the footers are still furniture."""
    from rag.ingest import chunk_document, repeated_paragraphs

    footers = [
        "The Valley Herald is owned by Northfield Media Group.",
        "Got a tip? Write to the newsroom at any hour.",
        "Herald staff contributed to this report.",
    ]
    leads = {
        "scores": "Valley United beat Riverton 3-1 on Saturday to stay top of the league with two games left.",
        "markets": "Shares of Northfield Foods rose 8% on Wednesday after its quarterly profit beat forecasts.",
        "police": "Police closed Elm Street for three hours on Tuesday after a gas leak near the school.",
        "council": "The council approved a budget of $31 million on Monday, with 12 new bus drivers.",
    }
    for name, lead in leads.items():
        (tmp_path / f"{name}.txt").write_text(f"{name.title()}\n\n{lead}\n\n" + "\n\n".join(footers) + "\n")
    docs, _ = load_corpus(tmp_path)
    furniture = repeated_paragraphs(docs)
    assert {paragraph_key(f) for f in footers} <= furniture
    for d in docs:
        text = " ".join(c.text for c in chunk_document(d, 420, 1, furniture))
        assert leads[d.doc_id.removesuffix(".txt")] in text and "Got a tip" not in text
