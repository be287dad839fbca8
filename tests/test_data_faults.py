"""Faults in reading dataset files, by family: special and unreadable files, split files picked
by a loose name, numbers that float() reads too loosely, and automatic splits on large files.

Every refusal is a DataError (one line for the user) that names the file; loads that could
block on a FIFO run in a child process with a timeout, so a regression fails instead of hanging.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from transfer_explorer.engine.data import load_pairs, load_texts, loaders
from transfer_explorer.engine.data.files import parse_number
from transfer_explorer.engine.errors import DataError

ROOT = Path(__file__).resolve().parents[1]
HEADER = "sentence1\tsentence2\tscore\n"
CHILD_TIMEOUT = 60  # seconds; a correct load takes well under one, even on a busy machine

# Run in a child: load (or open) one source and print the outcome as JSON.
_CHILD = """
import json, sys
from transfer_explorer.engine.data import load_pairs, load_texts
from transfer_explorer.engine.errors import DataError
what, source, root = sys.argv[1], sys.argv[2], sys.argv[3] or None
try:
    if what == "open":
        from transfer_explorer.engine.data.files import open_binary
        open_binary(source).close()
        print(json.dumps({"ok": []}))
    else:
        data = (load_pairs if what == "pairs" else load_texts)(source, root)
        print(json.dumps({"ok": data.notes}))
except DataError as exc:
    print(json.dumps({"error": str(exc)}))
