"""An OpenAI-compatible chat API over the pipeline: ``POST /v1/chat/completions`` and
``GET /v1/models``, so chat clients written for OpenAI (the ``openai`` package, Open
WebUI, editor plugins) can ask the articles.

:func:`openai_app` is a FastAPI app; ``ui.py`` serves it beside the chat (one process,
one port) and ``rag serve`` alone. It uses the public surface only (a :class:`Pipeline`).

The answer is the checked one: ``[n]`` markers in the content, a short "Sources" list at
its end, and the same sources as data in ``message.citations``. A refusal is an ordinary
assistant message with ``refused: true``. Answers are greedy: ``temperature`` and
``top_p`` are accepted and have no effect. With ``stream: true`` the draft streams as it
is written, and the last chunk before ``[DONE]`` carries the checked answer (its
``choices[0].delta.content`` is empty; the answer and citations are in ``rag``), because
the checks may change or refuse the draft.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import logging
import re
import threading
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import asdict
from typing import Any, TypeVar

import anyio
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect

from . import Answer, InvalidOptionError, Pipeline, RagError
from .lang import mend_surrogates

log = logging.getLogger(__name__)

T = TypeVar("T")

#: The model name clients pick (``GET /v1/models``).
MODEL_ID = "rag-news"
#: The largest request body read.
MAX_REQUEST_BYTES = 1_000_000
#: Our own options a request may carry beside OpenAI's fields (``extra_body=`` in the client).
OWN_OPTIONS = ("sources", "since", "until", "top_k")
ROLES = ("system", "developer", "user", "assistant")


class RequestError(Exception):
    """A request we answer with an OpenAI-shaped error."""

    def __init__(self, status: int, message: str, kind: str = "invalid_request_error", code: str | None = None):
        super().__init__(message)
        self.status, self.message, self.kind, self.code = status, message, kind, code


def error_body(status: int, message: str, kind: str = "invalid_request_error", code: str | None = None) -> dict:
    """``{"error": {"message", "type", "code"}}`` as OpenAI writes it."""
    return {"error": {"message": message, "type": kind, "code": code or str(status)}}


def _text(content: Any, where: str) -> str:
    """A message's content: a string, or a list of text parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = []
        for part in content:
            if isinstance(part, dict) and part.get("type") == "text" and isinstance(part.get("text"), str):
                parts.append(part["text"])
            elif isinstance(part, dict) and part.get("type") in ("image_url", "input_audio", "file"):
                raise RequestError(
                    400, f"{where}: only text parts are read, not {part['type']}", code="unsupported_content"
                )
            else:
                raise RequestError(400, f"{where}: a content part must be {{'type': 'text', 'text': str}}")
        return " ".join(parts)
    if content is None:
        return ""
    raise RequestError(400, f"{where}: content must be a string or a list of text parts, not {type(content).__name__}")


