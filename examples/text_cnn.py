"""The slides' CNN for text classification (Kim 2014): is a short review positive or negative?

A sentence is a matrix (position in the sentence x word embedding); 1-D convolutions of
several widths slide over the positions (n-gram detectors), max-over-time pooling keeps each
filter's strongest match wherever it occurs, dropout, and one fully connected layer votes.

The corpus is generated (seeded): template reviews with synonyms ("good", "great",
"excellent"...), intensifiers ("very", "really"), filler words and, in half of them, a negation
that flips the meaning ("the film was not very good" is negative, "not bad at all" positive).
A bag-of-words model cannot read a negation, since it sees "not" and "good" but not their order;
a convolution of width 2 or more can. So the example also trains that bag-of-words baseline (the
same embeddings, averaged over the sentence) and prints both accuracies.

    python -m examples.text_cnn [--epochs 8] [--train-size 3000] [--widths 2 3 4]

Source: SLIDES.md section 5; Y. Kim, "Convolutional Neural Networks for Sentence
Classification", EMNLP 2014 (here the CNN-rand variant: embeddings learned from scratch).
"""

import sys
import time

from . import _common  # first: one BLAS thread unless asked otherwise (see _common)

import numpy as np
from tqdm import tqdm

import autograd as ag
import nn
from nn.data import DataLoader, TensorDataset

CLASSES = ("negative", "positive")
SUBJECTS = ["the film", "the movie", "this picture", "the plot", "the acting", "the ending",
            "the soundtrack", "the cast", "the story", "the director's work", "the script"]
VERBS = ["was", "is", "seemed", "felt", "looked", "turned out"]
INTENSIFIERS = ["", "", "very", "really", "quite", "truly", "rather", "so"]
GOOD = ["good", "great", "excellent", "wonderful", "brilliant", "superb", "fun", "moving",
        "clever", "charming"]
BAD = ["bad", "awful", "terrible", "boring", "dull", "poor", "weak", "messy", "painful",
       "silly"]
NEGATIONS = ["not", "never", "hardly", "not at all"]
NEGATION_WORDS = {"not", "never", "hardly"}
FILLERS = ["honestly", "i think", "to be fair", "overall", "in the end", "for me", "frankly",
           "yesterday", "again", "well", "at times", "mostly"]
PAD, UNK = "<pad>", "<unk>"


def make_reviews(n, rng, noise=0.05):
    """``n`` generated reviews and their labels (0 negative, 1 positive).

    A review: [filler] subject verb [negation] [intensifier] adjective [filler]; the label is
    the adjective's polarity, flipped by a negation. With probability ``noise`` each word
    becomes an unknown word (a typo the vocabulary has never seen).
    """
    texts, labels = [], []
    for _ in range(n):
        positive = rng.random() < 0.5
        negated = rng.random() < 0.5
        adjective = rng.choice(GOOD if positive != negated else BAD)
        words = [rng.choice(SUBJECTS), rng.choice(VERBS)]
        if negated:
            words.append(rng.choice(NEGATIONS))
        words += [rng.choice(INTENSIFIERS), adjective]
        if rng.random() < 0.5:
            words.insert(0, rng.choice(FILLERS))
        if rng.random() < 0.5:
            words.append(rng.choice(FILLERS))
        tokens = " ".join(w for w in words if w).split()
        tokens = [UNK if rng.random() < noise else t for t in tokens]
        texts.append(tokens)
        labels.append(int(positive))
    return texts, np.array(labels, dtype=np.int64)


def build_vocab(texts):
    """Word -> index, with 0 = padding and 1 = unknown; sorted for reproducibility."""
    words = sorted({t for text in texts for t in text} - {PAD, UNK})
    return {w: i for i, w in enumerate([PAD, UNK] + words)}


def encode(texts, vocab, length):
    """Texts -> int64 array (N, length) of word indices, padded with 0 (or cut)."""
    out = np.zeros((len(texts), length), dtype=np.int64)
    for i, text in enumerate(texts):
        ids = [vocab.get(t, vocab[UNK]) for t in text][:length]
        out[i, :len(ids)] = ids
    return out


class TextCNN(nn.Module):
    """Kim (2014)'s sentence classifier.

    Shapes for N sentences of L word indices: embedding -> (N, L, E), transposed to
    (N, E, L) (channels = embedding dimensions), one Conv1d(E, filters, w) per width w ->
    (N, filters, L - w + 1), ReLU, max over time -> (N, filters), concatenated ->
    (N, filters * len(widths)), dropout, Linear -> (N, num_classes) votes (logits).
    """

    def __init__(self, vocab_size, num_classes, embed_dim=32, filters=16, widths=(2, 3, 4),
                 dropout=0.5):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_dim, padding_idx=0)
        self.convs = nn.ModuleList([nn.Conv1d(embed_dim, filters, w) for w in widths])
        self.dropout = nn.Dropout(dropout)
        self.fc = nn.Linear(filters * len(widths), num_classes)

    def forward(self, tokens):
        """tokens : Tensor int64, shape=(N, L) -> logits, shape=(N, num_classes)."""
        x = self.embedding(tokens).transpose(1, 2)                     # (N, E, L)
        pooled = [conv(x).relu().amax(2) for conv in self.convs]      # max over time
        return self.fc(self.dropout(ag.cat(pooled, 1)))


