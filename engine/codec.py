"""Text → token ids, the same way for the project's tokenizers and a checkpoint's own.

A codec turns sentences into id arrays (with the model's special tokens) and knows the
pad id; batching and models need nothing else from a tokenizer.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from transfer_explorer.engine.control import check_stop
from transfer_explorer.engine.errors import ConfigError
from transfer_explorer.engine.i18n import _
from transfer_explorer.engine.text import ENCODE_CHUNK, PAD_ID, encode

# How a run's model is stored (engine.artifacts): our own encoder and tokenizer, or a
# Hugging Face checkpoint's. The values are written into model.json; they never change.
OWN_FORMAT, CHECKPOINT_FORMAT = "own", "hf"


class OwnCodec:
    """A `tokenizers` tokenizer trained by the project (BPE, or word-level for GloVe)."""

    kind = OWN_FORMAT

    def __init__(self, tokenizer):
        self.tokenizer = tokenizer
        self.pad_id = PAD_ID
        self.vocab_size = tokenizer.get_vocab_size()

    def encode(self, texts: list[str], max_length: int) -> list[np.ndarray]:
        return encode(self.tokenizer, texts, max_length)

    def encode_pairs(self, first, second, max_length):
        raise NotImplementedError("the project's own encoders are bi-encoders")

    def save(self, folder: Path) -> None:
        self.tokenizer.save(str(Path(folder) / "tokenizer.json"))


class HFCodec:
    """A Hugging Face tokenizer: [CLS] s [SEP] per sentence, [CLS] a [SEP] b [SEP] per pair."""

    kind = CHECKPOINT_FORMAT

    def __init__(self, tokenizer, uses_token_types: bool, positions: int | None = None):
        """``positions``: the model's own bound, where the caller knows it (the tokenizer's
        ``model_max_length`` is used too; a tokenizer may not say)."""
        self.tokenizer = tokenizer
        if tokenizer.pad_token_id is None:  # GPT-2 has no pad token: pad with end-of-text
            tokenizer.pad_token = tokenizer.eos_token
        self.pad_id = tokenizer.pad_token_id
        self.vocab_size = len(tokenizer)
        self.uses_token_types = uses_token_types
        self.positions = _positions(tokenizer, positions)

    def _fit(self, max_length: int) -> None:
        """Ids past the checkpoint's position table would index out of range deep inside
        the model; the bound is only known once the checkpoint is loaded, so it is here."""
        if self.positions is not None and max_length > self.positions:
            raise ConfigError(
                _(
                    "max length {length} is more than the checkpoint's {positions} positions; "
                    "use --max-length {positions} or less"
                ).format(length=max_length, positions=self.positions)
            )

    def encode(self, texts: list[str], max_length: int) -> list[np.ndarray]:
        self._fit(max_length)
        out = []
        for start in range(0, len(texts), ENCODE_CHUNK):
            check_stop()  # a large split takes seconds to encode
            encoded = self.tokenizer(
                list(texts[start : start + ENCODE_CHUNK]),
                truncation=True,
                max_length=max_length,
                add_special_tokens=True,
                return_attention_mask=False,
                return_token_type_ids=False,
            )
            out += [
                np.asarray(ids or [self.pad_id], dtype=np.int64) for ids in encoded["input_ids"]
            ]
        return out

    def encode_pairs(
        self, first: list[str], second: list[str], max_length: int
    ) -> tuple[list[np.ndarray], list[np.ndarray]]:
        check_stop()
        self._fit(max_length)
        both = 2 * max_length if self.positions is None else min(2 * max_length, self.positions)
        encoded = self.tokenizer(
            list(first),
            list(second),
            truncation=True,
            max_length=both,
            return_attention_mask=False,
            return_token_type_ids=True,
        )
        ids = [np.asarray(x, dtype=np.int64) for x in encoded["input_ids"]]
        if self.uses_token_types and "token_type_ids" in encoded:
            types = [np.asarray(x, dtype=np.int64) for x in encoded["token_type_ids"]]
        else:  # e.g. RoBERTa (type_vocab_size 1): no segment ids
            types = [np.zeros_like(x) for x in ids]
        return ids, types

    def save(self, folder: Path) -> None:
        self.tokenizer.save_pretrained(str(folder))


def _positions(tokenizer, positions: int | None = None) -> int | None:
    """How many tokens the checkpoint reads at once: the smaller of the model's bound and
    its tokenizer's (None: unknown; tokenizers without the setting report a huge
    placeholder)."""
    known = [
        limit
        for limit in (positions, getattr(tokenizer, "model_max_length", None))
        if isinstance(limit, int) and 0 < limit < 10**6
    ]
    return min(known) if known else None


def own_codec(config, data, ctx, kind: str = "bpe") -> tuple[OwnCodec, str]:
    """The project's tokenizer for a run (trained once, then cached): BPE (word-level for
    word vectors) on the upstream corpus plus the downstream training text, so both stages
    — and the scratch control — share one vocabulary. Returns (codec, tokenizer key)."""
    import time

    from transfer_explorer.engine.events import StageFinished, StageStarted
    from transfer_explorer.engine.text import load_or_train_tokenizer, tokenizer_key

    t0 = time.perf_counter()
    texts: list[str] = []
    fingerprints = []
    if data.corpus is not None:
        task = config.upstream.kind
        texts += task.corpus_sentences(config.upstream, data.corpus)
        fingerprints.append(
            task.corpus_fingerprint(data.corpus) + f":{config.upstream.max_sentences}"
        )
    texts += data.downstream.texts("train")
    fingerprints.append(data.downstream.fingerprint("train"))
    key = tokenizer_key(fingerprints, config.model.vocab_size, kind)
    ctx.emit(StageStarted("tokenizer", 0, description=_("{kind} tokenizer").format(kind=kind)))
    tokenizer, cached = load_or_train_tokenizer(
        ctx.cache_dir, key, texts, config.model.vocab_size, kind
    )
    ctx.emit(
        StageFinished(
            "tokenizer",
            {"vocab_size": tokenizer.get_vocab_size()},
            cached=cached,
            seconds=time.perf_counter() - t0,
        )
    )
    return OwnCodec(tokenizer), key
