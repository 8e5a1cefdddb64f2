"""ui.py presentation logic with a fake pipeline (fast; no server, no browser)."""

import re

import pytest

from rag.pipeline import Pipeline
from rag.store import build_index
from ui import ChatApp, _unescape, escape, panel_title, passage_view

from .conftest import CNN, FakeEmbedder, FakeGenerator


@pytest.fixture
def app(fake_settings):
    index, _ = build_index(fake_settings, FakeEmbedder())

    def _make(reply="", p_yes=0.9):
        return ChatApp(
            Pipeline(fake_settings, embedder=FakeEmbedder(), generator=FakeGenerator(reply, p_yes), index=index)
        )

    return _make


def test_escape_neutralizes_html_and_markdown():
    out = escape('<script>alert(1)</script> <img src=x onerror="x()"> **bold** [1](http://x)')
    assert "<" not in out and ">" not in out  # no tag can open, so quotes may stay
    assert "\\*\\*bold\\*\\*" in out
    # Escaped once: an apostrophe is not turned into an entity the chat would show as text.
    assert escape("The articles don't say. Niger’s") == "The articles don't say. Niger’s"
    assert _unescape(out) == '<script>alert(1)</script> <img src=x onerror="x()"> **bold** [1](http://x)'


def test_panel_titles_escape_the_headline():
    title = panel_title("Source \\[1\\] ", 'Harbour <img src=x onerror="y()"> *reopens*', "evil.txt")
    assert "<" not in title and "\\*reopens\\*" in title and title.startswith("Source \\[1\\] Harbour")


def test_passage_view_highlights_span_in_context():
    article = "Before text here. The cited passage. After text."
    start = article.index("The cited")
    end = start + len("The cited passage.")
    view = passage_view(2, "T<b>", "a.txt", "The cited passage.", start, end, article)
    assert "<mark>The cited passage.</mark>" in view
    assert "Before text here" in view and "After text" in view
    assert "T&lt;b&gt;" in view and f"characters {start}–{end}" in view


def test_empty_question_changes_nothing(app):
    chat = app()
    out = list(chat.respond("   ", [{"role": "user", "content": "hi"}]))
    assert out == [([{"role": "user", "content": "hi"}], "Type a question first.", {"__type__": "update"})]


def test_answer_streams_then_shows_numbered_sources(app):
    chat = app("Russia delivered equipment with 100 Russian military instructors to Niamey [2].")
    steps = list(chat.respond("How many instructors came with the Russian equipment?", []))
    assert len(steps) >= 3  # placeholder, streamed draft(s), final
    messages, status, box = steps[-1]
    # The box is emptied when the question is taken, then left to what the user types.
    assert steps[0][2] == "" and all(step[2] == {"__type__": "update"} for step in steps[1:])
    assert status.startswith("Answered in")
    assert messages[0]["role"] == "user"
    assert "100" in messages[1]["content"] and "\\[1\\]" in messages[1]["content"]
    sources = [m for m in messages if (m.get("metadata") or {}).get("title")]
    title = _unescape(sources[0]["metadata"]["title"])  # the title is Markdown, shown as this text
    assert len(sources) == 1 and title.startswith("Source [1] Russian weapons")
    assert CNN in title and "<mark>" in sources[0]["content"]


def test_refusal_is_labelled_and_offers_closest_passages(app):
    chat = app("", p_yes=0.1)
    messages, status, _ = list(chat.respond("What is the capital of Australia?", []))[-1]
    assert "Not in the articles" in messages[1]["content"] and status.startswith("Not in the articles")
    # The reason in a reader's words; the technical one stays in the API's "reasons".
    assert "The articles found never mention Australia." in status and "p(yes)" not in status
    closest = [m for m in messages if (m.get("metadata") or {}).get("title", "").startswith("Closest passage")]
    assert len(closest) == 3


def test_conversation_excludes_source_panels(app):
    chat = app("Germany operates an airbase in Niamey [1].")
    messages, _, _ = list(chat.respond("Which country has an airbase in Niamey?", []))[-1]
    turns = chat.conversation(messages)
    assert [t["role"] for t in turns] == ["user", "assistant"]
    assert turns[1]["content"] == "Germany operates an airbase in Niamey [1]."


