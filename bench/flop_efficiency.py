"""How close a training step is to the machine: matmul FLOPs per second over torch.mm's.

For the tiny Transformer and the BiLSTM bi-encoders on STS-B (batch 32, length-bucketed, as
a downstream run trains them), at each thread count, the earlier path
(TRANSFER_EXPLORER_SPEED=baseline) and today's side by side in one process:

- matmul GFLOP per step, counted by torch.utils.flop_counter.FlopCounterMode;
- ms per step (forward, backward, clipping, AdamW), the median of interleaved repeats;
- achieved GFLOP/s = the two above;
- the matmul peak on the same threads: every matmul the step ran (mm, addmm, bmm, recorded
  with their shapes) timed alone as torch.mm / torch.bmm, total FLOPs over total time — what
  the step would take if it were nothing but its matrix products;
- share = achieved / peak (issue 25's goals: ≥ 0.6 Transformer at 1 thread, ≥ 0.5 BiLSTM).
Also the peak at the three shapes issue 25 quoted (1024×128×512, 1024×512×128, 512×512×512).

Then, with --profile, the per-op table (torch.profiler, self CPU time) of each path.

Usage: python bench/flop_efficiency.py [--data-root ../shared/data] [--threads 1,2]
           [--models transformer,bilstm] [--steps 20] [--repeats 3] [--profile]
Time it on an otherwise idle machine.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))  # the batch source and loss of engine_overhead.py

import torch  # noqa: E402
from engine_overhead import Fixed, loss_fn  # noqa: E402
from torch.utils._python_dispatch import TorchDispatchMode  # noqa: E402
from torch.utils.flop_counter import FlopCounterMode  # noqa: E402

from transfer_explorer.engine.batching import PairBatches  # noqa: E402
from transfer_explorer.engine.codec import OwnCodec  # noqa: E402
from transfer_explorer.engine.control import RunControl  # noqa: E402
from transfer_explorer.engine.data import load_pairs  # noqa: E402
from transfer_explorer.engine.experiment.downstream import TokenizedSplits  # noqa: E402
from transfer_explorer.engine.models import PairModel, build_encoder, encoder_spec  # noqa: E402
from transfer_explorer.engine.speed import SPEED_ENV  # noqa: E402
from transfer_explorer.engine.text import train_tokenizer  # noqa: E402
from transfer_explorer.engine.training.train import FitSettings, adamw, fit  # noqa: E402

PATHS = {"earlier": "baseline", "today": ""}
ISSUE_SHAPES = [(1, 1024, 128, 512), (1, 1024, 512, 128), (1, 512, 512, 512)]
MATMULS = {"aten.mm.default", "aten.addmm.default", "aten.bmm.default"}


def train(model, batches) -> float:
    """Seconds of engine/training/train.fit over the batches: the steps a run takes."""
    params = [p for p in model.parameters() if p.requires_grad]
    settings = FitSettings(epochs=1, log_every=10)
    device = torch.device("cpu")
    optimizer = adamw(params, lr=1e-3)
    return fit(
        "bench",
        model,
        optimizer,
        Fixed(batches),
        loss_fn,
        None,
        settings,
        lambda event: None,
        RunControl(),
        device,
    ).seconds


class MatmulShapes(TorchDispatchMode):
    """Records the (batch, m, k, n) of every matrix product run under it."""

    def __init__(self):
        super().__init__()
        self.shapes: list[tuple[int, int, int, int]] = []

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        name = str(func)
        if name in MATMULS:
            a, b = (args[1], args[2]) if name.startswith("aten.addmm") else (args[0], args[1])
            if a.dim() == 3:
                self.shapes.append((a.shape[0], a.shape[1], a.shape[2], b.shape[2]))
            else:
                self.shapes.append((1, a.shape[0], a.shape[1], b.shape[1]))
        return func(*args, **(kwargs or {}))


def matmul_seconds(shape: tuple[int, int, int, int], repeats: int = 7) -> float:
    """The median time of torch.mm (or torch.bmm) at this shape."""
    batch, m, k, n = shape
    a = torch.randn(batch, m, k) if batch > 1 else torch.randn(m, k)
    b = torch.randn(batch, k, n) if batch > 1 else torch.randn(k, n)
    op = torch.bmm if batch > 1 else torch.mm
    op(a, b)
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        op(a, b)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def peak(shapes) -> float:
    """GFLOP/s of the given matmuls run alone, back to back."""
    flops = sum(2 * b * m * k * n for b, m, k, n in shapes)
    seconds = {s: matmul_seconds(s) for s in set(shapes)}
    return flops / sum(seconds[s] for s in shapes) / 1e9


def batches_and_vocab(data_root: str, steps: int):
    name = "stsb" if (Path(data_root) / "stsb").is_dir() else "demo"
    data = load_pairs(name, root=data_root)
    tokenizer = train_tokenizer(data.texts("train"), 8000)
    pairs = TokenizedSplits(data, OwnCodec(tokenizer), 64)["train"]
    epoch = PairBatches(pairs.ids1, pairs.ids2, pairs.targets, 32, shuffle=True).epoch(1)
    return name, list(epoch)[:steps], tokenizer.get_vocab_size()


def build(kind: str, vocab: int) -> PairModel:
    torch.manual_seed(0)
    return PairModel(build_encoder(encoder_spec(kind, "tiny", vocab, 64)), 1, regression=True)


def child(kind: str, threads: int, data_root: str, steps: int, profile: bool) -> dict:
    """One path in its own process, as a run has it (its switches are read from the
    environment): GFLOP per step, ms per step, the step's matmul shapes, the peak."""
    torch.set_num_threads(threads)
    _, batches, vocab = batches_and_vocab(data_root, steps)
    model = build(kind, vocab)
    model.train()
    train(model, batches[:3])  # first-use costs: the allocator, thread pools
    with FlopCounterMode(display=False) as counter, MatmulShapes() as recorded:
        train(model, batches)
    seconds = train(model, batches)
    out = {
        "gflop": counter.get_total_flops() / len(batches) / 1e9,
        "ms": 1000 * seconds / len(batches),
        "peak": peak(recorded.shapes),
        "issue_peak": peak(ISSUE_SHAPES),
    }
    if profile:
        from torch.profiler import ProfilerActivity
        from torch.profiler import profile as profiler

        with profiler(activities=[ProfilerActivity.CPU]) as prof:
            train(model, batches)
        out["profile"] = prof.key_averages().table(sort_by="self_cpu_time_total", row_limit=15)
    return out


