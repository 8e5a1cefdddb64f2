"""bf16 linear layers packed for oneDNN: the same bits as nn.Linear, one copy of each weight."""

import pytest
import torch

from rag.models import packing
from rag.models.packing import PackedLinear, pack_linears

from .conftest import prefill_and_decode, tiny_qwen

pytestmark = pytest.mark.skipif(
    not packing.available(), reason="this torch or CPU cannot pack bf16 weights (no AVX-512 or AMX)"
)


@pytest.mark.parametrize("rows", [1, 2, 11, 64, 300])
@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("size", [(96, 160), (1536, 8960)])
def test_a_packed_layer_gives_the_same_bits_for_any_number_of_rows(rows, bias, size):
    """Small layers, and the language model's own size (1536 -> 8960), where oneDNN's AMX
    kernels take over for larger inputs: a prompt's rows give nn.Linear's bits as a
    decoding row does."""
    torch.manual_seed(rows)
    lin = torch.nn.Linear(*size, bias=bias).to(torch.bfloat16)
    packed = PackedLinear.from_linear(lin)
    x = torch.randn(1, rows, size[0]).to(torch.bfloat16)
    with torch.inference_mode():
        assert torch.equal(lin(x), packed(x))
        assert torch.equal(lin(x[0]), packed(x[0]))  # 2-D input too


def test_only_bf16_layers_are_packed():
    with pytest.raises(ValueError, match="bf16"):
        PackedLinear.from_linear(torch.nn.Linear(8, 8))
    model = torch.nn.Sequential(torch.nn.Linear(8, 8), torch.nn.Linear(8, 8).to(torch.bfloat16))
    assert pack_linears(model) == 1
    assert type(model[0]) is torch.nn.Linear and isinstance(model[1], PackedLinear)


# The cache is passed as transformers 5 names it: no deprecation warning on any step
# (they repeated on every `rag ask`).
@pytest.mark.filterwarnings("error::FutureWarning")
def test_a_packed_model_computes_exactly_what_it_did():
    model = tiny_qwen(tied=False)
    want = prefill_and_decode(model)
    assert pack_linears(model) == 2 * 7 + 1  # q k v o gate up down per layer, and the head
    assert isinstance(model.lm_head, PackedLinear)
    for w, g in zip(want, prefill_and_decode(model)):
        assert torch.equal(w, g)


def test_a_head_tied_to_the_embeddings_in_memory_is_left_alone():
    model = tiny_qwen(tied=True)
    want = prefill_and_decode(model)
    assert pack_linears(model) == 2 * 7
    assert model.lm_head.weight is model.model.embed_tokens.weight  # one copy, still shared
    for w, g in zip(want, prefill_and_decode(model)):
        assert torch.equal(w, g)


def test_a_memory_mapped_checkpoint_gives_its_packed_layers_pages_back(tmp_path, monkeypatch):
    from transformers import AutoModelForCausalLM

    tiny_qwen(tied=False).save_pretrained(tmp_path)
    model = AutoModelForCausalLM.from_pretrained(tmp_path, dtype=torch.bfloat16).eval()
    mapped = packing._file_mappings()
    weight = model.model.layers[0].mlp.up_proj.weight  # 128x64 bf16: 16 KB, whole pages inside
    if not packing._in_file(weight, mapped):
        pytest.skip("transformers did not memory-map this checkpoint")
    released = []
    real = packing._release
    want = prefill_and_decode(model)
    monkeypatch.setattr(packing, "_release", lambda t: (released.append(t.data_ptr()), real(t)))
    assert pack_linears(model) == 2 * 7 + 1
    assert weight.data_ptr() in released and len(released) == 2 * 7 + 1
    for w, g in zip(want, prefill_and_decode(model)):
        assert torch.equal(w, g)


def test_when_packed_results_differ_nothing_is_swapped(monkeypatch):
    monkeypatch.setattr(packing, "same_results", lambda *a, **k: False)
    model = tiny_qwen(tied=False)
    assert pack_linears(model) == 0
    assert not any(isinstance(m, PackedLinear) for m in model.modules())


def test_a_layer_that_cannot_be_packed_stops_packing_without_failing(monkeypatch):
    model = tiny_qwen(tied=False)
    want = prefill_and_decode(model)
    real = PackedLinear.from_linear
    calls = []

    def flaky(linear):  # type: ignore[no-untyped-def]
        calls.append(linear)
        if len(calls) == 3:
            raise RuntimeError("unsupported layout")
        return real(linear)

    monkeypatch.setattr(PackedLinear, "from_linear", staticmethod(flaky))
    assert pack_linears(model) == 2
    assert sum(isinstance(m, PackedLinear) for m in model.modules()) == 2
    for w, g in zip(want, prefill_and_decode(model)):
        assert torch.equal(w, g)
