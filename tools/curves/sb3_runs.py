"""Stable-Baselines3 runs on Gymnasium's bundled CartPole-v1; each writes RUN_ID/progress.csv
(SB3's logger, configure(folder, ["csv"])) and RUN_ID/monitor.csv (Monitor wrapper, one row
per episode: r, l, t).

Usage: python sb3_runs.py [RUN_ID ...]
"""

import warnings

import gymnasium as gym
import torch
from stable_baselines3 import A2C, DQN, PPO
from stable_baselines3.common.logger import configure
from stable_baselines3.common.monitor import Monitor

import common
from common import run_dir, seed_all

warnings.filterwarnings("ignore")
LIB = "stable-baselines3"

DQN_KW = dict(buffer_size=50_000, learning_starts=1000, batch_size=64, train_freq=4,
              gradient_steps=1, target_update_interval=500, exploration_fraction=0.12,
              exploration_final_eps=0.02, policy_kwargs=dict(net_arch=[64, 64]))


def run(run_id, algo, steps, seed=0, env_id="CartPole-v1", **kw):
    seed_all(seed)
    d = run_dir(run_id)
    env = Monitor(gym.make(env_id), str(d))  # a directory: SB3 writes d/monitor.csv
    model = algo("MlpPolicy", env, seed=seed, verbose=0, device="cpu", **kw)
    model.set_logger(configure(str(d), ["csv"]))
    model.learn(steps)
    env.close()


def sb3_ppo_cartpole_good():
    run("sb3_ppo_cartpole_good", PPO, 100_000, n_steps=1024)


def sb3_ppo_cartpole_lr_too_small():
    run("sb3_ppo_cartpole_lr_too_small", PPO, 50_000, n_steps=1024, learning_rate=1e-6)


def sb3_ppo_cartpole_lr_too_large():
    # lr 3e-2 and 20 epochs per update: learns a little, then the policy collapses.
    run("sb3_ppo_cartpole_lr_too_large", PPO, 60_000, n_steps=1024, learning_rate=3e-2, n_epochs=20)


def sb3_a2c_cartpole_good():
    run("sb3_a2c_cartpole_good", A2C, 100_000)


def sb3_a2c_cartpole_lr_too_large():
    # A2C at lr 1e-2 (default 7e-4): reward climbs for half the run, then collapses to ~9 for good.
    run("sb3_a2c_cartpole_lr_too_large", A2C, 80_000, learning_rate=1e-2)


def sb3_a2c_cartpole_high_ent_coef():
    # ent_coef 0.1 (default 0): the entropy bonus wins and the policy drifts back to random.
    run("sb3_a2c_cartpole_high_ent_coef", A2C, 100_000, ent_coef=0.1)


def sb3_dqn_cartpole_good():
    run("sb3_dqn_cartpole_good", DQN, 100_000, learning_rate=1e-3, **DQN_KW)


def sb3_dqn_cartpole_lr_too_large():
    run("sb3_dqn_cartpole_lr_too_large", DQN, 100_000, learning_rate=1e-2, **DQN_KW)


RUNS = [sb3_ppo_cartpole_good, sb3_ppo_cartpole_lr_too_small, sb3_ppo_cartpole_lr_too_large,
        sb3_a2c_cartpole_good, sb3_a2c_cartpole_lr_too_large, sb3_a2c_cartpole_high_ent_coef,
        sb3_dqn_cartpole_good, sb3_dqn_cartpole_lr_too_large]

if __name__ == "__main__":
    torch.set_num_threads(1)
    common.main(RUNS)
