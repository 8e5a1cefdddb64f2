"""bf16 linear layers whose weights are laid out once for the CPU's matrix kernels.

A bf16 ``torch.nn.Linear`` on the CPU calls oneDNN, which first copies the weight into its
own blocked layout, on every call. For a prompt's hundreds of rows that copy is a small
share of the work; for decoding, one row per call, it dominates: the weight is read,
written and read again. Measured here (2 threads, 8960x1536 and 151936x1536 weights):
one decoding row ran at 24 GB/s through ``nn.Linear`` and at 83 GB/s with the weight laid
out once; prompts faster too (see ``_LAYOUT_ROWS``). The results are bit-identical (the same kernel
runs on the same layout), which :func:`pack_linears` checks on the model's first layer,
for a decoding row and for prompt-sized inputs, before it swaps any, so answers do not
change.

The laid-out copy replaces the original. When the original lives in a memory-mapped
checkpoint (transformers maps safetensors files), its pages are handed back to the
kernel, so the process holds one copy of each weight, not two.
"""

from __future__ import annotations

import ctypes
import functools
import logging
import mmap
import sys
from collections.abc import Iterable

import torch

log = logging.getLogger(__name__)

_MADV_DONTNEED = 4  # Linux: drop the pages; a file mapping re-reads them on next access

#: The row count oneDNN is told to lay a weight out for. With 1, on a CPU with AMX (a Xeon
#: with amx_bf16, measured) the layout gives other bits than ``nn.Linear`` from 64 rows on,
#: that is for every prompt; with 16 it gives the same bits for 1 to 300 rows, one row as
#: fast as with 1, and a 300-row product of a 1536x8960 weight in 9 ms instead of 16.
_LAYOUT_ROWS = 16


@functools.cache
def bf16_native() -> bool:
    """Whether oneDNN multiplies bf16 matrices on this CPU (AVX-512 or AMX).

    Without it (an AVX2-only CPU) torch emulates bf16: measured on a 2-core AMD EPYC with
    AVX2, a 300x1536 by 1536x8960 product took 438 ms in bf16 and 75 ms in float32, and a
    question on the bundled articles 46 s against 16 s, so the generator multiplies prompts
    in float32 there (:mod:`rag.models.mixed`).
    """
    return torch.backends.mkldnn.is_available() and bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())


def available() -> bool:
    """Whether this torch build can lay out bf16 weights for oneDNN on this CPU."""
    return (
        torch.backends.mkldnn.is_available()
        and hasattr(torch.ops.mkldnn, "_reorder_linear_weight")
        and hasattr(torch.ops.mkldnn, "_linear_pointwise")
        and bf16_native()  # oneDNN refuses to lay out bf16 weights without AVX-512 or AMX
    )


class PackedLinear(torch.nn.Module):
    """``y = x W^T + b`` with W (bf16) held in oneDNN's layout; same results as ``nn.Linear``."""

    def __init__(
        self, packed_weight: torch.Tensor, bias: torch.Tensor | None, in_features: int, out_features: int
    ) -> None:
        super().__init__()
        self.in_features, self.out_features = in_features, out_features
        # Not called "weight": its bytes are in oneDNN's layout, not (out, in) rows.
        self.register_buffer("packed_weight", packed_weight)
        self.register_buffer("bias", bias)

    @classmethod
    def from_linear(cls, linear: torch.nn.Linear) -> PackedLinear:
        weight = linear.weight.detach()
        if weight.dtype != torch.bfloat16 or weight.device.type != "cpu":
            raise ValueError(f"PackedLinear needs a bf16 weight on the CPU, not {weight.dtype} on {weight.device}")
        bias = None if linear.bias is None else linear.bias.detach().clone()
        packed = torch.ops.mkldnn._reorder_linear_weight(weight, _LAYOUT_ROWS)
        return cls(packed, bias, linear.in_features, linear.out_features)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.ops.mkldnn._linear_pointwise(x, self.packed_weight, self.bias, "none", [None], "")

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, bf16 packed"


def same_results(linear: torch.nn.Linear, packed: PackedLinear, rows: Iterable[int] = (1, 7, 64, 300)) -> bool:
    """Whether ``packed`` gives exactly ``linear``'s outputs on random inputs: a decoding
    row, a few, and prompt-sized inputs (kernels can differ by row count)."""
    gen = torch.Generator().manual_seed(0)
    with torch.inference_mode():
        for n in rows:
            x = torch.randn(1, n, linear.in_features, generator=gen).to(linear.weight.dtype)
            if not torch.equal(linear(x), packed(x)):
                return False
    return True


