"""Small networks and losses for reinforcement learning, the Keras twin of :mod:`dlguide.torch.rl`.

REINFORCE: Williams (1992), https://doi.org/10.1007/BF00992696. DQN: Mnih et al. (2015),
"Human-level control through deep reinforcement learning", Nature 518:529-533,
https://doi.org/10.1038/nature14236.

Both networks are :class:`~dlguide.keras.mlp.MLP` subclasses (layers ``"features"`` and
``"head"``); their config holds their own arguments, so they save and load as themselves.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import keras
from keras import ops

from dlguide._checks import check_float
from dlguide.keras._types import Tensor
from dlguide.keras.mlp import MLP
from dlguide.rl import _network_sizes


def reinforce_loss(logits: Tensor, actions: Tensor, returns: Tensor) -> Tensor:
    """REINFORCE loss ``-mean(G_t * log pi(a_t | s_t))``; its gradient is the policy gradient.

    Args:
        logits: Policy logits of the visited states, ``(T, num_actions)``.
        actions: The actions taken, integers ``(T,)``.
        returns: The (discounted, often normalised) returns, ``(T,)``.

    Example:
        >>> import numpy as np
        >>> from dlguide.keras.rl import reinforce_loss
        >>> round(float(reinforce_loss(np.zeros((2, 2)), np.array([0, 1]), np.ones(2))), 4)
        0.6931
    """
    logits = ops.convert_to_tensor(logits)
    log_probs = ops.log_softmax(logits, axis=-1)  # (T, A)
    mask = ops.one_hot(ops.cast(actions, "int32"), logits.shape[-1], dtype=log_probs.dtype)
    taken = ops.sum(log_probs * mask, axis=-1)  # (T, A) -> (T,)
    return -ops.mean(ops.cast(returns, taken.dtype) * taken)


def dqn_loss(
    q_values: Tensor,
    actions: Tensor,
    rewards: Tensor,
    next_q_values: Tensor,
    terminated: Tensor,
    *,
    gamma: float = 0.99,
) -> Tensor:
    """DQN's Huber loss between ``Q(s, a)`` and the target of a target network.

    The target is ``y = r + gamma * (1 - terminated) * max_a' Q_target(s', a')``. A terminal
    state has no future reward, so its target is the reward alone. Only a true termination
    masks the bootstrap: in Gymnasium pass the ``terminated`` flag of ``step``, not
    ``terminated or truncated``. An episode cut by a time limit (``truncated``) did not end in
    a terminal state; its next state still has a value, and the target keeps the bootstrap.

    Args:
        q_values: Online network outputs for the states, ``(B, num_actions)``.
        actions: Actions taken, integers ``(B,)``.
        rewards: Rewards received, ``(B,)``.
        next_q_values: Target network outputs for the next states, ``(B, num_actions)``
            (no gradient flows into them).
        terminated: 1 where the step reached a terminal state (no bootstrapping), else 0,
            ``(B,)``; time-limit truncations count as 0.
        gamma: Discount factor in [0, 1].

    Example:
        >>> import numpy as np
        >>> from dlguide.keras.rl import dqn_loss
        >>> float(dqn_loss(np.array([[1.0, 0.0]]), np.array([0]), np.array([1.0]),
        ...                np.zeros((1, 2)), np.array([1.0])))
        0.0
    """
    gamma = check_float("gamma", gamma, minimum=0.0, maximum=1.0)
    q_values = ops.convert_to_tensor(q_values)
    mask = ops.one_hot(ops.cast(actions, "int32"), q_values.shape[-1], dtype=q_values.dtype)
    taken = ops.sum(q_values * mask, axis=-1)  # (B, A) -> (B,)
    not_terminal = 1 - ops.cast(terminated, q_values.dtype)  # (B,): 0 after a terminal step
    bootstrap = ops.max(ops.cast(next_q_values, q_values.dtype), axis=-1) * not_terminal
    target = ops.stop_gradient(ops.cast(rewards, q_values.dtype) + gamma * bootstrap)
    return keras.losses.Huber(delta=1.0)(target, taken)


@keras.saving.register_keras_serializable(package="dlguide")
class PolicyNetwork(MLP):
    """An MLP mapping observations ``(B, num_observations)`` to action logits ``(B, num_actions)``.

    Args:
        num_observations: Size of an observation (4 for CartPole).
        num_actions: Number of discrete actions (2 for CartPole).
        num_hiddens: Widths of the hidden ReLU layers.

    Example:
        >>> import numpy as np
        >>> from dlguide.keras.rl import PolicyNetwork
        >>> PolicyNetwork()(np.zeros((3, 4))).shape
        TensorShape([3, 2])
    """

    def __init__(
        self,
        *,
        num_observations: int = 4,
        num_actions: int = 2,
        num_hiddens: Sequence[int] = (64,),
        **kwargs: Any,
    ) -> None:
        super().__init__(**_network_sizes(num_observations, num_actions, num_hiddens), **kwargs)


@keras.saving.register_keras_serializable(package="dlguide")
class QNetwork(MLP):
    """An MLP mapping observations ``(B, num_observations)`` to action values ``(B, num_actions)``.

    Args:
        num_observations: Size of an observation (4 for CartPole).
        num_actions: Number of discrete actions (2 for CartPole).
        num_hiddens: Widths of the hidden ReLU layers.

    Example:
        >>> import numpy as np
        >>> from dlguide.keras.rl import QNetwork
        >>> QNetwork()(np.zeros((3, 4))).shape
        TensorShape([3, 2])
    """

    def __init__(
        self,
        *,
        num_observations: int = 4,
        num_actions: int = 2,
        num_hiddens: Sequence[int] = (64, 64),
        **kwargs: Any,
    ) -> None:
        super().__init__(**_network_sizes(num_observations, num_actions, num_hiddens), **kwargs)
