"""The browser chat: ``python ui.py`` serves it at http://127.0.0.1:7860.

A thin client of :mod:`rag`: it builds the index if it is missing or stale, then shows
streamed answers from :meth:`rag.Pipeline.stream` with their numbered sources. No
retrieval or prompt logic lives here, only presentation.

API: ``gradio_client.Client(url).predict(question, history, api_name="/ask")`` returns
the answer with its sources as a dict (see :func:`ask_api`).
"""

from __future__ import annotations

import argparse
import html
import json
import logging
import os
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

import gradio as gr
from starlette.middleware import Middleware

from rag import Answer, InvalidOptionError, Pipeline, RagError, Settings
from rag.api import WithOpenAIAPI, host_of, loopback_name, openai_app
from rag.cli import is_loopback, port
from rag.ingest import ARTICLE_SUFFIXES, DUMP_SUFFIX, article_file, article_text, dump_problems
from rag.lang import mend_surrogates
from rag.store import add_files, remove_articles, why_not_addable

log = logging.getLogger("ui")

EXAMPLES = [
    "How many instructors came with the Russian equipment?",
    "Which country besides the US has had a military airbase in Niger's capital?",
    "Who is Mamadou Thior?",
    "How many US military personnel are in Niger?",
    "What is the boiling point of water at sea level?",
]
SOURCE_PREFIX = "Source "
CLOSEST_PREFIX = "Closest passage: "
REFUSAL_LABEL = "**Not in the articles.**"
CONTEXT_CHARS = 160

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-!|~])")
#: What the chat would turn into a live link ("https://", "www.", "name@host"): a word
#: joiner (U+2060, invisible) goes in between, so an article's address stays text.
_AUTOLINK = re.compile(r"(?<=:)(?=//)|(?<=www)(?=\.)|(?=@)", re.IGNORECASE)
_JOINER = "\u2060"


def escape(text: str) -> str:
    """Show article or model text literally: no HTML, no Markdown formatting.

    Quotes stay as they are: the chat renders ``&#x27;`` literally (measured in Chromium),
    and outside a tag attribute a quote cannot open markup.
    """
    return _AUTOLINK.sub(_JOINER, _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False)))


def panel_title(prefix: str, title: str, source: str) -> str:
    """A source panel's heading; the chat renders it as Markdown and HTML, so the
    article's headline is escaped like any other article text."""
    return f"{prefix}{escape(title)} ({escape(source)})"


def passage_view(
    number: int | None, title: str, source: str, text: str, start: int, end: int, article: str | None
) -> str:
    """The passage in its article context, the cited span highlighted."""
    body = f"<mark>{escape(text)}</mark>"
    if article is not None and article[start:end].split() == text.split():
        before = " ".join(article[max(0, start - CONTEXT_CHARS) : start].split())
        after = " ".join(article[end : end + CONTEXT_CHARS].split())
        body = (f"…{escape(before)} " if before else "") + body + (f" {escape(after)}…" if after else "")
    head = f"**[{number}] {escape(title)}**" if number is not None else f"**{escape(title)}**"
    return f"{head}  \n{escape(source)} · characters {start}–{end}\n\n{body}"


_BULLET = re.compile(r"^- (?:\*\*(.+?)\*\*: )?(.*)$")
_SECTION = re.compile(r"^\*\*(.+)\*\*$")


def answer_text(answer: Answer) -> str:
    """The answer as shown: escaped; a refusal or an input problem labelled as such; an
    overview, timeline, comparison or list as a Markdown list (its text escaped)."""
    if answer.error:
        return f"**Cannot answer:** {escape(answer.error)}"
    if answer.refused:
        return f"{REFUSAL_LABEL} {escape(answer.text)} The closest passages are below."
    if answer.kind == "fact":
        return escape(answer.text)
    lines = []
    for line in answer.text.split("\n"):
        if m := _BULLET.match(line):
            when = f"**{escape(m.group(1))}**: " if m.group(1) else ""
            lines.append(f"- {when}{escape(m.group(2))}")
        elif m := _SECTION.match(line):
            lines.append(f"\n**{escape(m.group(1))}**\n")
        else:
            lines.append(f"\n{escape(line)}\n")
    return "\n".join(lines).strip()


