"""Upstream ``word2vec``: gensim skip-gram vectors for the tokenizer's subwords.

Only the embedding layer is pre-trained. Vectors are rescaled to unit standard deviation,
the scale the encoders' own embeddings start at. gensim trains in C, so pause/stop take
effect between its epochs (through its callbacks).
"""

from __future__ import annotations

import os
import zlib

from transfer_explorer.engine.i18n import N_, _
from transfer_explorer.engine.upstream.task import UNLABELLED_TEXT, WORD_VECTOR_FAMILY, TrainedTask


def _stable_hash(text: str) -> int:
    return zlib.crc32(text.encode("utf-8"))


class Word2Vec(TrainedTask):
    name = "word2vec"
    label = N_("word2vec")
    explanation = N_(
        "Word vectors are learned from unlabelled text by predicting neighbouring "
        "words (gensim's skip-gram). Only the embedding layer is pre-trained."
    )
    corpus = UNLABELLED_TEXT
    default_corpus = {"en": "sst2", "ko": "nsmc"}
    default_epochs = 5  # several cheap passes over the corpus
    scope = "embedding"
    family = WORD_VECTOR_FAMILY
    order = 20

    def train(self, up, corpus, tokenizer, spec, ctx):
        import numpy as np
        import torch
        from gensim.models import Word2Vec as GensimWord2Vec
        from gensim.models.callbacks import CallbackAny2Vec

        from transfer_explorer.engine.events import Log, Progress, StageStarted
        from transfer_explorer.engine.text import encode_tokens
        from transfer_explorer.engine.upstream.common import corpus_split

        epochs = self.epochs(up)

        class EpochHook(CallbackAny2Vec):
            def __init__(self):
                self.done = 0

            def on_epoch_end(self, model):
                self.done += 1
                ctx.emit(
                    Progress(
                        "upstream",
                        self.done,
                        epochs,
                        _("word2vec epoch {epoch}").format(epoch=self.done),
                    )
                )
                ctx.control.checkpoint()

        ctx.emit(StageStarted("upstream", epochs, epochs, description="word2vec (gensim)"))
        train = corpus_split(up, corpus, "train")
        # words and sentences over the limits are cut, as when the tokenizer learned them
        sentences = encode_tokens(
            tokenizer, train.sentences, log=lambda message: ctx.emit(Log(message))
        )
        workers = ctx.threads or min(4, os.cpu_count() or 1)
        # gensim seeds each vector with hash(word), which Python randomises per process;
        # a stable hash (and one worker thread) makes the vectors reproducible.
        model = GensimWord2Vec(
            vector_size=spec.embedding_size,
            window=5,
            min_count=1,
            sg=1,
            negative=5,
            workers=workers,
            seed=up.seed,
            hashfxn=_stable_hash,
        )
        model.build_vocab(sentences)
        ctx.control.checkpoint()
        model.train(
            sentences, total_examples=len(sentences), epochs=epochs, callbacks=[EpochHook()]
        )
        vectors = model.wv
        # in id order: get_vocab() comes from a hash map, and summing in a varying order would
        # change the standardised vectors in their last bits from one process to the next
        vocab = sorted(tokenizer.get_vocab().items(), key=lambda item: item[1])
        found = [(i, vectors[t]) for t, i in vocab if t in vectors]
        trained = np.stack([vector for _row, vector in found])
        # Centre (word2vec vectors share a large common direction), then unit std: the scale
        # the encoders' own embeddings start at. The std must be taken after centring.
        trained = trained - trained.mean(0)
        trained = trained / trained.std()
        rng = np.random.default_rng(up.seed)
        matrix = rng.standard_normal((spec.vocab_size, spec.embedding_size)).astype(np.float32)
        for (row, _old), vector in zip(found, trained):
            if row < spec.vocab_size:
                matrix[row] = vector
        matrix[0] = 0.0  # [PAD]
        metrics = {"vectors": len(found), "vocab_coverage": 100 * len(found) / spec.vocab_size}
        return {"embedding.weight": torch.from_numpy(matrix)}, metrics


TASK = Word2Vec()