def test_errors_become_a_chat_message(app, monkeypatch):
    chat = app("x")
    from rag.errors import ModelLoadError

    def broken(*a, **k):
        raise ModelLoadError("the model is gone; reinstall it")
        yield  # pragma: no cover

    monkeypatch.setattr(chat.pipeline, "stream", broken)
    messages, status, _ = list(chat.respond("Who?", []))[-1]
    assert "**Error:**" in messages[-1]["content"] and "reinstall it" in messages[-1]["content"]
    assert status.startswith("Error")


def test_api_returns_structured_answer(app):
    chat = app("Germany operates an airbase in Niamey [1].")
    out = chat.ask_api("Which country has an airbase in Niamey?")
    assert out["refused"] is False and out["answer"].endswith("[1].")
    assert out["reasons"] == []
    refused = app("", p_yes=0.1).ask_api("What is the capital of Australia?")
    assert refused["refused"] and refused["reasons"] and "p(yes)" in refused["reasons"][0]
    assert out["citations"][0]["number"] == 1 and "Germany" in out["citations"][0]["text"]
    assert set(out["citations"][0]) == {"number", "title", "source", "text", "start", "end"}
    bad = chat.ask_api("")
    assert bad["refused"] and bad["error"]
    assert set(bad) == set(out)


def test_api_gives_every_field_when_the_pipeline_fails(app, monkeypatch):
    """A setup error (a model that will not load) keeps the documented shape."""
    from rag.errors import ModelLoadError

    chat = app("Germany operates an airbase in Niamey [1].")
    out = chat.ask_api("Which country has an airbase in Niamey?")

    def broken(*args, **kwargs):
        raise ModelLoadError("the model is gone; reinstall it")

    monkeypatch.setattr(chat.pipeline, "answer", broken)
    failed = chat.ask_api("Which country has an airbase in Niamey?")
    assert set(failed) == set(out)
    assert failed["refused"] and "reinstall it" in failed["error"] and failed["kind"] == "fact"
    assert failed["items"] == [] and failed["citations"] == []


def test_startup_without_articles_exits_with_a_message(tmp_path, caplog):
    import logging

    import ui

    (tmp_path / "seeds").mkdir()
    with caplog.at_level(logging.ERROR), pytest.raises(SystemExit) as exit_info:
        ui.main(["--seeds", str(tmp_path / "seeds"), "--index", str(tmp_path / "index"), "--port", "1"])
    assert exit_info.value.code == 1
    assert "no usable articles" in caplog.text


def test_filters_reach_the_answer_from_chat_and_api(app):
    from .conftest import DW

    chat = app("Germany operates an airbase in Niamey [1].")
    assert chat.filter_choices() and all(c for c in chat.filter_choices())
    *_, (messages, status, _) = chat.respond("Which country has an airbase in Niamey?", [], [DW], "", "")
    panels = [m["metadata"]["title"] for m in messages if m.get("metadata")]
    assert panels and all(DW.replace("-", "\\-") in t for t in panels)
    out = chat.ask_api("Which country has an airbase in Niamey?", None, ["No Such Outlet"])
    assert out["refused"] and "filter" in out["reasons"][0] and out["closest"] == []
    out = chat.ask_api("Which country has an airbase in Niamey?", None, None, "not a date")
    assert out["refused"] and "YYYY-MM-DD" in out["error"]
    *_, (messages, status, _) = chat.respond("Which country has an airbase in Niamey?", [], [], "2999-01-01", "")
    assert "No article matches the filter (since 2999-01-01)" in _unescape(status)


def test_a_structured_answer_shows_as_a_list_in_chat_and_api(app):
    """An overview is a Markdown list in the chat (article text still escaped), and its
    lines come as ``items`` from the API; the model is not asked."""
    chat = app("this reply must not be used", p_yes=0.0)
    messages = list(chat.respond("What is this story about?", []))[-1][0]
    shown = messages[1]["content"]
    assert shown.startswith("- ") and "\\[1\\]" in shown and "must not be used" not in shown
    assert "<" not in shown.replace("&lt;", "")
    out = chat.ask_api("What is this story about?")
    assert out["kind"] == "overview" and not out["refused"]
    assert out["items"] and list(out["items"][0]["citations"]) == [1]
    assert out["items"][0]["text"] in out["citations"][0]["text"]
    listed = chat.ask_api("Which articles do you have?")
    assert listed["kind"] == "collection" and "The index holds" in listed["answer"]


