"""A damaged index is named when it opens and healed by ``rag index``: every file of the
FAISS folder garbled, truncated and removed, and the manifest broken (fake embedder)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rag.config import Settings
from rag.errors import IndexCorruptError
from rag.store import FaissStore, build_index, open_store
from rag.store.manifest import read_manifest

from .conftest import SEEDS, FakeEmbedder


@pytest.fixture(scope="module")
def built(tmp_path_factory):  # type: ignore[no-untyped-def]
    base = tmp_path_factory.mktemp("heal")
    shutil.copytree(SEEDS, base / "seeds")
    settings = Settings(seeds_dir=base / "seeds", index_dir=base / "index", embedder="fake-embedder")
    build_index(settings, FakeEmbedder())
    return settings


def garble(path: Path) -> None:
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 200] = bytes((b ^ 0x5A) for b in data[middle : middle + 200])
    path.write_bytes(bytes(data))


def truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


DAMAGE = {"garbled": garble, "truncated": truncate, "removed": Path.unlink}


def _copy(built: Settings, tmp_path: Path) -> Settings:
    shutil.copytree(built.index_dir, tmp_path / "index")
    return built.with_overrides(index_dir=tmp_path / "index")


def _files(built: Settings) -> list[str]:
    return sorted(read_manifest(built.index_dir).files)


def test_the_manifest_records_every_index_file(built):
    files = _files(built)
    assert {"chunks.jsonl", "vectors.faiss", "terms.txt"} <= set(files)
    assert any(f.startswith("bm25/") for f in files)


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_each_damaged_file_is_named_at_open_and_rag_index_heals_it(built, tmp_path, damage):
    for name in _files(built):
        settings = _copy(built, tmp_path / f"{damage}-{name.replace('/', '_')}")
        DAMAGE[damage](settings.index_dir / name)
        with pytest.raises(IndexCorruptError, match=name.replace(".", r"\.")) as err:
            open_store(settings)
        assert "rag index" in str(err.value)
        embedder = FakeEmbedder()
        store, stats = build_index(settings, embedder)
        # Rebuilt, and the vectors reused when the passages and vectors were intact.
        assert isinstance(open_store(settings), FaissStore) and open_store(settings).count() == store.count()
        embedded = sum(embedder.calls)
        if name in ("chunks.jsonl", "vectors.faiss"):
            assert embedded == store.count(), name
        else:
            assert embedded == 0, name


@pytest.mark.parametrize("content", [b"", b'{"format_version": 8, "embed', b"\x00\x17garbage\xff" * 20])
def test_a_broken_manifest_is_ours_and_rag_index_rebuilds(built, tmp_path, content):
    settings = _copy(built, tmp_path)
    (settings.index_dir / "manifest.json").write_bytes(content)
    with pytest.raises(IndexCorruptError, match="rag index"):
        open_store(settings)
    store, _ = build_index(settings, FakeEmbedder())
    assert open_store(settings).count() == store.count() > 0


def test_a_manifest_with_a_field_name_damaged_says_which_and_rag_index_rebuilds(built, tmp_path):
    """It said "Manifest.__init__() got an unexpected keyword argument 'formaXXrsion'"."""
    settings = _copy(built, tmp_path)
    path = settings.index_dir / "manifest.json"
    path.write_text(path.read_text(encoding="utf-8").replace('"format_version"', '"formaXXrsion"'), encoding="utf-8")
    with pytest.raises(
        IndexCorruptError, match=r"unreadable \(fields this version does not write: formaXXrsion\); rebuild"
    ):
        open_store(settings)
    store, _ = build_index(settings, FakeEmbedder())
    assert open_store(settings).count() == store.count() > 0


def test_a_folder_with_a_file_of_someone_else_is_still_refused(built, tmp_path):
    from rag.errors import IndexWriteError

    settings = _copy(built, tmp_path)
    (settings.index_dir / "manifest.json").write_bytes(b"")
    (settings.index_dir / "thesis.docx").write_bytes(b"mine")
    with pytest.raises(IndexWriteError):
        build_index(settings, FakeEmbedder())
    assert (settings.index_dir / "thesis.docx").read_bytes() == b"mine"


def test_a_build_never_dirties_the_checked_out_index_folder(built):
    """index/README.md is tracked in git so the folder exists in a fresh clone; what a
    build writes there must be the tracked text, byte for byte."""
    from rag.config import PROJECT_ROOT

    tracked = (PROJECT_ROOT / "index" / "README.md").read_bytes()
    assert (built.index_dir / "README.md").read_bytes() == tracked


@pytest.mark.parametrize(
    "own",
    [
        {"chunks.jsonl": b'{"my": "data"}\n', "terms.txt": b"my word list"},  # our names, no manifest
        {"README.md": b"# My project\n", "vectors.faiss": b"my vectors"},
        {"bm25/notes.txt": b"mine"},  # an index of ours, with a file of someone else in bm25/
    ],
)
def test_files_that_only_share_our_names_are_never_replaced(built, tmp_path, own):
    """Only a folder with our manifest is an index of ours: a user's files named like
    ours (and a file of theirs inside ``bm25/``) are refused and kept, byte for byte."""
    from rag.errors import IndexWriteError

    settings = _copy(built, tmp_path) if "bm25/notes.txt" in own else built.with_overrides(index_dir=tmp_path / "mine")
    for rel, data in own.items():
        (settings.index_dir / rel).parent.mkdir(parents=True, exist_ok=True)
        (settings.index_dir / rel).write_bytes(data)
    with pytest.raises(IndexWriteError, match="not an index of ours"):
        build_index(settings, FakeEmbedder())
    for rel, data in own.items():
        assert (settings.index_dir / rel).read_bytes() == data


@pytest.mark.parametrize(
    "field,value",
    [("documents", None), ("files", None), ("files", {"chunks.jsonl": 5}), ("flagged", ["a"]), ("chunk_count", "9")],
)
def test_a_manifest_field_of_the_wrong_kind_is_a_damaged_index_that_rag_index_rebuilds(fake_settings, field, value):
    """``"documents": null`` used to give a TypeError from answer() and from build_index,
    so `rag index` could not repair it."""
    import json

    from rag.errors import IndexCorruptError
    from rag.store import build_index, open_store

    from .conftest import FakeEmbedder

    build_index(fake_settings, FakeEmbedder())
    path = fake_settings.index_dir / "manifest.json"
    raw = json.loads(path.read_text("utf-8"))
    count = raw["chunk_count"]
    raw[field] = value
    path.write_text(json.dumps(raw), "utf-8")
    with pytest.raises(IndexCorruptError, match=f"wrong kind of value: {field}.*rag index"):
        open_store(fake_settings)
    build_index(fake_settings, FakeEmbedder())
    assert open_store(fake_settings).count() == count
