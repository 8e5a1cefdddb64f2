import json
import shutil

import numpy as np
import pytest

from rag.errors import CorpusError, IndexCorruptError, IndexMissingError, IndexStaleError, ModelLoadError
from rag.retrieve import HybridRetriever, reciprocal_rank_fusion
from rag.store import VECTORS, build_index, ensure_index
from rag.store import FaissStore as Index

from .conftest import FakeEmbedder


def test_build_writes_plain_files_with_manifest(fake_settings):
    index, stats = build_index(fake_settings, FakeEmbedder())
    files = {p.name for p in fake_settings.index_dir.iterdir()}
    assert {"manifest.json", "chunks.jsonl", "vectors.faiss", "bm25"} <= files
    manifest = json.loads((fake_settings.index_dir / "manifest.json").read_text())
    assert manifest["embedder"] == "fake-embedder" and manifest["dimension"] == 256
    assert manifest["chunk_chars"] == fake_settings.chunk_chars
    assert len(manifest["documents"]) == 2 and all(len(h) == 64 for h in manifest["documents"].values())
    assert "faiss-cpu" in manifest["versions"]
    assert stats["chunks"] == len(index) == manifest["chunk_count"] > 10
    loaded = Index.load(fake_settings.index_dir)
    assert loaded.chunks == index.chunks
    loaded.check(fake_settings, None)


def test_an_articles_passages_come_in_reading_order_lead_first(fake_settings):
    index, _ = build_index(fake_settings, FakeEmbedder())
    for doc in {c.doc_id for c in index.chunks}:
        passages = index.passages(doc)
        assert list(passages) == sorted((c for c in index.chunks if c.doc_id == doc), key=lambda c: c.start)
        assert passages[0].start == min(c.start for c in index.chunks if c.doc_id == doc)
    assert index.passages("no-such-article.txt") == ()


def test_missing_index_says_how_to_build(fake_settings):
    with pytest.raises(IndexMissingError, match="rag index"):
        Index.load(fake_settings.index_dir)


def test_stale_when_articles_change(fake_settings):
    from rag.ingest import load_corpus

    build_index(fake_settings, FakeEmbedder())
    (fake_settings.seeds_dir / "new.txt").write_text("A new article\n\nSomething happened in Lagos today.")
    docs, _ = load_corpus(fake_settings.seeds_dir)
    with pytest.raises(IndexStaleError, match="new article.*new.txt"):
        Index.load(fake_settings.index_dir).check(fake_settings, docs)


def test_stale_when_embedder_differs(fake_settings):
    build_index(fake_settings, FakeEmbedder())
    other = fake_settings.with_overrides(embedder="another-model")
    with pytest.raises(IndexStaleError, match="another-model"):
        Index.load(fake_settings.index_dir).check(other, None)


def test_adding_an_article_embeds_only_it(fake_settings):
    emb = FakeEmbedder()
    _, first = build_index(fake_settings, emb)
    (fake_settings.seeds_dir / "new.txt").write_text("A new article\n\nSomething happened in Lagos today.")
    _, second = build_index(fake_settings, emb)
    assert second["embedded"] == 1 and second["reused"] == first["chunks"]


def test_corrupt_index_is_reported_and_rebuild_recovers(fake_settings):
    build_index(fake_settings, FakeEmbedder())
    (fake_settings.index_dir / VECTORS).write_bytes(b"garbage")
    with pytest.raises(IndexCorruptError, match="rag index"):
        Index.load(fake_settings.index_dir)
    index = ensure_index(fake_settings, FakeEmbedder())
    assert len(Index.load(fake_settings.index_dir)) == len(index)


