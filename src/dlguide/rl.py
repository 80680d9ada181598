"""Framework-neutral reinforcement-learning helpers in NumPy.

:func:`discounted_returns` turns an episode's rewards into the returns REINFORCE weights its
log-probabilities by (Williams, 1992, "Simple statistical gradient-following algorithms for
connectionist reinforcement learning", Machine Learning 8:229-256,
https://doi.org/10.1007/BF00992696). The networks and losses are in :mod:`dlguide.torch.rl` and
:mod:`dlguide.keras.rl`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from dlguide._checks import (
    ArrayLike,
    check_array,
    check_float,
    check_int_sequence,
    check_positive_int,
)


def discounted_returns(rewards: ArrayLike, gamma: float, *, normalize: bool = False) -> np.ndarray:
    """Return ``G_t = r_t + gamma * r_{t+1} + gamma**2 * r_{t+2} + ...`` for every step.

    The sum stops at the last reward given. For an episode that terminated (the pole fell, the
    game ended) that is the true return; for one cut by a time limit (Gymnasium's
    ``truncated``) the rewards after the cut are missing, so the last returns are too small.

    Args:
        rewards: The rewards of one episode, shape ``(T,)``.
        gamma: The discount factor in [0, 1].
        normalize: Subtract the mean and divide by the standard deviation (a common
            variance-reduction baseline); a constant sequence becomes all zeros.

    Returns:
        ``float32`` returns of shape ``(T,)``.

    Raises:
        TypeError: If ``rewards`` is not numeric or ``gamma`` not a number.
        ValueError: If ``rewards`` is not 1-D or ``gamma`` is outside [0, 1].

    Example:
        >>> from dlguide.rl import discounted_returns
        >>> discounted_returns([1.0, 1.0, 1.0], 0.5)
        array([1.75, 1.5 , 1.  ], dtype=float32)
    """
    rewards = check_array("rewards", rewards, ndim=1).astype(np.float64)
    gamma = check_float("gamma", gamma, minimum=0.0, maximum=1.0)
    if not isinstance(normalize, bool):
        raise TypeError(f"normalize must be a bool, got {type(normalize).__name__}")
    returns = np.zeros_like(rewards)
    running = 0.0
    for t in range(len(rewards) - 1, -1, -1):  # G_t = r_t + gamma * G_{t+1}
        running = rewards[t] + gamma * running
        returns[t] = running
    if normalize and len(returns):
        returns = (returns - returns.mean()) / (returns.std() + 1e-8)
    return returns.astype(np.float32)


def _network_sizes(
    num_observations: int, num_actions: int, num_hiddens: Sequence[int]
) -> dict[str, Any]:
    """The ``MLP`` arguments of a policy or Q-network: observations in, one output per action.

    Shared by the networks of :mod:`dlguide.torch.rl` and :mod:`dlguide.keras.rl`.
    """
    return {
        "num_inputs": check_positive_int("num_observations", num_observations),
        "num_outputs": check_positive_int("num_actions", num_actions),
        "num_hiddens": check_int_sequence("num_hiddens", num_hiddens, minimum=1),
    }