#: The types of ``/ask``'s inputs, in order (question, history, sources, since, until).
ASK_INPUTS = (
    ("question", (str,)),
    ("history", (list, type(None))),
    ("sources", (list, str, type(None))),
    ("since", (str, type(None))),
    ("until", (str, type(None))),
)
#: The largest ``/ask`` request body read (a question is at most a few KB).
MAX_ASK_BYTES = 1_000_000


def ask_request_problem(body: bytes) -> str | None:
    """Why a raw HTTP ``/ask`` request body cannot be answered, or ``None`` when it can:
    ``{"data": [question, history?, sources?, since?, until?]}`` with those types."""
    try:
        payload = json.loads(body or b"null")
    except (ValueError, RecursionError):  # nested thousands deep: RecursionError
        return "the request body is not JSON (or is nested too deep)"
    data = payload.get("data") if isinstance(payload, dict) else None
    if not isinstance(data, list):
        return 'the request needs {"data": [question, history, sources, since, until]}'
    if not 1 <= len(data) <= len(ASK_INPUTS):
        return f"data holds {len(data)} values; /ask takes 1 to {len(ASK_INPUTS)} (question, history, sources, since, until)"
    for value, (name, types) in zip(data, ASK_INPUTS, strict=False):
        if not isinstance(value, types):
            return f"{name} must be {' or '.join('null' if t is type(None) else t.__name__ for t in types)}, not {type(value).__name__}"
    return None


class AskRequestGuard:
    """ASGI middleware: a malformed raw ``/ask`` request gets a 4xx with a message,
    instead of reaching Gradio (which logs a traceback and answers ``{"error": null}``).
    A valid one is passed on, its optional inputs filled with nulls."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        path = scope.get("path", "")
        if (
            scope.get("type") != "http"
            or scope.get("method") != "POST"
            # Every route Gradio serves the endpoint by (its v2 call and api routes too).
            or not path.rstrip("/").endswith(("/call/ask", "/run/ask", "/api/ask", "/call/v2/ask"))
        ):
            await self.app(scope, receive, send)
            return
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > MAX_ASK_BYTES:
                await _json_error(send, 413, f"the request is over {MAX_ASK_BYTES:,} bytes")
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        problem = ask_request_problem(body)
        if problem:
            await _json_error(send, 422, problem)
            return
        # The inputs after the question are optional: Gradio wants all five.
        payload = json.loads(body)
        payload["data"] = payload["data"] + [None] * (len(ASK_INPUTS) - len(payload["data"]))
        body = json.dumps(payload).encode()
        headers = [(k, v) for k, v in scope.get("headers", []) if k.lower() != b"content-length"]
        scope = {**scope, "headers": [*headers, (b"content-length", str(len(body)).encode())]}
        sent = False

        async def replay() -> dict:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


class LocalHostGuard:
    """ASGI middleware for a chat on this machine without a login: only requests addressed
    to it by a loopback name (``Host: localhost``, ``127.0.0.1``, ``::1``) are served.

    A web page the user visits can rebind its own name to 127.0.0.1 and then reach the
    chat as its own site: read the articles, ask, add or delete articles. Its requests
    carry its name in ``Host``; the browser's own carry ``localhost`` or the address.
    A page that posts to the chat from its own site (a multipart upload needs no
    permission) is told apart by its ``Origin``: a request that names one must name a
    loopback one. ``/v1`` is dispatched before this guard and applies its own rules."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope.get("type") in ("http", "websocket"):
            headers = dict(scope.get("headers", []))
            host = headers.get(b"host", b"").decode("latin-1")
            origin = headers.get(b"origin", b"").decode("latin-1")
            if not loopback_name(host_of(host)) or (origin and not loopback_name(_origin_host(origin))):
                if scope["type"] == "websocket":
                    await send({"type": "websocket.close", "code": 1008})
                else:
                    await _json_error(
                        send,
                        403,
                        "this chat answers requests to localhost or 127.0.0.1 only (give --auth to serve it by other names)",
                    )
                return
        await self.app(scope, receive, send)


