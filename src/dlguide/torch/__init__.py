"""PyTorch models, the training loop and device helpers.

Importing this subpackage imports :mod:`torch`; without it installed, the ImportError names the
extra to install (``pip install "dlguide[torch]"``). Every model family has its own module
(``dlguide.torch.cnn``, ``dlguide.torch.vae``, ...) with a Keras twin of the same name in
:mod:`dlguide.keras`; the architecture searches live in the submodule :mod:`dlguide.torch.nas`.
"""

from dlguide._checks import missing_framework

try:
    import torch as _torch  # noqa: F401
except ImportError as error:  # pragma: no cover - exercised in a subprocess test
    raise missing_framework("torch", "PyTorch (torch)") from error

from dlguide.torch import nas
from dlguide.torch.autoencoder import ConvAutoencoder, DenseAutoencoder, reconstruction_error
from dlguide.torch.capsule import (
    CapsuleNet,
    DigitCapsules,
    PrimaryCapsules,
    dynamic_routing,
    margin_loss,
    squash,
)
from dlguide.torch.cnn import LeNet, feature_maps, pretrained_lenet
from dlguide.torch.data import to_loader
from dlguide.torch.device import get_device, seed_everything
from dlguide.torch.gan import (
    DCGANDiscriminator,
    DCGANGenerator,
    Discriminator2D,
    Generator2D,
    gan_train_step,
)
from dlguide.torch.mlp import MLP
from dlguide.torch.rbm import RBM, DeepBeliefNet
from dlguide.torch.recurrent import (
    CharLanguageModel,
    Forecaster,
    SequenceClassifier,
    extra_bias_parameters,
)
from dlguide.torch.resnet import ResidualBlock, ResNet
from dlguide.torch.rl import PolicyNetwork, QNetwork, dqn_loss, reinforce_loss
from dlguide.torch.sampling import generate
from dlguide.torch.serialization import load_weights, save_weights
from dlguide.torch.siamese import SiameseNetwork, contrastive_loss, triplet_loss
from dlguide.torch.srcnn import SRCNN
from dlguide.torch.training import Callback, EarlyStopping, evaluate, fit, predict
from dlguide.torch.transformer import (
    CharTransformer,
    EncoderBlock,
    MultiHeadSelfAttention,
    VisionTransformer,
    attention_maps,
)
from dlguide.torch.unet import UNet
from dlguide.torch.vae import VAE, elbo_loss, sample

__all__ = [
    "Callback",
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
    "EarlyStopping",
    "EncoderBlock",
    "Forecaster",
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
    "evaluate",
    "extra_bias_parameters",
    "feature_maps",
    "fit",
    "gan_train_step",
    "generate",
    "get_device",
    "load_weights",
    "margin_loss",
    "nas",
    "predict",
    "pretrained_lenet",
    "reconstruction_error",
    "reinforce_loss",
    "sample",
    "save_weights",
    "seed_everything",
    "squash",
    "to_loader",
    "triplet_loss",
]
