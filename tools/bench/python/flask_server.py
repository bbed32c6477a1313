"""The Python peer of the serving benchmark, as the original lab served: Flask behind gunicorn,
PyTorch, the same CNN, POST /predict with the image in the form field `input`, MNIST-style
preprocessing with Pillow (EXIF rotation, gray, dark-on-light inverted, crop to the digit, fit
20x20, centre in 28x28). Run: gunicorn -w 2 -b 127.0.0.1:PORT flask_server:app"""
import io
import os

import numpy as np
import torch
from flask import Flask, jsonify, request
from PIL import Image, ImageOps
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(0)
weights = os.environ.get("TORCH_WEIGHTS_JSON")
state = None
if weights:
    import json

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

app = Flask(__name__)


def prepare(data):
    image = ImageOps.exif_transpose(Image.open(io.BytesIO(data))).convert("L")
    image.thumbnail((512, 512))
    pixels = np.asarray(image, dtype=np.float32) / 255.0
    border = np.concatenate([pixels[0], pixels[-1], pixels[:, 0], pixels[:, -1]])
    if np.median(border) > 0.5:
        pixels = 1.0 - pixels
    pixels = np.clip(pixels - np.median(border if np.median(border) <= 0.5 else 1.0 - border), 0, 1)
    ys, xs = np.nonzero(pixels > 0.2)
    if len(xs) == 0:
        return None
    crop = pixels[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
    h, w = crop.shape
    scale = 20.0 / max(h, w)
    digit = Image.fromarray((crop * 255).astype(np.uint8)).resize((max(1, round(w * scale)), max(1, round(h * scale))), Image.BILINEAR)
    field = np.zeros((28, 28), dtype=np.float32)
    arr = np.asarray(digit, dtype=np.float32) / 255.0
    cy, cx = np.array(np.nonzero(arr)).mean(axis=1) if arr.any() else (arr.shape[0] / 2, arr.shape[1] / 2)
    top = int(round(13.5 - cy))
    left = int(round(13.5 - cx))
    top = min(max(top, 0), 28 - arr.shape[0])
    left = min(max(left, 0), 28 - arr.shape[1])
    field[top : top + arr.shape[0], left : left + arr.shape[1]] = arr
    return field


@app.get("/health")
def health():
    return jsonify(status="ok")


@app.post("/predict")
def predict():
    upload = request.files.get("input")
    if upload is None:
        return jsonify(error={"code": "MISSING_INPUT", "message": "no input"}), 400
    field = prepare(upload.read())
    if field is None:
        return jsonify(error={"code": "NO_DIGIT_FOUND", "message": "no digit"}), 422
    with torch.inference_mode():
        probabilities = torch.softmax(net(torch.from_numpy(field)[None, None]), dim=1)[0]
    best = int(probabilities.argmax())
    return jsonify(prediction=best, confidence=float(probabilities[best]), probabilities=probabilities.tolist())
