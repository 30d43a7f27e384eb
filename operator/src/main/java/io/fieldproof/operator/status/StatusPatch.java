package io.fieldproof.operator.status;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Writes a status only when it differs from the stored one, as a patch of a fresh object that holds
 * nothing but name, namespace and status: the operator never writes a user's spec.
 */
public final class StatusPatch {

  private StatusPatch() {}

  public static <S, R extends CustomResource<?, S>> UpdateControl<R> ifChanged(
      R resource, S status, Supplier<R> factory) {
    if (sameJson(resource.getStatus(), status)) {
      return UpdateControl.noUpdate();
    }
    return UpdateControl.patchStatus(onlyStatus(resource, status, factory));
  }

  public static <S, R extends CustomResource<?, S>> R onlyStatus(
      R resource, S status, Supplier<R> factory) {
    R patch = factory.get();
    patch.setMetadata(
        new ObjectMetaBuilder()
            .withName(resource.getMetadata().getName())
            .withNamespace(resource.getMetadata().getNamespace())
            .build());
    patch.setStatus(status);
    return patch;
  }

  static boolean sameJson(Object stored, Object computed) {
    return Objects.equals(
        stored == null ? null : Serialization.jsonMapper().valueToTree(stored),
        computed == null ? null : Serialization.jsonMapper().valueToTree(computed));
  }
}
