"""From a question to a checked, cited answer."""

from __future__ import annotations

import collections
import logging
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from typing import Any

from . import checks, plans
from .config import Settings, unknown_options
from .errors import InvalidOptionError, InvalidQuestionError, PromptTooLongError, RagError, TimeLimitError
from .guard import neutralized
from .lang import normalize_space, readable, strip_control
from .models import Embedder, Generator, PrefillsAhead, answering_until, load_embedder, load_generator
from .prompt import REFUSAL, answer_messages, claim_messages, gate_messages, relevant_history
from .question import Question, analyse, retrieval_query
from .retrieve import HybridRetriever, Retriever
from .store import Filter, Store, ensure_index, open_current
from .types import Answer, Chunk, Hit, Message
from .window import widen

log = logging.getLogger(__name__)

#: Which articles a question may draw on (see :class:`rag.store.Filter`).
FILTER_OPTIONS = frozenset({"sources", "since", "until"})
#: Options that may change per call (the rest shape the index and models).
CALL_OPTIONS = (
    frozenset(
        {
            "top_k",
            "max_new_tokens",
            "answerable_threshold",
            "unmentioned_threshold",
            "support_threshold",
            "model_support",
            "model_support_threshold",
            "history_turns",
            "max_question_chars",
            "max_passage_chars",
            "window_passages",
            "long_article_passages",
            "request_timeout_s",
        }
    )
    | FILTER_OPTIONS
)


def within_budget(hits: Sequence[Hit], max_chars: int) -> list[Hit]:
    """The best hits whose passages fit in ``max_chars`` together (always the first)."""
    out: list[Hit] = []
    used = 0
    for h in hits:
        if out and used + len(h.chunk.text) > max_chars:
            break
        out.append(h)
        used += len(h.chunk.text)
    return out


def validate_question(question: object, max_chars: int) -> str:
    """The question as the pipeline uses it, or :class:`InvalidQuestionError` saying why not."""
    if not isinstance(question, str):
        raise InvalidQuestionError(f"The question must be text, not {type(question).__name__}.")
    cleaned = normalize_space(readable(strip_control(question)))
    if not cleaned:
        raise InvalidQuestionError("Please type a question.")
    if len(cleaned) > max_chars:
        raise InvalidQuestionError(
            f"The question is {len(cleaned):,} characters long; the limit is {max_chars:,}. "
            "Please ask something shorter."
        )
    if not any(ch.isalnum() for ch in cleaned):
        raise InvalidQuestionError("The question has no words in it. Please type a question.")
    return cleaned


def no_match(where: Filter, index: Store | None) -> str:
    """What to tell a user whose filter matches no article, with what it could match."""
    known = ""
    if index is not None:
        names = list(index.manifest.outlets) or sorted(index.manifest.documents)
        shown = ", ".join(names[:12]) + (f" and {len(names) - 12} more" if len(names) > 12 else "")
        what = "outlets" if index.manifest.outlets else "article files"
        known = f"; the known {what} are {shown}" if names else ""
    return f"No article matches the filter ({where.describe()}){known}."


#: Earlier turns read at most (the ``history_turns`` shown are the latest of them).
MAX_HISTORY_TURNS = 200


