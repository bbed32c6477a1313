"""Checks rendered KServe manifests against KServe's own API models (the `kserve` package).

python validate_kserve.py <rendered.yaml>...

kubernetes-validate has no schema for KServe's kinds, so every InferenceService and
ServingRuntime is walked here through the generated model classes KServe's Python SDK is built
from (and the Kubernetes client's for pod fields): a field KServe does not know, or a value of the
wrong type, is reported with its path, as the API server's strict field validation would.
"""

import re
import sys

import kubernetes.client.models as k8s
import kserve.models as kserve
import yaml

ROOTS = {
    ("serving.kserve.io/v1beta1", "InferenceService"): kserve.V1beta1InferenceService,
    ("serving.kserve.io/v1alpha1", "ServingRuntime"): kserve.V1alpha1ServingRuntime,
    ("serving.kserve.io/v1alpha1", "ClusterServingRuntime"): kserve.V1alpha1ClusterServingRuntime,
}
SCALARS = {"str": str, "int": int, "bool": bool, "float": (int, float)}
# Fields typed `str` that Kubernetes also takes as numbers (resource quantities, int-or-string).
QUANTITY = (str, int, float)


def model_class(name):
    return getattr(kserve, name, None) or getattr(k8s, name, None)


def check(value, type_name, path, problems):
    if type_name in ("object", "datetime"):
        return
    if type_name in SCALARS:
        allowed = QUANTITY if type_name == "str" else SCALARS[type_name]
        if not isinstance(value, allowed) or (type_name != "bool" and isinstance(value, bool)):
            problems.append(f"{path}: expected {type_name}, got {type(value).__name__}")
        return
    listed = re.fullmatch(r"[lL]ist\[(.+)\]", type_name)
    if listed:
        if not isinstance(value, list):
            problems.append(f"{path}: expected a list")
            return
        for i, item in enumerate(value):
            check(item, listed.group(1), f"{path}[{i}]", problems)
        return
    mapped = re.fullmatch(r"dict\(str, (.+)\)|Dict\[str, (.+)\]", type_name)
    if mapped:
        if not isinstance(value, dict):
            problems.append(f"{path}: expected a map")
            return
        for key, item in value.items():
            check(item, mapped.group(1) or mapped.group(2), f"{path}.{key}", problems)
        return
    cls = model_class(type_name)
    if cls is None:
        problems.append(f"{path}: no model for type {type_name}")
        return
    if not isinstance(value, dict):
        problems.append(f"{path}: expected an object ({type_name})")
        return
    fields = {json: attr for attr, json in cls.attribute_map.items()}
    for key, item in value.items():
        if key not in fields:
            problems.append(f"{path}.{key}: unknown field of {type_name}")
        else:
            check(item, cls.openapi_types[fields[key]], f"{path}.{key}", problems)


def main(files):
    problems, checked = [], 0
    for file in files:
        with open(file) as stream:
            for document in yaml.safe_load_all(stream):
                if not document:
                    continue
                root = ROOTS.get((document.get("apiVersion"), document.get("kind")))
                if root is None:
                    continue
                checked += 1
                name = f"{document['kind']}/{document.get('metadata', {}).get('name', '?')}"
                check(document, root.__name__, name, problems)
    for problem in problems:
        print(problem)
    print(f"{checked} KServe resources checked, {len(problems)} problems")
    return 1 if problems or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
