package io.fieldproof.model.tflite;

import java.util.ArrayList;
import java.util.List;

/**
 * Decides whether a model is int8, the only kind the devices run.
 *
 * <p>Rules, per operator: QUANTIZE reads float32 or int8 and writes int8; DEQUANTIZE reads int8 and
 * writes float32; every other operator reads and writes int8, except a convolution's or dense
 * layer's bias (int32), RESHAPE's optional shape operand, and the int32 axes, paddings or
 * permutation of MEAN, PAD, TRANSPOSE, EXPAND_DIMS (input 1) and SPLIT (input 0). SHAPE reads int8
 * and writes int32; STRIDED_SLICE and PACK move int8 or int32 data (output of the input's type;
 * STRIDED_SLICE's begin, end and strides are int32), which is how a Keras Flatten with a dynamic
 * batch computes RESHAPE's shape. Every int8 tensor carries a scale and a zero point in [-128,
 * 127]; per-channel scales match the quantized dimension.
 */
public final class Int8Check {

  private Int8Check() {}

  /** Classifies the model without throwing. */
  public static QuantizationReport inspect(TfliteModel model) {
    List<String> findings = new ArrayList<>();
    int int8Operators = 0;
    for (Operator op : model.operators()) {
      if (checkOperator(model, op, findings)) {
        int8Operators++;
      }
    }
    QuantizationScheme scheme;
    if (findings.isEmpty()) {
      scheme = QuantizationScheme.INT8;
    } else if (int8Operators == 0) {
      scheme = QuantizationScheme.FLOAT32;
    } else {
      scheme = QuantizationScheme.MIXED;
    }
    boolean floatInterface =
        model.inputTensors().stream().anyMatch(t -> t.type() == TensorType.FLOAT32)
            || model.outputTensors().stream().anyMatch(t -> t.type() == TensorType.FLOAT32);
    return new QuantizationReport(scheme, floatInterface, findings);
  }

  /**
   * Requires an int8 model with usable quantization parameters.
   *
   * @throws ModelRejectedException {@link RejectionReason#FLOAT_MODEL}, {@link
   *     RejectionReason#MIXED_PRECISION} or {@link RejectionReason#INVALID_QUANTIZATION}
   */
  public static QuantizationReport require(TfliteModel model) {
    QuantizationReport report = inspect(model);
    switch (report.scheme()) {
      case FLOAT32 ->
          throw new ModelRejectedException(
              RejectionReason.FLOAT_MODEL,
              "the model computes in float32, an int8 (post-training quantized) model is required: "
                  + summary(report.findings()));
      case MIXED ->
          throw new ModelRejectedException(
              RejectionReason.MIXED_PRECISION,
              "the model mixes int8 with other types: "
                  + summary(report.findings())
                  + "; convert with full-integer quantization (TFLITE_BUILTINS_INT8 and a"
                  + " representative dataset that reaches every operator) so that every operator"
                  + " computes in int8");
      case INT8 -> requireQuantizationParameters(model);
    }
    return report;
  }

  /**
   * Adds a finding per offending operand; returns whether the operator is a computing one (not
   * QUANTIZE or DEQUANTIZE) that reads int8 data.
   */
  private static boolean checkOperator(TfliteModel model, Operator op, List<String> findings) {
    switch (op.builtin()) {
      case QUANTIZE -> {
        expect(model, op, true, 0, findings, TensorType.FLOAT32, TensorType.INT8);
        expect(model, op, false, 0, findings, TensorType.INT8);
        return false;
      }
      case DEQUANTIZE -> {
        expect(model, op, true, 0, findings, TensorType.INT8);
        expect(model, op, false, 0, findings, TensorType.FLOAT32);
        return false;
      }
      case SHAPE -> {
        expect(model, op, true, 0, findings, TensorType.INT8);
        expect(model, op, false, 0, findings, TensorType.INT32);
        return true;
      }
      case STRIDED_SLICE, PACK -> {
        return checkDataMovement(model, op, findings);
      }
      default -> {
        for (int slot = 0; slot < op.inputCount(); slot++) {
          expect(model, op, true, slot, findings, expectedInput(op.builtin(), slot));
        }
        for (int slot = 0; slot < op.outputCount(); slot++) {
          expect(model, op, false, slot, findings, TensorType.INT8);
        }
        int data = op.builtin() == BuiltinOperator.SPLIT ? op.input(1) : op.input(0);
        return data >= 0 && model.tensor(data).type() == TensorType.INT8;
      }
    }
  }

