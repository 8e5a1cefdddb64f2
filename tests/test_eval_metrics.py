"""The evaluation metrics on hand-made predictions (no model)."""

import json
from dataclasses import replace

import pytest

from eval.__main__ import CaseError, load_cases, markdown, select_cases
from eval.metrics import (
    Prediction,
    contains,
    is_correct,
    normalize,
    percentile,
    split_of,
    summarize,
    summarize_by_split,
    token_f1,
)

ART = {"a.txt": "Intro. The equipment arrived with 100 Russian instructors. Germany runs an airbase in Niamey."}
CASES = [
    {
        "id": "q1",
        "kind": "single",
        "question": "How many?",
        "answers": ["100"],
        "gold_docs": ["a.txt"],
        "gold_passages": ["100 Russian instructors"],
    },
    {
        "id": "q2",
        "kind": "conflict",
        "question": "Name?",
        "answers": [],
        "gold_docs": ["a.txt"],
        "gold_passages": ["Germany runs"],
        "require_all": [["Tiani"], ["Tchiani"]],
    },
    {"id": "u1", "kind": "unanswerable", "question": "Capital of Australia?"},
    {"id": "u2", "kind": "unanswerable", "question": "Boiling point?"},
]
GOLD_HIT = ("a.txt", 7, 60)  # overlaps "100 Russian instructors"
OTHER_HIT = ("b.txt", 0, 10)


def pred(case_id, kind, answer="", refused=False, hits=(), support=(), sentences=(), total=1.0, first=0.5, **kw):
    return Prediction(
        case_id,
        kind,
        answer,
        refused,
        hits=hits,
        citation_support=support,
        sentence_citations=sentences,
        total_s=total,
        first_token_s=first,
        **kw,
    )


def perfect():
    return [
        pred(
            "q1",
            "single",
            "100 instructors came [1].",
            hits=(GOLD_HIT,),
            support=((0, 1, True),),
            sentences=((1,),),
            n_citations=1,
            final_markers=(1,),
            draft_markers=(1,),
            n_passages=1,
        ),
        pred(
            "q2",
            "conflict",
            "CNN says Tiani [1]; DW says Tchiani [2].",
            hits=(("a.txt", 60, 90),),
            support=((0, 1, True), (0, 2, True)),
            sentences=((1, 2),),
            n_citations=2,
            final_markers=(1, 2),
            draft_markers=(1, 2),
            n_passages=2,
        ),
        pred("u1", "unanswerable", "The articles don't say.", refused=True, first=None),
        pred("u2", "unanswerable", "The articles don't say.", refused=True, first=None),
    ]


def test_perfect_predictions():
    s = summarize(CASES, perfect(), ART)
    assert s["answerable_accuracy"] == 1.0
    assert s["unanswerable_refusal_rate"] == 1.0
    assert s["false_refusal_rate"] == 0.0
    assert s["overall_accuracy"] == 1.0
    assert s["retrieval"]["doc_recall_at_k"] == 1.0
    assert s["retrieval"]["passage_recall_at_k"] == 1.0 and s["retrieval"]["passage_mrr"] == 1.0
    assert s["citations"]["precision"] == 1.0 and s["citations"]["recall"] == 1.0
    assert s["citations"]["final_in_range"] == 1.0
    assert s["per_kind"]["single"]["accuracy"] == 1.0 and s["per_kind"]["unanswerable"]["n"] == 2


