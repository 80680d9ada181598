"""
A character-level language model with an LSTM
==============================================

A language model gives, after every prefix of a text, a probability for each possible next
character. We train a small LSTM (:footcite:t:`hochreiter1997long`, with the forget gate of
:footcite:t:`gers2000learning`),
:class:`dlguide.torch.CharLanguageModel`, on English text from
Python's own documentation, measure how well it predicts held-out text against a model that only
knows how often each character occurs, and let it write new text at two temperatures. The run is
deliberately short (180,000 training characters, 6 epochs; the footer gives its time), so
expect text that looks like English and like Python documentation from a distance, not
sentences that make sense.
"""

# %%
# The text and its vocabulary
# ---------------------------
# :func:`dlguide.data.load_text` returns cleaned text from the help topics that ship with every
# Python installation (``help("for")`` shows one), so nothing downloads. We keep the first
# 200,000 characters and hold out the last 10% as validation text. The vocabulary maps each of
# the distinct characters to an integer id.

# sphinx_gallery_start_ignore
try:  # run without dlguide installed, say what to install (hidden on the site)
    import dlguide
except ModuleNotFoundError:
    raise SystemExit(
        "This example needs dlguide[torch], which is not installed: "
        "the setup page of the dlguide guide says how to install it."
    ) from None
# sphinx_gallery_end_ignore
import time

start = time.perf_counter()

from dlguide.data.text import CharVocabulary, load_text, split_text

text = load_text(max_chars=200_000)
vocab = CharVocabulary(text)
train_text, val_text = split_text(text, test_fraction=0.1)
print(f"{len(train_text):,} training and {len(val_text):,} validation characters")
print(f"vocabulary: {vocab.size} characters")
print(train_text[1_000:1_300])

# %%
# A baseline that ignores context
# -------------------------------
# The simplest language model predicts every character with its frequency in the training text
# (a *unigram* model). Its cross-entropy on the validation text, in nats per character, is
# printed next to the entropy of the character frequencies: the two would be about equal if the
# validation text used the characters in the training text's proportions, and the difference
# shows how far it does not. Its *perplexity*, the exponential of the
# cross-entropy, is the number of equally likely characters it is as unsure as. A model that
# uses context must go below both.
import numpy as np

counts = np.bincount(vocab.encode(train_text), minlength=vocab.size) + 1  # no zeros
frequencies = counts / counts.sum()
entropy = float(-np.sum(frequencies * np.log(frequencies)))
unigram_loss = float(-np.mean(np.log(frequencies[vocab.encode(val_text)])))
print(f"entropy of the character frequencies: {entropy:.3f} nats")
print(f"unigram validation loss: {unigram_loss:.3f} nats, perplexity {np.exp(unigram_loss):.1f}")

# %%
# Windows of characters
# ---------------------
# :func:`dlguide.data.make_char_dataset` cuts the text into windows of 64 characters; the target
# of each window is the same window shifted by one character, so one forward pass trains the
# model on 64 predictions at once. The ids stay integers, because the model's embedding layer
# looks each one up by index. Here we wrap the arrays in PyTorch data loaders ourselves, the way
# plain PyTorch code does (``fit`` would also accept the arrays and keep the ids as integers).
import torch
from torch.utils.data import DataLoader, TensorDataset

from dlguide.data.text import make_char_dataset

SEED = 0
x_train, y_train = make_char_dataset(train_text, vocab, context_length=64)
x_val, y_val = make_char_dataset(val_text, vocab, context_length=64)
print(f"training windows: {x_train.shape}, validation windows: {x_val.shape}")
print(repr(vocab.decode(x_train[0][:20])), "->", repr(vocab.decode(y_train[0][:20])))

train_loader = DataLoader(
    TensorDataset(torch.from_numpy(x_train), torch.from_numpy(y_train)),
    batch_size=32,
    shuffle=True,
    generator=torch.Generator().manual_seed(SEED),
)
val_loader = DataLoader(
    TensorDataset(torch.from_numpy(x_val), torch.from_numpy(y_val)), batch_size=256
)

# %%
# Train the LSTM
# --------------
# The model embeds each character in 32 numbers, runs one LSTM layer of 128 units over the
# window and maps every hidden state to scores for the next character. The loss is the
# cross-entropy of the next character at every position: PyTorch's ``cross_entropy`` wants the
# class scores on the second axis, hence the transpose.
from torch.nn import functional as F

from dlguide.torch import fit, get_device, seed_everything
from dlguide.torch.recurrent import CharLanguageModel


def next_character_loss(logits, targets):
    """Mean cross-entropy over every position: logits (B, T, V), targets (B, T)."""
    return F.cross_entropy(logits.transpose(1, 2), targets)  # (B, T, V) -> (B, V, T)


seed_everything(SEED)
device = get_device()
model = CharLanguageModel(vocab_size=vocab.size, embedding_dim=32, num_hiddens=128, cell="lstm")
history = fit(
    model,
    train_loader,
    validation_data=val_loader,
    epochs=6,
    loss=next_character_loss,
    metrics=None,
    lr=1e-2,
    device=device,
)

# %%
# Learning curves against the baseline
# ------------------------------------
# The curves of this one run show how far the validation loss falls below the unigram line,
# which measures how much the model has learned about which characters follow which. The
# validation text is the last tenth of the text, mostly other help topics than the model trained
# on, and the training curve falls further than the validation curve: the gap between them is
# how much better the model predicts text it has seen than new text. More text and dropout
# :footcite:p:`srivastava2014dropout` usually narrow such a gap.
import matplotlib.pyplot as plt

from dlguide.plot import plot_history

fig = plot_history(history, title="Character-level LSTM")
ax = fig.axes[0]
ax.axhline(unigram_loss, color="0.5", ls="--", label="unigram baseline")
ax.set_ylabel("cross-entropy (nats per character)")
_ = ax.legend()  # (assigned, so that the page does not print the legend object)

# %%
# Loss and perplexity on the validation text
# ------------------------------------------
# Perplexity puts the loss on a readable scale: the number of equally likely characters a model
# is as unsure as. Compare the unigram model's with the LSTM's below.
import dlguide

val_loss = history["val_loss"][-1]
dlguide.report(
    val_loss=val_loss,
    val_perplexity=float(np.exp(val_loss)),
    unigram_loss=unigram_loss,
    unigram_perplexity=float(np.exp(unigram_loss)),
)

# %%
# Writing text at two temperatures
# --------------------------------
# :func:`dlguide.torch.generate` feeds a prompt, draws the next character from the softmax of
# the model's logits, appends it and repeats. Dividing the logits by a *temperature* below 1
# (before the softmax) sharpens
# the distribution (safer, more repetitive text); a temperature of 1 samples from the model as
# it is (more varied, more misspelled).
from dlguide.torch.recurrent import generate

prompt = vocab.encode("The ")
for temperature in (0.5, 1.0):
    sample = generate(model, prompt, length=240, temperature=temperature, seed=SEED)
    print(f"--- temperature {temperature} ---")
    print(vocab.decode(sample))

# %%
# Footer
# ------
# The seed, library versions, device and wall time of this run.
dlguide.footer(seed=SEED, device=device, start=start)
plt.show()


# %%
# References
# ----------
#
# .. footbibliography::
