package io.fieldproof.model.cli;

import io.fieldproof.model.interpreter.Int8Interpreter;
import io.fieldproof.model.tflite.ModelRejectedException;
import io.fieldproof.model.tflite.Tensor;
import io.fieldproof.model.tflite.TensorType;
import io.fieldproof.model.tflite.TfliteModel;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code run MODEL --input JSON|@FILE|- [--real]}: one inference with the int8 interpreter; prints
 * every output's int8 values and their dequantized values as JSON.
 *
 * <p>The input is a flat array (input 0), an array of flat arrays (one per model input), or an
 * object holding either under {@code "inputs"} or {@code "input"} (so a vector of a {@code
 * *.golden.json} file can be given as is). Values of an int8 input are taken as int8 (whole numbers
 * in [-128, 127]); with {@code --real} they are real values quantized with the input's scale and
 * zero point. Values of a float32 input are always real.
 */
final class RunCommand {

  static final String USAGE = "run MODEL.tflite --input JSON|@FILE|- [--real]";

  private RunCommand() {}

  static int run(List<String> argv, PrintStream out, InputStream stdin) {
    Args args = Args.parse(argv, Set.of("input"), Set.of("real"));
    String path = args.onePositional("model file");
    String input = args.option("input");
    if (input == null) {
      throw new CliException(CliException.USAGE, "run needs --input JSON, @FILE or - (stdin)");
    }
    Object json = ModelInput.json(input, "input", stdin);
    TfliteModel model = ModelInput.readModel(path);
    Int8Interpreter interpreter;
    try {
      interpreter = Int8Interpreter.of(model);
    } catch (ModelRejectedException e) {
      throw ModelInput.refused(path, e);
    }
    List<List<Double>> values = inputs(json, interpreter.inputCount());
    boolean real = args.flag("real");
    for (int i = 0; i < values.size(); i++) {
      setInput(interpreter, i, values.get(i), real);
    }
    interpreter.invoke();
    List<Object> outputs = new ArrayList<>();
    for (int i = 0; i < interpreter.outputCount(); i++) {
      Tensor tensor = interpreter.outputTensor(i);
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("index", i);
      o.put("name", tensor.name());
      o.put("type", tensor.type().name());
      List<Object> dims = new ArrayList<>();
      for (int d : tensor.shape().dims()) {
        dims.add(d);
      }
      o.put("shape", dims);
      if (tensor.type() == TensorType.INT8) {
        o.put("scale", (double) tensor.quantization().scale());
        o.put("zeroPoint", tensor.quantization().zeroPoint());
        List<Object> int8 = new ArrayList<>();
        for (byte b : interpreter.output(i)) {
          int8.add((int) b);
        }
        o.put("int8", int8);
      }
      List<Object> real32 = new ArrayList<>();
      for (float f : interpreter.outputFloat(i)) {
        real32.add(f);
      }
      o.put(tensor.type() == TensorType.INT8 ? "dequantized" : "values", real32);
      outputs.add(o);
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("model", path);
    result.put("outputs", outputs);
    out.println(Json.pretty(result));
    return 0;
  }

  private static List<List<Double>> inputs(Object json, int inputCount) {
    if (json instanceof Map<?, ?> map) {
      json = map.containsKey("inputs") ? map.get("inputs") : map.get("input");
      if (json == null) {
        throw badInput("an object must hold the values under \"inputs\" or \"input\"");
      }
    }
    if (!(json instanceof List<?> list)) {
      throw badInput("expected an array of numbers or an array of arrays, got " + json);
    }
    List<List<Double>> perInput = new ArrayList<>();
    if (!list.isEmpty() && list.stream().allMatch(v -> v instanceof List)) {
      for (Object inner : list) {
        perInput.add(numbers((List<?>) inner, perInput.size()));
      }
    } else {
      perInput.add(numbers(list, 0));
    }
    if (perInput.size() != inputCount) {
      throw badInput(
          "the model has " + inputCount + " input(s), the JSON gives " + perInput.size());
    }
    return perInput;
  }

  private static List<Double> numbers(List<?> values, int input) {
    List<Double> numbers = new ArrayList<>(values.size());
    for (Object v : values) {
      if (!(v instanceof Double d)) {
        throw badInput("input " + input + " holds " + v + ", not a number");
      }
      numbers.add(d);
    }
    return numbers;
  }

  private static void setInput(
      Int8Interpreter interpreter, int index, List<Double> values, boolean real) {
    Tensor tensor = interpreter.inputTensor(index);
    int expected = tensor.shape().flatSize();
    if (values.size() != expected) {
      throw badInput(
          "input "
              + index
              + " ("
              + tensor.name()
              + ", shape "
              + tensor.shape()
              + ") takes "
              + expected
              + " values, got "
              + values.size());
    }
    if (tensor.type() == TensorType.INT8 && !real) {
      byte[] bytes = new byte[expected];
      for (int i = 0; i < expected; i++) {
        double v = values.get(i);
        if (v != Math.rint(v) || v < -128 || v > 127) {
          throw badInput(
              "input "
                  + index
                  + " is int8 and value "
                  + v
                  + " (position "
                  + i
                  + ") is not in [-128, 127]; pass --real to quantize real values");
        }
        bytes[i] = (byte) v;
      }
      interpreter.setInput(index, bytes);
    } else {
      float[] floats = new float[expected];
      for (int i = 0; i < expected; i++) {
        floats[i] = values.get(i).floatValue();
      }
      interpreter.setInput(index, floats);
    }
  }

  private static CliException badInput(String message) {
    return new CliException(CliException.USAGE, "bad input: " + message);
  }
}
