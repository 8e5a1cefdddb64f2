from rag.cli import EXIT_SETUP, EXIT_USAGE, main


def test_ask_without_index_says_run_rag_index(tmp_path, capsys):
    code = main(["ask", "Who?", "--index", str(tmp_path / "none")])
    assert code == EXIT_SETUP
    assert "rag index" in capsys.readouterr().err


def test_ask_empty_question_is_usage_error(tmp_path, capsys):
    code = main(["ask", "   ", "--index", str(tmp_path / "none")])
    assert code == EXIT_USAGE
    assert "Please type a question" in capsys.readouterr().err


def test_index_with_no_articles_fails_cleanly(tmp_path, capsys):
    (tmp_path / "seeds").mkdir()
    code = main(["index", "--seeds", str(tmp_path / "seeds"), "--index", str(tmp_path / "ix")])
    assert code == EXIT_SETUP
    assert "no usable articles" in capsys.readouterr().err
