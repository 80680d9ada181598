"""Small networks and losses for policy-gradient and value-based reinforcement learning.

- :class:`PolicyNetwork` outputs action logits for REINFORCE (Williams, 1992, "Simple
  statistical gradient-following algorithms for connectionist reinforcement learning", Machine
  Learning 8:229-256, https://doi.org/10.1007/BF00992696); :func:`reinforce_loss` is its loss.
- :class:`QNetwork` outputs one action value per action for DQN (Mnih et al., 2015,
  "Human-level control through deep reinforcement learning", Nature 518:529-533,
  https://doi.org/10.1038/nature14236); :func:`dqn_loss` is the temporal-difference loss
  against a target network, with no bootstrapping from terminal states.

Both networks are :class:`~dlguide.torch.mlp.MLP` subclasses, so they have ``features`` and
``head`` like every classifier. Sizes default to CartPole (4 observations, 2 actions); the
training loops live in the gallery, and :func:`dlguide.rl.discounted_returns` computes returns.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch.nn import functional as F

from dlguide._checks import check_float
from dlguide.rl import _network_sizes
from dlguide.torch.mlp import MLP


def reinforce_loss(
    logits: torch.Tensor, actions: torch.Tensor, returns: torch.Tensor
) -> torch.Tensor:
    """REINFORCE loss ``-mean(G_t * log pi(a_t | s_t))``; its gradient is the policy gradient.

    Args:
        logits: Policy logits of the visited states, ``(T, num_actions)``.
        actions: The actions taken, integers ``(T,)``.
        returns: The (discounted, often normalised) returns, ``(T,)``.

    Example:
        >>> import torch
        >>> from dlguide.torch.rl import reinforce_loss
        >>> reinforce_loss(torch.zeros(2, 2), torch.tensor([0, 1]), torch.ones(2))  # -log(1/2)
        tensor(0.6931)
    """
    log_probs = F.log_softmax(logits, dim=-1)  # (T, A)
    taken = log_probs.gather(1, actions.long().unsqueeze(1)).squeeze(1)  # (T, A) -> (T,)
    return -(returns.to(taken.dtype) * taken).mean()


def dqn_loss(
    q_values: torch.Tensor,
    actions: torch.Tensor,
    rewards: torch.Tensor,
    next_q_values: torch.Tensor,
    terminated: torch.Tensor,
    *,
    gamma: float = 0.99,
) -> torch.Tensor:
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
        >>> import torch
        >>> from dlguide.torch.rl import dqn_loss
        >>> q = torch.tensor([[1.0, 0.0]])
        >>> one, zero = torch.tensor([1.0]), torch.zeros(1, 2)
        >>> dqn_loss(q, torch.tensor([0]), one, zero, one)  # terminal: the target is the reward, 1
        tensor(0.)
    """
    gamma = check_float("gamma", gamma, minimum=0.0, maximum=1.0)
    taken = q_values.gather(1, actions.long().unsqueeze(1)).squeeze(1)  # (B, A) -> (B,)
    with torch.no_grad():
        not_terminal = 1 - terminated.to(q_values.dtype)  # (B,): 0 after a terminal step
        bootstrap = next_q_values.max(dim=1).values * not_terminal  # (B, A) -> (B,)
        target = rewards.to(q_values.dtype) + gamma * bootstrap
    return F.smooth_l1_loss(taken, target)


class PolicyNetwork(MLP):
    """An MLP mapping observations ``(B, num_observations)`` to action logits ``(B, num_actions)``.

    Args:
        num_observations: Size of an observation (4 for CartPole).
        num_actions: Number of discrete actions (2 for CartPole).
        num_hiddens: Widths of the hidden ReLU layers.

    Example:
        >>> import torch
        >>> from dlguide.torch.rl import PolicyNetwork
        >>> PolicyNetwork()(torch.zeros(3, 4)).shape
        torch.Size([3, 2])
    """

    def __init__(
        self, *, num_observations: int = 4, num_actions: int = 2, num_hiddens: Sequence[int] = (64,)
    ) -> None:
        super().__init__(**_network_sizes(num_observations, num_actions, num_hiddens))


class QNetwork(MLP):
    """An MLP mapping observations ``(B, num_observations)`` to action values ``(B, num_actions)``.

    Args:
        num_observations: Size of an observation (4 for CartPole).
        num_actions: Number of discrete actions (2 for CartPole).
        num_hiddens: Widths of the hidden ReLU layers.

    Example:
        >>> import torch
        >>> from dlguide.torch.rl import QNetwork
        >>> QNetwork()(torch.zeros(3, 4)).shape
        torch.Size([3, 2])
    """

    def __init__(
        self,
        *,
        num_observations: int = 4,
        num_actions: int = 2,
        num_hiddens: Sequence[int] = (64, 64),
    ) -> None:
        super().__init__(**_network_sizes(num_observations, num_actions, num_hiddens))
