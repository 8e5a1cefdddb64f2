from rag.models import Generator, TransformersGenerator
from rag.models.decoding import prompt_lookup

from .conftest import FakeGenerator


def test_prompt_lookup_proposes_what_followed_the_trailing_ngram():
    tokens = [1, 2, 3, 4, 5, 6, 9, 2, 3]
    assert prompt_lookup(tokens, 3) == [4, 5, 6]
    assert prompt_lookup(tokens, 10) == [4, 5, 6, 9, 2, 3]


def test_prompt_lookup_falls_back_to_shorter_ngrams_and_empty():
    assert prompt_lookup([7, 8, 5, 1, 5], 2) == [1, 5]
    assert prompt_lookup([1, 2, 3], 5) == []
    assert prompt_lookup([1, 2, 1], 0) == []


def test_generators_satisfy_protocol():
    assert isinstance(FakeGenerator(), Generator)
    assert isinstance(TransformersGenerator("/nonexistent"), Generator)


def test_shared_prefix_counts_leading_tokens_in_common():
    from rag.models.decoding import shared_prefix

    assert shared_prefix([1, 2, 3, 4], [1, 2, 9, 4]) == 2
    assert shared_prefix([1, 2], [1, 2, 3]) == 2
    assert shared_prefix([], [1]) == 0 and shared_prefix([5], [6]) == 0