def bf16_linears(model: torch.nn.Module) -> list[tuple[str, torch.nn.Linear]]:
    """``model``'s plain ``nn.Linear`` layers with a bf16 weight on the CPU, by name: the
    layers :func:`pack_linears` and :func:`rag.models.mixed.mix_linears` swap."""
    return [
        (n, m)
        for n, m in model.named_modules()
        if type(m) is torch.nn.Linear and m.weight.dtype == torch.bfloat16 and m.weight.device.type == "cpu"
    ]


def input_embeddings(model: torch.nn.Module) -> torch.nn.Module | None:
    """A transformers model's input embeddings; None for a Module without them."""
    get_embeddings = getattr(model, "get_input_embeddings", None)
    return get_embeddings() if get_embeddings is not None else None


def pack_linears(model: torch.nn.Module) -> int:
    """Swap ``model``'s bf16 ``nn.Linear`` layers for :class:`PackedLinear`.

    Nothing is swapped when this torch cannot, or when the first layer's packed results
    differ from its own in any bit (another CPU, another oneDNN). An output projection
    tied to the input embeddings is left alone: the embeddings still read its weight, so
    packing it would keep two copies. Returns the number of layers swapped.
    """
    if not available():
        log.info("oneDNN weight packing is not available in this torch or on this CPU; linear layers stay as they are")
        return 0
    linears = bf16_linears(model)
    tied = getattr(input_embeddings(model), "weight", None)
    if tied is not None:
        linears = [(n, m) for n, m in linears if m.weight.data_ptr() != tied.data_ptr()]
    # Largest first: while a layer is copied, its original and its copy are both resident,
    # and the originals read so far are already handed back, so the peak is about the
    # packed model plus one small layer (the other order peaked 0.4 GB higher).
    linears.sort(key=lambda nm: -nm[1].weight.numel())
    mapped = _file_mappings()
    swapped = 0
    for name, linear in linears:
        try:
            packed = PackedLinear.from_linear(linear)
        except (RuntimeError, ValueError) as exc:  # an unusual layout: the rest stay as they are
            log.warning("could not pack %s (%s); %d linear layers packed", name, exc, swapped)
            return swapped
        if not swapped and not same_results(linear, packed):
            log.warning("packed bf16 weights give other results on this CPU; linear layers stay as they are")
            return 0
        model.set_submodule(name, packed)
        if _in_file(linear.weight, mapped):
            _release(linear.weight)  # no module reads it any more
        swapped += 1
    return swapped


def _file_mappings() -> list[tuple[int, int]]:
    """Address ranges of this process's memory-mapped files (Linux; none elsewhere)."""
    if not sys.platform.startswith("linux"):
        return []
    ranges = []
    try:
        with open("/proc/self/maps", encoding="utf-8", errors="replace") as f:
            for line in f:
                parts = line.split(maxsplit=5)
                # address perms offset dev inode path: a path and an inode mean a file.
                if len(parts) == 6 and parts[4] != "0" and parts[5].startswith("/"):
                    lo, hi = parts[0].split("-")
                    ranges.append((int(lo, 16), int(hi, 16)))
    except OSError:
        return []
    return ranges


def _in_file(t: torch.Tensor, mapped: list[tuple[int, int]]) -> bool:
    start = t.data_ptr()
    end = start + t.numel() * t.element_size()
    return any(lo <= start and end <= hi for lo, hi in mapped)


@functools.cache
def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def _release(t: torch.Tensor) -> None:
    """Hand the whole pages under ``t`` (in a file mapping, read by nothing any more)
    back to the kernel. The file itself is never written.
    """
    page = mmap.PAGESIZE
    start = -(-t.data_ptr() // page) * page
    end = (t.data_ptr() + t.numel() * t.element_size()) // page * page
    if end <= start:
        return
    if _libc().madvise(ctypes.c_void_p(start), ctypes.c_size_t(end - start), _MADV_DONTNEED) != 0:
        log.debug("madvise failed (errno %d); the checkpoint's pages stay resident", ctypes.get_errno())
