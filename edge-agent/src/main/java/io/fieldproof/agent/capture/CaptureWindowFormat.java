package io.fieldproof.agent.capture;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fieldproof.device.protocol.CaptureMessages;
import java.time.Instant;
import java.util.List;

/**
 * The body of a captured window (docs/field-data.md, "Window format"): one JSON object, columns per
 * sample, so training code reads it straight into a table ({@code pandas.DataFrame(doc["raw"])} ).
 * The metadata repeats the window's, the samples are in time order with their offset from the
 * trigger's sample.
 */
public final class CaptureWindowFormat {

  /** The format's name and version, the body's {@code format}. */
  public static final String FORMAT = "fieldproof-capture/1";

  /** The body's media type. */
  public static final String CONTENT_TYPE = "application/vnd.fieldproof.capture.v1+json";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private CaptureWindowFormat() {}

  /** The window's metadata, as in {@link CapturedWindow}. */
  public record Meta(
      String device,
      String gateway,
      String group,
      String modelSha256,
      long configGeneration,
      String chip,
      Instant triggeredAt,
      Instant start,
      Instant end) {}

  /**
   * @param inputs the configured input names, in config order (the samples' value order)
   * @param offsetsMs each sample's time minus the trigger's sample's, in milliseconds
   */
  public static byte[] body(
      Meta meta,
      String trigger,
      List<String> inputs,
      int triggerIndex,
      List<CaptureMessages.Sample> samples,
      long[] offsetsMs) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode doc = f.objectNode();
    doc.put("format", FORMAT);
    doc.put("device", meta.device());
    doc.put("gateway", meta.gateway());
    doc.put("group", meta.group());
    doc.put("modelSha256", meta.modelSha256());
    doc.put("configGeneration", meta.configGeneration());
    doc.put("chip", meta.chip());
    doc.put("trigger", trigger);
    doc.put("triggeredAt", meta.triggeredAt().toString());
    doc.put("start", meta.start().toString());
    doc.put("end", meta.end().toString());
    ArrayNode names = doc.putArray("inputs");
    inputs.forEach(names::add);
    doc.put("triggerIndex", triggerIndex);
    ArrayNode offsets = doc.putArray("offsetMs");
    ArrayNode scores = doc.putArray("score");
    ArrayNode outcomes = doc.putArray("outcome");
    ArrayNode sources = doc.putArray("source");
    for (int i = 0; i < samples.size(); i++) {
      CaptureMessages.Sample s = samples.get(i);
      offsets.add(offsetsMs[i]);
      add(scores, s.score());
      outcomes.add(s.outcome());
      sources.add(s.source());
    }
    ObjectNode raw = doc.putObject("raw");
    ObjectNode normalized = doc.putObject("normalized");
    ObjectNode verdicts = doc.putObject("verdict");
    for (int k = 0; k < inputs.size(); k++) {
      ArrayNode r = raw.putArray(inputs.get(k));
      ArrayNode n = normalized.putArray(inputs.get(k));
      ArrayNode v = verdicts.putArray(inputs.get(k));
      for (CaptureMessages.Sample s : samples) {
        add(r, s.raw().get(k));
        add(n, s.normalized().get(k));
        v.add(s.verdicts().get(k));
      }
    }
    try {
      return MAPPER.writeValueAsBytes(doc);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void add(ArrayNode array, Float value) {
    if (value == null) {
      array.addNull();
    } else {
      array.add(value);
    }
  }
}
