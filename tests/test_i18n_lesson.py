"""The lesson in Korean: the verdict paragraph, what pre-training is worth in labelled pairs,
the sweep's time estimate, the explanation box and the tasks' words — with the same numbers
as the English, which stays as it was by default."""

from __future__ import annotations

import re

import pytest

from tests.test_lesson import ARMS, CONTROL, MEASURED, rows
from transfer_explorer.engine import i18n
from transfer_explorer.engine.errors import ConfigError
from transfer_explorer.engine.labels import (
    METHOD_EXPLANATIONS,
    METHOD_LABELS,
    explain,
    method_label,
)
from transfer_explorer.engine.sweep.effective_data import effective_pairs
from transfer_explorer.engine.sweep.estimate import format_duration
from transfer_explorer.engine.sweep.report import summarize, to_csv, to_markdown, verdict_word
from transfer_explorer.engine.sweep.story import story
from transfer_explorer.engine.upstream.registry import get_task, tasks

HANGUL = re.compile("[가-힣]")
NUMBER = re.compile(r"[+-]?\d[\d,]*(?:\.\d+)?")


@pytest.fixture
def korean():
    i18n.set_language("ko")
    yield
    i18n.set_language("en")


def matrix(scores=MEASURED):
    return summarize(rows(scores), ARMS, "none/scratch")


def test_the_verdict_paragraph_reads_in_korean_with_the_same_numbers():
    english = story(matrix())
    i18n.set_language("ko")
    try:
        korean_text = story(matrix())
    finally:
        i18n.set_language("en")
    assert HANGUL.search(korean_text)
    assert not re.search(r"\b(helps|hurts|within noise|ahead of|Most worth)\b", korean_text)
    # every figure the English gives, the Korean gives too (and no other)
    assert sorted(NUMBER.findall(korean_text)) == sorted(NUMBER.findall(english))
    assert (
        "nli/finetune (관련 태스크) 실험군은 모든 데이터 크기(+4.0~+20.3점)에서 도움이 됩니다."
        in (korean_text)
    )
    assert "sentiment/finetune (무관한 태스크) 실험군은 1% (-6.0), 10% (-6.0)에서는 해가 되고" in (
        korean_text
    )
    assert "관련 태스크 대 무관한 태스크: nli/finetune 실험군이" in korean_text
    # back in English, word for word as before
    assert story(matrix()) == english


def test_a_different_verdict_changes_the_korean_sentence(korean):
    before = story(matrix())
    flipped = {
        **MEASURED,
        "sentiment/finetune": {0.01: [20, 22, 21], 0.1: [50, 51, 52], 1.0: [74, 75, 76]},
    }
    text = story(matrix(flipped))
    assert text != before
    sentence = next(s for s in text.split(". ") if s.startswith("sentiment/finetune"))
    assert sentence.endswith("도움이 됩니다") and "해가 되" not in sentence


def test_what_pre_training_is_worth_in_korean(korean):
    assert effective_pairs(CONTROL, 57, 45.0).text() == "575쌍 (×10)"
    assert effective_pairs(CONTROL, 57, 80.0).text() == "전체 5,749쌍 초과 (×101+)"
    assert effective_pairs(CONTROL, 57, 10.0).text() == "–"
    text = story(matrix())
    assert "가장 큰 가치: hf/finetune 실험군은 레이블된 쌍 57개로 81.0점을 얻습니다." in text
    assert "5,749개를 모두 쓰고도" in text and "(×101 이상)" in text
    # the arm that needs fewer pairs than the control said with the control's pairs
    only_nli = {arm: MEASURED[arm] for arm in ("none/scratch", "nli/finetune")}
    worth = story(matrix(only_nli))
    assert re.search(r"레이블된 쌍 [\d,]+개가 필요하므로, 그만큼의 가치가 있는 셈입니다", worth)


def test_the_matrix_table_reads_in_korean_and_its_csv_does_not_change(korean):
    table = to_markdown(matrix())
    assert "| 업스트림 / 전이 방식 | 학습 세트의 1% |" in table
    assert "**도움이 됨**" in table and "가치 273쌍 (×4.8) [243 … 307]" in table
    assert verdict_word("within noise") == "잡음 범위 안"
    cell = matrix().cell("nli/finetune", 0.01, "transformer", "stsb")
    assert cell.verdict.explain("none/scratch").startswith(
        "도움이 됨: 검증(dev)에서 none/scratch 대비 +20.3점, 시드별 대응 t-검정, n = 3"
    )
    csv = to_csv(matrix())  # for programs: headers and verdicts as stored
    assert not HANGUL.search(csv) and ",helps," in csv


def test_the_sweeps_time_estimate_in_korean(korean):
    assert [format_duration(s) for s in (3, 42, 700, 3900)] == [
        "몇 초",
        "약 40초",
        "약 12분",
        "약 1시간 05분",
    ]


def test_the_explanation_box_and_the_tasks_words_in_korean(korean):
    text = explain("nli", "finetune", "korsts")
    assert text.startswith("인코더는 먼저 한 문장이 다른 문장에서 따라 나오는지")
    assert "미세 조정: " in text and "korsts에서 0~5점의 유사도 점수를 예측합니다" in text
    assert "패러프레이즈" in explain("none", "scratch", "paws", regression=False)
    assert METHOD_LABELS["scratch"] == method_label("scratch") == "처음부터 학습 (대조군)"
    assert METHOD_LABELS.get("finetune") == "미세 조정"
    assert method_label("unknown") == "unknown"
    for text in [*METHOD_LABELS.values(), *METHOD_EXPLANATIONS.values()]:
        assert HANGUL.search(text), text
    for task in tasks():
        assert HANGUL.search(task.explanation), task.name
        if task.name != "word2vec":  # a name, the same in every language
            assert HANGUL.search(task.label), task.name
        for method in task.methods:
            note = task.method_note(method)
            assert not note or HANGUL.search(note), (task.name, method)
    assert get_task("mlm").label == "마스크 언어 모델 (masked-LM, BERT 방식)"
    assert get_task("nli").family_label == "관련 태스크"
    assert get_task("nli").family == "a related task"  # the key the lesson compares stays


def test_an_upstream_error_reads_in_korean(korean):
    with pytest.raises(ConfigError, match="알 수 없는 업스트림 태스크 'gpt7'입니다"):
        get_task("gpt7")


def test_english_by_default():
    assert i18n.language() == "en"
    assert METHOD_LABELS["feature"] == "feature-based (frozen)"
    assert get_task("sentiment").label == "sentiment analysis"
    assert format_duration(700) == "about 12 min"
    assert effective_pairs(CONTROL, 57, 45.0).text() == "575 pairs (×10)"
    assert explain("none", "scratch", "stsb").endswith(
        "The model reads each sentence separately and predicts a score from 0 to 5 "
        "(Pearson/Spearman) on stsb."
    )
    assert "nli/finetune (a related task) helps at every size (+4.0 to +20.3 points)." in story(
        matrix()
    )
