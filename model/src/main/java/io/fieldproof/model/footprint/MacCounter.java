package io.fieldproof.model.footprint;

import io.fieldproof.model.tflite.Operator;
import io.fieldproof.model.tflite.Shape;
import io.fieldproof.model.tflite.TfliteModel;

/**
 * Multiply-accumulates per operator, the usual TinyML cost measure: CONV_2D counts output elements
 * times kernel height, width and input channels per group; DEPTHWISE_CONV_2D output elements times
 * kernel height and width; FULLY_CONNECTED output elements times the accumulation depth. Windows
 * are counted whole, padding included. Every other operator counts 0: pools compare or add, ADD,
 * SOFTMAX, LOGISTIC and the conversions are element-wise.
 */
public final class MacCounter {

  private MacCounter() {}

  /** MACs of each operator of {@code model}, in execution order. */
  public static long[] perOperator(TfliteModel model) {
    long[] macs = new long[model.operators().size()];
    for (int i = 0; i < macs.length; i++) {
      macs[i] = of(model, model.operators().get(i));
    }
    return macs;
  }

  /** MACs of one operator. */
  public static long of(TfliteModel model, Operator op) {
    return switch (op.builtin()) {
      case CONV_2D -> conv(model, op);
      case DEPTHWISE_CONV_2D -> depthwise(model, op);
      case FULLY_CONNECTED -> fullyConnected(model, op);
      default -> 0;
    };
  }

  private static long conv(TfliteModel model, Operator op) {
    Shape filter = model.tensor(op.input(1)).shape();
    long outputs = model.tensor(op.output(0)).shape().flatSize();
    return filter.rank() == 4 ? outputs * filter.dim(1) * filter.dim(2) * filter.dim(3) : 0;
  }

  private static long depthwise(TfliteModel model, Operator op) {
    Shape filter = model.tensor(op.input(1)).shape();
    long outputs = model.tensor(op.output(0)).shape().flatSize();
    return filter.rank() == 4 ? outputs * filter.dim(1) * filter.dim(2) : 0;
  }

  private static long fullyConnected(TfliteModel model, Operator op) {
    Shape filter = model.tensor(op.input(1)).shape();
    long outputs = model.tensor(op.output(0)).shape().flatSize();
    return filter.rank() >= 1 ? outputs * filter.dim(filter.rank() - 1) : 0;
  }
}
