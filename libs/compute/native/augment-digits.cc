// Augmentation of a batch of digits in one pass per image: each output pixel reads the input,
// bilinear with 0 outside, at an affine map of its position plus a smooth elastic displacement
// (bilinear over a coarse grid, corners aligned), then is mixed towards a 3x3 Gaussian blur
// (zero padding, as conv2d 'same'), scaled, shifted and clipped to [0, 1]. The same arithmetic as
// the tfjs-op version in libs/data/src/lib/training/augment.ts, which about 30 tfjs ops (two
// gathers per neighbour) take several times as long as a training step to run.
//
// Inputs: x float [N, H, W, 1]; params float [N, 9 + 2 * grid * grid], per image:
//   m00 m01 m10 m11 ox oy | dx[grid][grid] | dy[grid][grid] | mix gain offset
// with source = M (x - cx, y - cy) + (ox, oy) + field(x, y), c the image centre.
#include <cmath>
#include <vector>

#include "kernel-support.h"

namespace mnist_mlops {
namespace {

constexpr const char* kOpName = "MnistMlopsAugmentDigits";

struct AugmentState {
  int64_t grid = 4;
};

void* CreateAugment(TF_OpKernelConstruction* ctx) {
  auto* state = new AugmentState();
  TF_Status* status = TF_NewStatus();
  TF_OpKernelConstruction_GetAttrInt64(ctx, "grid", &state->grid, status);
  if (TF_GetCode(status) == TF_OK && state->grid < 2)
    TF_SetStatus(status, TF_INVALID_ARGUMENT, "MnistMlopsAugmentDigits: grid must be at least 2");
  if (TF_GetCode(status) != TF_OK) TF_OpKernelConstruction_Failure(ctx, status);
  TF_DeleteStatus(status);
  return state;
}

void DeleteAugment(void* state) { delete static_cast<AugmentState*>(state); }

// Where each of `size` pixels falls on a grid of `grid` points with its ends on the first and
// last pixel: the cell and the weight of its far corner, as a bilinear resize with aligned corners.
void GridTaps(int64_t size, int64_t grid, std::vector<int64_t>& cell, std::vector<float>& weight) {
  const float last = static_cast<float>(grid - 1);
  for (int64_t i = 0; i < size; ++i) {
    const float at = size > 1 ? std::fmin(last, (i / static_cast<float>(size - 1)) * last) : 0.0f;
    cell[i] = std::min<int64_t>(grid - 2, static_cast<int64_t>(std::floor(at)));
    weight[i] = at - cell[i];
  }
}

struct Taps {
  std::vector<int64_t> cellX, cellY;
  std::vector<float> weightX, weightY;
  Taps(int64_t width, int64_t height, int64_t grid)
      : cellX(width), cellY(height), weightX(width), weightY(height) {
    GridTaps(width, grid, cellX, weightX);
    GridTaps(height, grid, cellY, weightY);
  }
};

inline float Field(const float* field, int64_t grid, const Taps& taps, int64_t x, int64_t y) {
  const float fx = taps.weightX[x], fy = taps.weightY[y];
  const float* at = field + taps.cellY[y] * grid + taps.cellX[x];
  return (at[0] * (1 - fx) + at[1] * fx) * (1 - fy) + (at[grid] * (1 - fx) + at[grid + 1] * fx) * fy;
}

void AugmentImage(const float* in, const float* p, int64_t grid, const Taps& taps, int64_t height,
                  int64_t width, float* warped, float* out) {
  const float cx = (width - 1) / 2.0f, cy = (height - 1) / 2.0f;
  const float* dx = p + 6;
  const float* dy = p + 6 + grid * grid;
  bool elastic = false;
  for (int64_t k = 0; k < 2 * grid * grid; ++k) elastic |= dx[k] != 0;
  const float mix = p[6 + 2 * grid * grid], gain = p[7 + 2 * grid * grid],
              offset = p[8 + 2 * grid * grid];
  auto pixel = [&](int64_t x, int64_t y) {
    return x >= 0 && x < width && y >= 0 && y < height ? in[y * width + x] : 0.0f;
  };
  for (int64_t y = 0; y < height; ++y) {
    for (int64_t x = 0; x < width; ++x) {
      float sx = p[0] * (x - cx) + p[1] * (y - cy) + p[4];
      float sy = p[2] * (x - cx) + p[3] * (y - cy) + p[5];
      if (elastic) {
        sx += Field(dx, grid, taps, x, y);
        sy += Field(dy, grid, taps, x, y);
      }
      // Coordinates far outside read background either way; clamped like the tfjs version.
      const float clampedX = std::fmin(static_cast<float>(width), std::fmax(-1.0f, sx));
      const float clampedY = std::fmin(static_cast<float>(height), std::fmax(-1.0f, sy));
      const float fx0 = std::floor(clampedX), fy0 = std::floor(clampedY);
      const int64_t x0 = static_cast<int64_t>(fx0), y0 = static_cast<int64_t>(fy0);
      const float fx = clampedX - fx0, fy = clampedY - fy0;
      float top, bottom;
      if (x0 >= 0 && y0 >= 0 && x0 + 1 < width && y0 + 1 < height) {
        const float* at = in + y0 * width + x0;
        top = at[0] * (1 - fx) + at[1] * fx;
        bottom = at[width] * (1 - fx) + at[width + 1] * fx;
      } else {
        top = pixel(x0, y0) * (1 - fx) + pixel(x0 + 1, y0) * fx;
        bottom = pixel(x0, y0 + 1) * (1 - fx) + pixel(x0 + 1, y0 + 1) * fx;
      }
      warped[y * width + x] = top * (1 - fy) + bottom * fy;
    }
  }
  // The normalised 3x3 Gaussian (sigma 1 pixel) that the tfjs version convolves with.
  const float side = std::exp(-0.5f), corner = side * side;
  const float total = 1 + 4 * side + 4 * corner;
  const float weights[3] = {corner / total, side / total, 1 / total};
  for (int64_t y = 0; y < height; ++y) {
    for (int64_t x = 0; x < width; ++x) {
      const float value = warped[y * width + x];
      float mixed = value;
      if (mix != 0) {
        float blurred = 0;
        for (int64_t j = -1; j <= 1; ++j) {
          const int64_t yy = y + j;
          if (yy < 0 || yy >= height) continue;
          for (int64_t i = -1; i <= 1; ++i) {
            const int64_t xx = x + i;
            if (xx < 0 || xx >= width) continue;
            blurred += warped[yy * width + xx] * weights[(i == 0) + (j == 0)];
          }
        }
        mixed = value + (blurred - value) * mix;
      }
      out[y * width + x] = std::fmin(1.0f, std::fmax(0.0f, mixed * gain - offset));
    }
  }
}

void ComputeAugment(void* kernel, TF_OpKernelContext* ctx) {
  const int64_t grid = static_cast<AugmentState*>(kernel)->grid;
  KernelCall call(ctx, kOpName);
  TF_Tensor* x = call.Input(0);
  TF_Tensor* params = call.Input(1);
  if (!x || !params) return;
  if (TF_NumDims(x) != 4 || TF_Dim(x, 3) != 1) return call.Fail("x must be [N, H, W, 1]");
  const int64_t count = TF_Dim(x, 0), height = TF_Dim(x, 1), width = TF_Dim(x, 2);
  const int64_t per_image = 9 + 2 * grid * grid;
  if (TF_NumDims(params) != 2 || TF_Dim(params, 0) != count || TF_Dim(params, 1) != per_image)
    return call.Fail("params must be [N, 9 + 2 * grid * grid]");
  TF_Tensor* output = call.OutputLike(x);
  if (!output) return;
  const float* in = Floats_(x);
  const float* p = Floats_(params);
  float* out = Floats_(output);
  const int64_t pixels = height * width;
  const Taps taps(width, height, grid);
  ParallelFor(count, 16, [&](int64_t first, int64_t last) {
    std::vector<float> warped(pixels);
    for (int64_t n = first; n < last; ++n)
      AugmentImage(in + n * pixels, p + n * per_image, grid, taps, height, width, warped.data(),
                   out + n * pixels);
  });
}

}  // namespace

std::string RegisterAugmentDigits() {
  TF_OpDefinitionBuilder* op = TF_NewOpDefinitionBuilder(kOpName);
  TF_OpDefinitionBuilderAddInput(op, "x: float");
  TF_OpDefinitionBuilderAddInput(op, "params: float");
  TF_OpDefinitionBuilderAddOutput(op, "y: float");
  TF_OpDefinitionBuilderAddAttr(op, "grid: int");
  return RegisterOp(op, kOpName, CreateAugment, ComputeAugment, DeleteAugment);
}

}  // namespace mnist_mlops