def parse_request(body: bytes) -> tuple[str, list[dict[str, str]], dict[str, Any], bool]:
    """The question, earlier turns, our options and ``stream`` of a chat completion request;
    :class:`RequestError` saying what is wrong."""
    if len(body) > MAX_REQUEST_BYTES:
        raise RequestError(413, f"the request is over {MAX_REQUEST_BYTES:,} bytes", code="request_too_large")
    try:
        req = json.loads(body or b"null")
    except (ValueError, RecursionError) as exc:  # JSON nested thousands deep: RecursionError
        raise RequestError(400, f"the request body is not valid JSON ({exc})", code="invalid_json") from None
    if not isinstance(req, dict):
        raise RequestError(400, "the request body must be a JSON object")
    model = req.get("model", MODEL_ID)
    if model is not None and not isinstance(model, str):
        raise RequestError(400, f"model must be a name such as {MODEL_ID!r}")
    if model not in (MODEL_ID, None):
        raise RequestError(
            404, f"the model {model!r} does not exist; use {MODEL_ID!r}", "invalid_request_error", "model_not_found"
        )
    messages = req.get("messages")
    if not isinstance(messages, list) or not messages:
        raise RequestError(400, "messages must be a non-empty list of {role, content}")
    turns = []
    for i, m in enumerate(messages):
        if not isinstance(m, dict):
            raise RequestError(400, f"messages[{i}] must be an object with role and content")
        role = m.get("role")
        if role not in ROLES:
            raise RequestError(400, f"messages[{i}].role {role!r} is not one of {', '.join(ROLES)}")
        turns.append({"role": role, "content": _text(m.get("content"), f"messages[{i}]")})
    users = [i for i, t in enumerate(turns) if t["role"] == "user"]
    if not users or not turns[users[-1]]["content"].strip():
        # A blank last message asks nothing; answering an earlier one would answer twice.
        raise RequestError(400, "there is no user message to answer (the last one is empty)")
    last = users[-1]
    if any(t["role"] == "assistant" for t in turns[last + 1 :]):
        # A reply after the last question: answering that question again is no answer to
        # what the client wanted (a continuation, which this API does not write).
        raise RequestError(400, "the last message is the assistant's; end with the user's question to answer")
    history = [t for t in turns[:last] if t["role"] in ("user", "assistant")]
    options = {k: req[k] for k in OWN_OPTIONS if req.get(k) is not None}
    if "top_k" in options and (isinstance(options["top_k"], bool) or not isinstance(options["top_k"], int)):
        raise RequestError(400, "top_k must be an integer")
    for name in ("since", "until"):
        if name in options and not isinstance(options[name], str):
            raise RequestError(400, f"{name} must be a date written YYYY-MM-DD")
    sources = options.get("sources")
    if sources is not None and not (
        isinstance(sources, str) or (isinstance(sources, list) and all(isinstance(x, str) for x in sources))
    ):
        raise RequestError(400, "sources must be a name or a list of names")
    n = req.get("n", 1)
    if n is not None and (isinstance(n, bool) or n != 1):
        raise RequestError(400, "n must be 1: one answer is given per question")
    _check_ignored(req)
    stream = req.get("stream", False)
    if not isinstance(stream, bool):
        raise RequestError(400, "stream must be true or false")
    # JSON may carry half an emoji ("\ud83d"), which no reply echoing it could encode.
    history = [{**t, "content": mend_surrogates(t["content"])} for t in history]
    options = {k: _mended(v) for k, v in options.items()}
    return mend_surrogates(turns[last]["content"]), history, options, stream


#: OpenAI's sampling fields, accepted and ignored (one greedy, checked answer), with the
#: range OpenAI accepts: a client's mistake there is a 400, so it is here too.
_IGNORED_NUMBERS = {"temperature": (0, 2), "top_p": (0, 1), "presence_penalty": (-2, 2), "frequency_penalty": (-2, 2)}
_IGNORED_COUNTS = ("max_tokens", "max_completion_tokens")


def _check_ignored(req: dict[str, Any]) -> None:
    for name, (low, high) in _IGNORED_NUMBERS.items():
        value = req.get(name)
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high
        ):
            raise RequestError(400, f"{name} must be a number from {low} to {high}")
    for name in _IGNORED_COUNTS:
        value = req.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
            raise RequestError(400, f"{name} must be a whole number of at least 1")
    if req.get("stream_options") is not None and not isinstance(req["stream_options"], dict):
        raise RequestError(400, "stream_options must be an object")


def _mended(value: Any) -> Any:
    """An option's string (or list of strings) with lone surrogates mended."""
    if isinstance(value, str):
        return mend_surrogates(value)
    return [_mended(v) for v in value] if isinstance(value, list) else value


def citations(answer: Answer) -> list[dict[str, Any]]:
    """The answer's sources as data: number, title, file, passage text and span."""
    return [asdict(c) for c in answer.citations]


def content(answer: Answer) -> str:
    """The message a plain chat client shows: the answer, then its sources."""
    if not answer.citations:
        return answer.text
    lines = [f"[{c.number}] {c.title} ({c.source})" for c in answer.citations]
    return answer.text + "\n\nSources:\n" + "\n".join(lines)


def message(answer: Answer) -> dict[str, Any]:
    """The assistant message of a completion: content and our fields."""
    return {
        "role": "assistant",
        "content": content(answer),
        "citations": citations(answer),
        "refused": answer.refused,
        "reasons": list(answer.reasons),
        "explanation": answer.explanation,
        "kind": answer.kind,
        "items": [asdict(i) for i in answer.items],
    }


def usage(answer: Answer) -> dict[str, int]:
    prompt, completion = answer.usage.get("prompt_tokens", 0), answer.usage.get("completion_tokens", 0)
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


