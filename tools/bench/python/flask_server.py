"""The Python peer of the serving benchmark, as the original lab served: Flask behind gunicorn,
PyTorch, the same CNN, POST /predict with the image in the form field `input`, MNIST-style
preprocessing with Pillow (EXIF rotation, gray, dark-on-light inverted, crop to the digit, fit
20x20, centre in 28x28). Run: gunicorn -w 2 -b 127.0.0.1:PORT flask_server:app"""
import io

import numpy as np
import torch
from flask import Flask, jsonify, request
from PIL import Image, ImageOps

from torch_cnn import load_net

net = load_net()

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
