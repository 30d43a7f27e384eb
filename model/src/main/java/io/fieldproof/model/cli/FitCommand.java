package io.fieldproof.model.cli;

import io.fieldproof.model.footprint.DeviceBudget;
import io.fieldproof.model.footprint.FitCheck;
import io.fieldproof.model.footprint.FitProblem;
import io.fieldproof.model.footprint.FitResult;
import io.fieldproof.model.footprint.Footprint;
import io.fieldproof.model.tflite.Int8Check;
import io.fieldproof.model.tflite.ModelRejectedException;
import io.fieldproof.model.tflite.TfliteModel;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code fit MODEL (--chip NAME | --device CAPS.json) [--headroom F] [--json]}: whether the model
 * fits a chip profile or a device; exit 0 when it fits, 4 with the reasons on stderr when not.
 */
final class FitCommand {

  static final String USAGE =
      "fit MODEL.tflite (--chip esp32|esp32s3|stm32f4|stm32l4 | --device CAPS.json)"
          + " [--headroom 0.10] [--json]";

  private FitCommand() {}

  static int run(List<String> argv, PrintStream out) {
    Args args = Args.parse(argv, Set.of("chip", "device", "headroom"), Set.of("json"));
    String path = args.onePositional("model file");
    Target target = Target.of(args);
    if (target == null) {
      throw new CliException(CliException.USAGE, "fit needs --chip NAME or --device CAPS.json");
    }
    double headroom = headroom(args);
    TfliteModel model = ModelInput.readModel(path);
    Footprint footprint;
    try {
      Int8Check.require(model);
      footprint = Footprint.of(model);
    } catch (ModelRejectedException e) {
      throw ModelInput.refused(path, e);
    }
    Map<String, Object> report = report(footprint, target, headroom);
    FitResult result = FitCheck.check(footprint, target.budget(), headroom);
    if (args.flag("json")) {
      out.println(Json.pretty(report));
    } else {
      out.println(path + (result.fits() ? " fits " : " does not fit ") + target.label());
    }
    if (!result.fits()) {
      StringBuilder reasons = new StringBuilder();
      for (FitProblem p : result.problems()) {
        reasons.append(reasons.length() == 0 ? "" : "; ").append(p.kind()).append(": ");
        reasons.append(p.message());
      }
      throw new CliException(
          CliException.DOES_NOT_FIT, path + " does not fit " + target.label() + ": " + reasons);
    }
    return 0;
  }

  static double headroom(Args args) {
    String value = args.option("headroom");
    if (value == null) {
      return FitCheck.DEFAULT_HEADROOM;
    }
    try {
      double h = Double.parseDouble(value);
      if (h >= 0 && h < 1) {
        return h;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new CliException(
        CliException.USAGE, "--headroom must be a fraction in [0, 1), got " + value);
  }

  /** The fit of {@code footprint} on {@code target} as a JSON object. */
  static Map<String, Object> report(Footprint footprint, Target target, double headroom) {
    FitResult result = FitCheck.check(footprint, target.budget(), headroom);
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("target", target.label());
    report.put("arenaBytes", target.budget().arenaBytes());
    report.put("slotBytes", target.budget().slotBytes());
    report.put("headroom", headroom);
    report.put("fits", result.fits());
    List<Object> problems = new ArrayList<>();
    for (FitProblem p : result.problems()) {
      Map<String, Object> problem = new LinkedHashMap<>();
      problem.put("kind", p.kind().name());
      problem.put("message", p.message());
      problems.add(problem);
    }
    report.put("problems", problems);
    return report;
  }

  /** What a model is fitted against: a named chip profile or a device's capability file. */
  record Target(String label, DeviceBudget budget) {

    /** From {@code --chip} or {@code --device}; null when neither is given. */
    static Target of(Args args) {
      String chip = args.option("chip");
      String device = args.option("device");
      if (chip != null && device != null) {
        throw new CliException(CliException.USAGE, "give --chip or --device, not both");
      }
      if (chip != null) {
        return new Target("chip profile " + chip, ChipTable.named(chip).budget());
      }
      if (device != null) {
        return new Target("device " + device, ModelInput.capabilities(device));
      }
      return null;
    }
  }
}
