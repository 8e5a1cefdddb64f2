import re

import pytest

from rag.errors import IndexMissingError, IndexStaleError
from rag.pipeline import MAX_HISTORY_TURNS, Pipeline, normalize_history, validate_question
from rag.prompt import REFUSAL
from rag.question import analyse
from rag.store import build_index
from rag.types import Answer, Chunk

from .conftest import DW, FakeEmbedder, FakeGenerator


@pytest.fixture
def make(fake_settings):
    index, _ = build_index(fake_settings, FakeEmbedder())

    def _make(reply="", p_yes=0.9, **kw):
        gen = FakeGenerator(reply, p_yes)
        return Pipeline(fake_settings, embedder=FakeEmbedder(), generator=gen, index=index, **kw), gen

    return _make


AIRBASE = "Which country besides the US has had a military airbase in Niger's capital?"


@pytest.mark.parametrize("bad", ["", "   \n\t", "\x00\x01\x02", "?!", "x" * 100_000, None, 42])
def test_bad_questions_get_a_message_not_an_exception(make, bad):
    pipeline, gen = make("unused")
    a = pipeline.answer(bad)
    assert isinstance(a, Answer) and a.refused and a.error
    assert a.text == a.error
    assert gen.seen == [], "the model is not called for a bad question"


def test_huge_question_message_states_the_limit(make):
    a = make()[0].answer("why " * 25_000)
    assert "limit is 2,000" in a.text


def test_control_characters_are_stripped_not_fatal():
    assert validate_question("Who\x00 is\x1b Tiani?\u200b", 100) == "Who is Tiani?"


def test_supported_answer_is_cited_and_repointed(make):
    # The model cites passage [3] for a fact that is in another retrieved passage.
    pipeline, _ = make("Germany operates an airbase in the Nigerien capital, Niamey [3].")
    a = pipeline.answer(AIRBASE)
    assert not a.refused
    assert a.text == "Germany operates an airbase in the Nigerien capital, Niamey [1]."
    (c,) = a.citations
    assert c.number == 1 and c.source == DW and "Germany" in c.text
    text = (pipeline.settings.seeds_dir / DW).read_text(encoding="utf-8")
    assert text[c.start : c.end].split() == c.text.split()
    assert a.hits and a.hits[0].score > 0
    assert {"retrieve_s", "gate_s", "generate_s", "total_s"} <= set(a.timings)


def test_low_answerability_refuses_without_generating(make):
    pipeline, gen = make("The capital of Australia is Canberra [1].", p_yes=0.2)
    a = pipeline.answer("What is the capital of Australia?")
    assert a.refused and a.text == REFUSAL and a.citations == ()
    assert len(gen.seen) == 1  # only the yes/no check ran
    assert a.hits, "the closest passages are still offered"


def test_answer_from_memory_is_refused_even_if_the_gate_passes(make):
    pipeline, _ = make("The boiling point of water at sea level is 100 degrees Celsius [1].", p_yes=0.9)
    a = pipeline.answer("What is the boiling point of water at sea level?")
    assert a.refused and a.text == REFUSAL


def test_model_saying_it_does_not_know_is_a_refusal(make):
    pipeline, _ = make("The passages do not mention the number of tanks.")
    assert pipeline.answer("How many tanks?").refused


def test_unsupported_sentence_loses_its_citation(make):
    pipeline, _ = make("Germany operates an airbase in Niamey [1]. Penguins love the Sahara desert heat [2].")
    a = pipeline.answer(AIRBASE)
    assert not a.refused
    assert "Penguins love the Sahara desert heat." in a.text
    assert "heat [" not in a.text and a.unsupported == ("Penguins love the Sahara desert heat.",)


def test_stream_yields_text_then_answer(make):
    pipeline, _ = make("Germany operates an airbase in Niamey [1].")
    items = list(pipeline.stream(AIRBASE))
    assert all(isinstance(i, str) for i in items[:-1]) and isinstance(items[-1], Answer)
    assert "".join(items[:-1]).strip() == "Germany operates an airbase in Niamey [1]."


def test_history_reaches_retrieval_and_prompt(make):
    pipeline, gen = make("Russia is trying to show that it can outpace the US in Africa [1].")
    history = [
        {"role": "user", "content": "Who is Mamadou Thior?"},
        {"role": "assistant", "content": [{"type": "text", "text": "A political analyst [1]."}]},
    ]
    a = pipeline.answer("What did he say Russia is trying to show?", history)
    assert not a.refused
    assert any("Mamadou Thior" in h.chunk.text for h in a.hits)
    prompt = gen.seen[-1][1]["content"]
    assert "User: Who is Mamadou Thior?" in prompt and "Assistant: A political analyst." in prompt


