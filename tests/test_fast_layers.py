"""The CPU training path of issue 25: dropout masks from packed random bits keep their rate and
their seed, the Transformer layer written out computes what torch's layer computes, and a run
on it repeats bit for bit. (Whether it keeps the science is bench/sweep_speed.py's criterion.)"""

import math

import pytest
import torch
from torch import nn

from tests.conftest import tiny_config
from transfer_explorer.engine import run
from transfer_explorer.engine.models import build_encoder, encoder_spec
from transfer_explorer.engine.models.dropout import Dropout, dropout, keep_scale
from transfer_explorer.engine.models.layer_step import attention_bias, layer_step
from transfer_explorer.engine.speed import SPEED_ENV
from transfer_explorer.engine.training.memory import reuse_freed_memory

N = 1_000_000


@pytest.mark.parametrize("p", [0.1, 0.5, 0.02])
def test_masks_drop_at_their_rate_and_keep_the_mean(p):
    torch.manual_seed(0)
    scale = keep_scale((N,), p, torch.float32)
    dropped = (scale == 0).double().mean().item()
    assert abs(dropped - p) < 3 * math.sqrt(p * (1 - p) / N)
    kept = scale[scale > 0]
    assert torch.all(kept == kept[0])  # one scale, the inverse of the share kept
    assert abs(scale.double().mean().item() - 1.0) < 3 * math.sqrt(p / (1 - p) / N)


def test_masks_follow_the_seed():
    def mask(seed):
        torch.manual_seed(seed)
        return keep_scale((4, 7, 33), 0.1, torch.float32)

    assert torch.equal(mask(0), mask(0))
    assert not torch.equal(mask(0), mask(1))
    torch.manual_seed(0)
    first, second = (keep_scale((1000,), 0.1, torch.float32) for _ in range(2))
    assert not torch.equal(first, second)  # the stream moves on


def test_lanes_of_one_draw_are_independent():
    """Neighbours share a 64-bit draw: their drops must not go together."""
    torch.manual_seed(3)
    dropped = (keep_scale((N // 4, 4), 0.1, torch.float32) == 0).double()
    both = (dropped[:, :-1] * dropped[:, 1:]).mean().item()  # expect p² = 0.01
    assert abs(both - 0.01) < 3 * math.sqrt(0.01 * 0.99 / (3 * N // 4))


def test_dropout_backward_passes_the_mask():
    torch.manual_seed(0)
    x = torch.randn(64, 50, requires_grad=True)
    y = dropout(x, 0.3, training=True)
    y.sum().backward()
    kept = y.detach() != 0
    assert torch.allclose(x.grad[kept], torch.full_like(x.grad[kept], 65536 / (65536 - 19661)))
    assert torch.all(x.grad[~kept] == 0)
    assert dropout(x, 0.3, training=False) is x


def test_the_baseline_keeps_torchs_dropout(monkeypatch):
    monkeypatch.setenv(SPEED_ENV, "baseline")
    layer = Dropout(0.1)
    x = torch.ones(1000)
    torch.manual_seed(5)
    ours = layer(x)
    torch.manual_seed(5)
    assert torch.equal(ours, nn.functional.dropout(x, 0.1, True))


def torch_layer(causal=False):
    torch.manual_seed(0)
    layer = nn.TransformerEncoderLayer(
        32, 4, 64, 0.0, activation="gelu", batch_first=True, norm_first=True
    )
    return layer


@pytest.mark.parametrize("causal", [False, True])
def test_the_written_out_layer_computes_torchs_layer(causal):
    """Without dropout the two passes agree, values and gradients, padding and all."""
    layer = torch_layer()
    layer.train()
    mask = torch.ones(3, 9, dtype=torch.bool)
    mask[1, 5:] = False
    mask[2, 2:] = False
    x = torch.randn(3, 9, 32, requires_grad=True)
    future = torch.ones(9, 9, dtype=torch.bool).triu(1) if causal else None
    expected = layer(x, src_mask=future, src_key_padding_mask=~mask, is_causal=causal)
    expected[mask].sum().backward()
    grads = [p.grad.clone() for p in layer.parameters()]
    layer.zero_grad()
    got = layer_step(layer, x, attention_bias(mask, causal, x.dtype))
    torch.testing.assert_close(got[mask], expected[mask], rtol=1e-5, atol=1e-5)
    got[mask].sum().backward()
    for g, p in zip(grads, layer.parameters()):
        torch.testing.assert_close(p.grad, g, rtol=1e-4, atol=1e-5)


def test_a_sentence_of_padding_only_gives_numbers_not_nan():
    layer = torch_layer()
    mask = torch.zeros(2, 5, dtype=torch.bool)
    mask[0, :3] = True
    out = layer_step(layer, torch.randn(2, 5, 32), attention_bias(mask, False, torch.float32))
    assert torch.isfinite(out).all()


def test_the_encoder_trains_on_the_written_out_layer_and_evaluates_on_torchs(monkeypatch):
    calls = []
    monkeypatch.setattr(
        "transfer_explorer.engine.models.encoders.layer_step",
        lambda *a: calls.append(1) or layer_step(*a),
    )
    encoder = build_encoder(encoder_spec("transformer", "tiny", 100, 16))
    ids = torch.randint(1, 100, (4, 10))
    mask = torch.ones(4, 10, dtype=torch.bool)
    encoder.train()
    encoder(ids, mask)
    assert len(calls) == 2  # both layers
    encoder.eval()
    with torch.no_grad():
        encoder(ids, mask)
    assert len(calls) == 2
    monkeypatch.setenv(SPEED_ENV, "exact")
    twin = build_encoder(encoder_spec("transformer", "tiny", 100, 16))
    twin.train()
    twin(ids, mask)
    assert len(calls) == 2  # the exact path is torch's own, bit for bit as before


def test_a_run_on_the_fast_path_repeats_bit_for_bit(db):
    config = tiny_config(training__epochs=2)
    first, second = run(config, db=db), run(config, db=db)
    assert first.status == second.status == "finished"
    assert first.metrics["dev"] == second.metrics["dev"]
    assert first.metrics["test"] == second.metrics["test"]


def test_freed_memory_is_kept_for_reuse_on_glibc():
    import ctypes.util
    import sys

    if not sys.platform.startswith("linux") or "musl" in (ctypes.util.find_library("c") or ""):
        pytest.skip("glibc's mallopt only")
    assert reuse_freed_memory()
