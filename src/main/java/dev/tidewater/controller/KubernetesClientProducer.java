package dev.tidewater.controller;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * The operator's Kubernetes client: Quarkus' configuration and serialization (so the Operator SDK
 * sees the same client it would build), plus a count of every write request it sends.
 */
@ApplicationScoped
public class KubernetesClientProducer {

  private static final Logger LOG = Logger.getLogger(KubernetesClientProducer.class);

  // Unremovable: the Operator SDK looks the client up programmatically, which Arc's unused-bean
  // removal does not see, so without it Quarkus' own client would silently be used instead.
  @Produces
  @Singleton
  @Unremovable
  KubernetesClient kubernetesClient(
      KubernetesSerialization serialization, Config config, PrometheusMeterRegistry registry) {
    // the Prometheus registry itself: see ReconcileMetrics
    ApiServerWriteCounter writes = new ApiServerWriteCounter(registry);
    LOG.info("API-server writes are counted in tidewater_kubernetes_writes_total");
    return new KubernetesClientBuilder()
        .withConfig(config)
        .withKubernetesSerialization(serialization)
        .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("tidewater-writes", writes))
        .build();
  }

  void close(@Disposes KubernetesClient client) {
    client.close();
  }
}