def test_normalize_history_drops_junk():
    assert normalize_history(None) == [] and normalize_history([]) == []
    assert normalize_history([{"role": "system", "content": "x"}, 5, {"role": "user", "content": " hi "}]) == [
        {"role": "user", "content": "hi"}
    ]
    turns = [{"role": "User", "content": "Who runs Niger?"}, {"role": "ASSISTANT", "content": "The junta."}]
    expected = [{"role": "user", "content": "Who runs Niger?"}, {"role": "assistant", "content": "The junta."}]
    assert normalize_history(iter(turns)) == expected  # a generator, roles in any case
    many = ({"role": "user", "content": f"turn {i}"} for i in range(100_000))
    kept = normalize_history(many)
    assert len(kept) == MAX_HISTORY_TURNS and kept[-1]["content"] == "turn 99999"


@pytest.mark.parametrize(
    "history",
    ["Who won the recount?", b"Who won?", {"role": "user", "content": "x"}, 123, [("Who won?", "Hale")], ["Who won?"]],
)
def test_history_that_is_no_list_of_turns_is_an_error_not_ignored(make, history):
    # Ignored, it made a follow-up ("By how many votes?") be answered as if asked alone.
    from rag import InvalidOptionError

    with pytest.raises(InvalidOptionError, match="history must be a list of turns"):
        normalize_history(history)
    pipeline, gen = make("Germany operates an airbase in Niamey [1].")
    a = pipeline.answer("By how many votes?", history)
    assert a.refused and a.error and "history must be a list of turns" in a.text
    assert not gen.seen  # the model was never asked


def test_unknown_option_is_a_type_error(make):
    with pytest.raises(TypeError, match="top_kk"):
        make()[0].answer("q", top_kk=3)


def test_per_call_option(make):
    pipeline, _ = make("Germany operates an airbase in Niamey [1].")
    assert len(pipeline.answer(AIRBASE, top_k=2).hits) == 2


def test_missing_and_stale_index_raise_typed_errors(fake_settings):
    p = Pipeline(fake_settings, embedder=FakeEmbedder(), generator=FakeGenerator())
    # The fix names this pipeline's folders: `rag index` alone rebuilds the project's index.
    folders = f"`rag index --seeds {fake_settings.seeds_dir} --index {fake_settings.index_dir}`"
    with pytest.raises(IndexMissingError, match=re.escape(folders)):
        p.answer("Who?")
    build_index(fake_settings, FakeEmbedder())
    (fake_settings.seeds_dir / "new.txt").write_text("Headline\n\nA new story about Lagos.")
    with pytest.raises(IndexStaleError, match="new.txt") as stale:
        Pipeline(fake_settings, embedder=FakeEmbedder(), generator=FakeGenerator()).answer("Who?")
    assert folders in str(stale.value)


def test_auto_index_builds_when_missing(fake_settings):
    p = Pipeline(fake_settings, embedder=FakeEmbedder(), generator=FakeGenerator("x"), auto_index=True)
    assert p.index.manifest.chunk_count > 0


def test_unmentioned_subject_needs_a_surer_gate(make):
    # "tanks" is in no passage: a gate of 0.7 passes an ordinary question but not this one.
    pipeline, gen = make("Russia sent 100 Russian military instructors [1].", p_yes=0.7)
    assert pipeline.answer("How many tanks did Russia send to Niger?").refused
    assert not pipeline.answer("How many Russian military instructors arrived in Niamey?").refused


def test_other_articles_figure_is_added_with_its_citation(make):
    pipeline, _ = make("There are approximately 648 US military personnel still deployed in Niger [1].")
    a = pipeline.answer("How many US military personnel are in Niger?")
    assert not a.refused
    assert "648" in a.text and "1,000 US military personnel" in a.text
    sources = {c.source for c in a.citations}
    assert sources == {"cnn-russian-weapons-and-trainers-arrive-in-niger.txt", DW}
    assert a.text.count("[") == len(a.citations) == 2


def test_an_answer_about_another_place_is_refused(make):
    # Supported by its passage, but that passage is about Niamey, not Burkina Faso.
    pipeline, _ = make("100 Russian military instructors arrived in Niamey with the equipment [1].")
    a = pipeline.answer("How many Russian soldiers arrived in Burkina Faso?")
    assert a.refused and "100" in a.draft


