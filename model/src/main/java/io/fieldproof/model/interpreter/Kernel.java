package io.fieldproof.model.interpreter;

/**
 * One prepared operator. Everything a kernel needs (operand arrays, offsets, multipliers, clamps)
 * is computed when it is built; {@link #run()} only reads and writes those arrays and allocates
 * nothing.
 */
interface Kernel {

  /** Computes the operator's outputs from its inputs. */
  void run();
}