def test_inconsistent_files_are_corrupt(fake_settings):
    build_index(fake_settings, FakeEmbedder())
    lines = (fake_settings.index_dir / "chunks.jsonl").read_text().splitlines()
    (fake_settings.index_dir / "chunks.jsonl").write_text("\n".join(lines[:-1]) + "\n")
    with pytest.raises(IndexCorruptError, match="chunks.jsonl has .* bytes, not the"):
        Index.load(fake_settings.index_dir)
    # A record of the files deleted by hand no longer hides the damage from the checks.
    manifest = json.loads((fake_settings.index_dir / "manifest.json").read_text())
    manifest["files"] = {}
    (fake_settings.index_dir / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(IndexCorruptError, match="no longer records chunks.jsonl or vectors.faiss; rebuild"):
        Index.load(fake_settings.index_dir)
    ensure_index(fake_settings, FakeEmbedder())  # the rebuild it asks for recovers
    assert len(Index.load(fake_settings.index_dir)) == len(lines)


def test_crash_during_build_leaves_old_index(fake_settings, monkeypatch):
    build_index(fake_settings, FakeEmbedder())
    before = (fake_settings.index_dir / "chunks.jsonl").read_text()
    (fake_settings.seeds_dir / "new.txt").write_text("A new article\n\nSomething happened in Lagos today.")
    import bm25s

    def boom(*a, **k):
        raise OSError("disk full")

    monkeypatch.setattr(bm25s.BM25, "save", boom)
    with pytest.raises(OSError):
        build_index(fake_settings, FakeEmbedder())
    assert (fake_settings.index_dir / "chunks.jsonl").read_text() == before
    Index.load(fake_settings.index_dir)
    leftovers = [p for p in fake_settings.index_dir.parent.iterdir() if p.name.startswith(".index")]
    assert leftovers == []


def test_no_usable_articles_is_a_clear_error(fake_settings):
    shutil.rmtree(fake_settings.seeds_dir)
    fake_settings.seeds_dir.mkdir()
    (fake_settings.seeds_dir / "bad.txt").write_bytes(b"\xff\xfe\x00")
    with pytest.raises(CorpusError, match="bad.txt"):
        build_index(fake_settings, FakeEmbedder())


def test_rrf():
    fused = reciprocal_rank_fusion([[1, 2, 3], [3, 1]], k=60)
    assert fused[1] == pytest.approx(1 / 61 + 1 / 62)
    assert max(fused, key=fused.get) == 1
    assert set(fused) == {1, 2, 3}


def test_hybrid_retriever_finds_rare_name_and_keeps_scores(fake_settings):
    index, _ = build_index(fake_settings, FakeEmbedder())
    hits = HybridRetriever(index, FakeEmbedder()).retrieve("Which country operates an airbase in Niamey?", 3)
    assert len(hits) == 3
    assert "Germany" in hits[0].chunk.text
    assert hits[0].bm25_rank == 1 and hits[0].bm25_score > 0 and hits[0].dense_score is not None
    assert hits[0].score >= hits[1].score >= hits[2].score
    assert HybridRetriever(index, FakeEmbedder()).retrieve("   ", 3) == []


def test_diversify_adds_a_passage_of_another_article():
    from rag.retrieve import diversify

    assert diversify([1, 2, 3, 4, 5], ["a", "a", "a", "b", "b"], 3) == [1, 2, 3, 4]
    assert diversify([1, 2, 3, 4], ["a", "b", "a", "a"], 3) == [1, 2, 3]  # already mixed
    assert diversify([1, 2, 3, 4, 5, 6, 7], ["a"] * 6 + ["b"], 3) == [1, 2, 3]  # too far down
    assert diversify([1, 2], ["a", "a"], 3) == [1, 2]


def test_a_question_names_an_outlet_by_any_of_its_usual_names():
    """ "What did AP report?" gets a passage of the Associated Press's article, as "What did
    the Associated Press report?" does; "Reuters" is no name of AFP's."""
    from rag.retrieve import named_sources

    outlets = ["Associated Press", "AFP", "The Verge", "Financial Times"]
    assert named_sources("What did AP report about the fire?", outlets) == ["Associated Press"]
    assert named_sources("Did the Associated Press and Agence France-Presse agree?", outlets) == [
        "Associated Press",
        "AFP",
    ]
    assert named_sources("What did the FT and Verge say?", outlets) == ["The Verge", "Financial Times"]
    assert named_sources("What did Reuters report? A map of the area.", outlets) == []
    assert named_sources("How tall is the 1,000 ft tower? Is the ap exam harder?", outlets) == []  # review


def test_an_embedder_passed_in_is_the_one_the_index_records_and_checks(fake_settings):
    """The index records the embedder that made its vectors, not the setting a passed-in
    embedder replaced; one of another size under the same name is a clear error at the
    question (was a bare faiss AssertionError)."""
    from dataclasses import replace

    from rag import Pipeline

    class Tiny(FakeEmbedder):
        name = "tiny-embedder"

    settings = replace(fake_settings, embedder="package:default-model")
    pipeline = Pipeline(settings, embedder=Tiny(64), auto_index=True)
    assert pipeline.index.manifest.embedder == "tiny-embedder"
    assert pipeline.index.manifest.dimension == 64
    assert Pipeline(settings).settings.embedder == "package:default-model"  # the setting itself is unchanged

    other = Pipeline(replace(fake_settings, embedder="tiny-embedder"), embedder=Tiny(32))
    with pytest.raises(IndexStaleError, match="vectors of 64 numbers.*makes 32.*rag index"):
        other.retriever.retrieve("Who is Mamadou Thior?", 3)
    with pytest.raises(ModelLoadError, match="makes vectors of 32 numbers.*holds 64"):
        (fake_settings.seeds_dir / "new.txt").write_text("Storm\n\nA storm hit the coast on Monday.\n", "utf-8")
        build_index(replace(fake_settings, embedder="tiny-embedder"), Tiny(32))


def test_an_index_of_another_embedder_asks_for_auto_index_when_the_embedder_is_passed_in(fake_settings):
    """`rag index` embeds with the configured model: for an embedder passed in under a name
    of its own, the hint it gave could never fix the index."""
    from rag import Pipeline

    class Mine(FakeEmbedder):
        name = "my-embedder"

    build_index(fake_settings, FakeEmbedder())
    with pytest.raises(IndexStaleError, match=r"Pipeline\(\.\.\., auto_index=True\)") as err:
        _ = Pipeline(fake_settings, embedder=Mine(64)).index
    assert "`rag index --" not in str(err.value)
    assert len(Pipeline(fake_settings, embedder=Mine(64), auto_index=True).index) > 0  # the fix it names


def test_an_index_held_in_another_store_says_to_use_that_store_before_rebuilding():
    from dataclasses import replace

    from rag.config import Settings
    from rag.lang import LEXICON
    from rag.store.manifest import FORMAT_VERSION, Manifest, check_manifest

    settings = Settings(store="faiss")
    manifest = Manifest(
        FORMAT_VERSION,
        settings.embedder,
        384,
        settings.chunk_chars,
        settings.chunk_overlap_sentences,
        {},
        {},
        0,
        {},
        0.0,
        {},
        lexicon=LEXICON.fingerprint(),
    )
    check_manifest(manifest, settings, None)  # it fits
    manifest = replace(manifest, store="milvus", location="/x/milvus.db#articles")
    with pytest.raises(IndexStaleError, match=r"To use it, set store='milvus' \(RAG_STORE=milvus"):
        check_manifest(manifest, settings, None)


class Broken(FakeEmbedder):
    def __init__(self, mend) -> None:  # type: ignore[no-untyped-def]
        super().__init__(16)
        self.mend = mend

    def embed(self, texts):  # type: ignore[no-untyped-def]
        return self.mend(super().embed(texts))


@pytest.mark.parametrize(
    "mend, message",
    [
        (lambda v: v * np.nan, "not finite numbers"),
        (lambda v: v.T, "shape"),
        (lambda v: v[:-1], "shape"),
        (lambda v: v[0], "shape"),
        (lambda v: np.zeros((len(v), 0)), "shape"),
    ],
)
def test_an_embedder_that_returns_unusable_vectors_is_named_before_anything_is_written(fake_settings, mend, message):
    with pytest.raises(ModelLoadError, match=f"fake-embedder.*{message}"):
        build_index(fake_settings, Broken(mend))
    assert not fake_settings.index_dir.exists()


def test_building_a_missing_index_is_no_warning_to_build_it(fake_settings, caplog):
    """ui.py and `rag serve` logged "WARNING … no index; build it with `rag index`"
    while building it themselves."""
    import logging

    from rag.store import ensure_index

    with caplog.at_level(logging.INFO, logger="rag.store.build"):
        ensure_index(fake_settings, FakeEmbedder())
    assert "building it" in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_a_long_article_shows_its_passages_being_embedded(tmp_path, capsys):
    """One long article is one step of the article bar: a 20 MB article left it at 0/1
    for twenty minutes. The passages embedded so far are shown beside it."""
    from rag.config import Settings
    from rag.store import build_index

    from .conftest import FakeEmbedder

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    paragraphs = [f"The council met for session {n} and approved {n} new street lights." for n in range(600)]
    (seeds / "long.txt").write_text("Council sessions\n\n" + "\n\n".join(paragraphs), "utf-8")
    settings = Settings(seeds_dir=seeds, index_dir=tmp_path / "ix", embedder="fake-embedder")
    _, stats = build_index(settings, FakeEmbedder(), progress=True)
    assert stats["embedded"] == stats["chunks"] > 64
    err = capsys.readouterr().err
    assert "64 passages embedded" in err and f"{stats['embedded']} passages embedded" in err


def test_an_index_whose_articles_are_all_gone_says_what_to_do(tmp_path):
    """ "Rebuild it with `rag index`" sent the reader into "no usable articles"."""
    import pytest

    from rag.config import Settings
    from rag.errors import IndexStaleError
    from rag.store import build_index, open_current, read_manifest

    from .conftest import FakeEmbedder

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "story.txt").write_text("Bridge closes\n\nThe old bridge closed on Friday for repairs.\n", "utf-8")
    settings = Settings(seeds_dir=seeds, index_dir=tmp_path / "ix", embedder="fake-embedder")
    build_index(settings, FakeEmbedder())
    (seeds / "story.txt").unlink()
    with pytest.raises(IndexStaleError, match="holds no usable article now: put the articles back"):
        open_current(settings, read_manifest(settings.index_dir))
