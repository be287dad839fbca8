"""GPU figures a user would ask for, against the CPU ones: a MiniLM-shaped fine-tune and the
``stsb-cpu`` sweep on CUDA — wall time, examples/s, GPU utilisation and peak memory.

The MiniLM-shaped model is a BertConfig of all-MiniLM-L6-v2's size (6 layers, d=384, 12
heads, 1,536 FFN, 30,522 vocabulary) with random weights and a WordPiece tokenizer trained
on the STS-B text: the speed of a model is its shape, not its weights, and nothing
downloads. Each ``--sweep WORKERS:BUDGET_S`` runs the whole preset from an empty cache
(upstreams included, as on the CPU): one worker in this process, more as the app's own pool
of processes sharing the GPU; the budget stops it cooperatively and the cells done and the
time they took are reported (with a projection to all 45 when it stopped early).

Usage: python bench/gpu_suite.py --data-root DIR [--sweep 4:300 --sweep 1:150] [--out DIR]
(copy stsb/ and sst2/ from ../shared/data into an untracked folder for a device run)
"""

from __future__ import annotations

import argparse
import statistics
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
    DownstreamConfig,
    ExperimentConfig,
    TrainingConfig,  # noqa: E402
    UpstreamConfig,
)
from transfer_explorer.engine.store.database import Store  # noqa: E402
from transfer_explorer.engine.sweep.execute import run_sweep  # noqa: E402
from transfer_explorer.engine.sweep.grid import Sweep  # noqa: E402

# Measured on a 2-core CPU (README): the stsb-cpu sweep with 2 workers (598 s in the table, on
# an earlier day; 1,003 s for today's code on 2026-11-27, the same machine slower that day),
# and the MiniLM fine-tune (batch 16, 1 epoch of STS-B) through the same engine.
CPU_SWEEP_S, CPU_SWEEP_LATEST_S, CPU_MINILM_PAIRS_S = 598.0, 1003.0, 38.1
MINILM_FRACTION = 1.0
DEVICE = "cuda"  # --device cpu tries the script itself on a machine without a GPU


class GpuSampler:
    """GPU utilisation and memory in use sampled every 100 ms by NVML while a phase runs.

    NVML sees every process on the GPU, so it also measures a sweep's pool of workers (its
    memory includes each process's CUDA context); torch's own peak covers this process only.
    """

    def __init__(self) -> None:
        self.samples: list[int] = []
        self.used_mib: list[float] = []
        self._stop = threading.Event()
        self._read = None
        if DEVICE != "cuda":
            self._thread = None
            return
        try:
            import pynvml

            pynvml.nvmlInit()
            handle = pynvml.nvmlDeviceGetHandleByIndex(torch.cuda.current_device())
            self._read = lambda: (
                pynvml.nvmlDeviceGetUtilizationRates(handle).gpu,
                pynvml.nvmlDeviceGetMemoryInfo(handle).used / 2**20,
            )
        except Exception:  # noqa: BLE001 — no NVML: utilisation is reported as unknown
            self._read = None
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        while not self._stop.wait(0.1):
            busy, used = self._read()
            self.samples.append(busy)
            self.used_mib.append(used)

    def __enter__(self) -> GpuSampler:
        if DEVICE == "cuda":
            torch.cuda.reset_peak_memory_stats()
        if self._read is not None:
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._read is not None:
            self._thread.join()

    def utilisation(self) -> str:
        if not self.samples:
            return "n/a"
        return f"{statistics.mean(self.samples):.0f}% mean, {max(self.samples)}% max"

    def peak_memory(self) -> str:
        """torch's peak in this process, and NVML's peak for the whole GPU when it differs."""
        own = torch.cuda.max_memory_allocated() / 2**20 if DEVICE == "cuda" else 0.0
        whole = f"{max(self.used_mib):,.0f} MiB on the GPU (NVML)" if self.used_mib else ""
        if own and whole:
            return f"{own:,.0f} MiB in this process; {whole}"
        return whole or f"{own:,.0f} MiB"


def minilm_shaped(folder: Path, texts: list[str]) -> Path:
    """all-MiniLM-L6-v2's shape: 6 layers, d=384, 12 heads, FFN 1,536, 30,522 vocabulary."""
    torch.manual_seed(0)
    return tiny_bert(
        folder,
        hidden=384,
        layers=6,
        heads=12,
        vocab=30522,
        texts=texts,
        positions=512,
        model_vocab=30522,
        ffn=1536,
    )


