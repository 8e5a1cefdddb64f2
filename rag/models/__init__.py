"""The two models: the embedder and the language model, where their weights come from,
and how the language model decodes fast on a CPU.

``embedder.py`` the :class:`Embedder` protocol and sentence-transformers; ``generator.py``
the :class:`Generator` protocol (with the :class:`PrefillsAhead` capability) and
transformers; ``decoding.py`` prefix cache and prompt-lookup helpers; ``packing.py``
oneDNN packing of bf16 layers; ``mixed.py`` bf16 weights with float32 prompts;
``allocator.py`` few malloc arenas; ``weights.py`` weights from packages, folders or hub names.
"""

from .embedder import Embedder, SentenceTransformerEmbedder, load_embedder
from .generator import Generator, PrefillsAhead, TransformersGenerator, answering_until, load_generator

__all__ = [
    "Embedder",
    "Generator",
    "PrefillsAhead",
    "SentenceTransformerEmbedder",
    "TransformersGenerator",
    "answering_until",
    "load_embedder",
    "load_generator",
]
