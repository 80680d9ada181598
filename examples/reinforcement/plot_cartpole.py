"""
Balancing CartPole with a policy gradient
=========================================

A cart can move left or right along a track; a pole is hinged on top of it. Every step the pole
stays up earns a reward of 1, and an episode ends when the pole tilts more than 12 degrees, the
cart leaves the track, or 500 steps have passed. Nobody tells the agent how to balance: it only
sees four numbers (cart position and velocity, pole angle and angular velocity) and the reward.
We train a small :class:`dlguide.torch.PolicyNetwork` with REINFORCE (Williams, 1992,
https://doi.org/10.1007/BF00992696) on Gymnasium's ``CartPole-v1`` until it balances for the
full 500 steps, then score it over 100 new episodes against an agent that moves at random.
Training stops as soon as the agent is good enough, after a few hundred episodes, so the page
builds in seconds.
"""

# %%
# The environment and a random agent
# ----------------------------------
# Gymnasium's classic-control environments are plain Python, so they run offline and fast.
# ``reset(seed=...)`` fixes the starting state (small random angles and velocities) and
# ``action_space.seed`` the random agent's choices, so every run of this page is the same.
# A random agent is the baseline: the pole falls within a couple of dozen steps.
import time

start = time.perf_counter()

import gymnasium as gym
import numpy as np

SEED = 0
NUM_EVAL = 100
env = gym.make("CartPole-v1")
print(f"observation: {env.observation_space.shape}, actions: {env.action_space.n}")

env.action_space.seed(SEED)
random_returns = []
for episode in range(NUM_EVAL):
    env.reset(seed=10_000 + episode)
    total, done = 0.0, False
    while not done:
        _, reward, terminated, truncated, _ = env.step(env.action_space.sample())
        total += reward
        done = terminated or truncated
    random_returns.append(total)
print(f"random policy: mean return {np.mean(random_returns):.1f} over {NUM_EVAL} episodes")

# %%
# Playing a batch of episodes
# ---------------------------
# The policy network maps an observation to two logits, one per action (push left, push right);
# their softmax is the probability :math:`\pi_\theta(a \mid s)` of each action. We play a batch
# of episodes side by side in separate environments, so the network scores all the carts still
# moving in one forward pass. While training, actions are *sampled* from the policy, which is how
# the agent explores; for evaluation it takes the most probable action (``greedy=True``).
import torch

from dlguide.torch import PolicyNetwork, get_device, seed_everything

seed_everything(SEED)
device = get_device()


def play(policy, envs, seeds, *, greedy=False):
    """Run one episode in each environment; return their observations, actions and rewards."""
    obs = np.stack([e.reset(seed=s)[0] for e, s in zip(envs, seeds, strict=True)])
    running = np.ones(len(envs), dtype=bool)
    episodes = [{"obs": [], "actions": [], "rewards": []} for _ in envs]
    while running.any():
        active = np.flatnonzero(running)
        with torch.no_grad():
            logits = policy(torch.as_tensor(obs[active], device=device))  # (B, 4) -> (B, 2)
            if greedy:
                actions = logits.argmax(dim=1)
            else:
                actions = torch.distributions.Categorical(logits=logits).sample()
        for i, action in zip(active, actions.cpu().numpy(), strict=True):
            episodes[i]["obs"].append(obs[i].copy())
            episodes[i]["actions"].append(int(action))
            obs[i], reward, terminated, truncated, _ = envs[i].step(int(action))
            episodes[i]["rewards"].append(reward)
            running[i] = not (terminated or truncated)
    return episodes


