// A max-pooling gradient kernel for the native TensorFlow backend, registered through TensorFlow's
// C kernel API as the op `MnistMlopsMaxPoolGrad`.
//
// Why: TensorFlow's CPU MaxPoolGrad was 26-28% of a training step of the default CNN
// (`nx run bench:profile`). It is generic (arbitrary windows, NCHW, an Eigen argmax pass, then a
// scatter). This kernel does the same work for NHWC float32 in one pass: for each output position
// it scans the window with the channel loop innermost (contiguous, vectorised), keeps the first
// maximum like TensorFlow does, and adds dy there. Batches are split over a few threads.

#include "kernel-support.h"

namespace mnist_mlops {
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
  KernelCall call(ctx, kOpName);
  TF_Tensor* x = call.Input(0);
  TF_Tensor* dy = x ? call.Input(1) : nullptr;
  if (!dy) return;
  if (TF_NumDims(x) != 4 || TF_NumDims(dy) != 4) return call.Fail("x and dy must be 4-D (NHWC)");
  const Shapes s{TF_Dim(x, 0), TF_Dim(x, 1), TF_Dim(x, 2), TF_Dim(x, 3), TF_Dim(dy, 1),
                 TF_Dim(dy, 2)};
  if (TF_Dim(dy, 0) != s.batch || TF_Dim(dy, 3) != s.channels)
    return call.Fail("dy must have the batch size and channels of x");
  TF_Tensor* dx = call.OutputLike(x);
  if (!dx) return;
  float* out = Floats_(dx);
  const float* in = Floats_(x);
  const float* grad = Floats_(dy);
  const bool two_by_two = window.filter_height == 2 && window.filter_width == 2 &&
                          window.stride_height == 2 && window.stride_width == 2 &&
                          window.pad_top == 0 && window.pad_left == 0 &&
                          s.out_height == s.height / 2 && s.out_width == s.width / 2;
  if (!two_by_two) std::memset(out, 0, TF_TensorByteSize(dx));
  // Images are independent; threads pay for themselves from about 128K elements each.
  const int64_t image = s.height * s.width * s.channels;
  ParallelFor(s.batch, std::max<int64_t>(1, (1 << 17) / std::max<int64_t>(1, image)),
              [&](int64_t first, int64_t last) {
                if (two_by_two)
                  PoolGrad2x2Images(s, in, grad, out, first, last);
                else
                  PoolGradImages(window, s, in, grad, out, first, last);
              });
}

}  // namespace

std::string RegisterMaxPoolGrad() {
  TF_OpDefinitionBuilder* op = TF_NewOpDefinitionBuilder(kOpName);
  TF_OpDefinitionBuilderAddInput(op, "x: float");
  TF_OpDefinitionBuilderAddInput(op, "dy: float");
  TF_OpDefinitionBuilderAddOutput(op, "dx: float");
  for (const char* attr : {"filter_height: int", "filter_width: int", "stride_height: int",
                           "stride_width: int", "pad_top: int", "pad_left: int"}) {
    TF_OpDefinitionBuilderAddAttr(op, attr);
  }
  return RegisterOp(op, kOpName, CreatePoolWindow, ComputePoolGrad, DeletePoolWindow);
}

}  // namespace mnist_mlops
