"""The OpenAI-compatible API as a client meets it: the official ``openai`` package
against ``rag serve`` on a free loopback port, with the real models; bad requests over
raw HTTP; the API key (fake models, in-process)."""

from __future__ import annotations

import contextlib
import json
import logging
import shutil
import time
import urllib.error
import urllib.request

import pytest

from .conftest import DW, SEEDS
from .uiserver import free_port, running_server

QUESTION = "How many instructors came with the Russian equipment?"


@pytest.fixture(scope="module")
def api_url(tmp_path_factory):  # type: ignore[no-untyped-def]
    base = tmp_path_factory.mktemp("api")
    shutil.copytree(SEEDS, base / "seeds")
    port = free_port()
    args = [
        "-m",
        "rag.cli",
        "serve",
        "--port",
        str(port),
        "--seeds",
        str(base / "seeds"),
        "--index",
        str(base / "index"),
    ]
    with running_server(args, f"http://127.0.0.1:{port}/v1", "/models", base / "serve.log") as url:
        yield url


@pytest.fixture(scope="module")
def client(api_url):  # type: ignore[no-untyped-def]
    from openai import OpenAI

    return OpenAI(base_url=api_url, api_key="unused-on-loopback", max_retries=0, timeout=300)


def post(url: str, body: bytes, headers: dict | None = None) -> tuple[int, dict]:
    req = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=300) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


@pytest.mark.model
def test_models_and_a_cited_answer(client):  # type: ignore[no-untyped-def]
    assert [m.id for m in client.models.list()] == ["rag-news"]
    r = client.chat.completions.create(model="rag-news", messages=[{"role": "user", "content": QUESTION}])
    msg = r.choices[0].message
    assert "100" in msg.content and "[1]" in msg.content and "\n\nSources:\n[1] " in msg.content
    extra = msg.model_extra or {}
    assert extra["refused"] is False and extra["citations"][0]["number"] == 1
    assert "100 Russian military instructors" in " ".join(c["text"] for c in extra["citations"])
    assert r.usage and r.usage.prompt_tokens > 100 and 0 < r.usage.completion_tokens < 200


@pytest.mark.model
def test_a_refusal_is_an_ordinary_message(client):  # type: ignore[no-untyped-def]
    r = client.chat.completions.create(
        model="rag-news", messages=[{"role": "user", "content": "What is the boiling point of water at sea level?"}]
    )
    msg = r.choices[0].message
    assert msg.content == "The articles don't say." and msg.model_extra["refused"] is True
    assert msg.model_extra["reasons"] and msg.model_extra["explanation"]


@pytest.mark.model
def test_a_follow_up_uses_the_earlier_turns(client):  # type: ignore[no-untyped-def]
    first = client.chat.completions.create(
        model="rag-news", messages=[{"role": "user", "content": "Who is Mamadou Thior?"}]
    )
    r = client.chat.completions.create(
        model="rag-news",
        messages=[
            {"role": "system", "content": "You are a helpful assistant."},
            {"role": "user", "content": "Who is Mamadou Thior?"},
            {"role": "assistant", "content": first.choices[0].message.content},
            {"role": "user", "content": [{"type": "text", "text": "What did he say Russia is trying to show?"}]},
        ],
    )
    assert "outpace" in r.choices[0].message.content.lower()


@pytest.mark.model
def test_streaming_ends_with_the_checked_answer(client):  # type: ignore[no-untyped-def]
    whole = client.chat.completions.create(model="rag-news", messages=[{"role": "user", "content": QUESTION}])
    chunks = list(
        client.chat.completions.create(model="rag-news", messages=[{"role": "user", "content": QUESTION}], stream=True)
    )
    assert chunks[0].choices[0].delta.role == "assistant"
    draft = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert "100" in draft  # the draft streamed as written
    last = chunks[-1]
    assert last.choices[0].finish_reason == "stop"
    checked = (last.model_extra or {})["rag"]
    assert checked["content"] == whole.choices[0].message.content
    assert checked["citations"] == whole.choices[0].message.model_extra["citations"]
    # A client that only joins the deltas ends with the checked message, Sources included.
    assert draft.endswith(checked["content"][-40:]) and "\n\nSources:\n[1] " in draft
    refusal = list(
        client.chat.completions.create(
            model="rag-news",
            messages=[{"role": "user", "content": "What is the boiling point of water at sea level?"}],
            stream=True,
        )
    )
    assert "".join(c.choices[0].delta.content or "" for c in refusal).endswith("The articles don't say.")


