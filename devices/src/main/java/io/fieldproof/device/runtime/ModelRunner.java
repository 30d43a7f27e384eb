package io.fieldproof.device.runtime;

/**
 * Runs the active model on one window of normalized inputs: quantizes them with the model's input
 * parameters, invokes, and dequantizes the decision output. Devices without a valid model have
 * none, and the runtime falls back.
 */
public interface ModelRunner {

  /** Number of input features the model takes. */
  int features();

  /**
   * Runs one inference.
   *
   * @param normalized the normalized inputs, in the order of the group's inputs
   * @param output index of the model output that is the score
   * @return the dequantized score
   */
  double score(double[] normalized, int output);

  /** Cycles the last inference took on the device. */
  long lastCycles();
}
