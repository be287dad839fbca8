"""The lesson: GPT- vs BERT-style, a related vs an unrelated task, and what pre-training is
worth in labelled pairs — the new tasks, the effective-data reading and the verdict text."""

import math

import pytest
import torch

from tests.conftest import tiny_config
from transfer_explorer.engine import run
from transfer_explorer.engine.models import CausalLMModel, build_encoder, encoder_spec
from transfer_explorer.engine.store.database import Store
from transfer_explorer.engine.sweep.effective_data import effective_pairs
from transfer_explorer.engine.sweep.report import summarize
from transfer_explorer.engine.sweep.story import story

# ---- GPT-style and ELMo-style language models ---------------------------------------------


def test_a_causal_transformer_never_reads_ahead():
    encoder = build_encoder(encoder_spec("transformer", "tiny", 50, 16, causal=True)).eval()
    ids = torch.randint(3, 50, (2, 8))
    mask = torch.ones(2, 8, dtype=torch.bool)
    before = encoder(ids, mask)[0]
    changed = ids.clone()
    changed[:, 5] = (changed[:, 5] + 1) % 47 + 3  # a later token differs
    after = encoder(changed, mask)[0]
    assert torch.allclose(before[:, :5], after[:, :5], atol=1e-6)  # earlier states: same
    assert not torch.allclose(before[:, 5], after[:, 5])


def test_each_lstm_direction_predicts_only_what_it_has_not_read():
    """ELMo: forward states at t predict t+1, backward states at t predict t-1."""
    model = CausalLMModel(build_encoder(encoder_spec("bilstm", "tiny", 50, 16))).eval()
    ids = torch.randint(3, 50, (1, 6))
    mask = torch.ones(1, 6, dtype=torch.bool)
    logits, targets = model(ids, mask)
    # 5 forward predictions (of tokens 1..5) then 5 backward ones (of tokens 0..4)
    assert targets.tolist() == ids[0, 1:].tolist() + ids[0, :-1].tolist()
    changed = ids.clone()
    changed[0, 3] = (changed[0, 3] + 1) % 47 + 3
    other, _ = model(changed, mask)
    # predictions of token 3 must not depend on token 3: forward row 2, backward row 5 + 3
    assert torch.allclose(logits[2], other[2], atol=1e-6)
    assert torch.allclose(logits[5 + 3], other[5 + 3], atol=1e-6)


@pytest.mark.parametrize(
    "encoder, pooling", [("transformer", "mean"), ("transformer", "last"), ("bilstm", "mean")]
)
def test_causal_lm_upstream_trains_caches_and_transfers(encoder, pooling, db):
    config = tiny_config(
        upstream__task="causal-lm",
        upstream__pooling=pooling,
        model__encoder=encoder,
        method="finetune",
    )
    first = run(config, db=db)
    assert first.status == "finished", first.error
    upstream = first.metrics["upstream"]
    # better than guessing among the vocabulary: perplexity far below its size
    assert upstream["perplexity"] < 200 and 0 < upstream["next_token_accuracy"] <= 100
    assert math.exp(upstream["loss"]) == pytest.approx(upstream["perplexity"])
    again = run(config.replace(seed=1), db=db)
    assert again.status == "finished" and again.upstream_cached
    # the demo is learnable; one last token carries less of a sentence than their mean
    assert first.metrics["dev"]["spearman"] > (20 if pooling == "mean" else 5)


def test_the_pooling_must_be_one_the_task_offers():
    from transfer_explorer.engine import ConfigError

    with pytest.raises(
        ConfigError, match="causal-lm upstream pools sentence vectors by mean or last, not cls"
    ):
        tiny_config(upstream__task="causal-lm", upstream__pooling="cls").validate()


@pytest.mark.parametrize("encoder", ["transformer", "bilstm"])
def test_nli_upstream_learns_the_bundled_inference_pairs(encoder, db):
    result = run(
        tiny_config(upstream__task="nli", method="finetune", model__encoder=encoder), db=db
    )
    assert result.status == "finished", result.error
    # three balanced classes: chance is ~33%; the demo's rules are learnable
    assert result.metrics["upstream"]["accuracy"] > 50
    assert result.metrics["dev"]["spearman"] > 20


def test_nli_refuses_a_corpus_without_pair_labels(db):
    result_error = None
    try:
        run(tiny_config(upstream__task="nli", upstream__data="demo", method="finetune"), db=db)
    except Exception as exc:  # a DataError before anything is recorded
        result_error = exc
    from transfer_explorer.engine import DataError

    assert isinstance(result_error, DataError)
    assert "needs sentence pairs with a label" in str(result_error)
    assert not db.exists() or Store(db).list_runs() == []


# ---- what pre-training is worth in labelled pairs -----------------------------------------
CONTROL = [(57, 20.0), (575, 45.0), (5749, 70.0)]


@pytest.mark.parametrize(
    "own, score, pairs, beyond",
    [
        (57, 20.0, 57.0, None),  # exactly the control: ×1
        (57, 45.0, 575.0, None),  # the control's 10% point
        (57, 57.5, math.exp((math.log(575) + math.log(5749)) / 2), None),  # halfway, in log pairs
        (57, 32.5, math.exp((math.log(57) + math.log(575)) / 2), None),
        (57, 80.0, None, 5749),  # beyond the control's best
        (57, 10.0, None, None),  # below the control at its own size
        (575, 70.0, 5749.0, None),
    ],
)
def test_effective_pairs_on_a_hand_made_curve(own, score, pairs, beyond):
    worth = effective_pairs(CONTROL, own, score)
    assert worth.beyond == beyond
    if pairs is None:
        assert worth.pairs is None
    else:
        assert worth.pairs == pytest.approx(pairs)
        assert worth.multiple == pytest.approx(pairs / own)


