"""The language model seam: one small protocol and its transformers implementation."""

from __future__ import annotations

import copy
import logging
import queue
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from ..errors import ModelLoadError, PromptTooLongError, TimeLimitError
from ..types import Message
from .decoding import cache_argument, crop_to, prompt_lookup, returned_cache, shared_prefix, tree_mask

log = logging.getLogger(__name__)

#: When the question being answered must be done (``time.perf_counter()``); see
#: :func:`answering_until`. A context variable, so the :class:`Generator` protocol stays
#: as small as it is and generators that know no deadline ignore it.
_DEADLINE: ContextVar[float | None] = ContextVar("rag_answer_deadline", default=None)
#: Set when whoever asked has gone (a client that hung up): the question gives up its
#: place in the queue at once, not when its turn comes (see :func:`answering_until`).
_WITHDRAWN: ContextVar[threading.Event | None] = ContextVar("rag_answer_withdrawn", default=None)


@contextmanager
def answering_until(deadline: float, withdrawn: threading.Event | None = None) -> Iterator[None]:
    """Within this block, a :class:`TransformersGenerator` call that would wait for the
    model (another question is using it) past ``deadline``, or after ``withdrawn`` is set,
    raises :class:`TimeLimitError` instead: under a burst, a late or abandoned question
    gives up its place in the queue rather than reading its passages for nobody. Wrap
    calls, not ``yield``s: a :meth:`~Generator.stream` takes what is in force when it is
    called."""
    token, gone = _DEADLINE.set(deadline), _WITHDRAWN.set(withdrawn)
    try:
        yield
    finally:
        _DEADLINE.reset(token)
        _WITHDRAWN.reset(gone)


#: How often a question waiting for the model looks whether it was withdrawn (seconds).
_WAIT_SLICE = 0.1
#: How long the model stays kept for the reply whose prompt a yes/no check prefilled
#: ahead (:meth:`TransformersGenerator.probability_yes_then`), against other questions
#: waiting: the caller decides between the two calls in milliseconds, while a question
#: let in between would evict that prompt, and reading it again costs seconds. A caller
#: that refuses the question at the check lets go at once (:meth:`TransformersGenerator.forgo`).
_HANDOVER_S = 0.5


@contextmanager
def _turn(lock: Any, deadline: float | None, withdrawn: threading.Event | None = None) -> Iterator[None]:
    """Hold ``lock``, waiting at most until ``deadline`` (for ever without one) and no
    longer than ``withdrawn`` stays unset."""
    while True:
        left = None if deadline is None else max(0.0, deadline - time.perf_counter())
        wait = left if withdrawn is None else min(_WAIT_SLICE, _WAIT_SLICE if left is None else left)
        if lock.acquire(timeout=-1 if wait is None else wait):
            break
        if withdrawn is not None and withdrawn.is_set():
            raise TimeLimitError("the question was withdrawn while it waited for the model")
        if deadline is not None and time.perf_counter() >= deadline:
            raise TimeLimitError("the model was answering other questions until this one's time limit")
    try:
        yield
    finally:
        lock.release()


@runtime_checkable
class Generator(Protocol):
    """Writes text for chat messages, and judges yes/no questions."""

    def stream(self, messages: Sequence[Message], max_new_tokens: int) -> Iterator[str]:
        """Yield the reply to ``messages`` piece by piece as it is generated."""
        ...

    def probability_yes(self, messages: Sequence[Message]) -> float:
        """P("yes") / (P("yes") + P("no")) for the first token of the reply."""
        ...


@runtime_checkable
class PrefillsAhead(Protocol):
    """A capability a :class:`Generator` may have: judging a yes/no question while
    preparing the prompt of the reply likely asked for next, in the same forward pass."""

    def probability_yes_then(self, messages: Sequence[Message], then: Sequence[Message]) -> float:
        """:meth:`Generator.probability_yes` of ``messages``; ``then`` (sharing their
        beginning) is prefilled in the same pass, so ``stream(then, ...)`` starts at once.

        A generator that holds anything for ``then`` (the model, against other questions)
        may also have ``forgo(then)``, which the pipeline calls when no reply will be asked
        for (the check refused the question): whatever was held is let go at once."""
        ...


