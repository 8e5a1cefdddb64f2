"""bf16 weights with float32 arithmetic (rag/models/mixed.py): prompts get the float32
model's numbers, decoding the bf16 product, and the weights stay half the size."""

import pytest
import torch
import torch.nn.functional as F

from rag.models import mixed
from rag.models.mixed import MixedLinear, mix_linears

from .conftest import prefill_and_decode, tiny_qwen


@pytest.mark.parametrize("rows", [1, 4, 5, 11, 300])
@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("size", [(96, 160), (1536, 8960)])
def test_a_mixed_layer_computes_in_float32_for_prompts_and_in_bf16_for_a_few_rows(rows, bias, size):
    torch.manual_seed(rows)
    lin = torch.nn.Linear(*size, bias=bias).to(torch.bfloat16)
    layer = MixedLinear.from_linear(lin)
    x = torch.randn(1, rows, size[0])
    b = None if lin.bias is None else lin.bias.float()
    with torch.inference_mode():
        got = layer(x)
        assert got.dtype == torch.float32 and got.shape == (1, rows, size[1])
        if rows <= mixed._BF16_ROWS:  # decoding: the bf16 product, widened
            want = F.linear(x.to(torch.bfloat16), lin.weight).float()
            assert torch.equal(got, want if b is None else want + b)
        else:  # a prompt: the float32 product of the exactly widened weight
            want = F.linear(x, lin.weight.float(), b)
            torch.testing.assert_close(got, want, rtol=1e-5, atol=1e-5)
        torch.testing.assert_close(layer(x[0]), got[0])  # 2-D input too


def test_a_weight_wider_than_the_block_is_widened_a_block_at_a_time(monkeypatch):
    """Blocks of output rows, the last one short: every output column is computed once."""
    monkeypatch.setattr(mixed, "_BLOCK", 7 * 32)  # 7 output rows of 32 inputs per block
    torch.manual_seed(0)
    lin = torch.nn.Linear(32, 50).to(torch.bfloat16)  # 7 blocks of 7 rows, then 1
    x = torch.randn(3, 9, 32)
    with torch.inference_mode():
        torch.testing.assert_close(
            MixedLinear.from_linear(lin)(x), F.linear(x, lin.weight.float(), lin.bias.float()), rtol=1e-5, atol=1e-5
        )


def test_only_2d_bf16_weights_are_mixed():
    with pytest.raises(ValueError, match="bf16"):
        MixedLinear.from_linear(torch.nn.Linear(8, 8))
    model = torch.nn.Sequential(torch.nn.Linear(8, 8))
    assert mix_linears(model) == 0  # a float32 model is left as it is
    assert type(model[0]) is torch.nn.Linear and model[0].weight.dtype == torch.float32


@pytest.mark.filterwarnings("error::FutureWarning")
def test_a_mixed_model_prompts_like_float32_and_keeps_bf16_weights():
    model = tiny_qwen(tied=False)
    want = prefill_and_decode(tiny_qwen(tied=False).float())  # the same weights, widened
    bf16_bytes = sum(p.numel() * p.element_size() for p in model.parameters())
    assert mix_linears(model) == 2 * 7 + 1  # q k v o gate up down per layer, and the head
    assert isinstance(model.lm_head, MixedLinear) and model.lm_head.weight.dtype == torch.bfloat16
    assert model.model.embed_tokens.weight.dtype == torch.bfloat16
    rest = [p for n, p in model.named_parameters() if n != "model.embed_tokens.weight"]
    assert rest and all(p.dtype == torch.float32 for p in rest)  # norms; the layers' weights are buffers
    mixed_bytes = sum(t.numel() * t.element_size() for t in [*model.parameters(), *model.buffers()])
    assert mixed_bytes < 1.1 * bf16_bytes  # not the float32 model's twice
    got = prefill_and_decode(model)
    assert all(g.dtype == torch.float32 for g in got)
    torch.testing.assert_close(got[0], want[0], rtol=1e-4, atol=1e-4)  # the prompt: float32
    for w, g in zip(want[1:], got[1:]):  # decoding rows: bf16 products, close to float32
        torch.testing.assert_close(g, w, rtol=0.05, atol=0.05)
    assert mix_linears(model) == 0  # mixing again changes nothing


def test_a_head_tied_to_the_embeddings_keeps_one_copy():
    model = tiny_qwen(tied=True)
    want = prefill_and_decode(tiny_qwen(tied=True).float())
    assert mix_linears(model) == 2 * 7 + 1
    assert model.lm_head.weight.data_ptr() == model.model.embed_tokens.weight.data_ptr()
    torch.testing.assert_close(prefill_and_decode(model)[0], want[0], rtol=1e-4, atol=1e-4)
