"""The evaluation command end to end, on a file whose cases bring their own documents."""

import json

import pytest

import eval.__main__ as runner
from eval.__main__ import main
from eval.metrics import Prediction


@pytest.mark.model
def test_eval_runs_a_set_with_its_own_documents(tmp_path, real_pipeline, capsys):
    docs = [
        {
            "id": "lagos",
            "title": "Lagos port reopens",
            "text": "The port of Lagos reopened on Tuesday after three months of repairs, officials said.",
        }
    ]
    cases = [
        {
            "id": "own-1",
            "kind": "single",
            "question": "When did the port of Lagos reopen?",
            "answers": ["Tuesday"],
            "gold_docs": ["lagos.txt"],
            "gold_passages": ["reopened on Tuesday"],
            "documents": docs,
        },
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


class NoModels:
    """Stands in for :class:`rag.Pipeline`: the runner only builds and warms it here."""

    def __init__(self, settings, **_) -> None:  # type: ignore[no-untyped-def]
        self.settings = settings

    def warm_up(self) -> None:
        pass


def test_split_option_runs_one_half_and_every_record_names_its_half(tmp_path, monkeypatch, capsys):
    ran: list[str] = []

    def fake_run_case(pipeline, case, use_judge, options):  # type: ignore[no-untyped-def]
        ran.append(case["id"])
        refused = case["kind"] == "unanswerable"
        return Prediction(case["id"], case["kind"], "I cannot say." if refused else "On Tuesday.", refused)

    monkeypatch.setattr(runner, "Pipeline", NoModels)
    monkeypatch.setattr(runner, "run_case", fake_run_case)
    # q1 and u1 are in the holdout half, q2 and u2 in the tune half (pinned in test_eval_metrics).
    cases = [
        {"id": i, "kind": "unanswerable" if i[0] == "u" else "single", "question": "?", "answers": ["Tuesday"]}
        for i in ("q1", "q2", "u1", "u2")
    ]
    path = tmp_path / "set.jsonl"
    path.write_text("\n".join(json.dumps(c) for c in cases) + "\n")

    assert main(["--set", str(path), "--out", str(tmp_path / "tune"), "--split", "tune", "--no-judge"]) == 0
    assert ran == ["q2", "u2"]
    report = json.loads((tmp_path / "tune" / "report.json").read_text())
    assert report["meta"]["split"] == "tune"
    assert [(r["case"]["id"], r["split"]) for r in report["cases"]] == [("q2", "tune"), ("u2", "tune")]
    assert "2 cases (tune half only)" in capsys.readouterr().out

    ran.clear()
    assert main(["--set", str(path), "--out", str(tmp_path / "all"), "--no-judge"]) == 0
    assert ran == ["q1", "q2", "u1", "u2"]
    report = json.loads((tmp_path / "all" / "report.json").read_text())
    assert [r["split"] for r in report["cases"]] == ["holdout", "tune", "holdout", "tune"]
    summary = report["summary"]
    assert summary["cases"] == 4 and summary["answerable_accuracy"] == 1.0
    assert summary["splits"]["tune"]["cases"] == summary["splits"]["holdout"]["cases"] == 2
    assert "| answerable accuracy | 100% | 100% | 100% |" in (tmp_path / "all" / "report.md").read_text()


def test_split_option_accepts_only_the_halves(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["--set", str(tmp_path / "x.jsonl"), "--split", "train"])
    assert "invalid choice" in capsys.readouterr().err


def test_bench_refuses_sizes_and_stores_it_cannot_run(capsys):
    from eval.bench import main as bench

    for bad in (["--scale", "--sizes", "abc"], ["--scale", "--sizes", "10,0"], ["--scale", "--stores", "faiss,x"]):
        with pytest.raises(SystemExit) as exc:
            bench(bad)
        assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "'abc' is not a comma-separated list" in err and "at least 1" in err and "unknown store faiss, x" in err


def test_per_call_settings_are_read_with_their_types():
    from eval.__main__ import parse_options

    assert parse_options(["top_k=5", "window_passages=0", "support_threshold=0.7"]) == {
        "top_k": 5,
        "window_passages": 0,
        "support_threshold": 0.7,
    }
    for bad in (["embedder=x"], ["top_k"], ["sources=Reuters"], ["top_k=many"]):
        with pytest.raises(ValueError):
            parse_options(bad)


def _report(path, rows):  # type: ignore[no-untyped-def]
    """A report.json as a past run writes it: each case with the p(yes) and draft recorded."""
    cases = [
        {"case": case, "prediction": {"extra": {"answerable": p_yes, "draft": draft}}} for case, p_yes, draft in rows
    ]
    path.write_text(json.dumps({"meta": {}, "summary": {}, "cases": cases}))
    return path


def test_a_replay_answers_each_case_as_the_run_it_reads(tmp_path):
    from eval.replay import Replay, ReplayError, replayable

    q1 = {"id": "q1", "kind": "single", "question": "?"}
    q2 = {"id": "q2", "kind": "single", "question": "?", "history": ["Who?"]}
    q3 = {"id": "q3", "kind": "single", "question": "?"}
    replay = Replay.from_report(_report(tmp_path / "report.json", [(q1, 0.8, "Draft one [1]."), (q2, None, "")]))
    assert replay.probability_yes([]) == 0.0 and "".join(replay.stream([], 10)) == ""  # warm-up: nothing asked
    replay.case = "q1"
    assert replay.probability_yes([]) == 0.8 and "".join(replay.stream([], 10)) == "Draft one [1]."
    # Follow-ups (their earlier turns' drafts are not stored) and cases the run lacks are left out.
    assert replayable([q1, q2, q3], replay) == ([q1], 2)
    (tmp_path / "bad.json").write_text("{}")
    with pytest.raises(ReplayError, match="report.json"):
        Replay.from_report(tmp_path / "bad.json")


def test_a_replay_needs_no_model_judge(tmp_path, capsys):
    path = tmp_path / "set.jsonl"
    path.write_text(json.dumps({"id": "q1", "kind": "single", "question": "?", "answers": ["x"]}) + "\n")
    with pytest.raises(SystemExit):
        main(["--set", str(path), "--replay", str(tmp_path / "report.json")])
    assert "--no-judge" in capsys.readouterr().err


@pytest.mark.model
def test_a_replay_rechecks_recorded_drafts_with_todays_checks(tmp_path, real_pipeline, capsys):
    docs = [
        {
            "id": "harbour",
            "title": "Harbour bridge reopens",
            "text": "The Kelso harbour bridge reopened on Tuesday after 14 weeks of repairs costing 3.2 million pounds.",
        }
    ]
    answerable = {
        "id": "r-1",
        "kind": "single",
        "question": "How long were the repairs to the Kelso harbour bridge?",
        "answers": ["14 weeks"],
        "documents": docs,
    }
    unanswerable = {
        "id": "r-2",
        "kind": "unanswerable",
        "question": "How many cars cross the Kelso harbour bridge each day?",
        "documents": docs,
    }
    report = _report(
        tmp_path / "past.json",
        [
            (answerable, 0.9, "The repairs took 14 weeks [1]."),
            # A figure the passage does not give: today's checks refuse it.
            (unanswerable, 0.9, "About 12,000 cars cross the bridge each day [1]."),
        ],
    )
    path = tmp_path / "set.jsonl"
    path.write_text("\n".join(json.dumps(c) for c in (answerable, unanswerable)) + "\n")
    out = tmp_path / "out"
    assert main(["--set", str(path), "--out", str(out), "--no-judge", "--replay", str(report)]) == 0
    summary = json.loads((out / "report.json").read_text())["summary"]
    assert summary["cases"] == 2 and summary["errors"] == 0
    assert summary["answerable_accuracy"] == 1.0 and summary["unanswerable_refusal_rate"] == 1.0
    assert "Replayed: the drafts of" in (out / "report.md").read_text()
