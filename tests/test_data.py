import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from transfer_explorer.engine.data import load_pairs, load_texts
from transfer_explorer.engine.data.eda import pair_stats, text_stats, vocabulary_overlap
from transfer_explorer.engine.errors import DataError
from transfer_explorer.engine.text import encode, train_tokenizer


def write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


def test_demo_has_pairs_and_sentiment_that_learnable_models_need():
    pairs, texts = load_pairs("demo"), load_texts("demo")
    assert pairs.task == "regression" and pairs.score_range == (0.0, 5.0)
    assert {k: len(v) for k, v in pairs.splits.items()} == {"train": 600, "dev": 200, "test": 200}
    assert 0 <= pairs.splits["train"].targets.min() and pairs.splits["train"].targets.max() <= 5
    assert texts.labelled and texts.label_names == ("negative", "positive")
    assert set(np.unique(texts.splits["train"].labels)) == {0, 1}


def test_csv_columns_are_detected_and_splits_created(tmp_path):
    rows = "\n".join(f'"q {i}, with comma",other {i},{i % 6}' for i in range(50))
    path = write(tmp_path / "pairs.csv", "question1,question2,similarity\n" + rows + "\n")
    data = load_pairs(str(path))
    assert data.task == "regression"
    assert data.splits["train"].sentence1[0].startswith("q ")
    assert "," in data.splits["train"].sentence1[0]  # quoted field kept whole
    assert sum(len(s) for s in data.splits.values()) == 50
    assert set(data.splits) == {"train", "dev", "test"}
    assert data.score_range == (0.0, 5.0)


def test_explicit_column_mapping_wins(tmp_path):
    text = "a\tb\tc\tgold\n" + "".join(f"x{i}\ty{i}\tz\t{i % 2}\n" for i in range(30))
    path = write(tmp_path / "t.tsv", text)
    with pytest.raises(DataError, match="no column for sentence1"):
        load_pairs(str(path))
    data = load_pairs(str(path), columns={"sentence1": "a", "sentence2": "c", "label": "gold"})
    assert data.task == "classification" and data.num_labels == 2
    assert data.splits["train"].sentence2[0] == "z"


def test_jsonl_with_string_labels_and_a_folder_of_splits(tmp_path):
    folder = tmp_path / "nli"
    folder.mkdir()
    labels = ["entailment", "neutral", "contradiction"]
    for split, n in (("train", 40), ("validation", 10), ("test", 10)):
        lines = [
            json.dumps({"premise": f"p{i}", "hypothesis": f"h{i}", "gold_label": labels[i % 3]})
            for i in range(n)
        ]
        write(folder / f"{split}.jsonl", "\n".join(lines))
    data = load_pairs(str(folder))
    assert data.label_names == ("entailment", "neutral", "contradiction")
    assert {k: len(v) for k, v in data.splits.items()} == {"train": 40, "dev": 10, "test": 10}


@pytest.mark.parametrize(
    "content, message",
    [
        ("", "empty"),
        ("sentence1\tsentence2\tscore\n", "only a header"),
        (
            "sentence1\tsentence2\tscore\na\tb\tnot-a-number\n",
            "line 2: score 'not-a-number' is not a number",
        ),
        ("sentence1\tsentence2\tscore\na\tb\t1\nc\td\t7.5\n", "line 3: score 7.5 is outside"),
        ("sentence1\tsentence2\tscore\na\tb\t1\tx\n", "line 2: 4 fields, the header has 3"),
        ("text\tother\nhello\tworld\n", "no column for sentence1, sentence2, score or label"),
        ("sentence1\tsentence2\tlabel\na\tb\t1\nc\td\tyes\n", "mixed label types"),
    ],
)
def test_bad_files_get_messages_naming_file_and_line(tmp_path, content, message):
    path = write(tmp_path / "bad.tsv", content)
    if "7.5" in content:  # a named range is needed to call 7.5 out of range
        (tmp_path / "stsb").mkdir()
        path = write(tmp_path / "stsb" / "train.tsv", content)
        with pytest.raises(DataError, match=message) as info:
            load_pairs("stsb", root=str(tmp_path))
    else:
        with pytest.raises(DataError, match=message) as info:
            load_pairs(str(path))
    assert path.name in str(info.value)  # the file the bad line is in


