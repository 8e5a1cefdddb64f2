"""Shared fixtures: fast fakes for unit tests, and the real models (session-scoped) for
tests marked ``model``."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest

from rag.config import PROJECT_ROOT, Settings
from rag.lang import content_words, stem

SEEDS = PROJECT_ROOT / "seeds"
CNN = "cnn-russian-weapons-and-trainers-arrive-in-niger.txt"
DW = "dw-russia-sends-military-trainers-to-niger.txt"


class FakeEmbedder:
    """Hashed bag of stemmed words: deterministic, instant, good enough to rank by overlap."""

    name = "fake-embedder"

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim
        self.calls: list[int] = []  # batch sizes, to check incremental indexing

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.calls.append(len(texts))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            for w in content_words(t):
                h = int(hashlib.md5(stem(w).encode()).hexdigest(), 16)
                out[i, h % self.dim] += 1.0
            norm = np.linalg.norm(out[i])
            if norm:
                out[i] /= norm
        return out


class FakeGenerator:
    """Scripted replies; records the messages it was given."""

    def __init__(self, reply: str = "", p_yes: float = 0.9) -> None:
        self.reply = reply
        self.p_yes = p_yes
        self.seen: list[list[dict[str, str]]] = []

    def probability_yes(self, messages) -> float:  # type: ignore[no-untyped-def]
        self.seen.append(list(messages))
        return self.p_yes

    def stream(self, messages, max_new_tokens: int) -> Iterator[str]:  # type: ignore[no-untyped-def]
        self.seen.append(list(messages))
        for word in self.reply.split(" "):
            yield word + " "


def tiny_qwen(tied: bool):  # type: ignore[no-untyped-def]
    """A two-layer Qwen2 with random weights in bf16: the real architecture and kernels,
    small enough for fast unit tests of what is done to its layers."""
    import torch
    from transformers import Qwen2Config, Qwen2ForCausalLM

    torch.manual_seed(0)
    config = Qwen2Config(
        vocab_size=300,
        hidden_size=64,
        intermediate_size=128,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        tie_word_embeddings=tied,
    )
    return Qwen2ForCausalLM(config).to(torch.bfloat16).eval()


def prefill_and_decode(model) -> list:  # type: ignore[no-untyped-def]
    """Logits of a seven-token prompt and of two decoding steps (one row each) on its cache,
    for checking what is done to a model's layers."""
    import torch

    from rag.models.decoding import cache_argument, returned_cache

    with torch.inference_mode():
        out = model(input_ids=torch.tensor([[5, 17, 42, 99, 7, 250, 3]]), use_cache=True)
        logits, cache = [out.logits], returned_cache(out)
        for tok in (11, 12):
            out = model(input_ids=torch.tensor([[tok]]), use_cache=True, **cache_argument(model, cache))
            logits.append(out.logits)
            cache = returned_cache(out)
    return logits


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    dest = tmp_path / "seeds"
    shutil.copytree(SEEDS, dest)
    return dest


@pytest.fixture
def fake_settings(tmp_path: Path, seeds_copy: Path) -> Settings:
    return Settings(
        seeds_dir=seeds_copy,
        index_dir=tmp_path / "index",
        cache_dir=tmp_path / "cache",
        embedder="fake-embedder",
    )


@pytest.fixture(scope="session")
def real_pipeline(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The real models over an index of the bundled articles, built once per session.

    The converted generator lives in the user's cache (converted on first use), so it is
    shared between test runs.
    """
    from rag.models import load_embedder
    from rag.pipeline import Pipeline
    from rag.store import build_index

    base = tmp_path_factory.mktemp("real")
    seeds = base / "seeds"
    shutil.copytree(SEEDS, seeds)
    settings = Settings.from_env(seeds_dir=seeds, index_dir=base / "index")
    embedder = load_embedder(settings.embedder, settings.threads)
    build_index(settings, embedder)
    pipeline = Pipeline(settings, embedder=embedder)
    pipeline.warm_up()
    return pipeline