def test_effective_pairs_texts():
    assert effective_pairs(CONTROL, 57, 45.0).text() == "575 pairs (×10)"
    assert effective_pairs(CONTROL, 57, 80.0).text() == "> all 5,749 pairs (×101+)"
    assert effective_pairs(CONTROL, 57, 10.0).text() == "–"


def rows(scores: dict[str, dict[float, list[float]]], full: int = 5749) -> list[dict]:
    """Store-like sweep rows: {arm: {fraction: [dev per seed]}}."""
    out = []
    for arm, by_fraction in scores.items():
        for fraction, values in by_fraction.items():
            for seed, value in enumerate(values):
                out.append(
                    {
                        "cell_key": f"{arm}{fraction}{seed}",
                        "status": "finished",
                        "arm": arm,
                        "encoder": "transformer",
                        "downstream": "stsb",
                        "fraction": fraction,
                        "seed": seed,
                        "dev_metric": value,
                        "test_metric": value - 2,
                        "metric_name": "spearman",
                        "seconds": 1.0,
                        "metrics": {"train_pairs": max(2, round(full * fraction))},
                    }
                )
    return out


ARMS = [
    "none/scratch",
    "sentiment/finetune",
    "nli/finetune",
    "mlm/finetune",
    "causal-lm/finetune",
    "hf/finetune",
]
MEASURED = {
    "none/scratch": {0.01: [10, 12, 11], 0.1: [40, 42, 41], 1.0: [70, 71, 72]},
    "sentiment/finetune": {0.01: [5, 6, 4], 0.1: [35, 36, 34], 1.0: [70, 71, 70]},
    "nli/finetune": {0.01: [30, 33, 31], 0.1: [55, 56, 57], 1.0: [74, 75, 76]},
    "mlm/finetune": {0.01: [15, 17, 16], 0.1: [45, 46, 44], 1.0: [71, 70, 72]},
    "causal-lm/finetune": {0.01: [13, 14, 12], 0.1: [41, 43, 42], 1.0: [69, 71, 70]},
    "hf/finetune": {0.01: [80, 81, 82], 0.1: [85, 86, 85], 1.0: [88, 89, 88]},
}


def test_the_matrix_reports_worth_and_its_spread():
    matrix = summarize(rows(MEASURED), ARMS, "none/scratch")
    minilm = matrix.cell("hf/finetune", 0.01, "transformer", "stsb")
    assert minilm.pairs == 57 and minilm.worth.beyond == 5749
    nli = matrix.cell("nli/finetune", 0.01, "transformer", "stsb")
    # 31.33 lies between the control's 11 (57 pairs) and 41 (575 pairs), in log pairs
    share = (statistics_mean([30, 33, 31]) - 11) / (41 - 11)
    expected = math.exp(math.log(57) + share * (math.log(575) - math.log(57)))
    assert nli.worth.pairs == pytest.approx(expected)
    low, high = nli.worth_range
    assert low.pairs < nli.worth.pairs < high.pairs
    assert matrix.cell("sentiment/finetune", 0.01, "transformer", "stsb").worth.below
    assert matrix.cell("none/scratch", 0.01, "transformer", "stsb").worth is None


def test_no_worth_is_read_before_the_control_has_a_score_at_that_size():
    # a sweep in flight: the arms' first cells finished, the control's at 1% not yet
    partial = {arm: dict(by_fraction) for arm, by_fraction in MEASURED.items()}
    del partial["none/scratch"][0.01]
    matrix = summarize(rows(partial), ARMS, "none/scratch")
    assert matrix.cell("sentiment/finetune", 0.01, "transformer", "stsb").worth is None
    assert matrix.cell("nli/finetune", 0.1, "transformer", "stsb").worth is not None
    only_small = {
        arm: {0.01: by_fraction[0.01]}
        for arm, by_fraction in MEASURED.items()
        if arm != "none/scratch"
    }
    text = story(
        summarize(rows({**only_small, "none/scratch": {1.0: [70, 71, 72]}}), ARMS, "none/scratch")
    )
    assert "worth" not in text  # not "no arm reached the control's score"
    # nothing measured against the control yet: no paragraph, not a heading with no sentence
    first = {"sentiment/finetune": {0.01: [5, 6, 4]}}
    assert story(summarize(rows(first), ARMS, "none/scratch")) == ""


def statistics_mean(values):
    return sum(values) / len(values)


def test_the_verdict_text_says_what_was_measured_and_changes_with_it():
    text = story(summarize(rows(MEASURED), ARMS, "none/scratch"))
    assert "nli/finetune (a related task) helps at every size" in text
    assert "sentiment/finetune (an unrelated task) hurts at 1% (-6.0)" in text
    assert (
        "A related task against an unrelated one: nli/finetune is ahead of "
        "sentiment/finetune at every" not in text
    )  # sizes are listed, not summarised
    assert (
        "nli/finetune is ahead of sentiment/finetune at 1% (+26.3), 10% (+21.0) and "
        "100% (+4.7)" in text
    )
    assert (
        "BERT-style against GPT-style: mlm/finetune is ahead of causal-lm/finetune at "
        "1% (+3.0)" in text
    )
    assert (
        "Most worth: hf/finetune with 57 labelled pairs scores 81.0, more than "
        "none/scratch reaches with all 5,749 (×101 or more)." in text
    )

    flipped = {
        **MEASURED,
        "sentiment/finetune": {0.01: [20, 22, 21], 0.1: [50, 51, 52], 1.0: [74, 75, 76]},
    }
    changed = story(summarize(rows(flipped), ARMS, "none/scratch"))
    assert changed != text
    assert "sentiment/finetune (an unrelated task) helps" in changed
    assert "hurts at 1%" not in changed