  /**
   * An operator that moves int8 or int32 values without arithmetic: the data inputs (all of PACK's,
   * STRIDED_SLICE's first) and the output share the first input's type; STRIDED_SLICE's begin, end
   * and strides are int32. Counts as int8 when it moves int8.
   */
  private static boolean checkDataMovement(TfliteModel model, Operator op, List<String> findings) {
    TensorType data = model.tensor(op.input(0)).type();
    TensorType allowed = data == TensorType.INT32 ? TensorType.INT32 : TensorType.INT8;
    int dataInputs = op.builtin() == BuiltinOperator.PACK ? op.inputCount() : 1;
    for (int slot = 0; slot < op.inputCount(); slot++) {
      expect(model, op, true, slot, findings, slot < dataInputs ? allowed : TensorType.INT32);
    }
    expect(model, op, false, 0, findings, allowed);
    return allowed == TensorType.INT8;
  }

  private static TensorType expectedInput(BuiltinOperator builtin, int slot) {
    boolean biasSlot =
        slot == 2
            && (builtin == BuiltinOperator.CONV_2D
                || builtin == BuiltinOperator.DEPTHWISE_CONV_2D
                || builtin == BuiltinOperator.FULLY_CONNECTED);
    boolean shapeSlot =
        slot == 1
            && (builtin == BuiltinOperator.RESHAPE
                || builtin == BuiltinOperator.MEAN
                || builtin == BuiltinOperator.PAD
                || builtin == BuiltinOperator.TRANSPOSE
                || builtin == BuiltinOperator.EXPAND_DIMS);
    boolean axisSlot = slot == 0 && builtin == BuiltinOperator.SPLIT;
    return biasSlot || shapeSlot || axisSlot ? TensorType.INT32 : TensorType.INT8;
  }

  private static void expect(
      TfliteModel model,
      Operator op,
      boolean input,
      int slot,
      List<String> findings,
      TensorType... allowed) {
    int index = input ? op.input(slot) : op.output(slot);
    if (index < 0) {
      return;
    }
    Tensor tensor = model.tensor(index);
    for (TensorType type : allowed) {
      if (tensor.type() == type) {
        return;
      }
    }
    findings.add(
        op.builtin()
            + " #"
            + op.index()
            + (input ? " input " : " output ")
            + slot
            + " ("
            + tensor.name()
            + ") is "
            + tensor.type()
            + ", expected "
            + (allowed.length == 1 ? allowed[0] : List.of(allowed)));
  }

  private static void requireQuantizationParameters(TfliteModel model) {
    for (Tensor tensor : model.tensors()) {
      if (tensor.type() != TensorType.INT8) {
        continue;
      }
      Quantization q = tensor.quantization();
      if (!q.isPresent()) {
        throw invalid(tensor, "has no quantization parameters");
      }
      for (int c = 0; c < q.channelCount(); c++) {
        float scale = q.scale(c);
        if (!(scale > 0f) || Float.isInfinite(scale)) {
          throw invalid(tensor, "has scale " + scale + " for channel " + c);
        }
        long zeroPoint = q.zeroPoint(c);
        if (zeroPoint < -128 || zeroPoint > 127) {
          throw invalid(tensor, "has zero point " + zeroPoint + " outside int8");
        }
      }
      if (q.isPerChannel()) {
        int dim = q.quantizedDimension();
        if (dim < 0
            || dim >= tensor.shape().rank()
            || tensor.shape().dim(dim) != q.channelCount()) {
          throw invalid(
              tensor,
              "has "
                  + q.channelCount()
                  + " per-channel scales along dimension "
                  + dim
                  + " of shape "
                  + tensor.shape());
        }
      }
    }
  }

  private static ModelRejectedException invalid(Tensor tensor, String what) {
    return new ModelRejectedException(
        RejectionReason.INVALID_QUANTIZATION,
        "int8 tensor " + tensor.index() + " (" + tensor.name() + ") " + what);
  }

  private static String summary(List<String> findings) {
    int shown = Math.min(findings.size(), 3);
    String text = String.join("; ", findings.subList(0, shown));
    return findings.size() > shown ? text + "; and " + (findings.size() - shown) + " more" : text;
  }
}