def minilm_phase(data_root: str, work: Path) -> list[str]:
    from transfer_explorer.engine.data import load_pairs

    texts = load_pairs("stsb", root=data_root).texts("train")
    folder = minilm_shaped(work / "minilm-shaped", texts)
    rates: list[float] = []
    stages: dict[str, float] = {}

    def emit(event) -> None:
        if isinstance(event, ev.Step) and event.stage == "downstream":
            rates.append(event.examples_per_s)
        elif isinstance(event, ev.StageFinished):
            stages[event.stage] = event.seconds

    config = ExperimentConfig(
        upstream=UpstreamConfig(task="hf", model=str(folder)),
        method="finetune",
        downstream=DownstreamConfig(data="stsb", train_fraction=MINILM_FRACTION),
        training=TrainingConfig(epochs=1, batch_size=16, log_every=20),
        device=DEVICE,
        data_root=data_root,
        seed=0,
    )
    with GpuSampler() as gpu:
        start = time.perf_counter()
        result = run(config, emit=emit, db=work / "minilm.sqlite", cache=work / "cache")
        wall = time.perf_counter() - start
    rate = statistics.median(rates[1:] or rates) if rates else float("nan")
    return [
        f"| MiniLM-shaped fine-tune, STS-B 1 epoch, batch 16 ({result.status}, "
        f"{result.device}) | {wall:.1f} s (downstream {stages.get('downstream', 0):.1f} s) "
        f"| {rate:,.0f} pairs/s ({rate / CPU_MINILM_PAIRS_S:.0f}× the 2-core CPU's "
        f"{CPU_MINILM_PAIRS_S}) | {gpu.utilisation()} | {gpu.peak_memory()} |"
    ]


def sweep_phase(data_root: str, work: Path, workers: int, budget_s: float) -> list[str]:
    control = RunControl()
    timer = threading.Timer(budget_s, control.stop)
    timer.start()
    work = work / f"sweep-{workers}"  # its own store and cache: upstreams train again
    db = work / "sweep.sqlite"
    with GpuSampler() as gpu:
        start = time.perf_counter()
        try:
            result = run_sweep(
                Sweep.preset("stsb-cpu"),
                db=db,
                cache=work / "cache",
                data_root=data_root,
                workers=workers,
                control=control,
            )
            status = result.status
        finally:
            timer.cancel()
        wall = time.perf_counter() - start
    with Store(db) as store:
        runs = [r for r in store.list_runs() if r["status"] == "finished"]
    devices = sorted({r["device"] for r in runs})
    examples, seconds = 0, 0.0
    for r in runs:
        down = r["stages"].get("downstream", {})
        examples += down.get("total_steps", 0) * r["config"]["training"]["batch_size"]
        seconds += down.get("seconds", 0.0)
    done = len(runs)
    projected = wall * 45 / done if done else float("nan")
    return [
        f"| stsb-cpu sweep, 45 cells, {workers} worker{'s' * (workers > 1)} "
        f"({status}; {done} cells finished on "
        f"{', '.join(devices) or '–'}) | {wall:.0f} s"
        + (f" (all 45: ~{projected:.0f} s)" if done < 45 else "")
        + f" vs {CPU_SWEEP_S:.0f} / {CPU_SWEEP_LATEST_S:,.0f} s on 2 CPU cores "
        f"({CPU_SWEEP_S / projected:.1f}× / {CPU_SWEEP_LATEST_S / projected:.1f}×) "
        f"| {examples / seconds if seconds else float('nan'):,.0f} pairs/s in downstream "
        f"training (incl. evaluation) "
        f"| {gpu.utilisation()} | {gpu.peak_memory()} |"
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-root", required=True)
    parser.add_argument(
        "--sweep",
        action="append",
        metavar="WORKERS:BUDGET_S",
        help="a sweep phase; repeat for several (default 1:330)",
    )
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--device", choices=["cuda", "cpu"], default="cuda")
    parser.add_argument(
        "--minilm-fraction",
        type=float,
        default=1.0,
        help="part of STS-B train for the MiniLM-shaped fine-tune",
    )
    args = parser.parse_args()
    sweeps = [tuple(float(x) for x in spec.split(":")) for spec in (args.sweep or ["1:330"])]
    global DEVICE, MINILM_FRACTION
    DEVICE, MINILM_FRACTION = args.device, args.minilm_fraction
    if DEVICE == "cuda" and not torch.cuda.is_available():
        sys.exit("no CUDA device here: run this on a machine with an NVIDIA GPU")
    print(
        f"{torch.cuda.get_device_name() if DEVICE == 'cuda' else 'CPU'} · "
        f"torch {torch.__version__}",
        flush=True,
    )
    rows = [
        "| what | wall time | examples/s | GPU utilisation | peak GPU memory |",
        "|---|---|---|---|---|",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        rows += minilm_phase(args.data_root, work)
        print(rows[-1], flush=True)
        for workers, budget_s in sweeps:
            rows += sweep_phase(args.data_root, work, int(workers), budget_s)
            print(rows[-1], flush=True)
            if args.out:  # what was measured comes back even if a later phase runs out of time
                args.out.mkdir(parents=True, exist_ok=True)
                (args.out / "gpu-suite.md").write_text("\n".join(rows) + "\n", encoding="utf-8")
    text = "\n".join(rows)
    print("\n" + text)
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "gpu-suite.md").write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