def test_all_wrong_predictions():
    preds = [
        pred(
            "q1",
            "single",
            "500 instructors [3].",
            hits=(OTHER_HIT,),
            support=((0, 3, False),),
            sentences=((3,),),
            n_citations=1,
            final_markers=(3,),
            draft_markers=(7,),
            n_passages=4,
        ),
        pred(
            "q2",
            "conflict",
            "Only Tiani [1].",
            hits=(OTHER_HIT,),
            support=((0, 1, False),),
            sentences=((1,),),
            n_citations=1,
            final_markers=(1,),
            n_passages=4,
        ),
        pred("u1", "unanswerable", "Canberra [1]."),
        pred("u2", "unanswerable", "100 degrees [1]."),
    ]
    s = summarize(CASES, preds, ART)
    assert s["answerable_accuracy"] == 0.0
    assert s["unanswerable_refusal_rate"] == 0.0
    assert s["overall_accuracy"] == 0.0
    assert s["retrieval"]["doc_recall_at_k"] == 0.0 and s["retrieval"]["doc_mrr"] == 0.0
    assert s["citations"]["precision"] == 0.0 and s["citations"]["recall"] == 0.0
    assert s["citations"]["final_in_range"] == 0.5  # [3] with one source listed is out of range
    assert s["citations"]["draft_in_range"] == 0.0  # [7] of 4 passages


def test_all_refused_predictions():
    preds = [pred(c["id"], c["kind"], "The articles don't say.", refused=True, first=None) for c in CASES]
    s = summarize(CASES, preds, ART)
    assert s["answerable_accuracy"] == 0.0
    assert s["false_refusal_rate"] == 1.0
    assert s["unanswerable_refusal_rate"] == 1.0
    assert s["overall_accuracy"] == 0.5
    assert s["latency"]["first_token_p50_s"] is None
    assert s["citations"]["recall"] is None  # no answered sentences to measure


def test_citation_figures_without_the_judge_are_unknown_not_zero():
    unjudged = [replace(p, citation_support=()) for p in perfect()]
    c = summarize(CASES, unjudged, ART)["citations"]
    assert c["precision"] is None and c["recall"] is None and c["judged_pairs"] == 0
    # An answer sentence with no citation at all is unsupported, judge or not.
    uncited = [pred("q1", "single", "100 instructors came.", sentences=((),))]
    assert summarize(CASES[:1], uncited, ART)["citations"]["recall"] == 0.0


def test_conflict_needs_every_version():
    case = CASES[1]
    assert not is_correct(case, pred("q2", "conflict", "The leader is Tiani."))
    assert is_correct(case, pred("q2", "conflict", "CNN: Tiani; DW: Tchiani."))


def test_normalized_containment_and_f1():
    assert contains("About 1,100 US troops [2].", "1100")
    assert contains("It cost $100 million.", "100 million")
    assert not contains("It cost $1000 million.", "100 million")
    assert normalize("Niger’s Tchiani [1].") == "niger s tchiani"
    # A date is the same date either way round; "may" the verb and "March 3 million" are no dates.
    assert contains("It will launch on November 14, 2025 [1].", "14 November 2025")
    assert contains("The runoff is on 23 March.", "March 23")
    assert contains("Polls close Sept. 3rd.", "3 Sept")
    assert not contains("It will launch on November 14, 2025.", "14 October")
    assert contains("Up to 10 officers may 10 days later", "may 10 days")
    assert not contains("It sold March 3 million copies.", "3 March")
    assert token_f1("Germany [1].", ["Germany"]) == 1.0
    assert token_f1("France", ["Germany"]) == 0.0
    assert 0 < token_f1("Germany operates an airbase", ["Germany"]) < 1


def test_percentile():
    assert percentile([3, 1, 2], 50) == 2
    assert percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95) == 10
    assert percentile([], 50) is None


def test_load_cases_checks_format(tmp_path):
    good = tmp_path / "ok.jsonl"
    good.write_text(json.dumps(CASES[0]) + "\n\n# comment\n" + json.dumps(CASES[2]) + "\n")
    assert [c["id"] for c in load_cases(good)] == ["q1", "u1"]
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"id": "x", "kind": "weird", "question": "?"}) + "\n")
    with pytest.raises(CaseError, match="kind"):
        load_cases(bad)