class TransformersGenerator:
    """A causal LM run with transformers on the CPU.

    ``dtype="auto"`` runs bf16 where the CPU multiplies it natively (AVX-512 or AMX), its
    linear layers packed for oneDNN once at load (:mod:`rag.models.packing`: the same
    results, decoding 2.7x faster); elsewhere (AVX2) it keeps bf16 weights and computes
    prompts in float32 (:mod:`rag.models.mixed`). See :func:`number_format`.

    Loads lazily on first use (or :meth:`warm_up`). Keeps the key/value cache of the last
    prompt so that a following prompt sharing its beginning (the system prompt, or the same
    passages and question for the answerability check and the answer) only pays for the
    new tokens: prefill is the dominant cost on a CPU.
    """

    def __init__(
        self,
        name_or_path: str,
        *,
        local: bool = True,
        threads: int = 2,
        prompt_lookup_tokens: int = 10,
        dtype: str = "auto",
        max_prompt_tokens: int = 8192,
    ) -> None:
        self.name_or_path = name_or_path
        self.local = local
        self.threads = threads
        self.prompt_lookup_tokens = prompt_lookup_tokens
        self._lookup_tokens = prompt_lookup_tokens  # what decoding uses: see _adopt
        self.dtype = dtype
        self.max_prompt_tokens = max_prompt_tokens
        self._model: Any = None  # loaded lazily (transformers)
        self._tok: Any = None
        self._lock = threading.RLock()
        self._cache_ids: list[int] = []
        self._cache = None
        # Last-position logits of the prompt in the cache, when a yes/no check prefilled
        # it for the reply expected next (see probability_yes_then).
        self._ready_logits = None
        # That reply's prompt, until when other calls wait for it, and the thread that
        # asked the check (see _turn_for).
        self._ahead: tuple[list[Message], float, int] | None = None
        self._ahead_lock = threading.Lock()  # guards _ahead, which forgo() clears unlocked by the model
        self.load_seconds: float | None = None
        #: Prompt tokens the model has read for checks and replies, and the forward passes
        #: that read them: what the prefix cache did not hold (decoding steps, the load's
        #: first pass and :meth:`plain_generate` excluded). Prefill is most of an answer's
        #: time on a CPU; a benchmark reads these.
        self.prompt_tokens_read = 0
        self.prompt_passes = 0

    # -- loading -----------------------------------------------------------------------
    def warm_up(self) -> None:
        """Load the model now (otherwise the first call does)."""
        if self._model is not None:
            return
        with _turn(self._lock, _DEADLINE.get(), _WITHDRAWN.get()):
            if self._model is not None:
                return
            t0 = time.perf_counter()
            try:
                import torch
                from transformers import AutoModelForCausalLM, AutoTokenizer

                from .allocator import keep_few_arenas
                from .weights import offline_hub, quiet_loading

                quiet_loading()
                keep_few_arenas()  # before loading starts threads (see allocator.py)

                torch.set_num_threads(self.threads)
                dtype, _ = number_format(self.dtype)
                kwargs = {"local_files_only": True} if self.local else {}
                if self.local:
                    with offline_hub():
                        tok = AutoTokenizer.from_pretrained(self.name_or_path, **kwargs)
                        model = AutoModelForCausalLM.from_pretrained(self.name_or_path, dtype=dtype, **kwargs)
                else:
                    tok = AutoTokenizer.from_pretrained(self.name_or_path)
                    model = AutoModelForCausalLM.from_pretrained(self.name_or_path, dtype=dtype)
            except Exception as exc:
                raise ModelLoadError(
                    f"could not load the language model {self.name_or_path!r} "
                    f"({type(exc).__name__}: {exc}). If it is the bundled model, delete the "
                    f"converted copy so it is converted again; otherwise check the name/path."
                ) from exc
            self._adopt(model, tok)
            self.load_seconds = time.perf_counter() - t0

    @classmethod
    def from_model(cls, model: Any, tokenizer: Any, **options: Any) -> TransformersGenerator:
        """A generator around a causal LM and tokenizer already loaded with transformers
        (``AutoModelForCausalLM``, ``AutoTokenizer``); ``options`` as for the constructor.
        The model's bf16 linear layers are packed or mixed in place, as ``dtype`` says
        (:func:`number_format`)."""
        generator = cls(str(getattr(model, "name_or_path", "") or type(model).__name__), **options)
        with generator._lock:
            generator._adopt(model, tokenizer)
        return generator

    def _adopt(self, model: Any, tok: Any) -> None:
        """Make ``model`` and ``tok`` this generator's: pack or mix, note the answer and end tokens,
        and run the model once. Call with the lock held."""
        import torch

        from .mixed import MixedLinear, mix_linears
        from .packing import pack_linears

        torch.set_num_threads(self.threads)
        try:
            yes_no = self._answer_token_ids(tok)
            eos = model.generation_config.eos_token_id
            eos = eos if isinstance(eos, list) else [eos]
            _, mix = number_format(self.dtype)
            # Mixed: bf16 weights, float32 arithmetic (rag/models/mixed.py); otherwise bf16
            # layers are packed: bit-identical results, faster (rag/models/packing.py).
            mixed = mix_linears(model) if mix else 0
            packed = 0 if mix else pack_linears(model)
            model.eval()
            # The first forward pass sets up the CPU kernels (seconds); pay it here, not
            # on the first question.
            with torch.inference_mode():
                model(input_ids=torch.tensor([tok.encode("Hello, world.")]))
        except Exception as exc:
            raise ModelLoadError(
                f"the language model {self.name_or_path!r} cannot be used ({type(exc).__name__}: {exc}); "
                "give a causal LM and its tokenizer, as transformers loads them"
            ) from exc
        self._yes_no = yes_no
        # Checking proposed tokens pays when a pass over several rows costs about what one
        # row does (the weights' reading dominates). Mixed layers compute a few rows in
        # emulated bf16 and more rows widened, both dearer per row: on an AVX2 CPU an 11-row
        # check took 1.0 s against 0.25 s for one row, and the bench's questions, asked
        # both ways in one process, gave answer() p50 12.5 s without proposals, 13.6 s with.
        has_mixed = any(isinstance(m, MixedLinear) for m in model.modules())
        self._lookup_tokens = 0 if has_mixed else self.prompt_lookup_tokens
        self._eos_ids = {int(e) for e in eos + [tok.eos_token_id] if e is not None}
        self._tok, self._model = tok, model
        log.info("generator ready (%d linear layers packed, %d mixed): %s", packed, mixed, self.name_or_path)

    @staticmethod
    def _answer_token_ids(tok) -> tuple[list[int], list[int]]:
        def first_ids(words: list[str]) -> list[int]:
            ids = {tok.encode(w, add_special_tokens=False)[0] for w in words}
            return sorted(ids)

        return first_ids(["yes", "Yes", " yes", " Yes", "YES"]), first_ids(["no", "No", " no", " No", "NO"])

    # -- prompt cache ------------------------------------------------------------------
    def _encode(self, messages: Sequence[Message]) -> list[int]:
        ids = self._tok.apply_chat_template(
            list(messages), add_generation_prompt=True, tokenize=True, return_dict=False
        )
        if hasattr(ids, "tolist"):
            ids = ids.tolist()
        if ids and isinstance(ids[0], list):
            ids = ids[0]
        return list(ids)

    def _reusable_cache(self, ids: list[int]):
        """A copy of the cached key/values for the longest shared prefix of ``ids``."""
        if self._cache is None:
            return None
        common = min(shared_prefix(self._cache_ids, ids), len(ids) - 1)  # at least one new token must be fed
        if common < 16:
            return None
        cache = copy.deepcopy(self._cache)
        crop_to(cache, common)
        return cache

    def _prefill(self, ids: list[int]):
        """Run the prompt through the model, reusing the cached shared prefix.

        Returns the last position's logits and the cache (covering all of ``ids``), and
        remembers that cache for the next prompt. Call with the lock held.
        """
        import torch

        if len(ids) > self.max_prompt_tokens:
            # Checked before prefill: a prompt past this costs memory and minutes for
            # everyone waiting in the queue.
            raise PromptTooLongError(
                f"the prompt has {len(ids):,} tokens; the limit is {self.max_prompt_tokens:,}. "
                "Lower top_k or max_passage_chars, or ask without the conversation so far."
            )
        cache = self._reusable_cache(ids)
        start = cache.get_seq_length() if cache is not None else 0
        kwargs = cache_argument(self._model, cache)
        # Only the last position's logits are used: skipping the vocabulary projection
        # for the others saves ~14% of prefill (measured).
        out = self._model(input_ids=torch.tensor([ids[start:]]), use_cache=True, logits_to_keep=1, **kwargs)
        self._cache_ids, self._cache, self._ready_logits = list(ids), returned_cache(out), None
        self.prompt_tokens_read += len(ids) - start
        self.prompt_passes += 1
        return out.logits[0, -1], self._cache

    def _prefill_pair(self, ids: list[int], then: list[int]):
        """Prefill ``ids`` and ``then`` (two prompts sharing a beginning) in one forward
        pass; return the last logits of ``ids`` and keep ``then``'s cache and logits.

        Each prompt's own tokens see the shared part and themselves only (a tree-shaped
        attention mask, each branch at its own positions), so both get what separate
        passes would give, up to bf16 rounding; one pass reads the weights once instead
        of twice, and on a CPU the weights, not the few tokens after the question, are
        what a second pass costs.
        Returns None when the pair does not qualify; call with the lock held.
        """
        import torch

        common = min(shared_prefix(ids, then), len(ids) - 1, len(then) - 1)
        if common < 16 or len(ids) + len(then) - common > self.max_prompt_tokens:
            return None  # checked before copying the cache, which the fallback copies again
        cache = self._reusable_cache(ids)
        start = cache.get_seq_length() if cache is not None else 0
        if start > common:
            return None
        own, other = ids[start:], then[common:]
        n_own, n_other = len(own), len(other)
        q = n_own + n_other
        allowed = tree_mask(start, common, n_own, n_other)
        positions = list(range(start, len(ids))) + list(range(common, len(then)))
        kwargs = cache_argument(self._model, cache)
        out = self._model(
            input_ids=torch.tensor([own + other]),
            position_ids=torch.tensor([positions]),
            attention_mask=allowed[None, None],
            use_cache=True,
            logits_to_keep=torch.tensor([n_own - 1, q - 1]),
            **kwargs,
        )
        cache = returned_cache(out)
        self.prompt_tokens_read += q
        self.prompt_passes += 1
        # Keep ``then``'s entries only: drop ``ids``' own tokens after the shared part.
        for layer in cache.layers:
            layer.keys = torch.cat([layer.keys[:, :, :common], layer.keys[:, :, start + n_own :]], dim=2)
            layer.values = torch.cat([layer.values[:, :, :common], layer.values[:, :, start + n_own :]], dim=2)
        self._cache_ids, self._cache, self._ready_logits = list(then), cache, out.logits[0, 1]
        return out.logits[0, 0]

    def plain_generate(self, messages: Sequence[Message], max_new_tokens: int) -> dict[str, float]:
        """Time transformers' own greedy ``generate()`` on ``messages``, with none of this
        class's prefix cache or speculation: the raw model's speed, for benchmarks.

        Returns the prompt's token count, the prefill time (a 1-token generation) and the
        time to generate exactly ``max_new_tokens`` tokens.
        """
        self.warm_up()
        import torch

        with self._lock, torch.inference_mode():
            ids = torch.tensor([self._encode(messages)])
            t = time.perf_counter()
            self._model.generate(ids, max_new_tokens=1, do_sample=False)
            prefill = time.perf_counter() - t
            t = time.perf_counter()
            self._model.generate(ids, max_new_tokens=max_new_tokens, min_new_tokens=max_new_tokens, do_sample=False)
            total = time.perf_counter() - t
        return {"prompt_tokens": ids.shape[1], "prefill_s": prefill, "total_s": total, "new_tokens": max_new_tokens}

    def count_tokens(self, text: str) -> int:
        """Tokens of ``text`` in this model's vocabulary."""
        self.warm_up()
        return len(self._tok.encode(text, add_special_tokens=False))

    def count_prompt(self, messages: Sequence[Message]) -> int:
        """Tokens of the prompt ``messages`` make (chat template included). The tokenizer
        only: it does not wait for the model another question is using."""
        if self._tok is None:
            self.warm_up()
        return len(self._encode(messages))

    @contextmanager
    def _turn_for(
        self, messages: Sequence[Message] | None, deadline: float | None, withdrawn: threading.Event | None
    ) -> Iterator[None]:
        """The model's lock (:func:`_turn`), to write a reply to ``messages`` (None for a
        yes/no check). Just after a check prefilled a reply's prompt ahead, other questions'
        calls let that reply go first, for up to :data:`_HANDOVER_S`: under load a waiting
        question would otherwise take the model between the check and its answer, and the
        answer's prompt be read twice. The thread that asked the check is not held back:
        when it calls for anything but that reply, it has moved on (its question was
        refused at the check). :meth:`forgo` ends the wait sooner."""
        while True:
            with _turn(self._lock, deadline, withdrawn):
                with self._ahead_lock:
                    ahead = self._ahead
                    mine = (
                        ahead is None
                        or time.perf_counter() >= ahead[1]
                        or ahead[2] == threading.get_ident()
                        or (messages is not None and list(messages) == ahead[0])
                    )
                    if mine:
                        self._ahead = None
                if mine:
                    yield
                    return
            time.sleep(_WAIT_SLICE / 10)

    # -- the protocol ------------------------------------------------------------------
    def probability_yes(self, messages: Sequence[Message]) -> float:
        """See :class:`Generator`."""
        return self._probability_yes(messages, None)

    def probability_yes_then(self, messages: Sequence[Message], then: Sequence[Message]) -> float:
        """See :class:`PrefillsAhead`: ``then`` is prefilled in the same forward pass."""
        return self._probability_yes(messages, then)

    def forgo(self, then: Sequence[Message]) -> None:
        """No reply to ``then`` will be asked for (see :class:`PrefillsAhead`): questions
        waiting for the model stop waiting for it (see :meth:`_turn_for`). Call from the
        thread that asked the check; does not wait for the model."""
        with self._ahead_lock:
            ahead = self._ahead
            if ahead is not None and ahead[2] == threading.get_ident() and ahead[0] == list(then):
                self._ahead = None

    def _probability_yes(self, messages: Sequence[Message], then: Sequence[Message] | None) -> float:
        self.warm_up()
        import torch

        with self._turn_for(None, _DEADLINE.get(), _WITHDRAWN.get()), torch.inference_mode():
            ids = self._encode(messages)
            logits = self._prefill_pair(ids, self._encode(then)) if then is not None else None
            if logits is None:
                logits, _ = self._prefill(ids)
            if then is not None:
                # The cache holds ``then`` (or the check's prompt, most of it): keep the
                # model for the reply (see _turn_for).
                with self._ahead_lock:
                    self._ahead = (list(then), time.perf_counter() + _HANDOVER_S, threading.get_ident())
            probs = torch.softmax(logits.float(), dim=-1)
            yes = float(probs[self._yes_no[0]].sum())
            no = float(probs[self._yes_no[1]].sum())
        return yes / (yes + no) if yes + no > 0 else 0.5

    def stream(self, messages: Sequence[Message], max_new_tokens: int) -> Iterator[str]:
        """See :class:`Generator`; raises :class:`TimeLimitError` while iterated when the
        deadline in force at this call (:func:`answering_until`) passes before its turn."""
        return self._stream(messages, max_new_tokens, _DEADLINE.get(), _WITHDRAWN.get())

    def _stream(
        self,
        messages: Sequence[Message],
        max_new_tokens: int,
        deadline: float | None,
        withdrawn: threading.Event | None = None,
    ) -> Iterator[str]:
        pieces: queue.Queue[str | BaseException | None] = queue.Queue()
        stop = threading.Event()

        # The model work runs in one worker thread that holds the lock from start to end;
        # the caller only reads the queue, so no lock is held across a ``yield`` (a web
        # server may resume this generator from a different thread each time).
        def run() -> None:
            try:
                with self._turn_for(messages, deadline, withdrawn):
                    self.warm_up()
                    self._greedy(self._encode(messages), max_new_tokens, pieces.put, stop)
                pieces.put(None)
            except BaseException as exc:
                pieces.put(exc)

        worker = threading.Thread(target=run, name="generate", daemon=True)
        worker.start()
        try:
            while (item := pieces.get()) is not None:
                if isinstance(item, BaseException):
                    raise item
                yield item
        finally:
            # The caller stopped reading (closed this generator, or a time limit): the
            # model stops at its next step instead of writing on for nobody.
            stop.set()
        worker.join()

    def _greedy(
        self, ids: list[int], max_new_tokens: int, emit: Callable[[str], None], stop: threading.Event | None = None
    ) -> None:
        """Greedy decoding with prompt-lookup speculation, resumable from a cached prefix.

        Answers copy phrases from the passages, so the tokens that followed the latest
        n-gram in the prompt are proposed and checked in one forward pass; the greedy
        choice is kept wherever they differ, so the text equals plain greedy decoding.
        (transformers' own ``prompt_lookup_num_tokens`` gives wrong text when resumed
        from a prefilled cache in 5.23, measured.)
        """
        import torch

        eos = self._eos_ids
        with torch.inference_mode():
            if self._ready_logits is not None and self._cache_ids == ids:
                logits, cache = self._ready_logits, self._cache
                self._ready_logits = None
            else:
                logits, cache = self._prefill(ids)
            generated = [int(logits.argmax())]
            sent = ""
            while generated[-1] not in eos and len(generated) < max_new_tokens and not (stop and stop.is_set()):
                sent = self._emit(generated, sent, emit)
                proposal = prompt_lookup(ids + generated, self._lookup_tokens)
                proposal = proposal[: max_new_tokens - len(generated) - 1]
                valid = cache.get_seq_length()  # = len(ids) + len(generated) - 1
                out = self._model(
                    input_ids=torch.tensor([[generated[-1], *proposal]]),
                    use_cache=True,
                    **cache_argument(self._model, cache),
                )
                cache = returned_cache(out)
                choice = out.logits[0].argmax(-1).tolist()
                accepted = 0
                while accepted < len(proposal) and choice[accepted] == proposal[accepted]:
                    accepted += 1
                new = proposal[:accepted] + [choice[accepted]]
                crop_to(cache, valid + 1 + accepted)
                for tok in new:
                    generated.append(tok)
                    if tok in eos:
                        break
            self._emit(generated, sent, emit)
            # Keep the prompt part only: a later prompt never shares the generated tail.
            crop_to(cache, len(ids))
            self._cache_ids, self._cache = list(ids), cache

    def _emit(self, generated: list[int], sent: str, emit: Callable[[str], None]) -> str:
        text = self._tok.decode(generated, skip_special_tokens=True)
        if text.endswith("\ufffd"):  # a multi-byte character is not complete yet
            return sent
        if len(text) > len(sent) and text.startswith(sent):
            emit(text[len(sent) :])
            return text
        return sent


