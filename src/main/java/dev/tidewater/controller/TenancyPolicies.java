package dev.tidewater.controller;

import dev.tidewater.api.v1alpha1.tenancy.TenancyPolicy;
import dev.tidewater.model.TenancyCeiling;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The TenancyPolicies of the cluster, from an informer: the ceiling of each namespace, asked by
 * every reconciler before it trusts what a namespace's own resources ask for.
 */
@ApplicationScoped
public class TenancyPolicies {

  private volatile SharedIndexInformer<TenancyPolicy> informer;

  // before the Operator SDK starts the controllers (default priority)
  void onStart(@Observes @Priority(2) StartupEvent event, KubernetesClient client) {
    informer = client.resources(TenancyPolicy.class).runnableInformer(0);
    informer.start();
  }

  void onStop(@Observes ShutdownEvent event) {
    SharedIndexInformer<TenancyPolicy> i = informer;
    if (i != null) i.stop();
  }

  /**
   * The ceiling of {@code namespace}. Throws until the policies have been listed once: a reconcile
   * before that must not take the absence of a policy for permission (it is retried).
   */
  public TenancyCeiling ceilingFor(String namespace) {
    SharedIndexInformer<TenancyPolicy> i = informer;
    if (i == null || !i.hasSynced()) {
      throw new IllegalStateException("TenancyPolicies not listed yet");
    }
    return TenancyCeiling.of(namespace, i.getStore().list());
  }
}