# %%
# REINFORCE with reward-to-go and normalised returns
# --------------------------------------------------
# After each batch of 8 episodes, every step :math:`t` is weighted by its discounted
# reward-to-go :math:`G_t = \sum_{k \ge t} \gamma^{k-t} r_k` (:func:`dlguide.rl.discounted_returns`),
# and the policy climbs the gradient of :math:`\sum_t G_t \log \pi_\theta(a_t \mid s_t)`
# (:func:`dlguide.torch.reinforce_loss` is its negative). Actions followed by a long survival
# become more likely. Subtracting the batch mean of :math:`G_t` (a baseline) and dividing by
# its standard deviation leaves the expected gradient direction unchanged but makes its
# estimate far less noisy. We stop when the last 40 episodes average at least 475 steps, or
# after 150 batches.
from dlguide.rl import discounted_returns
from dlguide.torch import reinforce_loss

BATCH, GAMMA, TARGET, WINDOW, MAX_BATCHES = 8, 0.99, 475, 40, 150
envs = [gym.make("CartPole-v1") for _ in range(BATCH)]
policy = PolicyNetwork(num_observations=4, num_actions=2, num_hiddens=(64,)).to(device)
optimizer = torch.optim.Adam(policy.parameters(), lr=0.01)

episode_returns = []
for batch in range(MAX_BATCHES):
    seeds = [SEED * 100_000 + batch * BATCH + i for i in range(BATCH)]
    episodes = play(policy, envs, seeds)
    returns = np.concatenate([discounted_returns(e["rewards"], GAMMA) for e in episodes])
    returns = (returns - returns.mean()) / (returns.std() + 1e-8)  # baseline and scale
    obs = torch.as_tensor(np.concatenate([e["obs"] for e in episodes]), device=device)
    actions = torch.as_tensor(np.concatenate([e["actions"] for e in episodes]), device=device)
    loss = reinforce_loss(policy(obs), actions, torch.as_tensor(returns, device=device))
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    episode_returns += [sum(e["rewards"]) for e in episodes]
    if len(episode_returns) >= WINDOW and np.mean(episode_returns[-WINDOW:]) >= TARGET:
        break
print(f"trained on {len(episode_returns)} episodes ({batch + 1} updates)")

# %%
# The return of every training episode
# ------------------------------------
# Single episodes are noisy, because the agent samples its actions; the moving average over the
# last 40 episodes shows the trend. Learning is slow at first, then the agent suddenly holds the
# pole for much longer, the typical shape of a policy-gradient run.
import matplotlib.pyplot as plt

moving = [np.mean(episode_returns[max(0, i - WINDOW + 1) : i + 1]) for i in range(len(episode_returns))]
fig, ax = plt.subplots(figsize=(7, 4))
ax.plot(episode_returns, ".", markersize=3, alpha=0.4, label="return of an episode")
ax.plot(moving, linewidth=2, label=f"moving average ({WINDOW} episodes)")
ax.axhline(TARGET, color="grey", linestyle="--", label=f"target {TARGET}")
ax.set(xlabel="episode", ylabel="return (steps balanced)", ylim=(0, 520))
ax.legend(loc="upper left")
fig.suptitle("CartPole-v1: return per training episode of the REINFORCE agent, with moving average")
fig.tight_layout()

# %%
# Greedy evaluation on 100 new episodes
# -------------------------------------
# The trained agent now takes its most probable action in 100 episodes whose starting states it
# has not seen (the same seeds as the random agent's). CartPole-v1 counts as solved at an average
# return of 475; 500 is the maximum.
import dlguide

eval_envs = [gym.make("CartPole-v1") for _ in range(NUM_EVAL)]
eval_episodes = play(policy, eval_envs, [10_000 + i for i in range(NUM_EVAL)], greedy=True)
greedy_returns = np.array([sum(e["rewards"]) for e in eval_episodes])
print(f"greedy policy: mean {greedy_returns.mean():.1f}, min {greedy_returns.min():.0f}")
dlguide.report(mean_return=greedy_returns.mean(), baseline_mean_return=np.mean(random_returns))

# %%
# Footer
# ------
# The seed, library versions, device and wall time of this run.
dlguide.footer(seed=SEED, device=device, start=start)
