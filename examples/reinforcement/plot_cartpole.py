"""
Balancing CartPole with a policy gradient
=========================================

A cart can move left or right along a track; a pole is hinged on top of it. Every step the pole
stays up earns a reward of 1; an episode terminates when the pole tilts more than 12 degrees or
the cart leaves the track, and is truncated after 500 steps. Nobody tells the agent how to
balance: it only sees four numbers (cart position and velocity, pole angle and angular velocity)
and the reward. This is the cart-pole task of :footcite:t:`barto1983neuronlike` as Gymnasium
(:footcite:t:`towers2024gymnasium`) provides it, ``CartPole-v1``. We train a small
:class:`dlguide.torch.PolicyNetwork` with REINFORCE (:footcite:t:`williams1992simple`) until it
balances for close to the full 500 steps on validation episodes, then score it over 100 new
episodes against an agent that pushes at random. Training stops as soon as the agent passes that
check (the number of episodes it took is printed), which keeps the page quick to build. This is one
training run, with one seed: the chapter :doc:`/chapters/reinforcement-learning` shows how much
shorter runs differ from seed to seed.
"""

# %%
# The environment and a random agent
# ----------------------------------
# Gymnasium's classic-control environments are plain Python and NumPy, so they run offline and
# fast. ``make_vec`` builds a batch of CartPoles that step together in one NumPy call. An
# episode ends at a different time in every copy, and a finished copy restarts by itself, so
# ``play`` keeps a mask of the carts still in their first episode and keeps only their steps.
# Its ``act`` argument maps a batch of observations to a batch of actions: it is the agent.
# ``reset(seed=...)`` fixes the starting states (small random positions, velocities and
# angles) and ``action_space.seed`` the random agent's choices, so every run of this page is the
# same.

# sphinx_gallery_start_ignore
try:  # run without dlguide installed, say what to install (hidden on the site)
    import dlguide
except ModuleNotFoundError:
    raise SystemExit(
        "This example needs dlguide[torch,examples], which is not installed: "
        "the setup page of the dlguide guide says how to install it."
    ) from None
# sphinx_gallery_end_ignore
import time

start = time.perf_counter()

import gymnasium as gym
import numpy as np

SEED = 0
NUM_EVAL = 100


def play(envs, act, *, seed=None):
    """Play one episode in each of the ``envs``; return each one's states, actions and rewards."""
    obs, _ = envs.reset(seed=seed)
    running = np.ones(envs.num_envs, dtype=bool)
    steps = []
    while running.any():
        actions = act(obs)  # (N, 4) -> (N,)
        next_obs, rewards, terminated, truncated, _ = envs.step(actions)
        steps.append((obs, actions, rewards, running.copy()))
        running &= ~(terminated | truncated)
        obs = next_obs
    # T steps of (N, ...) arrays -> (N, T, ...) arrays, one row per episode
    states, actions, rewards, alive = (np.stack(x, axis=1) for x in zip(*steps, strict=True))
    return [
        {"states": s[m], "actions": a[m], "rewards": r[m]}
        for s, a, r, m in zip(states, actions, rewards, alive, strict=True)
    ]


eval_envs = gym.make_vec("CartPole-v1", num_envs=NUM_EVAL, vectorization_mode="vector_entry_point")
print(
    f"{eval_envs.num_envs} CartPoles; one observation: {eval_envs.single_observation_space.shape}"
)
eval_envs.action_space.seed(SEED)
random_episodes = play(eval_envs, lambda obs: eval_envs.action_space.sample(), seed=SEED + 1)
random_returns = np.array([e["rewards"].sum() for e in random_episodes])
print(f"random agent: mean return {random_returns.mean():.1f} over {NUM_EVAL} episodes")

# %%
# The policy network
# ------------------
# The network maps an observation to two logits, one per action (push left, push right); their
# softmax is the probability :math:`\pi_\theta(a \mid s)` of each action. While training, the
# agent *samples* its actions from these probabilities, which is how it explores; for the
# evaluation it takes the most probable action.
import torch

from dlguide.torch import PolicyNetwork, get_device, seed_everything

seed_everything(SEED)
device = get_device()
policy = PolicyNetwork(num_observations=4, num_actions=2, num_hiddens=(64,)).to(device)


def sample_action(obs):
    with torch.no_grad():
        logits = policy(torch.as_tensor(obs, device=device))  # (N, 4) -> (N, 2)
    return torch.distributions.Categorical(logits=logits).sample().cpu().numpy()


def greedy_action(obs):
    with torch.no_grad():
        return policy(torch.as_tensor(obs, device=device)).argmax(dim=1).cpu().numpy()