"""


def in_child(what: str, source, root=None, prefix=()) -> dict:
    """{'error': message} or {'ok': notes}. A hang (a FIFO opened) or a traceback fails."""
    try:
        done = subprocess.run(
            [*prefix, sys.executable, "-c", _CHILD, what, str(source), str(root or "")],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
            timeout=CHILD_TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"reading {source} did not return within {CHILD_TIMEOUT} s (blocked on open?)")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def pairs_file(path: Path, n: int = 30, tag: str = "", score=lambda i: i % 5) -> Path:
    path.write_text(
        HEADER + "".join(f"first {tag}{i}\tsecond {tag}{i}\t{score(i)}\n" for i in range(n)),
        encoding="utf-8",
    )
    return path


def folder(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


# ---- 1. non-regular and unreadable files -----------------------------------------------------
FIFO_MESSAGE = ": is a named pipe (FIFO), not a regular file"


def test_fifo_as_a_split_file_in_a_folder_is_refused_by_name(tmp_path):
    data = folder(tmp_path / "ds")
    pairs_file(data / "dev.tsv")
    os.mkfifo(data / "train.tsv")
    for what in ("pairs", "texts"):
        outcome = in_child(what, data)
        assert "error" in outcome, outcome
        assert outcome["error"].startswith(f"{data / 'train.tsv'}{FIFO_MESSAGE}")


def test_fifo_given_directly_is_one_line_not_a_traceback(tmp_path):
    fifo = tmp_path / "pairs.tsv"
    os.mkfifo(fifo)
    for what in ("pairs", "texts"):
        message = in_child(what, fifo)["error"]
        assert message.startswith(f"{fifo}{FIFO_MESSAGE}") and "\n" not in message


def test_fifo_under_the_data_root_is_refused_not_skipped_for_the_hub(tmp_path):
    """A registry set (downstream stsb, upstream corpus sst2) whose train.tsv is a FIFO."""
    for name, what in (("stsb", "pairs"), ("sst2", "texts"), ("nli", "pairs")):
        fifo = folder(tmp_path / name) / "train.tsv"
        os.mkfifo(fifo)
        assert in_child(what, name, root=tmp_path)["error"].startswith(f"{fifo}{FIFO_MESSAGE}")


def test_link_to_a_fifo_is_refused_under_the_link_name(tmp_path):
    data = folder(tmp_path / "ds")
    os.mkfifo(tmp_path / "pipe")
    (data / "train.tsv").symlink_to(tmp_path / "pipe")
    pairs_file(data / "dev.tsv")
    assert in_child("pairs", data)["error"].startswith(f"{data / 'train.tsv'}{FIFO_MESSAGE}")


def test_opening_a_fifo_never_blocks_even_past_the_stat_check(tmp_path):
    """open_binary re-checks what it opened (a file can be swapped for a FIFO meanwhile)."""
    fifo = tmp_path / "late.tsv"
    os.mkfifo(fifo)
    assert in_child("open", fifo)["error"].startswith(f"{fifo}{FIFO_MESSAGE}")


def test_socket_and_device_are_refused_by_kind(tmp_path):
    data = folder(tmp_path / "ds")
    pairs_file(data / "dev.tsv")
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(data / "train.tsv"))
    except OSError:
        pytest.skip("the temporary path is too long for a Unix socket")
    try:
        message = in_child("pairs", data)["error"]
    finally:
        server.close()
    assert message.startswith(f"{data / 'train.tsv'}: is a socket, not a regular file")
    with pytest.raises(DataError, match=r"^/dev/null: is a character device, not a regular"):
        load_pairs("/dev/null")
    with pytest.raises(DataError, match=r"^/dev/null: is a character device"):
        load_texts("/dev/null")


@pytest.fixture
def unprivileged(tmp_path) -> tuple[str, ...]:
    """A command prefix under which permission bits apply. chmod does not bite root: as root,
    the child drops the capabilities that bypass them (setpriv), else the test is skipped."""
    if os.geteuid() != 0:
        return ()
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root (chmod 000 does not bite) and no setpriv")
    prefix = (setpriv, "--bounding-set=-dac_override,-dac_read_search")
    probe = tmp_path / "probe"
    probe.write_text("x")
    probe.chmod(0)
    if (
        subprocess.run([*prefix, "cat", str(probe)], capture_output=True, check=False).returncode
        == 0
    ):
        pytest.skip("running as root and permission bits cannot be made to apply")
    return prefix


def test_unreadable_files_and_folders_give_one_line(tmp_path, unprivileged):
    locked_file = pairs_file(tmp_path / "locked.tsv")
    data = folder(tmp_path / "ds")
    locked_split = pairs_file(data / "train.tsv")
    pairs_file(data / "dev.tsv")
    locked_folder = folder(tmp_path / "closed")
    pairs_file(locked_folder / "train.tsv")
    corpus = tmp_path / "corpus.tsv"
    corpus.write_text("sentence\tlabel\n" + "".join(f"text {i}\t{i % 2}\n" for i in range(30)))
    for path in (locked_file, locked_split, locked_folder, corpus):
        path.chmod(0)
    try:
        cases = [
            ("pairs", locked_file, locked_file),
            ("texts", locked_file, locked_file),
            ("pairs", data, locked_split),
            ("texts", data, locked_split),
            ("pairs", locked_folder, locked_folder),
            ("texts", locked_folder, locked_folder),
            ("texts", corpus, corpus),
        ]
        for what, source, named in cases:
            outcome = in_child(what, source, prefix=unprivileged)
            assert outcome == {"error": f"{named}: permission denied (cannot read it)"}, (
                what,
                source,
            )
    finally:
        for path in (locked_file, locked_split, locked_folder, corpus):
            path.chmod(0o755)


def test_locked_data_root_folder_is_refused_not_sent_to_the_hub(tmp_path, unprivileged):
    root = folder(tmp_path / "root")
    stsb = folder(root / "stsb")
    pairs_file(stsb / "train.tsv")
    stsb.chmod(0)
    try:
        message = in_child("pairs", "stsb", root=root, prefix=unprivileged)["error"]
    finally:
        stsb.chmod(0o755)
    assert message.startswith(str(stsb)) and "permission denied" in message


def test_cli_refuses_a_fifo_with_one_line_exit_2_and_records_nothing(tmp_path):
    fifo = tmp_path / "pairs.tsv"
    os.mkfifo(fifo)
    db = tmp_path / "runs.sqlite"
    try:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "transfer_explorer.cli",
                "run",
                "--downstream",
                str(fifo),
                "--db",
                str(db),
                "--quiet",
                "--threads",
                "1",
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("the CLI blocked on a FIFO")
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert done.returncode == 2 and len(lines) == 1, done.stderr
    assert f"{fifo}{FIFO_MESSAGE}" in lines[0]
    if db.exists():
        import sqlite3

        with sqlite3.connect(db) as conn:
            assert conn.execute("SELECT count(*) FROM runs").fetchone()[0] == 0


# ---- 2. which file is which split ------------------------------------------------------------
def test_exact_split_name_wins_over_a_longer_one(tmp_path):
    data = folder(tmp_path / "ds")
    pairs_file(data / "train.tsv", 40, tag="new")
    pairs_file(data / "train-old.tsv", 12, tag="old")
    pairs_file(data / "dev.tsv", 10, tag="dev")
    loaded = load_pairs(str(data))
    assert len(loaded.splits["train"]) == 40
    assert not any("old" in s for s in loaded.splits["train"].sentence1)
    assert f"train: {data / 'train.tsv'} (40 pairs)" in loaded.notes
    assert f"dev: {data / 'dev.tsv'} (10 pairs)" in loaded.notes
    assert "train: not used (not an exact split name): train-old.tsv" in loaded.notes


def test_broken_backup_beside_a_good_split_is_not_read(tmp_path):
    data = folder(tmp_path / "ds")
    pairs_file(data / "train.tsv", 40)
    (data / "train-backup.csv").write_bytes(b"\x00\x01 not a table at all")
    pairs_file(data / "test.tsv", 10)
    loaded = load_pairs(str(data))
    assert len(loaded.splits["test"]) == 10
    assert f"train: {data / 'train.tsv'} (40 pairs)" in loaded.notes


@pytest.mark.parametrize(
    "names, split",
    [
        (("train-a.tsv", "train_b.csv"), "train"),  # no exact name, two candidates
        (("train.2019.jsonl", "train-2020.tsv"), "train"),
        (("dev-matched.tsv", "dev-mismatched.tsv"), "dev"),
        (("dev.tsv", "validation.tsv"), "dev"),  # two exact names for one split
        (("train.tsv", "train.csv"), "train"),
    ],
)
def test_several_candidates_for_a_split_are_refused_and_listed(tmp_path, names, split):
    data = folder(tmp_path / "ds")
    for name in names:
        pairs_file(data / name) if not name.endswith(".jsonl") else (data / name).write_text(
            json.dumps({"sentence1": "a", "sentence2": "b", "score": 1}) + "\n"
        )
    if split != "train":
        pairs_file(data / "train.tsv")
    for load in (load_pairs, load_texts):
        with pytest.raises(DataError) as info:
            load(str(data))
        message = str(info.value)
        assert message.startswith(f"{data}: ") and f"the {split} split" in message
        assert all(name in message for name in names)


def test_one_loosely_named_file_is_used_and_named_in_the_notes(tmp_path):
    data = folder(tmp_path / "ds")
    pairs_file(data / "train_2019.tsv", 1200)
    pairs_file(data / "validation.tsv", 30)
    loaded = load_pairs(str(data))
    assert len(loaded.splits["train"]) == 1200 and len(loaded.splits["dev"]) == 30
    assert f"train: {data / 'train_2019.tsv'} (1,200 pairs)" in loaded.notes
    assert f"dev: {data / 'validation.tsv'} (30 pairs)" in loaded.notes


def test_hidden_files_are_never_a_split(tmp_path):
    data = folder(tmp_path / "ds")
    pairs_file(data / "pairs.tsv", 40)
    (data / "._pairs.tsv").write_bytes(b"\x00\x05\x16\x07 AppleDouble")
    loaded = load_pairs(str(data))
    assert f"all splits: {data / 'pairs.tsv'} (40 pairs)" in loaded.notes


def test_data_root_notes_say_which_file_each_split_came_from(tmp_path):
    stsb = folder(tmp_path / "stsb")
    pairs_file(stsb / "train.tsv", 50)
    pairs_file(stsb / "dev.tsv", 20, tag="dev")
    pairs_file(stsb / "validation.tsv", 7, tag="val")
    pairs_file(stsb / "test.tsv", 10)
    loaded = load_pairs("stsb", root=str(tmp_path))
    assert {k: len(v) for k, v in loaded.splits.items()} == {"train": 50, "dev": 20, "test": 10}
    assert loaded.notes[:1] == ["dev: not used (dev.tsv is preferred): validation.tsv"]
    assert [n for n in loaded.notes[1:] if n.startswith(("train:", "dev:", "test:"))] == [
        f"train: {stsb / 'train.tsv'} (50 pairs)",
        f"dev: {stsb / 'dev.tsv'} (20 pairs)",
        f"test: {stsb / 'test.tsv'} (10 pairs)",
    ]


def test_upstream_corpus_folder_takes_the_exact_name_too(tmp_path):
    corpus = folder(tmp_path / "corpus")
    (corpus / "train.tsv").write_text(
        "sentence\tlabel\n" + "".join(f"good {i}\t{i % 2}\n" for i in range(60))
    )
    (corpus / "train-old.tsv").write_text("sentence\tlabel\nold one\tmaybe\n")
    texts = load_texts(str(corpus))
    assert texts.labelled and len(texts.splits["train"]) + len(texts.splits["dev"]) == 60
    assert f"train: {corpus / 'train.tsv'} (60 sentences)" in texts.notes
    assert "train: not used (not an exact split name): train-old.tsv" in texts.notes


# ---- 3. numbers: plain ASCII decimals only ----------------------------------------------------
LOOSE_NUMBERS = [
    "4_5",
    "1_000.5",
    "\u0663",
    "\u0663.\u0665",
    "\uff13",
    "\uff14.\uff15",
    "\u00b2",
    "\u00bd",
    "\u0967",
    "nan",
    "NaN",
    "-nan",
    "inf",
    "-inf",
    "Infinity",
    "1e400",
    "-1e400",
    "0x10",
    "1e",
    ".",
    "+-1",
    "--1",
    "1,5",
    "1 5",
    "e3",
]


@pytest.mark.parametrize("value", LOOSE_NUMBERS)
def test_scores_float_would_accept_are_bad_scores_with_file_and_line(tmp_path, value):
    path = tmp_path / "scores.tsv"
    rows = [f"a{i}\tb{i}\t{i % 5}" for i in range(5)] + [f"x\ty\t{value}"] + ["c\td\t1"] * 5
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        load_pairs(str(path), score_range=(0, 5))
    assert str(info.value).startswith(f"{path}, line 7: score {value!r} is ")
    with pytest.raises(DataError, match="line 7: score"):  # the same without a declared range
        load_pairs(str(path))


def test_space_padded_nan_is_a_bad_score(tmp_path):
    path = tmp_path / "scores.csv"
    path.write_text("sentence1,sentence2,score\n" + "a,b,1\n" * 4 + "x,y, nan\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"scores.csv, line 6: score 'nan' is not a number"):
        load_pairs(str(path))


def test_overflowing_score_says_it_is_too_large(tmp_path):
    path = pairs_file(tmp_path / "big.tsv", 5)
    path.write_text(path.read_text() + "x\ty\t1e400\n")
    with pytest.raises(DataError, match=r"line 7: score '1e400' is too large \(not a finite"):
        load_pairs(str(path))


@pytest.mark.parametrize(
    "raw, shown",
    [
        ("1e400", "1e400"),
        ("NaN", "NaN"),
        ("-Infinity", "-Infinity"),
        ('"4_5"', "4_5"),
        ("1" + "0" * 5000, "1" + "0" * 38 + "…"),
    ],
)
def test_json_numbers_are_checked_as_written(tmp_path, raw, shown):
    """json.loads would give inf/nan, or raise ValueError on a 5,000-digit int."""
    path = tmp_path / "pairs.jsonl"
    good = [json.dumps({"sentence1": f"a{i}", "sentence2": "b", "score": i % 5}) for i in range(5)]
    path.write_text("\n".join(good) + f'\n{{"sentence1": "x", "sentence2": "y", "score": {raw}}}\n')
    with pytest.raises(DataError) as info:
        load_pairs(str(path))
    assert str(info.value).startswith(f"{path}, line 6: score {shown!r} is ")


@pytest.mark.parametrize(
    "text, value",
    [
        ("3", 3.0),
        ("+3", 3.0),
        ("-0", 0.0),
        ("3.", 3.0),
        (".5", 0.5),
        ("2.5E-1", 0.25),
        ("1e0", 1.0),
        ("0004.50", 4.5),
        ("-1.5e+2", -150.0),
    ],
)
def test_plain_decimals_are_read(tmp_path, text, value):
    assert parse_number(text) == value
    path = tmp_path / "ok.tsv"
    path.write_text(HEADER + "".join(f"a{i}\tb{i}\t1\n" for i in range(9)) + f"x\ty\t{text}\n")
    loaded = load_pairs(str(path), score_range=(-200, 5))
    scores = {
        a: float(t)
        for split in loaded.splits.values()
        for a, t in zip(split.sentence1, split.targets)
    }
    assert scores["x"] == pytest.approx(value)


@pytest.mark.parametrize("value", ["1_0", "\u0661", "\uff11", "nan", "1e400", "inf"])
def test_loose_numeric_label_among_numbers_is_mixed_label_types(tmp_path, value):
    pairs = tmp_path / "labels.tsv"
    pairs.write_text(
        "sentence1\tsentence2\tlabel\n"
        + "".join(f"a{i}\tb{i}\t{i % 2}\n" for i in range(8))
        + f"x\ty\t{value}\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as info:
        load_pairs(str(pairs))
    assert str(info.value) == (
        f"{pairs}, line 10: label {value!r} is not a number, but other "
        "rows are numbers (mixed label types)"
    )
    texts = tmp_path / "sentiment.tsv"
    texts.write_text(
        "sentence\tlabel\n" + "".join(f"s{i}\t{i % 2}\n" for i in range(8)) + f"z\t{value}\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as info:
        load_texts(str(texts))
    assert str(info.value) == (
        f"{texts}, line 10: label {value!r} is not a number, but other "
        "rows are numbers (mixed label types)"
    )


def test_labels_in_other_digits_are_names_not_numbers(tmp_path):
    path = tmp_path / "labels.tsv"
    path.write_text(
        "sentence1\tsentence2\tlabel\n"
        + "".join(f"a{i}\tb{i}\t{chr(0x0660 + i % 2)}\n" for i in range(20)),
        encoding="utf-8",
    )
    loaded = load_pairs(str(path))
    assert loaded.task == "classification" and loaded.label_names == ("\u0660", "\u0661")


@pytest.mark.parametrize("value", ["1000", "1e9", "123456789012345678901234567890"])
def test_numeric_label_too_large_for_a_class_is_refused(tmp_path, value):
    pairs = tmp_path / "labels.tsv"
    pairs.write_text(
        "sentence1\tsentence2\tlabel\n"
        + "".join(f"a{i}\tb{i}\t{i % 2}\n" for i in range(8))
        + f"x\ty\t{value}\n"
    )
    with pytest.raises(DataError, match=r"labels.tsv, line 10: label .* is too large for a class"):
        load_pairs(str(pairs))
    texts = tmp_path / "sentiment.tsv"
    texts.write_text(
        "sentence\tlabel\n" + "".join(f"s{i}\t{i % 2}\n" for i in range(8)) + f"z\t{value}\n"
    )
    with pytest.raises(DataError, match=r"sentiment.tsv, line 10: label .* is too large"):
        load_texts(str(texts))


# ---- 4. automatic splits are capped ---------------------------------------------------------
def test_large_single_file_gets_capped_dev_and_test(tmp_path):
    assert loaders.AUTO_SPLIT_CAP == 2_000
    path = pairs_file(tmp_path / "big.tsv", 22_000)
    loaded = load_pairs(str(path))
    assert {k: len(v) for k, v in loaded.splits.items()} == {
        "train": 18_000,
        "dev": 2_000,
        "test": 2_000,
    }
    assert f"all splits: {path} (22,000 pairs)" in loaded.notes
    assert "dev: 2,000 pairs split off at random (10% capped at 2,000)" in loaded.notes
    assert "test: 2,000 pairs split off at random (10% capped at 2,000)" in loaded.notes
    everything = [s for split in loaded.splits.values() for s in split.sentence1]
    assert len(set(everything)) == 22_000  # no pair lost or shared between splits


def test_small_single_file_keeps_ten_percent_splits(tmp_path):
    loaded = load_pairs(str(pairs_file(tmp_path / "small.tsv", 50)))
    assert {k: len(v) for k, v in loaded.splits.items()} == {"train": 40, "dev": 5, "test": 5}
    assert "dev: 5 pairs split off at random (10%)" in loaded.notes
    again = load_pairs(str(tmp_path / "small.tsv"))
    assert again.splits["dev"].sentence1 == loaded.splits["dev"].sentence1  # fixed seed


def test_dev_taken_from_train_uses_the_named_cap(tmp_path, monkeypatch):
    monkeypatch.setattr(loaders, "AUTO_SPLIT_CAP", 7)
    data = folder(tmp_path / "ds")
    pairs_file(data / "train.tsv", 200)
    pairs_file(data / "test.tsv", 10)
    loaded = load_pairs(str(data))
    assert {k: len(v) for k, v in loaded.splits.items()} == {"train": 193, "dev": 7, "test": 10}
    assert any(
        n.startswith("dev: 7 pairs split off at random from train (10% capped at 7)")
        for n in loaded.notes
    )


def test_upstream_corpus_dev_split_is_capped_too(tmp_path, monkeypatch):
    monkeypatch.setattr(loaders, "AUTO_SPLIT_CAP", 20)
    path = tmp_path / "corpus.tsv"
    path.write_text("sentence\tlabel\n" + "".join(f"text {i}\t{i % 2}\n" for i in range(1000)))
    texts = load_texts(str(path))
    assert len(texts.splits["dev"]) == 20 and len(texts.splits["train"]) == 980
    assert np.isin(texts.splits["dev"].labels, [0, 1]).all()
    assert any(
        n.startswith("dev: 20 sentences split off at random (5% capped at 20)") for n in texts.notes
    )