def test_messages_say_what_happened(app):
    """A filter that matches nothing says so and names what it could match; one outlet
    given as a string is one outlet; an out-of-range option is an error, not an answer."""
    chat = app("Germany operates an airbase in Niamey [1].")
    out = chat.ask_api("Which country has an airbase in Niamey?", None, "NoSuchOutlet")
    assert out["refused"] and out["error"].startswith("No article matches the filter (from NoSuchOutlet)")
    assert "known" in out["error"] and "cnn" in out["error"].lower()
    assert chat.filter_options("CNN", None, None) == {"sources": ["CNN"]}
    overview = chat.ask_api("What is this story about?", None, "NoSuchOutlet")
    assert overview["error"].startswith("No article matches the filter (from NoSuchOutlet)")
    earlier = [{"role": "user", "content": "Who is Thior?"}, {"role": "assistant", "content": "A consultant."}]
    question = "Which country has an airbase in Niamey?"
    *_, (messages, status, box) = chat.respond(question, earlier, ["NoSuchOutlet"], "", "")
    # Nothing was asked: the question goes back into the box to be mended, and the
    # conversation (sent as history with the next question) keeps no trace of it.
    assert messages == earlier and box == question
    assert "No article matches the filter" in _unescape(status)
    *_, (_, status, box) = chat.respond("x" * 5000, earlier)
    assert "2,000" in _unescape(status) and box == "x" * 5000
    reversed_ = chat.ask_api("Which country has an airbase in Niamey?", None, None, "2024-05-01", "2024-04-01")
    assert reversed_["refused"] and "is after" in reversed_["error"]
    for bad in (0, -5, 10_000):
        a = chat.pipeline.answer("Which country has an airbase in Niamey?", top_k=bad)
        assert a.refused and a.error and "top_k must be a whole number from 1 to 50" in a.error
    refused = app("", p_yes=0.1).ask_api("What is the capital of Australia?")
    assert refused["explanation"] == "The articles found never mention Australia."
    assert "p(yes)" in refused["reasons"][0]


def _launched(chat, middleware):  # type: ignore[no-untyped-def]
    """``chat``'s Gradio app served on a free loopback port with ``middleware``: (app, port);
    close the app when done."""
    from .uiserver import free_port

    port = free_port()
    demo = chat.build()
    demo.queue().launch(server_port=port, prevent_thread_lock=True, quiet=True, app_kwargs={"middleware": middleware})
    return demo, port


