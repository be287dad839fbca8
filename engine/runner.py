"""Run one experiment end to end: data → tokenizer → upstream → transfer → downstream → store.

Everything that can be refused (settings, data) is checked before the run is written to
the store, so bad input leaves nothing behind. Once the run exists, whatever ends it —
finishing, a stop, an error — is recorded with what was logged so far.
"""
from __future__ import annotations

import dataclasses
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import torch

from engine import events as ev
from engine.artifacts import save_run_model
from engine.config import ExperimentConfig
from engine.context import StageContext, resolve_device, seed_everything
from engine.control import RunCancelled, RunControl
from engine.data import load_pairs, load_texts
from engine.data.types import PairDataset, TextDataset
from engine.downstream import DownstreamStage
from engine.errors import DataError
from engine.metrics import main_metric
from engine.models.encoders import encoder_spec
from engine.paths import cache_dir as default_cache_dir
from engine.paths import default_db, runs_dir
from engine.recorder import Recorder
from engine.store import Store
from engine.codec import HFCodec, OwnCodec
from engine.models.hf import checkpoint_identity, load_hf
from engine.text import load_or_train_tokenizer, tokenizer_key
from engine.transfer import autocast_dtype, build_pair_model
from engine.upstream import UpstreamResult, prepare_upstream
from engine.upstream.common import corpus_split
from engine.upstream.glove import glove_embedding, vector_dim


@dataclass
class RunResult:
    run_id: int
    status: str                    # finished | stopped | failed
    config: dict
    metrics: dict = field(default_factory=dict)   # {"dev": {...}, "test": {...}, "upstream": {...}}
    seconds: float = 0.0
    timings: dict = field(default_factory=dict)
    upstream_cached: bool = False
    device: str = "cpu"
    artifacts: str = ""
    error: str = ""

    def to_dict(self) -> dict:
        return {"run_id": self.run_id, "status": self.status, "config": self.config,
                "metrics": self.metrics, "seconds": round(self.seconds, 3),
                "timings": self.timings, "upstream_cached": self.upstream_cached,
                "device": self.device, "artifacts": self.artifacts, "error": self.error}


@dataclass
class PreparedData:
    downstream: PairDataset
    corpus: TextDataset | None
    checkpoint: tuple | None = None  # hf: (encoder, tokenizer), loaded before the run exists


def check_settings(config: ExperimentConfig) -> torch.device:
    """Refuse settings that cannot work here (incl. a device this machine lacks)."""
    config.validate()
    return resolve_device(config.device)


def load_data(config: ExperimentConfig, emit: Callable | None = None) -> PreparedData:
    """Read (and check) every dataset the experiment needs; raises DataError on bad input.
    ``emit`` gets Progress("data", bytes read, bytes total) events for local files."""
    root = config.data_root

    def progress(what: str):
        if emit is None:
            return None
        return lambda done, total: emit(ev.Progress("data", done, total, f"reading {what}"))

    downstream = load_pairs(config.downstream.data, root, config.downstream.columns or None,
                            progress(config.downstream.data), config.downstream.score_range)
    corpus = None
    source = config.upstream.resolved_data
    if source is not None:  # with upstream "none" the corpus only feeds the tokenizer
        corpus = load_texts(source, root, progress=progress(source))
        if config.upstream.task == "sentiment" and not corpus.labelled:
            raise DataError(f"the sentiment upstream needs labelled sentences; {source} has none "
                            "(use it with word2vec or mlm instead)")
    checkpoint = None
    if config.upstream.task == "glove":
        vector_dim(config.upstream.glove_source)  # refuses a missing package or file now
    elif config.upstream.task == "hf":
        checkpoint = load_hf(config.upstream.model, config.upstream.pooling,
                             random_init=config.method == "scratch")
    if config.method == "zero-shot" and downstream.task != "regression" \
            and downstream.num_labels != 2:
        raise DataError(f"zero-shot classification needs two labels; {downstream.name} has "
                        f"{downstream.num_labels}")
    return PreparedData(downstream, corpus, checkpoint)