def test_answer_type_is_judged_on_the_first_supported_sentence(make):
    pipeline, _ = make(
        "A group of Russian soldiers arrived in Burkina Faso [1]. "
        "The equipment arrived in Niamey along with 100 Russian military instructors [2]."
    )
    assert pipeline.answer("How many Russian soldiers arrived in Burkina Faso?").refused


def test_the_checks_get_each_cited_articles_lead(make):
    pipeline, _ = make("")
    later = [c for c in pipeline.index.chunks if c.start > 0]
    from rag.pipeline import _leads

    leads = _leads(pipeline.index, later[:3])
    assert set(leads) == {c.doc_id for c in later[:3]}
    assert all(lead == pipeline.index.passages(doc)[0] for doc, lead in leads.items())


def test_filters_narrow_the_passages_and_bad_dates_are_polite(make):
    from .conftest import CNN

    pipeline, gen = make("Russia sent instructors [1].")
    a = pipeline.answer("How many instructors came with the Russian equipment?", sources=[DW])
    assert a.hits and {h.chunk.doc_id for h in a.hits} == {DW}
    a = pipeline.answer("How many instructors came with the Russian equipment?", sources=[CNN, DW])
    assert {h.chunk.doc_id for h in a.hits} <= {CNN, DW}
    calls = len(gen.seen)
    a = pipeline.answer("How many instructors came?", sources=["No Such Outlet"])
    assert a.refused and not a.hits and "filter" in a.reasons[0] and len(gen.seen) == calls
    a = pipeline.answer("How many instructors came?", since="sometime")
    assert a.refused and a.error and "YYYY-MM-DD" in a.error


def test_warm_up_runs_a_check_that_starts_like_every_prompt(make):
    from rag.prompt import SYSTEM, answer_messages, gate_messages

    pipeline, gen = make()
    pipeline.warm_up()
    assert len(gen.seen) == 1  # one yes/no check, no answer written
    warm = gen.seen[0]
    assert warm[0] == {"role": "system", "content": SYSTEM}
    # The prompt of a real question shares the warm-up's system turn and passage header,
    # which is what the generator's prefix cache keeps.
    real = answer_messages(analyse("Who leads Niger?"), [])
    assert real[0] == warm[0] and warm[1]["content"].startswith("Passages:\n[1] ")
    assert gate_messages(analyse("Who leads Niger?"), [])[0] == warm[0]


def _prefilling_ahead(gen):
    """Give a fake generator the PrefillsAhead capability; returns what it was handed."""
    handed: dict[str, list] = {"then": [], "forgone": []}

    def probability_yes_then(messages, then):
        handed["then"].append(then)
        return gen.probability_yes(messages)

    gen.probability_yes_then = probability_yes_then
    gen.forgo = handed["forgone"].append
    return handed


def test_a_generator_that_prefills_ahead_gets_the_answer_prompt_with_the_check(make):
    pipeline, gen = make("Germany hosted an air base there [1].")
    handed = _prefilling_ahead(gen)
    pipeline.answer(AIRBASE)
    assert len(handed["then"]) == 1 and handed["then"][0] == gen.seen[-1]  # what stream() was then given
    assert handed["forgone"] == []  # the answer came


def test_a_question_refused_at_the_check_lets_go_of_the_answer_prompt_prefilled_for_it(make):
    """Other questions waiting for the model need not wait for an answer that never comes:
    refused at the check, or out of time after it."""
    import time

    pipeline, gen = make("Germany hosted an air base there [1].", p_yes=0.1)
    handed = _prefilling_ahead(gen)
    assert pipeline.answer(AIRBASE).refused
    assert handed["forgone"] == handed["then"] and len(handed["then"]) == 1

    pipeline, gen = make("Germany hosted an air base there [1].")
    handed = _prefilling_ahead(gen)
    check = gen.probability_yes_then

    def slow(messages, then):
        time.sleep(0.05)  # past the time limit below
        return check(messages, then)

    gen.probability_yes_then = slow
    late = pipeline.answer(AIRBASE, request_timeout_s=0.01)
    assert late.reasons == ("time limit",)
    assert handed["forgone"] == handed["then"] and len(handed["then"]) == 1


