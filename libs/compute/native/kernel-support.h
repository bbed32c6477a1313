// Shared helpers for the project's TensorFlow kernels (see addon.cc).
#pragma once

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

namespace mnist_mlops {

// Portable SIMD (GCC/Clang vector extensions): 4 floats, one SSE or NEON register. Wider vectors
// without AVX enabled at compile time are split by the compiler into slow scalar code.
constexpr int64_t kLanes = 4;
typedef float Floats __attribute__((vector_size(kLanes * sizeof(float))));
typedef int32_t Mask __attribute__((vector_size(kLanes * sizeof(float))));

inline Floats Load(const float* from) {
  Floats value;
  std::memcpy(&value, from, sizeof(value));
  return value;
}

inline void Store(float* to, Floats value) { std::memcpy(to, &value, sizeof(value)); }

// Runs work(first, last) over [0, count) on up to one thread per core, in chunks of at least
// min_per_thread items: TensorFlow's own thread pool is not reachable through the C API, and the
// eager runtime runs one op at a time, so the cores are otherwise idle during a kernel.
template <typename Work>
void ParallelFor(int64_t count, int64_t min_per_thread, const Work& work) {
  const int64_t cores = std::max(1u, std::thread::hardware_concurrency());
  const int64_t threads =
      std::max<int64_t>(1, std::min(cores, count / std::max<int64_t>(1, min_per_thread)));
  std::vector<std::thread> workers;
  for (int64_t t = 1; t < threads; ++t)
    workers.emplace_back([&work, count, threads, t] {
      work(count * t / threads, count * (t + 1) / threads);
    });
  work(0, count / threads);
  for (auto& worker : workers) worker.join();
}

// Owns the TF_Status and input tensors of one Compute call and reports the first error.
class KernelCall {
 public:
  KernelCall(TF_OpKernelContext* ctx, const char* op) : ctx_(ctx), op_(op) {}
  ~KernelCall() {
    for (TF_Tensor* tensor : tensors_) TF_DeleteTensor(tensor);
    TF_DeleteStatus(status_);
  }
  KernelCall(const KernelCall&) = delete;
  KernelCall& operator=(const KernelCall&) = delete;

  TF_Tensor* Input(int index) {
    TF_Tensor* tensor = nullptr;
    TF_GetInput(ctx_, index, &tensor, status_);
    if (TF_GetCode(status_) != TF_OK) return Failed();
    tensors_.push_back(tensor);
    return tensor;
  }

  // Output `index`, shaped like `like`.
  TF_Tensor* OutputLike(TF_Tensor* like, int index = 0) {
    std::vector<int64_t> dims(TF_NumDims(like));
    for (int i = 0; i < TF_NumDims(like); ++i) dims[i] = TF_Dim(like, i);
    return Output(dims, TF_TensorByteSize(like), index);
  }

  // Float output `index` of the given shape.
  TF_Tensor* Output(const std::vector<int64_t>& dims, size_t bytes, int index = 0) {
    TF_Tensor* tensor =
        TF_AllocateOutput(ctx_, index, TF_FLOAT, dims.data(), dims.size(), bytes, status_);
    if (TF_GetCode(status_) != TF_OK) return Failed();
    tensors_.push_back(tensor);
    return tensor;
  }

  void Fail(const std::string& message) {
    TF_SetStatus(status_, TF_INVALID_ARGUMENT, (std::string(op_) + ": " + message).c_str());
    Failed();
  }

 private:
  TF_Tensor* Failed() {
    TF_OpKernelContext_Failure(ctx_, status_);
    return nullptr;
  }

  TF_OpKernelContext* ctx_;
  const char* op_;
  TF_Status* status_ = TF_NewStatus();
  std::vector<TF_Tensor*> tensors_;
};

inline float* Floats_(TF_Tensor* tensor) { return static_cast<float*>(TF_TensorData(tensor)); }

inline int64_t Elements(TF_Tensor* tensor) { return TF_TensorElementCount(tensor); }

// Each of the op's kOutputs outputs has the shape of input 0.
template <int kOutputs>
void SameShapeAsInput0(TF_ShapeInferenceContext* ctx, TF_Status* status) {
  TF_ShapeHandle* shape = TF_NewShapeHandle();
  TF_ShapeInferenceContextGetInput(ctx, 0, shape, status);
  for (int i = 0; i < kOutputs && TF_GetCode(status) == TF_OK; ++i)
    TF_ShapeInferenceContextSetOutput(ctx, i, shape, status);
  TF_DeleteShapeHandle(shape);
}

// Registers an op definition and its CPU kernel; returns an error message or "". Unless told
// otherwise, shape inference gives every output the shape of the first input.
template <int kOutputs = 1>
std::string RegisterOp(TF_OpDefinitionBuilder* op, const char* name,
                       void* (*create)(TF_OpKernelConstruction*),
                       void (*compute)(void*, TF_OpKernelContext*), void (*destroy)(void*),
                       void (*shape)(TF_ShapeInferenceContext*, TF_Status*) =
                           SameShapeAsInput0<kOutputs>) {
  TF_Status* status = TF_NewStatus();
  TF_OpDefinitionBuilderSetShapeInferenceFunction(op, shape);
  TF_RegisterOpDefinition(op, status);
  if (TF_GetCode(status) == TF_OK)
    TF_RegisterKernelBuilder(name, TF_NewKernelBuilder(name, "CPU", create, compute, destroy),
                             status);
  std::string error =
      TF_GetCode(status) == TF_OK ? "" : std::string(name) + ": " + TF_Message(status);
  TF_DeleteStatus(status);
  return error;
}

// Each kernel file defines one of these; addon.cc calls them once per process.
std::string RegisterMaxPoolGrad();
std::string RegisterBiasActivation();
std::string RegisterAdamUpdate();
std::string RegisterDropoutMask();
std::string RegisterAugmentDigits();

}  // namespace mnist_mlops
