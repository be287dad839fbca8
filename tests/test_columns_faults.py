"""Faults in column names and in the size of what messages list (issue 26, round three).

Class 2: columns whose names differ only in case (``score`` / ``SCORE``, full-width letters,
padding) are refused, naming all of them with their column numbers, unless a columns mapping
names one exactly; columns the run never reads may collide harmlessly.
Class 13: a huge header is counted whole (true numbers), and every message that lists names
(columns, files, values) lists a few and says how many more.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from transfer_explorer.cli import commands as cli
from transfer_explorer.engine.data import files, load_pairs, load_texts
from transfer_explorer.engine.errors import DataError

ROWS = 30
SHORT = 400  # a bounded message: a few names, never the whole header or folder


def table(path: Path, columns: list[str], rows: list[list]) -> Path:
    """A TSV, CSV or JSON Lines file (by suffix) with these columns and rows."""
    if path.suffix == ".jsonl":
        path.write_text(
            "".join(json.dumps(dict(zip(columns, row))) + "\n" for row in rows), encoding="utf-8"
        )
    else:
        with open(path, "w", newline="", encoding="utf-8") as f:
            writer = csv.writer(
                f, delimiter="\t" if path.suffix == ".tsv" else ",", lineterminator="\n"
            )
            writer.writerow(columns)
            writer.writerows(rows)
    return path


def pair_rows(extra=lambda i: []) -> list[list]:
    return [[f"first {i}", f"second {i}", i % 5, *extra(i)] for i in range(ROWS)]


def refusal(load, source, **kwargs) -> str:
    with pytest.raises(DataError) as info:
        load(str(source), **kwargs)
    message = str(info.value)
    assert "\n" not in message and len(message) < SHORT, message
    return message


# ---- class 2: names that differ only in case -------------------------------------------------
@pytest.mark.parametrize("suffix", [".tsv", ".csv", ".jsonl"])
def test_score_and_SCORE_are_refused_naming_both_with_their_column_numbers(tmp_path, suffix):
    path = table(
        tmp_path / f"pairs{suffix}",
        ["sentence1", "sentence2", "score", "SCORE"],
        pair_rows(lambda i: [4 - i % 5]),
    )
    message = refusal(load_pairs, path)
    assert message.startswith(f"{path}: ")
    assert "'score' (column 3) and 'SCORE' (column 4) differ only in case" in message
    assert "score=SCORE" in message


@pytest.mark.parametrize("suffix", [".tsv", ".jsonl"])
def test_sentence1_and_Sentence1_are_refused(tmp_path, suffix):
    path = table(
        tmp_path / f"pairs{suffix}",
        ["sentence1", "sentence2", "Sentence1", "score"],
        [[f"a{i}", f"b{i}", f"c{i}", i % 5] for i in range(ROWS)],
    )
    for load in (load_pairs, load_texts):
        message = refusal(load, path)
        assert "'sentence1' (column 1) and 'Sentence1' (column 3)" in message


def test_three_spellings_are_all_named(tmp_path):
    path = table(
        tmp_path / "pairs.tsv",
        ["Score", "sentence1", "sentence2", "score", "SCORE"],
        [[i % 5, f"a{i}", f"b{i}", i % 5, i % 5] for i in range(ROWS)],
    )
    message = refusal(load_pairs, path)
    assert "'Score' (column 1), 'score' (column 4) and 'SCORE' (column 5)" in message


@pytest.mark.parametrize("other", ["ＳＣＯＲＥ", "Score\u00a0"])
def test_names_equal_after_unicode_folding_collide_too(tmp_path, other):
    path = table(
        tmp_path / "pairs.jsonl",
        ["sentence1", "sentence2", "score", other],
        pair_rows(lambda i: [1]),
    )
    assert f"'score' (column 3) and {other!r} (column 4)" in refusal(load_pairs, path)


def test_a_text_corpus_text_and_full_width_text_are_refused(tmp_path):
    path = table(
        tmp_path / "corpus.tsv", ["Text", "ｔｅｘｔ"], [[f"a {i}", "b"] for i in range(ROWS)]
    )
    message = refusal(load_texts, path)
    assert (
        "'Text' (column 1) and 'ｔｅｘｔ' (column 2) differ only in case or Unicode form" in message
    )


def test_json_keys_padded_with_spaces_collide(tmp_path):
    path = table(
        tmp_path / "pairs.jsonl",
        ["sentence1", "sentence2", "score", " score "],
        pair_rows(lambda i: [1]),
    )
    assert "'score' (column 3) and ' score ' (column 4)" in refusal(load_pairs, path)


@pytest.mark.parametrize("suffix", [".tsv", ".csv", ".jsonl"])
def test_an_exact_mapping_reads_that_column_and_the_run_goes_on(tmp_path, suffix):
    """Guard: an exact mapping was read before the fix too; it must stay so."""
    path = table(
        tmp_path / f"pairs{suffix}",
        ["sentence1", "sentence2", "score", "SCORE"],
        [[f"a{i}", f"b{i}", 5, 0] for i in range(ROWS)],
    )
    for chosen, value in (("SCORE", 0.0), ("score", 5.0)):
        data = load_pairs(str(path), columns={"score": chosen})
        targets = np.concatenate([s.targets for s in data.splits.values()])
        assert set(targets.tolist()) == {value}


def test_a_mapping_naming_neither_exactly_is_refused(tmp_path):
    path = table(
        tmp_path / "pairs.tsv",
        ["sentence1", "sentence2", "score", "SCORE"],
        pair_rows(lambda i: [1]),
    )
    message = refusal(load_pairs, path, columns={"score": "Score"})
    assert "'score' (column 3) and 'SCORE' (column 4)" in message and "'Score'" in message


def test_an_exact_mapping_for_sentences_reads_that_one(tmp_path):
    """Guard: an exact mapping was read before the fix too; it must stay so."""
    path = table(
        tmp_path / "pairs.jsonl",
        ["sentence1", "Sentence1", "sentence2", "score"],
        [[f"lower {i}", f"UPPER {i}", f"b{i}", i % 5] for i in range(ROWS)],
    )
    data = load_pairs(str(path), columns={"sentence1": "Sentence1"})
    assert all(s.startswith("UPPER") for s in data.splits["train"].sentence1)


def test_a_text_corpus_label_and_LABEL_are_refused(tmp_path):
    path = table(
        tmp_path / "corpus.tsv",
        ["sentence", "label", "LABEL"],
        [[f"text {i}", i % 2, 1 - i % 2] for i in range(ROWS)],
    )
    assert "'label' (column 2) and 'LABEL' (column 3)" in refusal(load_texts, path)


def test_json_object_with_one_key_twice_is_refused_with_its_line(tmp_path):
    path = tmp_path / "pairs.jsonl"
    rows = [
        json.dumps({"sentence1": f"a{i}", "sentence2": f"b{i}", "score": 1}) for i in range(ROWS)
    ]
    rows[4] = '{"sentence1": "a", "sentence2": "b", "score": 1, "score": 5}'
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    message = refusal(load_pairs, path)
    assert message == f"{path}, line 5: the key 'score' appears twice in one object"


def test_split_columns_differing_in_case_are_refused_when_detected(tmp_path):
    path = table(
        tmp_path / "pairs.tsv",
        ["sentence1", "sentence2", "score", "split", "SPLIT"],
        pair_rows(lambda i: ["train" if i < 20 else "test", i % 3]),
    )
    message = refusal(load_pairs, path)
    assert "'split' (column 4) and 'SPLIT' (column 5) differ only in case" in message
    assert "--split-column" in message


def test_split_column_named_in_another_case_than_two_columns_is_refused(tmp_path):
    path = table(
        tmp_path / "pairs.tsv",
        ["sentence1", "sentence2", "score", "split", "Split"],
        pair_rows(lambda i: ["train" if i < 20 else "test", "dev"]),
    )
    message = refusal(load_pairs, path, columns={"split": "SPLIT"})
    assert "'split' (column 4) and 'Split' (column 5)" in message and "'SPLIT'" in message


def test_split_column_named_exactly_is_read(tmp_path):
    """Guard: worked before the fix too."""
    path = table(
        tmp_path / "pairs.tsv",
        ["sentence1", "sentence2", "score", "split", "Split"],
        pair_rows(lambda i: ["train" if i < 20 else "test", "dev"]),
    )
    data = load_pairs(str(path), columns={"split": "split"})
    assert data.split_column == "split" and len(data.splits["test"]) == 10


def test_unread_columns_may_differ_only_in_case(tmp_path):
    """Guard: a pair of notes columns, or a label beside the score, is never read."""
    path = table(
        tmp_path / "pairs.tsv",
        ["sentence1", "sentence2", "score", "notes", "NOTES", "label", "LABEL"],
        pair_rows(lambda i: ["x", "y", 0, 1]),
    )
    assert load_pairs(str(path)).task == "regression"


def test_cli_refuses_a_case_collision_with_one_line_and_exit_2(tmp_path, capsys):
    path = table(
        tmp_path / "pairs.tsv",
        ["sentence1", "sentence2", "score", "SCORE"],
        pair_rows(lambda i: [1]),
    )
    db = tmp_path / "runs.sqlite"
    assert cli.main(["run", "--downstream", str(path), "--quiet", "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "'score' (column 3) and 'SCORE' (column 4)" in err
    assert not db.exists()


# ---- class 13: huge headers and many files ---------------------------------------------------
WIDE = 200_000


def wide_header(path: Path, names: list[str], rows: str) -> Path:
    path.write_text("\t".join(names) + "\n" + rows, encoding="utf-8")
    return path


def test_a_wide_header_is_counted_whole(tmp_path):
    names = ["sentence1", "sentence2", "score"] + [f"extra_column_{i}" for i in range(WIDE - 3)]
    path = wide_header(tmp_path / "wide.tsv", names, "a\tb\t1\n")
    assert refusal(load_pairs, path) == f"{path}, line 2: 3 fields, the header has 200,000"


def test_unknown_names_of_a_wide_header_are_not_called_repeated(tmp_path):
    path = wide_header(
        tmp_path / "wide.tsv",
        [f"c{i}" for i in range(WIDE)],
        "\t".join("x" for _ in range(WIDE)) + "\n",
    )
    message = refusal(load_pairs, path)
    assert "repeated" not in message and "no column for sentence1" in message
    assert "c0, c1, c2, c3, c4 … and 199,995 more" in message


def test_repeated_names_are_listed_a_few_with_their_columns(tmp_path):
    names = ["sentence1", "sentence2", "score"] + [f"n{i % 1000}" for i in range(20_000)]
    path = wide_header(tmp_path / "dup.tsv", names, "")
    message = refusal(load_pairs, path)
    assert (
        "repeated column names in the header: 'n0' (columns 4, 1,004, 2,004 … and 17 "
        "more), 'n1' (columns 5, 1,005, 2,005 … and 17 more)" in message
    )
    assert message.endswith("… and 997 more")


def test_a_header_past_the_cap_is_refused_by_what_is_true(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "HEADER_LIMIT", 1 << 20, raising=False)
    path = wide_header(tmp_path / "huge.tsv", [f"c{i}" for i in range(300_000)], "a\n")
    message = refusal(load_pairs, path)
    assert message == (
        f"{path}, line 1: the header is longer than 1 MiB; a table has one line "
        "of column names, then one line per row"
    )


def test_a_folder_of_ten_thousand_candidate_files_is_refused_briefly(tmp_path):
    data = tmp_path / "many"
    data.mkdir()
    for i in range(10_000):
        (data / f"train-{i:05d}.tsv").write_bytes(b"")
    message = refusal(load_pairs, data)
    assert (
        "10,000 files could be the train split (train-00000.tsv, train-00001.tsv, "
        "train-00002.tsv, train-00003.tsv, train-00004.tsv … and 9,995 more)" in message
    )


def test_a_mapped_column_missing_from_a_wide_header_is_refused_briefly(tmp_path):
    names = ["sentence1", "sentence2", "score"] + [f"extra_{i}" for i in range(WIDE)]
    path = wide_header(tmp_path / "wide.tsv", names, "")
    message = refusal(load_pairs, path, columns={"score": "gold"})
    assert "column 'gold' (given for score) is not in the file" in message
    message = refusal(load_pairs, path, columns={"split": "part"})
    assert "the split column 'part' is not in the file" in message and "more" in message


def test_a_huge_column_name_is_clipped(tmp_path):
    giant = "x" * 100_000
    path = table(tmp_path / "pairs.tsv", ["sentence1", "sentence2", giant], pair_rows())
    assert "no column for score or label" in refusal(load_pairs, path)


def test_a_huge_unknown_split_value_is_clipped(tmp_path):
    rows = pair_rows(lambda i: ["train" if i < 20 else "test"])
    rows[7][3] = "v" * 100_000
    path = table(tmp_path / "pairs.tsv", ["sentence1", "sentence2", "score", "split"], rows)
    assert "in the column 'split' (read as the split column" in refusal(load_pairs, path)


def test_many_split_like_columns_give_a_short_refusal_and_few_notes(tmp_path):
    sets = [f"s{i}_set" for i in range(500)]
    path = table(
        tmp_path / "pairs.tsv",
        ["sentence1", "sentence2", "score", *sets],
        pair_rows(lambda i: ["train" if i < 20 else "test"] * len(sets)),
    )
    assert refusal(load_pairs, path).count("_set") == 5
    data = load_pairs(str(path), columns={"split": "none"})
    assert len(data.notes) < 10 and all(len(note) < SHORT for note in data.notes)
    path = table(
        tmp_path / "other.tsv",
        ["sentence1", "sentence2", "score", *sets],
        pair_rows(lambda i: [str(i)] * len(sets)),
    )
    data = load_pairs(str(path))
    assert len(data.notes) < 12 and all(len(note) < SHORT for note in data.notes)


def test_listing_shows_a_few_names_then_a_count():
    from transfer_explorer.engine.data.names import listing

    assert listing(["a", "b"], last=" and ") == "a and b"
    assert listing(f"n{i}" for i in range(10_000)) == "n0, n1, n2, n3, n4 … and 9,995 more"
    assert len(listing(["y" * 10_000])) <= 60


def test_a_long_sentence_is_still_refused_at_once(tmp_path):
    """Guard: worked before the fix too."""
    path = tmp_path / "long.tsv"
    path.write_text("sentence1\tsentence2\tscore\n" + "a" * 20_000_000 + "\tb\t1\n")
    assert "line 2: field larger than field limit" in refusal(load_pairs, path)