def test_the_last_delta_completes_the_streamed_message():
    from rag.api import closing

    assert closing("Germany [1].", "Germany [1].\n\nSources:\n[1] DW") == "\n\nSources:\n[1] DW"
    # The checks strip the draft and space its markers: still the same text.
    assert closing(" Germany runs it[1]. ", "Germany runs it [1].\n\nSources:\n[1] DW") == "\n\nSources:\n[1] DW"
    assert "Checked" in closing("Germany runs it [2].", "Germany runs it [1].\n\nSources:\n[1] DW")  # renumbered
    # ... and put the marker before the stop: the streamed text says the same, so only the
    # Sources follow (the whole answer was repeated under a rule).
    assert closing("100 came with it. [1]", "100 came with it [1].\n\nSources:\n[1] CNN") == "\n\nSources:\n[1] CNN"
    assert closing("It fell 3%.[1][2] Then", "It fell 3% [1][2]. Then it rose.\n\nSources:") == " it rose.\n\nSources:"
    assert closing("", "The articles don't say.") == "The articles don't say."
    assert closing("France [1].", "The articles don't say.").endswith(
        "Checked against the articles: The articles don't say."
    )


@pytest.mark.model
def test_filters_and_options_through_extra_body(client):  # type: ignore[no-untyped-def]
    from openai import BadRequestError

    r = client.chat.completions.create(
        model="rag-news",
        messages=[{"role": "user", "content": "Which country besides the US has had a military airbase in Niamey?"}],
        extra_body={"sources": [DW], "top_k": 3},
    )
    cites = r.choices[0].message.model_extra["citations"]
    assert cites and all(c["source"] == DW for c in cites)
    with pytest.raises(BadRequestError, match="YYYY-MM-DD"):
        client.chat.completions.create(
            model="rag-news", messages=[{"role": "user", "content": QUESTION}], extra_body={"since": "last week"}
        )
    with pytest.raises(BadRequestError, match="No article matches the filter"):
        client.chat.completions.create(
            model="rag-news", messages=[{"role": "user", "content": QUESTION}], extra_body={"sources": "NoSuchOutlet"}
        )
    with pytest.raises(BadRequestError, match="top_k"):
        client.chat.completions.create(
            model="rag-news", messages=[{"role": "user", "content": QUESTION}], extra_body={"top_k": 0}
        )


@pytest.mark.model
def test_bad_requests_get_openai_shaped_errors(api_url):  # type: ignore[no-untyped-def]
    url = f"{api_url}/chat/completions"
    user = {"role": "user", "content": QUESTION}
    cases = [
        (b"{not json", 400, "not valid JSON"),
        (json.dumps({"model": "rag-news", "messages": []}).encode(), 400, "non-empty list"),
        (
            json.dumps({"model": "rag-news", "messages": [{"role": "system", "content": "Hi"}]}).encode(),
            400,
            "no user message",
        ),
        (json.dumps({"model": "rag-news", "messages": [{"role": "wizard", "content": "Hi"}]}).encode(), 400, "role"),
        (
            json.dumps({"model": "rag-news", "messages": [{"role": "user", "content": 42}]}).encode(),
            400,
            "content must be",
        ),
        (json.dumps({"model": "gpt-4o", "messages": [user]}).encode(), 404, "does not exist"),
        (
            json.dumps({"model": "rag-news", "messages": [{"role": "user", "content": "x" * 1_100_000}]}).encode(),
            413,
            "bytes",
        ),
        (
            json.dumps({"model": "rag-news", "messages": [{"role": "user", "content": "   "}]}).encode(),
            400,
            "no user message",
        ),
        (json.dumps({"model": "rag-news", "messages": [user], "stream": "yes"}).encode(), 400, "stream"),
    ]
    for body, status, text in cases:
        code, out = post(url, body)
        assert code == status and text in out["error"]["message"], (body[:80], code, out)
        assert set(out["error"]) == {"message", "type", "code"}


