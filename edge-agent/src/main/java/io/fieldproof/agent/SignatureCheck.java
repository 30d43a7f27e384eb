package io.fieldproof.agent;

import io.fieldproof.agent.config.AgentConfig;
import io.fieldproof.protocol.DesiredState;
import io.fieldproof.protocol.signing.DesiredVerifier;
import io.fieldproof.protocol.signing.Refusal;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets through only desired states the operator signed for this namespace and device, before the
 * agent acts on any of them (config or model), and none signed before the newest one it accepted
 * for the device (an older state replayed, such as one of a group the device has left). Without
 * trusted keys, only when the configuration says so explicitly ({@code trust.allowUnsigned}), with
 * a warning at start.
 */
final class SignatureCheck {

  private static final Logger LOG = LoggerFactory.getLogger(SignatureCheck.class);

  private final DesiredVerifier verifier;

  /** The signing time of the newest state accepted per device, since the agent started. */
  private final Map<String, Long> newest = new ConcurrentHashMap<>();

  private SignatureCheck(DesiredVerifier verifier) {
    this.verifier = verifier;
  }

  static SignatureCheck of(AgentConfig.Trust trust) {
    if (trust.allowUnsigned()) {
      return new SignatureCheck(null);
    }
    if (trust.publicKeys().isEmpty()) {
      throw new IllegalArgumentException(
          "no trusted public key: set trust.publicKeys, or trust.allowUnsigned for development");
    }
    return new SignatureCheck(new DesiredVerifier(trust.publicKeys()));
  }

  void logAtStart() {
    if (verifier == null) {
      LOG.warn(
          "trust.allowUnsigned is set: desired states are applied WITHOUT checking the operator's"
              + " signature; whoever can publish on a desired topic chooses models and config."
              + " For development only");
    } else {
      LOG.info("desired states must be signed by one of the keys {}", verifier.keyIds());
    }
  }

  /** Why {@code desired}, received for {@code device}, must not be acted on; empty if it may. */
  Optional<Refusal> check(String namespace, String device, DesiredState desired) {
    if (verifier == null) {
      return Optional.empty();
    }
    Optional<Refusal> refusal = verifier.check(namespace, device, desired);
    return refusal.isPresent() ? refusal : fresh(device, desired.signature().signedAt());
  }

  private Optional<Refusal> fresh(String device, long signedAt) {
    long accepted = newest.merge(device, signedAt, Math::max);
    if (signedAt < accepted) {
      return Optional.of(
          new Refusal(
              Refusal.Reason.STALE,
              "signed at "
                  + Instant.ofEpochMilli(signedAt)
                  + ", before the state accepted for this device (signed at "
                  + Instant.ofEpochMilli(accepted)
                  + ")"));
    }
    return Optional.empty();
  }
}
