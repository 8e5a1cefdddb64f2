"""The evaluation command end to end, on a file whose cases bring their own documents."""

import json

import pytest

from eval.__main__ import main

pytestmark = pytest.mark.model


def test_eval_runs_a_set_with_its_own_documents(tmp_path, real_pipeline, capsys):
    docs = [{"id": "lagos", "title": "Lagos port reopens",
             "text": "The port of Lagos reopened on Tuesday after three months of repairs, officials said."}]
    cases = [
        {"id": "own-1", "kind": "single", "question": "When did the port of Lagos reopen?", "answers": ["Tuesday"],
         "gold_docs": ["lagos.txt"], "gold_passages": ["reopened on Tuesday"], "documents": docs},
        {"id": "own-2", "kind": "unanswerable", "question": "What is the capital of Australia?", "documents": docs},
    ]
    path = tmp_path / "set.jsonl"
    path.write_text("\n".join(json.dumps(c) for c in cases) + "\n")
    assert main(["--set", str(path), "--out", str(tmp_path / "out")]) == 0
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert report["summary"]["cases"] == 2 and report["summary"]["errors"] == 0
    assert report["summary"]["answerable_accuracy"] == 1.0
    assert report["summary"]["unanswerable_refusal_rate"] == 1.0
    assert report["summary"]["retrieval"]["passage_recall_at_k"] == 1.0
    assert (tmp_path / "out" / "report.png").stat().st_size > 1000
    assert "| answerable accuracy | 100% |" in capsys.readouterr().out


def test_malformed_set_is_exit_2(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text("{not json\n")
    assert main(["--set", str(path), "--out", str(tmp_path / "out")]) == 2
