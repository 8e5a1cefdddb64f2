from rag.cli import EXIT_OK, EXIT_SETUP, EXIT_USAGE, main


def test_ask_without_index_says_run_rag_index(tmp_path, capsys):
    code = main(["ask", "Who?", "--index", str(tmp_path / "none")])
    assert code == EXIT_SETUP
    # The command shown builds the index this command was pointed at.
    assert f"`rag index --index {tmp_path / 'none'}`" in capsys.readouterr().err


def test_ask_empty_question_is_usage_error(tmp_path, capsys):
    code = main(["ask", "   ", "--index", str(tmp_path / "none")])
    assert code == EXIT_USAGE
    assert "Please type a question" in capsys.readouterr().err


def test_index_with_no_articles_fails_cleanly(tmp_path, capsys):
    (tmp_path / "seeds").mkdir()
    code = main(["index", "--seeds", str(tmp_path / "seeds"), "--index", str(tmp_path / "ix")])
    assert code == EXIT_SETUP
    assert "no usable articles" in capsys.readouterr().err


def test_an_answer_stopped_at_its_time_limit_is_an_answer_not_a_usage_error(tmp_path, capsys, monkeypatch):
    """The question was fine; the machine was busy: exit 0 with the message, as the API
    answers 200 (a script retrying on exit 2 would be told its question is bad)."""
    import rag

    message = "This answer took longer than 60 s and was stopped. Please try again."
    stopped = rag.Answer(question="Who?", text=message, refused=True, error=message, reasons=("time limit",))

    class Busy:
        def __init__(self, *args, **kwargs):
            pass

        def answer(self, question, **options):
            return stopped

    monkeypatch.setattr(rag, "Pipeline", Busy)
    assert main(["ask", "Who?", "--index", str(tmp_path / "none")]) == EXIT_OK
    assert "took longer" in capsys.readouterr().out
    assert main(["ask", "--json", "Who?", "--index", str(tmp_path / "none")]) == EXIT_OK


def test_out_of_range_options_are_usage_errors(tmp_path, capsys):
    for bad in ("0", "-5"):
        code = main(["ask", "Who?", "--top-k", bad, "--index", str(tmp_path / "none")])
        assert code == EXIT_USAGE
        assert "top_k must be a whole number from 1 to 50" in capsys.readouterr().err


def test_a_reversed_date_range_is_a_usage_error(tmp_path, capsys):
    code = main(["ask", "Who?", "--since", "2024-05-01", "--until", "2024-04-01", "--index", str(tmp_path / "none")])
    assert code == EXIT_USAGE
    assert "is after" in capsys.readouterr().err


def test_index_status_names_the_skipped_files_and_questions_do_not_repeat_them(tmp_path, capsys, caplog):
    """Skips are named when indexing and by ``rag index --status``; reading the folder
    again to check the index (every question's start) does not warn again."""
    import logging

    from rag.config import Settings
    from rag.ingest import load_corpus
    from rag.store import build_index

    from .conftest import FakeEmbedder

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "story.txt").write_text("Council backs plan\n\nThe council voted for the bike lanes on Monday.\n", "utf-8")
    (seeds / "empty.txt").write_text("   ", encoding="utf-8")
    settings = Settings().with_overrides(seeds_dir=seeds, index_dir=tmp_path / "ix")
    build_index(settings, FakeEmbedder())
    caplog.clear()
    with caplog.at_level(logging.INFO):
        docs, skipped = load_corpus(seeds, warn=False)
    assert [s.path for s in skipped] == ["empty.txt"] and len(docs) == 1
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    code = main(["index", "--status", "--seeds", str(seeds), "--index", str(tmp_path / "ix")])
    out = capsys.readouterr().out
    assert code == 0 and "1 article(s)" in out and "skipped empty.txt: " in out


def test_a_check_interval_or_port_out_of_range_is_a_usage_error(tmp_path, capsys):
    """`rag watch --interval 0` (or negative, NaN) polled in a busy loop and `inf`
    crashed; `rag serve --port 99999` loaded the models, said "Serving", then crashed."""
    import pytest

    for argv in (
        ["watch", "--interval", "0"],
        ["watch", "--interval", "-1"],
        ["watch", "--interval", "nan"],
        ["watch", "--interval", "inf"],
        ["serve", "--port", "99999"],
        ["serve", "--port", "-1"],
        ["milvus-server", "--port", "70000"],
    ):
        with pytest.raises(SystemExit) as exc:
            main([*argv, "--index", str(tmp_path / "none")] if argv[0] != "milvus-server" else argv)
        assert exc.value.code == EXIT_USAGE, argv
        assert "must be" in capsys.readouterr().err, argv


def test_a_setting_in_the_environment_that_is_not_a_number_is_named(tmp_path, capsys, monkeypatch):
    for name, value in (("RAG_THREADS", "abc"), ("RAG_THREADS", "2.5"), ("RAG_MAX_UPLOAD_BYTES", "5MB")):
        monkeypatch.setenv(name, value)
        code = main(["ask", "Who?", "--index", str(tmp_path / "none")])
        assert code == EXIT_USAGE
        assert f"{name}={value!r} must be a whole number" in capsys.readouterr().err
        monkeypatch.delenv(name)


