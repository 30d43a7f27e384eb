package io.fieldproof.protocol.signing;

import io.fieldproof.protocol.DesiredState;
import io.fieldproof.protocol.ModelRef;
import io.fieldproof.protocol.RuntimeConfig;
import io.fieldproof.protocol.SelfTest;
import java.nio.charset.StandardCharsets;

/**
 * The bytes an operator signs for a desired state and an agent verifies: the domain {@link #DOMAIN}
 * and a zero byte, then, in {@link CanonicalWriter}'s form, the namespace of the topic the state is
 * published on and every field of the state but its signature, in the order of the contract
 * (docs/protocol.md, "Signed desired states"). Binding the namespace and device means a state
 * replayed onto another device's or namespace's topic does not verify; binding the group,
 * generation, model, self-test vectors, trial time and the whole runtime config means none of them
 * can be changed without the signing key. Fields added to the contract later (an input's {@code
 * reference}, drift's {@code minSamples}, the config's {@code capture}) are appended to their
 * record only when set, so a state without them signs to the bytes it always did and agents that
 * predate them still verify it.
 */
public final class SigningPayload {

  /** Names what the bytes are, so a signature over them can never be taken for another kind. */
  public static final String DOMAIN = "fieldproof.io/desired-state/v1";

  private SigningPayload() {}

  public static byte[] of(String namespace, DesiredState desired, long signedAt) {
    return new CanonicalWriter()
        .raw(DOMAIN.getBytes(StandardCharsets.US_ASCII))
        .raw(new byte[] {0})
        .string(namespace)
        .integer(desired.v())
        .string(desired.device())
        .string(desired.group())
        .integer(desired.generation())
        .record(desired.config(), SigningPayload::config)
        .record(desired.model(), SigningPayload::model)
        .record(desired.selfTest(), SigningPayload::selfTest)
        .integer(desired.trialSeconds())
        .integer(desired.attempt())
        .integer(signedAt)
        .toBytes();
  }

  private static void config(CanonicalWriter out, RuntimeConfig config) {
    out.records(config.inputs(), SigningPayload::input)
        .record(config.decision(), SigningPayload::decision)
        .record(config.fallback(), SigningPayload::fallback)
        .record(config.drift(), SigningPayload::drift)
        .integer(config.reportIntervalSeconds());
    if (config.capture() != null) {
      out.record(config.capture(), SigningPayload::capture);
    }
  }

  private static void capture(CanonicalWriter out, RuntimeConfig.Capture capture) {
    out.integer(capture.before())
        .integer(capture.after())
        .list(capture.triggers(), CanonicalWriter::string)
        .integer(capture.sampleOneIn())
        .integer(capture.bytesPerDevicePerDay())
        .integer(capture.bytesPerGroupPerDay());
  }

  private static void input(CanonicalWriter out, RuntimeConfig.Input input) {
    out.string(input.name())
        .string(input.unit())
        .decimal(input.min())
        .decimal(input.max())
        .decimal(input.maxStep())
        .integer(input.stuckSamples())
        .record(input.normalize(), SigningPayload::normalize);
    if (input.reference() != null) {
      out.record(input.reference(), SigningPayload::reference);
    }
  }

  private static void reference(CanonicalWriter out, RuntimeConfig.Reference reference) {
    out.decimal(reference.mean()).decimal(reference.std());
  }

  private static void normalize(CanonicalWriter out, RuntimeConfig.Normalize normalize) {
    out.string(normalize.kind()).decimal(normalize.a()).decimal(normalize.b());
  }

  private static void decision(CanonicalWriter out, RuntimeConfig.Decision decision) {
    out.integer(decision.output()).decimal(decision.threshold()).integer(decision.minConsecutive());
  }

  private static void fallback(CanonicalWriter out, RuntimeConfig.Fallback fallback) {
    out.string(fallback.mode()).records(fallback.rules(), SigningPayload::rule);
  }

  private static void rule(CanonicalWriter out, RuntimeConfig.Rule rule) {
    out.string(rule.name())
        .string(rule.when())
        .records(rule.all(), SigningPayload::condition)
        .string(rule.action());
  }

  private static void condition(CanonicalWriter out, RuntimeConfig.Condition condition) {
    out.string(condition.input()).string(condition.op()).decimal(condition.value());
  }

  private static void drift(CanonicalWriter out, RuntimeConfig.Drift drift) {
    out.integer(drift.windowSeconds()).decimal(drift.maxMeanShiftSigma());
    if (drift.minSamples() != null) {
      out.integer(drift.minSamples());
    }
  }

  private static void model(CanonicalWriter out, ModelRef model) {
    out.string(model.name()).string(model.version()).string(model.sha256()).integer(model.size());
  }

  private static void selfTest(CanonicalWriter out, SelfTest selfTest) {
    out.integer(selfTest.tolerance()).records(selfTest.vectors(), SigningPayload::vector);
  }

  private static void vector(CanonicalWriter out, SelfTest.Vector vector) {
    out.list(vector.input(), CanonicalWriter::integer)
        .list(vector.output(), CanonicalWriter::integer);
  }
}
