// A max-pooling gradient kernel for the native TensorFlow backend, registered through TensorFlow's
// C kernel API as the op `MnistMlopsMaxPoolGrad` and loaded into the process as a Node addon.
//
// Why: TensorFlow's CPU MaxPoolGrad was 26-28% of a training step of the default CNN
// (`nx run bench:profile`). It is generic (arbitrary windows, NCHW, an Eigen argmax pass, then a
// scatter). This kernel does the same work for NHWC float32 in one pass: for each output position
// it scans the window with the channel loop innermost (contiguous, vectorised), keeps the first
// maximum like TensorFlow does, and adds dy there. Batches are split over a few threads.
//
// Built by tools/native-backend/build-tensorflow-kernels.mjs (part of `npm run setup`).

#include <node_api.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "tensorflow/c/kernels.h"
#include "tensorflow/c/ops.h"
#include "tensorflow/c/tf_datatype.h"
#include "tensorflow/c/tf_status.h"
#include "tensorflow/c/tf_tensor.h"

namespace {

constexpr const char* kOpName = "MnistMlopsMaxPoolGrad";

struct PoolWindow {
  int32_t filter_height, filter_width, stride_height, stride_width, pad_top, pad_left;
};

struct Shapes {
  int64_t batch, height, width, channels, out_height, out_width;
};

void* CreatePoolWindow(TF_OpKernelConstruction* ctx) {
  auto* window = new PoolWindow{};
  TF_Status* status = TF_NewStatus();
  const std::pair<const char*, int32_t*> attrs[] = {
      {"filter_height", &window->filter_height}, {"filter_width", &window->filter_width},
      {"stride_height", &window->stride_height}, {"stride_width", &window->stride_width},
      {"pad_top", &window->pad_top},             {"pad_left", &window->pad_left},
  };
  for (const auto& [name, value] : attrs) {
    TF_OpKernelConstruction_GetAttrInt32(ctx, name, value, status);
    if (TF_GetCode(status) != TF_OK) break;
  }
  if (TF_GetCode(status) == TF_OK &&
      (window->filter_height < 1 || window->filter_width < 1 || window->stride_height < 1 ||
       window->stride_width < 1 || window->pad_top < 0 || window->pad_left < 0)) {
    TF_SetStatus(status, TF_INVALID_ARGUMENT,
                 "MnistMlopsMaxPoolGrad: window sizes and strides must be >= 1, pads >= 0");
  }
  if (TF_GetCode(status) != TF_OK) TF_OpKernelConstruction_Failure(ctx, status);
  TF_DeleteStatus(status);
  return window;
}

void DeletePoolWindow(void* window) { delete static_cast<PoolWindow*>(window); }

// dx for images [first, last) of the batch. dx must be zeroed for those images.
void PoolGradImages(const PoolWindow& w, const Shapes& s, const float* x, const float* dy,
                    float* dx, int64_t first, int64_t last) {
  const int64_t c_count = s.channels;
  std::vector<float> best(c_count);
  std::vector<int64_t> where(c_count);
  for (int64_t b = first; b < last; ++b) {
    const float* x_image = x + b * s.height * s.width * c_count;
    float* dx_image = dx + b * s.height * s.width * c_count;
    const float* dy_row = dy + b * s.out_height * s.out_width * c_count;
    for (int64_t oh = 0; oh < s.out_height; ++oh) {
      const int64_t h_start = std::max<int64_t>(oh * w.stride_height - w.pad_top, 0);
      const int64_t h_end = std::min<int64_t>(oh * w.stride_height - w.pad_top + w.filter_height,
                                              s.height);
      for (int64_t ow = 0; ow < s.out_width; ++ow, dy_row += c_count) {
        const int64_t w_start = std::max<int64_t>(ow * w.stride_width - w.pad_left, 0);
        const int64_t w_end = std::min<int64_t>(ow * w.stride_width - w.pad_left + w.filter_width,
                                                s.width);
        if (h_start >= h_end || w_start >= w_end) continue;  // window entirely in the padding
        // The first element of the window in scan order starts as the maximum...
        const int64_t first_offset = (h_start * s.width + w_start) * c_count;
        std::memcpy(best.data(), x_image + first_offset, c_count * sizeof(float));
        std::fill(where.begin(), where.end(), first_offset);
        // ...and only a strictly greater value replaces it, as in TensorFlow's kernel.
        for (int64_t h = h_start; h < h_end; ++h) {
          for (int64_t col = w_start; col < w_end; ++col) {
            const int64_t offset = (h * s.width + col) * c_count;
            const float* values = x_image + offset;
            for (int64_t c = 0; c < c_count; ++c) {
              const bool greater = values[c] > best[c];
              best[c] = greater ? values[c] : best[c];
              where[c] = greater ? offset : where[c];
            }
          }
        }
        for (int64_t c = 0; c < c_count; ++c) dx_image[where[c] + c] += dy_row[c];
      }
    }
  }
}

// Portable SIMD (GCC/Clang vector extensions): 4 floats, one SSE or NEON register.
constexpr int64_t kLanes = 4;
typedef float Floats __attribute__((vector_size(kLanes * sizeof(float))));
typedef int32_t Mask __attribute__((vector_size(kLanes * sizeof(float))));

inline Floats Load(const float* from) {
  Floats value;
  std::memcpy(&value, from, sizeof(value));
  return value;
}

inline void Store(float* to, Floats value) { std::memcpy(to, &value, sizeof(value)); }

// The common case (2x2 windows, stride 2, no padding): windows do not overlap, so every element of
// dx inside a window is written exactly once, without zeroing first or scattering. Channels are
// processed four at a time with vector compares and selects.
void PoolGrad2x2Images(const Shapes& s, const float* x, const float* dy, float* dx, int64_t first,
                       int64_t last) {
  const int64_t c_count = s.channels;
  const int64_t row = s.width * c_count;
  for (int64_t b = first; b < last; ++b) {
    const float* x_image = x + b * s.height * row;
    float* dx_image = dx + b * s.height * row;
    const float* dy_image = dy + b * s.out_height * s.out_width * c_count;
    for (int64_t oh = 0; oh < s.out_height; ++oh) {
      for (int64_t ow = 0; ow < s.out_width; ++ow) {
        const int64_t top = 2 * oh * row + 2 * ow * c_count;
        const float* x0 = x_image + top;
        const float* x1 = x0 + c_count;
        const float* x2 = x0 + row;
        const float* x3 = x2 + c_count;
        float* d0 = dx_image + top;
        float* d1 = d0 + c_count;
        float* d2 = d0 + row;
        float* d3 = d2 + c_count;
        const float* g = dy_image + (oh * s.out_width + ow) * c_count;
        int64_t c = 0;
        for (; c + kLanes <= c_count; c += kLanes) {
          const Floats v0 = Load(x0 + c), v1 = Load(x1 + c), v2 = Load(x2 + c),
                       v3 = Load(x3 + c), grad = Load(g + c), zero = {};
          // First maximum in scan order with strict comparisons, as TensorFlow picks it.
          const Mask take1 = v1 > v0;
          const Floats m01 = take1 ? v1 : v0;
          const Mask take2 = v2 > m01;
          const Mask take3 = v3 > (take2 ? v2 : m01);
          const Mask before3 = ~take3, before2 = before3 & ~take2;
          Store(d3 + c, take3 ? grad : zero);
          Store(d2 + c, (before3 & take2) ? grad : zero);
          Store(d1 + c, (before2 & take1) ? grad : zero);
          Store(d0 + c, (before2 & ~take1) ? grad : zero);
        }
        for (; c < c_count; ++c) {
          const float m01 = x1[c] > x0[c] ? x1[c] : x0[c];
          const float m012 = x2[c] > m01 ? x2[c] : m01;
          const int chosen = x3[c] > m012 ? 3 : x2[c] > m01 ? 2 : x1[c] > x0[c] ? 1 : 0;
          d0[c] = chosen == 0 ? g[c] : 0.0f;
          d1[c] = chosen == 1 ? g[c] : 0.0f;
          d2[c] = chosen == 2 ? g[c] : 0.0f;
          d3[c] = chosen == 3 ? g[c] : 0.0f;
        }
      }
      // An odd width leaves a last column outside every window.
      for (int64_t w = 2 * s.out_width; w < s.width; ++w) {
        std::memset(dx_image + 2 * oh * row + w * c_count, 0, c_count * sizeof(float));
        std::memset(dx_image + (2 * oh + 1) * row + w * c_count, 0, c_count * sizeof(float));
      }
    }
    // An odd height leaves a last row outside every window.
    for (int64_t h = 2 * s.out_height; h < s.height; ++h)
      std::memset(dx_image + h * row, 0, row * sizeof(float));
  }
}

void ComputePoolGrad(void* kernel, TF_OpKernelContext* ctx) {
  const auto& window = *static_cast<PoolWindow*>(kernel);
  TF_Status* status = TF_NewStatus();
  TF_Tensor* x = nullptr;
  TF_Tensor* dy = nullptr;
  TF_Tensor* dx = nullptr;
  auto fail = [&](const std::string& message) {
    TF_SetStatus(status, TF_INVALID_ARGUMENT, ("MnistMlopsMaxPoolGrad: " + message).c_str());
    TF_OpKernelContext_Failure(ctx, status);
  };
  TF_GetInput(ctx, 0, &x, status);
  if (TF_GetCode(status) == TF_OK) TF_GetInput(ctx, 1, &dy, status);
  if (TF_GetCode(status) != TF_OK) {
    TF_OpKernelContext_Failure(ctx, status);
  } else if (TF_NumDims(x) != 4 || TF_NumDims(dy) != 4) {
    fail("x and dy must be 4-D (NHWC)");
  } else {
    const Shapes s{TF_Dim(x, 0), TF_Dim(x, 1), TF_Dim(x, 2), TF_Dim(x, 3), TF_Dim(dy, 1),
                   TF_Dim(dy, 2)};
    if (TF_Dim(dy, 0) != s.batch || TF_Dim(dy, 3) != s.channels) {
      fail("dy must have the batch size and channels of x");
    } else {
      const int64_t dims[4] = {s.batch, s.height, s.width, s.channels};
      const size_t bytes = TF_TensorByteSize(x);
      dx = TF_AllocateOutput(ctx, 0, TF_FLOAT, dims, 4, bytes, status);
      if (TF_GetCode(status) != TF_OK) {
        TF_OpKernelContext_Failure(ctx, status);
      } else {
        auto* out = static_cast<float*>(TF_TensorData(dx));
        const auto* in = static_cast<const float*>(TF_TensorData(x));
        const auto* grad = static_cast<const float*>(TF_TensorData(dy));
        const bool two_by_two = window.filter_height == 2 && window.filter_width == 2 &&
                                window.stride_height == 2 && window.stride_width == 2 &&
                                window.pad_top == 0 && window.pad_left == 0 &&
                                s.out_height == s.height / 2 && s.out_width == s.width / 2;
        if (!two_by_two) std::memset(out, 0, bytes);
        auto images = [&](int64_t first, int64_t last) {
          if (two_by_two)
            PoolGrad2x2Images(s, in, grad, out, first, last);
          else
            PoolGradImages(window, s, in, grad, out, first, last);
        };
        // Threads only pay for themselves on big tensors; images are independent.
        const int64_t elements = s.batch * s.height * s.width * s.channels;
        const int64_t threads = std::min<int64_t>(
            {static_cast<int64_t>(std::max(1u, std::thread::hardware_concurrency())), s.batch,
             std::max<int64_t>(1, elements / (1 << 17))});
        std::vector<std::thread> workers;
        for (int64_t t = 1; t < threads; ++t) {
          workers.emplace_back(images, s.batch * t / threads, s.batch * (t + 1) / threads);
        }
        images(0, s.batch / threads);
        for (auto& worker : workers) worker.join();
      }
    }
  }
  if (x) TF_DeleteTensor(x);
  if (dy) TF_DeleteTensor(dy);
  if (dx) TF_DeleteTensor(dx);
  TF_DeleteStatus(status);
}

void SameShapeAsX(TF_ShapeInferenceContext* ctx, TF_Status* status) {
  TF_ShapeHandle* shape = TF_NewShapeHandle();
  TF_ShapeInferenceContextGetInput(ctx, 0, shape, status);
  if (TF_GetCode(status) == TF_OK) TF_ShapeInferenceContextSetOutput(ctx, 0, shape, status);
  TF_DeleteShapeHandle(shape);
}

std::string Register() {
  TF_Status* status = TF_NewStatus();
  TF_OpDefinitionBuilder* op = TF_NewOpDefinitionBuilder(kOpName);
  TF_OpDefinitionBuilderAddInput(op, "x: float");
  TF_OpDefinitionBuilderAddInput(op, "dy: float");
  TF_OpDefinitionBuilderAddOutput(op, "dx: float");
  for (const char* attr : {"filter_height: int", "filter_width: int", "stride_height: int",
                           "stride_width: int", "pad_top: int", "pad_left: int"}) {
    TF_OpDefinitionBuilderAddAttr(op, attr);
  }
  TF_OpDefinitionBuilderSetShapeInferenceFunction(op, SameShapeAsX);
  TF_RegisterOpDefinition(op, status);
  if (TF_GetCode(status) == TF_OK) {
    TF_KernelBuilder* kernel =
        TF_NewKernelBuilder(kOpName, "CPU", CreatePoolWindow, ComputePoolGrad, DeletePoolWindow);
    TF_RegisterKernelBuilder(kOpName, kernel, status);
  }
  std::string error = TF_GetCode(status) == TF_OK ? "" : TF_Message(status);
  TF_DeleteStatus(status);
  return error;
}

napi_value Init(napi_env env, napi_value exports) {
  // Registration is process-wide and must happen once, even if the addon is required twice.
  static const std::string error = Register();
  if (!error.empty()) {
    napi_throw_error(env, nullptr, ("registering MnistMlopsMaxPoolGrad failed: " + error).c_str());
    return nullptr;
  }
  napi_value name;
  napi_create_string_utf8(env, kOpName, NAPI_AUTO_LENGTH, &name);
  napi_set_named_property(env, exports, "maxPoolGradOp", name);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
