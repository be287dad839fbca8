"""Datasets: a registry of named sets, local files, the bundled demo, and EDA statistics."""

from transfer_explorer.engine.data.loaders import data_root, load_pairs, load_texts
from transfer_explorer.engine.data.registry import (
    DATASETS,
    DOWNSTREAM_NAMES,
    PAIR_CORPUS_NAMES,
    UPSTREAM_NAMES,
)
from transfer_explorer.engine.data.types import PairDataset, PairSplit, TextDataset, TextSplit

__all__ = [
    "DATASETS",
    "DOWNSTREAM_NAMES",
    "PAIR_CORPUS_NAMES",
    "UPSTREAM_NAMES",
    "PairDataset",
    "PairSplit",
    "TextDataset",
    "TextSplit",
    "data_root",
    "load_pairs",
    "load_texts",
]
