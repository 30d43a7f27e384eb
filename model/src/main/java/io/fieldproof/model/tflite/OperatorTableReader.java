package io.fieldproof.model.tflite;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntUnaryOperator;
import org.tensorflow.lite.schema.Model;
import org.tensorflow.lite.schema.OperatorCode;
import org.tensorflow.lite.schema.SubGraph;

/**
 * Reads a subgraph's operators: effective builtin codes, operands, options; refuses operators
 * outside {@link BuiltinOperator}, naming all of them at once.
 */
final class OperatorTableReader {

  private static final int CUSTOM_CODE = 32;

  private final Model model;
  private final SubGraph subgraph;
  private final VectorLength lengths;
  private final int tensorCount;

  OperatorTableReader(Model model, SubGraph subgraph, VectorLength lengths, int tensorCount) {
    this.model = model;
    this.subgraph = subgraph;
    this.lengths = lengths;
    this.tensorCount = tensorCount;
  }

  /** The operators in execution order. */
  List<Operator> read() {
    int count = lengths.check(subgraph.operatorsLength(), 4, "operators");
    int codes = lengths.check(model.operatorCodesLength(), 4, "operator codes");
    Set<String> unsupported = new TreeSet<>();
    List<Operator> operators = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      org.tensorflow.lite.schema.Operator op = subgraph.operators(i);
      if (op == null) {
        throw new ModelRejectedException(RejectionReason.CORRUPT, "operator " + i + " is missing");
      }
      long opcodeIndex = op.opcodeIndex();
      if (opcodeIndex >= codes) {
        throw new ModelRejectedException(
            RejectionReason.CORRUPT,
            "operator " + i + " refers to operator code " + opcodeIndex + " of " + codes);
      }
      OperatorCode code = model.operatorCodes((int) opcodeIndex);
      int effective = effectiveBuiltinCode(code);
      int[] inputs = operands(op.inputsLength(), op::inputs, i, true);
      int[] outputs = operands(op.outputsLength(), op::outputs, i, false);
      Optional<BuiltinOperator> builtin = BuiltinOperator.fromCode(effective);
      if (builtin.isEmpty()) {
        unsupported.add(unsupportedName(effective, code));
        continue;
      }
      Operator operator =
          new Operator(
              i,
              builtin.get(),
              code.version(),
              inputs,
              outputs,
              OperatorOptionsReader.read(builtin.get(), op));
      OperandCounts.check(operator);
      operators.add(operator);
    }
    if (!unsupported.isEmpty()) {
      throw new ModelRejectedException(
          RejectionReason.UNSUPPORTED_OPERATOR,
          "unsupported operators "
              + unsupported
              + "; the model is accepted once it uses only the supported "
              + List.of(BuiltinOperator.values())
              + " (rebuild the layers that produce the others from supported ones)");
    }
    return operators;
  }

  /**
   * The operator's builtin code: files written before code 127 was exceeded carry it only in the
   * deprecated byte, newer writers put min(code, 127) there and the full code in builtin_code, so
   * the larger of the two is the real one (TFLite's GetBuiltinCode).
   */
  static int effectiveBuiltinCode(OperatorCode code) {
    return Math.max(code.builtinCode(), code.deprecatedBuiltinCode());
  }

  private static String unsupportedName(int effective, OperatorCode code) {
    if (effective == CUSTOM_CODE) {
      String custom = code.customCode();
      return "CUSTOM(" + (custom == null ? "" : custom) + ")";
    }
    return BuiltinOperator.schemaName(effective);
  }

  private int[] operands(int length, IntUnaryOperator accessor, int operator, boolean optional) {
    int[] indices = new int[lengths.check(length, 4, "operands of operator " + operator)];
    for (int i = 0; i < indices.length; i++) {
      int index = accessor.applyAsInt(i);
      boolean absent = optional && index == -1;
      if (!absent && (index < 0 || index >= tensorCount)) {
        throw new ModelRejectedException(
            RejectionReason.CORRUPT,
            "operator " + operator + " refers to tensor " + index + " of " + tensorCount);
      }
      indices[i] = index;
    }
    return indices;
  }
}
