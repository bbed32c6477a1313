"""PyTorch peer of the training benchmark: the same CNN, optimiser, batch size and data as
`trainer:main` (conv 32 3x3, max-pool, conv 64 3x3, max-pool, flatten, dropout 0.5, dense 10,
Adam 1e-3, batch 128, MNIST from the same IDX files). Prints one JSON line."""
import argparse
import json
import os
import resource
import struct
import time

import numpy as np
import torch
from torch import nn


def read_idx(path):
    with open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4 : 4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def model():
    return nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Dropout(0.5), nn.Linear(64 * 5 * 5, 10),
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--batch-size", type=int, default=128)
    args = parser.parse_args()

    torch.manual_seed(42)
    torch.set_num_threads(os.cpu_count())
    images = read_idx(os.path.join(args.data, "train-images-idx3-ubyte"))
    labels = read_idx(os.path.join(args.data, "train-labels-idx1-ubyte"))
    x_all = torch.from_numpy(images.astype(np.float32) / 255.0).unsqueeze(1)
    y_all = torch.from_numpy(labels.astype(np.int64))
    net = model()
    optimiser = torch.optim.Adam(net.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    net.train()
    order = torch.randperm(len(x_all))
    batch = args.batch_size

    def step(i):
        idx = order[(i * batch) % (len(order) - batch):][:batch]
        optimiser.zero_grad(set_to_none=True)
        loss = loss_fn(net(x_all[idx]), y_all[idx])
        loss.backward()
        optimiser.step()
        return loss

    for i in range(args.warmup):
        step(i)
    start = time.perf_counter()
    for i in range(args.steps):
        loss = step(args.warmup + i)
    loss.item()
    seconds = time.perf_counter() - start
    print(json.dumps({
        "backend": "pytorch",
        "version": torch.__version__,
        "threads": torch.get_num_threads(),
        "imagesPerSecond": args.steps * batch / seconds,
        "steps": args.steps,
        "peakRssMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))


if __name__ == "__main__":
    main()
