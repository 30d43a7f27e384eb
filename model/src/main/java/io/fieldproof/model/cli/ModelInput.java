package io.fieldproof.model.cli;

import io.fieldproof.model.footprint.DeviceBudget;
import io.fieldproof.model.tflite.ModelRejectedException;
import io.fieldproof.model.tflite.TfliteModel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reading what the commands are given: model files, JSON arguments, capability files. */
final class ModelInput {

  private ModelInput() {}

  /** Reads and parses the model at {@code path}; refusals become exit {@code REFUSED}. */
  static TfliteModel readModel(String path) {
    byte[] bytes = readBytes(path, "model file");
    try {
      return TfliteModel.read(bytes);
    } catch (ModelRejectedException e) {
      throw refused(path, e);
    }
  }

  static CliException refused(String path, ModelRejectedException e) {
    return new CliException(
        CliException.REFUSED, path + ": model refused (" + e.reason() + "): " + e.getMessage());
  }

  static byte[] readBytes(String path, String what) {
    try {
      return Files.readAllBytes(Path.of(path));
    } catch (NoSuchFileException e) {
      throw new CliException(CliException.USAGE, what + " " + path + " does not exist");
    } catch (IOException e) {
      throw new CliException(CliException.USAGE, "cannot read " + what + " " + path + ": " + e);
    }
  }

  /**
   * A JSON argument: {@code @file} reads the file, {@code -} reads {@code stdin}, anything else is
   * the JSON text itself.
   */
  static Object json(String argument, String what, InputStream stdin) {
    String text;
    if (argument.equals("-")) {
      try {
        text = new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new CliException(CliException.USAGE, "cannot read " + what + " from stdin: " + e);
      }
    } else if (argument.startsWith("@")) {
      text = new String(readBytes(argument.substring(1), what), StandardCharsets.UTF_8);
    } else {
      text = argument;
    }
    try {
      return Json.parse(text);
    } catch (IllegalArgumentException e) {
      throw new CliException(CliException.USAGE, what + " is not valid JSON: " + e.getMessage());
    }
  }

  /**
   * A device capability file: the HELLO capabilities object {@code
   * {"operators":[...],"arenaBytes":N,"slotBytes":N}} (docs/device-protocol.md §4.1), or a whole
   * HELLO response holding it under {@code capabilities}.
   */
  static DeviceBudget capabilities(String path) {
    String what = "device capability file " + path;
    Object json = json("@" + path, what, InputStream.nullInputStream());
    if (json instanceof Map<?, ?> hello && hello.get("capabilities") instanceof Map<?, ?> inner) {
      json = inner;
    }
    if (!(json instanceof Map<?, ?> caps)) {
      throw new CliException(CliException.USAGE, what + " is not a JSON object");
    }
    long arena = positiveLong(caps.get("arenaBytes"), what, "arenaBytes");
    long slot = positiveLong(caps.get("slotBytes"), what, "slotBytes");
    if (!(caps.get("operators") instanceof List<?> ops)) {
      throw new CliException(CliException.USAGE, what + " has no \"operators\" array");
    }
    Set<String> operators = new HashSet<>();
    for (Object op : ops) {
      if (!(op instanceof String name)) {
        throw new CliException(CliException.USAGE, what + ": operators must be strings, got " + op);
      }
      operators.add(name);
    }
    return new DeviceBudget(arena, slot, operators);
  }

  private static long positiveLong(Object value, String what, String field) {
    if (value instanceof Double d && d >= 0 && d == Math.rint(d) && d < 1e15) {
      return d.longValue();
    }
    throw new CliException(
        CliException.USAGE,
        what + ": \"" + field + "\" must be a non-negative whole number, got " + value);
  }
}
