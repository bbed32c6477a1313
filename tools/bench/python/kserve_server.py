"""The KServe peer of the serving benchmark: KServe's own Python model server (kserve.ModelServer,
FastAPI + uvicorn), the Open Inference Protocol v2, the same CNN and weights in PyTorch. It takes
the tensor as sent (FP32 [N, 28, 28] or [N, 784], MNIST pixels / 255) and answers `probabilities`
and `digit`, as our /v2 route does. Run: python kserve_server.py --model_name mnist-cnn --http_port PORT --workers N
"""
import argparse
import uuid

import numpy as np
import torch
from kserve import InferOutput, InferRequest, InferResponse, Model, ModelServer, model_server
from kserve.logging import KSERVE_LOG_CONFIG

from torch_cnn import load_net

# No line per request, as the other servers of the benchmark log warnings and errors only: KServe's
# access and timing logs quieted here, at import, so that its worker processes (which import this
# file again and configure logging from this dict) are quiet too.
for quiet in ("uvicorn.access", "kserve.trace"):
    KSERVE_LOG_CONFIG["loggers"][quiet]["level"] = "WARNING"


class MnistCnn(Model):
    def __init__(self, name: str):
        super().__init__(name)
        self.net = None

    def load(self) -> bool:
        self.net = load_net()
        self.ready = True
        return self.ready

    def predict(self, payload: InferRequest, headers=None, response_headers=None) -> InferResponse:
        pixels = payload.inputs[0].as_numpy().astype(np.float32).reshape(-1, 1, 28, 28)
        with torch.inference_mode():
            probabilities = torch.softmax(self.net(torch.from_numpy(pixels)), dim=1).numpy()
        outputs = [
            InferOutput("probabilities", list(probabilities.shape), "FP32", probabilities),
            InferOutput("digit", [probabilities.shape[0]], "INT64", probabilities.argmax(axis=1).astype(np.int64)),
        ]
        return InferResponse(response_id=payload.id or str(uuid.uuid4()), model_name=self.name, infer_outputs=outputs)


if __name__ == "__main__":
    args, _ = argparse.ArgumentParser(parents=[model_server.parser]).parse_known_args()
    model = MnistCnn(args.model_name)
    model.load()
    server = ModelServer(
        http_port=args.http_port, workers=args.workers, enable_grpc=False, enable_latency_logging=False
    )
    server.start([model])
