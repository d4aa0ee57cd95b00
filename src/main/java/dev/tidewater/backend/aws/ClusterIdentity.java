package dev.tidewater.backend.aws;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Fixes the Kubernetes cluster's identity in the owner tags ({@link AwsOwnership#CLUSTER_TAG})
 * before any reconcile runs: {@code tidewater.cluster-id} (Helm value {@code clusterId}) when set,
 * else the uid of the {@code kube-system} namespace, which lives as long as the cluster does and
 * differs between clusters. Two clusters whose operators share an AWS account then never adopt or
 * delete each other's objects.
 */
@ApplicationScoped
public class ClusterIdentity {

  private static final Logger LOG = Logger.getLogger(ClusterIdentity.class);

  /** The namespace whose uid identifies the cluster by default. */
  public static final String IDENTITY_NAMESPACE = "kube-system";

  // a single property beside the tidewater.* mappings: a @ConfigMapping on "tidewater" would claim
  // every tidewater.* key
  @ConfigProperty(name = "tidewater.cluster-id")
  Optional<String> configured;

  // before the Operator SDK starts the controllers (default priority)
  void onStart(@Observes @Priority(1) StartupEvent event, KubernetesClient client) {
    String id = configured.filter(s -> !s.isBlank()).orElseGet(() -> namespaceUid(client));
    AwsOwnership.useClusterId(id);
    LOG.infof(
        "cluster identity %s (%s)",
        id, configured.isPresent() ? "tidewater.cluster-id" : IDENTITY_NAMESPACE + " uid");
  }

  private static String namespaceUid(KubernetesClient client) {
    Namespace ns;
    try {
      ns = client.namespaces().withName(IDENTITY_NAMESPACE).get();
    } catch (KubernetesClientException e) {
      throw new IllegalStateException(
          "cannot read namespace "
              + IDENTITY_NAMESPACE
              + " for the cluster identity ("
              + e.getMessage()
              + "): grant get on it (the Helm chart does) or set tidewater.cluster-id (Helm value"
              + " clusterId)",
          e);
    }
    if (ns == null) {
      throw new IllegalStateException(
          "namespace "
              + IDENTITY_NAMESPACE
              + " does not exist: set tidewater.cluster-id (Helm value clusterId) to identify"
              + " this cluster in the tags of its AWS objects");
    }
    return ns.getMetadata().getUid();
  }
}
