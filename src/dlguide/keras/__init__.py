"""Keras 3 twins of the PyTorch models, on the TensorFlow backend unless you choose another.

Each file here mirrors its twin in :mod:`dlguide.torch` section by section, with the same public
names and defaults. Importing this subpackage sets ``KERAS_BACKEND=tensorflow`` unless you chose
a backend already (yours is kept), then imports Keras; without Keras installed, the ImportError
names the extra to install (``pip install "dlguide[keras]"``). The architecture searches live in
the submodule :mod:`dlguide.keras.nas`.

Everything here runs on any Keras backend except these parts, which need the TensorFlow backend
and raise ``RuntimeError`` when built or called under another (importing never fails):

- :class:`VAE` and :class:`GAN`: their custom ``train_step`` takes gradients with a
  ``tf.GradientTape``, the lesson of those two files (the GAN's four networks and
  :func:`elbo_loss` run anywhere);
- :func:`get_device`, which asks TensorFlow which devices it sees;
- :func:`dlguide.keras.distributed.train_data_parallel`, which trains with ``tf.distribute``.

:func:`to_dataset` builds a ``tf.data`` pipeline, so it needs TensorFlow installed; ``fit``
reads it on any backend. :func:`generate` runs on any backend and, on TensorFlow, compiles the
model's call once with ``tf.function``.
"""

import os

from dlguide._checks import missing_framework

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

try:
    import keras as _keras  # noqa: F401
except ImportError as error:  # pragma: no cover - exercised in a subprocess test
    raise missing_framework("keras", "Keras 3 with TensorFlow (keras, tensorflow)") from error

from dlguide.keras import nas
from dlguide.keras.autoencoder import ConvAutoencoder, DenseAutoencoder, reconstruction_error
from dlguide.keras.capsule import (
    CapsuleNet,
    DigitCapsules,
    PrimaryCapsules,
    dynamic_routing,
    margin_loss,
    squash,
)
from dlguide.keras.cnn import LeNet, feature_maps, pretrained_lenet, torch_to_keras_weights
from dlguide.keras.data import to_dataset
from dlguide.keras.device import get_device, seed_everything
from dlguide.keras.gan import GAN, DCGANDiscriminator, DCGANGenerator, Discriminator2D, Generator2D
from dlguide.keras.mlp import MLP
from dlguide.keras.rbm import RBM, DeepBeliefNet
from dlguide.keras.recurrent import (
    CharLanguageModel,
    Forecaster,
    SequenceClassifier,
    extra_bias_parameters,
)
from dlguide.keras.resnet import ResidualBlock, ResNet
from dlguide.keras.rl import PolicyNetwork, QNetwork, dqn_loss, reinforce_loss
from dlguide.keras.sampling import generate
from dlguide.keras.serialization import load_model, load_weights, save_model, save_weights
from dlguide.keras.siamese import SiameseNetwork, contrastive_loss, triplet_loss
from dlguide.keras.srcnn import SRCNN
from dlguide.keras.transformer import (
    CharTransformer,
    EncoderBlock,
    MultiHeadSelfAttention,
    VisionTransformer,
    attention_maps,
)
from dlguide.keras.unet import UNet
from dlguide.keras.vae import VAE, elbo_loss, sample

__all__ = [
    "CapsuleNet",
    "CharLanguageModel",
    "CharTransformer",
    "ConvAutoencoder",
    "DCGANDiscriminator",
    "DCGANGenerator",
    "DeepBeliefNet",
    "DenseAutoencoder",
    "DigitCapsules",
    "Discriminator2D",
    "EncoderBlock",
    "Forecaster",
    "GAN",
    "Generator2D",
    "LeNet",
    "MLP",
    "MultiHeadSelfAttention",
    "PolicyNetwork",
    "PrimaryCapsules",
    "QNetwork",
    "RBM",
    "ResNet",
    "ResidualBlock",
    "SRCNN",
    "SequenceClassifier",
    "SiameseNetwork",
    "UNet",
    "VAE",
    "VisionTransformer",
    "attention_maps",
    "contrastive_loss",
    "dqn_loss",
    "dynamic_routing",
    "elbo_loss",
    "extra_bias_parameters",
    "feature_maps",
    "generate",
    "get_device",
    "load_model",
    "load_weights",
    "margin_loss",
    "nas",
    "pretrained_lenet",
    "reconstruction_error",
    "reinforce_loss",
    "sample",
    "save_model",
    "save_weights",
    "seed_everything",
    "squash",
    "to_dataset",
    "torch_to_keras_weights",
    "triplet_loss",
]
