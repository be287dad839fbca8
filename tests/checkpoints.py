"""Tiny real Hugging Face checkpoints written into a folder (no download)."""

from __future__ import annotations

from pathlib import Path

from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors, trainers


def _texts() -> list[str]:
    from transfer_explorer.engine.data import load_pairs, load_texts

    return load_pairs("demo").texts("train") + load_texts("demo").splits["train"].sentences


def tiny_bert(
    folder: Path,
    hidden: int = 32,
    layers: int = 2,
    heads: int = 2,
    vocab: int = 600,
    texts: list[str] | None = None,
    positions: int = 160,
    model_vocab: int | None = None,
    ffn: int | None = None,
) -> Path:
    """A BERT with a WordPiece tokenizer trained on ``texts`` (the demo text by default).

    Tiny by default; bench/gpu_suite.py asks for all-MiniLM-L6-v2's shape (random weights,
    ``model_vocab`` rows of embeddings whatever the tokenizer learned)."""
    from transformers import BertConfig, BertModel, PreTrainedTokenizerFast

    special = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tok.normalizer = normalizers.Sequence([normalizers.NFKC(), normalizers.Lowercase()])
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.train_from_iterator(
        texts or _texts(), trainers.WordPieceTrainer(vocab_size=vocab, special_tokens=special)
    )
    cls, sep = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]",
        pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", cls), ("[SEP]", sep)],
    )
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok,
        unk_token="[UNK]",
        pad_token="[PAD]",
        cls_token="[CLS]",
        sep_token="[SEP]",
        mask_token="[MASK]",
    )
    config = BertConfig(
        vocab_size=model_vocab or tok.get_vocab_size(),
        hidden_size=hidden,
        num_hidden_layers=layers,
        num_attention_heads=heads,
        intermediate_size=ffn or 2 * hidden,
        max_position_embeddings=positions,
        type_vocab_size=2,
    )
    folder.mkdir(parents=True, exist_ok=True)
    BertModel(config).save_pretrained(str(folder))
    fast.save_pretrained(str(folder))
    return folder


def tiny_gpt2(folder: Path) -> Path:
    """A 2-layer GPT-2 with a byte-level BPE tokenizer and no pad token (pads with eos)."""
    from transformers import GPT2Config, GPT2Model, PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.train_from_iterator(
        _texts(),
        trainers.BpeTrainer(
            vocab_size=400,
            special_tokens=["<|endoftext|>"],
            initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        ),
    )
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok,
        eos_token="<|endoftext|>",
        bos_token="<|endoftext|>",
        unk_token="<|endoftext|>",
    )
    config = GPT2Config(
        vocab_size=tok.get_vocab_size(), n_embd=32, n_layer=2, n_head=2, n_positions=160
    )
    folder.mkdir(parents=True, exist_ok=True)
    GPT2Model(config).save_pretrained(str(folder))
    fast.save_pretrained(str(folder))
    return folder
