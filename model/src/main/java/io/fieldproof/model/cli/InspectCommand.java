package io.fieldproof.model.cli;

import io.fieldproof.model.footprint.Footprint;
import io.fieldproof.model.footprint.OperatorCost;
import io.fieldproof.model.tflite.Int8Check;
import io.fieldproof.model.tflite.ModelRejectedException;
import io.fieldproof.model.tflite.QuantizationReport;
import io.fieldproof.model.tflite.Tensor;
import io.fieldproof.model.tflite.TfliteModel;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code inspect MODEL [--chip NAME | --device CAPS.json] [--headroom F] [--json]}: format,
 * interface, operators, quantization, arena, flash, MACs, estimated latency and energy on every
 * chip profile, and the fit against a chip profile or device when one is named. A model that is not
 * int8 is described as far as it can be, then refused (exit 3).
 */
final class InspectCommand {

  static final String USAGE =
      "inspect MODEL.tflite [--chip NAME | --device CAPS.json] [--headroom 0.10] [--json]";

  private InspectCommand() {}

  static int run(List<String> argv, PrintStream out) {
    Args args = Args.parse(argv, Set.of("chip", "device", "headroom"), Set.of("json"));
    String path = args.onePositional("model file");
    FitCommand.Target target = FitCommand.Target.of(args);
    double headroom = FitCommand.headroom(args);
    TfliteModel model = ModelInput.readModel(path);

    Map<String, Object> report = new LinkedHashMap<>();
    report.put("model", path);
    report.put("format", model.format());
    report.put("schemaVersion", model.schemaVersion());
    report.put("inputs", tensors(model.inputTensors()));
    report.put("outputs", tensors(model.outputTensors()));
    List<Object> operators = new ArrayList<>();
    model.operators().forEach(op -> operators.add(op.builtin().name()));
    report.put("operators", operators);
    QuantizationReport quantization = Int8Check.inspect(model);
    Map<String, Object> q = new LinkedHashMap<>();
    q.put("scheme", quantization.scheme().name());
    q.put("floatInterface", quantization.floatInterface());
    q.put("findings", new ArrayList<Object>(quantization.findings()));
    report.put("quantization", q);
    if (!quantization.isInt8()) {
      print(report, args.flag("json"), out);
      throw new CliException(
          CliException.REFUSED,
          path
              + ": model refused ("
              + quantization.scheme()
              + "): devices run int8 models only"
              + (quantization.findings().isEmpty()
                  ? ""
                  : "; "
                      + quantization.findings().size()
                      + " operand(s) are not int8, the first: "
                      + quantization.findings().get(0)));
    }
    Footprint footprint;
    try {
      footprint = Footprint.of(model);
    } catch (ModelRejectedException e) {
      throw ModelInput.refused(path, e);
    }
    report.put("flashBytes", footprint.flashBytes());
    Map<String, Object> arena = new LinkedHashMap<>();
    arena.put("plannedBytes", footprint.arena().plannedBytes());
    arena.put("persistentBytesEstimate", footprint.arena().persistentBytes());
    arena.put("totalBytes", footprint.arena().totalBytes());
    report.put("arena", arena);
    report.put("macs", footprint.totalMacs());
    List<Object> perOperator = new ArrayList<>();
    for (OperatorCost cost : footprint.costs()) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("index", cost.index());
      c.put("operator", cost.operator().name());
      c.put("macs", cost.macs());
      perOperator.add(c);
    }
    report.put("macsPerOperator", perOperator);
    List<Object> chips = new ArrayList<>();
    for (ChipTable.Chip chip : ChipTable.CHIPS) {
      long cycles = chip.profile().cycles(footprint.costs());
      long micros = chip.profile().micros(cycles);
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("chip", chip.profile().chip());
      c.put("clockMhz", chip.profile().clockMhz());
      c.put("cyclesEstimate", cycles);
      c.put("latencyMicrosEstimate", micros);
      c.put("activeMilliwatts", round(chip.activeMilliwatts(), 1));
      c.put("energyMicrojoulesEstimate", round(chip.microjoules(micros), 2));
      c.put(
          "fits",
          FitCommand.report(
                  footprint,
                  new FitCommand.Target("chip profile " + chip.profile().chip(), chip.budget()),
                  headroom)
              .get("fits"));
      chips.add(c);
    }
    report.put("chipProfiles", chips);
    if (target != null) {
      report.put("fit", FitCommand.report(footprint, target, headroom));
    }
    print(report, args.flag("json"), out);
    return 0;
  }

  private static double round(double value, int decimals) {
    double f = Math.pow(10, decimals);
    return Math.round(value * f) / f;
  }

  private static List<Object> tensors(List<Tensor> tensors) {
    List<Object> list = new ArrayList<>();
    for (Tensor t : tensors) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("index", t.index());
      m.put("name", t.name());
      m.put("type", t.type().name());
      List<Object> dims = new ArrayList<>();
      for (int d : t.shape().dims()) {
        dims.add(d);
      }
      m.put("shape", dims);
      if (t.quantization().isPresent() && !t.quantization().isPerChannel()) {
        m.put("scale", (double) t.quantization().scale());
        m.put("zeroPoint", t.quantization().zeroPoint());
      }
      list.add(m);
    }
    return list;
  }

  @SuppressWarnings("unchecked")
  private static void print(Map<String, Object> report, boolean json, PrintStream out) {
    if (json) {
      out.println(Json.pretty(report));
      return;
    }
    out.println("model          " + report.get("model"));
    out.println(
        "format         " + report.get("format") + ", schema " + report.get("schemaVersion"));
    for (String side : List.of("inputs", "outputs")) {
      for (Object o : (List<Object>) report.get(side)) {
        Map<String, Object> t = (Map<String, Object>) o;
        out.printf(
            "%-14s %s %s %s%s%n",
            side.substring(0, side.length() - 1),
            t.get("name"),
            t.get("type"),
            t.get("shape"),
            t.containsKey("scale")
                ? " scale " + t.get("scale") + " zero point " + t.get("zeroPoint")
                : "");
      }
    }
    out.println(
        "operators      " + String.join(" ", (List<String>) (List<?>) report.get("operators")));
    Map<String, Object> q = (Map<String, Object>) report.get("quantization");
    out.println(
        "quantization   "
            + q.get("scheme")
            + (Boolean.TRUE.equals(q.get("floatInterface")) ? " (float32 interface)" : ""));
    for (Object finding : (List<Object>) q.get("findings")) {
      out.println("               " + finding);
    }
    if (!report.containsKey("arena")) {
      return;
    }
    Map<String, Object> arena = (Map<String, Object>) report.get("arena");
    out.println("flash          " + report.get("flashBytes") + " bytes");
    out.println(
        "arena          "
            + arena.get("totalBytes")
            + " bytes ("
            + arena.get("plannedBytes")
            + " planned + "
            + arena.get("persistentBytesEstimate")
            + " persistent, estimated)");
    out.println("MACs           " + report.get("macs") + " per inference");
    out.println("chip profile   clock    latency (est.)   energy (est.)   fits");
    for (Object o : (List<Object>) report.get("chipProfiles")) {
      Map<String, Object> c = (Map<String, Object>) o;
      out.printf(
          "  %-12s %4s MHz %10s µs %12s µJ   %s%n",
          c.get("chip"),
          c.get("clockMhz"),
          c.get("latencyMicrosEstimate"),
          c.get("energyMicrojoulesEstimate"),
          Boolean.TRUE.equals(c.get("fits")) ? "yes" : "no");
    }
    if (report.get("fit") instanceof Map<?, ?> fit) {
      out.println(
          "fit            "
              + (Boolean.TRUE.equals(fit.get("fits")) ? "fits " : "does not fit ")
              + fit.get("target"));
      for (Object p : (List<Object>) fit.get("problems")) {
        Map<String, Object> problem = (Map<String, Object>) p;
        out.println("               " + problem.get("kind") + ": " + problem.get("message"));
      }
    }
  }
}
