// fp_runner_port over TensorFlow Lite Micro (tflite::MicroInterpreter with a
// MicroMutableOpResolver of the 14 operators fp_runner_int8 runs). NOT COMPILED in this
// repository: TFLM is not available here; it is written against TFLM's public API
// (micro_interpreter.h, micro_mutable_op_resolver.h) and must be built in a TFLM project
// (runner/README.md). No heap: the model buffer, the arena and the interpreter live in static
// storage; the interpreter is constructed in place on each load.
//
// Sizes: FP_RUNNER_MODEL_MAX and FP_RUNNER_ARENA_BYTES from fp_runner_config.h, as for the
// portable runner. TFLM's arena holds more bookkeeping than fp_runner_int8's, so a board may need
// a larger FP_RUNNER_ARENA_BYTES with this adaptor (TFLM plans 4704 bytes for ds_cnn_keywords).
//
// Cycles: FP_RUNNER_TFLM_CYCLES() reads a cycle counter when the board defines it (for example
// DWT->CYCCNT on a Cortex-M4); without it, invoke reports 0 cycles.

#include <new>
#include <stdint.h>
#include <string.h>

#include "tensorflow/lite/micro/micro_interpreter.h"
#include "tensorflow/lite/micro/micro_mutable_op_resolver.h"
#include "tensorflow/lite/schema/schema_generated.h"

extern "C" {
#include "fp_runner_config.h"
}
#include "fp_runner_tflm.h"

#ifndef FP_RUNNER_TFLM_CYCLES
#define FP_RUNNER_TFLM_CYCLES() 0u
#endif

