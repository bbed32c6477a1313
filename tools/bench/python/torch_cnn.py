"""The benchmark's CNN in PyTorch, with the weights of our model (TORCH_WEIGHTS_JSON, written by
tools/bench/src/serving-fixtures.ts), shared by the Flask and the KServe peers."""
import json
import os

import torch
from torch import nn


def load_net() -> nn.Module:
    """The network in eval mode, one thread: each server process is one worker of a 2-core box."""
    torch.set_num_threads(1)
    torch.manual_seed(0)
    weights = os.environ.get("TORCH_WEIGHTS_JSON")
    state = None
    if weights:
        with open(weights) as f:
            state = {k: torch.tensor(v["values"], dtype=torch.float32).reshape(v["shape"]) for k, v in json.load(f).items()}
    # The hidden dense layer (DENSE_UNITS in params.env) when the weights have one.
    hidden = state["8.weight"].shape[0] if state is not None and "10.weight" in state else 0
    head = [nn.Linear(64 * 5 * 5, hidden), nn.ReLU(), nn.Linear(hidden, 10)] if hidden else [nn.Linear(64 * 5 * 5, 10)]
    net = nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Dropout(0.5), *head,
    ).eval()
    if state is not None:
        net.load_state_dict(state)
    return net
