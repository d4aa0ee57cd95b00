package dev.tidewater.model;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;

/**
 * Owner references that make Kubernetes garbage-collect children with their resource: how a child
 * names its owner and how an owner recognises its children, for backends and controllers alike.
 */
public final class OwnerReferences {

  private OwnerReferences() {}

  /** A controller reference to {@code owner} (same namespace). */
  public static OwnerReference controlledBy(HasMetadata owner) {
    return new OwnerReferenceBuilder()
        .withApiVersion(owner.getApiVersion())
        .withKind(owner.getKind())
        .withName(owner.getMetadata().getName())
        .withUid(owner.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  /** Whether {@code owner} is the controller of {@code child} (it goes with the owner). */
  public static boolean isControlledBy(HasMetadata child, HasMetadata owner) {
    return java.util.Optional.ofNullable(child.getMetadata().getOwnerReferences())
        .orElse(java.util.List.of())
        .stream()
        .anyMatch(
            r ->
                Boolean.TRUE.equals(r.getController())
                    && java.util.Objects.equals(r.getUid(), owner.getMetadata().getUid()));
  }
}
