import logging

import pytest

from rag.errors import CorpusError
from rag.ingest import chunk_document, load_corpus, read_article

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
    (seeds_copy / "latin1.txt").write_bytes("caf\xe9 au lait".encode("latin-1"))
    (seeds_copy / "image.png").write_bytes(b"\x89PNG")
    (seeds_copy / ".hidden.txt").write_text("secret")
    with caplog.at_level(logging.WARNING):
        docs, skipped = load_corpus(seeds_copy)
    assert len(docs) == 2
    reasons = {s.path: s.reason for s in skipped}
    assert set(reasons) == {"empty.txt", "blank.md", "binary.txt", "latin1.txt"}
    assert "UTF-8" in reasons["latin1.txt"] and "binary" in reasons["binary.txt"]
    for name in reasons:
        assert name in caplog.text


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(CorpusError, match="does not exist"):
        load_corpus(tmp_path / "nope")


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