namespace {

constexpr int kOperatorCount = 14;

const char *const kOperators[kOperatorCount] = {
    "FULLY_CONNECTED", "CONV_2D", "DEPTHWISE_CONV_2D", "AVERAGE_POOL_2D", "MAX_POOL_2D",
    "RESHAPE",         "SOFTMAX", "LOGISTIC",          "QUANTIZE",        "DEQUANTIZE",
    "ADD",             "SHAPE",   "STRIDED_SLICE",     "PACK"};

using Resolver = tflite::MicroMutableOpResolver<kOperatorCount>;

alignas(16) uint8_t model_buffer[FP_RUNNER_MODEL_MAX];
alignas(16) uint8_t arena[FP_RUNNER_ARENA_BYTES];
alignas(Resolver) uint8_t resolver_storage[sizeof(Resolver)];
alignas(tflite::MicroInterpreter) uint8_t interpreter_storage[sizeof(tflite::MicroInterpreter)];
Resolver *resolver = nullptr;
tflite::MicroInterpreter *interpreter = nullptr;

bool add_operators(Resolver &r) {
  return r.AddFullyConnected() == kTfLiteOk && r.AddConv2D() == kTfLiteOk &&
         r.AddDepthwiseConv2D() == kTfLiteOk && r.AddAveragePool2D() == kTfLiteOk &&
         r.AddMaxPool2D() == kTfLiteOk && r.AddReshape() == kTfLiteOk &&
         r.AddSoftmax() == kTfLiteOk && r.AddLogistic() == kTfLiteOk &&
         r.AddQuantize() == kTfLiteOk && r.AddDequantize() == kTfLiteOk &&
         r.AddAdd() == kTfLiteOk && r.AddShape() == kTfLiteOk &&
         r.AddStridedSlice() == kTfLiteOk && r.AddPack() == kTfLiteOk;
}

void unload() {
  if (interpreter != nullptr) {
    interpreter->~MicroInterpreter();
    interpreter = nullptr;
  }
}

// The port's type of an interface tensor (int8 or float32); false for any other type.
bool port_type(const TfLiteTensor *t, uint8_t *type) {
  if (t == nullptr) return false;
  if (t->type == kTfLiteInt8) {
    *type = FP_TENSOR_INT8;
  } else if (t->type == kTfLiteFloat32) {
    *type = FP_TENSOR_FLOAT32;
  } else {
    return false;
  }
  return true;
}

size_t element_size(const TfLiteTensor *t) { return t->type == kTfLiteFloat32 ? 4u : 1u; }

// Why the last load, invoke or info failed ("" after a success), for the port's reason.
const char *last_reason = "";

fp_err refuse(const char *why) {
  last_reason = why;
  return FP_ERR_MODEL_INVALID;
}

fp_err load(void *, const fp_flash_port *flash, uint32_t offset, uint32_t length) {
  unload();
  last_reason = "";
  if (length > sizeof model_buffer) return refuse("the model is larger than the model buffer");
  fp_err err = flash->read(flash->ctx, offset, model_buffer, length);
  if (err != FP_OK) return err;
  if (resolver == nullptr) {
    resolver = new (resolver_storage) Resolver();
    if (!add_operators(*resolver)) return refuse("the operators could not be registered");
  }
  // TFLM trusts the flatbuffer, and a model from the network is untrusted input: verify it first
  // with the generated verifier (header-only; fp_runner_int8 checks every offset itself).
  flatbuffers::Verifier verifier(model_buffer, length);
  if (!tflite::VerifyModelBuffer(verifier)) return refuse("corrupt model: the verifier refused it");
  const tflite::Model *model = tflite::GetModel(model_buffer);
  if (model->version() != TFLITE_SCHEMA_VERSION) return refuse("the schema version is not 3");
  interpreter = new (interpreter_storage)
      tflite::MicroInterpreter(model, *resolver, arena, sizeof arena);
  if (interpreter->AllocateTensors() != kTfLiteOk || interpreter->inputs_size() < 1 ||
      interpreter->outputs_size() < 1) {
    unload();
    return refuse("TFLM could not allocate the model's tensors in the arena");
  }
  return FP_OK;
}

fp_err invoke(void *, const void *input, size_t input_len, void *output, size_t cap,
              size_t *output_len, uint64_t *cycles) {
  *output_len = 0;
  *cycles = 0;
  if (interpreter == nullptr) return refuse("no model is loaded");
  TfLiteTensor *in = interpreter->input(0);
  const TfLiteTensor *out = interpreter->output(0);
  uint8_t in_type, out_type;
  if (!port_type(in, &in_type) || !port_type(out, &out_type) ||
      in->bytes != input_len * element_size(in) || out->bytes > cap * element_size(out)) {
    return refuse("the input or output does not match the model's input 0 and output 0");
  }
  memcpy(in->data.raw, input, in->bytes);
  uint32_t start = FP_RUNNER_TFLM_CYCLES();
  if (interpreter->Invoke() != kTfLiteOk) return refuse("TFLM's Invoke failed");
  *cycles = (uint32_t)(FP_RUNNER_TFLM_CYCLES() - start);
  out = interpreter->output(0);
  memcpy(output, out->data.raw, out->bytes);
  *output_len = out->bytes / element_size(out);
  last_reason = "";
  return FP_OK;
}

fp_err info(void *, fp_model_info *out) {
  if (interpreter == nullptr) return refuse("no model is loaded");
  const TfLiteTensor *in = interpreter->input(0);
  const TfLiteTensor *res = interpreter->output(0);
  uint8_t in_type, out_type;
  if (!port_type(in, &in_type) || !port_type(res, &out_type)) {
    return refuse("the model's input 0 or output 0 is neither int8 nor float32");
  }
  bool in_q = in_type == FP_TENSOR_INT8, out_q = out_type == FP_TENSOR_INT8;
  out->input_len = (uint32_t)(in->bytes / element_size(in));
  out->input_type = in_type;
  out->input_scale = in_q ? in->params.scale : 0.0f;
  out->input_zero_point = in_q ? in->params.zero_point : 0;
  out->output_len = (uint32_t)(res->bytes / element_size(res));
  out->output_type = out_type;
  out->output_scale = out_q ? res->params.scale : 0.0f;
  out->output_zero_point = out_q ? res->params.zero_point : 0;
  return FP_OK;
}

const char *reason(void *) { return last_reason; }

const fp_runner_port kPort = {nullptr, kOperators, kOperatorCount, FP_RUNNER_ARENA_BYTES,
                              load,    invoke,     info,           reason};

}  // namespace

extern "C" const fp_runner_port *fp_runner_tflm(void) { return &kPort; }