@pytest.mark.parametrize(
    "content, error",
    [
        (b"[1, 2]\n", "not a JSON object"),
        (b'"q1"\n', "not a JSON object"),
        (b"[" * 100_000 + b"]" * 100_000 + b"\n", "not JSON"),
        ('{"id": "q", "kind": "single", "question": "Who won?", "answers": ["Sch\u00f6n"]}'.encode("latin-1"), "UTF-8"),
        (b'{"id": "q", "kind": "single", "question": "Who?", "answers": [3]}\n', "answers"),
        (b'{"id": "q", "kind": "single", "question": "Who?", "answers": {"a": 1}}\n', "answers"),
        (b'{"id": "q", "kind": "single", "question": "Who?", "require_all": [[1]]}\n', "require_all"),
        (b'{"id": "q", "kind": "multi_turn", "question": "And then?", "history": [{"q": 1}]}\n', "history"),
        (b'{"id": "q", "kind": "single", "question": "Who?", "documents": [{"id": "a"}]}\n', "documents"),
        (b'{"id": "q", "kind": "single", "question": "Who?", "gold_docs": "a.txt", "corpus": 3}\n', "corpus"),
    ],
)
def test_a_malformed_case_file_is_named_with_its_line_not_a_traceback(tmp_path, content, error):
    path = tmp_path / "set.jsonl"
    path.write_bytes(content)
    with pytest.raises(CaseError, match=error):
        load_cases(path)


def test_a_single_answer_written_as_a_string_is_one_answer_not_its_letters(tmp_path):
    """``"answers": "Germany"`` means the one answer "Germany": scored letter by letter,
    any answer holding a "G" would count as right."""
    path = tmp_path / "set.jsonl"
    case = {"id": "q", "kind": "single", "question": "Who won?", "answers": "Germany"}
    case |= {"require_all": ["1990", ["Brehme", "Andreas Brehme"]], "history": "Who played?"}
    path.write_text(json.dumps(case) + "\n")
    (loaded,) = load_cases(path)
    assert loaded["answers"] == ["Germany"] and loaded["history"] == ["Who played?"]
    assert loaded["require_all"] == [["1990"], ["Brehme", "Andreas Brehme"]]
    wrong = Prediction("q", "single", "Argentina won in 1990; Brehme scored.", False)
    right = Prediction("q", "single", "Germany won in 1990; Brehme scored.", False)
    assert not is_correct(loaded, wrong) and is_correct(loaded, right)


def test_the_bundled_sets_are_well_formed():
    from rag.config import PROJECT_ROOT

    cases = load_cases(PROJECT_ROOT / "eval" / "cases.jsonl")
    assert len(cases) >= 40
    assert {"single", "both", "conflict", "unanswerable", "false_premise", "multi_turn"} <= {c["kind"] for c in cases}
    dev = load_cases(PROJECT_ROOT / "eval" / "dev.jsonl")
    assert not {c["question"] for c in cases} & {c["question"] for c in dev}, "dev and eval sets overlap"
    seeds = {p.name: p.read_text(encoding="utf-8") for p in (PROJECT_ROOT / "seeds").glob("*.txt")}
    for c in cases + dev:
        for e in c.get("gold_passages", []):
            assert any(e in seeds[d] for d in c["gold_docs"]), (c["id"], e)


def test_markdown_report_renders():
    s = summarize(CASES, perfect(), ART)
    md = markdown(s, {"set": "x", "commit": "abc", "machine": "m", "date": "d"})
    assert "| answerable accuracy | 100% |" in md and "| conflict | 1 |" in md
    assert "| retrieval recall@1 (article / gold passage) | 100% / 100% |" in md


def test_recall_label_shows_a_range_when_some_questions_get_an_extra_passage():
    preds = perfect()
    preds[1] = replace(preds[1], hits=preds[1].hits * 2)
    s = summarize(CASES, preds, ART)
    assert (s["retrieval"]["k_min"], s["retrieval"]["k"]) == (1, 2)
    assert "| retrieval recall@1-2 (article / gold passage) |" in markdown(
        s, {"set": "x", "commit": "abc", "machine": "m", "date": "d"}
    )


# -- tune / holdout halves ----------------------------------------------------------------
META = {"set": "x", "commit": "abc", "machine": "m", "date": "d"}


