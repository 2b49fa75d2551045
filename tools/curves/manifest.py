"""Which curves of which runs go into tests/fixtures/labelled/curves.tsv, and the regime each run
was set up for on purpose. The regime is what we did, not what the curve looks like: labels come
from blind judges (see README.md)."""

PT, LIT, HF, SK, SB3 = "pytorch", "lightning", "transformers", "scikit-learn", "stable-baselines3"
J, CSV, TS = "metrics.jsonl", "version_0/metrics.csv", "trainer_state.json"
PROG, MON = "progress.csv", "monitor.csv"

# (run_id, library, regime, file, [metric, ...])
RUNS = [
    # ---- plain PyTorch loops (torch_loops.py)
    ("pt_digits_good_lr", PT, "good_lr", J, ["train_loss", "val_loss", "val_acc", "val_f1", "grad_norm"]),
    ("pt_digits_lr_too_small", PT, "lr_too_small", J, ["train_loss", "val_loss", "val_acc"]),
    ("pt_digits_lr_too_large_dead", PT, "lr_too_large", J, ["train_loss", "val_loss", "val_acc"]),
    ("pt_digits_lr_too_large_sgd", PT, "lr_too_large", J, ["train_loss", "val_loss", "val_acc", "grad_norm"]),
    ("pt_digits_lr_too_large_adam", PT, "lr_too_large", J, ["train_loss", "val_loss", "val_acc"]),
    ("pt_digits_dead_relu", PT, "dead_relu", J, ["train_loss", "val_loss", "val_acc", "grad_norm"]),
    ("pt_tabular_overfit", PT, "overfit", J, ["train_loss", "val_loss", "val_acc"]),
    ("pt_digits_overfit", PT, "overfit", J, ["train_loss", "val_loss"]),
    ("pt_digits_label_noise", PT, "label_noise", J, ["train_loss", "val_loss", "val_acc"]),
    ("pt_digits_step_decay", PT, "step_decay", J, ["train_loss", "val_loss", "lr"]),
    ("pt_digits_cosine", PT, "cosine", J, ["train_loss", "train_loss_epoch", "val_acc", "lr"]),
    ("pt_imbalanced_majority_collapse", PT, "majority_collapse", J, ["train_loss", "val_acc", "val_f1"]),
    ("pt_moons_good_lr", PT, "good_lr", J, ["train_loss", "val_loss", "val_f1"]),
    ("pt_regression_good_lr", PT, "good_lr", J, ["train_loss", "val_loss"]),
    ("pt_regression_lr_too_large_diverge", PT, "lr_too_large", J, ["train_loss", "val_loss", "grad_norm"]),
    ("pt_regression_lr_edge_spiky", PT, "lr_too_large", J, ["train_loss", "val_loss"]),
    ("pt_regression_lr_too_large_nan", PT, "lr_too_large", J, ["train_loss", "val_loss", "lr"]),
    ("pt_gan_ring", PT, "gan", J, ["d_loss", "g_loss", "d_real", "d_fake"]),
    ("pt_seg_shapes_dice", PT, "segmentation_dice", J, ["train_loss", "val_loss", "dice", "iou"]),
    ("pt_seg_shapes_lr_too_small", PT, "lr_too_small", J, ["train_loss", "dice"]),
    # ---- PyTorch Lightning, CSVLogger (lit_runs.py)
    ("lit_digits_good_lr", LIT, "good_lr", CSV, ["train_loss_step", "train_loss_epoch", "val_loss", "val_acc"]),
    ("lit_digits_lr_too_small", LIT, "lr_too_small", CSV, ["train_loss_epoch", "val_loss", "val_acc"]),
    ("lit_digits_lr_too_large", LIT, "lr_too_large", CSV, ["train_loss_epoch", "val_loss", "val_acc"]),
    ("lit_digits_dead_relu", LIT, "dead_relu", CSV, ["train_loss_epoch", "val_acc"]),
    ("lit_digits_label_noise", LIT, "label_noise", CSV, ["train_loss_epoch", "val_loss", "val_acc"]),
    ("lit_digits_step_decay", LIT, "step_decay", CSV, ["train_loss_epoch", "lr-SGD"]),
    ("lit_digits_cosine", LIT, "cosine", CSV, ["train_loss_step", "val_loss", "lr-SGD"]),
    ("lit_digits_onecycle", LIT, "onecycle", CSV, ["train_loss_step", "val_loss", "lr-SGD"]),
    ("lit_digits_plateau", LIT, "plateau_decay", CSV, ["val_loss", "lr-Adam"]),
    ("lit_tabular_overfit", LIT, "overfit", CSV, ["train_loss_epoch", "val_loss", "val_f1"]),
    ("lit_imbalanced_majority_collapse", LIT, "majority_collapse", CSV, ["val_loss", "val_acc", "val_f1"]),
    ("lit_seg_shapes_dice", LIT, "segmentation_dice", CSV, ["train_loss_epoch", "val_loss", "val_dice"]),
    # ---- Hugging Face Trainer (hf_runs.py)
    ("hf_bert_good_lr", HF, "good_lr", TS, ["loss", "eval_loss", "eval_accuracy", "eval_f1", "grad_norm", "learning_rate"]),
    ("hf_bert_lr_too_small", HF, "lr_too_small", TS, ["loss", "eval_loss", "eval_accuracy"]),
    ("hf_bert_lr_too_large", HF, "lr_too_large", TS, ["loss", "eval_loss", "eval_accuracy"]),
    ("hf_bert_majority_collapse", HF, "majority_collapse", TS, ["loss", "eval_accuracy", "eval_f1"]),
    ("hf_bert_overfit", HF, "overfit", TS, ["loss", "eval_loss", "eval_accuracy"]),
    ("hf_bert_label_noise", HF, "label_noise", TS, ["loss", "eval_loss", "eval_f1"]),
    ("hf_gpt2_cosine", HF, "cosine", TS, ["loss", "eval_loss", "learning_rate"]),
    ("hf_gpt2_cosine_restarts", HF, "cosine_restarts", TS, ["loss", "learning_rate"]),
    ("hf_gpt2_lr_too_large", HF, "lr_too_large", TS, ["loss", "eval_loss"]),
    # ---- scikit-learn, partial_fit per epoch (sk_runs.py)
    ("sk_mlp_digits_good_lr", SK, "good_lr", J, ["train_loss", "val_loss", "val_acc"]),
    ("sk_mlp_digits_lr_too_small", SK, "lr_too_small", J, ["train_loss", "val_acc"]),
    ("sk_mlp_digits_lr_too_large", SK, "lr_too_large", J, ["train_loss", "val_loss", "val_acc"]),
    ("sk_mlp_digits_label_noise", SK, "label_noise", J, ["train_loss", "val_loss", "val_acc"]),
    ("sk_mlp_tabular_overfit", SK, "overfit", J, ["train_loss", "val_loss"]),
    ("sk_sgd_tabular_good_lr", SK, "good_lr", J, ["train_loss", "val_acc", "lr"]),
    ("sk_sgd_tabular_label_noise", SK, "label_noise", J, ["train_loss", "val_acc"]),
    ("sk_sgd_tabular_lr_too_large", SK, "lr_too_large", J, ["train_loss", "val_acc"]),
    ("sk_sgd_imbalanced_majority_collapse", SK, "majority_collapse", J, ["val_acc", "val_f1"]),
    # ---- Stable-Baselines3 on CartPole-v1 (sb3_runs.py)
    ("sb3_ppo_cartpole_good", SB3, "rl_good", PROG, ["rollout/ep_rew_mean", "train/entropy_loss", "train/value_loss", "train/approx_kl"]),
    ("sb3_ppo_cartpole_good", SB3, "rl_good", MON, ["r"]),
    ("sb3_ppo_cartpole_lr_too_small", SB3, "rl_lr_too_small", PROG, ["rollout/ep_rew_mean"]),
    ("sb3_ppo_cartpole_lr_too_small", SB3, "rl_lr_too_small", MON, ["r"]),
    ("sb3_ppo_cartpole_lr_too_large", SB3, "rl_collapse", PROG, ["rollout/ep_rew_mean", "train/entropy_loss"]),
    ("sb3_a2c_cartpole_good", SB3, "rl_good", PROG, ["rollout/ep_rew_mean", "train/policy_loss", "train/value_loss"]),
    ("sb3_a2c_cartpole_good", SB3, "rl_good", MON, ["r"]),
    ("sb3_a2c_cartpole_lr_too_large", SB3, "rl_collapse", PROG, ["rollout/ep_rew_mean", "train/entropy_loss"]),
    ("sb3_a2c_cartpole_lr_too_large", SB3, "rl_collapse", MON, ["r"]),
    ("sb3_a2c_cartpole_high_ent_coef", SB3, "rl_collapse", PROG, ["rollout/ep_rew_mean", "train/entropy_loss"]),
    ("sb3_dqn_cartpole_good", SB3, "rl_good", PROG, ["rollout/ep_rew_mean", "train/loss", "rollout/exploration_rate"]),
    ("sb3_dqn_cartpole_lr_too_large", SB3, "rl_lr_too_large", PROG, ["rollout/ep_rew_mean", "train/loss"]),
]
