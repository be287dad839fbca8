"""Subword tokenizers for the project's own encoders, trained with the `tokenizers` library.

WordPiece on NFKC-normalised, lower-cased text. Accents are *not* stripped: stripping
decomposes Hangul syllables into jamo, which would wreck Korean.
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Iterable

import numpy as np
from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers

MAX_WORD_VOCAB = 50_000

PAD, UNK, MASK = "[PAD]", "[UNK]", "[MASK]"
SPECIAL_TOKENS = [PAD, UNK, MASK]
PAD_ID, UNK_ID, MASK_ID = 0, 1, 2


def train_tokenizer(texts: Iterable[str], vocab_size: int) -> Tokenizer:
    tokenizer = Tokenizer(models.WordPiece(unk_token=UNK, max_input_chars_per_word=100))
    tokenizer.normalizer = normalizers.Sequence([normalizers.NFKC(), normalizers.Lowercase()])
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tokenizer.decoder = decoders.WordPiece()
    trainer = trainers.WordPieceTrainer(vocab_size=vocab_size, min_frequency=2,
                                        special_tokens=SPECIAL_TOKENS, show_progress=False)
    tokenizer.train_from_iterator(texts, trainer=trainer)
    return tokenizer


def train_word_tokenizer(texts: Iterable[str]) -> Tokenizer:
    """Whole lower-cased words, for word vectors such as GloVe (which are word-level)."""
    tokenizer = Tokenizer(models.WordLevel(unk_token=UNK))
    tokenizer.normalizer = normalizers.Sequence([normalizers.NFKC(), normalizers.Lowercase()])
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    trainer = trainers.WordLevelTrainer(vocab_size=MAX_WORD_VOCAB, min_frequency=1,
                                        special_tokens=SPECIAL_TOKENS, show_progress=False)
    tokenizer.train_from_iterator(texts, trainer=trainer)
    return tokenizer


def tokenizer_key(corpus_fingerprints: list[str], vocab_size: int, kind: str = "wordpiece"
                  ) -> str:
    text = "|".join([f"{kind}-v1", str(vocab_size), *corpus_fingerprints])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def load_or_train_tokenizer(cache_dir: Path, key: str, texts: Iterable[str],
                            vocab_size: int, kind: str = "wordpiece") -> tuple[Tokenizer, bool]:
    """A cached tokenizer for ``key``, training (and caching) it when absent."""
    path = cache_dir / "tokenizers" / f"{key}.json"
    if path.is_file():
        try:
            return Tokenizer.from_file(str(path)), True
        except Exception:  # a damaged cache file is simply rebuilt
            path.unlink(missing_ok=True)
    tokenizer = train_word_tokenizer(texts) if kind == "word" else train_tokenizer(texts, vocab_size)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tokenizer.save(str(tmp))
    tmp.replace(path)  # atomic: a reader never sees half a file
    return tokenizer, False


def encode(tokenizer: Tokenizer, texts: list[str], max_length: int) -> list[np.ndarray]:
    """Token ids per text, truncated to ``max_length`` (at least one token each)."""
    out = []
    for encoding in tokenizer.encode_batch(texts, add_special_tokens=False):
        ids = encoding.ids[:max_length] or [UNK_ID]
        out.append(np.asarray(ids, dtype=np.int64))
    return out
