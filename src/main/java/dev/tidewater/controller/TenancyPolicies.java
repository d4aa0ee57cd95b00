package dev.tidewater.controller;

import dev.tidewater.api.v1alpha1.tenancy.TenancyPolicy;
import dev.tidewater.api.v1alpha1.tenancy.TenancyPolicySpec;
import dev.tidewater.model.TenancyCeiling;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * The TenancyPolicies of the cluster, from one cluster-scoped informer: the ceiling of each
 * namespace, asked by every reconciler before it trusts what a namespace's own resources ask for,
 * and an event source per controller that re-reconciles the resources of the namespaces a changed
 * policy governs (before and after the change).
 */
@ApplicationScoped
public class TenancyPolicies {

  private volatile SharedIndexInformer<TenancyPolicy> informer;
  private final List<Consumer<Predicate<String>>> listeners = new CopyOnWriteArrayList<>();

  // before the Operator SDK starts the controllers (default priority)
  void onStart(@Observes @Priority(2) StartupEvent event, KubernetesClient client) {
    SharedIndexInformer<TenancyPolicy> i =
        client.resources(TenancyPolicy.class).runnableInformer(0);
    // like the controllers' informers: a failed list (the CRD applied after the operator, an API
    // server restarting) is retried with backoff, never the end of the policies; until the first
    // list, readiness is down and every ceilingFor throws
    i.exceptionHandler((started, failure) -> true);
    i.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(TenancyPolicy p) {
            changed(p, null);
          }

          @Override
          public void onUpdate(TenancyPolicy before, TenancyPolicy now) {
            if (!Objects.equals(
                before.getMetadata().getGeneration(), now.getMetadata().getGeneration())) {
              changed(now, before);
            }
          }

          @Override
          public void onDelete(TenancyPolicy p, boolean unknownFinalState) {
            changed(p, null);
          }
        });
    informer = i;
    i.start();
  }

  void onStop(@Observes ShutdownEvent event) {
    SharedIndexInformer<TenancyPolicy> i = informer;
    if (i != null) i.stop();
  }

  /** Whether the policies have been listed at least once (readiness). */
  public boolean synced() {
    SharedIndexInformer<TenancyPolicy> i = informer;
    return i != null && i.hasSynced();
  }

  /**
   * The ceiling of {@code namespace}. Throws until the policies have been listed once: a reconcile
   * before that must not take the absence of a policy for permission (it is retried).
   */
  public TenancyCeiling ceilingFor(String namespace) {
    SharedIndexInformer<TenancyPolicy> i = informer;
    if (i == null || !i.hasSynced()) {
      throw new IllegalStateException("TenancyPolicies not listed yet; will retry");
    }
    return TenancyCeiling.of(namespace, i.getStore().list());
  }

  /**
   * Whether some policy grants {@code endpoint} to some namespace; false until the policies are
   * listed (the AWS client factory's second line, see {@link dev.tidewater.aws.AwsEndpointTrust}).
   */
  public boolean grantsEndpointAnywhere(String endpoint) {
    SharedIndexInformer<TenancyPolicy> i = informer;
    return i != null
        && i.hasSynced()
        && TenancyCeiling.grantedAnywhere(i.getStore().list(), endpoint);
  }

  /**
   * An event source for a controller of namespaced {@code P}: a policy added, changed or deleted
   * re-reconciles every primary in a namespace it governs (or governed), from the controller's own
   * cache, so a Cluster and its workloads meet the new ceiling without waiting for a resync.
   */
  public <P extends HasMetadata> SimpleInboundEventSource<P> eventSource(
      EventSourceContext<P> context) {
    SimpleInboundEventSource<P> source = new SimpleInboundEventSource<>("tenancypolicies");
    listeners.add(
        governed ->
            context
                .getPrimaryCache()
                .list()
                .filter(p -> governed.test(p.getMetadata().getNamespace()))
                .map(ResourceID::fromResource)
                .forEach(source::propagateEvent));
    return source;
  }

  private void changed(TenancyPolicy now, TenancyPolicy before) {
    Predicate<String> governed = affected(now, before);
    listeners.forEach(l -> l.accept(governed));
  }

  /**
   * The namespaces whose ceiling a policy's change may move: those it governs now and those it
   * governed before ({@code before} null for an added or deleted policy).
   */
  static Predicate<String> affected(TenancyPolicy now, TenancyPolicy before) {
    TenancyPolicySpec a = now.getSpec();
    TenancyPolicySpec b = before == null ? null : before.getSpec();
    return ns -> TenancyCeiling.governs(a, ns) || (before != null && TenancyCeiling.governs(b, ns));
  }

  /** Not ready until the policies have been listed: before that no ceiling can be told. */
  @Readiness
  @ApplicationScoped
  static class Ready implements HealthCheck {

    private final TenancyPolicies policies;

    Ready(TenancyPolicies policies) {
      this.policies = policies;
    }

    @Override
    public HealthCheckResponse call() {
      return HealthCheckResponse.named("tenancy-policies").status(policies.synced()).build();
    }
  }
}
