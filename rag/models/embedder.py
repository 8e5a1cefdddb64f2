"""The embedding seam: one small protocol and its sentence-transformers implementation."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

import numpy as np

from ..errors import ModelLoadError

log = logging.getLogger(__name__)


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalized float32 vectors (inner product = cosine)."""

    #: Recorded in the index manifest; an index built with another embedder is refused.
    name: str

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Return an array of shape ``(len(texts), dim)``."""
        ...


class SentenceTransformerEmbedder:
    """A sentence-transformers model, loaded lazily from a local folder (or the hub)."""

    def __init__(self, name: str, path: str, *, local: bool = True, threads: int = 2) -> None:
        self.name = name
        self.path = path
        self.local = local
        self.threads = threads
        self._model: Any = None  # loaded lazily (transformers / sentence-transformers)
        self._lock = threading.Lock()

    @classmethod
    def from_model(cls, model: Any, name: str, *, threads: int = 2) -> SentenceTransformerEmbedder:
        """An embedder around a ``SentenceTransformer`` already loaded. ``name`` is recorded
        in the index (an index built with another name is rebuilt), so keep it stable."""
        if not callable(getattr(model, "encode", None)):
            raise ModelLoadError(f"{type(model).__name__} is not a sentence-transformers model (it has no encode())")
        embedder = cls(name, "", threads=threads)
        embedder._model = model
        return embedder

    def warm_up(self) -> None:
        """Load the model now (otherwise the first call does)."""
        with self._lock:
            if self._model is not None:
                return
            try:
                import torch
                from sentence_transformers import SentenceTransformer

                from .allocator import keep_few_arenas
                from .weights import offline_hub, quiet_loading

                quiet_loading()
                keep_few_arenas()  # before torch starts its threads (see allocator.py)
                torch.set_num_threads(self.threads)
                if self.local:
                    with offline_hub():
                        self._model = SentenceTransformer(self.path, device="cpu", local_files_only=True)
                else:
                    self._model = SentenceTransformer(self.path, device="cpu")
            except Exception as exc:
                raise ModelLoadError(
                    f"could not load the embedding model {self.name!r} from {self.path} "
                    f"({type(exc).__name__}: {exc}); check the name or reinstall its package"
                ) from exc

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.warm_up()
        import torch

        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        # One short query runs fastest on one thread; on 2 cores a second thread only adds
        # contention (measured: 8 ms at 1 thread vs up to 500 ms contended at 2).
        threads = 1 if len(texts) == 1 else self.threads
        with self._lock:
            previous = torch.get_num_threads()
            torch.set_num_threads(threads)
            try:
                vectors = self._model.encode(
                    list(texts),
                    batch_size=32,
                    normalize_embeddings=True,
                    convert_to_numpy=True,
                    show_progress_bar=False,
                )
            finally:
                torch.set_num_threads(previous)
        return np.ascontiguousarray(vectors, dtype=np.float32)

    @property
    def dimension(self) -> int:
        self.warm_up()
        return int(self._model.get_embedding_dimension())


def load_embedder(name: str, threads: int = 2) -> SentenceTransformerEmbedder:
    """Resolve ``name`` (``package:…``, folder or hub id) into a lazy embedder."""
    from .weights import resolve_embedder

    path, local = resolve_embedder(name)
    return SentenceTransformerEmbedder(name, path, local=local, threads=threads)