class BagOfWords(nn.Module):
    """The baseline: the mean of the sentence's word embeddings, then Linear (word order is
    lost, so "not good" and "good, not bad" look alike)."""

    def __init__(self, vocab_size, num_classes, embed_dim=32):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_dim, padding_idx=0)
        self.fc = nn.Linear(embed_dim, num_classes)

    def forward(self, tokens):
        mask = ag.tensor((tokens.numpy() != 0).astype(np.float32)[:, :, None])
        summed = (self.embedding(tokens) * mask).sum(1)
        return self.fc(summed / mask.sum(1).clamp(min=1.0))


def fit(model, train_set, test_set, args, name):
    """Adam on cross-entropy; returns the held-out accuracy per epoch."""
    optimizer = nn.optim.Adam(model.parameters(), lr=args.lr)
    loss_fn = nn.CrossEntropyLoss()
    loader = DataLoader(train_set, batch_size=args.batch_size, shuffle=True, seed=args.seed)
    accuracies = []
    for epoch in range(1, args.epochs + 1):
        model.train()
        for tokens, labels in tqdm(loader, desc=f"{name} epoch {epoch}/{args.epochs}",
                                   leave=False, disable=_common.bar_disable(args.no_progress),
                                   file=sys.stderr):
            loss = loss_fn(model(tokens), labels)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        accuracies.append(evaluate(model, test_set))
    return accuracies


def evaluate(model, dataset):
    model.eval()
    tokens, labels = dataset.tensors
    with ag.no_grad():
        predicted = model(tokens).argmax(1).numpy()
    return float((predicted == labels.numpy()).mean())


def main(argv=None):
    parser = _common.make_parser("text_cnn", __doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=8, help="passes over the training set")
    parser.add_argument("--train-size", type=int, default=3000, help="generated reviews")
    parser.add_argument("--test-size", type=int, default=1000, help="held-out reviews")
    parser.add_argument("--batch-size", type=int, default=32, help="reviews per Adam step")
    parser.add_argument("--lr", type=float, default=0.003, help="Adam learning rate")
    parser.add_argument("--widths", type=int, nargs="+", default=[2, 3, 4],
                        help="convolution widths (n-gram sizes)")
    parser.add_argument("--filters", type=int, default=16, help="filters per width")
    args = parser.parse_args(argv)
    _common.seed_everything(args.seed)
    out = _common.run_dir(args)

    rng = np.random.default_rng(args.seed)
    train_texts, train_labels = make_reviews(args.train_size, rng)
    test_texts, test_labels = make_reviews(args.test_size, rng)
    vocab = build_vocab(train_texts)
    length = max(len(t) for t in train_texts + test_texts)
    train_set = TensorDataset(encode(train_texts, vocab, length), train_labels)
    test_set = TensorDataset(encode(test_texts, vocab, length), test_labels)
    print(f"{args.train_size} training and {args.test_size} held-out reviews, vocabulary "
          f"{len(vocab)} words, sentences padded to {length}; e.g.")
    for text, label in list(zip(test_texts, test_labels))[:4]:
        print(f"  {CLASSES[label]:>8}: {' '.join(text)}")

    results, predictions = {}, {}
    for name, model in [("text_cnn", TextCNN(len(vocab), len(CLASSES), filters=args.filters,
                                             widths=tuple(args.widths))),
                        ("bag_of_words", BagOfWords(len(vocab), len(CLASSES)))]:
        tic = time.perf_counter()
        accuracies = fit(model, train_set, test_set, args, name)
        seconds = time.perf_counter() - tic
        negated = np.array([any(t in NEGATION_WORDS for t in text) for text in test_texts])
        model.eval()
        with ag.no_grad():
            predicted = model(test_set.tensors[0]).argmax(1).numpy()
        right = predicted == test_labels
        predictions[name] = predicted
        results[name] = {"test_accuracy": accuracies,
                         "final_test_accuracy": accuracies[-1],
                         "accuracy_negated": float(right[negated].mean()),
                         "accuracy_plain": float(right[~negated].mean()), "seconds": seconds}
        print(f"{name:>12}: held-out accuracy per epoch "
              f"{' '.join(f'{a:.1%}' for a in accuracies)}; final {accuracies[-1]:.1%} "
              f"(negated reviews {right[negated].mean():.1%}, plain {right[~negated].mean():.1%})"
              f", {seconds:.1f} s")
    print("\nsome held-out reviews with a negation:")
    shown = [i for i, text in enumerate(test_texts) if NEGATION_WORDS & set(text)][:6]
    print(_common.table([[" ".join(test_texts[i]), CLASSES[test_labels[i]],
                          CLASSES[predictions["text_cnn"][i]],
                          CLASSES[predictions["bag_of_words"][i]]] for i in shown],
                        ["review", "truth", "text_cnn", "bag_of_words"]))
    metrics = dict(results["text_cnn"], baseline=results["bag_of_words"],
                   vocabulary=len(vocab), length=length)
    _common.write_json(out / "metrics.json", metrics)
    print(f"wrote {out}/metrics.json")
    return metrics


if __name__ == "__main__":
    main()
