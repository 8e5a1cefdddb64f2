"""Int8 linear layers: numerics against float, and the cached weights file."""

import torch

from rag.quantize import Int8Linear, cache_file, quantize_model, quantize_rows

from .conftest import tiny_qwen


def _model() -> torch.nn.Module:
    torch.manual_seed(0)
    return torch.nn.Sequential(torch.nn.Linear(64, 96), torch.nn.SiLU(), torch.nn.Linear(96, 32, bias=False)).to(torch.bfloat16)


def test_rows_are_quantized_symmetrically_within_half_a_step():
    x = torch.randn(5, 300) * torch.tensor([1.0, 10.0, 0.01, 1000.0, 3.0])[:, None]
    q, scale = quantize_rows(x)
    assert q.dtype == torch.int8 and int(q.abs().max()) == 127
    assert torch.all((q.float() * scale[:, None] - x).abs() <= scale[:, None] * 0.5001)
    # One huge row does not flatten the others (each row has its own scale).
    assert int(q[2].abs().max()) == 127


def test_int8_linear_matches_the_float_layer():
    lin = torch.nn.Linear(256, 128).to(torch.bfloat16)
    x = torch.randn(7, 3, 256).to(torch.bfloat16)
    q = Int8Linear.from_linear(lin)
    want, got = lin(x).float(), q(x).float()
    assert got.shape == want.shape and q(x).dtype == torch.bfloat16
    assert (got - want).norm() / want.norm() < 0.02


def test_quantized_weights_are_cached_and_damage_is_repaired(tmp_path):
    model_dir = tmp_path / "model"
    model_dir.mkdir()
    (model_dir / "model.safetensors").write_bytes(b"weights v1")
    cache = cache_file(model_dir, tmp_path / "cache")
    x = torch.randn(4, 64).to(torch.bfloat16)

    first = _model()
    quantize_model(first, cache)
    assert cache.is_file() and isinstance(first[0], Int8Linear) and isinstance(first[2], Int8Linear)
    second = _model()
    quantize_model(second, cache)  # loaded from the file this time
    assert torch.equal(first(x), second(x))

    cache.write_bytes(b"not a safetensors file")
    third = _model()
    quantize_model(third, cache)
    assert torch.equal(first(x), third(x))
    assert cache.stat().st_size > 1000  # rewritten

    # New weights: a new file, and the stale one (ours) is removed.
    (model_dir / "model.safetensors").write_bytes(b"weights v2, longer")
    newer = cache_file(model_dir, tmp_path / "cache")
    assert newer != cache
    quantize_model(_model(), newer)
    assert newer.is_file() and not cache.exists()
    assert not list(newer.parent.glob(".int8-*"))  # no temporary left behind


def test_without_a_cache_folder_it_quantizes_in_memory():
    m = _model()
    quantize_model(m, None)
    assert isinstance(m[0], Int8Linear)


def test_quantizing_leaves_the_input_alone():
    for dtype in (torch.float32, torch.bfloat16):
        x = torch.randn(3, 40).to(dtype)
        before = x.clone()
        quantize_rows(x)
        assert torch.equal(x, before)


def test_mlp_output_and_vocabulary_projections_stay_in_bf16():
    model = tiny_qwen(tied=True)
    ids = torch.tensor([[5, 17, 42, 99, 7]])
    with torch.inference_mode():
        want = model(input_ids=ids).logits.float()
    quantize_model(model, None)
    mlp, attn = model.model.layers[0].mlp, model.model.layers[0].self_attn
    assert isinstance(mlp.down_proj, torch.nn.Linear) and isinstance(model.lm_head, torch.nn.Linear)
    assert model.lm_head.weight is model.model.embed_tokens.weight  # still tied, no second copy
    assert all(isinstance(m, Int8Linear) for m in (mlp.gate_proj, mlp.up_proj, attn.q_proj, attn.o_proj))
    with torch.inference_mode():
        got = model(input_ids=ids).logits.float()
    assert (got - want).norm() / want.norm() < 0.05