class NoUploads:
    """ASGI middleware for a read-only chat: Gradio's upload route, which takes and keeps
    a file before any handler could refuse it, is closed (the chat shows no upload)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope.get("type") == "http" and scope.get("path", "").rstrip("/").endswith("/upload"):
            await _json_error(send, 403, "this chat is read-only: articles cannot be added")
            return
        await self.app(scope, receive, send)


def _origin_host(origin: str) -> str:
    """The host of an ``Origin`` header ("http://127.0.0.1:7860" -> "127.0.0.1"; "null",
    a sandboxed or local page, has none)."""
    rest = origin.split("://", 1)[1] if "://" in origin else ""
    return host_of(rest.split("/", 1)[0])


async def _json_error(send: Any, status: int, message: str) -> None:
    body = json.dumps({"error": {"message": message, "code": status}}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def upload_problem(path: Path, seeds_dir: Path, max_bytes: int) -> str | None:
    """Why an uploaded file cannot be added as an article (naming it), or ``None``: the
    upload limit, then what ``rag add`` refuses (:func:`rag.store.why_not_addable`)."""
    try:
        size = path.stat().st_size
    except OSError:  # gone before it was read (a cleaned-up temporary upload)
        return f"{path.name}: the upload is no longer there; upload it again"
    if size > max_bytes:
        return f"{path.name}: {size:,} bytes, over the limit of {max_bytes:,} (RAG_MAX_UPLOAD_BYTES)"
    problem = why_not_addable(path, seeds_dir)
    # The browser needs the article's name, not where the server keeps its files.
    return problem.replace(f"{seeds_dir}{os.sep}", "").replace(str(path.parent) + os.sep, "") if problem else None


class ChatApp:
    """Holds the pipeline; turns its answers into chat messages. Unless ``read_only``,
    articles can be added and removed from the browser."""

    def __init__(self, pipeline: Pipeline, watching: bool = False, read_only: bool = False) -> None:
        self.pipeline = pipeline
        self.watching = watching
        self.read_only = read_only
        # One change of the articles at a time; questions go on from the index they started with.
        self._changing = threading.Lock()

    def article_files(self) -> list[str]:
        """The indexed article files (what can be removed)."""
        return sorted({article_file(d) for d in self.pipeline.index.manifest.documents})

    def upload(self, files: list[Any] | None) -> Iterator[str]:
        """Add uploaded article files to the articles folder and index them (as ``rag
        add``); yields progress, then what was added and why any file was not."""
        if self.read_only:
            yield "Adding articles is switched off on this server."
            return
        paths = [Path(f if isinstance(f, str) else getattr(f, "name", "")) for f in files or []]
        if not paths:
            yield "Choose one or more article files first."
            return
        settings = self.pipeline.settings
        good: list[Path] = []
        bad: list[str] = []
        for p in paths:
            problem = upload_problem(p, settings.seeds_dir, settings.max_upload_bytes)
            if not problem and any(g.name == p.name for g in good):  # both would be seeds/<name>
                problem = f"{p.name}: another upload has the same name; rename one and upload it again"
            if problem:
                bad.append(problem)
            else:
                good.append(p)
        report = [f"Not added: {escape(b)}" for b in bad]
        if not good:
            yield "\n\n".join(report)
            return
        yield "\n\n".join(report + [f"Indexing {len(good)} article(s)…"])
        with self._changing:
            try:
                store, _ = add_files(settings, self.pipeline.embedder, good)
            except RagError as exc:
                yield "\n\n".join([*report, f"Nothing was added: {escape(str(exc))}"])
                return
            self.pipeline.replace_index(store)
            # A dump is added without its bad lines: say which, not a plain success (read
            # while no removal can take the file away).
            skipped = {
                g.name: dump_problems(settings.seeds_dir / g.name) for g in good if g.suffix.lower() == DUMP_SUFFIX
            }
        added = ", ".join(escape(g.name) for g in good)
        partial = [
            f"{escape(name)}: {len(problems)} line(s) skipped ({escape('; '.join(problems[:3]))}"
            + (", …" if len(problems) > 3 else "")
            + ")"
            for name, problems in skipped.items()
            if problems
        ]
        yield "\n\n".join([f"Added {added}; ask about it now.", *partial, *report])

    def remove(self, name: str | None, confirmed: bool) -> str:
        """Remove an article file and its passages, once ``confirmed``."""
        if self.read_only:
            return "Removing articles is switched off on this server."
        if not name:
            return "Choose the article to remove."
        if not confirmed:
            return f"Tick “Yes, remove it” to remove {escape(name)}."
        with self._changing:
            try:
                store, _ = remove_articles(self.pipeline.settings, self.pipeline.embedder, [name])
            except RagError as exc:
                return f"Not removed: {escape(str(exc))}"
            self.pipeline.replace_index(store)
        return f"Removed {escape(name)}."

    def remove_chosen(self, name: str | None, confirmed: bool) -> tuple[str, Any, Any]:
        """The Remove button: the message, then the choice and the tick. Both are cleared
        only once the article is gone, so each removal is chosen and confirmed anew; a
        refusal ("tick the box first") leaves them as they were."""
        message = self.remove(name, confirmed)
        if name and name not in self.article_files():
            return message, gr.update(choices=self.article_files(), value=None), False
        return message, gr.update(), gr.update()

    def _article(self, source: str) -> str | None:
        return article_text(self.pipeline.settings.seeds_dir, source)

    def filter_choices(self) -> list[str]:
        """What the filter can narrow to: the outlets, then the article files."""
        manifest = self.pipeline.index.manifest
        files = sorted({article_file(d) for d in manifest.documents})
        return list(manifest.outlets) + [f for f in files if f not in manifest.outlets]

    @staticmethod
    def filter_options(sources: list[str] | str | None, since: str | None, until: str | None) -> dict[str, Any]:
        """The filter fields as ``answer()`` options (empty ones left out). ``sources``
        may be one name or a list ("CNN" is one outlet, not three letters)."""
        opts: dict[str, Any] = {}
        if sources and not isinstance(sources, (str, list, tuple)):
            raise InvalidOptionError(f"sources must be a name or a list of names, not {type(sources).__name__}")
        if sources:
            opts["sources"] = [sources] if isinstance(sources, str) else [str(x) for x in sources]
        if isinstance(since, str) and since.strip():
            opts["since"] = since.strip()
        if isinstance(until, str) and until.strip():
            opts["until"] = until.strip()
        return opts

    def source_messages(self, answer: Answer) -> list[dict[str, Any]]:
        """One collapsible message per cited source (or closest passage, for a refusal)."""
        out = []
        if answer.citations:
            for c in answer.citations:
                out.append(
                    {
                        "role": "assistant",
                        "content": passage_view(
                            c.number, c.title, c.source, c.text, c.start, c.end, self._article(c.source)
                        ),
                        "metadata": {
                            "title": panel_title(f"{SOURCE_PREFIX}\\[{c.number}\\] ", c.title, c.source),
                            "status": "done",
                        },
                    }
                )
        elif answer.refused and not answer.error:
            for h in answer.hits[:3]:
                ch = h.chunk
                out.append(
                    {
                        "role": "assistant",
                        "content": passage_view(
                            None, ch.title, ch.doc_id, ch.text, ch.start, ch.end, self._article(ch.doc_id)
                        ),
                        "metadata": {"title": panel_title(CLOSEST_PREFIX, ch.title, ch.doc_id), "status": "done"},
                    }
                )
        return out

    @staticmethod
    def status(answer: Answer) -> str:
        t = answer.timings
        if answer.error:
            return "Nothing asked: " + escape(answer.error)
        # A structured answer is written whole at once: no "first words after 0.0 s".
        first = (
            f", first words after {t['first_token_s']:.1f} s" if "first_token_s" in t and answer.kind == "fact" else ""
        )
        total = f"{t.get('total_s', 0):.1f} s{first}"
        if answer.refused:
            why = f" {escape(answer.explanation)}" if answer.explanation else ""
            return f"Not in the articles ({total}).{why}"
        return f"Answered in {total} · {len(answer.citations)} source(s)."

    @staticmethod
    def conversation(messages: list[dict[str, Any]]) -> list[dict[str, str]]:
        """The turns to pass to ``answer()``: user questions and answers, not source panels."""
        turns = []
        for m in messages or []:
            meta = m.get("metadata") or {}
            if meta.get("title"):
                continue
            content = m.get("content")
            if isinstance(content, list):
                content = " ".join(p.get("text", "") for p in content if isinstance(p, dict))
            turns.append({"role": m.get("role", ""), "content": _unescape(str(content or ""))})
        return turns

    def respond(
        self,
        question: str,
        messages: list[dict[str, Any]],
        sources: list[str] | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> Iterator[tuple[list, str, Any]]:
        """Gradio handler: stream the answer into the chat, then show sources and status.
        ``sources``/``since``/``until`` narrow the articles it may draw on.

        The question box is emptied once, when the question is taken; text typed while the
        answer streams is left alone. A question that cannot be asked (a bad date, too
        long) goes back into the box, and leaves no turn in the conversation."""
        messages = list(messages or [])
        keep = gr.update()  # the box as the user has it now
        if not (question or "").strip():
            yield messages, "Type a question first.", keep
            return
        # A browser may send half an emoji (a lone surrogate), which no reply could encode.
        question = mend_surrogates(question)
        since, until = (mend_surrogates(d) if isinstance(d, str) else d for d in (since, until))
        history = self.conversation(messages)
        before = list(messages)
        messages.append({"role": "user", "content": escape(question)})
        messages.append({"role": "assistant", "content": "…"})
        yield messages, "Searching the articles…", ""
        draft = ""
        try:
            for item in self.pipeline.stream(question, history, **self.filter_options(sources, since, until)):
                if isinstance(item, Answer) and item.asked_nothing:
                    yield before, self.status(item), question
                elif isinstance(item, Answer):
                    messages[-1] = {"role": "assistant", "content": answer_text(item)}
                    messages.extend(self.source_messages(item))
                    yield messages, self.status(item), keep
                else:
                    draft += item
                    messages[-1] = {"role": "assistant", "content": escape(draft)}
                    yield messages, "Writing the answer…", keep
        except RagError as exc:
            log.warning("question failed: %s", exc)
            messages[-1] = {"role": "assistant", "content": f"**Error:** {escape(str(exc))}"}
            yield messages, "Error: " + escape(str(exc)), keep
        except Exception as exc:
            log.exception("unexpected error")
            messages[-1] = {
                "role": "assistant",
                "content": f"**Error:** something went wrong ({escape(type(exc).__name__)}). See the server log.",
            }
            yield messages, "Error: " + type(exc).__name__, keep

    def ask_api(
        self,
        question: str,
        history: list[dict[str, str]] | None = None,
        sources: list[str] | str | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> dict[str, Any]:
        """Answer ``question`` (with optional chat ``history``) from the articles, optionally
        only those from ``sources`` (outlets or files) published ``since``/``until`` (YYYY-MM-DD).

        Returns {"answer", "refused", "error", "citations": [{"number", "title", "source",
        "text", "start", "end"}], "closest": [...same fields...], "timings", "reasons" (technical), "explanation" (a refusal's reason in plain words), "kind",
        "items": [{"text", "citations", "date", "certain", "label"}]} (``kind`` is ``fact``, or
        ``overview``/``timeline``/``comparison``/``collection`` with the lines in ``items``).
        """
        try:
            a = self.pipeline.answer(question, history or [], **self.filter_options(sources, since, until))
        except RagError as exc:  # the same fields as an answer, for a client that reads them all
            a = Answer(question=question, text="", refused=True, error=str(exc), explanation=str(exc))
        cites = [{k: v for k, v in asdict(c).items() if k != "supports"} for c in a.citations]
        closest = [
            {
                "number": None,
                "title": h.chunk.title,
                "source": h.chunk.doc_id,
                "text": h.chunk.text,
                "start": h.chunk.start,
                "end": h.chunk.end,
                "score": h.score,
            }
            for h in (a.hits[:3] if a.refused else ())
        ]
        return {
            "answer": a.text,
            "refused": a.refused,
            "error": a.error,
            "citations": cites,
            "closest": closest,
            "timings": a.timings,
            "reasons": list(a.reasons),
            "explanation": a.explanation,
            "kind": a.kind,
            "items": [asdict(i) for i in a.items],
        }

    def articles_markdown(self) -> str:
        titles = self.pipeline.index.manifest.titles
        flagged = self.pipeline.index.manifest.flagged
        hidden = " · *text addressed to AI models, hidden from answers*"
        lines = [
            f"- **{escape(t)}**  \n  {escape(d)}{hidden if d in flagged else ''}" for d, t in sorted(titles.items())
        ]
        skipped = self.pipeline.index.manifest.skipped
        lines += [f"- skipped {escape(p)}: {escape(r)}" for p, r in sorted(skipped.items())]
        return "### Indexed articles\n" + "\n".join(lines)

    def build(self) -> gr.Blocks:
        # Gradio keeps each upload in its cache: a copy an hour old is deleted, every hour.
        with gr.Blocks(title="Ask the news", delete_cache=(3600, 3600)) as demo:
            gr.Markdown("## Ask the news articles\nAnswers come only from the indexed articles, with numbered sources.")
            with gr.Row():
                with gr.Column(scale=3):
                    chat = gr.Chatbot(
                        label="Conversation",
                        height=520,
                        sanitize_html=True,
                        allow_tags=False,
                        elem_id="chat",
                        buttons=["copy"],
                    )
                    with gr.Row():
                        box = gr.Textbox(
                            placeholder="Ask a question about the articles…",
                            show_label=False,
                            scale=6,
                            elem_id="question",
                            max_lines=4,
                        )
                        send = gr.Button("Ask", variant="primary", scale=1, elem_id="ask")
                        clear = gr.Button("Clear", scale=1, elem_id="clear")
                    status = gr.Markdown("Ready.", elem_id="status")
                    with gr.Accordion("Filter the articles", open=False, elem_id="filters"):
                        with gr.Row():
                            sources = gr.Dropdown(
                                self.filter_choices(),
                                multiselect=True,
                                label="Outlets or articles",
                                elem_id="filter-sources",
                                scale=3,
                            )
                            since = gr.Textbox(
                                label="Published since", placeholder="YYYY-MM-DD", elem_id="filter-since", scale=1
                            )
                            until = gr.Textbox(
                                label="Published until", placeholder="YYYY-MM-DD", elem_id="filter-until", scale=1
                            )
                    gr.Examples(EXAMPLES, inputs=box, label="Examples")
                with gr.Column(scale=1):
                    articles = gr.Markdown(self.articles_markdown(), elem_id="articles")
                    if not self.read_only:
                        with gr.Accordion("Add or remove articles", open=False, elem_id="manage"):
                            uploads = gr.File(
                                label=f"Add articles ({', '.join(ARTICLE_SUFFIXES)})",
                                file_count="multiple",
                                file_types=list(ARTICLE_SUFFIXES),
                                elem_id="upload",
                            )
                            upload_status = gr.Markdown("", elem_id="upload-status")
                            gone = gr.Dropdown(
                                self.article_files(), value=None, label="Remove an article", elem_id="remove-choice"
                            )
                            sure = gr.Checkbox(label="Yes, remove it", elem_id="remove-confirm")
                            remove = gr.Button("Remove", variant="stop", elem_id="remove")
            # One event for both triggers, ignored while it runs: a question sent while an
            # answer streams would start from the chat as it was (the answer still "…")
            # and overwrite that answer with the placeholder (measured in Chromium).
            # No pending bubble either: respond() shows its own placeholder at once. While
            # the question waits behind other users', the status line shows its place in
            # the queue (Gradio's progress, on the status line only).
            asked = gr.on(
                [send.click, box.submit],
                self.respond,
                [box, chat, sources, since, until],
                [chat, status, box],
                api_visibility="private",
                trigger_mode="once",
                show_progress="minimal",
                show_progress_on=[status],
            )
            # Clear stops an answer being written, which would bring the old turns back.
            clear.click(
                lambda: ([], "Conversation cleared.", ""),
                None,
                [chat, status, box],
                api_visibility="private",
                cancels=[asked],
            )
            gr.api(self.ask_api, api_name="ask")

            def listed() -> tuple[str, Any]:
                return self.articles_markdown(), gr.Dropdown(choices=self.filter_choices())

            # A page opened after articles were added or removed lists them as they are now.
            demo.load(listed, None, [articles, sources], api_visibility="private", show_progress="hidden")
            if not self.read_only:

                def removable() -> Any:
                    return gr.Dropdown(choices=self.article_files(), value=None)

                demo.load(removable, None, gone, api_visibility="private", show_progress="hidden")
                uploads.upload(self.upload, uploads, upload_status, api_visibility="private").then(
                    lambda: (*listed(), gr.Dropdown(choices=self.article_files())),
                    None,
                    [articles, sources, gone],
                    api_visibility="private",
                )
                remove.click(
                    self.remove_chosen, [gone, sure], [upload_status, gone, sure], api_visibility="private"
                ).then(listed, None, [articles, sources], api_visibility="private")
            if self.watching:  # the article list and filter choices follow the folder
                gr.Timer(5).tick(
                    lambda: (self.articles_markdown(), gr.Dropdown(choices=self.filter_choices())),
                    None,
                    [articles, sources],
                    api_visibility="private",
                    show_progress="hidden",
                )
        demo.queue(default_concurrency_limit=1)
        return demo


def _unescape(text: str) -> str:
    return html.unescape(re.sub(r"\\([\\`*_{}\[\]()#+\-!|~])", r"\1", text)).replace(_JOINER, "")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="The news QA chat in your browser.")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    parser.add_argument("--port", type=port, default=7860)
    parser.add_argument("--share", action="store_true", help="open a public gradio.live link (off by default)")
    parser.add_argument("--seeds", type=Path, help="articles folder (default: the project's seeds/)")
    parser.add_argument("--index", type=Path, help="index folder (default: the project's index/)")
    parser.add_argument(
        "--watch",
        action="store_true",
        help="index articles dropped into (or removed from) the articles folder while the chat runs",
    )
    parser.add_argument("--auth", help="USER:PASSWORD for the chat's login (default: RAG_AUTH)")
    parser.add_argument("--api-key", help="the key /v1 API clients must send (default: RAG_API_KEY)")
    parser.add_argument(
        "--insecure", action="store_true", help="serve beyond this machine without a login and key (not recommended)"
    )
    parser.add_argument("--read-only", action="store_true", help="no adding or removing articles from the browser")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    auth = args.auth or os.environ.get("RAG_AUTH", "")
    key = args.api_key or os.environ.get("RAG_API_KEY", "")
    if auth and ":" not in auth:
        parser.error("--auth must be USER:PASSWORD")  # bad usage: exit 2, as the CLI's
    # A public share link opens the chat as widely as a network address does.
    public = args.share or not is_loopback(args.host)
    if public and not (auth and key) and not args.insecure:
        where = "a public --share link" if args.share else args.host
        parser.error(
            f"serving on {where} opens the chat and its API to the network; give a login and a key "
            "(--auth USER:PASSWORD and --api-key KEY, or RAG_AUTH and RAG_API_KEY), or pass --insecure"
        )

    pipeline = Pipeline(Settings.from_env(seeds_dir=args.seeds, index_dir=args.index), auto_index=True, progress=True)
    t0 = time.perf_counter()
    log.info("loading the index (building it if missing or stale) and the models…")
    try:
        pipeline.warm_up()
    except RagError as exc:  # no articles, a model that will not load, ...: say why, no traceback
        log.error("cannot start: %s", exc)
        raise SystemExit(1) from None
    log.info("ready in %.1f s", time.perf_counter() - t0)
    if args.watch:
        from rag.store import Watcher

        Watcher(pipeline.settings, pipeline.embedder, lambda store, _: pipeline.replace_index(store)).start()
        log.info("watching %s for new, changed and removed articles", pipeline.settings.seeds_dir)
    # One port: the chat, its /ask API and the OpenAI-compatible API under /v1.
    api = openai_app(pipeline, api_key=key)
    # Uploads change what everyone reads: off when the server is open without a login.
    read_only = args.read_only or (public and not auth)
    # Outermost first: /v1 goes to the API (its own rules), the rest past the guards.
    middleware = [Middleware(WithOpenAIAPI, api=api), Middleware(AskRequestGuard)]
    if not public and not auth:  # a login guards the chat otherwise; --insecure waives it
        middleware.insert(1, Middleware(LocalHostGuard))
    if read_only:
        middleware.append(Middleware(NoUploads))
    ChatApp(pipeline, watching=args.watch, read_only=read_only).build().launch(
        server_name=args.host,
        server_port=args.port,
        share=args.share,
        auth=tuple(auth.split(":", 1)) if auth else None,
        # Gradio's upload route takes a file before the chat sees it: the same limit there.
        max_file_size=pipeline.settings.max_upload_bytes,
        app_kwargs={"middleware": middleware},
    )


if __name__ == "__main__":
    main()
