package dev.tidewater.backend;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Set;

/**
 * The children of one resource as the informers its controller registered cache them: how a backend
 * reads them without the Operator SDK's Context (the controller passes {@code
 * context::getSecondaryResources}; a test passes what it wants the backend to see).
 */
@FunctionalInterface
public interface InformerCaches {

  /** The cached resources of {@code type} related to the resource (empty without an informer). */
  <T extends HasMetadata> Set<T> of(Class<T> type);
}
