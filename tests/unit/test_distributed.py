"""Data-parallel training (dlguide.torch.distributed, dlguide.keras.distributed) on tiny data.

Two worker processes (or two logical CPU devices) must end with the same weights as one process
trained on the same global batches, up to float rounding.
"""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from dlguide.torch.distributed import (
    global_batches,
    train_data_parallel,
    train_single_process,
)


def tiny_data(n=48, num_inputs=6, num_classes=3, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, num_inputs)).astype(np.float32)
    y = (x[:, :num_classes].argmax(axis=1)).astype(np.int64)  # a learnable rule
    return x, y


def max_difference(a, b):
    return max(
        (p - q).abs().max().item()
        for p, q in zip(a.state_dict().values(), b.state_dict().values(), strict=True)
    )


def test_global_batches_cover_each_epoch_once_without_remainder():
    batches = global_batches(10, global_batch_size=4, epochs=3, seed=1)
    assert len(batches) == 3 * 2
    for epoch in range(3):
        seen = np.concatenate(batches[2 * epoch : 2 * epoch + 2])
        assert len(set(seen.tolist())) == 8  # two full batches, no repeats; 2 examples dropped
    assert not np.array_equal(batches[0], batches[2])  # a new permutation every epoch


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"global_batch_size": 0}, ValueError),
        ({"global_batch_size": 2.5}, TypeError),
        ({"epochs": 0}, ValueError),
        ({"num_examples": 3}, ValueError),  # fewer examples than one batch
    ],
)
def test_global_batches_rejects_bad_arguments(kwargs, error):
    arguments = {"num_examples": 10, "global_batch_size": 4, "epochs": 1, **kwargs}
    num_examples = arguments.pop("num_examples")
    with pytest.raises(error):
        global_batches(num_examples, **arguments)


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"global_batch_size": 7}, ValueError),  # not divisible by world_size=2
        ({"world_size": 0}, ValueError),
        ({"lr": -0.1}, ValueError),
        ({"num_outputs": "3"}, TypeError),
    ],
)
def test_train_data_parallel_rejects_bad_arguments(tmp_path, kwargs, error):
    x, y = tiny_data()
    arguments = {"num_outputs": 3, "global_batch_size": 8, **kwargs}
    with pytest.raises(error):
        train_data_parallel(x, y, tmp_path, **arguments)
    assert not list(tmp_path.iterdir())  # nothing was launched or written


def test_train_data_parallel_needs_an_existing_folder(tmp_path):
    x, y = tiny_data()
    with pytest.raises(ValueError, match="out_dir"):
        train_data_parallel(x, y, tmp_path / "missing", num_outputs=3, global_batch_size=8)


def test_train_single_process_rejects_float_labels():
    x, y = tiny_data()
    with pytest.raises(TypeError, match="integer"):
        train_single_process(x, y.astype(np.float32), num_outputs=3, global_batch_size=8)


def test_distributed_sampler_shares_make_up_the_single_process_batches():
    """The ranks' shares of step k, put together, are the one-replica sampler's batch k."""
    from torch.utils.data import DataLoader, TensorDataset
    from torch.utils.data.distributed import DistributedSampler

    dataset = TensorDataset(torch.arange(23))
    world_size, global_batch_size = 2, 8

    def batches(num_replicas, rank, epoch):
        sampler = DistributedSampler(
            dataset, num_replicas=num_replicas, rank=rank, seed=5, drop_last=True
        )
        sampler.set_epoch(epoch)
        loader = DataLoader(
            dataset, batch_size=global_batch_size // num_replicas, sampler=sampler, drop_last=True
        )
        return [batch.tolist() for (batch,) in loader]

    for epoch in range(3):
        single = batches(1, 0, epoch)
        shares = [batches(world_size, rank, epoch) for rank in range(world_size)]
        assert len(single) == len(shares[0]) == 2  # 23 // 8 full global batches
        for step, batch in enumerate(single):
            together = [index for share in shares for index in share[step]]
            assert sorted(together) == sorted(batch)
    assert batches(1, 0, 0) != batches(1, 0, 1)  # set_epoch reshuffles


@pytest.mark.slow
def test_two_processes_match_one_process(tmp_path):
    x, y = tiny_data()
    settings = {
        "num_outputs": 3,
        "num_hiddens": (8,),
        "global_batch_size": 8,
        "epochs": 3,
        "lr": 0.5,
    }
    parallel, info = train_data_parallel(x, y, tmp_path, world_size=2, **settings)
    single, single_info = train_single_process(x, y, **settings)

    assert info["world_size"] == 2 and len(info["losses"]) == 3
    assert max_difference(parallel, single) < 1e-6
    np.testing.assert_allclose(info["losses"], single_info["losses"], rtol=1e-5)
    # and training did something: the weights moved away from the common starting point
    start, _ = train_single_process(x, y, **{**settings, "lr": 1e-12})
    assert max_difference(parallel, start) > 1e-3


def test_keras_train_data_parallel_rejects_bad_arguments(tmp_path):
    pytest.importorskip("keras")
    from dlguide.keras.distributed import train_data_parallel as keras_train_data_parallel

    x, y = tiny_data()
    with pytest.raises(ValueError, match="divisible"):
        keras_train_data_parallel(x, y, tmp_path, num_outputs=3, global_batch_size=9, world_size=2)
    with pytest.raises(TypeError, match="integer"):
        keras_train_data_parallel(
            x, y.astype(np.float32), tmp_path, num_outputs=3, global_batch_size=8
        )
    assert not list(tmp_path.iterdir())


def test_keras_and_torch_modules_export_one_global_batches():
    pytest.importorskip("keras")
    from dlguide.keras.distributed import global_batches as keras_global_batches

    for a, b in zip(
        global_batches(20, global_batch_size=6, epochs=2, seed=3),
        keras_global_batches(20, global_batch_size=6, epochs=2, seed=3),
        strict=True,
    ):
        np.testing.assert_array_equal(a, b)


@pytest.mark.slow
def test_mirrored_strategy_matches_one_device(tmp_path):
    pytest.importorskip("keras")
    from dlguide.keras.distributed import train_data_parallel as keras_train_data_parallel
    from dlguide.keras.distributed import train_single_process as keras_train_single_process

    x, y = tiny_data()
    settings = {
        "num_outputs": 3,
        "num_hiddens": (8,),
        "global_batch_size": 8,
        "epochs": 2,
        "lr": 0.5,
    }
    mirrored, info = keras_train_data_parallel(x, y, tmp_path, world_size=2, **settings)
    single, _ = keras_train_single_process(x, y, **settings)

    assert len(info["devices"]) == 2
    difference = max(
        np.abs(a - b).max()
        for a, b in zip(mirrored.get_weights(), single.get_weights(), strict=True)
    )
    assert difference < 1e-6
    start, _ = keras_train_single_process(x, y, **{**settings, "lr": 1e-12})
    moved = max(
        np.abs(a - b).max()
        for a, b in zip(mirrored.get_weights(), start.get_weights(), strict=True)
    )
    assert moved > 1e-3
