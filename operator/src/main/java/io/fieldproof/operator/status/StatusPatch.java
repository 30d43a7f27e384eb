package io.fieldproof.operator.status;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Writes a status only when it differs from the stored one, so that the stored status becomes the
 * computed one exactly: a JSON merge patch of the status subresource ({@link StatusMergePatch}),
 * which never touches a user's spec and also removes what another writer left in the status. The
 * write goes through the reconcile's {@link Context}, so the next reconcile reads the written
 * resource and the operator is not woken by its own write.
 */
public final class StatusPatch {

  private StatusPatch() {}

  /**
   * Writes {@code status} if it differs from the resource's stored status.
   *
   * @return no update for the framework to make: the write, if any, is done
   */
  public static <S, R extends CustomResource<?, S>> UpdateControl<R> ifChanged(
      R resource, S status, Context<R> context) {
    if (!changed(resource, status)) {
      return UpdateControl.noUpdate();
    }
    JsonNode stored = tree(resource.getStatus());
    JsonNode computed = tree(status);
    String patch =
        Serialization.jsonMapper()
            .createObjectNode()
            .set("status", StatusMergePatch.between(stored, computed))
            .toString();
    PatchContext merge =
        new PatchContext.Builder()
            .withPatchType(PatchType.JSON_MERGE)
            .withFieldManager(context.getControllerConfiguration().fieldManager())
            .build();
    context
        .resourceOperations()
        .resourcePatch(
            resource,
            r -> context.getClient().resource(r).subresource("status").patch(merge, patch),
            context.eventSourceRetriever().getControllerEventSource());
    return UpdateControl.noUpdate();
  }

  /**
   * Whether {@code status} differs from the resource's stored status: whether it would be written.
   */
  public static <S, R extends CustomResource<?, S>> boolean changed(R resource, S status) {
    return !Objects.equals(tree(resource.getStatus()), tree(status));
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

  private static JsonNode tree(Object status) {
    return status == null ? null : Serialization.jsonMapper().valueToTree(status);
  }
}
