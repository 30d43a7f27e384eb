package io.fieldproof.operator.rollout;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fieldproof.api.v1alpha1.GateResult;
import io.fieldproof.api.v1alpha1.ModelRollout;
import io.fieldproof.api.v1alpha1.ModelRolloutStatus;
import io.fieldproof.api.v1alpha1.ModelRolloutStatus.Phase;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Records a rollout's history as Kubernetes Events: phase changes (a rollback or an abort among
 * them), step changes, gate outcomes, and the end of a rollback: every device back
 * (RollbackComplete) or, once no device is being tried any more, some never back
 * (RollbackIncomplete). Derived from the difference between the status before and after a pass, so
 * a pass that changes nothing records nothing, and an operator restart does not repeat events. An
 * event that cannot be written is logged, never fails the reconcile.
 */
final class RolloutEvents {

  private static final Logger LOG = Logger.getLogger(RolloutEvents.class);

  /** Phases a user should look at. */
  private static final Set<Phase> WARNING = Set.of(Phase.FAILED, Phase.ROLLED_BACK);

  /** Reasons a rollout stopped for. */
  private static final Set<String> STOPPED =
      Set.of("GateFailed", "CrashLoop", "Aborted", "AbortedByUser");

  private final KubernetesClient client;

  RolloutEvents(KubernetesClient client) {
    this.client = client;
  }

  void record(
      ModelRollout rollout, ModelRolloutStatus before, ModelRolloutStatus after, Instant now) {
    Phase was = before == null ? null : before.phase;
    Integer stepWas = before == null ? null : before.currentStep;
    if (after.phase != was) {
      String reason = reasonOf(after);
      emit(
          rollout,
          WARNING.contains(after.phase) || STOPPED.contains(reason) ? "Warning" : "Normal",
          phaseReason(after.phase, reason),
          after.message,
          now);
    }
    boolean running = after.phase == Phase.PROGRESSING || after.phase == Phase.PAUSED;
    if (running && after.currentStep != null && !Objects.equals(stepWas, after.currentStep)) {
      emit(rollout, "Normal", "StepStarted", after.message, now);
    }
    String returnWas = rollbackReason(before);
    String returnNow = rollbackReason(after);
    if ("AllReturned".equals(returnNow) && !returnNow.equals(returnWas)) {
      emit(rollout, "Normal", "RollbackComplete", rollbackMessage(after), now);
    } else if ("ReturnIncomplete".equals(returnNow) && !returnNow.equals(returnWas)) {
      emit(rollout, "Warning", "RollbackIncomplete", rollbackMessage(after), now);
    }
    String gatesWas = gateSummary(before);
    String gatesNow = gateSummary(after);
    if (gatesNow != null && !gatesNow.equals(gatesWas)) {
      emit(rollout, anyFailed(after) ? "Warning" : "Normal", "GatesEvaluated", gatesNow, now);
    }
  }

  private static boolean anyFailed(ModelRolloutStatus status) {
    return status.gates.stream().anyMatch(g -> g.result == GateResult.Result.FAIL);
  }

  /** Each gate rule's outcome, e.g. "alarmRate Pass, fallbackRate Pass"; null without gates. */
  private static String gateSummary(ModelRolloutStatus status) {
    if (status == null || status.gates == null || status.gates.isEmpty()) {
      return null;
    }
    StringBuilder out = new StringBuilder();
    status.gates.forEach(
        g -> {
          if (!out.isEmpty()) {
            out.append(", ");
          }
          out.append(metricName(g.metric.name())).append(' ').append(resultName(g.result.name()));
        });
    return out.toString();
  }

  private static String phaseReason(Phase phase, String reason) {
    if (phase == Phase.ROLLED_BACK) {
      return "RolledBack";
    }
    if (phase == Phase.PAUSED && reason != null) {
      return "Paused" + reason;
    }
    String name = phase.name().toLowerCase(Locale.ROOT);
    return Character.toUpperCase(name.charAt(0)) + name.substring(1);
  }

  /** The RollbackComplete condition's reason, null without one. */
  private static String rollbackReason(ModelRolloutStatus status) {
    return rollbackCondition(status).map(c -> c.getReason()).orElse(null);
  }

  private static String rollbackMessage(ModelRolloutStatus status) {
    return rollbackCondition(status).map(c -> c.getMessage()).orElse(null);
  }

  private static Optional<Condition> rollbackCondition(ModelRolloutStatus status) {
    if (status == null || status.conditions == null) {
      return Optional.empty();
    }
    return status.conditions.stream()
        .filter(c -> ModelRolloutStatusAggregator.ROLLBACK_COMPLETE.equals(c.getType()))
        .findFirst();
  }

  private static String reasonOf(ModelRolloutStatus status) {
    return status.conditions.stream()
        .filter(c -> ModelRolloutStatusAggregator.PROGRESSING.equals(c.getType()))
        .map(c -> c.getReason())
        .findFirst()
        .orElse(null);
  }

  private static String metricName(String constant) {
    String[] words = constant.toLowerCase(Locale.ROOT).split("_");
    StringBuilder out = new StringBuilder(words[0]);
    for (int i = 1; i < words.length; i++) {
      out.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
    }
    return out.toString();
  }

  private static String resultName(String constant) {
    return constant.charAt(0) + constant.substring(1).toLowerCase(Locale.ROOT);
  }

  private void emit(ModelRollout rollout, String type, String reason, String message, Instant now) {
    String namespace = rollout.getMetadata().getNamespace();
    Event event =
        new EventBuilder()
            .withNewMetadata()
            .withNamespace(namespace)
            .withName(
                rollout.getMetadata().getName()
                    + "."
                    + UUID.randomUUID().toString().substring(0, 13))
            .endMetadata()
            .withInvolvedObject(
                new ObjectReferenceBuilder()
                    .withApiVersion(rollout.getApiVersion())
                    .withKind(rollout.getKind())
                    .withNamespace(namespace)
                    .withName(rollout.getMetadata().getName())
                    .withUid(rollout.getMetadata().getUid())
                    .withResourceVersion(rollout.getMetadata().getResourceVersion())
                    .build())
            .withType(type)
            .withReason(reason)
            .withMessage(message == null ? reason : truncate(message))
            .withFirstTimestamp(now.toString())
            .withLastTimestamp(now.toString())
            .withCount(1)
            .withNewSource()
            .withComponent("fieldproof-operator")
            .endSource()
            .withReportingComponent("fieldproof.io/operator")
            .withReportingInstance("fieldproof-operator")
            .build();
    LOG.infof(
        "ModelRollout %s/%s: %s: %s", namespace, rollout.getMetadata().getName(), reason, message);
    try {
      client.v1().events().inNamespace(namespace).resource(event).create();
    } catch (KubernetesClientException e) {
      LOG.warnf(
          "could not record event %s on ModelRollout %s/%s: %s",
          reason, namespace, rollout.getMetadata().getName(), e.getMessage());
    }
  }

  private static String truncate(String message) {
    return message.length() <= 1024 ? message : message.substring(0, 1021) + "...";
  }
}