def loopback_name(host: str) -> bool:
    """Is ``host`` (an address or name, without a port) this machine only: ``localhost``
    or a loopback address (127.0.0.0/8, ::1)?"""
    host = host.strip().strip("[]").rstrip(".").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def host_of(header: str) -> str:
    """The host of a ``Host`` header, without its port ("[::1]:8765" -> "::1")."""
    if header.startswith("["):
        return header[1 : header.find("]")] if "]" in header else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


#: Questions the API answers or holds in the model's queue at once; past them a request is
#: a 503 to retry later. Each waits in a worker thread of a pool the chat's files share
#: (40 threads): 100 waiting questions made a page of the chat take 32 s to load.
MAX_ANSWERING = 16


def openai_app(pipeline: Pipeline, api_key: str = "", max_answering: int = MAX_ANSWERING) -> FastAPI:
    """The API as a FastAPI app (mount it, or serve it with uvicorn). With ``api_key``,
    every request must carry ``Authorization: Bearer <api_key>``. Without one (loopback),
    only requests addressed to this machine by name (``Host: localhost``, ``127.0.0.1``)
    are served, and a body must be JSON: a web page the user visits can neither post a
    question nor, by rebinding its own name to 127.0.0.1, read the answer. At most
    ``max_answering`` questions are answered or wait for the model at once."""
    app = FastAPI(
        title="rag news: OpenAI-compatible API",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        redirect_slashes=False,  # "/v1/chat/completions/" is a 404 in OpenAI's shape, not a bare redirect
    )

    def fail(exc: RequestError) -> JSONResponse:
        return JSONResponse(error_body(exc.status, exc.message, exc.kind, exc.code), status_code=exc.status)

    answering = threading.BoundedSemaphore(max_answering)

    def counted(items: Iterator[str | Answer]) -> Iterator[str | Answer]:
        # Holds a place from the question's first step to the stream's close (the API
        # always starts a stream and always closes it; see ``_close``).
        try:
            yield from items
        finally:
            answering.release()

    @app.middleware("http")
    async def same_machine(request: Request, call_next):
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if request.method == "POST" and kind != "application/json":
            # A browser posts a form, text/plain or a typeless Blob to any site without
            # asking first; every OpenAI client says it sends JSON.
            return fail(RequestError(415, "send the request as JSON (Content-Type: application/json)", code="not_json"))
        if not api_key and not loopback_name(host_of(request.headers.get("host", ""))):
            return fail(
                RequestError(
                    403,
                    "without an API key this server answers requests to localhost or 127.0.0.1 only",
                    code="host_not_allowed",
                )
            )
        return await call_next(request)

    @app.middleware("http")
    async def key_required(request: Request, call_next):
        if api_key:
            # Header values arrive as bytes (Starlette decodes them as Latin-1): compare
            # bytes, so a key with non-ASCII letters sent as UTF-8 matches. The scheme is
            # case-insensitive (RFC 9110).
            scheme, _, given = request.headers.get("authorization", "").strip().partition(" ")
            token = given.strip().encode("latin-1", "replace")
            if scheme.lower() != "bearer" or not hmac.compare_digest(token, api_key.encode()):
                return fail(
                    RequestError(
                        401, "a valid API key is required (Authorization: Bearer <key>)", code="invalid_api_key"
                    )
                )
        return await call_next(request)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        # A wrong path (404) or method (405) in OpenAI's shape, as every other error.
        return fail(RequestError(exc.status_code, str(exc.detail), code=f"http_{exc.status_code}"))

    @app.exception_handler(ClientDisconnect)
    async def hung_up(request: Request, exc: ClientDisconnect) -> JSONResponse:
        # The client left while sending its request: nobody to answer, nothing failed.
        log.info("a client hung up while sending %s", request.url.path)
        return fail(RequestError(400, "the client hung up before the request was sent"))

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> JSONResponse:
        log.exception("the API failed on %s", request.url.path)
        return fail(RequestError(500, "the server failed to answer; see its log", "server_error", "internal_error"))

    # async: a list of one model never waits behind answers for a worker thread.
    @app.get("/v1/models")
    async def models() -> dict:
        return {"object": "list", "data": [{"id": MODEL_ID, "object": "model", "created": 0, "owned_by": "rag"}]}

    @app.get("/v1/models/{model}")
    async def model(model: str):
        if model != MODEL_ID:
            return fail(
                RequestError(404, f"the model {model!r} does not exist; use {MODEL_ID!r}", code="model_not_found")
            )
        return {"id": MODEL_ID, "object": "model", "created": 0, "owned_by": "rag"}

    @app.post("/v1/chat/completions")
    async def completions(request: Request):
        body = b""
        async for part in request.stream():  # read at most one byte past the limit
            body += part
            if len(body) > MAX_REQUEST_BYTES:
                break
        try:
            question, history, options, stream = parse_request(body)
        except RequestError as exc:
            return fail(exc)
        ident, created = f"chatcmpl-{uuid.uuid4().hex[:24]}", int(time.time())
        if not answering.acquire(blocking=False):
            busy = error_body(
                503, f"{max_answering} questions are being answered; retry shortly", "server_error", "busy"
            )
            return JSONResponse(busy, status_code=503, headers={"Retry-After": "10"})
        # Set when the client hangs up: a question still waiting for the model leaves the queue.
        withdrawn = threading.Event()
        if stream:
            # The first piece is read before answering, so an unusable request (an empty
            # question, a filter no article matches) is an HTTP error, as without ``stream``.
            items = counted(pipeline.stream(question, history, withdrawn=withdrawn, **options))
            try:
                first = await _until_hang_up(lambda: run_in_threadpool(next, items, None), request, withdrawn)
            except (RagError, InvalidOptionError) as exc:
                await _close(items)
                return fail(RequestError(503, str(exc), "server_error", "index_or_model_unavailable"))
            if withdrawn.is_set():  # the client hung up before the first piece
                await _close(items)
                return Response(status_code=499)
            if isinstance(first, Answer) and first.asked_nothing:
                await _close(items)
                return fail(RequestError(400, first.error or "", code="invalid_request"))
            return _ClosingStream(_events(items, first, ident, created), media_type="text/event-stream")
        try:
            answer = await _final(
                counted(pipeline.stream(question, history, withdrawn=withdrawn, **options)), request, withdrawn
            )
        except (RagError, InvalidOptionError) as exc:
            return fail(RequestError(503, str(exc), "server_error", "index_or_model_unavailable"))
        if answer is None:  # the client hung up: nobody to answer
            return Response(status_code=499)
        if answer.asked_nothing:
            return fail(RequestError(400, answer.error or "", code="invalid_request"))
        return {
            "id": ident,
            "object": "chat.completion",
            "created": created,
            "model": MODEL_ID,
            "choices": [{"index": 0, "message": message(answer), "finish_reason": "stop"}],
            "usage": usage(answer),
        }

    return app


