"""Decoding helpers: the prefix a prompt shares with the cached one, prompt-lookup
proposals, cutting a key/value cache, and the attention mask of two prompts in one pass."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Sequence
from typing import Any


def shared_prefix(a: Sequence[int], b: Sequence[int]) -> int:
    """How many leading tokens ``a`` and ``b`` have in common."""
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def prompt_lookup(tokens: Sequence[int], max_tokens: int, max_ngram: int = 3) -> list[int]:
    """The tokens that followed the latest earlier occurrence of the trailing n-gram.

    Tries n-grams of ``max_ngram`` down to 1 tokens; returns at most ``max_tokens``.
    """
    if max_tokens <= 0:
        return []
    n_total = len(tokens)
    for n in range(min(max_ngram, n_total - 1), 0, -1):
        tail = list(tokens[n_total - n :])
        for start in range(n_total - n - 1, -1, -1):
            if list(tokens[start : start + n]) == tail:
                follow = list(tokens[start + n : start + n + max_tokens])
                if follow:
                    return follow
    return []


def crop_to(cache, length: int) -> None:
    # transformers 5 crops by a negative count of tokens to remove, not to an absolute size.
    extra = cache.get_seq_length() - length
    if extra > 0:
        cache.crop(-extra)


def tree_mask(start: int, common: int, n_own: int, n_other: int) -> Any:
    """The attention mask (queries x keys, bool) for feeding two prompts in one pass after
    ``start`` cached tokens: the first prompt's ``n_own`` new tokens, then the second's
    ``n_other`` tokens after their shared part (which ends at ``common``). Each prompt's
    tokens see the cache, the shared part and their own earlier tokens only."""
    import torch

    q = n_own + n_other
    allowed = torch.zeros(q, start + q, dtype=torch.bool)
    allowed[:, :start] = True
    allowed[:n_own, start : start + n_own] = torch.ones(n_own, n_own, dtype=torch.bool).tril()
    allowed[n_own:, start:common] = True  # the shared part fed in this pass
    allowed[n_own:, start + n_own :] = torch.ones(n_other, n_other, dtype=torch.bool).tril()
    return allowed


def cache_argument(model: Any, cache: Any) -> dict[str, Any]:
    """The keyword that passes a key/value cache to ``model``'s forward: ``cache`` since
    transformers 5.x renamed it (the old ``past_key_values`` warns on every call), else
    ``past_key_values``; none for no cache."""
    if cache is None:
        return {}
    return (
        {"cache": cache} if _takes_cache(type(model).__qualname__, type(model).forward) else {"past_key_values": cache}
    )


@functools.cache
def _takes_cache(_name: str, forward: Any) -> bool:
    """Does this forward (looked up once per model class) take ``cache``?"""
    return "cache" in inspect.signature(forward).parameters


def returned_cache(out: Any) -> Any:
    """The key/value cache of a forward pass's output, under either name."""
    cache = out.get("cache") if hasattr(out, "get") else None
    return cache if cache is not None else out.past_key_values
