"""Small real experiments on ../shared/data (STS-B + SST-2, KorSTS + NSMC); skipped if absent."""

import math

import pytest

from tests.conftest import tiny_config
from transfer_explorer.engine import run

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("downstream, corpus", [("stsb", "sst2"), ("korsts", "nsmc")])
def test_pretrained_upstream_on_real_data(shared_data, db, downstream, corpus):
    config = tiny_config(
        upstream__task="mlm",
        upstream__data=corpus,
        upstream__max_sentences=3000,
        method="finetune",
        downstream__data=downstream,
        downstream__train_fraction=0.1,
        training__epochs=2,
        data_root=str(shared_data),
    )
    result = run(config, db=db)
    assert result.status == "finished", result.error
    # after ~90 steps the masked LM is clearly below the loss of a uniform guess (ln 8000 = 9.0)
    assert result.metrics["upstream"]["loss"] < math.log(8000) - 0.5
    # 575 training pairs, 2 epochs: weak but clearly above zero on 1,500 dev pairs
    assert result.metrics["dev"]["spearman"] > 10
    assert set(result.metrics["test"]) >= {"pearson", "spearman"}


def test_paraphrase_classification_on_mrpc(shared_data, db):
    config = tiny_config(
        downstream__data="mrpc",
        downstream__train_fraction=0.25,
        data_root=str(shared_data),
        model__encoder="bilstm",
    )
    result = run(config, db=db)
    assert result.status == "finished", result.error
    assert result.metrics["metric_name"] == "accuracy"
    assert {"accuracy", "f1"} <= set(result.metrics["test"])
