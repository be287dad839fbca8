"""Engine overhead: training throughput of engine.train.fit ÷ a bare PyTorch loop.

Same model (tiny Transformer bi-encoder), same pre-collated batches, same optimizer, one
process; the engine side also records every event into a real SQLite store. Runs are
interleaved (bare, engine, bare, engine, ...) and the median of each is compared.
Goal: ratio ≥ 0.97.

On CUDA both sides move each batch to the GPU the same way and the clock stops after a
synchronize, so queued kernels are counted.

Usage: python bench/engine_overhead.py [--data-root ../shared/data] [--repeats 3] [--epochs 1]
                                       [--device cpu|cuda]
"""

from __future__ import annotations

import argparse
import copy
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import torch  # noqa: E402
from torch import nn  # noqa: E402

from transfer_explorer.engine.batching import PairBatches  # noqa: E402
from transfer_explorer.engine.codec import OwnCodec  # noqa: E402
from transfer_explorer.engine.control import RunControl  # noqa: E402
from transfer_explorer.engine.data import load_pairs  # noqa: E402
from transfer_explorer.engine.experiment.downstream import TokenizedSplits  # noqa: E402
from transfer_explorer.engine.models import PairModel, build_encoder, encoder_spec  # noqa: E402
from transfer_explorer.engine.store.database import Store  # noqa: E402
from transfer_explorer.engine.store.recorder import Recorder  # noqa: E402
from transfer_explorer.engine.text import train_tokenizer  # noqa: E402
from transfer_explorer.engine.training.train import FitSettings, fit  # noqa: E402


class Fixed:
    """A batch source that replays the same pre-collated batches every epoch."""

    def __init__(self, batches):
        self.batches = batches

    def __len__(self):
        return len(self.batches)

    def epoch(self, epoch):
        return iter(self.batches)


def loss_fn(model, batch):
    out = model(batch["ids1"], batch["mask1"], batch["ids2"], batch["mask2"])
    return model.loss(out, batch["target"])


def bare_loop(model, optimizer, batches, epochs, device):
    model.train()
    params = [p for p in model.parameters() if p.requires_grad]
    for _ in range(epochs):
        for batch in batches:
            batch = batch.to(device)
            loss = loss_fn(model, batch)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            nn.utils.clip_grad_norm_(params, 1.0)
            optimizer.step()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data-root", default=str(Path(__file__).resolve().parents[2] / "shared/data"))
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--encoder", default="transformer")
    p.add_argument("--threads", type=int, default=0, help="torch CPU threads (0: default)")
    p.add_argument("--device", default="cpu", choices=("cpu", "cuda"))
    args = p.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    name = "stsb" if (Path(args.data_root) / "stsb").is_dir() else "demo"
    data = load_pairs(name, root=args.data_root)
    tokenizer = train_tokenizer(data.texts("train"), 8000)
    pairs = TokenizedSplits(data, OwnCodec(tokenizer), 64)["train"]
    batches = list(PairBatches(pairs.ids1, pairs.ids2, pairs.targets, 32, shuffle=True).epoch(1))
    examples = sum(b.size for b in batches) * args.epochs
    torch.manual_seed(0)
    spec = encoder_spec(args.encoder, "tiny", tokenizer.get_vocab_size(), 64)
    initial = PairModel(build_encoder(spec), 1, regression=True)
    device = torch.device(args.device)
    where = (
        torch.cuda.get_device_name(device)
        if device.type == "cuda"
        else f"{torch.get_num_threads()} threads"
    )
    print(
        f"data {name}: {len(batches)} batches × {args.epochs} epoch(s), {args.encoder}/tiny, "
        f"{where}"
    )

    def finish() -> float:
        if device.type == "cuda":
            torch.cuda.synchronize(device)  # kernels still queued belong to this run
        return time.perf_counter()

    # one untimed pass first: CUDA context, cuBLAS handles and the allocator's pool are set up
    # on first use and would otherwise be charged to whichever side runs first
    warm = copy.deepcopy(initial).to(device)
    bare_loop(warm, torch.optim.AdamW(warm.parameters(), lr=1e-3), batches, 1, device)
    finish()

    bare, engine = [], []
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.sqlite")
        for repeat in range(args.repeats):
            model = copy.deepcopy(initial).to(device)
            optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
            started = finish()
            bare_loop(model, optimizer, batches, args.epochs, device)
            bare.append(examples / (finish() - started))

            model = copy.deepcopy(initial).to(device)
            optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
            recorder = Recorder(store, store.create_run({}, device.type))
            started = finish()
            fit(
                "downstream",
                model,
                optimizer,
                Fixed(batches),
                loss_fn,
                None,
                FitSettings(epochs=args.epochs, log_every=10),
                recorder,
                RunControl(),
                device,
            )
            engine.append(examples / (finish() - started))
            recorder.close("finished")
            print(f"  repeat {repeat + 1}: bare {bare[-1]:.0f} ex/s, engine {engine[-1]:.0f} ex/s")
        store.close()
    ratio = statistics.median(engine) / statistics.median(bare)
    paired = statistics.median(e / b for e, b in zip(engine, bare))
    print(
        f"median: bare {statistics.median(bare):.0f} ex/s, engine "
        f"{statistics.median(engine):.0f} ex/s, ratio {ratio:.3f}; median of paired "
        f"ratios {paired:.3f} (goal ≥ 0.97)"
    )


if __name__ == "__main__":
    main()
