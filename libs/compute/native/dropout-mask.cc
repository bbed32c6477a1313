// A dropout mask in one pass: each element is 1 / keep with probability keep, else 0 (what tfjs's
// dropout multiplies by: floor(uniform + keep) / keep). tfjs-core draws the uniforms in
// JavaScript, one seedrandom call per element, and uploads them: about 1.3 ms per step for the
// default CNN at batch 128, 7% of it. Here the random bits come from xoshiro128+, four generators
// side by side in one vector, seeded through SplitMix64 from a per-kernel random seed and the
// position in the stream of draws, so threads share no state and no two calls repeat.
#include <atomic>
#include <random>

#include "kernel-support.h"

namespace mnist_mlops {
namespace {

constexpr const char* kOpName = "MnistMlopsDropoutMask";

struct MaskState {
  float keep = 1.0f;
  uint64_t seed = 0;
  std::atomic<uint64_t> drawn{0};
};

inline uint64_t SplitMix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

void* CreateMask(TF_OpKernelConstruction* ctx) {
  auto* state = new MaskState();
  std::random_device device;
  state->seed = (static_cast<uint64_t>(device()) << 32) ^ device();
  TF_Status* status = TF_NewStatus();
  TF_OpKernelConstruction_GetAttrFloat(ctx, "keep", &state->keep, status);
  if (TF_GetCode(status) == TF_OK && !(state->keep > 0.0f && state->keep <= 1.0f))
    TF_SetStatus(status, TF_INVALID_ARGUMENT, "MnistMlopsDropoutMask: keep must be in (0, 1]");
  if (TF_GetCode(status) != TF_OK) TF_OpKernelConstruction_Failure(ctx, status);
  TF_DeleteStatus(status);
  return state;
}

void DeleteMask(void* state) { delete static_cast<MaskState*>(state); }

typedef uint32_t Words __attribute__((vector_size(kLanes * sizeof(uint32_t))));
typedef int32_t Ints __attribute__((vector_size(kLanes * sizeof(int32_t))));

// Fills out[0, count) for the draws starting at `position` of the kernel's stream.
void FillMask(uint64_t seed, uint64_t position, float keep, float* out, int64_t count) {
  Words s[4];
  for (int word = 0; word < 4; ++word)
    for (int lane = 0; lane < kLanes; ++lane) {
      const uint64_t bits = SplitMix64(seed ^ SplitMix64(position * 16 + word * kLanes + lane));
      s[word][lane] = static_cast<uint32_t>(bits >> 32) | 1u;  // never an all-zero state
    }
  const float scale = 1.0f / keep;  // as tfjs divides floor(...) by keep, in float32
  const Floats keep_v = Floats{} + keep, scale_v = Floats{} + scale, zero = {};
  for (int64_t i = 0; i < count; i += kLanes) {
    const Words result = s[0] + s[3];
    const Words t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = (s[3] << 11) | (s[3] >> 21);
    // The top 24 bits as a float32 uniform in [0, 1); kept where floor(u + keep) is 1, as in tfjs.
    const Floats uniform =
        __builtin_convertvector(reinterpret_cast<Ints>(result >> 8), Floats) * 0x1.0p-24f;
    const Floats mask = (uniform + keep_v >= 1.0f) ? scale_v : zero;
    if (i + kLanes <= count) {
      Store(out + i, mask);
    } else {
      for (int64_t lane = 0; i + lane < count; ++lane) out[i + lane] = mask[lane];
    }
  }
}

void ComputeMask(void* kernel, TF_OpKernelContext* ctx) {
  auto& state = *static_cast<MaskState*>(kernel);
  KernelCall call(ctx, kOpName);
  TF_Tensor* shape = call.Input(0);
  if (!shape) return;
  if (TF_NumDims(shape) != 1 || TF_TensorType(shape) != TF_INT32)
    return call.Fail("shape must be a 1-D int32 tensor");
  const auto* sizes = static_cast<const int32_t*>(TF_TensorData(shape));
  std::vector<int64_t> dims(sizes, sizes + TF_Dim(shape, 0));
  int64_t count = 1;
  for (int64_t size : dims) {
    if (size < 0) return call.Fail("shape must not have negative sizes");
    count *= size;
  }
  TF_Tensor* mask = call.Output(dims, count * sizeof(float));
  if (!mask) return;
  float* out = Floats_(mask);
  const uint64_t first_draw = state.drawn.fetch_add(static_cast<uint64_t>(count));
  ParallelFor(count, 1 << 17, [&](int64_t first, int64_t last) {
    FillMask(state.seed, first_draw + first, state.keep, out + first, last - first);
  });
}

// The output's shape is the value of the input, unknown to shape inference.
void UnknownShape(TF_ShapeInferenceContext* ctx, TF_Status* status) {
  TF_ShapeInferenceContextSetUnknownShape(ctx, status);
}

}  // namespace

std::string RegisterDropoutMask() {
  TF_OpDefinitionBuilder* op = TF_NewOpDefinitionBuilder(kOpName);
  TF_OpDefinitionBuilderAddInput(op, "shape: int32");
  TF_OpDefinitionBuilderAddOutput(op, "mask: float");
  TF_OpDefinitionBuilderAddAttr(op, "keep: float");
  TF_OpDefinitionBuilderSetIsStateful(op, true);
  return RegisterOp(op, kOpName, CreateMask, ComputeMask, DeleteMask, UnknownShape);
}

}  // namespace mnist_mlops