def test_an_api_key_is_required_when_set(fake_settings, caplog):  # type: ignore[no-untyped-def]
    """In-process, fake models: without the key a request is a 401 on every route; with
    it, answered; the key is in no log line."""
    import threading
    import time

    import uvicorn

    from rag.api import openai_app
    from rag.pipeline import Pipeline
    from rag.store import build_index

    from .conftest import FakeEmbedder, FakeGenerator

    index, _ = build_index(fake_settings, FakeEmbedder())
    pipeline = Pipeline(
        fake_settings, embedder=FakeEmbedder(), index=index, generator=FakeGenerator("Germany operates it [1].")
    )
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(openai_app(pipeline, api_key="s3cret"), port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        for _ in range(100):
            if server.started:
                break
            time.sleep(0.05)
        url = f"http://127.0.0.1:{port}/v1/chat/completions"
        body = json.dumps(
            {"model": "rag-news", "messages": [{"role": "user", "content": "Who has an airbase in Niamey?"}]}
        )
        code, out = post(url, body.encode())
        assert code == 401 and out["error"]["code"] == "invalid_api_key"
        code, out = post(url, body.encode(), {"Authorization": "Bearer wrong"})
        assert code == 401
        code, out = post(url, body.encode(), {"Authorization": "Bearer s3cret"})
        assert code == 200 and out["choices"][0]["message"]["role"] == "assistant"
        for route in ("/v1/models", "/v1/models/rag-news"):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}{route}", timeout=10)
                raise AssertionError(f"{route} answered without the key")
            except urllib.error.HTTPError as e:
                assert e.code == 401
        assert "s3cret" not in caplog.text
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_serving_beyond_loopback_needs_a_key(capsys):  # type: ignore[no-untyped-def]
    from rag.cli import EXIT_USAGE, main

    assert main(["serve", "--host", "0.0.0.0", "--index", "/nonexistent"]) == EXIT_USAGE
    assert "--api-key" in capsys.readouterr().err


class _SlowStream:
    """A stand-in pipeline whose answers stream one word every 20 ms for 20 s, recording
    how many words it wrote and when its stream was closed."""

    def __init__(self) -> None:
        import threading

        self.closed = threading.Event()
        self.written = 0

    def stream(self, question, history=None, **options):  # type: ignore[no-untyped-def]
        import time

        from rag import Answer

        if not any(c.isalnum() for c in question):
            yield Answer(question="", text="The question is empty.", refused=True, error="The question is empty.")
            return
        try:
            for _ in range(1000):
                time.sleep(0.02)
                self.written += 1
                yield "word "
        finally:
            self.closed.set()


@contextlib.contextmanager
def serving(app):  # type: ignore[no-untyped-def]
    """``app`` served by uvicorn in a thread on a free loopback port (yielded), until the block ends."""
    import threading

    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        for _ in range(200):
            if server.started:
                break
            time.sleep(0.05)
        yield port
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def slow_api():  # type: ignore[no-untyped-def]
    """The API in-process over :class:`_SlowStream`, on a free loopback port."""
    from rag.api import openai_app

    fake = _SlowStream()
    with serving(openai_app(fake)) as port:  # type: ignore[arg-type]
        yield fake, port


def _streamed(port: int, question: str) -> tuple[int, bytes, object]:
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    body = {"model": "rag-news", "stream": True, "messages": [{"role": "user", "content": question}]}
    conn.request("POST", "/v1/chat/completions", json.dumps(body), {"Content-Type": "application/json"})
    r = conn.getresponse()
    return r.status, r.read(800) if r.status == 200 else r.read(), conn


def test_a_client_that_leaves_a_stream_stops_the_model(slow_api):  # type: ignore[no-untyped-def]
    """The model's work is for the client: hanging up mid-stream closes the answer's
    stream within a second, instead of writing on for nobody (and holding the next user)."""
    fake, port = slow_api
    status, first, conn = _streamed(port, "What happened at the harbour?")
    assert status == 200 and b"word" in first
    conn.close()  # type: ignore[attr-defined]
    assert fake.closed.wait(5), f"still writing after the client left ({fake.written} words)"
    assert fake.written < 500