def test_binary_file_is_refused(tmp_path):
    path = tmp_path / "model.tsv"
    path.write_bytes(b"\x00\x01\x02PK\x03\x04" * 100)
    with pytest.raises(DataError, match="binary"):
        load_pairs(str(path))


def test_cp949_korean_file_is_read(tmp_path):
    rows = "".join(f"영화가 정말 재미있다 {i}\t{i % 2}\n" for i in range(40))
    path = write(tmp_path / "ko.tsv", "sentence\tlabel\n" + rows, encoding="cp949")
    data = load_texts(str(path))
    assert data.language == "ko"
    assert data.splits["train"].sentences[0].startswith("영화가")


def test_unknown_dataset_name_lists_the_registry():
    with pytest.raises(DataError, match="not a registry name .*stsb"):
        load_pairs("stbs")


def test_single_sentence_set_is_not_a_downstream():
    with pytest.raises(DataError, match="single-sentence"):
        load_pairs("sst2", root="/nonexistent")


def test_korean_tokenization_keeps_hangul_syllables():
    sentences = [
        "아 더빙 진짜 짜증나네요 목소리",
        "흠 포스터보고 초딩영화줄 오버연기조차 가볍지 않구나",
        "너무재밓었다그래서보는것을추천한다",
        "교도소 이야기구먼 솔직히 재미는 없다",
    ] * 30
    tokenizer = train_tokenizer(sentences, vocab_size=500)
    tokens = tokenizer.encode("진짜 짜증나네요").tokens
    assert "".join(t.lstrip("#") for t in tokens) == "진짜짜증나네요"
    assert all("\u1100" > ch or ch > "\u11ff" for t in tokens for ch in t)  # no loose jamo
    ids = encode(tokenizer, ["진짜 짜증나네요", ""], max_length=8)
    assert len(ids[0]) >= 2 and len(ids[1]) == 1  # an empty text still gets one token


def test_eda_reports_sizes_lengths_scores_and_overlap():
    pairs, texts = load_pairs("demo"), load_texts("demo")
    stats = pair_stats(pairs)
    assert stats["sizes"] == {"train": 600, "dev": 200, "test": 200}
    assert sum(stats["scores"]["counts"]) == 600
    assert sum(stats["lengths"]["counts"]) == 1200
    assert text_stats(texts)["labels"]["names"] == ["negative", "positive"]
    overlap = vocabulary_overlap(texts, pairs)
    assert 0 < overlap["type_overlap"] <= 100
    assert overlap["shared_types"] <= overlap["downstream_types"]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(blob=st.binary(max_size=400), suffix=st.sampled_from([".tsv", ".csv", ".jsonl"]))
def test_loader_never_crashes_on_arbitrary_bytes(tmp_path, blob, suffix):
    """Any file gives a dataset or a DataError, never another exception."""
    path = tmp_path / f"fuzz{suffix}"
    header = {
        ".tsv": b"sentence1\tsentence2\tscore\n",
        ".csv": b"sentence1,sentence2,score\n",
        ".jsonl": b'{"sentence1": "a", "sentence2": "b", "score": 1}\n',
    }[suffix]
    path.write_bytes(header + blob)
    try:
        data = load_pairs(str(path))
    except DataError:
        return
    assert len(data.splits["train"]) >= 1


