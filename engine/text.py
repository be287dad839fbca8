"""Subword tokenizers for the project's own encoders, trained with the `tokenizers` library.

BPE on NFKC-normalised, lower-cased text split into words and punctuation. Accents are
*not* stripped: stripping decomposes Hangul syllables into jamo, which would wreck Korean.

Work per word and per sentence is bounded: the BPE trainer's cost grows with the square of a
word's length (one word of 100,000 characters: seconds; of 1 MB: many minutes) and encoding
one huge word or sentence takes seconds and gigabytes. So before a tokenizer learns from text,
and before text is encoded, a word longer than :data:`MAX_WORD_CHARS` is cut to that length
and a sentence longer than :data:`MAX_SENTENCE_CHARS` is cut to that length; the run's log says
how many were cut. Text within the limits reaches the tokenizer exactly as it was.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers

from transfer_explorer.engine.control import call_stoppable, check_stop, report, stoppable
from transfer_explorer.engine.i18n import N_, _, ngettext

MAX_WORD_VOCAB = 50_000
ENCODE_CHUNK = 20_000  # texts encoded between two stop points
# Longest word (a run between spaces and punctuation, after normalisation) a tokenizer sees.
# Measured (BPE, 8,000 tokens): one word of 1,000 characters trains in 5 ms, of 10,000 in
# 0.07 s, of 100,000 in 2.7 s (quadratic: 1 MB would take minutes); encoding a 1 MB word takes
# 1 s. Real data stays far below it: the longest word in STS-B, SST-2, MRPC, KorSTS, KorNLI,
# NLI and MR is 45 characters, in NSMC 140 (a run of ㅋ).
MAX_WORD_CHARS = 1_000
# Longest sentence: what a TSV or CSV cell may hold at most (Python's csv field limit), so only
# JSON Lines, and text typed in, can be longer. A 5 MB sentence takes 4 s and 0.7 GB to encode.
MAX_SENTENCE_CHARS = 131_072

PAD, UNK, MASK = "[PAD]", "[UNK]", "[MASK]"
SPECIAL_TOKENS = [PAD, UNK, MASK]
PAD_ID, UNK_ID, MASK_ID = 0, 1, 2


def train_tokenizer(
    texts: Iterable[str], vocab_size: int, log: Callable[[str], None] | None = None
) -> Tokenizer:
    """Subword BPE. Not WordPiece: the `tokenizers` WordPiece trainer numbers its '##'
    pieces in hash-map order and so learns a different vocabulary in every process
    (huggingface/tokenizers#1794); its BPE trainer gives the same vocabulary, ids and
    merges every time, so runs are reproducible across processes and machines.

    Words and sentences over the limits are cut first (``log`` is told how many)."""
    return _train_bpe(_bounded_for_training(texts, log), vocab_size)


def _train_bpe(texts: list[str], vocab_size: int) -> Tokenizer:
    tokenizer = Tokenizer(models.BPE(unk_token=UNK))
    _configure(tokenizer)
    tokenizer.decoder = decoders.BPEDecoder()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size, min_frequency=2, special_tokens=SPECIAL_TOKENS, show_progress=False
    )
    _train(tokenizer, texts, trainer)
    return tokenizer


def _train(tokenizer: Tokenizer, texts: list[str], trainer) -> None:
    """The Rust trainer reads the texts (with stop points), then merges in one long call
    that has none; it releases the GIL, so it runs in a helper thread while the run's thread
    waits in short slices and obeys a stop (or a signal) between them."""
    call_stoppable(
        tokenizer.train_from_iterator, stoppable(texts), trainer=trainer, name="tokenizer training"
    )


def _configure(tokenizer: Tokenizer) -> None:
    tokenizer.normalizer = normalizers.Sequence([normalizers.NFKC(), normalizers.Lowercase()])
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()


def vocabulary_fingerprint(tokenizer: Tokenizer) -> str:
    """Identifies the exact token → id table (what pre-trained weights depend on)."""
    items = sorted(tokenizer.get_vocab().items(), key=lambda kv: kv[1])
    return hashlib.sha256("\x1f".join(t for t, _count in items).encode()).hexdigest()[:16]


def train_word_tokenizer(
    texts: Iterable[str], log: Callable[[str], None] | None = None
) -> Tokenizer:
    """Whole lower-cased words, for word vectors such as GloVe (which are word-level).
    Words and sentences over the limits are cut first (``log`` is told how many)."""
    return _train_words(_bounded_for_training(texts, log))


def _train_words(texts: list[str]) -> Tokenizer:
    tokenizer = Tokenizer(models.WordLevel(unk_token=UNK))
    _configure(tokenizer)
    trainer = trainers.WordLevelTrainer(
        vocab_size=MAX_WORD_VOCAB,
        min_frequency=1,
        special_tokens=SPECIAL_TOKENS,
        show_progress=False,
    )
    _train(tokenizer, texts, trainer)
    return tokenizer


def tokenizer_key(corpus_fingerprints: list[str], vocab_size: int, kind: str = "bpe") -> str:
    text = "|".join([f"{kind}-v1", str(vocab_size), *corpus_fingerprints])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def load_or_train_tokenizer(
    cache_dir: Path,
    key: str,
    texts: Iterable[str],
    vocab_size: int,
    kind: str = "bpe",
    log: Callable[[str], None] | None = None,
) -> tuple[Tokenizer, bool]:
    """A cached tokenizer for ``key``, training (and caching) it when absent. Files are read
    through engine.safe_read (a FIFO is damage, never a wait); the temporary is locked while
    written, and a killed writer's (``KEY.XXXXXXXX.tmp``, stale and unlocked) is removed.

    Words and sentences over the limits are cut first (``log`` is told how many), and then
    the tokenizer is cached under a key of its own (``key`` and the limits): one trained on
    the uncut text, before the limits existed, is never taken for it. Text within the limits
    keeps ``key``, and so its cached tokenizer."""
    from transfer_explorer.engine.disk.safe_read import read_text
    from transfer_explorer.engine.disk.temp_folders import clean_stale, make_temp_file

    texts, cuts = bound_texts(texts)
    if cuts:
        _tell(cuts.describe("for the tokenizer"), log)
        key = hashlib.sha256(
            f"{key}|cut-{MAX_WORD_CHARS}-{MAX_SENTENCE_CHARS}".encode()
        ).hexdigest()[:16]
    path = cache_dir / "tokenizers" / f"{key}.json"
    clean_stale(path.parent, r"[0-9a-f]+\.[a-z0-9_]+\.tmp")  # KEY.PID.tmp before, too
    if os.path.lexists(path):
        try:
            return Tokenizer.from_str(read_text(path, N_("a cached tokenizer"))), True
        except Exception:  # a damaged cache file (a FIFO in its place too) is rebuilt
            try:
                path.unlink()
            except OSError:
                pass
    tokenizer = _train_words(texts) if kind == "word" else _train_bpe(texts, vocab_size)
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = make_temp_file(path.parent, f"{key}.")
    try:
        tokenizer.save(str(temp.path))
        os.link(temp.path, path)  # first writer wins: a parallel worker never replaces the file
    except FileExistsError:
        pass
    finally:
        temp.discard()
    # everyone uses the file on disk, so every process of a sweep shares one tokenizer
    return Tokenizer.from_str(read_text(path, N_("a cached tokenizer"))), False


def encode(
    tokenizer: Tokenizer,
    texts: list[str],
    max_length: int,
    log: Callable[[str], None] | None = None,
) -> list[np.ndarray]:
    """Token ids per text, truncated to ``max_length`` (at least one token each). Words and
    sentences over the limits are cut first, as for training (``log`` is told how many)."""
    texts, cuts = bound_texts(texts, tokenizer)
    if cuts:
        _tell(cuts.describe("before encoding"), log)
    out = []
    for start in range(0, len(texts), ENCODE_CHUNK):
        check_stop()  # a large split takes seconds to encode
        for encoding in tokenizer.encode_batch(
            texts[start : start + ENCODE_CHUNK], add_special_tokens=False
        ):
            ids = encoding.ids[:max_length] or [UNK_ID]
            out.append(np.asarray(ids, dtype=np.int64))
    return out


def encode_tokens(
    tokenizer: Tokenizer, texts: list[str], log: Callable[[str], None] | None = None
) -> list[list[str]]:
    """The token strings of each text (e.g. sentences for word2vec), cut like :func:`encode`."""
    texts, cuts = bound_texts(texts, tokenizer)
    if cuts:
        _tell(cuts.describe("before encoding"), log)
    out = []
    for start in range(0, len(texts), ENCODE_CHUNK):
        check_stop()
        out += [
            e.tokens
            for e in tokenizer.encode_batch(
                texts[start : start + ENCODE_CHUNK], add_special_tokens=False
            )
        ]
    return out


# ---- bounded work per word and per sentence ---------------------------------------------------
@dataclass
class Cuts:
    """How many words and sentences :func:`bound_texts` cut."""

    words: int = 0
    sentences: int = 0

    def __bool__(self) -> bool:
        return bool(self.words or self.sentences)

    def describe(self, purpose: str) -> str:
        """One line, e.g. '3 words longer than 1,000 characters were cut to 1,000 for the
        tokenizer'; ``purpose``: "for the tokenizer" or "before encoding"."""
        parts = []
        if self.sentences:
            parts.append(
                ngettext(
                    "{count:,} sentence longer than {limit:,} characters was cut to {limit:,}",
                    "{count:,} sentences longer than {limit:,} characters were cut to {limit:,}",
                    self.sentences,
                ).format(count=self.sentences, limit=MAX_SENTENCE_CHARS)
            )
        if self.words:
            parts.append(
                ngettext(
                    "{count:,} word longer than {limit:,} characters was cut to {limit:,}",
                    "{count:,} words longer than {limit:,} characters were cut to {limit:,}",
                    self.words,
                ).format(count=self.words, limit=MAX_WORD_CHARS)
            )
        # TRANSLATORS: joins two clauses: "3 sentences … were cut and 2 words … were cut"
        cuts = _(" and ").join(parts)
        message = _PURPOSES.get(purpose)
        return _(message).format(cuts=cuts) if message else f"{cuts} {purpose}"


# What the cuts were for, as :meth:`Cuts.describe` words it.
_PURPOSES = {
    "for the tokenizer": N_("{cuts} for the tokenizer"),
    "before encoding": N_("{cuts} before encoding"),
}


def _tell(message: str, log: Callable[[str], None] | None) -> None:
    (log or report)(message)


def _bounded_for_training(texts: Iterable[str], log: Callable[[str], None] | None) -> list[str]:
    texts, cuts = bound_texts(texts)
    if cuts:
        _tell(cuts.describe("for the tokenizer"), log)
    return texts


# What the tokenizers' BertPreTokenizer splits on besides punctuation: Rust's
# char::is_whitespace (Unicode White_Space). Python's \s differs (e.g. it has U+001C-U+001F).
_WHITESPACE = "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_NORMALIZER = normalizers.Sequence([normalizers.NFKC(), normalizers.Lowercase()])
_PRE_TOKENIZER = pre_tokenizers.BertPreTokenizer()


@functools.lru_cache(maxsize=4)
def _long_run(limit: int) -> re.Pattern:
    """A run of more than ``limit`` characters without white space, found where it starts
    (the look-behind keeps the search linear in the text's length)."""
    return re.compile(f"(?<![^{_WHITESPACE}])[^{_WHITESPACE}]{{{limit + 1}}}")


def bound_texts(texts: Iterable[str], tokenizer: Tokenizer | None = None) -> tuple[list[str], Cuts]:
    """``texts`` with each sentence cut to :data:`MAX_SENTENCE_CHARS` characters and each
    word (as ``tokenizer`` — by default the project's — normalises and splits it) cut to
    :data:`MAX_WORD_CHARS`; and how many were cut. A text with nothing to cut is returned
    as it is (the same string), so normal data gives the tokenizer exactly what it gave
    before; a text with a word cut comes back normalised, its words joined by spaces (which
    the tokenizer splits into the same words). Deterministic."""
    word_limit, sentence_limit = MAX_WORD_CHARS, MAX_SENTENCE_CHARS
    long_run = _long_run(word_limit)
    normalizer = getattr(tokenizer, "normalizer", None) or _NORMALIZER
    pre_tokenizer = getattr(tokenizer, "pre_tokenizer", None) or _PRE_TOKENIZER
    cuts = Cuts()
    out = []
    for i, text in enumerate(texts):
        if i % 10_000 == 0:
            check_stop()
        if len(text) > sentence_limit:
            text = text[:sentence_limit]
            cuts.sentences += 1
        if text.isascii():  # normalising ASCII changes no length: the text itself says
            if len(text) <= word_limit or not long_run.search(text):
                out.append(text)
                continue
        # NFKC may lengthen a character (up to 18 times): look at the normalised text
        elif not long_run.search(unicodedata.normalize("NFKC", text).lower()):
            out.append(text)
            continue
        text, cut = _cut_words(text, normalizer, pre_tokenizer, word_limit)
        cuts.words += cut
        out.append(text)
    return out, cuts


def _cut_words(text: str, normalizer, pre_tokenizer, limit: int) -> tuple[str, int]:
    """``text`` with its words over ``limit`` characters cut (the tokenizer's own normaliser
    and pre-tokenizer say what a word is); unchanged when none is that long (a long run of
    letters and punctuation, such as a URL, is many short words)."""
    words = [word for word, _span in pre_tokenizer.pre_tokenize_str(normalizer.normalize_str(text))]
    cut = sum(len(word) > limit for word in words)
    if not cut:
        return text, 0
    return " ".join(word[:limit] for word in words), cut
