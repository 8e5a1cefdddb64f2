"""eval.compare: what a change did to two runs of one set, half by half."""

import json

import pytest

from eval.compare import CompareError, load, main, report
from eval.metrics import split_of


def _ids(half: str, n: int) -> list[str]:
    return [f"case-{i}" for i in range(200) if split_of(f"case-{i}") == half][:n]


TUNE = _ids("tune", 2)
HOLD = _ids("holdout", 1)


def _write(path, answers: dict[str, tuple[str, bool]]) -> None:
    kinds = {TUNE[0]: "single", TUNE[1]: "unanswerable", HOLD[0]: "single"}
    cases = [
        {
            "case": {"id": cid, "kind": kinds[cid], "question": f"Q {cid}?", "answers": ["Pettifer"]},
            "split": split_of(cid),
            "prediction": {
                "case_id": cid,
                "kind": kinds[cid],
                "answer": text,
                "refused": refused,
                "hits": [["a", 0, 9]],
            },
        }
        for cid, (text, refused) in answers.items()
    ]
    path.write_text(json.dumps({"cases": cases}), encoding="utf-8")


@pytest.fixture
def runs(tmp_path):
    before, after = tmp_path / "before.json", tmp_path / "after.json"
    _write(before, {TUNE[0]: ("Osei scored.", False), TUNE[1]: ("Lind.", False), HOLD[0]: ("Pettifer [1].", False)})
    _write(after, {TUNE[0]: ("Pettifer scored [1].", False), TUNE[1]: ("No.", True), HOLD[0]: ("No.", True)})
    return before, after


def test_counts_per_half_and_the_changed_cases(runs):
    lines = report(load(runs[0]), load(runs[1]))
    assert lines[0] == "tune: right 0 -> 1 of 1, wrongly refused 0 -> 0, unanswerable refused 0 -> 1 of 1"
    assert lines[1] == "holdout: right 1 -> 0 of 1, wrongly refused 0 -> 1, unanswerable refused 0 -> 0 of 0"
    assert lines[2] == "3 of 3 answers differ"
    assert f"  tune {TUNE[0]} (answerable): wrong -> right" in lines
    assert f"  holdout {HOLD[0]} (answerable): right -> refused" in lines


def test_show_prints_tune_texts_only(runs, capsys):
    assert main([str(runs[0]), str(runs[1]), "--show"]) == 0
    out = capsys.readouterr().out
    assert "after:  Pettifer scored [1]." in out
    assert f"Q {HOLD[0]}?" not in out  # holdout cases are read in aggregate


def test_an_unreadable_report_says_what_to_give(tmp_path, capsys):
    with pytest.raises(CompareError, match="give a report.json"):
        load(tmp_path / "missing.json")
    assert main([str(tmp_path / "missing.json"), str(tmp_path / "missing.json")]) == 2
    assert "give a report.json" in capsys.readouterr().err