def test_with_model_support_the_model_is_asked_about_a_paraphrase(make):
    reply = "Germany's soldiers were stationed at a facility close to the capital [1]."
    pipeline, gen = make(reply)
    assert pipeline.answer(AIRBASE).refused  # the words alone do not support it
    assert not any("state that" in m[-1]["content"] for m in gen.seen)
    pipeline, gen = make(reply)
    a = pipeline.answer(AIRBASE, model_support=True)
    claims = [m[-1]["content"] for m in gen.seen if "state that" in m[-1]["content"]]
    assert claims and 'Does passage [1] state that "Germany' in claims[0]
    assert not a.refused and a.citations


@pytest.mark.parametrize(
    "option, value, says",
    [
        ("top_k", 3.5, "whole number"),
        ("max_new_tokens", 5.5, "whole number"),
        ("history_turns", 1.5, "whole number"),
        ("window_passages", 0.5, "whole number"),
        ("top_k", "3", "number"),
        ("sources", 5, "sources"),
        ("sources", [None], "sources"),
        ("sources", {"outlet": "DW"}, "sources"),
    ],
)
def test_an_option_of_the_wrong_kind_is_a_polite_answer_not_a_crash(make, option, value, says):
    """A whole-number option given a fraction, or sources that are not names, is said
    plainly (the facade never raises for a user's mistake, nor rounds it silently)."""
    pipeline, gen = make("Germany operates an airbase in Niamey [1].")
    a = pipeline.answer(AIRBASE, **{option: value})
    assert a.refused and a.error and says in a.error and option in a.error
    assert not gen.seen


def test_a_whole_float_is_a_whole_number(make):
    pipeline, _ = make("Germany operates an airbase in Niamey [1].")
    assert len(pipeline.answer(AIRBASE, top_k=2.0).hits) == 2


def test_a_file_name_with_double_spaces_is_a_filter_that_matches_it():
    from rag.store import Filter

    f = Filter.of(sources=["  market  report.txt "])
    assert f is not None and f.sources == ("market  report.txt",)
    assert f.matches(Chunk(0, "market  report.txt", "t", "x", 0, 1))
    assert not f.matches(Chunk(0, "market report.txt", "t", "x", 0, 1))


@pytest.mark.parametrize(
    "options, says",
    [
        ({"threads": 0}, "threads must be a whole number"),
        ({"index_dir": 123}, "index_dir must be a folder path"),
        ({"embedder": 3}, "embedder must be a string"),
        ({"model_support": "yes"}, "model_support must be True or False"),
    ],
)
def test_a_setup_option_out_of_range_is_a_refused_answer_from_the_facade(options, says):
    """``rag.answer`` promises a refused Answer for an option out of its range, setup
    options (which pick the pipeline) included; no model loads for it."""
    import rag

    a = rag.answer("Who runs the airbase?", **options)
    assert a.refused and a.error and says in a.error
    last = list(rag.stream_answer("Who runs the airbase?", **options))
    assert len(last) == 1 and isinstance(last[0], rag.Answer) and says in (last[0].error or "")
    with pytest.raises(rag.InvalidOptionError, match=says):
        rag.Settings.from_env(**options)


def test_a_folder_given_as_a_string_is_a_path():
    from pathlib import Path

    import rag

    assert rag.Settings(seeds_dir="news").seeds_dir == Path("news")  # type: ignore[arg-type]
    assert rag.Settings.from_env(index_dir="idx").index_dir == Path("idx")


def test_a_prompt_over_the_models_limit_is_a_refused_answer_not_a_traceback(make):
    """Options within their ranges (``top_k=50``, ``max_passage_chars=100000``) can make a
    prompt longer than the model takes; the facade says so instead of raising."""
    from rag.errors import PromptTooLongError

    pipeline, gen = make("Germany operates an airbase in Niamey [1].")

    def too_long(messages):  # type: ignore[no-untyped-def]
        raise PromptTooLongError("the prompt has 9,000 tokens; the limit is 8,192. Lower top_k or max_passage_chars")

    gen.probability_yes = too_long  # type: ignore[method-assign]
    a = pipeline.answer(AIRBASE)
    assert a.refused and a.error and "8,192" in a.error and "Lower top_k" in a.text