# %%
# REINFORCE with reward-to-go and normalised returns
# --------------------------------------------------
# After each batch of 8 episodes, every step :math:`t` is weighted by its discounted
# reward-to-go :math:`G_t = \sum_{k \ge t} \gamma^{k-t} r_k`
# (:func:`dlguide.rl.discounted_returns`), and the policy climbs the gradient of
# :math:`\sum_t G_t \log \pi_\theta(a_t \mid s_t)` (:func:`dlguide.torch.reinforce_loss` is
# its negative): actions followed by a long survival become more likely. Subtracting the batch
# mean of :math:`G_t` (a baseline) and dividing by its standard deviation hardly changes the
# expected direction of the gradient but makes its estimate far less noisy. The objective is the
# undiscounted number of steps balanced, yet we weight by returns discounted with
# :math:`\gamma = 0.99`, as most implementations do: less noise, at the price of a bias (the
# update is then no longer exactly the gradient of that objective).
#
# When to stop? The training returns come from the *sampling* agent, while we will judge the
# *greedy* one. So once the last 40 training episodes average at least 490 steps, we also let the
# greedy agent play 20 validation episodes (their own starting states, not the test ones) and stop
# when it averages 495 or more there, the reinforcement-learning twin of early stopping on
# validation data: a high training average does not guarantee a good greedy agent. The budget
# is 150 batches (1,200 episodes); the stopping rule counts episodes, not seconds.
from dlguide.rl import discounted_returns
from dlguide.torch import reinforce_loss

BATCH, GAMMA, WINDOW, MAX_BATCHES = 8, 0.99, 40, 150
TARGET = 475  # CartPole-v1 counts as solved at this mean return
envs = gym.make_vec("CartPole-v1", num_envs=BATCH, vectorization_mode="vector_entry_point")
val_envs = gym.make_vec("CartPole-v1", num_envs=20, vectorization_mode="vector_entry_point")
val_envs.reset(seed=SEED + 2)  # later resets continue from this seed
optimizer = torch.optim.Adam(policy.parameters(), lr=0.01)

episode_returns, validation = [], 0.0
for batch in range(MAX_BATCHES):
    episodes = play(envs, sample_action, seed=SEED if batch == 0 else None)
    returns = np.concatenate([discounted_returns(e["rewards"], GAMMA) for e in episodes])
    returns = (returns - returns.mean()) / (returns.std() + 1e-8)  # baseline and scale
    states = torch.as_tensor(np.concatenate([e["states"] for e in episodes]), device=device)
    actions = torch.as_tensor(np.concatenate([e["actions"] for e in episodes]), device=device)
    loss = reinforce_loss(policy(states), actions, torch.as_tensor(returns, device=device))
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    episode_returns += [e["rewards"].sum() for e in episodes]
    if np.mean(episode_returns[-WINDOW:]) >= 490:
        validation = np.mean([e["rewards"].sum() for e in play(val_envs, greedy_action)])
        if validation >= 495:
            break
print(f"trained on {len(episode_returns)} episodes ({batch + 1} updates)")
print(f"greedy agent on the validation episodes: mean return {validation:.1f}")

# %%
# The return of every training episode
# ------------------------------------
# Single episodes are noisy, because the agent samples its actions; the moving average over the
# last 40 episodes shows the trend of this one run. Policy-gradient runs often learn slowly at
# first, then hold the pole for much longer, and may slip back for a while before they settle;
# other seeds give other curves.
import matplotlib.pyplot as plt

moving = [
    np.mean(episode_returns[max(0, i - WINDOW + 1) : i + 1]) for i in range(len(episode_returns))
]
fig, ax = plt.subplots(figsize=(7, 4))
ax.plot(episode_returns, ".", markersize=3, alpha=0.4, label="return of an episode")
ax.plot(moving, linewidth=2, label=f"moving average ({WINDOW} episodes)")
ax.axhline(TARGET, color="grey", linestyle="--", label=f"solved ({TARGET})")
ax.set(xlabel="episode", ylabel="return (steps balanced)", ylim=(0, 520))
ax.legend(loc="upper left")
fig.suptitle("CartPole-v1: return of each REINFORCE training episode")
fig.tight_layout()

# %%
# Greedy evaluation on 100 new episodes
# -------------------------------------
# The trained agent now takes its most probable action in 100 episodes whose starting states it
# did not train on, the same ones the random agent had. CartPole-v1 counts as solved at an
# average return of 475; 500 is the maximum. Whether this one run gets there is printed below.
import dlguide

greedy_returns = np.array(
    [e["rewards"].sum() for e in play(eval_envs, greedy_action, seed=SEED + 1)]
)
print(f"greedy agent: mean {greedy_returns.mean():.1f}, lowest {greedy_returns.min():.0f}")
print(f"solved (mean >= {TARGET}): {greedy_returns.mean() >= TARGET}")
dlguide.report(mean_return=greedy_returns.mean(), baseline_mean_return=random_returns.mean())

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
