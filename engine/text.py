"""Subword tokenizers for the project's own encoders, trained with the `tokenizers` library.

BPE on NFKC-normalised, lower-cased text split into words and punctuation. Accents are
*not* stripped: stripping decomposes Hangul syllables into jamo, which would wreck Korean.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Iterable

import numpy as np
from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers

from transfer_explorer.engine.control import check_stop, stoppable

MAX_WORD_VOCAB = 50_000
ENCODE_CHUNK = 20_000  # texts encoded between two stop points

PAD, UNK, MASK = "[PAD]", "[UNK]", "[MASK]"
SPECIAL_TOKENS = [PAD, UNK, MASK]
PAD_ID, UNK_ID, MASK_ID = 0, 1, 2


def train_tokenizer(texts: Iterable[str], vocab_size: int) -> Tokenizer:
    """Subword BPE. Not WordPiece: the `tokenizers` WordPiece trainer numbers its '##'
    pieces in hash-map order and so learns a different vocabulary in every process
    (huggingface/tokenizers#1794); its BPE trainer gives the same vocabulary, ids and
    merges every time, so runs are reproducible across processes and machines."""
    tokenizer = Tokenizer(models.BPE(unk_token=UNK))
    _configure(tokenizer)
    tokenizer.decoder = decoders.BPEDecoder()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, min_frequency=2,
                                  special_tokens=SPECIAL_TOKENS, show_progress=False)
    # the texts are read with stop points: a stop raises through the Rust trainer
    tokenizer.train_from_iterator(stoppable(texts), trainer=trainer)
    return tokenizer


def _configure(tokenizer: Tokenizer) -> None:
    tokenizer.normalizer = normalizers.Sequence([normalizers.NFKC(), normalizers.Lowercase()])
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()


def vocabulary_fingerprint(tokenizer: Tokenizer) -> str:
    """Identifies the exact token → id table (what pre-trained weights depend on)."""
    items = sorted(tokenizer.get_vocab().items(), key=lambda kv: kv[1])
    return hashlib.sha256("\x1f".join(t for t, _ in items).encode()).hexdigest()[:16]


def train_word_tokenizer(texts: Iterable[str]) -> Tokenizer:
    """Whole lower-cased words, for word vectors such as GloVe (which are word-level)."""
    tokenizer = Tokenizer(models.WordLevel(unk_token=UNK))
    _configure(tokenizer)
    trainer = trainers.WordLevelTrainer(vocab_size=MAX_WORD_VOCAB, min_frequency=1,
                                        special_tokens=SPECIAL_TOKENS, show_progress=False)
    tokenizer.train_from_iterator(stoppable(texts), trainer=trainer)
    return tokenizer


def tokenizer_key(corpus_fingerprints: list[str], vocab_size: int, kind: str = "bpe"
                  ) -> str:
    text = "|".join([f"{kind}-v1", str(vocab_size), *corpus_fingerprints])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def load_or_train_tokenizer(cache_dir: Path, key: str, texts: Iterable[str],
                            vocab_size: int, kind: str = "bpe") -> tuple[Tokenizer, bool]:
    """A cached tokenizer for ``key``, training (and caching) it when absent."""
    path = cache_dir / "tokenizers" / f"{key}.json"
    if path.is_file():
        try:
            return Tokenizer.from_file(str(path)), True
        except Exception:  # a damaged cache file is simply rebuilt
            path.unlink(missing_ok=True)
    tokenizer = train_word_tokenizer(texts) if kind == "word" else train_tokenizer(texts, vocab_size)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.stem}.{os.getpid()}.tmp")
    tokenizer.save(str(tmp))
    try:
        os.link(tmp, path)  # first writer wins: a parallel worker never replaces the file
    except FileExistsError:
        pass
    finally:
        tmp.unlink(missing_ok=True)
    # everyone uses the file on disk, so every process of a sweep shares one tokenizer
    return Tokenizer.from_file(str(path)), False


def encode(tokenizer: Tokenizer, texts: list[str], max_length: int) -> list[np.ndarray]:
    """Token ids per text, truncated to ``max_length`` (at least one token each)."""
    out = []
    for start in range(0, len(texts), ENCODE_CHUNK):
        check_stop()  # a large split takes seconds to encode
        for encoding in tokenizer.encode_batch(texts[start:start + ENCODE_CHUNK],
                                               add_special_tokens=False):
            ids = encoding.ids[:max_length] or [UNK_ID]
            out.append(np.asarray(ids, dtype=np.int64))
    return out