def test_pipelines_for_other_settings_share_the_models_and_are_few(monkeypatch):
    """``rag.answer(q, candidates=19)`` once loaded a second ~3 GB copy of the models,
    kept for the life of the process; each new value added another."""
    import rag

    monkeypatch.setattr(rag, "_pipelines", {})
    key = rag.Settings.from_env()
    embedder = FakeEmbedder()
    embedder.name = key.embedder  # as the loaded model of that setting is named
    first = Pipeline(key, embedder=embedder, generator=FakeGenerator())
    rag._pipelines[key] = first
    other = rag.get_pipeline(candidates=30)
    assert other is not first and other.embedder is first.embedder and other.generator is first.generator
    assert rag.get_pipeline(candidates=30) is other
    for n in range(31, 31 + rag.MAX_PIPELINES):
        rag.get_pipeline(candidates=n)
    assert len(rag._pipelines) == rag.MAX_PIPELINES
    assert rag.get_pipeline(candidates=n).generator is first.generator  # still shared after the first left


@pytest.mark.parametrize(
    "question",
    ["Catch me up on the Super Bowl", "Give me a timeline of the Fed", "How do the Reuters and AP reports differ?"],
)
def test_an_overview_of_a_subject_no_article_mentions_is_refused(make, question):
    """Retrieval always finds passages; an overview, timeline or comparison of a subject
    the articles never name used to be bullets about whatever they hold (Niger)."""
    pipeline, gen = make("unused")
    a = pipeline.answer(question)
    assert a.refused and not a.citations and a.text == REFUSAL
    assert any("no article mentions" in r for r in a.reasons)
    on_subject = pipeline.answer("Summarize the news about Niger")
    assert not on_subject.refused and on_subject.kind == "overview" and on_subject.citations


def test_a_misspelt_option_raises_typeerror_naming_the_nearest(make):
    """A keyword no one defines is a programming mistake, raised like Python's own; the
    message names the option meant, whichever way in."""
    import rag

    for call in (rag.answer, lambda q, **k: next(rag.stream_answer(q, **k))):
        with pytest.raises(TypeError, match=r"topk \(did you mean top_k\?\)"):
            call(AIRBASE, topk=3)
    pipeline, _ = make("unused")
    with pytest.raises(TypeError, match=r"topk \(did you mean top_k\?\)"):
        pipeline.answer(AIRBASE, topk=3)
    with pytest.raises(TypeError, match="set for a pipeline, not per call"):
        pipeline.answer(AIRBASE, candidates=3)


def test_the_publication_date_of_an_article_not_held_is_refused_not_every_date(make):
    """ "When was the Reuters article published?" over articles with no Reuters one used
    to list every article's date; so did a question naming an article the filter leaves out."""
    pipeline, _ = make("unused")
    a = pipeline.answer("When was the Reuters article published?")
    assert a.refused and not a.items and "no article here" in a.reasons[0]
    dw = pipeline.answer("When was the DW article published?")
    assert not dw.refused and dw.kind == "collection" and len(dw.items) == 1 and DW in dw.items[0].label
    cnn_only = pipeline.answer(
        "When was the DW article published?", sources=["cnn-russian-weapons-and-trainers-arrive-in-niger.txt"]
    )
    assert cnn_only.refused and not cnn_only.items


def test_a_nan_answerability_from_a_custom_generator_is_under_every_bar(make):
    pipeline, gen = make("Germany operates an airbase in Niamey [1].")
    gen.p_yes = float("nan")
    a = pipeline.answer(AIRBASE)
    assert a.refused and "p(yes)" in a.reasons[0]


def test_an_overview_of_more_stories_than_it_reads_names_the_ones_left_out(fake_settings):
    """Eight stories: the overview read six and dropped two without a word."""
    for i, (place, event) in enumerate(
        [
            ("Lagos", "bridge"),
            ("Oslo", "tunnel"),
            ("Lima", "metro"),
            ("Hanoi", "port"),
            ("Quito", "dam"),
            ("Accra", "airport"),
            ("Perth", "stadium"),
            ("Riga", "library"),
        ]
    ):
        story = f"{place} opens {event}\n\nPublished: 2025-10-{10 + i}\n\n{place} opened its new {event} on Monday, officials said.\n"
        (fake_settings.seeds_dir / f"{place.lower()}.txt").write_text(story, "utf-8")
    index, _ = build_index(fake_settings, FakeEmbedder())
    pipeline = Pipeline(fake_settings, embedder=FakeEmbedder(), generator=FakeGenerator(), index=index)
    a = pipeline.answer("What do the articles cover?")
    assert a.kind == "overview" and len(a.items) == 6
    assert "Not covered above (4 more articles)" in a.text  # the two bundled articles and the two oldest here
    assert "Lagos opens bridge" in a.text and "Oslo opens tunnel" in a.text