_text = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=30
).filter(lambda t: t.strip() and "\t" not in t)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(
        st.tuples(_text, _text, st.floats(0, 5, allow_nan=False)), min_size=5, max_size=40
    ),
    fmt=st.sampled_from(["tsv", "csv", "jsonl"]),
)
def test_well_formed_rows_round_trip_in_every_format(tmp_path, rows, fmt):
    """Every valid row comes back — same sentences, same scores — whatever the format."""
    import csv as csv_module
    import io

    path = tmp_path / f"pairs.{fmt}"
    if fmt == "jsonl":
        path.write_text(
            "\n".join(json.dumps({"sentence1": a, "sentence2": b, "score": x}) for a, b, x in rows),
            encoding="utf-8",
        )
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv_module.writer(buffer)
        writer.writerow(["sentence1", "sentence2", "score"])
        writer.writerows(rows)
        path.write_text(buffer.getvalue(), encoding="utf-8")
    else:
        rows = [
            (a.replace("\n", " ").replace("\r", " "), b.replace("\n", " ").replace("\r", " "), x)
            for a, b, x in rows
        ]
        rows = [(a, b, x) for a, b, x in rows if a.strip() and b.strip()]
        if len(rows) < 5:
            return
        path.write_text(
            "sentence1\tsentence2\tscore\n" + "".join(f"{a}\t{b}\t{x!r}\n" for a, b, x in rows),
            encoding="utf-8",
        )
    data = load_pairs(str(path), score_range=(0, 5))
    loaded = sorted(
        (a, b, float(x))
        for split in data.splits.values()
        for a, b, x in zip(split.sentence1, split.sentence2, split.targets)
    )
    # scores are kept as float32
    expected = sorted((a.strip(), b.strip(), float(np.float32(x))) for a, b, x in rows)
    assert loaded == expected


def test_declared_score_range_refuses_values_outside_it(tmp_path):
    path = write(
        tmp_path / "mine.tsv",
        "sentence1\tsentence2\tscore\n"
        + "".join(f"a{i}\tb{i}\t{i % 5}\n" for i in range(30))
        + "x\ty\t7\n",
    )
    assert load_pairs(str(path)).score_range == (0.0, 10.0)  # inferred
    with pytest.raises(DataError, match="line 32: score 7 is outside the dataset's range 0–5"):
        load_pairs(str(path), score_range=(0, 5))


@pytest.mark.integration
def test_shared_data_copies_load_with_official_sizes(shared_data):
    stsb = load_pairs("stsb", root=str(shared_data))
    assert {k: len(v) for k, v in stsb.splits.items()} == {"train": 5749, "dev": 1500, "test": 1379}
    korsts = load_pairs("korsts", root=str(shared_data))
    assert korsts.language == "ko"
    sst2 = load_texts("sst2", root=str(shared_data))
    assert sst2.labelled and len(sst2.splits["train"]) == 67349
    nsmc = load_texts("nsmc", root=str(shared_data))
    assert nsmc.labelled and nsmc.language == "ko"


def test_a_hub_dataset_is_read_through_the_datasets_library(monkeypatch):
    """STS-B from the hub (its loader, with the datasets library answering from a stub):
    empty pairs dropped, scores scaled ×5 — a regression dataset from the hub used to fail
    with a TypeError (a list & True), found by mypy."""
    import datasets

    from transfer_explorer.engine.data import load_pairs

    def split(n, empty_at=None):
        first = [f"a man plays {i}" for i in range(n)]
        if empty_at is not None:
            first[empty_at] = "  "
        return {
            "sentence1": first,
            "sentence2": [f"a person plays {i}" for i in range(n)],
            "score": [i / n for i in range(n)],
        }

    asked = []

    def load_dataset(repo, config=None, revision=None):
        asked.append(repo)
        return {"train": split(30, empty_at=3), "validation": split(10), "test": split(10)}

    monkeypatch.setattr(datasets, "load_dataset", load_dataset)
    data = load_pairs("stsb")
    assert len(asked) == 1  # the hub was asked once, through the datasets library
    assert len(data.splits["train"]) == 29  # the pair with an empty sentence is dropped
    assert float(data.splits["dev"].targets.max()) == pytest.approx(0.9 * 5)
