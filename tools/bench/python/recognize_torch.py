"""PyTorch peer of the recognition benchmark: trains the same CNN on MNIST with the same recipe as
`trainer:main` (Adam, batch 128, the same epochs, cosine schedule with warm-up, label smoothing,
and the same kinds of augmentation of every batch: affine, elastic, pen width, blur, contrast,
with torch's own affine_grid/grid_sample), then reads a folder of pictures with the Flask
server's MNIST-style Pillow preprocessing and prints one JSON line with how many it got right.
Usage: recognize_torch.py --data MNIST_DIR --pictures DIR --recipe JSON"""
import argparse
import json
import math
import os

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

import flask_server
from train_torch import read_idx


def model(dense_units):
    layers = [
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Dropout(0.5),
    ]
    if dense_units:
        layers += [nn.Linear(64 * 5 * 5, dense_units), nn.ReLU(), nn.Linear(dense_units, 10)]
    else:
        layers += [nn.Linear(64 * 5 * 5, 10)]
    return nn.Sequential(*layers)


GAUSSIAN = torch.tensor([math.exp(-0.5), 1.0, math.exp(-0.5)])
GAUSSIAN = torch.outer(GAUSSIAN, GAUSSIAN)
GAUSSIAN = (GAUSSIAN / GAUSSIAN.sum()).view(1, 1, 3, 3)


def augment(x, a, generator):
    n = x.shape[0]
    u = lambda low, high, *shape: low + (high - low) * torch.rand(*(shape or (n,)), generator=generator)
    angle = u(-a["rotation"], a["rotation"]) * math.pi / 180
    zoom = u(1 - a["scale"], 1 + a["scale"])
    shear = torch.tan(u(-a["shear"], a["shear"]) * math.pi / 180)
    cos, sin = torch.cos(angle) / zoom, torch.sin(angle) / zoom
    theta = torch.zeros(n, 2, 3)
    theta[:, 0, 0], theta[:, 0, 1] = cos + shear * sin, sin - shear * cos
    theta[:, 1, 0], theta[:, 1, 1] = -sin, cos
    # Shifts in pixels as normalised coordinates (the image spans [-1, 1]).
    theta[:, 0, 2] = u(-a["shift"], a["shift"]) * 2 / 28
    theta[:, 1, 2] = u(-a["shift"], a["shift"]) * 2 / 28
    grid = F.affine_grid(theta, x.shape, align_corners=True)
    if a["elastic"]:
        field = u(-a["elastic"], a["elastic"], n, 2, 4, 4) * 2 / 28
        grid = grid + F.interpolate(field, size=(28, 28), mode="bilinear", align_corners=True).permute(0, 2, 3, 1)
    x = F.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=True)
    stroke = u(-a["stroke"], a["stroke"]).view(n, 1, 1, 1)
    soften = u(0, a["blur"]).view(n, 1, 1, 1)
    contrast = u(1 - a["contrast"], 1 + a["contrast"]).view(n, 1, 1, 1)
    mix = (stroke.clamp(min=0) + soften).clamp(max=1)
    cut = 0.5 * (-stroke).clamp(min=0)
    blurred = F.conv2d(x, GAUSSIAN, padding=1)
    x = x + (blurred - x) * mix
    return ((x * contrast * (1 + 2 * stroke.clamp(min=0)) - cut) / (1 - cut)).clamp(0, 1)


def train(net, optimiser, loss_fn, rate, recipe, x, y, generator):
    step = 0
    augmentation = recipe["augmentation"]
    augmenting = any(v != 0 for v in augmentation.values())
    for _ in range(recipe["epochs"]):
        net.train()
        order = torch.randperm(len(x))
        for start in range(0, len(x), 128):
            idx = order[start : start + 128]
            for group in optimiser.param_groups:
                group["lr"] = rate(step)
            step += 1
            batch = augment(x[idx], augmentation, generator) if augmenting else x[idx]
            optimiser.zero_grad(set_to_none=True)
            loss_fn(net(batch), y[idx]).backward()
            optimiser.step()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--pictures", required=True)
    parser.add_argument("--recipe", required=True, help="JSON: epochs, learningRate, schedule (constant or cosine), warmupEpochs, labelSmoothing, denseUnits, augmentation")
    parser.add_argument("--weights", help="load the trained peer from this file if it exists; otherwise train and save it there")
    args = parser.parse_args()
    recipe = json.loads(args.recipe)

    torch.manual_seed(42)
    generator = torch.Generator().manual_seed(42)
    torch.set_num_threads(os.cpu_count())
    x = torch.from_numpy(read_idx(os.path.join(args.data, "train-images-idx3-ubyte")).astype(np.float32) / 255.0).unsqueeze(1)
    y = torch.from_numpy(read_idx(os.path.join(args.data, "train-labels-idx1-ubyte")).astype(np.int64))
    net = model(recipe["denseUnits"])
    optimiser = torch.optim.Adam(net.parameters(), lr=recipe["learningRate"])
    loss_fn = nn.CrossEntropyLoss(label_smoothing=recipe["labelSmoothing"])
    steps_per_epoch = math.ceil(len(x) / 128)
    total = recipe["epochs"] * steps_per_epoch
    warmup = round(recipe["warmupEpochs"] * steps_per_epoch)
    base = recipe["learningRate"]

    def rate(step):
        if recipe["schedule"] == "constant":
            return base
        if step < warmup:
            return base * (0.1 + 0.9 * step / warmup)
        return base * (1 + math.cos(math.pi * min(1, (step - warmup) / max(1, total - warmup)))) / 2

    if args.weights and os.path.exists(args.weights):
        net.load_state_dict(torch.load(args.weights))
    else:
        train(net, optimiser, loss_fn, rate, recipe, x, y, generator)
        if args.weights:
            os.makedirs(os.path.dirname(args.weights), exist_ok=True)
            torch.save(net.state_dict(), args.weights + ".partial")
            os.replace(args.weights + ".partial", args.weights)
    net.eval()

    right = 0
    total_pictures = 0
    missed = []
    for name in sorted(os.listdir(args.pictures)):
        label = int(name.split("_")[0])
        with open(os.path.join(args.pictures, name), "rb") as f:
            field = flask_server.prepare(f.read())
        total_pictures += 1
        if field is None:
            missed.append(name)
            continue
        with torch.inference_mode():
            prediction = int(net(torch.from_numpy(field)[None, None]).argmax())
        if prediction == label:
            right += 1
        else:
            missed.append(name)
    print(json.dumps({"system": "pytorch + Pillow MNIST-style preprocessing", "recipe": recipe, "right": right, "total": total_pictures, "accuracy": right / total_pictures, "missed": missed}))


if __name__ == "__main__":
    main()
