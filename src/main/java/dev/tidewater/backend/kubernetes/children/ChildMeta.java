package dev.tidewater.backend.kubernetes.children;

import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.model.OwnerReferences;
import dev.tidewater.model.TidewaterLabels;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.Map;

/**
 * The metadata every child of a Service carries: its name and namespace, the managed-by and service
 * labels, and a controller reference to the Service once it has a uid (render's input from files
 * has none, so render prints no owner reference).
 */
public final class ChildMeta {

  private ChildMeta() {}

  /** The metadata of a child named after the Service; {@code scaling} annotates the workload. */
  static ObjectMeta of(EcsService service, String scaling) {
    var m =
        new ObjectMetaBuilder()
            .withName(service.getMetadata().getName())
            .withNamespace(service.getMetadata().getNamespace())
            .addToLabels(TidewaterLabels.MANAGED_BY, TidewaterLabels.MANAGED_BY_VALUE)
            .addToLabels(
                TidewaterLabels.SERVICE, TidewaterLabels.value(service.getMetadata().getName()));
    if (service.getMetadata().getUid() != null) {
      m.addToOwnerReferences(OwnerReferences.controlledBy(service));
    }
    if (scaling != null) m.addToAnnotations(ServiceWorkload.SCALING_ANNOTATION, scaling);
    return m.build();
  }

  /** The labels that select a Service's pods. */
  public static Map<String, String> selector(EcsService service) {
    return Map.of(TidewaterLabels.SERVICE, TidewaterLabels.value(service.getMetadata().getName()));
  }
}
