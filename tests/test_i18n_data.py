"""The data loaders, settings and file checks in Korean: real bad input gives a Korean
message that still names the file, line, column or setting; English is unchanged."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from transfer_explorer.engine import i18n
from transfer_explorer.engine.config import ExperimentConfig, read_toml
from transfer_explorer.engine.data.loaders import load_pairs, load_texts
from transfer_explorer.engine.disk.outputs import check_output
from transfer_explorer.engine.errors import ConfigError, DataError, UserError
from transfer_explorer.engine.text import Cuts

HANGUL = re.compile("[\uac00-\ud7a3]")


@pytest.fixture
def korean():
    i18n.set_language("ko")
    yield
    i18n.set_language("en")


def _message(call) -> str:
    with pytest.raises(UserError) as caught:
        call()
    return str(caught.value)


def test_an_empty_file_reads_in_korean_and_names_the_file(tmp_path, korean):
    empty = tmp_path / "empty.tsv"
    empty.write_text("")
    with pytest.raises(DataError) as caught:
        load_pairs(str(empty))
    assert str(caught.value) == f"{empty}: 빈 파일입니다"


def test_a_row_with_too_many_fields_names_the_line_in_korean(tmp_path, korean):
    path = tmp_path / "pairs.tsv"
    path.write_text("sentence1\tsentence2\tscore\na\tb\t1\nc\td\t2\textra\n", encoding="utf-8")
    message = _message(lambda: load_pairs(str(path)))
    assert message == f"{path}, 3행: 필드가 4개인데 헤더에는 3개가 있습니다"


def test_a_missing_mapped_column_keeps_its_name_and_offers_the_near_one(tmp_path, korean):
    path = tmp_path / "pairs.tsv"
    path.write_text("sentence1\tsentence2\tscore\na\tb\t1\n", encoding="utf-8")
    message = _message(lambda: load_pairs(str(path), columns={"score": "Score"}))
    assert HANGUL.search(message) and "is not in the file" not in message
    assert str(path) in message and "'Score'" in message and "'score'" in message


def test_no_text_column_lists_the_columns_in_korean(tmp_path, korean):
    path = tmp_path / "corpus.tsv"
    path.write_text("alpha\tbeta\n1\t2\n", encoding="utf-8")
    message = _message(lambda: load_texts(str(path)))
    assert message.startswith(f"{path}: 텍스트 열이 없습니다")
    assert "alpha, beta" in message and "sentence=COL" in message


def test_a_bad_score_reads_in_korean_with_its_value(tmp_path, korean):
    path = tmp_path / "pairs.tsv"
    path.write_text("sentence1\tsentence2\tscore\na\tb\t1\nc\td\tnan\n", encoding="utf-8")
    message = _message(lambda: load_pairs(str(path)))
    assert message.startswith(f"{path}, 3행: 점수 'nan'") and "숫자가 아닙니다" in message


def test_settings_errors_in_korean_keep_flags_and_values(tmp_path, korean):
    message = _message(
        lambda: ExperimentConfig.from_dict({"training": {"batch_size": 0}}).validate()
    )
    assert message == "배치 크기: 1 이상의 정수여야 합니다 (받은 값: 0)"
    message = _message(lambda: ExperimentConfig(method="zero-shot").validate())
    assert message.startswith("zero-shot에는 사전 학습된 가중치가 필요합니다: ")
    assert "--upstream hf 또는 " in message or " 또는 --upstream hf" in message
    bad = tmp_path / "bad.toml"
    bad.write_text("epochs = [", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        read_toml(bad)
    assert str(caught.value).startswith(f"{bad}: 올바른 TOML이 아닙니다 (")


def test_an_output_over_a_folder_is_refused_in_korean(tmp_path, korean):
    message = _message(lambda: check_output(tmp_path, "csv", "--csv"))
    assert message == f"--csv {tmp_path}: 폴더입니다. 파일 이름을 지정하십시오"


def test_english_is_unchanged_by_default(tmp_path):
    empty = tmp_path / "empty.tsv"
    empty.write_text("")
    assert _message(lambda: load_pairs(str(empty))) == f"{empty}: the file is empty"
    assert (
        _message(lambda: ExperimentConfig.from_dict({"training": {"batch_size": 0}}).validate())
        == "batch size must be an integer >= 1, got 0"
    )
    assert Cuts(words=1, sentences=2).describe("before encoding") == (
        "2 sentences longer than 131,072 characters were cut to 131,072 and "
        "1 word longer than 1,000 characters was cut to 1,000 before encoding"
    )


def test_switching_back_to_english_restores_english(tmp_path):
    empty = tmp_path / "empty.tsv"
    empty.write_text("")
    i18n.set_language("ko")
    try:
        assert HANGUL.search(_message(lambda: load_pairs(str(empty))))
    finally:
        i18n.set_language("en")
    assert _message(lambda: load_pairs(str(empty))) == f"{empty}: the file is empty"


def test_the_command_line_reports_a_bad_data_file_in_korean(tmp_path):
    empty = tmp_path / "empty.tsv"
    empty.write_text("")
    env = {
        **os.environ,
        "LANG": "ko_KR.UTF-8",
        "TRANSFER_EXPLORER_HOME": str(tmp_path / "home"),
        "TRANSFER_EXPLORER_SETTINGS": str(tmp_path / "settings.ini"),
    }
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        env.pop(var, None)
    done = subprocess.run(
        [sys.executable, "-m", "transfer_explorer", "run", "--downstream", str(empty)]
        + ["--epochs", "1", "--db", str(tmp_path / "runs.sqlite")],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert done.stderr.splitlines()[-1] == f"오류: {empty}: 빈 파일입니다"
