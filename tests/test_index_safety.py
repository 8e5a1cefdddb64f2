"""The index path is never a licence to delete: only an index of ours or an empty folder is
replaced (issue 9's data-loss cases, each through the library and the CLI)."""

import os

import pytest

from rag.errors import IndexWriteError
from rag.store import FaissStore as Index
from rag.store import build_index, remove_leftovers

from .conftest import FakeEmbedder


def _cli(monkeypatch, *args: str) -> int:
    """``rag index`` with the fake embedder (the CLI path, not a re-implementation)."""
    import rag.models
    from rag.cli import main

    monkeypatch.setattr(rag.models, "load_embedder", lambda name, threads: FakeEmbedder())
    monkeypatch.setenv("RAG_EMBEDDER", "fake-embedder")
    return main(["index", *args])


def test_a_folder_of_other_files_is_refused_and_kept(fake_settings, tmp_path, monkeypatch, capsys):
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "notes.txt").write_text("my notes")
    (victim / "thesis.docx").write_bytes(b"PK\x03\x04 thesis")
    with pytest.raises(IndexWriteError, match="victim"):
        build_index(fake_settings.with_overrides(index_dir=victim), FakeEmbedder())
    assert _cli(monkeypatch, "--seeds", str(fake_settings.seeds_dir), "--index", str(victim)) == 1
    assert "victim" in capsys.readouterr().err
    assert sorted(p.name for p in victim.iterdir()) == ["notes.txt", "thesis.docx"]
    assert (victim / "notes.txt").read_text() == "my notes"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".victim-")]


def test_the_articles_folder_is_never_the_index(fake_settings, monkeypatch, capsys):
    seeds = fake_settings.seeds_dir
    before = sorted(p.name for p in seeds.iterdir())
    for index in (seeds, seeds / "idx"):
        assert _cli(monkeypatch, "--seeds", str(seeds), "--index", str(index)) == 1
        assert "overlap" in capsys.readouterr().err
    # the seeds inside the index folder is refused too
    with pytest.raises(IndexWriteError, match="overlap"):
        build_index(fake_settings.with_overrides(index_dir=seeds.parent), FakeEmbedder())
    assert sorted(p.name for p in seeds.iterdir()) == before


def test_a_file_at_the_index_path_is_refused_and_kept(fake_settings, tmp_path, monkeypatch):
    article = tmp_path / "article.txt"
    article.write_text("An article\n\nIt matters.")
    assert _cli(monkeypatch, "--seeds", str(fake_settings.seeds_dir), "--index", str(article)) == 1
    assert article.read_text() == "An article\n\nIt matters."
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".article")] == []


def test_our_own_index_and_an_empty_folder_are_replaced(fake_settings):
    fake_settings.index_dir.mkdir()
    build_index(fake_settings, FakeEmbedder())  # empty folder
    (fake_settings.seeds_dir / "new.txt").write_text("A new article\n\nSomething happened in Lagos today.")
    index, _ = build_index(fake_settings, FakeEmbedder())  # our index
    assert Index.load(fake_settings.index_dir).manifest.documents.keys() == index.manifest.documents.keys()
    # an index folder with a stranger's file in it is no longer ours alone
    (fake_settings.index_dir / "mine.txt").write_text("keep me")
    with pytest.raises(IndexWriteError):
        build_index(fake_settings, FakeEmbedder())
    assert (fake_settings.index_dir / "mine.txt").read_text() == "keep me"


def test_the_checked_in_index_readme_folder_counts_as_ours(fake_settings):
    from rag.config import PROJECT_ROOT

    fake_settings.index_dir.mkdir()
    (fake_settings.index_dir / "README.md").write_text((PROJECT_ROOT / "index" / "README.md").read_text())
    build_index(fake_settings, FakeEmbedder())
    assert (fake_settings.index_dir / "manifest.json").is_file()


def test_leftovers_of_a_killed_write_are_removed_next_time(fake_settings, tmp_path):
    build_index(fake_settings, FakeEmbedder())
    dead_pid = 2**22 + 12345  # above the default pid_max: no such process
    leftover = tmp_path / f".index-new-{dead_pid}-abc123"
    leftover.mkdir()
    (leftover / "chunks.jsonl").write_text("{}\n")
    running = tmp_path / f".index-new-{os.getpid()}-xyz"  # a write in progress: left alone
    running.mkdir()
    foreign = tmp_path / f".index-old-{dead_pid}-1"  # a stranger's file inside: left alone
    foreign.mkdir()
    (foreign / "diary.txt").write_text("private")
    build_index(fake_settings, FakeEmbedder())
    assert not leftover.exists()
    assert running.exists() and (foreign / "diary.txt").exists()
    assert remove_leftovers(fake_settings.index_dir) == []


def test_a_write_killed_between_its_two_renames_leaves_the_previous_index_usable(fake_settings, tmp_path):
    """Killed after setting the old index aside and before moving the new one in: there
    was no index (`rag ask`: "no index"), and the next build deleted the old one as a
    leftover and embedded every article again."""
    from rag.store import open_current

    built, _ = build_index(fake_settings, FakeEmbedder())
    dead_pid = 2**22 + 54321  # above the default pid_max: no such process
    aside = tmp_path / f".index-old-{dead_pid}-{12345}"
    os.replace(fake_settings.index_dir, aside)  # as the killed write left it
    half = tmp_path / f".index-new-{dead_pid}-abc"
    half.mkdir()
    (half / "chunks.jsonl").write_text("{}\n")
    store = open_current(fake_settings)  # the asker finds the previous index put back
    assert store.count() == built.count() and not aside.exists()
    _, stats = build_index(fake_settings, FakeEmbedder())
    assert stats["embedded"] == 0 and not half.exists()  # nothing re-embedded; the half-write gone


def test_a_failed_second_rename_puts_the_previous_index_back(fake_settings, monkeypatch):
    from rag.store import folder as index_folder
    from rag.store.build import open_store

    built, _ = build_index(fake_settings, FakeEmbedder())
    (fake_settings.seeds_dir / "new.txt").write_text("A new article\n\nSomething happened in Lagos today.")
    real = os.replace

    def second_fails(src, dst):  # type: ignore[no-untyped-def]
        if ".index-new-" in str(src):
            raise OSError(28, "No space left on device")
        return real(src, dst)

    monkeypatch.setattr(index_folder.os, "replace", second_fails)
    with pytest.raises(OSError):
        build_index(fake_settings, FakeEmbedder())
    monkeypatch.undo()
    assert open_store(fake_settings).count() == built.count()
