"""bf16 weights with float32 arithmetic, for CPUs that do not multiply bf16 natively.

On an AVX2-only CPU torch emulates bf16 matrix products: a prompt's product is 3x to 7x
slower than in float32 (see :func:`rag.models.packing.bf16_native`). Float32 weights are
fast to multiply but twice the memory, and decoding, one row at a time, only reads
weights: it runs at the speed memory delivers 4 bytes per weight.

:func:`mix_linears` keeps each linear layer's weight in bf16 (half the memory) and picks
the arithmetic by the number of rows it is given:

- a few rows (decoding, a short speculative check): the bf16 product, which reads 2 bytes
  per weight; its emulation costs little when there are few rows;
- more rows (a prompt): the weight is widened to float32 a block of output rows at a time
  into a small buffer that stays in the CPU's cache, and multiplied in float32. The
  widening is exact (a bf16 number is a float32 with its low 16 bits zero), so the product
  is the float32 model's, up to the order of the sums.

Measured on a 2-core AMD EPYC with AVX2 (8960x1536 weights, cold caches, ms per product):
one row 1.5 in bf16, 2.8 widened, ~2.8 with float32 weights; four rows 5.7 / 6.3; eight
rows 10.8 / 6.5; a 300-row prompt 53 widened against 68 with float32 weights. So
:data:`_BF16_ROWS` is 4. Every other parameter (norms, biases) is float32, and the input
embeddings' output is widened, so the layers between the products run in float32.
"""

from __future__ import annotations

import logging
import threading

import torch
import torch.nn.functional as F

from .packing import bf16_linears, input_embeddings

log = logging.getLogger(__name__)

#: Up to this many rows a product runs in bf16; beyond it, widened to float32 (measured above).
_BF16_ROWS = 4
#: Elements of weight widened at once (4 MB of float32). On one layer, cold, a block that
#: stays in the CPU's cache was faster than widening the whole weight; on the whole model
#: blocks of 1M to 16M elements did not differ beyond run-to-run noise (prompts of 11, 64
#: and 326 rows), so the small one is kept: it is the memory each thread adds.
_BLOCK = 1 << 20

_buffers = threading.local()  # each thread's float32 block: forward passes may run in several


def _block(n: int) -> torch.Tensor:
    buf = getattr(_buffers, "block", None)
    if buf is None or buf.numel() < n:
        buf = _buffers.block = torch.empty(max(n, _BLOCK))
    return buf[:n]


class MixedLinear(torch.nn.Module):
    """``y = x W^T + b`` with W held in bf16 and x, y, b in float32 (see the module's doc)."""

    weight: torch.Tensor  # buffers, not parameters: nothing here is trained
    bias: torch.Tensor | None

    def __init__(self, weight: torch.Tensor, bias: torch.Tensor | None) -> None:
        super().__init__()
        if weight.dtype != torch.bfloat16 or weight.dim() != 2:
            raise ValueError(f"MixedLinear needs a 2-D bf16 weight, not {weight.dtype} of {weight.dim()} dimensions")
        self.out_features, self.in_features = weight.shape
        self.register_buffer("weight", weight.detach())
        self.register_buffer("bias", None if bias is None else bias.detach().float())

    @classmethod
    def from_linear(cls, linear: torch.nn.Linear) -> MixedLinear:
        return cls(linear.weight, linear.bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x.float()
        if x.numel() <= _BF16_ROWS * self.in_features:
            y = F.linear(x.to(torch.bfloat16), self.weight).float()
            return y if self.bias is None else y + self.bias
        step = max(1, _BLOCK // self.in_features)
        y = x.new_empty(*x.shape[:-1], self.out_features)
        for a in range(0, self.out_features, step):
            b = min(self.out_features, a + step)
            w = _block((b - a) * self.in_features).view(b - a, self.in_features).copy_(self.weight[a:b])
            y[..., a:b] = F.linear(x, w, None if self.bias is None else self.bias[a:b])
        return y

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, bf16 weight, float32 arithmetic"


def _widen(_module: torch.nn.Module, _inputs: object, output: torch.Tensor) -> torch.Tensor:
    return output.float()


def mix_linears(model: torch.nn.Module) -> int:
    """Swap ``model``'s bf16 ``nn.Linear`` layers (on the CPU) for :class:`MixedLinear`
    and make the rest of it float32; the input embeddings stay bf16 and their output is
    widened (exact), so they cost no more memory. Returns the number of layers swapped;
    with none (a float32 model, or one already mixed) the model is left as it was."""
    linears = bf16_linears(model)
    if not linears:
        return 0
    embeddings = input_embeddings(model)
    for name, linear in linears:
        model.set_submodule(name, MixedLinear.from_linear(linear))
    for module in model.modules():
        if isinstance(module, MixedLinear) or module is embeddings:
            continue
        for param in module.parameters(recurse=False):
            if param.is_floating_point() and param.dtype != torch.float32:
                param.data = param.data.float()
        for name, buffer in module.named_buffers(recurse=False):
            if buffer.is_floating_point() and buffer.dtype != torch.float32:
                setattr(module, name, buffer.float())
    if embeddings is not None:
        embeddings.register_forward_hook(_widen)
    log.info("%d linear layers hold bf16 weights and compute in float32 for prompts", len(linears))
    return len(linears)
