// One Adam step for one variable in one pass: tfjs's AdamOptimizer spends about 15 TensorFlow ops
// per variable (each a kernel launch and a temporary) on what is a handful of flops per element.
// The arithmetic is tfjs's, operation for operation in float32, so results are bit-identical:
//   m' = m * beta1 + g * (1 - beta1)
//   v' = v * beta2 + (g * g) * (1 - beta2)
//   value' = ((m' / (1 - accBeta1)) / (sqrt(v' / (1 - accBeta2)) + epsilon)) * -lr + value
// (compiled with -ffp-contract=off so no multiply-add is fused behind our back).
#include <cmath>

#include "kernel-support.h"

namespace mnist_mlops {
namespace {

constexpr const char* kOpName = "MnistMlopsAdamUpdate";

struct AdamConstants {
  float beta1, beta2, one_minus_beta1, one_minus_beta2, epsilon, neg_learning_rate;
};

void* CreateAdam(TF_OpKernelConstruction* ctx) {
  auto* constants = new AdamConstants{};
  TF_Status* status = TF_NewStatus();
  const std::pair<const char*, float*> attrs[] = {
      {"beta1", &constants->beta1},
      {"beta2", &constants->beta2},
      {"one_minus_beta1", &constants->one_minus_beta1},
      {"one_minus_beta2", &constants->one_minus_beta2},
      {"epsilon", &constants->epsilon},
      {"neg_learning_rate", &constants->neg_learning_rate},
  };
  for (const auto& [name, value] : attrs) {
    TF_OpKernelConstruction_GetAttrFloat(ctx, name, value, status);
    if (TF_GetCode(status) != TF_OK) break;
  }
  if (TF_GetCode(status) != TF_OK) TF_OpKernelConstruction_Failure(ctx, status);
  TF_DeleteStatus(status);
  return constants;
}

void DeleteAdam(void* constants) { delete static_cast<AdamConstants*>(constants); }

void ComputeAdam(void* kernel, TF_OpKernelContext* ctx) {
  const AdamConstants k = *static_cast<AdamConstants*>(kernel);
  KernelCall call(ctx, kOpName);
  TF_Tensor* inputs[6] = {};
  for (int i = 0; i < 6; ++i)
    if (!(inputs[i] = call.Input(i))) return;
  auto [value, m, v, grad, acc_beta1, acc_beta2] = inputs;
  const int64_t count = Elements(value);
  if (Elements(m) != count || Elements(v) != count || Elements(grad) != count)
    return call.Fail("value, m, v and grad must have the same number of elements");
  if (Elements(acc_beta1) != 1 || Elements(acc_beta2) != 1)
    return call.Fail("acc_beta1 and acc_beta2 must be scalars");
  TF_Tensor* outputs[3] = {};
  for (int i = 0; i < 3; ++i)
    if (!(outputs[i] = call.OutputLike(value, i))) return;
  // As tfjs computes them: sub(1, accBeta) in float32.
  const float one_minus_acc1 = 1.0f - *Floats_(acc_beta1);
  const float one_minus_acc2 = 1.0f - *Floats_(acc_beta2);
  const float* x = Floats_(value);
  const float* m_in = Floats_(m);
  const float* v_in = Floats_(v);
  const float* g = Floats_(grad);
  float* x_out = Floats_(outputs[0]);
  float* m_out = Floats_(outputs[1]);
  float* v_out = Floats_(outputs[2]);
  ParallelFor(count, 1 << 18, [&](int64_t first, int64_t last) {
    for (int64_t i = first; i < last; ++i) {
      const float new_m = m_in[i] * k.beta1 + g[i] * k.one_minus_beta1;
      const float new_v = v_in[i] * k.beta2 + (g[i] * g[i]) * k.one_minus_beta2;
      const float m_hat = new_m / one_minus_acc1;
      const float v_hat = new_v / one_minus_acc2;
      x_out[i] = (m_hat / (std::sqrt(v_hat) + k.epsilon)) * k.neg_learning_rate + x[i];
      m_out[i] = new_m;
      v_out[i] = new_v;
    }
  });
}

}  // namespace

std::string RegisterAdamUpdate() {
  TF_OpDefinitionBuilder* op = TF_NewOpDefinitionBuilder(kOpName);
  for (const char* input : {"value: float", "m: float", "v: float", "grad: float",
                            "acc_beta1: float", "acc_beta2: float"}) {
    TF_OpDefinitionBuilderAddInput(op, input);
  }
  for (const char* output : {"new_value: float", "new_m: float", "new_v: float"})
    TF_OpDefinitionBuilderAddOutput(op, output);
  for (const char* attr : {"beta1: float", "beta2: float", "one_minus_beta1: float",
                           "one_minus_beta2: float", "epsilon: float", "neg_learning_rate: float"}) {
    TF_OpDefinitionBuilderAddAttr(op, attr);
  }
  return RegisterOp<3>(op, kOpName, CreateAdam, ComputeAdam, DeleteAdam);
}

}  // namespace mnist_mlops
