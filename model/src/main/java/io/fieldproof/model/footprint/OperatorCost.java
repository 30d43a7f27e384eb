package io.fieldproof.model.footprint;

import io.fieldproof.model.tflite.BuiltinOperator;

/**
 * The cost of one operator.
 *
 * @param index position in execution order
 * @param operator the builtin operator
 * @param macs multiply-accumulates per invocation ({@link MacCounter})
 */
public record OperatorCost(int index, BuiltinOperator operator, long macs) {}
