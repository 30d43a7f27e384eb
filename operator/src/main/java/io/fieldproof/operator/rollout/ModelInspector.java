package io.fieldproof.operator.rollout;

import io.fieldproof.api.v1alpha1.LatencyEstimateInfo;
import io.fieldproof.api.v1alpha1.ModelInspection;
import io.fieldproof.api.v1alpha1.TensorInfo;
import io.fieldproof.model.footprint.ChipProfile;
import io.fieldproof.model.footprint.Footprint;
import io.fieldproof.model.footprint.LatencyEstimate;
import io.fieldproof.model.tflite.Int8Check;
import io.fieldproof.model.tflite.ModelRejectedException;
import io.fieldproof.model.tflite.Tensor;
import io.fieldproof.model.tflite.TfliteModel;
import java.util.Arrays;
import java.util.Locale;

/**
 * Inspects a model file before anything is flashed: a TFLite flatbuffer, int8, only supported
 * operators, static shapes, and an input as wide as the group declares inputs. Fills the rollout's
 * status.model from what it finds.
 */
final class ModelInspector {

  /** The inspection, or the verdict that ends the rollout in Failed. */
  record Result(ModelInspection inspection, Verdict rejection) {}

  Result inspect(byte[] bytes, String sha256, int groupInputs) {
    TfliteModel model;
    Footprint footprint;
    try {
      model = TfliteModel.read(bytes);
      Int8Check.require(model);
      footprint = Footprint.of(model);
    } catch (ModelRejectedException e) {
      return new Result(null, Verdict.invalid(reason(e), "spec.model.source: " + e.getMessage()));
    }
    Tensor input = model.inputTensors().get(0);
    if (input.shape().flatSize() != groupInputs) {
      return new Result(
          null,
          Verdict.invalid(
              "InputContractMismatch",
              "spec.model: the model's input "
                  + Arrays.toString(input.shape().dims())
                  + " takes "
                  + input.shape().flatSize()
                  + " features but the DeviceGroup declares "
                  + groupInputs
                  + " inputs"));
    }
    ModelInspection inspection = new ModelInspection();
    inspection.sha256 = sha256;
    inspection.sizeBytes = (long) bytes.length;
    inspection.quantization = "int8";
    inspection.operators = model.distinctOperators().stream().map(Enum::name).sorted().toList();
    inspection.input = new TensorInfo();
    inspection.input.shape = Arrays.stream(input.shape().dims()).boxed().toList();
    if (input.quantization().isPresent()) {
      inspection.input.scale = (double) input.quantization().scale();
      inspection.input.zeroPoint = input.quantization().zeroPoint();
    }
    inspection.arenaBytes = footprint.arena().totalBytes();
    inspection.macsPerInference = footprint.totalMacs();
    inspection.latency =
        LatencyEstimate.profiles().stream().map(p -> latency(p, footprint)).toList();
    return new Result(inspection, null);
  }

  private static LatencyEstimateInfo latency(ChipProfile profile, Footprint footprint) {
    LatencyEstimateInfo info = new LatencyEstimateInfo();
    info.chip = profile.chip();
    info.clockMhz = profile.clockMhz();
    info.cycles = profile.cycles(footprint.costs());
    info.micros = profile.micros(info.cycles);
    return info;
  }

  /** FLOAT_MODEL becomes FloatModel: the condition reason of a rejection. */
  private static String reason(ModelRejectedException e) {
    StringBuilder out = new StringBuilder();
    for (String word : e.reason().name().toLowerCase(Locale.ROOT).split("_")) {
      out.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
    }
    return out.toString();
  }
}