def test_the_number_format_is_one_the_model_can_run_in(tmp_path, capsys, monkeypatch):
    """RAG_DTYPE chooses the language model's number format; a typo is named, not a
    traceback at the first question."""
    from rag.config import Settings

    monkeypatch.setenv("RAG_DTYPE", "float32")
    assert Settings.from_env().dtype == "float32"
    monkeypatch.setenv("RAG_DTYPE", "fp32")
    assert main(["ask", "Who?", "--index", str(tmp_path / "none")]) == EXIT_USAGE
    assert "dtype must be one of auto, mixed, bfloat16, float32 (RAG_DTYPE), not 'fp32'" in capsys.readouterr().err


def test_index_status_says_when_the_index_is_damaged_or_out_of_date(tmp_path, capsys):
    """`rag index --status` used to read the manifest alone and call a cut-short index
    healthy, while every question then failed on it."""
    from rag.config import Settings
    from rag.store import build_index

    from .conftest import FakeEmbedder

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "story.txt").write_text("Council backs plan\n\nThe council voted for the bike lanes on Monday.\n", "utf-8")
    settings = Settings().with_overrides(seeds_dir=seeds, index_dir=tmp_path / "ix")
    build_index(settings, FakeEmbedder())
    status = ["index", "--status", "--seeds", str(seeds), "--index", str(tmp_path / "ix")]
    assert main(status) == 0
    (seeds / "more.txt").write_text("Bridge closes\n\nThe old bridge closed on Friday for repairs.\n", "utf-8")
    assert main(status) == EXIT_SETUP
    err = capsys.readouterr().err
    assert "more.txt" in err
    assert f"rag index --seeds {seeds} --index {tmp_path / 'ix'}" in err  # the fix, for these folders
    # A mistyped --seeds: the index cannot be checked, and says so (it read as current).
    typo = ["index", "--status", "--seeds", str(tmp_path / "seedz"), "--index", str(tmp_path / "ix")]
    assert main(typo) == EXIT_SETUP
    assert f"the articles folder {tmp_path / 'seedz'} does not exist" in capsys.readouterr().err
    chunks = tmp_path / "ix" / "chunks.jsonl"
    chunks.write_bytes(chunks.read_bytes()[:40])
    assert main(status) == EXIT_SETUP and "damaged" in capsys.readouterr().err


def test_serving_on_a_port_in_use_is_said_before_the_models_load(tmp_path, capsys):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code = main(["serve", "--port", str(port), "--index", str(tmp_path / "none")])
    assert code == EXIT_SETUP
    err = capsys.readouterr().err
    assert f"cannot serve on 127.0.0.1:{port}" in err and "choose another --port" in err


def test_milvus_server_beyond_this_machine_needs_insecure(capsys):
    """Milvus Lite has no login: `--host 0.0.0.0` served the index to the network with a
    warning, where the chat and the API refuse without a login or key."""
    assert main(["milvus-server", "--host", "0.0.0.0", "--db", "/nonexistent/m.db"]) == EXIT_USAGE
    assert "--insecure" in capsys.readouterr().err


def test_an_answer_prints_on_a_terminal_that_cannot_show_its_quotes(monkeypatch):
    """An article's curly quotes on an ASCII terminal: UnicodeEncodeError after the answer."""
    import io
    import sys

    out = io.TextIOWrapper(io.BytesIO(), encoding="ascii")
    monkeypatch.setattr(sys, "stdout", out)
    main(["milvus-server", "--host", "0.0.0.0", "--db", "/nonexistent/m.db"])  # reconfigures the streams
    print("“The junta”")  # what cmd_ask prints, after main() set the streams up
    out.flush()
    assert out.buffer.getvalue() == b"?The junta?\n"


def test_watch_on_an_empty_folder_waits_for_articles(tmp_path, capsys, monkeypatch):
    """`rag watch` on a folder with no article yet exited 1; it is there to wait for them."""
    from rag import cli
    from rag.store import Watcher

    from .conftest import FakeEmbedder

    ran = []
    monkeypatch.setattr(cli, "_embedder", lambda settings: FakeEmbedder())
    monkeypatch.setattr(Watcher, "run", lambda self: ran.append(True))  # not the endless loop
    (tmp_path / "seeds").mkdir()
    code = main(["watch", "--seeds", str(tmp_path / "seeds"), "--index", str(tmp_path / "index")])
    assert code == 0 and ran and "the first to arrive will be indexed" in capsys.readouterr().err


def test_a_fix_hint_for_a_command_without_folders_is_left_as_it_is():
    """`rag milvus-server` has no --seeds: its errors ended in an AttributeError."""
    import argparse

    from rag.cli import _with_folders

    assert _with_folders("run `rag index`", argparse.Namespace(command="milvus-server")) == "run `rag index`"