def test_a_client_that_leaves_before_a_plain_answer_stops_the_model(slow_api):  # type: ignore[no-untyped-def]
    """Without ``stream``, a client that hangs up used to get its whole answer computed
    anyway; a burst of such requests held the model (and every worker) for everyone."""
    import http.client

    fake, port = slow_api
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    body = {"model": "rag-news", "messages": [{"role": "user", "content": "What happened at the harbour?"}]}
    conn.request("POST", "/v1/chat/completions", json.dumps(body), {"Content-Type": "application/json"})
    time.sleep(0.5)
    conn.close()
    assert fake.closed.wait(5), f"still writing after the client left ({fake.written} words)"
    assert fake.written < 500


def test_a_bad_streamed_request_is_a_400_not_a_stream(slow_api):  # type: ignore[no-untyped-def]
    """An unusable question is an HTTP error before any stream starts, as without ``stream``."""
    _, port = slow_api
    status, body, conn = _streamed(port, "   \u200b ")
    conn.close()  # type: ignore[attr-defined]
    assert status == 400 and "empty" in json.loads(body)["error"]["message"]


def test_half_an_emoji_in_a_request_is_mended_not_a_server_error(fake_settings):  # type: ignore[no-untyped-def]
    """A lone surrogate (``"\\ud83d"``, an emoji cut in half by a client) is valid JSON but
    cannot be written back as UTF-8: in a question, a turn or an option it becomes U+FFFD
    and the request gets its ordinary answer or OpenAI-shaped error, never a plain 500."""
    from fastapi.testclient import TestClient

    from rag.api import openai_app, parse_request
    from rag.pipeline import Pipeline
    from rag.store import build_index

    from .conftest import FakeEmbedder, FakeGenerator

    question, history, options, _ = parse_request(
        b'{"messages": [{"role": "user", "content": "Hi \\ud83d"}, {"role": "assistant", "content": "\\udc00"},'
        b' {"role": "user", "content": "Who \\ud83d came?"}], "sources": ["a\\ud83d.txt"], "since": "\\ud83d"}'
    )
    assert question == "Who \ufffd came?" and [t["content"] for t in history] == ["Hi \ufffd", "\ufffd"]
    assert options == {"sources": ["a\ufffd.txt"], "since": "\ufffd"}

    index, _ = build_index(fake_settings, FakeEmbedder())
    pipeline = Pipeline(fake_settings, embedder=FakeEmbedder(), index=index, generator=FakeGenerator("", 0.1))
    client = TestClient(openai_app(pipeline), base_url="http://localhost", raise_server_exceptions=False)
    ask = b'{"messages": [{"role": "user", "content": "Did Zorbl\\ud83d visit Niamey?"}]'
    for body, status in [
        (ask + b"}", 200),
        (ask + b', "stream": true}', 200),
        (ask + b', "sources": "\\ud83d"}', 400),
        (ask + b', "sources": ["x", "\\ud83d"]}', 400),
        (ask + b', "since": "2020-01-01", "until": "\\ud83d"}', 400),
    ]:
        r = client.post("/v1/chat/completions", content=body, headers={"Content-Type": "application/json"})
        assert r.status_code == status, (body, r.status_code, r.text[:200])
        assert r.headers["content-type"].startswith("text/event-stream" if b"stream" in body else "application/json")


def test_the_key_is_matched_as_sent_and_unknown_routes_answer_in_openai_shape(fake_settings):  # type: ignore[no-untyped-def]
    """A key with non-ASCII letters matches when the client sends it as UTF-8 (headers
    arrive as bytes), the scheme is case-insensitive as HTTP says ("bearer"), and a wrong
    path or method under /v1 is a 404 or 405 in OpenAI's error shape, as every other error."""
    from fastapi.testclient import TestClient

    from rag.api import openai_app
    from rag.pipeline import Pipeline
    from rag.store import build_index

    from .conftest import FakeEmbedder, FakeGenerator

    index, _ = build_index(fake_settings, FakeEmbedder())
    pipeline = Pipeline(fake_settings, embedder=FakeEmbedder(), index=index, generator=FakeGenerator("", 0.1))
    client = TestClient(openai_app(pipeline, api_key="clé-secrète"), raise_server_exceptions=False)
    for header, status in [
        ("Bearer clé-secrète".encode(), 200),
        (b"bearer  cl\xc3\xa9-secr\xc3\xa8te ", 200),
        (b"Bearer cle-secrete", 401),
        ("Basic clé-secrète".encode(), 401),
    ]:
        r = client.get("/v1/models", headers={"Authorization": header})  # type: ignore[dict-item]
        assert r.status_code == status, (header, r.status_code)
    key = {"Authorization": "Bearer clé-secrète".encode()}
    for method, path, status in [
        ("GET", "/v1/nothing-here", 404),
        ("GET", "/v1/chat/completions", 405),
        ("DELETE", "/v1/models", 405),
    ]:
        r = client.request(method, path, headers=key)  # type: ignore[arg-type]
        assert r.status_code == status, (method, path, r.status_code)
        assert set(r.json()["error"]) == {"message", "type", "code"}, r.text
    assert client.get("/v1/nothing-here").status_code == 401  # the key comes first