def number_format(name: str) -> tuple[Any, bool]:
    """The torch dtype to load the model in for the format called ``name``, and whether its
    linear layers are then mixed (bf16 weights, float32 arithmetic: :mod:`rag.models.mixed`).

    ``"auto"`` is bf16 where the CPU multiplies it natively
    (:func:`rag.models.packing.bf16_native`) and ``"mixed"`` elsewhere; ``"bfloat16"``,
    ``"float32"`` (any floating torch dtype's name) run the whole model in that dtype.
    """
    import torch

    from .packing import bf16_native

    if name == "auto":
        return torch.bfloat16, not bf16_native()
    if name == "mixed":
        return torch.bfloat16, True
    dtype = getattr(torch, name, None)
    if not isinstance(dtype, torch.dtype) or not dtype.is_floating_point:
        raise ValueError(f"{name!r} is not a floating-point torch dtype (try 'auto', 'mixed', 'bfloat16' or 'float32')")
    return dtype, False


def load_generator(
    name: str, cache_dir: Path, threads: int, prompt_lookup_tokens: int, dtype: str = "auto"
) -> TransformersGenerator:
    """Resolve ``name`` (``package:…``, folder or hub id) and return a lazy generator."""
    from .weights import resolve_generator

    path, local = resolve_generator(name, cache_dir)
    return TransformersGenerator(
        path, local=local, threads=threads, prompt_lookup_tokens=prompt_lookup_tokens, dtype=dtype
    )
