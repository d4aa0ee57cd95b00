package dev.tidewater.backend;

import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.cluster.Guardrails;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

/**
 * The Cluster a resource uses: the one its clusterRef names, else the one named "default" in its
 * namespace, else the implicit kubernetes backend with default settings.
 *
 * @param name the Cluster's name, or null for the implicit default
 * @param spec its spec (an empty spec for the implicit default)
 * @param missing an explicit clusterRef names a Cluster that does not exist
 */
public record ResolvedCluster(String name, ClusterSpec spec, boolean missing) {

  public static final String DEFAULT_NAME = "default";

  /** The backend in effect: the one the spec names, {@code kubernetes} when it names none. */
  public BackendKind backend() {
    return BackendKind.of(spec.backend);
  }

  /**
   * This Cluster with {@code guardrails} in place of its own (the guardrails met with the
   * namespace's tenancy ceiling), so everything downstream — the renderer's Pod Security level
   * included — sees what is in effect. A shallow copy: the informer's object is never changed.
   */
  public ResolvedCluster withGuardrails(Guardrails guardrails) {
    ClusterSpec copy = new ClusterSpec();
    for (Field f : ClusterSpec.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers())) continue;
      try {
        f.set(copy, f.get(spec));
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      }
    }
    copy.guardrails = guardrails;
    return new ResolvedCluster(name, copy, missing);
  }
}