async def _close(items: Iterator[str | Answer]) -> None:
    """Close the pipeline's stream, which stops the model at its next step. Shielded:
    closing must finish even when the request's task is being cancelled."""
    close = getattr(items, "close", None)
    if close:
        with anyio.CancelScope(shield=True):
            await run_in_threadpool(close)


async def _final(items: Iterator[str | Answer], request: Request, withdrawn: threading.Event) -> Answer | None:
    """The checked answer at the end of the pipeline's stream, or ``None`` when the
    client hangs up first: then the stream is closed, which stops the model at its next
    step (a burst of abandoned questions would otherwise hold it for everyone)."""

    async def last() -> str | Answer | None:
        # A piece at a time: a hang-up while the model writes ends the wait between two
        # pieces, and closing the stream stops the model.
        while (item := await run_in_threadpool(next, items, None)) is not None and not isinstance(item, Answer):
            pass
        return item

    try:
        final = await _until_hang_up(last, request, withdrawn)
        return None if withdrawn.is_set() or not isinstance(final, Answer) else final
    finally:
        await _close(items)


async def _until_hang_up(work: Callable[[], Awaitable[T]], request: Request, withdrawn: threading.Event) -> T | None:
    """``await work()`` while listening for the client's hang-up, which sets ``withdrawn``:
    a pipeline waiting for the model then stops waiting (see
    :func:`rag.models.answering_until`), so the worker thread it runs in returns soon.
    ``None`` after a hang-up; ``work``'s exception as itself."""
    result: T | None = None
    failed: Exception | None = None

    async def drive(done: anyio.CancelScope) -> None:
        nonlocal result, failed
        try:
            result = await work()
        except Exception as exc:  # raised below as itself, not inside a task group's ExceptionGroup
            failed = exc
        done.cancel()

    async def listen(done: anyio.CancelScope) -> None:
        # Polling ``request.is_disconnected()`` never sees the hang-up behind an
        # ``@app.middleware``; waiting for the message does.
        while (await request.receive())["type"] != "http.disconnect":
            pass
        withdrawn.set()
        done.cancel()

    async with anyio.create_task_group() as group:
        group.start_soon(drive, group.cancel_scope)
        group.start_soon(listen, group.cancel_scope)
    if failed is not None:
        raise failed
    return None if withdrawn.is_set() else result