def test_raw_http_requests_to_ask_get_clear_errors(app):
    """A real Gradio server (fake models): a malformed raw ``/ask`` request is a 4xx with
    a message, never a traceback; a well-formed one is answered. A request addressed to
    another name (a rebound web page's) is refused on every path."""
    import json
    import urllib.error
    import urllib.request

    from ui import AskRequestGuard, LocalHostGuard, Middleware

    demo, port = _launched(
        app("Germany operates an airbase in Niamey [1]."), [Middleware(LocalHostGuard), Middleware(AskRequestGuard)]
    )
    url = f"http://127.0.0.1:{port}/gradio_api/call/ask"

    def post(body: bytes, host: str = f"127.0.0.1:{port}", to: str = url, origin: str = "") -> tuple[int, dict]:
        headers = {"Content-Type": "application/json", "Host": host} | ({"Origin": origin} if origin else {})
        req = urllib.request.Request(to, data=body, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read())

    try:
        for body, why in [
            (b'{"data": []}', "data holds 0 values"),
            (b'{"data": [1]}', "question must be str"),
            (b'{"data": ["Who?", [], 5]}', "sources must be"),
            (b'{"data": ["a", [], [], "", "", "extra"]}', "data holds 6 values"),
            (b"not json", "not JSON"),
            (b'{"x": 1}', "needs"),
        ]:
            status, out = post(body)
            assert status == 422 and why in out["error"]["message"], (body, out)
        # Gradio serves the endpoint by other routes too: they answered 500 with a traceback.
        for route in ("api/ask", "call/v2/ask"):
            status, out = post(b'{"data": []}', to=f"http://127.0.0.1:{port}/gradio_api/{route}")
            assert status == 422 and "data holds 0 values" in out["error"]["message"], route
        status, out = post(b'{"data": ["' + b"x" * 1_100_000 + b'"]}')
        assert status == 413
        question = json.dumps({"data": ["Which country has an airbase in Niamey?"]}).encode()
        for host in (f"attacker.example:{port}", "127.0.0.1.attacker.example", ""):
            status, out = post(question, host)
            assert status == 403 and "localhost or 127.0.0.1 only" in out["error"]["message"], host
        # A page of another site posting to the chat (a multipart upload needs no permission).
        for origin in ("https://evil.example", "null"):
            status, out = post(question, origin=origin)
            assert status == 403, origin
        page = urllib.request.Request(f"http://127.0.0.1:{port}/", headers={"Host": f"attacker.example:{port}"})
        with pytest.raises(urllib.error.HTTPError, match="403"):
            urllib.request.urlopen(page, timeout=30)
        with urllib.request.urlopen(f"http://localhost:{port}/", timeout=30) as r:
            assert r.status == 200
        status, out = post(question, f"[::1]:{port}", origin=f"http://localhost:{port}")
        assert status == 200 and out.get("event_id")
        with urllib.request.urlopen(f"{url}/{out['event_id']}", timeout=60) as r:
            events = r.read().decode()
        assert "event: complete" in events and "Germany" in events
    finally:
        demo.close()


def test_a_read_only_chat_closes_gradio_s_upload_route(app):
    """Gradio's upload route took and kept a file (any size) on a read-only chat, which
    shows no upload; it is closed there, and open on a chat that takes articles."""
    import urllib.error
    import urllib.request

    from ui import Middleware, NoUploads

    boundary = "rag-test"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="x.txt"\r\n'
        f"Content-Type: text/plain\r\n\r\nThe harbour reopened on Monday.\r\n--{boundary}--\r\n"
    ).encode()
    codes = {}
    for read_only in (True, False):
        demo, port = _launched(
            app("Germany operates an airbase in Niamey [1]."), [Middleware(NoUploads)] if read_only else []
        )
        try:
            req = urllib.request.Request(
                f"http://127.0.0.1:{port}/gradio_api/upload",
                data=body,
                headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
            )
            try:
                with urllib.request.urlopen(req, timeout=30) as r:
                    codes[read_only] = r.status
            except urllib.error.HTTPError as e:
                codes[read_only] = e.code
        finally:
            demo.close()
    assert codes == {True: 403, False: 200}


