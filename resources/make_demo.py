"""Write the bundled demo data (resources/demo/*.tsv). Run once; the output is committed.

    python resources/make_demo.py [FOLDER]     (default: resources/demo beside this file)

The demo is synthetic on purpose: it trains in seconds on a CPU, offline, and it is made so
that the lecture's lesson shows on it — pre-training helps where labelled pairs are few.

The world. A sentence describes a scene: a subject (a man, a dog, a doctor …) doing an
action to an object (eating noodles, reading a book …), often somewhere (on the beach …).
Every concept has several words — synonyms: *man / guy / gentleman*, *eating / munching /
devouring*, *pasta / noodles / spaghetti*, *at the beach / on the shore / by the seaside*.
A pair's gold score (0–5) is the weighted share of meaning its two scenes have in common,
plus a little noise; which synonyms say them does not matter.

Why pre-training helps here (the sizes and shares are the knobs below):

* **Few labels, skewed words.** The labelled pairs are few (600 to train) next to the
  unlabelled text (6,000 reviews). The training pairs mostly use each concept's first word
  (``TRAIN_FIRST_WORD_SHARE``); dev and test pairs use all synonyms equally. A model that
  starts from random weights meets *gentleman* or *devouring* a handful of times in all the
  training pairs and hardly ever in 10% of them, so it cannot know they mean *man* and
  *eating*: it needs many labelled pairs.
* **Unlabelled text teaches the synonyms.** The reviews (the sentiment corpus, read as plain
  text by word2vec and the language models) use every synonym equally, in two ways a
  distributional learner can use. Each concept brings its own context words now and then —
  a dog *with a wagging tail*, a *chocolate* cookie, the beach *by the waves* — which word2vec,
  seeing a few words either side, turns into similar vectors for synonyms. And each review
  tells its scene twice in different words (*a guy is munching noodles; the gentleman is
  devouring the spaghetti*), so a language model that fills in or predicts a word must learn
  which words can stand for which.
* **A related task helps, an unrelated one hardly.** The inference pairs say the same scene
  in other words (entailment), add a place (neutral) or change one part of it
  (contradiction): learning them is learning what similarity needs. A review's sentiment
  label depends only on its verdict (*So charming.*, *It was dull.*), never on the scene,
  and a fifth of the labels disagree with the words (``LABEL_NOISE``), so the classifier
  learns nothing about the content words and cannot grow certain enough to reshape the
  encoder around its verdicts (with negation, or with cleaner labels, its encoder started
  the downstream task behind random weights at 30% of the pairs).

The reviews are said like the pairs (the scene first, its place in front now and then), so
what is learnt from them carries over. Everything is drawn from fixed seeds: running this
again writes the same files. resources/presets/lesson-demo.toml measures the lesson on it.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

# ---- the knobs -------------------------------------------------------------------------------
SIZES = {  # rows per split
    "pairs": {"train": 600, "dev": 200, "test": 200},  # labelled: few
    "sentiment": {"train": 6000, "dev": 300, "test": 300},  # also the unlabelled corpus
    "nli": {"train": 3000, "dev": 300, "test": 300},  # the related labelled task
}
TRAIN_FIRST_WORD_SHARE = 0.6  # training pairs: the first synonym this often, the others share
# the rest equally; dev, test and all upstream text use every synonym equally
CUE_RATE = 0.5  # how often a review gives each concept's context words
COREF_RATE = 1.0  # how often a review tells its scene again, in other words
NEGATION_RATE = 0.0  # "not great" (negative): off, see above
LABEL_NOISE = 0.2  # sentiment labels flipped at random
NLI_LABEL_WEIGHTS = (2, 1, 2)  # entailment, neutral, contradiction
SEEDS = {"pairs": 20261126, "sentiment": 20261128, "nli": 20261127}

# ---- the world: concepts, their synonyms and their telltale contexts ----------------------------
# A subject: its nouns (said with "a"/"an") and phrases that come with it in the corpus.
SUBJECTS = [
    (("man", "guy", "gentleman"), ("with a beard", "with a mustache")),
    (("woman", "lady", "gal"), ("with a handbag", "in a long dress")),
    (("child", "kid", "youngster"), ("with a balloon", "with a teddy bear")),
    (("dog", "puppy", "hound"), ("with a wagging tail", "on a leash")),
    (("cat", "kitten", "kitty"), ("with soft fur", "with green eyes")),
    (("doctor", "physician", "medic"), ("with a stethoscope", "in scrubs")),
]
ANIMALS = {3, 4}  # a person and an animal share less than two people do
# An action: its verbs, and its objects — each object's phrases (synonyms, with their own
# determiner) and adjectives that come with it in the corpus.
ACTIONS = [
    (
        ("eating", "munching", "devouring"),
        [
            (("some pasta", "some noodles", "some spaghetti"), ("saucy", "buttered")),
            (("a cookie", "a biscuit"), ("sweet", "chocolate")),
            (("some candy", "some sweets", "some treats"), ("sugary", "sticky")),
        ],
    ),
    (
        ("playing",),
        [
            (("the piano", "the keyboard"), ("grand", "upright")),
            (("soccer", "football"), ()),
            (("the violin", "the fiddle"), ("wooden", "antique")),
        ],
    ),
    (
        ("reading", "perusing", "skimming"),
        [
            (("a book", "a novel", "a paperback"), ("thick", "mystery")),
            (("the newspaper", "the paper", "the gazette"), ("daily", "local")),
            (("a magazine", "a journal", "a periodical"), ("glossy", "fashion")),
        ],
    ),
    (
        ("cutting", "slicing", "chopping"),
        [
            (("some bread", "a loaf"), ("fresh", "crusty")),
            (("a zucchini", "a courgette"), ("green", "long")),
            (("an eggplant", "an aubergine"), ("purple", "ripe")),
        ],
    ),
    (
        ("riding",),
        [
            (("a bike", "a bicycle"), ("rusty", "squeaky")),
            (("a horse", "a steed", "a stallion"), ("brown", "galloping")),
            (("a motorcycle", "a motorbike"), ("noisy", "fast")),
        ],
    ),
    (
        ("watching", "viewing", "observing"),
        [
            (("the television", "the tv", "the telly"), ("big", "flickering")),
            (("a movie", "a film", "a picture"), ("funny", "new")),
            (("the sunset", "the sundown"), ("golden", "pink")),
        ],
    ),
]
PLACES = [
    (("in the woods", "in the forest"), ("among the pines", "by a stream")),
    (("in the store", "in the shop"), ("by the counter", "near the till")),
    (("on the street", "on the road", "on the avenue"), ("near the traffic", "by the crosswalk")),
    (("at the beach", "on the shore", "by the seaside"), ("by the waves", "on the sand")),
    (("at home", "in the house"), ("on the rug", "by the fireplace")),
    (("in the garden", "in the yard", "in the backyard"), ("among the flowers", "by the fence")),
]
# Sentiment: the label comes from the judgement alone (and its negation), never the scene.
POSITIVE = ["wonderful", "great", "delightful", "lovely", "excellent", "fantastic", "charming"]
POSITIVE += ["enjoyable", "beautiful", "pleasant", "brilliant", "heartwarming"]
NEGATIVE = ["terrible", "awful", "boring", "dreadful", "disappointing", "horrible", "annoying"]
NEGATIVE += ["dull", "ugly", "unpleasant", "painful", "tedious"]
# A review is the scene, said as the pairs say scenes (so what is learnt from it carries
# over), then a verdict: its words alone give the label.
VERDICTS = ["{judgement}.", "It was {judgement}.", "Simply {judgement}.", "So {judgement}."]

Meaning = tuple[int, int, int, "int | None"]  # subject, action, object, place (or none)


# ---- words --------------------------------------------------------------------------------------
def article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


def pick(
    words: tuple[str, ...], rng: random.Random, first_share: float | None, avoid: str = ""
) -> str:
    """A synonym: all equally likely, or the first one ``first_share`` of the time; another
    than ``avoid`` where the concept has another."""
    if avoid and len(words) > 1:
        return rng.choice([w for w in words if w != avoid])
    if first_share is None or len(words) == 1:
        return rng.choice(words)
    if rng.random() < first_share:
        return words[0]
    return rng.choice(words[1:])


def with_adjective(phrase: str, adjective: str) -> str:
    """'an eggplant' + 'ripe' -> 'a ripe eggplant'; 'soccer' (no determiner) stays."""
    determiner, _, noun = phrase.partition(" ")
    if not noun:
        return phrase
    if determiner in ("a", "an"):
        determiner = article(adjective)
    return f"{determiner} {adjective} {noun}"


def definite(phrase: str) -> str:
    """'some noodles' -> 'the noodles'; 'soccer' stays."""
    determiner, _, noun = phrase.partition(" ")
    return f"the {noun}" if noun and determiner in ("a", "an", "some") else phrase


Words = tuple[str, str, str, "str | None"]  # subject noun, verb, object phrase, place phrase


def choose(
    m: Meaning, rng: random.Random, first_share: float | None = None, avoid: Words | None = None
) -> Words:
    """The words a scene is said with (other synonyms than ``avoid``'s, where there are)."""
    subject, action, obj, place = m
    verbs, objects = ACTIONS[action]
    was = avoid or ("", "", "", "")
    return (
        pick(SUBJECTS[subject][0], rng, first_share, was[0]),
        pick(verbs, rng, first_share, was[1]),
        pick(objects[obj][0], rng, first_share, was[2]),
        None if place is None else pick(PLACES[place][0], rng, first_share, was[3] or ""),
    )


def scene(m: Meaning, words: Words, rng: random.Random, cues: bool = False) -> str:
    """The scene in words, lower case, no full stop: 'a guy is munching some noodles at home'.
    With ``cues``, the concepts' telltale context words come along now and then."""
    noun, verb, thing, where = words
    said = [article(noun), noun]
    if cues and rng.random() < CUE_RATE:
        said.append(rng.choice(SUBJECTS[m[0]][1]))
    adjectives = ACTIONS[m[1]][1][m[2]][1]
    if cues and adjectives and rng.random() < CUE_RATE:
        thing = with_adjective(thing, rng.choice(adjectives))
    said += ["is", verb, thing]
    if where is not None:
        if cues and rng.random() < CUE_RATE:
            where += " " + rng.choice(PLACES[m[3]][1])
        if rng.random() < 0.25:  # word order varies too
            return f"{where}, {' '.join(said)}"
        said.append(where)
    return " ".join(said)


def retold(words: Words) -> str:
    """The scene told again, as a review does: 'the gentleman is devouring the spaghetti'."""
    noun, verb, thing, where = words
    return f"the {noun} is {verb} {definite(thing)}"


def sentence(m: Meaning, rng: random.Random, first_share: float | None = None) -> str:
    text = scene(m, choose(m, rng, first_share), rng)
    return text[0].upper() + text[1:] + "."


# ---- meanings and similarity ------------------------------------------------------------------
def meaning(rng: random.Random) -> Meaning:
    action = rng.randrange(len(ACTIONS))
    return (
        rng.randrange(len(SUBJECTS)),
        action,
        rng.randrange(len(ACTIONS[action][1])),
        rng.randrange(len(PLACES)) if rng.random() < 0.7 else None,
    )


def similarity(a: Meaning, b: Meaning) -> float:
    """The weighted share of meaning two scenes have in common, 0–5."""
    subject = 1.0 if a[0] == b[0] else 0.4 if (a[0] in ANIMALS) == (b[0] in ANIMALS) else 0.0
    action = 1.0 if a[1] == b[1] else 0.0
    obj = 1.0 if a[1] == b[1] and a[2] == b[2] else 0.0
    place = 1.0 if a[3] == b[3] else 0.5 if a[3] is None or b[3] is None else 0.0
    return 5.0 * (0.3 * subject + 0.25 * action + 0.3 * obj + 0.15 * place)


def variant(m: Meaning, changes: int, rng: random.Random) -> Meaning:
    """The scene with ``changes`` of its four parts replaced by others."""
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


# ---- the three data sets ----------------------------------------------------------------------
def pairs(n: int, rng: random.Random, first_share: float | None) -> list[tuple[str, str, str]]:
    """Scored pairs: a scene and a variant of it (0–4 parts changed), each said in words."""
    rows = []
    for _ in range(n):
        a = meaning(rng)
        b = variant(a, rng.choices([0, 1, 2, 3, 4], weights=[3, 3, 3, 2, 2])[0], rng)
        score = min(5.0, max(0.0, similarity(a, b) + rng.gauss(0, 0.25)))
        rows.append((sentence(a, rng, first_share), sentence(b, rng, first_share), f"{score:.2f}"))
    return rows


def sentiment(n: int, rng: random.Random) -> list[tuple[str, str]]:
    """Reviews: a scene (with context words, told twice) and a verdict; label 1 or 0 from the
    verdict's judgement alone, some flipped at random."""
    rows = []
    for _ in range(n):
        positive = rng.random() < 0.5
        negated = rng.random() < NEGATION_RATE  # "not great" is negative
        pool = NEGATIVE if positive == negated else POSITIVE
        judgement = ("not " if negated else "") + rng.choice(pool)
        m = meaning(rng)
        words = choose(m, rng)
        what = scene(m, words, rng, cues=True)
        if rng.random() < COREF_RATE:  # the same scene again, in other words
            what += "; " + retold(choose(m, rng, avoid=words))
        verdict = rng.choice(VERDICTS).format(judgement=judgement)
        verdict = verdict[0].upper() + verdict[1:]
        if rng.random() < LABEL_NOISE:  # as in real reviews, some labels disagree with the words
            positive = not positive
        rows.append((f"{what[0].upper()}{what[1:]}. {verdict}", "1" if positive else "0"))
    return rows


def inference(n: int, rng: random.Random) -> list[tuple[str, str, str]]:
    """Premise / hypothesis / label, SNLI-style (a hypothesis about the same scene, its
    words drawn afresh, so synonyms are swapped): entailment — the same scene, maybe
    without its place; neutral — the hypothesis adds a place the premise does not give;
    contradiction — one part of the scene (subject, action, object or place) is another."""
    rows = []
    for _ in range(n):
        subject, action, obj, place = meaning(rng)
        label = rng.choices(("entailment", "neutral", "contradiction"), NLI_LABEL_WEIGHTS)[0]
        if label == "entailment":
            premise = (subject, action, obj, place)
            hypothesis = (subject, action, obj, place if rng.random() < 0.5 else None)
        elif label == "neutral":
            premise = (subject, action, obj, None)
            hypothesis = (subject, action, obj, rng.randrange(len(PLACES)))
        else:
            premise = (subject, action, obj, place)
            if place is not None and rng.random() < 0.25:
                others = [i for i in range(len(PLACES)) if i != place]
                hypothesis = (subject, action, obj, rng.choice(others))
            else:
                hypothesis = variant((subject, action, obj, None), 1, rng)
                while hypothesis[3] is not None:  # changed the subject, action or object
                    hypothesis = variant((subject, action, obj, None), 1, rng)
                hypothesis = (*hypothesis[:3], place if rng.random() < 0.5 else None)
        rows.append((sentence(premise, rng), sentence(hypothesis, rng), label))
    return rows


def write(path: Path, header: tuple[str, ...], rows) -> None:
    lines = ["\t".join(header)] + ["\t".join(r) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(SEEDS["pairs"])
    for split, n in SIZES["pairs"].items():
        share = TRAIN_FIRST_WORD_SHARE if split == "train" else None
        rows = pairs(n, rng, share)
        write(out / f"pairs_{split}.tsv", ("sentence1", "sentence2", "score"), rows)
    rng = random.Random(SEEDS["sentiment"])
    for split, n in SIZES["sentiment"].items():
        write(out / f"sentiment_{split}.tsv", ("sentence", "label"), sentiment(n, rng))
    rng = random.Random(SEEDS["nli"])
    for split, n in SIZES["nli"].items():
        rows = inference(n, rng)
        write(out / f"nli_{split}.tsv", ("sentence1", "sentence2", "label"), rows)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent / "demo")
