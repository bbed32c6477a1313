"""PyTorch peer of the recognition benchmark: trains the same CNN on MNIST as `trainer:main` does
(Adam 1e-3, batch 128, the same epochs), then reads a folder of pictures with the Flask server's
MNIST-style preprocessing and prints one JSON line with how many it got right.
Usage: recognize_torch.py --data MNIST_DIR --pictures DIR --epochs N"""
import argparse
import json
import os

import numpy as np
import torch
from torch import nn

import flask_server
from train_torch import model, read_idx


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--pictures", required=True)
    parser.add_argument("--epochs", type=int, default=15)
    args = parser.parse_args()

    torch.manual_seed(42)
    torch.set_num_threads(os.cpu_count())
    x = torch.from_numpy(read_idx(os.path.join(args.data, "train-images-idx3-ubyte")).astype(np.float32) / 255.0).unsqueeze(1)
    y = torch.from_numpy(read_idx(os.path.join(args.data, "train-labels-idx1-ubyte")).astype(np.int64))
    net = model()
    optimiser = torch.optim.Adam(net.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    for _ in range(args.epochs):
        net.train()
        order = torch.randperm(len(x))
        for start in range(0, len(x), 128):
            idx = order[start : start + 128]
            optimiser.zero_grad(set_to_none=True)
            loss_fn(net(x[idx]), y[idx]).backward()
            optimiser.step()
    net.eval()

    right = 0
    total = 0
    missed = []
    for name in sorted(os.listdir(args.pictures)):
        label = int(name.split("_")[0])
        with open(os.path.join(args.pictures, name), "rb") as f:
            field = flask_server.prepare(f.read())
        total += 1
        if field is None:
            missed.append(name)
            continue
        with torch.inference_mode():
            prediction = int(net(torch.from_numpy(field)[None, None]).argmax())
        if prediction == label:
            right += 1
        else:
            missed.append(name)
    print(json.dumps({"system": "pytorch + Pillow MNIST-style preprocessing", "epochs": args.epochs, "right": right, "total": total, "accuracy": right / total, "missed": missed}))


if __name__ == "__main__":
    main()
