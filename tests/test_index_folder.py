"""The index folder and the articles folder under writes that fail: nothing of the
user's is touched, a failed write leaves the index answering, and its message says how
to fix it."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

from rag.errors import CorpusError, IndexWriteError
from rag.store import build_index, open_current, watch
from rag.store import folder as index_folder
from rag.store.manifest import MANIFEST

from .conftest import FakeEmbedder

STORY = "Harbour reopens\n\nThe harbour of Port Elan reopened on Monday after a six-week strike by dock workers.\n"


def test_an_index_location_that_takes_no_files_is_named_before_any_article_is_embedded(fake_settings, monkeypatch):  # type: ignore[no-untyped-def]
    def refused(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(index_folder.tempfile, "mkdtemp", refused)
    emb = FakeEmbedder()
    with pytest.raises(IndexWriteError, match="does not take new files.*Make it writable"):
        build_index(fake_settings, emb)
    assert not emb.calls and not fake_settings.index_dir.exists()


def test_an_old_index_that_cannot_be_deleted_is_a_warning_not_a_failed_build(fake_settings, monkeypatch, caplog):  # type: ignore[no-untyped-def]
    build_index(fake_settings, FakeEmbedder())
    (fake_settings.seeds_dir / "harbour.txt").write_text(STORY, encoding="utf-8")

    def refused(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise PermissionError(13, "Permission denied", str(path))

    with monkeypatch.context() as m:
        m.setattr(index_folder.shutil, "rmtree", refused)
        with caplog.at_level(logging.WARNING, logger="rag.store.folder"):
            store, _ = build_index(fake_settings, FakeEmbedder())
    assert "harbour.txt" in store.manifest.documents
    assert "delete it by hand" in caplog.text
    left = list(fake_settings.index_dir.parent.glob(".index-old-*"))
    assert left  # the set-aside index could not be deleted: it stays, named in the warning
    (fake_settings.seeds_dir / "harbour.txt").unlink()
    store, _ = build_index(fake_settings, FakeEmbedder())  # a later build is not stopped by it
    assert "harbour.txt" not in store.manifest.documents


def test_user_files_named_like_our_temporary_manifest_are_not_ours(fake_settings):  # type: ignore[no-untyped-def]
    build_index(fake_settings, FakeEmbedder())
    assert index_folder.is_our_index(fake_settings.index_dir)
    ours = fake_settings.index_dir / ".manifest-k3x9_a0q.json"  # as mkstemp names a manifest being written
    ours.write_text("{", encoding="utf-8")
    assert index_folder.is_our_index(fake_settings.index_dir)
    ours.unlink()
    mine = fake_settings.index_dir / ".manifest-mine.txt"
    mine.write_text("my notes", encoding="utf-8")
    (fake_settings.seeds_dir / "harbour.txt").write_text(STORY, encoding="utf-8")
    with pytest.raises(IndexWriteError, match="not an index of ours"):
        build_index(fake_settings, FakeEmbedder())
    assert mine.read_text(encoding="utf-8") == "my notes"


def test_a_users_own_manifest_and_files_are_never_overwritten(fake_settings):  # type: ignore[no-untyped-def]
    """A web app's manifest.json (with a chunks.jsonl of the user's) read as ours: the
    index was written over them."""
    folder = fake_settings.index_dir
    folder.mkdir()
    (folder / MANIFEST).write_text('{"name": "My PWA"}', encoding="utf-8")
    (folder / "chunks.jsonl").write_text('{"mine": 1}\n', encoding="utf-8")
    assert not index_folder.is_our_index(folder)
    with pytest.raises(IndexWriteError, match=r"manifest.json \(not our manifest\).*Move them out"):
        build_index(fake_settings, FakeEmbedder())
    assert (folder / MANIFEST).read_text(encoding="utf-8") == '{"name": "My PWA"}'
    assert (folder / "chunks.jsonl").read_text(encoding="utf-8") == '{"mine": 1}\n'


def test_the_refusal_names_the_files_that_are_not_ours(fake_settings):  # type: ignore[no-untyped-def]
    build_index(fake_settings, FakeEmbedder())
    (fake_settings.index_dir / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(IndexWriteError, match=r"\(notes.txt\)"):
        build_index(fake_settings, FakeEmbedder())
    assert (fake_settings.index_dir / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_an_index_whose_manifest_was_deleted_is_rebuilt_not_refused(fake_settings):  # type: ignore[no-untyped-def]
    build_index(fake_settings, FakeEmbedder())
    (fake_settings.index_dir / MANIFEST).unlink()
    store, _ = build_index(fake_settings, FakeEmbedder())
    assert store.manifest.documents and open_current(fake_settings).manifest.documents


def test_a_failed_add_takes_its_copies_out_so_the_index_still_answers(fake_settings, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    build_index(fake_settings, FakeEmbedder())
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    new = incoming / "harbour.txt"
    new.write_text(STORY, encoding="utf-8")
    (incoming / "harbour.txt.meta.json").write_text('{"source": "Elan Post"}', encoding="utf-8")
    already = next(fake_settings.seeds_dir.glob("*.txt"))
    shutil.copyfile(already, incoming / already.name)  # the same article, already there

    def full_disk(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(watch, "build_index", full_disk)
    with pytest.raises(OSError, match="No space"):
        watch.add_files(fake_settings, FakeEmbedder(), [new, incoming / already.name])
    assert not (fake_settings.seeds_dir / "harbour.txt").exists()
    assert not (fake_settings.seeds_dir / "harbour.txt.meta.json").exists()
    assert already.exists()  # what was there before stays
    open_current(fake_settings)  # the index still matches the folder: questions are answered


def test_adding_an_article_never_overwrites_its_metadata_file(fake_settings, tmp_path):  # type: ignore[no-untyped-def]
    article = next(fake_settings.seeds_dir.glob("*.txt"))
    meta = article.with_name(article.name + ".meta.json")
    meta.write_text('{"title": "My curated title"}', encoding="utf-8")
    build_index(fake_settings, FakeEmbedder())
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    shutil.copyfile(article, incoming / article.name)
    (incoming / meta.name).write_text('{"title": "Another title"}', encoding="utf-8")
    with pytest.raises(CorpusError, match="already exists with other content"):
        watch.add_files(fake_settings, FakeEmbedder(), [incoming / article.name])
    assert meta.read_text(encoding="utf-8") == '{"title": "My curated title"}'


def test_an_unwritable_index_folder_is_refused_before_work_and_the_old_one_answers(fake_settings, monkeypatch):  # type: ignore[no-untyped-def]
    build_index(fake_settings, FakeEmbedder())
    real = index_folder.tempfile.mkdtemp
    index_dir = fake_settings.index_dir

    def only_beside(*args, dir=None, **kwargs):  # type: ignore[no-untyped-def]
        if Path(dir) == index_dir:
            raise PermissionError(13, "Permission denied")
        return real(*args, dir=dir, **kwargs)

    monkeypatch.setattr(index_folder.tempfile, "mkdtemp", only_beside)
    (fake_settings.seeds_dir / "harbour.txt").write_text(STORY, encoding="utf-8")
    emb = FakeEmbedder()
    with pytest.raises(IndexWriteError, match=f"{index_dir.name} does not take new files"):
        build_index(fake_settings, emb)
    assert not emb.calls
    (fake_settings.seeds_dir / "harbour.txt").unlink()
    open_current(fake_settings)


def test_an_index_path_that_is_a_link_names_the_folder_to_give(fake_settings, tmp_path):  # type: ignore[no-untyped-def]
    build_index(fake_settings, FakeEmbedder())
    link = tmp_path / "index-link"
    link.symlink_to(fake_settings.index_dir)
    linked = fake_settings.with_overrides(index_dir=link)
    with pytest.raises(IndexWriteError, match=f"is a link.*{fake_settings.index_dir}"):
        build_index(linked, FakeEmbedder())
    assert link.is_symlink() and (fake_settings.index_dir / MANIFEST).is_file()


def test_a_copy_cut_short_by_a_full_disk_leaves_no_stray_file(tmp_path, monkeypatch):
    import errno
    import shutil

    from rag.store import watch

    src, dst = tmp_path / "story.txt", tmp_path / "seeds" / "story.txt"
    src.write_text("Story\n\nText.\n")
    dst.parent.mkdir()

    def full(a, b):  # type: ignore[no-untyped-def]
        open(b, "w").close()  # part of the file was written
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(shutil, "copyfile", full)
    with pytest.raises(OSError):
        watch._copy_atomic(src, dst)
    assert list(dst.parent.iterdir()) == []