def normalize_history(history: object) -> list[Message]:
    """Keep well-formed ``{"role", "content"}`` turns of any sequence or iterable, roles
    in any case; tolerate Gradio's content parts. History that is no sequence of turns at
    all (text, a single turn, a number, pairs of text) is :class:`InvalidOptionError`:
    answered without it, a follow-up would be answered as if asked alone."""
    out: list[Message] = []
    if history is None:
        return out
    turns_like = 'history must be a list of turns like {"role": "user", "content": "..."}'
    if isinstance(history, (str, bytes, dict)) or not isinstance(history, Iterable):
        raise InvalidOptionError(f"{turns_like}, not {type(history).__name__}.")
    # Only the latest turns are ever shown; a generator is read through once, keeping those.
    latest = collections.deque(history, maxlen=MAX_HISTORY_TURNS)
    if latest and not any(isinstance(m, dict) for m in latest):
        raise InvalidOptionError(f"{turns_like}, not of {type(latest[-1]).__name__}.")
    for m in latest:
        role = m.get("role") if isinstance(m, dict) else None
        role = role.strip().lower() if isinstance(role, str) else None  # "User" is a user
        if role not in ("user", "assistant"):
            continue
        content = m.get("content")
        if isinstance(content, (list, tuple)):  # Gradio 6 may send a list of parts
            content = " ".join(str(p.get("text", "")) if isinstance(p, dict) else str(p) for p in content)
        elif isinstance(content, dict):
            content = str(content.get("text", ""))
        text = normalize_space(strip_control(str(content or "")))
        if text:
            out.append({"role": role, "content": text[:2000]})
    return out