def test_questions_about_the_articles_with_a_filter_nothing_matches_are_a_bad_request(fake_settings):  # type: ignore[no-untyped-def]
    """ "What are the headlines?" from an outlet the index does not hold is not "The index
    holds 0 articles": it is the filter's error, as for a fact question, and with
    ``stream: true`` it comes before any stream starts."""
    from fastapi.testclient import TestClient

    from rag.api import openai_app
    from rag.pipeline import Pipeline
    from rag.store import build_index

    from .conftest import FakeEmbedder, FakeGenerator

    index, _ = build_index(fake_settings, FakeEmbedder())
    pipeline = Pipeline(fake_settings, embedder=FakeEmbedder(), index=index, generator=FakeGenerator("", 0.1))
    for question in (
        "What are the headlines?",
        "How many articles mention Russia?",
        "When was the DW article published?",
    ):
        a = pipeline.answer(question, sources="Nope")
        assert a.refused and a.error and "No article matches" in a.error, (question, a.text)
    client = TestClient(openai_app(pipeline), base_url="http://localhost", raise_server_exceptions=False)
    for question, stream in [
        ("What are the headlines?", False),
        ("Which outlets are there?", False),
        ("What is this story about?", True),
        ("Give me a timeline of events", True),
    ]:
        body = {"messages": [{"role": "user", "content": question}], "since": "2099-01-01", "stream": stream}
        r = client.post("/v1/chat/completions", json=body)
        assert r.status_code == 400 and "No article matches" in r.json()["error"]["message"], (question, r.text[:200])


