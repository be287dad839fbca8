"""Write the bundled demo data (resources/demo/*.tsv). Run once; the output is committed.

The demo is synthetic on purpose: small enough to learn in seconds on a CPU, with a
known structure. Sentences are built from a subject, an action with its object and a
place, each with synonyms. A pair's gold score (0–5) is the weighted share of meaning the
two sentences have in common, plus a little noise; sentiment sentences reuse the same
vocabulary with positive or negative judgements (and some negations); inference pairs
(entailment / neutral / contradiction) describe one scene and a claim about it.
"""

from __future__ import annotations

import random
from pathlib import Path

SUBJECTS = [
    ("a man", "a guy"),
    ("a woman", "a lady"),
    ("a child", "a kid"),
    ("a dog", "a puppy"),
    ("a cat", "a kitten"),
    ("the chef", "the cook"),
    ("a student", "a pupil"),
    ("an old man", "an elderly man"),
    ("a girl", "a young girl"),
    ("a boy", "a young boy"),
]
PEOPLE = {0, 1, 2, 5, 6, 7, 8, 9}
ACTIONS = [
    (
        ("is eating", "is having"),
        [
            ("an apple",),
            ("a sandwich",),
            ("some pasta", "some noodles"),
            ("a pizza",),
            ("a bowl of rice", "some rice"),
        ],
    ),
    (
        ("is playing",),
        [
            ("the guitar",),
            ("the piano", "the keyboard"),
            ("soccer", "football"),
            ("the drums",),
            ("the violin", "the fiddle"),
        ],
    ),
    (
        ("is reading",),
        [("a book", "a novel"), ("the newspaper", "the paper"), ("a letter",), ("a magazine",)],
    ),
    (
        ("is slicing", "is cutting"),
        [
            ("an onion",),
            ("a tomato",),
            ("some bread", "a loaf of bread"),
            ("a potato",),
            ("a cucumber",),
        ],
    ),
    (
        ("is riding",),
        [("a bike", "a bicycle"), ("a horse",), ("a motorcycle", "a motorbike"), ("a skateboard",)],
    ),
    (
        ("is watching", "is looking at"),
        [("the television", "the tv"), ("the birds",), ("a movie", "a film"), ("the sunset",)],
    ),
]
PLACES = [
    ("in the park", "at the park"),
    ("in the kitchen",),
    ("on the street", "on the road"),
    ("at the beach", "on the beach"),
    ("at home", "in the house"),
    ("in the garden", "in the yard"),
]
POSITIVE = [
    "wonderful",
    "great",
    "delightful",
    "lovely",
    "excellent",
    "fantastic",
    "charming",
    "enjoyable",
    "beautiful",
    "pleasant",
    "brilliant",
    "heartwarming",
]
NEGATIVE = [
    "terrible",
    "awful",
    "boring",
    "dreadful",
    "disappointing",
    "horrible",
    "annoying",
    "dull",
    "ugly",
    "unpleasant",
    "painful",
    "tedious",
]
FRAMES = [
    "watching {s} that {v} {o} {p} was {a}.",
    "the scene where {s} {v} {o} {p} is {a}.",
    "{s} {v} {o} {p}, and honestly it felt {a}.",
    "a film about {s} who {v} {o}: {a}.",
    "the moment {s} {v} {o} {p} was simply {a}.",
]


def meaning(rng: random.Random) -> tuple[int, int, int, int | None]:
    action = rng.randrange(len(ACTIONS))
    return (
        rng.randrange(len(SUBJECTS)),
        action,
        rng.randrange(len(ACTIONS[action][1])),
        rng.randrange(len(PLACES)) if rng.random() < 0.7 else None,
    )


def surface(m, rng: random.Random) -> str:
    subject, action, obj, place = m
    verbs, objects = ACTIONS[action]
    words = [rng.choice(SUBJECTS[subject]), rng.choice(verbs), rng.choice(objects[obj])]
    if place is not None:
        where = rng.choice(PLACES[place])
        if rng.random() < 0.25:
            return f"{where.capitalize()}, {' '.join(words)}."
        words.append(where)
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def similarity(a, b) -> float:
    subject = 1.0 if a[0] == b[0] else 0.4 if (a[0] in PEOPLE) == (b[0] in PEOPLE) else 0.0
    action = 1.0 if a[1] == b[1] else 0.0
    obj = 1.0 if a[1] == b[1] and a[2] == b[2] else 0.0
    place = 1.0 if a[3] == b[3] else 0.5 if a[3] is None or b[3] is None else 0.0
    return 5.0 * (0.3 * subject + 0.25 * action + 0.3 * obj + 0.15 * place)