def test_split_of_is_pinned():
    # Fixed forever: if one of these changes, every tune / holdout figure reported so far is void.
    assert [split_of(i) for i in ("q1", "q2", "u1", "u2")] == ["holdout", "tune", "holdout", "tune"]
    assert split_of("cnn-instructors") == "tune" and split_of("cnn-ria-purpose") == "holdout"
    assert split_of("café-1") == "holdout"  # sha256 of the UTF-8 bytes


def test_split_of_is_deterministic_and_roughly_balanced():
    ids = [f"case-{i}" for i in range(200)]
    halves = [split_of(i) for i in ids]
    assert halves == [split_of(i) for i in ids]
    assert set(halves) == {"tune", "holdout"}
    assert 70 <= halves.count("tune") <= 130


def mixed():
    """Right on the holdout half (q1, u1), wrong on the tune half (q2, u2)."""
    p = perfect()
    return [
        p[0],
        replace(p[1], answer="Only Tiani [1].", hits=(OTHER_HIT,)),
        p[2],
        replace(p[3], answer="100 degrees.", refused=False),
    ]


def test_summary_has_the_same_figures_for_each_half():
    s = summarize_by_split(CASES, mixed(), ART)
    assert {k: v for k, v in s.items() if k != "splits"} == summarize(CASES, mixed(), ART)  # overall unchanged
    tune, holdout = s["splits"]["tune"], s["splits"]["holdout"]
    assert (s["cases"], tune["cases"], holdout["cases"]) == (4, 2, 2)
    assert (s["answerable_accuracy"], tune["answerable_accuracy"], holdout["answerable_accuracy"]) == (0.5, 0.0, 1.0)
    assert (
        s["unanswerable_refusal_rate"],
        tune["unanswerable_refusal_rate"],
        holdout["unanswerable_refusal_rate"],
    ) == (0.5, 0.0, 1.0)
    assert tune["per_kind"].keys() == {"conflict", "unanswerable"} and holdout["per_kind"].keys() == {
        "single",
        "unanswerable",
    }
    assert holdout["retrieval"]["passage_recall_at_k"] == 1.0


def test_markdown_report_shows_each_half():
    md = markdown(summarize_by_split(CASES, mixed(), ART), META)
    assert "| answerable accuracy | 50% |" in md  # the overall table as before
    assert "| metric, by half | all | tune | holdout |" in md
    assert "| cases (answerable / unanswerable) | 4 (2 / 2) | 2 (1 / 1) | 2 (1 / 1) |" in md
    assert "| answerable accuracy | 50% | 0% | 100% |" in md
    assert "| unanswerable correctly refused | 50% | 0% | 100% |" in md
    assert "| answerable wrongly refused | 0% | 0% | 0% |" in md
    assert "| retrieval recall@1 (article / gold passage) | 50% / 50% | 0% / 0% | 100% / 100% |" in md
    # A report without halves (an old summary) renders as before.
    assert "by half" not in markdown(summarize(CASES, mixed(), ART), META)


def test_one_half_run():
    tune = select_cases(CASES, "tune")
    assert [c["id"] for c in tune] == ["q2", "u2"]
    assert [c["id"] for c in select_cases(CASES, "holdout", limit=1)] == ["q1"]
    assert select_cases(CASES, "all") == CASES and select_cases(CASES, "all", limit=3) == CASES[:3]
    s = summarize_by_split(tune, [p for p in mixed() if p.case_id in {"q2", "u2"}], ART)
    assert s["cases"] == 2 and s["splits"]["holdout"]["cases"] == 0
    md = markdown(s, {**META, "split": "tune"})
    assert "2 cases (tune half only), commit abc" in md and "by half" not in md


