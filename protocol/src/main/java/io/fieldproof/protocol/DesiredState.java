package io.fieldproof.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * What the operator wants a device to run, retained on the device's desired topic. Idempotent: it
 * carries the generation of the DeviceGroup it came from, and agents report the generation they
 * applied. When {@code model} names another model than the device runs, the agent updates it:
 * {@code selfTest} holds the golden vectors the new model must pass and {@code trialSeconds} how
 * long it runs on trial before the agent confirms it. {@code signature} is the operator's signature
 * over every other field and the namespace; agents act on nothing else.
 */
public record DesiredState(
    int v,
    String device,
    String group,
    long generation,
    RuntimeConfig config,
    ModelRef model,
    SelfTest selfTest,
    Integer trialSeconds,
    Integer attempt,
    DesiredSignature signature)
    implements Message {

  /** An unsigned desired state: the operator signs it when it publishes it. */
  public DesiredState(
      int v,
      String device,
      String group,
      long generation,
      RuntimeConfig config,
      ModelRef model,
      SelfTest selfTest,
      Integer trialSeconds,
      Integer attempt) {
    this(v, device, group, generation, config, model, selfTest, trialSeconds, attempt, null);
  }

  /** A desired state with a model update policy, first attempt. */
  public DesiredState(
      int v,
      String device,
      String group,
      long generation,
      RuntimeConfig config,
      ModelRef model,
      SelfTest selfTest,
      Integer trialSeconds) {
    this(v, device, group, generation, config, model, selfTest, trialSeconds, null, null);
  }

  /** A desired state without a model update policy. */
  public DesiredState(
      int v, String device, String group, long generation, RuntimeConfig config, ModelRef model) {
    this(v, device, group, generation, config, model, null, null, null, null);
  }

  /** This desired state carrying {@code signature} (null: unsigned). */
  public DesiredState withSignature(DesiredSignature signature) {
    return new DesiredState(
        v, device, group, generation, config, model, selfTest, trialSeconds, attempt, signature);
  }

  /** This desired state without its signature: what the signature covers. */
  public DesiredState unsigned() {
    return signature == null ? this : withSignature(null);
  }

  @Override
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (device == null || device.isBlank()) {
      problems.add("device is required");
    }
    if (group == null || group.isBlank()) {
      problems.add("group is required");
    }
    if (generation < 1) {
      problems.add("generation must be at least 1");
    }
    if (config == null) {
      problems.add("config is required");
    }
    if (model != null && (model.sha256() == null || !model.sha256().matches("[0-9a-f]{64}"))) {
      problems.add("model.sha256 must be 64 lower-case hex digits");
    }
    if (model != null && (model.size() < 1 || model.size() > 16L * 1024 * 1024)) {
      problems.add("model.size must lie within 1 byte..16 MiB");
    }
    if (selfTest != null) {
      problems.addAll(selfTest.problems());
    }
    if (trialSeconds != null && (trialSeconds < 0 || trialSeconds > 86_400)) {
      problems.add("trialSeconds must lie within 0..86400");
    }
    if (attempt != null && (attempt < 1 || attempt > 100)) {
      problems.add("attempt must lie within 1..100");
    }
    return problems;
  }
}
