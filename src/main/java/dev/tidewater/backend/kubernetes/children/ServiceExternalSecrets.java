package dev.tidewater.backend.kubernetes.children;

import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.cluster.SecretsSettings;
import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.backend.kubernetes.render.PodTemplateRenderer;
import dev.tidewater.backend.kubernetes.render.PodTemplateRenderer.ExternalSecretEntry;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ExternalSecrets of a Service whose task reads SSM / Secrets Manager secrets, when the
 * External Secrets Operator is installed (pure): one per target Secret the template reads.
 */
public final class ServiceExternalSecrets {

  /** The CRD whose presence turns SSM / Secrets Manager secrets into ExternalSecrets. */
  public static final String CRD = "externalsecrets.external-secrets.io";

  /** The External Secrets Operator's API group. */
  public static final String GROUP = "external-secrets.io";

  /** Preferred first: current External Secrets Operator releases serve v1 only. */
  public static final List<String> VERSIONS = List.of("v1", "v1beta1");

  /** The kind the operator creates for a task's AWS secrets. */
  public static final String KIND = "ExternalSecret";

  static final String DEFAULT_PARAMETER_STORE = SecretsSettings.DEFAULT_PARAMETER_STORE;
  static final String DEFAULT_SECRETS_MANAGER = SecretsSettings.DEFAULT_SECRETS_MANAGER;

  private ServiceExternalSecrets() {}

  /**
   * One ExternalSecret of {@code apiVersion} per target Secret in {@code entries}, filled from the
   * Cluster's ClusterSecretStore of its kind; the target Secret is owned by (deleted with) the
   * ExternalSecret.
   */
  public static List<GenericKubernetesResource> desired(
      EcsService service,
      ClusterSpec cluster,
      List<ExternalSecretEntry> entries,
      String apiVersion) {
    Map<String, List<ExternalSecretEntry>> byTarget = new LinkedHashMap<>();
    entries.forEach(e -> byTarget.computeIfAbsent(e.target(), t -> new ArrayList<>()).add(e));
    List<GenericKubernetesResource> out = new ArrayList<>();
    byTarget.forEach(
        (target, list) -> {
          List<Map<String, Object>> data = new ArrayList<>();
          for (ExternalSecretEntry e : list) {
            Map<String, Object> remote = new LinkedHashMap<>();
            remote.put("key", e.remoteKey());
            if (e.property() != null) remote.put("property", e.property());
            if (e.version() != null) remote.put("version", e.version());
            data.add(ordered("secretKey", e.secretKey(), "remoteRef", remote));
          }
          Map<String, Object> spec = new LinkedHashMap<>();
          spec.put("refreshInterval", "1h");
          spec.put(
              "secretStoreRef",
              ordered(
                  "kind", "ClusterSecretStore", "name", store(cluster, list.get(0).storeKind())));
          spec.put("target", ordered("name", target, "creationPolicy", "Owner"));
          spec.put("data", data);
          var meta = ChildMeta.of(service, null);
          meta.setName(target);
          out.add(
              new GenericKubernetesResourceBuilder()
                  .withApiVersion(apiVersion)
                  .withKind(KIND)
                  .withMetadata(meta)
                  .withAdditionalProperties(Map.of("spec", spec))
                  .build());
        });
    return out;
  }

  // Map.of iterates in an order that changes from one JVM to the next: the applied hash would too
  private static Map<String, Object> ordered(String k1, Object v1, String k2, Object v2) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(k1, v1);
    m.put(k2, v2);
    return m;
  }

  private static String store(ClusterSpec cluster, String storeKind) {
    return SecretsSettings.storeInEffect(
        cluster == null ? null : cluster.secrets,
        PodTemplateRenderer.SECRETS_MANAGER.equals(storeKind));
  }
}
