import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("MPLBACKEND", "agg")


def pytest_configure(config):
    # The unit tests train tiny models on tiny batches, where PyTorch's intra-op threads only
    # fight TensorFlow's (both frameworks load in one test process): one thread is several
    # times faster here and changes no result the tests assert.
    import torch

    torch.set_num_threads(1)