def variant(m, changes: int, rng: random.Random):
    subject, action, obj, place = m
    for part in rng.sample(range(4), changes):
        if part == 0:
            subject = rng.choice([i for i in range(len(SUBJECTS)) if i != subject])
        elif part == 1:
            action = rng.choice([i for i in range(len(ACTIONS)) if i != action])
            obj = rng.randrange(len(ACTIONS[action][1]))
        elif part == 2:
            obj = rng.choice([i for i in range(len(ACTIONS[action][1])) if i != obj])
        else:
            place = rng.choice([None] + [i for i in range(len(PLACES)) if i != place])
    return subject, action, obj, place


def pairs(n: int, rng: random.Random) -> list[tuple[str, str, str]]:
    rows = []
    for _ in range(n):
        a = meaning(rng)
        b = variant(a, rng.choices([0, 1, 2, 3, 4], weights=[3, 3, 3, 2, 2])[0], rng)
        score = min(5.0, max(0.0, similarity(a, b) + rng.gauss(0, 0.25)))
        rows.append((surface(a, rng), surface(b, rng), f"{score:.2f}"))
    return rows


def sentiment(n: int, rng: random.Random) -> list[tuple[str, str]]:
    rows = []
    for _ in range(n):
        subject, action, obj, place = meaning(rng)
        verbs, objects = ACTIONS[action]
        positive = rng.random() < 0.5
        negated = rng.random() < 0.2  # "not great" is negative: word lists alone are not enough
        pool = NEGATIVE if positive == negated else POSITIVE
        adjective = ("not " if negated else "") + rng.choice(pool)
        where = rng.choice(PLACES[place]) if place is not None else ""
        text = rng.choice(FRAMES).format(
            s=rng.choice(SUBJECTS[subject]),
            v=rng.choice(verbs),
            o=rng.choice(objects[obj]),
            p=where,
            a=adjective,
        )
        text = " ".join(text.split()).replace(" ,", ",").replace(" .", ".")
        rows.append((text[0].upper() + text[1:], "1" if positive else "0"))
    return rows


def inference(n: int, rng: random.Random) -> list[tuple[str, str, str]]:
    """Premise / hypothesis / label, SNLI-style (a hypothesis about the same scene):
    entailment — the same scene, maybe said with less detail; neutral — the hypothesis
    adds a place the premise does not give; contradiction — the same subject doing
    something else, or the same scene somewhere else."""
    rows = []
    for _ in range(n):
        subject, action, obj, place = meaning(rng)
        label = rng.choice(("entailment", "neutral", "contradiction"))
        if label == "entailment":
            premise = (subject, action, obj, place)
            hypothesis = (subject, action, obj, place if rng.random() < 0.5 else None)
        elif label == "neutral":
            premise = (subject, action, obj, None)
            hypothesis = (subject, action, obj, rng.randrange(len(PLACES)))
        else:
            premise = (subject, action, obj, place)
            if place is not None and rng.random() < 0.3:
                hypothesis = (
                    subject,
                    action,
                    obj,
                    rng.choice([i for i in range(len(PLACES)) if i != place]),
                )
            else:
                hypothesis = variant(premise, 1, rng)
                while hypothesis[1:3] == premise[1:3]:  # another action or object
                    hypothesis = variant(premise, 1, rng)
        rows.append((surface(premise, rng), surface(hypothesis, rng), label))
    return rows


def write(path: Path, header: tuple[str, ...], rows) -> None:
    lines = ["\t".join(header)] + ["\t".join(r) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    out = Path(__file__).parent / "demo"
    out.mkdir(exist_ok=True)
    rng = random.Random(20261126)
    for split, n in (("train", 600), ("dev", 200), ("test", 200)):
        write(out / f"pairs_{split}.tsv", ("sentence1", "sentence2", "score"), pairs(n, rng))
    for split, n in (("train", 800), ("dev", 150), ("test", 150)):
        write(out / f"sentiment_{split}.tsv", ("sentence", "label"), sentiment(n, rng))
    rng = random.Random(20261127)  # its own stream: the files above stay as they were
    for split, n in (("train", 900), ("dev", 150), ("test", 150)):
        write(out / f"nli_{split}.tsv", ("sentence1", "sentence2", "label"), inference(n, rng))


if __name__ == "__main__":
    main()
