"""End-to-end check of the CUDA path, for a machine with an NVIDIA GPU.

Every kind of run on the GPU (own encoders, each upstream, each AMP mode, Hugging Face
checkpoints with bi- and cross-encoder heads), the same run on CPU beside it, a stop in the
middle of a GPU run, a real out-of-memory error (the allocator capped to a few MiB) followed by
a normal run, and a GPU-trained model opened and scored on the CPU as the Playground does.
Demo data and a tiny BERT written on the spot, so nothing downloads.

Usage: python bench/cuda_check.py [--out DIR]   (exit 1 when a check fails)
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
import threading
import time
from pathlib import Path

# appended, not prepended: an installed transfer_explorer (a device run installs the wheel)
# wins over the repository folder of that name, which holds only the top of the package
sys.path.append(str(Path(__file__).resolve().parents[1]))  # tests.checkpoints

import torch  # noqa: E402

from tests.checkpoints import tiny_bert  # noqa: E402
from transfer_explorer.engine import RunControl, run  # noqa: E402
from transfer_explorer.engine import events as ev  # noqa: E402
from transfer_explorer.engine.config import (
    ExperimentConfig,
    ModelConfig,
    TrainingConfig,  # noqa: E402
    UpstreamConfig,
)
from transfer_explorer.engine.saved.predict import Scorer  # noqa: E402
from transfer_explorer.engine.training import best_weights

PAIR = ("A man is playing a guitar.", "A man plays the guitar.")
failures: list[str] = []


def check(ok: bool, what: str) -> None:
    print(f"  [{'ok' if ok else 'FAIL'}] {what}", flush=True)
    if not ok:
        failures.append(what)


DEVICE = "cuda"  # --device cpu: a dry run of this script on a machine without a GPU


def experiment(
    task="none",
    method="scratch",
    encoder="transformer",
    amp="auto",
    device=None,
    epochs=3,
    batch=32,
    **upstream,
) -> ExperimentConfig:
    return ExperimentConfig(
        upstream=UpstreamConfig(task=task, **upstream),
        method=method,
        model=ModelConfig(encoder=encoder),
        training=TrainingConfig(epochs=epochs, batch_size=batch, amp=amp, log_every=5),
        device=device or DEVICE,
        seed=0,
    )


def timed_run(label: str, config: ExperimentConfig, db: Path, cache: Path, rows: list):
    steps: list[ev.Step] = []
    started = time.perf_counter()
    result = run(
        config,
        emit=lambda e: steps.append(e) if isinstance(e, ev.Step) else None,
        db=db,
        cache=cache,
    )
    seconds = time.perf_counter() - started
    dev = result.metrics.get("dev", {}).get("spearman", math.nan)
    peak = max((s.device_memory_mb for s in steps), default=0.0)
    rate = max((s.examples_per_s for s in steps if s.stage == "downstream"), default=0.0)
    rows.append((label, result.status, result.device, dev, seconds, peak, rate))
    check(result.status == "finished", f"{label}: finished ({result.error or 'no error'})")
    check(
        result.device == config.device or config.device == "auto",
        f"{label}: ran on {result.device}",
    )
    check(math.isfinite(dev), f"{label}: dev Spearman {dev:.3f} is a number")
    if config.device == "cuda" and steps:
        check(peak > 0, f"{label}: Step events carry device memory ({peak:.0f} MiB)")
    return result


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", default=None, help="folder for the store and cache (default: temp)")
    p.add_argument("--device", default="cuda", choices=("cuda", "cpu"))
    args = p.parse_args()
    global DEVICE
    DEVICE = args.device
    if DEVICE == "cuda" and not torch.cuda.is_available():
        sys.exit("no CUDA GPU visible to PyTorch")
    print(
        f"torch {torch.__version__}, "
        + (
            f"{torch.cuda.get_device_name(0)}, bf16 supported: {torch.cuda.is_bf16_supported()}"
            if DEVICE == "cuda"
            else "dry run on CPU"
        ),
        flush=True,
    )
    root = Path(args.out or tempfile.mkdtemp(prefix="cuda-check-"))
    root.mkdir(parents=True, exist_ok=True)
    db, cache = root / "runs.sqlite", root / "cache"
    rows: list = []

    print("own encoders, each AMP mode, CPU beside CUDA", flush=True)
    for amp in ("bf16", "fp16", "off"):
        timed_run(f"none/scratch transformer amp={amp}", experiment(amp=amp), db, cache, rows)
    cpu = timed_run(
        "none/scratch transformer amp=off (CPU)", experiment(device="cpu"), db, cache, rows
    )
    gpu_off = rows[2]
    check(
        abs(gpu_off[3] - cpu.metrics["dev"]["spearman"]) < 5,
        f"fp32 on CUDA vs CPU: dev Spearman {gpu_off[3]:.3f} vs "
        f"{cpu.metrics['dev']['spearman']:.3f} (same seed; kernels differ, so close, not equal)",
    )
    timed_run(
        "none/scratch bilstm amp=bf16", experiment(encoder="bilstm", amp="bf16"), db, cache, rows
    )
    timed_run(
        "none/scratch bilstm amp=fp16", experiment(encoder="bilstm", amp="fp16"), db, cache, rows
    )
    timed_run("sentiment/feature transformer", experiment("sentiment", "feature"), db, cache, rows)
    mlm = timed_run("mlm/finetune transformer", experiment("mlm", "finetune"), db, cache, rows)
    again = timed_run(
        "mlm/finetune transformer (cached)", experiment("mlm", "finetune"), db, cache, rows
    )
    check(again.upstream_cached, "second mlm run reuses the GPU-trained upstream from the cache")
    timed_run(
        "word2vec/finetune bilstm", experiment("word2vec", "finetune", "bilstm"), db, cache, rows
    )

    print("Hugging Face checkpoint (tiny BERT written locally)", flush=True)
    bert = tiny_bert(root / "tiny-bert")
    for method, head in (
        ("zero-shot", "auto"),
        ("feature", "auto"),
        ("finetune", "auto"),
        ("finetune", "bi"),
        ("finetune", "cross"),
        ("scratch", "auto"),
    ):
        config = experiment("hf", method, model=str(bert))
        config.model.head = head
        config.training.epochs = 2
        timed_run(f"hf {method} head={head}", config, db, cache, rows)

    print("a GPU-trained model in the Playground on CPU", flush=True)
    on_cpu = Scorer(mlm.artifacts, device="cpu").score([PAIR])[0]
    on_gpu = Scorer(mlm.artifacts, device=DEVICE).score([PAIR])[0]
    check(
        abs(on_cpu.score - on_gpu.score) < 1e-3,
        f"same score on CPU and CUDA: {on_cpu.score:.4f} vs {on_gpu.score:.4f}",
    )

    print("stop in the middle of a GPU run", flush=True)
    control, first_step, stopped_at = RunControl(), threading.Event(), []

    def on_event(event):
        if isinstance(event, ev.Step) and event.stage == "downstream" and event.step > 5:
            first_step.set()

    long_run: list = []
    worker = threading.Thread(
        target=lambda: long_run.append(
            run(experiment(epochs=200), emit=on_event, control=control, db=db, cache=cache)
        )
    )
    worker.start()
    first_step.wait(120)
    stopped_at.append(time.perf_counter())
    control.stop()
    worker.join(60)
    latency = time.perf_counter() - stopped_at[0]
    check(
        bool(long_run) and long_run[0].status == "stopped",
        f"stop honoured: status {long_run[0].status if long_run else '?'} "
        f"after {latency * 1000:.0f} ms",
    )

    print("best weights kept on disk for a model on the GPU", flush=True)
    limit = best_weights.IN_MEMORY_MAX_BYTES
    restore = best_weights.BestWeights.restore
    best_weights.IN_MEMORY_MAX_BYTES = 0  # every copy goes to the file, as a MiniLM's does
    try:
        model = torch.nn.Sequential(torch.nn.Linear(64, 64), torch.nn.LayerNorm(64)).to(DEVICE)
        kept = {name: t.clone() for name, t in model.state_dict().items()}
        best = best_weights.BestWeights(model, spill_dir=root / "spill")
        best.keep()
        best.before_step()  # training goes on past the best: it is written to the file
        with torch.no_grad():
            for param in model.parameters():
                param.add_(1.0)
        best.restore()
        back = model.state_dict()
        check(
            best.on_disk
            and all(torch.equal(back[name], t) for name, t in kept.items())
            and {t.device.type for t in back.values()} == {torch.device(DEVICE).type},
            "best weights written to disk come back exactly, on the model's device",
        )
        best.close()
        restores: list[bool] = []  # per run: was the best restored from the file?
        best_weights.BestWeights.restore = lambda self: (
            restores.append(self.on_disk),
            restore(self),
        )[1]
        timed_run(
            "none/scratch transformer, best weights on disk", experiment(epochs=6), db, cache, rows
        )
        print(
            f"    its best came back from disk: {any(restores)} "
            "(no when the last evaluation was the best)",
            flush=True,
        )
    finally:
        best_weights.IN_MEMORY_MAX_BYTES = limit
        best_weights.BestWeights.restore = restore

    if DEVICE == "cuda":
        print("a real out-of-memory error, then a normal run", flush=True)
        torch.cuda.empty_cache()
        # cap this process's allocator at 16 MiB: the model fits, a batch of 512 does not
        torch.cuda.set_per_process_memory_fraction(
            16 * 2**20 / torch.cuda.get_device_properties(0).total_memory
        )
        oom = run(experiment(batch=512, epochs=1), db=db, cache=cache)
        torch.cuda.set_per_process_memory_fraction(1.0)
        torch.cuda.empty_cache()
        print(f"    message: {oom.error}", flush=True)
        check(
            oom.status == "failed" and "out of memory" in oom.error and "batch size" in oom.error,
            "OOM: run failed with a suggestion",
        )
        timed_run("after OOM: none/scratch transformer", experiment(), db, cache, rows)

    print("\n| run | status | device | dev Spearman | wall s | peak MiB | ex/s |")
    print("|---|---|---|---|---|---|---|")
    for label, status, device, dev, seconds, peak, rate in rows:
        print(
            f"| {label} | {status} | {device} | {dev:.1f} | {seconds:.1f} | "
            f"{peak:.0f} | {rate:.0f} |"
        )
    print(f"\n{len(failures)} check(s) failed" + (": " + "; ".join(failures) if failures else ""))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