def in_child(path: str, *args) -> dict:
    env = {**os.environ, SPEED_ENV: path}
    done = subprocess.run(
        [sys.executable, __file__, "--child", json.dumps(args)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(done.stdout.splitlines()[-1])


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data-root", default=str(ROOT.parent / "shared" / "data"))
    p.add_argument("--threads", default="1,2")
    p.add_argument("--models", default="transformer,bilstm")
    p.add_argument("--steps", type=int, default=40)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--profile", action="store_true")
    p.add_argument("--child", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        print(json.dumps(child(*json.loads(args.child))))
        return
    name = "stsb" if (Path(args.data_root) / "stsb").is_dir() else "demo"
    print(
        f"data {name}: {args.steps} training steps of batch 32 (length-bucketed) through "
        f"engine.training.fit, torch {torch.__version__}, {os.cpu_count()} cores; each path "
        f"in its own process, {args.repeats} interleaved repeats (medians)"
    )
    print(
        f"{'model':<12}{'threads':>8}  {'path':<8}{'GFLOP/step':>11}{'ms/step':>9}"
        f"{'GFLOP/s':>9}{'peak':>7}{'share':>7}   {'issue peak':>10}{'share':>7}"
    )
    for threads in (int(t) for t in args.threads.split(",")):
        for kind in args.models.split(","):
            runs: dict[str, list[dict]] = {name: [] for name in PATHS}
            for repeat in range(args.repeats):
                for name_, path in PATHS.items():
                    profile = args.profile and repeat == 0
                    runs[name_].append(
                        in_child(path, kind, threads, args.data_root, args.steps, profile)
                    )
            ms = {}
            for name_, results in runs.items():
                ms[name_] = statistics.median(r["ms"] for r in results)
                gflop = results[0]["gflop"]
                achieved = gflop / ms[name_] * 1000
                own_peak = statistics.median(r["peak"] for r in results)
                issue_peak = statistics.median(r["issue_peak"] for r in results)
                print(
                    f"{kind:<12}{threads:>8}  {name_:<8}{gflop:>11.3f}{ms[name_]:>9.1f}"
                    f"{achieved:>9.1f}{own_peak:>7.0f}{achieved / own_peak:>7.2f}   "
                    f"{issue_peak:>10.0f}{achieved / issue_peak:>7.2f}",
                    flush=True,
                )
            print(f"{'':<22}today / earlier time per step: {ms['today'] / ms['earlier']:.2f}")
            if args.profile:
                for name_, results in runs.items():
                    print(f"\n{kind}, {threads} thread(s), {name_} path, {args.steps} steps:")
                    print(results[0]["profile"])


if __name__ == "__main__":
    main()
