"""The lesson's steps. Each is a subset of the arms of one lesson preset (lesson-demo,
lesson-stsb, lesson-korsts) with the preset's settings, shares and seeds — so a cell has
the same settings in every step it appears in, and a step finds the cells an earlier step
(or the Matrix tab's preset) trained: the control is trained once for the whole tour."""

from __future__ import annotations

from dataclasses import dataclass

from transfer_explorer.engine.errors import ConfigError
from transfer_explorer.engine.i18n import N_, _
from transfer_explorer.engine.sweep.grid import Sweep

# data name → the preset whose settings the lesson uses on it
LESSON_DATA = {"demo": "lesson-demo", "stsb": "lesson-stsb", "korsts": "lesson-korsts"}
CONTROL = "none/scratch"
# Seconds each step took on a 2-core CPU, from an empty store with the steps in order (a
# step reuses the runs of the steps before it), 3 seeds — said before a step runs.
# Measured 2026-12-04: the demo with 1 worker, STS-B with 2 (`transfer-explorer lesson
# --data stsb --workers 2`, beside other work: an idle machine is faster). KorSTS: not yet.
STEP_SECONDS: dict[str, dict[str, float]] = {
    "demo": {},
    "stsb": {
        "from-nothing": 181,
        "another-task": 303,
        "feature-or-finetune": 434,
        "language-models": 531,
        "related-task": 234,
        "large-model": 1198,
        "summary": 0,
    },
    "korsts": {},
}


# Worker processes a step uses: the demo's cells are too small to share out; a real
# dataset's run two at a time on two or more cores (cpu_count ÷ workers threads each).
def step_workers(data: str) -> int:
    import os

    return 1 if data == "demo" else max(1, min(2, os.cpu_count() or 1))


@dataclass(frozen=True)
class Step:
    key: str
    title: str  # N_(): translated where shown
    question: str  # N_()
    arms: tuple[str, ...]  # the control first; () for every arm of the tour
    versus: tuple[str, str] | None = None  # the step's own comparison, first against second
    layers: bool = False  # show what the transfer keeps, drops and adds

    @property
    def number(self) -> int:
        return STEPS.index(self) + 1


STEPS: tuple[Step, ...] = (
    Step(
        "from-nothing",
        N_("Starting from nothing"),
        N_(
            "A model that starts from random (Xavier) weights must learn everything from the "
            "labelled pairs. How much labelled data does it need? It is trained from scratch "
            "on a small share of the pairs and on all of them."
        ),
        (CONTROL,),
    ),
    Step(
        "another-task",
        N_("Another task's weights"),
        N_(
            "Start instead from the weights of a sentiment classifier: keep its encoder, drop "
            "its output layer (positive / negative) and add a new head that scores "
            "similarity. Does a model trained on another task start ahead?"
        ),
        (CONTROL, "sentiment/finetune"),
        layers=True,
    ),
    Step(
        "feature-or-finetune",
        N_("Frozen features or fine-tuning"),
        N_(
            "Word vectors learned from unlabelled text (word2vec) transfer in two ways: "
            "frozen, as fixed features under layers that train, or as the start of an "
            "encoder that trains further (fine-tuning). Which transfers better? A frozen "
            "random encoder is shown too: freezing alone can help when labels are few."
        ),
        (CONTROL, "none/feature", "word2vec/feature", "word2vec/finetune"),
        versus=("word2vec/finetune", "word2vec/feature"),
    ),
    Step(
        "language-models",
        N_("Language models need no labels"),
        N_(
            "A language model learns from text alone. BERT-style: fill in masked words, "
            "reading both ways. GPT-style: predict the next word, reading left to right. "
            "Trained on the same unlabelled text, which prepares an encoder better for "
            "similarity?"
        ),
        (CONTROL, "mlm/finetune", "causal-lm/finetune"),
        versus=("mlm/finetune", "causal-lm/finetune"),
    ),
    Step(
        "related-task",
        N_("A related task or an unrelated one"),
        N_(
            "Both are supervised tasks on other labelled data. Inference (does one sentence "
            "follow from another?) is about pairs of sentences, like similarity; sentiment "
            "is about one sentence's tone. Does the related task transfer better?"
        ),
        (CONTROL, "nli/finetune", "sentiment/finetune"),
        versus=("nli/finetune", "sentiment/finetune"),
    ),
    Step(
        "large-model",
        N_("A large pre-trained model"),
        N_(
            "all-MiniLM-L6-v2 was pre-trained at scale (22 million weights, a billion "
            "sentence pairs). Zero-shot, it scores pairs with no training at all: the "
            "cosine of its two sentence vectors. Fine-tuned, it also learns from our "
            "pairs. What is that scale worth in labelled pairs?"
        ),
        (CONTROL, "hf/zero-shot", "hf/finetune"),
        versus=("hf/finetune", "hf/zero-shot"),
    ),
    Step(
        "summary",
        N_("Everything together"),
        N_(
            "Every arm of the tour against the number of labelled pairs: where pre-training "
            "helps, what it is worth in labelled pairs, and which kind helps most."
        ),
        (),
    ),
)


def get_step(key: str | int) -> Step:
    """A step by its key ("from-nothing") or number (1 … 7)."""
    for number, step in enumerate(STEPS, 1):
        if key in (step.key, number, str(number)):
            return step
    raise ConfigError(
        _("unknown lesson step {step!r}; choose 1–{last} or one of: {keys}").format(
            step=key, last=len(STEPS), keys=", ".join(s.key for s in STEPS)
        )
    )


def tour_arms() -> list[str]:
    """Every arm of the tour, in the order the steps bring them in."""
    return list(dict.fromkeys(arm for step in STEPS for arm in step.arms))


def step_sweep(step: Step, data: str = "demo", seeds: list[int] | None = None) -> Sweep:
    """The sweep of ``step`` on ``data`` (a key of LESSON_DATA): the step's arms with the
    lesson preset's settings. ``seeds`` replaces the preset's (e.g. five for a report)."""
    if data not in LESSON_DATA:
        raise ConfigError(
            _("the lesson runs on {choices}, not {data!r}").format(
                choices=", ".join(LESSON_DATA), data=data
            )
        )
    preset = Sweep.preset(LESSON_DATA[data])
    arms = list(step.arms) or tour_arms()
    return Sweep(
        # stored as written, in English (like a preset's name); shown in the reader's language
        # by the Lesson page
        name=f"Lesson {step.number}/{len(STEPS)}: {step.title} ({data})",
        arms=arms,
        encoders=list(preset.encoders),
        downstreams=list(preset.downstreams),
        fractions=list(preset.fractions),
        seeds=list(seeds) if seeds is not None else list(preset.seeds),
        base=preset.base,
        overrides={arm: preset.overrides[arm] for arm in arms if arm in preset.overrides},
    )
