"""Text → token ids, the same way for the project's tokenizers and a checkpoint's own.

A codec turns sentences into id arrays (with the model's special tokens) and knows the
pad id; batching and models need nothing else from a tokenizer.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from engine.text import PAD_ID, UNK_ID


class OwnCodec:
    """A `tokenizers` tokenizer trained by the project (BPE, or word-level for GloVe)."""

    kind = "own"

    def __init__(self, tokenizer):
        self.tokenizer = tokenizer
        self.pad_id = PAD_ID
        self.vocab_size = tokenizer.get_vocab_size()

    def encode(self, texts: list[str], max_length: int) -> list[np.ndarray]:
        out = []
        for encoding in self.tokenizer.encode_batch(texts, add_special_tokens=False):
            ids = encoding.ids[:max_length] or [UNK_ID]
            out.append(np.asarray(ids, dtype=np.int64))
        return out

    def encode_pairs(self, first, second, max_length):
        raise NotImplementedError("the project's own encoders are bi-encoders")

    def save(self, folder: Path) -> None:
        self.tokenizer.save(str(Path(folder) / "tokenizer.json"))


class HFCodec:
    """A Hugging Face tokenizer: [CLS] s [SEP] per sentence, [CLS] a [SEP] b [SEP] per pair."""

    kind = "hf"

    def __init__(self, tokenizer, uses_token_types: bool):
        self.tokenizer = tokenizer
        if tokenizer.pad_token_id is None:  # GPT-2 has no pad token: pad with end-of-text
            tokenizer.pad_token = tokenizer.eos_token
        self.pad_id = tokenizer.pad_token_id
        self.vocab_size = len(tokenizer)
        self.uses_token_types = uses_token_types

    def encode(self, texts: list[str], max_length: int) -> list[np.ndarray]:
        encoded = self.tokenizer(list(texts), truncation=True, max_length=max_length,
                                 add_special_tokens=True, return_attention_mask=False,
                                 return_token_type_ids=False)
        return [np.asarray(ids or [self.pad_id], dtype=np.int64) for ids in encoded["input_ids"]]

    def encode_pairs(self, first: list[str], second: list[str], max_length: int
                     ) -> tuple[list[np.ndarray], list[np.ndarray]]:
        encoded = self.tokenizer(list(first), list(second), truncation=True,
                                 max_length=2 * max_length, return_attention_mask=False,
                                 return_token_type_ids=True)
        ids = [np.asarray(x, dtype=np.int64) for x in encoded["input_ids"]]
        if self.uses_token_types and "token_type_ids" in encoded:
            types = [np.asarray(x, dtype=np.int64) for x in encoded["token_type_ids"]]
        else:  # e.g. RoBERTa (type_vocab_size 1): no segment ids
            types = [np.zeros_like(x) for x in ids]
        return ids, types

    def save(self, folder: Path) -> None:
        self.tokenizer.save_pretrained(str(folder))
