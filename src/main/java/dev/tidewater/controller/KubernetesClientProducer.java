package dev.tidewater.controller;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The operator's Kubernetes client: Quarkus' configuration and serialization (so the Operator SDK
 * sees the same client it would build), plus a count of every write request it sends.
 */
@ApplicationScoped
public class KubernetesClientProducer {

  @Produces
  @Singleton
  KubernetesClient kubernetesClient(
      KubernetesSerialization serialization, Config config, MeterRegistry registry) {
    ApiServerWriteCounter writes = new ApiServerWriteCounter(registry);
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