def test_articles_are_added_and_removed_from_the_chat(app, tmp_path):
    """Fake models: good files are added and answerable next; each bad one is named with
    why; nothing indexed is lost; removal needs a confirmation; read-only refuses both."""
    chat = app("The Lagos council approved the bridge on Monday [1].")
    before = set(chat.pipeline.index.manifest.documents)
    good = tmp_path / "lagos-bridge.txt"
    good.write_text("Lagos approves bridge\n\nThe Lagos council approved the new bridge on Monday.\n", "utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("  ", "utf-8")
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\x00\x00")
    clash = tmp_path / CNN
    clash.write_text("Another story\n\nSomething else entirely happened.\n", "utf-8")
    image = tmp_path / "image.png"
    image.write_bytes(b"\x89PNG")
    *_, done = list(chat.upload([str(good), str(empty), str(binary), str(clash), str(image)]))
    assert done.startswith("Added lagos\\-bridge.txt")
    for name in ("empty.txt", "photo.txt", CNN.replace("-", "\\-"), "image.png"):
        assert f"Not added: {name}" in done, (name, done)
    assert "binary" in done and "other content" in done
    assert str(tmp_path) not in done and str(chat.pipeline.settings.seeds_dir) not in done  # no server paths
    docs = set(chat.pipeline.index.manifest.documents)
    assert docs == before | {"lagos-bridge.txt"}
    a = chat.pipeline.answer("What did the Lagos council approve?")
    assert not a.refused and a.citations[0].source == "lagos-bridge.txt"
    big = tmp_path / "big.txt"
    big.write_text("Big\n\n" + "word " * 2_000_000, "utf-8")
    *_, too_big = list(chat.upload([str(big)]))
    assert "over the limit of 5,000,000" in too_big
    # Unconfirmed: the choice stays for the tick; confirmed: choice and tick are cleared.
    message, choice, tick = chat.remove_chosen("lagos-bridge.txt", False)
    assert "Tick" in message and choice == tick == {"__type__": "update"}
    message, choice, tick = chat.remove_chosen("lagos-bridge.txt", True)
    assert message == "Removed lagos\\-bridge.txt." and choice["value"] is None and tick is False
    assert "lagos-bridge.txt" not in choice["choices"] and "lagos-bridge.txt" not in str(choice)
    assert set(chat.pipeline.index.manifest.documents) == before
    assert not (chat.pipeline.settings.seeds_dir / "lagos-bridge.txt").exists()
    locked = ChatApp(chat.pipeline, read_only=True)
    assert "switched off" in list(locked.upload([str(good)]))[-1]
    assert "switched off" in locked.remove(CNN, True)
    assert "Add or remove articles" not in str(locked.build().config)
    assert "Add or remove articles" in str(chat.build().config)
    # A dump with bad lines is added without them, and the message says so.
    dump = tmp_path / "wire.jsonl"
    dump.write_text('{"title": "Port", "text": "The port reopened."}\n{bad\n{"title": "No text"}\n', "utf-8")
    *_, partial = list(chat.upload([str(dump)]))
    assert partial.startswith("Added wire.jsonl") and "2 line(s) skipped (line 2: not JSON" in _unescape(partial)
    assert 'line 3: no text (expected a "text" field)' in _unescape(partial)


def test_the_chat_asks_for_a_login_when_one_is_set(app):
    import urllib.error
    import urllib.request

    from .uiserver import free_port

    port = free_port()
    demo = app("Germany operates an airbase in Niamey [1].").build()
    demo.queue().launch(server_port=port, prevent_thread_lock=True, quiet=True, auth=("reader", "pa55"))
    try:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/config", timeout=10) as r:
                config = r.read().decode().replace(" ", "")
            assert '"auth_required":true' in config
        except urllib.error.HTTPError as e:
            assert e.code == 401  # the app's configuration is behind the login
        req = urllib.request.Request(
            f"http://127.0.0.1:{port}/gradio_api/call/ask",
            data=b'{"data": ["Who has an airbase in Niamey?"]}',
            headers={"Content-Type": "application/json"},
        )
        try:
            urllib.request.urlopen(req, timeout=10)
            raise AssertionError("/ask answered without a login")
        except urllib.error.HTTPError as e:
            assert e.code == 401
    finally:
        demo.close()


def test_two_uploads_at_once_lose_no_article(app, tmp_path):
    """Two browsers adding articles at the same moment, while a third asks: every article
    ends up indexed, and the question is answered from a whole index."""
    import threading

    chat = app("The council approved the bridge on Monday [1].")
    files = []
    for i in range(4):
        f = tmp_path / f"bridge-{i}.txt"
        f.write_text(f"Bridge {i} approved\n\nThe council of Town{i} approved bridge number {i} on Monday.\n", "utf-8")
        files.append(str(f))
    answers = []
    threads = [threading.Thread(target=lambda fs=fs: list(chat.upload(fs))) for fs in (files[:2], files[2:])] + [
        threading.Thread(target=lambda: answers.append(chat.pipeline.answer("What did the council approve?")))
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert {f"bridge-{i}.txt" for i in range(4)} <= set(chat.pipeline.index.manifest.documents)
    assert answers and not answers[0].error


def test_a_chat_closed_mid_answer_closes_the_answer_stream(app):
    """Gradio closes the handler when the browser goes away (its queue's clean-up calls
    the iterator's close); the answer's stream, and the model with it, closes with it."""
    chat = app()
    closed = []

    def endless(question, history=None, **options):  # type: ignore[no-untyped-def]
        try:
            while True:
                yield "word "
        finally:
            closed.append(True)

    chat.pipeline.stream = endless  # type: ignore[method-assign]
    handler = chat.respond("Which country has an airbase in Niamey?", [], None, "", "")
    for _ in range(4):
        next(handler)
    handler.close()  # what Gradio's queue does when the browser disconnects
    assert closed == [True]


def test_uploads_the_folder_would_never_index_are_refused_with_the_reason(app, tmp_path):
    """README.txt, hidden names, names .ragignore lists, and a second upload of the same
    name used to be reported "Added" and never indexed (or one was lost)."""
    chat = app()
    seeds = chat.pipeline.settings.seeds_dir
    (seeds / ".ragignore").write_text("*-old.txt\n", "utf-8")
    files = []
    for folder, name in (
        ("a", "README.txt"),
        ("b", ".hidden.txt"),
        ("c", "brief-old.txt"),
        ("d", "story.txt"),
        ("e", "story.txt"),
    ):
        (tmp_path / folder).mkdir()
        files.append(tmp_path / folder / name)
        files[-1].write_text("Port strike\n\nDock workers in Rotterdam walked out on Friday over pay.\n", "utf-8")
    *_, done = list(chat.upload([str(f) for f in files] + [str(tmp_path / "gone.txt")]))
    assert done.startswith("Added story.txt;"), done
    for reason in ("README", "hidden name", ".ragignore", "another upload has the same name", "no longer there"):
        assert reason in done, (reason, done)
    assert {p.name for p in seeds.iterdir()} >= {"story.txt"}
    assert not {"README.txt", ".hidden.txt", "brief-old.txt"} & {p.name for p in seeds.iterdir()}
    assert "story.txt" in chat.article_files()


@pytest.mark.parametrize("argv", [["--share"], ["--host", "0.0.0.0"], ["--share", "--auth", "u:p"]])
def test_serving_beyond_this_machine_needs_a_login_and_a_key(argv, tmp_path, capsys):
    """``--share`` opens a public link: it used to start with no login, no key and
    uploads on, where ``--host 0.0.0.0`` was refused. Bad usage: exit 2, as ``rag serve``."""
    import ui

    with pytest.raises(SystemExit) as exit_info:
        ui.main([*argv, "--seeds", str(tmp_path / "none"), "--index", str(tmp_path / "index")])
    assert exit_info.value.code == 2
    assert "give a login and a key" in capsys.readouterr().err


def test_half_an_emoji_typed_in_the_chat_is_mended_not_a_broken_turn(app):
    """A browser may send a lone surrogate (half an emoji) in the question or a date box:
    the chat echoes it as U+FFFD, so every message can be sent back as UTF-8."""
    import json

    chat = app("Russia sent instructors [1].")
    for question, since in [("Did Zorbl\ud83d visit Niamey?", None), ("Who arrived in Niamey?", "\udc00")]:
        *_, last = chat.respond(question, [], since=since)
        json.dumps(last, ensure_ascii=False).encode("utf-8")  # raises on a lone surrogate
        assert "\ufffd" in json.dumps(last, ensure_ascii=False)


def test_addresses_and_markup_in_article_text_stay_text():
    """The chat turned "https://…", "www.…" and "name@host" in a passage into live links
    (with stray backslashes in them), and showed an outlet's HTML in the status line."""
    from rag import Answer

    text = "Tickets: https://evil.example/t?x=1_(a), WWW.evil.example, xwww.evil.example, pay.@evil.example"
    shown = escape(text)
    assert "://" not in shown and "www." not in shown.lower() and not re.search(r"[^\u2060]@", shown)
    assert _unescape(shown) == text
    problem = 'No article matches the filter (from Orlo <img src="http://127.0.0.1:9/p.png"> [x](http://e.example/))'
    status = ChatApp.status(Answer.unusable("q", problem))
    assert "<img" not in status and "](" not in status and _unescape(status).endswith(problem)


def test_the_status_of_a_structured_answer_gives_no_first_words_time():
    from rag import Answer

    timings = {"total_s": 0.01, "first_token_s": 0.01}
    overview = Answer(question="q", text="- a [1]", kind="overview", timings=timings)
    fact = Answer(question="q", text="a [1].", timings=timings)
    assert "first words" not in ChatApp.status(overview) and "first words after 0.0 s" in ChatApp.status(fact)