def run_experiment(config: ExperimentConfig, emit: Callable | None = None,
                   control: RunControl | None = None, db: str | Path | None = None,
                   cache: str | Path | None = None, data: PreparedData | None = None
                   ) -> RunResult:
    device = check_settings(config)
    if emit is None:
        emit = _ignore
    if control is None:
        control = RunControl()
    if config.threads:
        torch.set_num_threads(config.threads)
    data = data or load_data(config, emit)
    db_path = Path(db) if db else default_db()
    cache_path = Path(cache) if cache else default_cache_dir(db_path)

    store = Store(db_path)  # opened in the thread that runs the experiment
    store.mark_interrupted()  # runs of processes that died are labelled, not left "running"
    config_dict = config.to_dict()
    run_id = store.create_run(config_dict, str(device), config.name)
    artifacts = runs_dir(db_path) / str(run_id)
    store.update_run(run_id, artifacts=str(artifacts))
    recorder = Recorder(store, run_id)

    def out(event: ev.Event) -> None:
        recorder(event)
        emit(event)

    result = RunResult(run_id, "failed", config_dict, device=str(device),
                       artifacts=str(artifacts))
    started = time.perf_counter()
    ctx = StageContext(out, control, device, cache_path, config.threads)
    try:
        out(ev.RunStarted(run_id, config_dict, str(device), str(artifacts)))
        for note in data.downstream.notes + (data.corpus.notes if data.corpus else []):
            out(ev.Log(note))
        _run_stages(config, data, ctx, store, result, artifacts)
        result.status = "finished"
    except (RunCancelled, KeyboardInterrupt) as exc:
        result.status = "stopped"
        result.error = str(exc) or "stopped"
        out(ev.Log("run stopped by the user; what was logged so far is kept", "warning"))
        if isinstance(exc, KeyboardInterrupt):
            _close(recorder, result, started, out)
            raise
    except Exception as exc:
        result.status = "failed"
        result.error = _describe(exc)
        detail = traceback.format_exc()
        out(ev.RunFailed(run_id, result.error, detail))
        recorder.close("failed", error=result.error, traceback=detail,
                       seconds=time.perf_counter() - started)
        result.seconds = time.perf_counter() - started
        store.close()
        return result
    _close(recorder, result, started, out)
    store.close()
    return result


def _ignore(event: ev.Event) -> None:
    pass


def _close(recorder: Recorder, result: RunResult, started: float, out) -> None:
    result.seconds = time.perf_counter() - started
    out(ev.RunFinished(result.run_id, result.status, result.metrics, result.seconds))
    dev = result.metrics.get("dev", {})
    test = result.metrics.get("test", {})
    name = result.metrics.get("metric_name", "")
    recorder.close(result.status, seconds=result.seconds, metrics=result.metrics,
                   metric_name=name, dev_metric=dev.get(name), test_metric=test.get(name),
                   upstream_cached=int(result.upstream_cached), error=result.error or None)


def _run_stages(config: ExperimentConfig, data: PreparedData, ctx: StageContext, store: Store,
                result: RunResult, artifacts: Path) -> None:
    downstream = data.downstream
    regression = downstream.task == "regression"
    head = config.head(regression)

    # 1. Text → ids, and the encoder's shape (or the checkpoint itself).
    t0 = time.perf_counter()
    if config.upstream.task == "hf":
        upstream, codec = _load_checkpoint(config, data.checkpoint, ctx)
        spec, max_length = None, config.model.max_length
    else:
        codec, tok_key = _own_tokenizer(config, data, ctx)
        embed_dim = vector_dim(config.upstream.glove_source) if config.upstream.task == "glove" \
            else 0
        kind = "mean" if config.method == "zero-shot" else config.model.encoder
        spec = encoder_spec(kind, config.model.size, codec.vocab_size, config.model.max_length,
                            embed_dim)
        max_length = spec.max_length
    result.timings["tokenizer_s"] = round(time.perf_counter() - t0, 3)

    # 2. Upstream (skipped for scratch: the control only borrows the tokenizer).
    t0 = time.perf_counter()
    if config.upstream.task == "hf":
        pass  # loaded with its tokenizer above
    elif config.method == "scratch" and config.upstream.task != "none":
        ctx.emit(ev.Log("scratch: the upstream is not used (random init); "
                        "only its tokenizer is shared"))
        upstream = UpstreamResult(config.upstream.task)
    elif config.upstream.task == "glove":
        upstream = _glove(config, codec, spec, ctx)
    else:
        upstream = prepare_upstream(config.upstream, data.corpus, codec.tokenizer, spec,
                                    tok_key, ctx, store)
    result.upstream_cached = upstream.cached
    result.metrics["upstream"] = upstream.metrics
    result.timings["upstream_s"] = round(time.perf_counter() - t0, 3)
    # what training this upstream took (now, or when it was cached): a cache hit saved it
    result.timings["upstream_trained_s"] = round(upstream.seconds, 3)
    if upstream.key:
        store.update_run(result.run_id, upstream_key=upstream.key,
                         upstream_cached=int(upstream.cached))

    # 3. Transfer + downstream training with the run's seed.
    seed_everything(config.seed)
    train = downstream.splits["train"]
    if config.downstream.train_fraction < 1:
        n = max(2, round(len(train) * config.downstream.train_fraction))
        keep = np.sort(np.random.default_rng(config.seed).choice(len(train), n, replace=False))
        # a copy: the caller's dataset stays whole (sweeps reuse it across fractions)
        downstream = dataclasses.replace(downstream,
                                         splits={**downstream.splits, "train": train.subset(keep)})
        ctx.emit(ev.Log(f"training on {n} of {len(train)} pairs "
                        f"({config.downstream.train_fraction:.0%})"))
    model = build_pair_model(config.method, spec, upstream, regression,
                             1 if regression else downstream.num_labels, head)
    feature_key = (f"hf|{checkpoint_identity(config.upstream.model)}|{config.upstream.pooling}"
                   if config.upstream.task == "hf" and config.method != "scratch" else None)
    stage = DownstreamStage(model, downstream, codec, config, ctx, max_length, feature_key,
                            autocast_dtype(config, ctx.device))
    t0 = time.perf_counter()
    fitted = stage.run()
    final = stage.final_evaluations(fitted.best_step, fitted.best_epoch)
    seconds = time.perf_counter() - t0
    result.timings["downstream_s"] = round(seconds, 3)
    name = main_metric(downstream.task)
    result.metrics.update(final)
    result.metrics.update(metric_name=name, best_epoch=fitted.best_epoch,
                          best_step=fitted.best_step, steps=fitted.steps,
                          stopped_early=fitted.stopped_early, head=head)
    if stage.threshold is not None:
        result.metrics["cosine_threshold"] = stage.threshold
    ctx.emit(ev.StageFinished("downstream", {k: v.get(name) for k, v in final.items()},
                              seconds=seconds))
    save_run_model(artifacts, model, codec, spec, downstream, config,
                   {"best_step": fitted.best_step, "best_epoch": fitted.best_epoch,
                    "upstream_key": upstream.key, "dev": final.get("dev", {}),
                    "cosine_threshold": stage.threshold})