def _widen(index: Store | None, hits: Sequence[Hit], s: Settings) -> list[Hit]:
    """Hits in long articles read with their neighbouring passages (see :mod:`rag.window`),
    when answering from an index of ours; a window takes at most a third of the passage
    budget, so the budget holds whatever ``window_passages`` says."""
    if index is None:
        return list(hits)
    return widen(hits, index.passages, s.window_passages, s.long_article_passages, s.max_passage_chars // 3)


def _time_limit_message(limit_s: float) -> str:
    return f"This answer took longer than {limit_s:g} s and was stopped. Please try again, or ask a narrower question."


def _usage(gen: Generator, asked: Sequence[Message], draft: str) -> dict[str, int]:
    """Tokens of the answer's prompt and of the draft, when the generator counts them."""
    count_prompt, count = getattr(gen, "count_prompt", None), getattr(gen, "count_tokens", None)
    if count_prompt is None or count is None:
        return {}
    return {"prompt_tokens": int(count_prompt(asked)), "completion_tokens": int(count(draft))}


def _leads(index: Store | None, chunks: Sequence[Chunk]) -> dict[str, Chunk]:
    """The first passage of each article among ``chunks`` (neutralised like them), when
    answering from an index of ours; none for a retriever passed in alone."""
    if index is None:
        return {}
    out = {}
    for c in chunks:
        article = index.passages(c.doc_id)
        if article and c.doc_id not in out:
            out[c.doc_id] = neutralized(article[0])
    return out


class Pipeline:
    """Retriever + generator + checks. Models load lazily, once; every part can be passed in.

    ``stream()`` yields the answer text as it is generated and, last, the :class:`Answer`.
    """

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        embedder: Embedder | None = None,
        retriever: Retriever | None = None,
        generator: Generator | None = None,
        index: Store | None = None,
        auto_index: bool = False,
        progress: bool = False,
    ) -> None:
        self.settings = settings or Settings.from_env()
        #: An embedder passed in under a name of its own: `rag index` would embed with the
        #: configured model instead, so fix hints name ``auto_index=True``.
        self._own_embedder = embedder is not None and embedder.name != self.settings.embedder
        if self._own_embedder and embedder is not None:
            # The index records which embedder made its vectors, and one made by another is
            # rebuilt: that must be the embedder in use, not the setting it replaces.
            self.settings = replace(self.settings, embedder=embedder.name)
        self._embedder = embedder
        self._retriever = retriever
        self._generator = generator
        self._index = index
        self.auto_index = auto_index
        self.progress = progress
        self._lock = threading.Lock()

    # -- lazy parts ---------------------------------------------------------------------
    @property
    def embedder(self) -> Embedder:
        with self._lock:
            if self._embedder is None:
                self._embedder = load_embedder(self.settings.embedder, self.settings.threads)
            return self._embedder

    @property
    def index(self) -> Store:
        if self._index is None:
            embedder = self.embedder
            with self._lock:
                if self._index is None:
                    try:
                        if self.auto_index:
                            self._index = ensure_index(self.settings, embedder, progress=self.progress)
                        else:
                            self._index = open_current(self.settings)
                    except RagError as exc:
                        # "Rebuild it with `rag index`" names this pipeline's folders, or
                        # this pipeline's own way to build, when its embedder is its own.
                        if self._own_embedder:
                            hint = str(exc).replace(
                                "`rag index`",
                                "`Pipeline(..., auto_index=True)` (`rag index` embeds with the configured model, "
                                f"not {self.settings.embedder!r})",
                            )
                        else:
                            hint = self.settings.with_folders(str(exc))
                        if hint != str(exc):
                            raise type(exc)(hint) from exc
                        raise
        return self._index

    @property
    def retriever(self) -> Retriever:
        if self._retriever is None:
            index, embedder = self.index, self.embedder
            with self._lock:
                if self._retriever is None:
                    self._retriever = HybridRetriever(index, embedder, self.settings.candidates, self.settings.rrf_k)
        return self._retriever

    @property
    def generator(self) -> Generator:
        with self._lock:
            if self._generator is None:
                self._generator = load_generator(
                    self.settings.generator,
                    self.settings.cache_dir,
                    self.settings.threads,
                    self.settings.prompt_lookup_tokens,
                    self.settings.dtype,
                )
            return self._generator

    def replace_index(self, index: Store) -> None:
        """Answer from ``index`` from the next question on (after ``rag watch`` or
        ``ui.py --watch`` updated it); a question being answered keeps the old one. A
        retriever passed in searches what it was built on: it is kept, and only the
        structured answers read ``index`` (give the pipeline a new retriever too)."""
        with self._lock:
            self._index = index
            if self._retriever is None or isinstance(self._retriever, HybridRetriever):
                self._retriever = None

    def warm_up(self) -> None:
        """Load index and models now, and run each once so the first question is fast.

        The run is a yes/no check on one passage: the generator then holds the key/value
        cache of the system prompt, which every question's prompt starts with, so the
        first question pays only for its own passages, like every later one.
        """
        hits = self.retriever.retrieve("warm up", 1)
        gen = self.generator
        if hasattr(gen, "warm_up"):
            gen.warm_up()
        if hits:
            gen.probability_yes(gate_messages(analyse("warm up"), [neutralized(hits[0].chunk)]))

    # -- answering ---------------------------------------------------------------------
    def answer(self, question: str, history: Sequence[Message] | None = None, **options: Any) -> Answer:
        """The whole answer at once (see :meth:`stream`)."""
        result = None
        for item in self.stream(question, history, **options):
            if isinstance(item, Answer):
                result = item
        assert result is not None
        return result

    def stream(
        self,
        question: str,
        history: Sequence[Message] | None = None,
        *,
        withdrawn: threading.Event | None = None,
        **options: Any,
    ) -> Iterator[str | Answer]:
        """Yield text pieces as the model writes them, then the checked :class:`Answer`.

        The final answer's text can differ from the streamed draft: citations are
        re-pointed or removed, and an unsupported draft becomes a refusal.

        ``withdrawn``, set by a server whose client hung up, ends a wait for the model
        (other questions hold it) with a time-limit refusal, before the model reads a
        passage for nobody.
        """
        unknown = set(options) - CALL_OPTIONS
        setup = unknown & set(Settings.__dataclass_fields__)
        if setup:
            raise TypeError(
                f"{', '.join(sorted(setup))}: set for a pipeline, not per call; pass it to "
                "rag.answer() or build Pipeline(Settings.from_env(...)) with it"
            )
        if unknown:
            raise TypeError(unknown_options(unknown, CALL_OPTIONS | set(Settings.__dataclass_fields__)))
        where_options = {k: options.pop(k) for k in FILTER_OPTIONS & set(options)}
        t0 = time.perf_counter()
        timings: dict[str, float] = {}
        try:
            s = self.settings.with_overrides(**options)
            q = validate_question(question, s.max_question_chars)
            where = Filter.of(**where_options)
            turns = normalize_history(history)
        except (InvalidQuestionError, InvalidOptionError) as exc:
            yield Answer.unusable(question, str(exc))
            return
        question_ = analyse(q)
        query = retrieval_query(question_, turns)
        retriever = self.retriever
        # The index this question reads, kept to its end even if ``replace_index`` swaps it.
        index = self._index
        if question_.intent != "fact":
            answer = self._planned(q, question_, query, index, retriever, where, t0)
            if not answer.error:  # an unusable request is an error, not text of an answer
                yield answer.text
            yield answer
            return
        hits = retriever.retrieve(query, s.top_k, where) if where else retriever.retrieve(query, s.top_k)
        turns = list(relevant_history(question_, turns))
        timings["retrieve_s"] = time.perf_counter() - t0
        # What the model sees and the checks compare against: passages without sentences
        # addressed to the model.
        hits = within_budget(_widen(index, hits, s), s.max_passage_chars)
        chunks = [neutralized(h.chunk) for h in hits]
        # The passages shown as sources (closest passages too) are the ones the model saw.
        hits = [h if h.chunk is c else replace(h, chunk=c) for h, c in zip(hits, chunks, strict=True)]
        if not chunks:
            if where:
                msg = no_match(where, index)
                yield self._refusal(q, hits, timings, t0, None, reasons=(msg,), error=msg)
            else:
                yield self._refusal(q, hits, timings, t0, None, reasons=("no passage was retrieved",))
            return

        gen = self.generator
        # Past this, a question waiting for the model (others have it) stops waiting.
        deadline = t0 + s.request_timeout_s

        def late(p_yes: float | None, draft: str = "") -> Answer:
            msg = _time_limit_message(s.request_timeout_s)
            return self._refusal(q, hits, timings, t0, p_yes, draft, ("time limit",), error=msg)

        t = time.perf_counter()
        asked = answer_messages(question_, chunks, turns, s.history_turns)
        gate = gate_messages(question_, chunks, turns, s.history_turns)
        ahead = gen if isinstance(gen, PrefillsAhead) else None
        forgo = getattr(gen, "forgo", None) if ahead else None  # optional (see PrefillsAhead)
        try:
            with answering_until(deadline, withdrawn):
                # When the generator can, it prefills the answer's prompt in the check's forward pass.
                p_yes = ahead.probability_yes_then(gate, asked) if ahead else gen.probability_yes(gate)
        except TimeLimitError:
            yield late(None)
            return
        except PromptTooLongError as exc:  # options in range can still overfill it (top_k=50)
            yield self._refusal(q, hits, timings, t0, None, reasons=("prompt too long",), error=str(exc))
            return
        timings["gate_s"] = time.perf_counter() - t
        bar, why = checks.gate_bar(question_, chunks, s.answerable_threshold, s.unmentioned_threshold)
        over = time.perf_counter() > deadline  # reading the passages took it all
        if forgo and (over or not p_yes >= bar):
            forgo(asked)  # no answer follows: questions waiting for the model go now
        if over:
            yield late(p_yes)
            return
        if not p_yes >= bar:  # a NaN from a custom generator is under every bar
            reason = f"the model's p(yes) that the passages answer is {p_yes:.2f}, under {bar:.2f}"
            yield self._refusal(q, hits, timings, t0, p_yes, reasons=(reason + (f" ({why})" if why else ""),))
            return

        t = time.perf_counter()
        pieces: list[str] = []
        with answering_until(deadline, withdrawn):
            stream = gen.stream(asked, s.max_new_tokens)
        try:
            for piece in stream:
                if not pieces:
                    timings["first_token_s"] = time.perf_counter() - t0
                pieces.append(piece)
                yield piece
                if time.perf_counter() > deadline:
                    close = getattr(stream, "close", None)
                    if close:
                        close()  # stops the model at its next step
                    yield late(p_yes, "".join(pieces))
                    return
        except TimeLimitError:
            yield late(p_yes)
            return
        except PromptTooLongError as exc:  # the answer's prompt holds a premise note the check's lacks
            yield self._refusal(q, hits, timings, t0, p_yes, reasons=("prompt too long",), error=str(exc))
            return
        timings["generate_s"] = time.perf_counter() - t
        draft = "".join(pieces).strip()
        usage = _usage(gen, asked, draft)

        judge = None
        if s.model_support:

            def ask(sentence: str, n: int) -> float:
                return gen.probability_yes(claim_messages(question_, chunks, sentence, n, turns, s.history_turns))

            judge = checks.Judge(ask, s.model_support_threshold)
        try:
            with answering_until(deadline, withdrawn):
                decision = checks.verdict(question_, draft, chunks, s.support_threshold, _leads(index, chunks), judge)
        except TimeLimitError:
            yield late(p_yes, draft)
            return
        if not decision.answer:
            log.info("refusing (%s); draft was %r", "; ".join(decision.reasons), draft)
            yield replace(self._refusal(q, hits, timings, t0, p_yes, draft, decision.reasons), usage=usage)
            return
        checked = list(decision.sentences)
        # Other articles' versions (figures, spellings) and corrections of a false figure
        # in the question, added as verbatim quotes with their citations.
        claims = [(c.text, c.cited) for c in checked if c.supported]
        for d in checks.find_discrepancies(question_.text, claims, chunks):
            checked.append(checks.CheckedSentence(checks.discrepancy_statement(d), (), (d.passage,), 1.0))
        numbering = checks.numbering_for(checked)
        timings["total_s"] = time.perf_counter() - t0
        yield Answer(
            question=q,
            text=checks.render(checked, numbering),
            citations=checks.citations(checked, numbering, chunks),
            refused=False,
            hits=tuple(hits),
            timings=timings,
            answerable=p_yes,
            unsupported=tuple(x.text for x in checked if not x.supported),
            draft=draft,
            reasons=decision.reasons,
            usage=usage,
        )

    def _planned(
        self,
        q: str,
        question: Question,
        query: str,
        index: Store | None,
        retriever: Retriever,
        where: Filter | None,
        t0: float,
    ) -> Answer:
        """The answer to an overview, timeline, comparison or collection question (see
        :mod:`rag.plans`): sentences quoted from the articles, each cited, no model."""
        plan = plans.plan_for(question, query, index, retriever, where)
        timings = {"first_token_s": time.perf_counter() - t0}
        if where and not plan.matched:
            msg = no_match(where, index)
            return self._refusal(q, (), timings, t0, None, reasons=(msg,), error=msg)
        if plan.reason or not (plan.lines or plan.heading):
            why = plan.reason or f"nothing in the articles fits a {plan.kind}"
            return self._refusal(q, (), timings, t0, None, reasons=(why,))
        text, items, cited = plans.rendered(plan)
        timings["total_s"] = time.perf_counter() - t0
        passages = {(p.doc_id, p.start, p.end): p for line in plan.lines for p in line.passages}
        return Answer(
            question=q,
            text=text,
            citations=cited,
            refused=False,
            hits=tuple(Hit(p, 1.0) for p in passages.values()),
            timings=timings,
            kind=plan.kind,
            items=items,
        )

    @staticmethod
    def _refusal(
        q: str,
        hits: Sequence[Hit],
        timings: dict[str, float],
        t0: float,
        p_yes: float | None,
        draft: str = "",
        reasons: tuple[str, ...] = (),
        error: str | None = None,
    ) -> Answer:
        """A refused :class:`Answer`: "The articles don't say.", or ``error`` (shown as the
        text) when the question could not be answered at all, or the reason in plain words
        when the articles speak to the question otherwise (a plan put off since)."""
        timings["total_s"] = time.perf_counter() - t0
        otherwise = bool(reasons) and checks.says_otherwise(reasons[0])
        return Answer(
            question=q,
            text=error or (checks.plain_reason(reasons[0]) if otherwise else REFUSAL),
            error=error,
            refused=True,
            hits=tuple(hits),
            timings=timings,
            answerable=p_yes,
            draft=draft,
            reasons=reasons,
            explanation=error or (checks.plain_reason(reasons[0]) if reasons else ""),
        )