def _chunk(ident: str, created: int, delta: dict, finish: str | None = None, **extra: Any) -> str:
    body = {
        "id": ident,
        "object": "chat.completion.chunk",
        "created": created,
        "model": MODEL_ID,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        **extra,
    }
    return f"data: {json.dumps(body, ensure_ascii=False)}\n\n"


async def _events(
    items: Iterator[str | Answer], first: str | Answer | None, ident: str, created: int
) -> AsyncIterator[str]:
    """Server-sent events: the role, the draft as written, then the checked answer.

    ``items`` is the pipeline's stream, ``first`` its first piece; each next piece is read
    in a worker thread. When the client goes away the stream is closed (see
    :class:`_ClosingStream`), which stops the model at its next step."""
    yield _chunk(ident, created, {"role": "assistant", "content": ""})
    streamed = ""
    try:
        item = first
        while item is not None:
            if isinstance(item, Answer):
                if item.asked_nothing:
                    yield f"data: {json.dumps(error_body(400, item.error or '', code='invalid_request'))}\n\n"
                else:
                    last = {"content": closing(streamed, content(item))}
                    yield _chunk(ident, created, last, "stop", rag=message(item), usage=usage(item))
                break
            streamed += item
            yield _chunk(ident, created, {"content": item})
            item = await run_in_threadpool(next, items, None)
    except (RagError, InvalidOptionError) as exc:
        yield f"data: {json.dumps(error_body(503, str(exc), 'server_error'))}\n\n"
    except Exception:  # any other failure ends the stream as OpenAI's would, not cut short
        log.exception("the API failed while streaming")
        yield f"data: {json.dumps(error_body(500, 'the server failed to answer; see its log', 'server_error'))}\n\n"
    finally:
        # The worker reading the last piece has returned (Starlette waits for it), so
        # the stream is not running when it is closed.
        await _close(items)
    yield "data: [DONE]\n\n"


def closing(streamed: str, checked: str) -> str:
    """The last delta of a stream, for a client that only joins the deltas (as most do):
    what turns the streamed draft into the checked message. The rest of it when the draft
    begins it (the Sources list); the whole of it when nothing streamed (a refusal before
    any draft, an overview); otherwise the checked message after a rule, since text
    already streamed cannot be taken back."""
    # Spacing aside, and a marker on either side of its sentence's stop: the checked text
    # is the draft stripped, its markers spaced and put before the stop ("Niamey [1].").
    draft = _marks_first("".join(streamed.split()))
    if _marks_first("".join(checked.split())).startswith(draft):
        seen = at = 0
        while seen < len(draft):
            seen += not checked[at].isspace()
            at += 1
        return checked[at:]
    return f"\n\n---\nChecked against the articles: {checked}"


def _marks_first(text: str) -> str:
    """``text`` with each run of citation markers put before the stop it follows
    ("door.[1]" -> "door[1].") : the same length, so positions still count alike."""
    return _MARK_AFTER_STOP.sub(r"\2\1", text)


_MARK_AFTER_STOP = re.compile(r"([.!?;:,])((?:\[\d+\])+)")


class _ClosingStream(StreamingResponse):
    """A streaming response that closes its body when it ends for any reason. Starlette
    stops iterating when the client hangs up but leaves the body suspended, so the
    pipeline's stream, and the model with it, would write on for nobody."""

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            body = self.body_iterator
            if hasattr(body, "aclose"):
                await body.aclose()


class WithOpenAIAPI:
    """ASGI middleware serving ``api`` (see :func:`openai_app`) under ``/v1`` beside
    another app (the Gradio chat), on the same port."""

    def __init__(self, app: Any, api: Any) -> None:
        self.app, self.api = app, api

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        path = scope.get("path", "")
        if scope.get("type") == "http" and (path == "/v1" or path.startswith("/v1/")):
            await self.api(scope, receive, send)
        else:
            await self.app(scope, receive, send)
