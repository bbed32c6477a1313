"""Real clients from PyPI against the running service: what each one gets back, as one JSON line.

python protocol_clients.py <base url> <model name> <pixels.bin: 28x28 uint8> <picture: PNG or JPEG>

Triton's HTTP client and KServe's REST client speak the Open Inference Protocol (v2); KServe's
client in v1 mode speaks TF Serving's REST API. Each answer is the digit and the ten probabilities.
"""

import asyncio
import base64
import json
import sys
from urllib.parse import urlparse

import numpy as np
import tritonclient.http as triton
from kserve import InferenceRESTClient, InferInput, InferRequest, RESTConfig

url, model, pixels_file, picture_file = sys.argv[1:5]
pixels = np.fromfile(pixels_file, dtype=np.uint8).reshape(1, 28, 28)
image = pixels.astype(np.float32) / 255.0
picture = open(picture_file, "rb").read()


def answer(digit, probabilities):
    return {"digit": int(np.asarray(digit).reshape(-1)[0]), "probabilities": np.asarray(probabilities, dtype=np.float64).reshape(-1).tolist()}


def with_triton():
    client = triton.InferenceServerClient(url=urlparse(url).netloc)
    out = {
        "live": client.is_server_live(),
        "ready": client.is_server_ready(),
        "model_ready": client.is_model_ready(model),
        "metadata": client.get_model_metadata(model),
    }
    for binary in (True, False):
        tensor = triton.InferInput("input", list(image.shape), "FP32")
        tensor.set_data_from_numpy(image, binary_data=binary)
        # No outputs named: the client asks for all of them in binary.
        result = client.infer(model, [tensor])
        out["binary" if binary else "json"] = answer(result.as_numpy("digit"), result.as_numpy("probabilities"))
    tensor = triton.InferInput("input", [1, 28, 28], "UINT8")
    tensor.set_data_from_numpy(pixels, binary_data=True)
    wanted = [triton.InferRequestedOutput("probabilities", binary_data=False), triton.InferRequestedOutput("digit", binary_data=True)]
    result = client.infer(model, [tensor], outputs=wanted, request_id="triton-1")
    out["uint8_mixed_outputs"] = answer(result.as_numpy("digit"), result.as_numpy("probabilities"))
    out["request_id"] = result.get_response()["id"]
    try:
        client.infer("no-such-model", [tensor])
        out["unknown_model_error"] = None
    except triton.InferenceServerException as error:
        out["unknown_model_error"] = error.message()
    return out


async def with_kserve():
    client = InferenceRESTClient(RESTConfig(protocol="v2"))
    tensor = InferInput("input", list(image.shape), "FP32")
    tensor.set_data_from_numpy(image, binary_data=False)
    response = await client.infer(url, InferRequest(model_name=model, infer_inputs=[tensor]), model_name=model)
    outputs = {o.name: o.as_numpy() for o in response.outputs}
    out = {"tensor": answer(outputs["digit"], outputs["probabilities"])}
    encoded = base64.b64encode(picture).decode()
    request = InferRequest(model_name=model, infer_inputs=[InferInput("input", [1], "BYTES", data=[encoded])])
    response = await client.infer(url, request, model_name=model)
    outputs = {o.name: o.as_numpy() for o in response.outputs}
    out["picture"] = answer(outputs["digit"], outputs["probabilities"])
    v1 = InferenceRESTClient(RESTConfig(protocol="v1"))
    rows = await v1.infer(url, {"instances": image.reshape(1, 28, 28, 1).tolist()}, model_name=model)
    out["v1_instances"] = answer(rows["predictions"][0]["digit"], rows["predictions"][0]["probabilities"])
    pictures = await v1.infer(url, {"instances": [{"b64": encoded}]}, model_name=model)
    out["v1_picture"] = answer(pictures["predictions"][0]["digit"], pictures["predictions"][0]["probabilities"])
    return out


print(json.dumps({"triton": with_triton(), "kserve": asyncio.run(with_kserve())}))