def test_a_web_page_cannot_use_the_loopback_api_and_failures_keep_openai_shape(fake_settings):  # type: ignore[no-untyped-def]
    """Without a key (loopback), a page the user visits could post a question as a form
    or text/plain (no preflight), and by rebinding its own name to 127.0.0.1 read the
    answer. Both are refused; an unexpected failure is a 500 in OpenAI's shape, not a
    plain-text page; n > 1 is refused, not answered with one choice."""
    from fastapi.testclient import TestClient

    from rag.api import openai_app
    from rag.cli import is_loopback
    from rag.pipeline import Pipeline
    from rag.store import build_index

    from .conftest import FakeEmbedder, FakeGenerator

    index, _ = build_index(fake_settings, FakeEmbedder())
    pipeline = Pipeline(fake_settings, embedder=FakeEmbedder(), index=index, generator=FakeGenerator("", 0.1))
    ask = json.dumps({"messages": [{"role": "user", "content": "Who runs Niger?"}]})
    local = TestClient(openai_app(pipeline), base_url="http://localhost", raise_server_exceptions=False)
    assert (
        local.post("/v1/chat/completions", content=ask, headers={"Content-Type": "application/json"}).status_code == 200
    )
    # A page's fetch() of a typeless Blob sends no Content-Type at all, and no preflight.
    for kind in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""):
        r = local.post("/v1/chat/completions", content=ask, headers={"Content-Type": kind} if kind else {})
        assert r.status_code == 415 and r.json()["error"]["code"] == "not_json", kind
    # A blank last message asks nothing: the earlier question was answered again.
    turns = [{"role": "user", "content": "Who runs Niger?"}, {"role": "assistant", "content": "Tchiani."}]
    r = local.post("/v1/chat/completions", json={"messages": [*turns, {"role": "user", "content": "  "}]})
    assert r.status_code == 400 and "the last one is empty" in r.json()["error"]["message"]
    # Ending with the assistant's reply asks nothing new either (probe: it re-answered).
    r = local.post("/v1/chat/completions", json={"messages": turns})
    assert r.status_code == 400 and "the last message is the assistant's" in r.json()["error"]["message"]
    rebound = TestClient(openai_app(pipeline), base_url="http://evil.example:8765", raise_server_exceptions=False)
    r = rebound.post("/v1/chat/completions", content=ask, headers={"Content-Type": "application/json"})
    assert r.status_code == 403 and r.json()["error"]["code"] == "host_not_allowed"
    for host in ("127.0.0.1:8765", "[::1]:8765", "localhost"):
        assert local.get("/v1/models", headers={"Host": host}).status_code == 200, host
    keyed = TestClient(openai_app(pipeline, api_key="k"), base_url="http://news.example", raise_server_exceptions=False)
    assert keyed.get("/v1/models", headers={"Authorization": "Bearer k"}).status_code == 200  # a key admits any name
    assert not is_loopback("127.evil.example") and is_loopback("127.0.0.1") and is_loopback("::1")

    r = local.post("/v1/chat/completions", json={**json.loads(ask), "n": 3})
    assert r.status_code == 400 and "n must be 1" in r.json()["error"]["message"]
    r = local.post("/v1/chat/completions", json={**json.loads(ask), "model": 5})
    assert r.status_code == 400 and "model must be a name" in r.json()["error"]["message"]
    many = {**json.loads(ask), "sources": [f"outlet-{i}" for i in range(5000)]}
    r = local.post("/v1/chat/completions", json=many)
    assert r.status_code == 400 and "4988 more" in r.json()["error"]["message"] and len(r.content) < 2000
    r = local.post("/v1/chat/completions/", content=ask, headers={"Content-Type": "application/json"})
    assert r.status_code == 404 and "error" in r.json()

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("a bug")

    pipeline.stream = broken  # type: ignore[method-assign]
    r = local.post("/v1/chat/completions", content=ask, headers={"Content-Type": "application/json"})
    assert r.status_code == 500 and r.json()["error"]["type"] == "server_error"


def test_a_client_that_hangs_up_while_sending_is_no_server_error(fake_settings, caplog):  # type: ignore[no-untyped-def]
    """Each such connection logged two tracebacks (ours and uvicorn's)."""
    import asyncio

    from rag.api import openai_app
    from rag.pipeline import Pipeline
    from rag.store import build_index

    from .conftest import FakeEmbedder, FakeGenerator

    index, _ = build_index(fake_settings, FakeEmbedder())
    app = openai_app(Pipeline(fake_settings, embedder=FakeEmbedder(), index=index, generator=FakeGenerator("", 0.1)))
    scope = {
        "type": "http",
        "method": "POST",
        "path": "/v1/chat/completions",
        "raw_path": b"/v1/chat/completions",
        "query_string": b"",
        "headers": [(b"host", b"localhost"), (b"content-type", b"application/json"), (b"content-length", b"500")],
        "client": ("127.0.0.1", 5000),
        "server": ("127.0.0.1", 8000),
        "scheme": "http",
        "http_version": "1.1",
        "root_path": "",
    }
    arriving = iter(
        [{"type": "http.request", "body": b'{"messages": [', "more_body": True}, {"type": "http.disconnect"}]
    )
    sent: list[dict] = []

    async def receive() -> dict:
        return next(arriving, {"type": "http.disconnect"})

    async def send(message: dict) -> None:
        sent.append(message)

    with caplog.at_level(logging.INFO, logger="rag.api"):
        asyncio.run(app(scope, receive, send))
    assert "hung up" in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert sent[0]["status"] == 400


class _Queued:
    """A stand-in pipeline whose question waits for a model another question holds (as
    :class:`rag.models.TransformersGenerator` waits for its lock), recording whether it
    gave up its place or was served."""

    def __init__(self) -> None:
        import threading

        self.busy = threading.Lock()
        self.busy.acquire()  # another question is using the model
        self.gave_up = threading.Event()
        self.served = 0

    def stream(self, question, history=None, withdrawn=None, **options):  # type: ignore[no-untyped-def]
        from rag import Answer
        from rag.errors import TimeLimitError
        from rag.models.generator import _turn

        try:
            with _turn(self.busy, None, withdrawn):
                self.served += 1
        except TimeLimitError:
            self.gave_up.set()
            yield Answer(question=question, text="Too late.", refused=True, error="time limit")
            return
        yield Answer(question=question, text="Served.", refused=False)


