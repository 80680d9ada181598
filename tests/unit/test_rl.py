"""Reinforcement-learning helpers: returns, REINFORCE and DQN losses, networks' errors."""

import numpy as np
import pytest
import torch

from dlguide.rl import discounted_returns
from dlguide.torch.rl import PolicyNetwork, QNetwork, dqn_loss, reinforce_loss


def test_discounted_returns_known_values():
    np.testing.assert_allclose(
        discounted_returns([1, 0, 2], 0.9), [1 + 0.81 * 2, 0.9 * 2, 2], rtol=1e-6
    )
    np.testing.assert_allclose(discounted_returns([1, 1, 1], 0.0), [1, 1, 1])
    np.testing.assert_allclose(discounted_returns([1, 1, 1], 1.0), [3, 2, 1])
    normalized = discounted_returns([1, 2, 3, 4], 0.5, normalize=True)
    assert normalized.dtype == np.float32
    assert abs(normalized.mean()) < 1e-6 and normalized.std() == pytest.approx(1, abs=1e-4)
    assert discounted_returns([], 0.9).shape == (0,)


def test_discounted_returns_bad_arguments():
    with pytest.raises(ValueError, match="gamma"):
        discounted_returns([1.0], 1.5)
    with pytest.raises(ValueError, match="rewards"):
        discounted_returns([[1.0]], 0.9)
    with pytest.raises(TypeError, match="normalize"):
        discounted_returns([1.0], 0.9, normalize=1)


def test_reinforce_loss_values():
    from dlguide.keras.rl import reinforce_loss as keras_reinforce

    logits = np.array([[np.log(3.0), 0.0], [0.0, 0.0]], dtype=np.float32)  # pi(a=0|s0) = 3/4
    actions, returns = np.array([0, 1]), np.array([2.0, 1.0], dtype=np.float32)
    expected = -(2.0 * np.log(0.75) + 1.0 * np.log(0.5)) / 2
    got = reinforce_loss(
        torch.as_tensor(logits), torch.as_tensor(actions), torch.as_tensor(returns)
    )
    assert float(got) == pytest.approx(expected, rel=1e-6)
    assert float(keras_reinforce(logits, actions, returns)) == pytest.approx(expected, rel=1e-6)


def test_dqn_loss_values_and_no_gradient_into_the_target():
    from dlguide.keras.rl import dqn_loss as keras_dqn

    q = np.array([[1.0, 2.0], [0.0, 0.5]], dtype=np.float32)
    actions, rewards = np.array([1, 0]), np.array([1.0, 0.0], dtype=np.float32)
    next_q = np.array([[3.0, 0.0], [1.0, 4.0]], dtype=np.float32)
    terminated = np.array([0.0, 1.0], dtype=np.float32)
    # targets: 1 + 0.5 * 3 = 2.5 (error 0.5, Huber 0.125); 0 (terminal; error 0, Huber 0)
    expected = (0.125 + 0.0) / 2
    q_t, next_t = torch.tensor(q, requires_grad=True), torch.tensor(next_q, requires_grad=True)
    loss = dqn_loss(
        q_t,
        torch.as_tensor(actions),
        torch.as_tensor(rewards),
        next_t,
        torch.as_tensor(terminated),
        gamma=0.5,
    )
    assert float(loss.detach()) == pytest.approx(expected)
    loss.backward()
    assert next_t.grad is None and q_t.grad is not None
    assert float(keras_dqn(q, actions, rewards, next_q, terminated, gamma=0.5)) == pytest.approx(
        expected
    )


@pytest.mark.parametrize("cls_name", ["PolicyNetwork", "QNetwork"])
def test_networks_shapes_and_errors(cls_name):
    from dlguide.keras import rl as keras_rl
    from dlguide.torch import rl as torch_rl

    torch_cls, keras_cls = getattr(torch_rl, cls_name), getattr(keras_rl, cls_name)
    assert torch_cls(num_actions=3)(torch.zeros(5, 4)).shape == (5, 3)
    assert tuple(keras_cls(num_actions=3)(np.zeros((5, 4), "float32")).shape) == (5, 3)
    for cls in (torch_cls, keras_cls):
        with pytest.raises(ValueError, match="num_observations"):
            cls(num_observations=0)
        with pytest.raises(TypeError, match="num_actions"):
            cls(num_actions=2.0)
    config = keras_cls(num_hiddens=(8,)).get_config()
    assert {k: config[k] for k in ("num_observations", "num_actions", "num_hiddens")} == {
        "num_observations": 4,
        "num_actions": 2,
        "num_hiddens": [8],
    }
    assert (
        keras_cls.from_config(config).count_params() == keras_cls(num_hiddens=(8,)).count_params()
    )


def test_default_sizes():
    assert sum(p.numel() for p in PolicyNetwork().parameters()) == 4 * 64 + 64 + 64 * 2 + 2
    assert (
        sum(p.numel() for p in QNetwork().parameters()) == 4 * 64 + 64 + 64 * 64 + 64 + 64 * 2 + 2
    )


def test_dqn_loss_masks_only_terminal_states():
    """A terminal step's target is its reward; a time-limit cut still bootstraps."""
    from dlguide.keras.rl import dqn_loss as keras_dqn

    q = np.zeros((2, 2), dtype=np.float32)
    actions, rewards = np.array([0, 0]), np.ones(2, dtype=np.float32)
    next_q = np.full((2, 2), 2.0, dtype=np.float32)
    terminated = np.array([1.0, 0.0], dtype=np.float32)  # row 1 was truncated, not terminated
    # targets: 1 (terminal) and 1 + 0.5 * 2 = 2; errors 1 and 2 -> Huber 0.5 and 1.5
    expected = (0.5 + 1.5) / 2
    got = dqn_loss(
        torch.as_tensor(q),
        torch.as_tensor(actions),
        torch.as_tensor(rewards),
        torch.as_tensor(next_q),
        torch.as_tensor(terminated),
        gamma=0.5,
    )
    assert float(got) == pytest.approx(expected)
    assert float(keras_dqn(q, actions, rewards, next_q, terminated, gamma=0.5)) == pytest.approx(
        expected
    )