def test_the_snippet_sets_state_every_answer_in_a_gold_document():
    """A short-snippet case is only a test of the system if its answer is there to find:
    every answerable case's answer stands in one of its gold documents, and an unanswerable
    case names none."""
    from rag.config import PROJECT_ROOT

    for name in ("snippets.jsonl", "snippets2.jsonl", "plans.jsonl"):
        for c in load_cases(PROJECT_ROOT / "eval" / name):
            docs = {d["id"] + ".txt": d["text"].lower() for d in c["documents"]}
            assert len(docs) == 5, c["id"]
            if c["kind"] == "unanswerable":
                assert not c["answers"] and not c.get("gold_docs"), c["id"]
            else:
                assert any(a.lower() in docs[g] for a in c["answers"] for g in c["gold_docs"]), c["id"]


def test_the_reading_snapshot_names_each_document_and_finds_a_change(tmp_path):  # type: ignore[no-untyped-def]
    """``python -m eval.reading``: what a change to the readers does to every evaluation
    document, before it is taken."""
    import json

    from eval.reading import snapshot

    case = {"id": "c1", "kind": "single", "question": "Q?", "answers": ["x"]}
    docs = [{"id": "doc1", "title": "Storm hits coast", "text": "Source: Coast Post\n\nA storm hit the coast."}]
    path = tmp_path / "set.jsonl"
    path.write_text(json.dumps({**case, "documents": docs}) + "\n", encoding="utf-8")
    before = snapshot([path])
    assert before["set-c1/doc1.txt"][:2] == ["Storm hits coast", "Coast Post"]
    docs[0]["text"] = "Source: Coast Post\n\nA storm hit the coast on Monday."
    path.write_text(json.dumps({**case, "documents": docs}) + "\n", encoding="utf-8")
    after = snapshot([path])
    assert after["set-c1/doc1.txt"][3] != before["set-c1/doc1.txt"][3]
    assert {k: v for k, v in after.items() if k != "set-c1/doc1.txt"} == {
        k: v for k, v in before.items() if k != "set-c1/doc1.txt"
    }


@pytest.mark.parametrize(
    "args, said",
    [
        (["--limit", "0"], "--limit must be 1 or more"),  # ran the whole set
        (["--option", "top_k=0"], "top_k must be a whole number"),  # ran, every case refused
        (["--top-k", "0"], "top_k must be a whole number"),  # silently the default
        (["--option", "answerable_threshold=nan"], "answerable_threshold must be a number"),
    ],
)
def test_eval_refuses_options_out_of_range_before_it_runs(args, said, capsys):
    from eval.__main__ import main

    with pytest.raises(SystemExit) as exit_:
        main(["--no-judge", *args])
    assert exit_.value.code == 2 and said in capsys.readouterr().err


def test_eval_names_a_report_folder_it_cannot_write_before_it_runs(tmp_path, capsys):
    from eval.__main__ import main

    blocked = tmp_path / "file"
    blocked.write_text("x")
    assert main(["--no-judge", "--out", str(blocked / "results")]) == 2
    assert "cannot write the report" in capsys.readouterr().err


def test_eval_reading_says_what_is_wrong_with_a_snapshot(tmp_path, capsys):
    from eval.reading import main

    assert main(["--against", str(tmp_path / "missing.json")]) == 2  # was a traceback, exit 1 ("changed")
    (tmp_path / "list.json").write_text("[1]")
    assert main(["--against", str(tmp_path / "list.json")]) == 2
    assert "not a snapshot" in capsys.readouterr().err


@pytest.mark.parametrize(
    "extra, said",
    [
        ({"documents": []}, "non-empty list"),  # was answered from the project's own seeds/
        ({"documents": [{"id": "a", "title": "T", "text": "  "}]}, "each with a text"),
        ({"corpus": "no-such-folder"}, "no folder beside the set file"),  # stopped the run at that case
    ],
)
def test_a_case_without_articles_is_named_when_the_set_is_read(tmp_path, extra, said):
    case = {"id": "c1", "kind": "single", "question": "Who?", "answers": ["X"], **extra}
    (tmp_path / "set.jsonl").write_text(json.dumps(case) + "\n")
    with pytest.raises(CaseError, match=f"set.jsonl:1: .*{said}"):
        load_cases(tmp_path / "set.jsonl")
