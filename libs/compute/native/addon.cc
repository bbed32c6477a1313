// The project's own TensorFlow kernels for the native backend (@tensorflow/tfjs-node), as a Node
// addon: loading it registers the ops below with TensorFlow's C kernel API in this process, and
// libs/model/src/lib/backends/tensorflow-kernels.ts routes tfjs kernels to them. Compiled by
// `npm run setup` (tools/native-backend/provision-tfjs-node.mjs) against the same libtensorflow.
#include <node_api.h>

#include "kernel-support.h"

namespace {

napi_value Init(napi_env env, napi_value exports) {
  // Registration is process-wide and must happen once, even if the addon is loaded twice.
  static const std::string error = [] {
    for (auto* reg : {mnist_mlops::RegisterMaxPoolGrad, mnist_mlops::RegisterBiasActivation,
                      mnist_mlops::RegisterAdamUpdate, mnist_mlops::RegisterDropoutMask,
                      mnist_mlops::RegisterAugmentDigits}) {
      std::string failure = reg();
      if (!failure.empty()) return failure;
    }
    return std::string();
  }();
  if (!error.empty()) {
    napi_throw_error(env, nullptr, ("registering the kernels failed: " + error).c_str());
    return nullptr;
  }
  const std::pair<const char*, const char*> ops[] = {
      {"maxPoolGrad", "MnistMlopsMaxPoolGrad"},
      {"biasActivation", "MnistMlopsBiasActivation"},
      {"adamUpdate", "MnistMlopsAdamUpdate"},
      {"dropoutMask", "MnistMlopsDropoutMask"},
      {"augmentDigits", "MnistMlopsAugmentDigits"},
  };
  for (const auto& [key, op] : ops) {
    napi_value name;
    napi_create_string_utf8(env, op, NAPI_AUTO_LENGTH, &name);
    napi_set_named_property(env, exports, key, name);
  }
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
