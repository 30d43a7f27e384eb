package io.fieldproof.agent.update;

import io.fieldproof.device.protocol.Capabilities;
import io.fieldproof.model.footprint.DeviceBudget;
import io.fieldproof.model.footprint.FitCheck;
import io.fieldproof.model.footprint.FitProblem;
import io.fieldproof.model.footprint.FitResult;
import io.fieldproof.model.footprint.Footprint;
import io.fieldproof.model.tflite.Int8Check;
import io.fieldproof.model.tflite.ModelRejectedException;
import io.fieldproof.model.tflite.TfliteModel;
import io.fieldproof.protocol.ModelRef;
import io.fieldproof.protocol.Sha256;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The checks a model passes on the gateway before anything is written to a device: its bytes hash
 * to the sha256 asked for, it is an int8 TFLite model of supported operators, and it fits the
 * device's arena, slot and operator set. Each failure is permanent: the same bytes fail again.
 */
final class ModelValidation {

  private ModelValidation() {}

  static void check(ModelRef wanted, byte[] bytes, Capabilities device) throws UpdateException {
    String actual = Sha256.hex(bytes);
    if (!actual.equals(wanted.sha256()) || bytes.length != wanted.size()) {
      throw new UpdateException(
          UpdateReason.DigestMismatch,
          "the model's bytes hash to "
              + actual
              + " ("
              + bytes.length
              + " bytes), not "
              + wanted.sha256()
              + " ("
              + wanted.size()
              + " bytes)");
    }
    TfliteModel model;
    try {
      model = TfliteModel.read(bytes);
      Int8Check.require(model);
    } catch (ModelRejectedException e) {
      throw new UpdateException(UpdateReason.ModelRejected, e.reason() + ": " + e.getMessage(), e);
    }
    Set<String> operators = Set.copyOf(device.operators());
    FitResult fit =
        FitCheck.check(
            Footprint.of(model),
            new DeviceBudget(device.arenaBytes(), device.slotBytes(), operators));
    if (!fit.fits()) {
      throw new UpdateException(
          UpdateReason.DoesNotFit,
          fit.problems().stream().map(FitProblem::message).collect(Collectors.joining("; ")));
    }
  }
}
