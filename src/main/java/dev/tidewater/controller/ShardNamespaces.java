package dev.tidewater.controller;

import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.model.LabelSelectorText;
import dev.tidewater.model.Shard;
import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RegisteredController;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.NamespaceChangeable;
import io.javaoperatorsdk.operator.processing.Controller;
import io.javaoperatorsdk.operator.processing.event.EventSourceManager;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.controller.ControllerEventSource;
import io.quarkiverse.operatorsdk.runtime.api.ConfigurableReconciler;
import io.quarkus.arc.Arc;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.config.ConfigMapping;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.interceptor.Interceptor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/**
 * The namespaces of this operator's shard, kept as the controllers' watched namespaces. Without
 * shard settings it does nothing: every controller watches all namespaces. With them, every
 * controller is registered watching no real namespace ({@link #UNASSIGNED}), one informer of
 * Namespaces (cluster-scoped) follows the labels, and each time the set of namespaces the selector
 * matches changes, the informers of every controller (its own and its secondary sources, since none
 * names namespaces of its own) are changed to it, without stopping the controller's event
 * processing. So a shard never lists, caches or reconciles another shard's objects.
 */
@ApplicationScoped
public class ShardNamespaces {

  private static final Logger LOG = Logger.getLogger(ShardNamespaces.class);

  /**
   * The namespace every controller of a shard watches until the shard's namespaces are known: not a
   * valid namespace name (namespaces are DNS labels, without dots), so nothing can ever be in it.
   * The Operator SDK takes an empty set at registration for "all namespaces"; after start an empty
   * set means none.
   */
  static final String UNASSIGNED = "tidewater.shard.unassigned";

  /** Sharding settings ({@code tidewater.shard.*}); both empty by default (no sharding). */
  @ConfigMapping(prefix = "tidewater.shard")
  public interface Settings {
    /** The shard's name (part of its Lease name, in its logs). */
    Optional<String> name();

    /** A label selector on Namespaces: this shard reconciles the namespaces it matches. */
    Optional<String> namespaceSelector();

    /**
     * Every shard of the installation, {@code name:selector} joined by {@code ;} (the chart sets
     * it): only to warn about namespaces that no shard, or several shards, match.
     */
    Optional<String> peers();
  }

