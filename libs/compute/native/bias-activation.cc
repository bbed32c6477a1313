// y = activation(x + bias) over the last axis, in one pass: the tail of tfjs's fused conv2d,
// which tfjs-node runs as Conv2D, then Add and Relu as two more full passes over the output.
// `relu` is max(v, 0) with NaN kept, as TensorFlow's Relu does.
#include "kernel-support.h"

namespace mnist_mlops {
namespace {

constexpr const char* kOpName = "MnistMlopsBiasActivation";

void* CreateActivation(TF_OpKernelConstruction* ctx) {
  auto* relu = new bool(false);
  TF_Status* status = TF_NewStatus();
  TF_OpKernelConstruction_GetAttrBool(ctx, "relu", reinterpret_cast<unsigned char*>(relu), status);
  if (TF_GetCode(status) != TF_OK) TF_OpKernelConstruction_Failure(ctx, status);
  TF_DeleteStatus(status);
  return relu;
}

void DeleteActivation(void* relu) { delete static_cast<bool*>(relu); }

template <bool kRelu>
void BiasRows(const float* in, const float* bias, float* out, int64_t channels, int64_t first,
              int64_t last) {
  for (int64_t row = first; row < last; ++row) {
    const float* x = in + row * channels;
    float* y = out + row * channels;
    for (int64_t c = 0; c < channels; ++c) {
      const float v = x[c] + bias[c];
      y[c] = kRelu ? (v < 0.0f ? 0.0f : v) : v;
    }
  }
}

void ComputeBiasActivation(void* kernel, TF_OpKernelContext* ctx) {
  const bool relu = *static_cast<bool*>(kernel);
  KernelCall call(ctx, kOpName);
  TF_Tensor* x = call.Input(0);
  TF_Tensor* bias = x ? call.Input(1) : nullptr;
  if (!bias) return;
  const int rank = TF_NumDims(x);
  if (rank < 1 || TF_NumDims(bias) != 1 || TF_Dim(bias, 0) != TF_Dim(x, rank - 1))
    return call.Fail("bias must be 1-D with the size of the last axis of x");
  TF_Tensor* y = call.OutputLike(x);
  if (!y) return;
  const int64_t channels = TF_Dim(x, rank - 1);
  const int64_t rows = channels ? Elements(x) / channels : 0;
  const float* in = Floats_(x);
  const float* b = Floats_(bias);
  float* out = Floats_(y);
  ParallelFor(rows, std::max<int64_t>(1, (1 << 18) / std::max<int64_t>(1, channels)),
              [&](int64_t first, int64_t last) {
                if (relu)
                  BiasRows<true>(in, b, out, channels, first, last);
                else
                  BiasRows<false>(in, b, out, channels, first, last);
              });
}

}  // namespace

std::string RegisterBiasActivation() {
  TF_OpDefinitionBuilder* op = TF_NewOpDefinitionBuilder(kOpName);
  TF_OpDefinitionBuilderAddInput(op, "x: float");
  TF_OpDefinitionBuilderAddInput(op, "bias: float");
  TF_OpDefinitionBuilderAddOutput(op, "y: float");
  TF_OpDefinitionBuilderAddAttr(op, "relu: bool");
  return RegisterOp(op, kOpName, CreateActivation, ComputeBiasActivation, DeleteActivation);
}

}  // namespace mnist_mlops