@pytest.mark.parametrize("stream", [True, False])
def test_a_client_that_leaves_while_its_question_waits_gives_up_its_place(stream):  # type: ignore[no-untyped-def]
    """A question waiting for the model kept its place after its client hung up, and
    then read its passages for nobody: a burst of abandoned requests held the model for
    minutes. Now the hang-up withdraws it from the queue."""
    import http.client

    from rag.api import openai_app

    fake = _Queued()
    with serving(openai_app(fake)) as port:  # type: ignore[arg-type]
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        body = {"model": "rag-news", "stream": stream, "messages": [{"role": "user", "content": "Who won?"}]}
        conn.request("POST", "/v1/chat/completions", json.dumps(body), {"Content-Type": "application/json"})
        time.sleep(0.5)
        assert not fake.gave_up.is_set()  # still waiting while the client is there
        conn.close()
        assert fake.gave_up.wait(5), "the question kept its place after its client left"
        fake.busy.release()
        time.sleep(0.3)
        assert fake.served == 0


def test_openai_fields_without_effect_are_still_checked_as_openai_checks_them():
    """`temperature`, `max_tokens` and the like have no effect here, but a wrong one was
    answered with 200 ("temperature": "hot", "max_tokens": 1e30, "n": true); OpenAI says 400."""
    from rag.api import RequestError, parse_request

    user = [{"role": "user", "content": "Who won?"}]

    def parsed(**fields):  # type: ignore[no-untyped-def]
        return parse_request(json.dumps({"model": "rag-news", "messages": user, **fields}).encode())

    question, _, _, _ = parsed(temperature=0.7, top_p=1, max_tokens=256, stream_options={"include_usage": True}, n=1)
    assert question == "Who won?"
    for fields, says in [
        ({"temperature": "hot"}, "temperature must be a number from 0 to 2"),
        ({"temperature": 3}, "temperature must be"),
        ({"top_p": -0.5}, "top_p must be"),
        ({"max_tokens": 1e30}, "max_tokens must be a whole number"),
        ({"max_completion_tokens": 0}, "max_completion_tokens must be"),
        ({"n": True}, "n must be 1"),
        ({"stream_options": "bad"}, "stream_options must be an object"),
    ]:
        with pytest.raises(RequestError, match=says) as err:
            parsed(**fields)
        assert err.value.status == 400, fields


def test_questions_past_the_limit_are_told_to_retry_and_places_come_back():
    """Nothing limited the questions waiting for the model: each held a worker thread of
    the pool the chat's pages share (100 of them made a page take 32 s). Past the limit a
    request is a 503 with Retry-After; a place comes back when its answer is done,
    streamed or not."""
    import http.client
    import threading

    from rag.api import openai_app

    fake = _Queued()
    with serving(openai_app(fake, max_answering=1)) as port:  # type: ignore[arg-type]

        def ask(stream: bool = False, question: str = "Who won?") -> tuple[int, dict, str]:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            body = {"model": "rag-news", "stream": stream, "messages": [{"role": "user", "content": question}]}
            conn.request("POST", "/v1/chat/completions", json.dumps(body), {"Content-Type": "application/json"})
            r = conn.getresponse()
            text = r.read().decode()
            conn.close()
            return r.status, (json.loads(text) if not stream else {}), r.getheader("Retry-After") or ""

        first: list[tuple[int, dict, str]] = []
        waiting = threading.Thread(target=lambda: first.append(ask()))
        waiting.start()
        time.sleep(0.5)  # the first question waits for the model
        status, out, retry = ask()
        assert status == 503 and out["error"]["code"] == "busy" and retry == "10"
        fake.busy.release()
        waiting.join(10)
        assert first and first[0][0] == 200
        for stream in (False, True, False):
            assert ask(stream)[0] == 200, stream  # each answer gave its place back