  private final Optional<Shard> shard;
  private final Map<String, LabelSelectorText> peers;
  private final Instance<KubernetesClient> client;
  private final Instance<Operator> operator;
  private final Instance<SharedInformers> informers;
  private final ScheduledExecutorService applier =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "shard-namespaces");
            t.setDaemon(true);
            return t;
          });
  private final ExecutorService changer =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "shard-namespaces-change");
            t.setDaemon(true);
            return t;
          });
  private volatile SharedIndexInformer<Namespace> informer;
  private volatile Set<String> applied;
  // the last coverage warned about, so a warning is repeated only when it changes
  private Set<String> warnedUnowned = Set.of();
  // whether each namespace no shard owns holds a TaskDefinition, looked up once when it became so
  private final Map<String, Boolean> unownedHolds = new HashMap<>();
  private Map<String, List<String>> warnedShared = Map.of();

  ShardNamespaces(
      Settings settings,
      Instance<KubernetesClient> client,
      Instance<Operator> operator,
      Instance<SharedInformers> informers) {
    // a bad setting ends the start-up here, naming the setting and why
    this.shard = Shard.of(settings.name(), settings.namespaceSelector());
    this.peers = shard.map(s -> s.peers(settings.peers())).orElse(Map.of());
    this.client = client;
    this.operator = operator;
    this.informers = informers;
  }

  /** The shard this operator is, or empty (all namespaces). */
  public Optional<Shard> shard() {
    return shard;
  }

  /**
   * Registers a controller of a shard watching no namespace yet (called by the Quarkus Operator SDK
   * for every {@link Sharded} reconciler, before the controllers start); without sharding the
   * configured namespaces (all) stay.
   */
  <P extends io.fabric8.kubernetes.api.model.HasMetadata> void configure(
      ControllerConfigurationOverrider<P> overrider) {
    if (shard.isPresent()) overrider.settingNamespaces(Set.of(UNASSIGNED));
  }

  // after the Operator SDK has started the controllers (its StartupEvent observer, at
  // LIBRARY_AFTER + 123): changing namespaces needs started event sources
  void onStart(@Observes @Priority(Interceptor.Priority.LIBRARY_AFTER + 500) StartupEvent event) {
    if (shard.isEmpty()) return;
    Shard s = shard.get();
    LOG.infof(
        "shard %s: reconciling the namespaces whose labels match \"%s\"", s.name(), s.selector());
    SharedIndexInformer<Namespace> i = client.get().namespaces().runnableInformer(0);
    // like every informer of the operator: a failed list is retried with backoff; until the first
    // list, the shard watches nothing and readiness is down
    i.exceptionHandler((started, failure) -> true);
    i.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(Namespace ns) {
            changed();
          }

          @Override
          public void onUpdate(Namespace before, Namespace now) {
            if (!Objects.equals(before.getMetadata().getLabels(), now.getMetadata().getLabels())) {
              changed();
            }
          }

          @Override
          public void onDelete(Namespace ns, boolean unknownFinalState) {
            changed();
          }
        });
    informer = i;
    i.start().whenComplete((done, failure) -> changed());
  }

  void onStop(@Observes ShutdownEvent event) {
    SharedIndexInformer<Namespace> i = informer;
    if (i != null) i.stop();
    applier.shutdownNow();
    changer.shutdownNow();
  }

  /** Whether the shard's namespaces are being watched (always, without sharding). */
  public boolean ready() {
    return shard.isEmpty() || applied != null;
  }

  private void changed() {
    // one at a time and from the cache's latest state: a burst of label changes ends in one
    // change of namespaces per controller, not one per event
    applier.execute(this::applyOrRetry);
  }

  private void applyOrRetry() {
    try {
      apply();
    } catch (RuntimeException e) {
      // a controller whose new informers could not start (the API server away): try again; the
      // set applied so far stays recorded as not applied, so the next pass changes every controller
      applied = null;
      LOG.errorf(e, "shard %s: changing the watched namespaces failed; retrying in 5 s", name());
      applier.schedule(this::applyOrRetry, 5, TimeUnit.SECONDS);
    }
  }

  /**
   * With the list of every shard ({@code tidewater.shard.peers}), warns about namespaces two shards
   * own (each of those shards warns) and namespaces holding TaskDefinitions that no shard owns (the
   * first shard of the list warns; each namespace is looked at once, when it becomes owned by no
   * shard, with a list of at most one TaskDefinition). Checked whenever a Namespace is added,
   * relabelled or deleted.
   */
  private void warnAboutCoverage(Map<String, Map<String, String>> labels) {
    if (peers.isEmpty()) return;
    String me = name();
    Shard.Coverage coverage = Shard.coverage(peers, labels);
    Map<String, List<String>> shared = new TreeMap<>();
    coverage
        .shared()
        .forEach(
            (ns, shards) -> {
              if (shards.contains(me)) shared.put(ns, shards);
            });
    if (!shared.isEmpty() && !shared.equals(warnedShared)) {
      LOG.warnf(
          "shard %s: namespaces matched by several shards, each reconciling them (namespace to"
              + " shards): %s; give each namespace one owner (docs/install.md, Sharding)",
          me, shared);
    }
    warnedShared = shared;
    if (!me.equals(peers.keySet().iterator().next())) return;
    unownedHolds.keySet().retainAll(coverage.unowned());
    Set<String> unowned = new TreeSet<>();
    for (String ns : coverage.unowned()) {
      if (unownedHolds.computeIfAbsent(ns, this::holdsTaskDefinitions)) unowned.add(ns);
    }
    if (!unowned.isEmpty() && !unowned.equals(warnedUnowned)) {
      LOG.warnf(
          "shard %s: namespaces with TaskDefinitions that no shard's selector matches, so nothing"
              + " in them is reconciled: %s; label them for a shard (docs/install.md, Sharding)",
          me, unowned);
    }
    warnedUnowned = unowned;
  }

  private boolean holdsTaskDefinitions(String namespace) {
    ListOptions one = new ListOptions();
    one.setLimit(1L);
    try {
      return !client
          .get()
          .resources(TaskDefinition.class)
          .inNamespace(namespace)
          .list(one)
          .getItems()
          .isEmpty();
    } catch (RuntimeException e) {
      LOG.debugf(e, "shard %s: could not list the TaskDefinitions of %s", name(), namespace);
      return false;
    }
  }

  private void changeAll(List<NamespaceChangeable> sources, Set<String> namespaces) {
    List<CompletableFuture<Void>> changes = new ArrayList<>();
    for (NamespaceChangeable source : sources) {
      changes.add(CompletableFuture.runAsync(() -> source.changeNamespaces(namespaces), changer));
    }
    CompletableFuture.allOf(changes.toArray(CompletableFuture[]::new)).join();
  }

  private String name() {
    return shard.map(Shard::name).orElse("");
  }

  private void apply() {
    SharedIndexInformer<Namespace> i = informer;
    if (i == null || !i.hasSynced()) return;
    Map<String, Map<String, String>> labels = new LinkedHashMap<>();
    for (Namespace ns : i.getStore().list()) {
      labels.put(ns.getMetadata().getName(), ns.getMetadata().getLabels());
    }
    Set<String> owned = shard.get().owned(labels);
    Set<String> before = applied;
    if (!owned.equals(before)) change(owned, before);
    warnAboutCoverage(labels);
  }

  private void change(Set<String> owned, Set<String> before) {
    long start = System.nanoTime();
    // Not RegisteredController.changeNamespaces: the Operator SDK stops the controller's event
    // processor around it, and a reconcile that ends while it is stopped is never marked finished,
    // so its resource is not reconciled again until a restart. The informers are changed here
    // instead, with the processor running: first every controller's secondary sources, so a
    // primary that appears in a new namespace finds its secondaries cached, then the controllers'
    // own sources. All of a phase at once: each waits for its new informers' first lists, time
    // spent on the API server, not here. The shared caches (SharedInformers) come first of all:
    // the secondary sources of every controller read them.
    List<EventSourceManager<?>> managers = new ArrayList<>();
    for (RegisteredController<?> controller : operator.get().getRegisteredControllers()) {
      if (!(controller instanceof Controller<?> c)) {
        throw new IllegalStateException(
            "cannot change the namespaces of " + controller + " without stopping it");
      }
      managers.add(c.getEventSourceManager());
    }
    List<NamespaceChangeable> secondaries = new ArrayList<>();
    List<NamespaceChangeable> primaries = new ArrayList<>();
    for (EventSourceManager<?> m : managers) {
      ControllerEventSource<?> own = m.getControllerEventSource();
      for (EventSource<?, ?> source : m.getRegisteredEventSources()) {
        if (source != own
            && source instanceof NamespaceChangeable n
            && n.allowsNamespaceChanges()) {
          secondaries.add(n);
        }
      }
      primaries.add(own);
    }
    informers.get().changeNamespaces(owned).join();
    changeAll(secondaries, owned);
    changeAll(primaries, owned);
    applied = owned;
    Set<String> added = new TreeSet<>(owned);
    Set<String> removed = new TreeSet<>(before == null ? Set.of() : before);
    if (before != null) added.removeAll(before);
    removed.removeAll(owned);
    LOG.infof(
        "shard %s: now reconciling %d namespaces (added %s, dropped %s) in %d ms",
        shard.get().name(),
        owned.size(),
        added,
        removed,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
  }

  /**
   * A reconciler of a sharded operator: registered watching no namespace until its shard's
   * namespaces are known (see {@link ShardNamespaces}). Every reconciler implements it.
   */
  public interface Sharded<P extends io.fabric8.kubernetes.api.model.HasMetadata>
      extends ConfigurableReconciler<P> {
    @Override
    default void updateConfigurationFrom(ControllerConfigurationOverrider<P> overrider) {
      Arc.container().instance(ShardNamespaces.class).get().configure(overrider);
    }
  }

  /** Not ready until a shard watches its namespaces: before that it reconciles nothing. */
  @Readiness
  @ApplicationScoped
  static class Ready implements HealthCheck {

    private final ShardNamespaces shards;

    Ready(ShardNamespaces shards) {
      this.shards = shards;
    }

    @Override
    public HealthCheckResponse call() {
      return HealthCheckResponse.named("shard-namespaces").status(shards.ready()).build();
    }
  }
}
