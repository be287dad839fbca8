"""Plain-language explanations of the three choices: the app teaches as it runs."""
from __future__ import annotations

UPSTREAM = {
    "none": "No pre-training: the encoder starts from random (Xavier/Glorot) weights.",
    "sentiment": "The encoder first learns to classify sentences as positive or negative — "
                 "a supervised task on other labelled data.",
    "word2vec": "Word vectors are learned from unlabelled text by predicting neighbouring "
                "words (gensim's skip-gram). Only the embedding layer is pre-trained.",
    "mlm": "The Transformer first learns to fill in masked words of unlabelled text — "
           "BERT's masked-language-model recipe, at a small scale.",
    "glove": "GloVe word vectors, learned by others from 6 billion words of text, give each "
             "word its starting point. Only the embedding layer is pre-trained.",
    "hf": "A real pre-trained language model (BERT, MiniLM, GPT-2 …) from the Hugging Face hub "
          "or a folder: millions of weights already trained on huge amounts of text.",
}

METHOD = {
    "scratch": "Scratch is the control: the same architecture trained only on the similarity "
               "data, from random weights. Every other choice should be compared with it.",
    "feature": "Feature-based: the pre-trained part is frozen and its output feeds a new, "
               "small head. Nothing the upstream learned is changed.",
    "finetune": "Fine-tuning: the upstream's output layer is dropped (it answers the old "
                "question), a new similarity head is added, and all weights keep training.",
    "zero-shot": "Zero-shot: nothing is trained. The score is the cosine of the two sentence "
                 "vectors — the baseline every fine-tuned model must beat.",
}


def explain(upstream: str, method: str, downstream: str, regression: bool = True) -> str:
    """Two or three sentences on what this combination does."""
    parts = [UPSTREAM.get(upstream, ""), METHOD.get(method, "")]
    if method == "feature" and upstream == "none":
        parts.append("A frozen random encoder still gives useful features — a surprisingly "
                     "strong baseline, so keep it in view.")
    elif method == "feature" and upstream in ("word2vec", "glove"):
        parts.append("Here that means frozen word vectors; the encoder above them still trains.")
    elif method == "finetune" and upstream == "hf":
        parts.append("The checkpoint trains at a small learning rate (2e-5) with warm-up, so it "
                     "adapts without forgetting what it knew.")
    elif method == "scratch" and upstream == "hf":
        parts.append("Scratch keeps the checkpoint's architecture but starts from random weights.")
    elif method == "feature":
        parts.append("Each sentence is encoded once, so training only the head is fast.")
    elif method == "finetune" and upstream == "none":
        parts.append("With no upstream, fine-tuning is the same as training from scratch.")
    elif method == "zero-shot" and upstream == "glove":
        parts.append("A sentence is the average of its word vectors.")
    elif method == "scratch" and upstream != "none":
        parts.append("The upstream is not used; only its tokenizer is shared.")
    task = ("a score from 0 to 5 (Pearson/Spearman)" if regression
            else "whether the pair is a paraphrase (accuracy/F1)")
    parts.append(f"The model reads each sentence separately and predicts {task} on "
                 f"{downstream}.")
    return " ".join(p for p in parts if p)