def _own_tokenizer(config: ExperimentConfig, data: PreparedData, ctx: StageContext):
    """BPE (word-level for GloVe) on the upstream corpus plus the downstream training
    text, so both stages — and the scratch control — share one vocabulary."""
    t0 = time.perf_counter()
    texts: list[str] = []
    fingerprints = []
    if data.corpus is not None:
        texts += corpus_split(config.upstream, data.corpus, "train").sentences
        fingerprints.append(data.corpus.fingerprint() + f":{config.upstream.max_sentences}")
    texts += data.downstream.texts("train")
    fingerprints.append(data.downstream.fingerprint("train"))
    kind = "word" if config.upstream.task == "glove" else "bpe"
    key = tokenizer_key(fingerprints, config.model.vocab_size, kind)
    ctx.emit(ev.StageStarted("tokenizer", 0, description=f"{kind} tokenizer"))
    tokenizer, cached = load_or_train_tokenizer(ctx.cache_dir, key, texts,
                                                config.model.vocab_size, kind)
    ctx.emit(ev.StageFinished("tokenizer", {"vocab_size": tokenizer.get_vocab_size()},
                              cached=cached, seconds=time.perf_counter() - t0))
    return OwnCodec(tokenizer), key


def _load_checkpoint(config: ExperimentConfig, checkpoint, ctx: StageContext):
    """A Hugging Face checkpoint and its tokenizer (random weights for scratch)."""
    t0 = time.perf_counter()
    name = config.upstream.model
    scratch = config.method == "scratch"
    ctx.emit(ev.StageStarted("upstream", 0, description=f"{'config of ' if scratch else ''}"
                                                          f"checkpoint {name}"))
    encoder, tokenizer = checkpoint or load_hf(name, config.upstream.pooling,
                                               random_init=scratch)
    parameters = sum(p.numel() for p in encoder.parameters())
    metrics = {"parameters_m": parameters / 1e6, "hidden_size": encoder.output_dim}
    seconds = time.perf_counter() - t0
    ctx.emit(ev.Log(f"{name}: {parameters / 1e6:.1f}M parameters, hidden size "
                    f"{encoder.output_dim}" + (", random init (scratch)" if scratch else "")))
    ctx.emit(ev.StageFinished("upstream", metrics, seconds=seconds))
    upstream = UpstreamResult("hf", key=checkpoint_identity(name), metrics=metrics,
                              module=encoder, seconds=seconds)
    return upstream, HFCodec(tokenizer, encoder.uses_token_types)


def _glove(config: ExperimentConfig, codec: OwnCodec, spec, ctx: StageContext) -> UpstreamResult:
    t0 = time.perf_counter()
    source = config.upstream.glove_source
    ctx.emit(ev.StageStarted("upstream", 0, description=f"word vectors {source}"))
    matrix, metrics = glove_embedding(codec.tokenizer.get_vocab(), spec.vocab_size, source,
                                      config.upstream.seed)
    seconds = time.perf_counter() - t0
    ctx.emit(ev.Log(f"{source}: vectors for {metrics['vectors']} of {spec.vocab_size} words "
                    f"({metrics['vocab_coverage']:.0f}%)"))
    ctx.emit(ev.StageFinished("upstream", metrics, seconds=seconds))
    return UpstreamResult("glove", key=source, metrics=metrics, scope="embedding",
                          encoder_state={"embedding.weight": torch.from_numpy(matrix)},
                          seconds=seconds)


def _describe(exc: Exception) -> str:
    text = str(exc).strip()
    if isinstance(exc, torch.cuda.OutOfMemoryError) or "out of memory" in text.lower():
        return ("out of memory on the device; try a smaller batch size, a smaller model, "
                "or the CPU")
    return text.splitlines()[0] if text else type(exc).__name__
