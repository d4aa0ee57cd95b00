package dev.tidewater.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * One kind's informer and cache, shared by every controller that reads the kind beside its own
 * primary resources (see {@link SharedInformers}): one watch per namespace set, one copy of each
 * object in memory, and each change decoded once and handed to every listener. Watches all
 * namespaces, or exactly the namespaces of the operator's shard (one informer per namespace, as the
 * Operator SDK does, changed in place while the controllers run).
 */
public final class KindCache<T extends HasMetadata> {

  private static final Logger LOG = Logger.getLogger(KindCache.class);

  /** The key of the informer that watches every namespace. */
  private static final String ALL = "";

  private final Class<T> type;
  private final String labelSelector;
  private final Map<String, Function<T, List<String>>> indexers;
  private final Supplier<KubernetesClient> client;
  private final List<ResourceEventHandler<T>> listeners = new CopyOnWriteArrayList<>();
  private final Map<String, SharedIndexInformer<T>> informers = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Void>> synced = new ConcurrentHashMap<>();
  // null: every namespace
  private Set<String> namespaces;
  // whether the namespaces were given (a shard's set) rather than taken from the first controller
  private boolean namespacesGiven;
  private boolean started;
  private int users;

  KindCache(
      Class<T> type,
      String labelSelector,
      Map<String, Function<T, List<String>>> indexers,
      Supplier<KubernetesClient> client,
      Set<String> namespaces) {
    this.type = type;
    this.labelSelector = labelSelector;
    this.indexers = Map.copyOf(indexers);
    this.client = client;
    this.namespacesGiven = namespaces != null;
    this.namespaces = namespaces == null ? null : Set.copyOf(namespaces);
  }

  /** The kind this cache holds. */
  public Class<T> type() {
    return type;
  }

  /** The object with this name and namespace, if cached. */
  public Optional<T> get(ResourceID id) {
    SharedIndexInformer<T> informer = informerFor(id.getNamespace().orElse(null));
    if (informer == null) return Optional.empty();
    return Optional.ofNullable(
        informer
            .getStore()
            .getByKey(Cache.namespaceKeyFunc(id.getNamespace().orElse(null), id.getName())));
  }

  /** The cached objects of {@code namespace} that {@code which} accepts. */
  public Stream<T> list(String namespace, Predicate<T> which) {
    SharedIndexInformer<T> informer = informerFor(namespace);
    if (informer == null) return Stream.empty();
    return informer.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace).stream().filter(which);
  }

  /** The cached objects whose index {@code index} holds {@code key} (an index of this kind). */
  public List<T> byIndex(String index, String key) {
    List<T> found = new ArrayList<>();
    for (SharedIndexInformer<T> informer : informers.values()) {
      found.addAll(informer.getIndexer().byIndex(index, key));
    }
    return found;
  }

  /** Whether every informer of this cache has listed at least once. */
  public boolean hasSynced() {
    return informers.values().stream().allMatch(SharedIndexInformer::hasSynced);
  }

  /** Whether every informer of this cache has listed and watches. */
  boolean healthy() {
    return informers.values().stream().allMatch(i -> i.hasSynced() && i.isWatching());
  }

  /**
   * Registers {@code listener} for every later change, starting the informers for the first one, in
   * {@code controllerNamespaces} (null: all; the operator's controllers all watch the same
   * namespaces) unless a shard's namespaces were given. The returned stage completes once they
   * listed (a failed list is retried by the informer, so it may take long; callers wait for it with
   * their own timeout).
   */
  synchronized CompletableFuture<Void> open(
      ResourceEventHandler<T> listener, Set<String> controllerNamespaces) {
    listeners.add(listener);
    users++;
    if (!started) {
      started = true;
      if (!namespacesGiven) {
        namespaces = controllerNamespaces == null ? null : Set.copyOf(controllerNamespaces);
      }
      for (String ns : namespaces == null ? Set.of(ALL) : namespaces) watch(ns);
    }
    return allSynced();
  }

  /** Removes {@code listener}; the informers stop with the last one. */
  synchronized void close(ResourceEventHandler<T> listener) {
    listeners.remove(listener);
    if (--users > 0 || !started) return;
    started = false;
    for (String ns : List.copyOf(informers.keySet())) unwatch(ns);
  }

  /**
   * Watches exactly {@code wanted} from now on (a shard's namespaces): informers for the new ones,
   * the dropped ones stopped. The returned stage completes once the new ones listed.
   */
  synchronized CompletableFuture<Void> changeNamespaces(Set<String> wanted) {
    namespaces = Set.copyOf(wanted);
    namespacesGiven = true;
    if (!started) return CompletableFuture.completedFuture(null);
    Set<String> drop = new HashSet<>(informers.keySet());
    drop.removeAll(wanted);
    drop.forEach(this::unwatch);
    for (String ns : wanted) {
      if (!informers.containsKey(ns)) watch(ns);
    }
    return allSynced();
  }

  private CompletableFuture<Void> allSynced() {
    return CompletableFuture.allOf(synced.values().toArray(CompletableFuture[]::new));
  }

  private SharedIndexInformer<T> informerFor(String namespace) {
    SharedIndexInformer<T> all = informers.get(ALL);
    return all != null || namespace == null ? all : informers.get(namespace);
  }

  private void watch(String namespace) {
    var resources = client.get().resources(type);
    FilterWatchListDeletable<T, KubernetesResourceList<T>, Resource<T>> scope =
        namespace.equals(ALL) ? resources.inAnyNamespace() : resources.inNamespace(namespace);
    if (labelSelector != null) scope = scope.withLabelSelector(labelSelector);
    SharedIndexInformer<T> informer = scope.runnableInformer(0);
    // as the Operator SDK's informers are configured here: a failed list or watch is retried with
    // backoff, never the end of the operator; readiness is down until it listed
    informer.exceptionHandler((wasStarted, failure) -> true);
    // nothing reads the managed fields of a shared kind: they were most of its heap
    informer.itemStore(new WithoutManagedFields<>());
    if (!indexers.isEmpty()) informer.addIndexers(indexers);
    informer.addEventHandler(new Fanout());
    informers.put(namespace, informer);
    synced.put(namespace, informer.start().toCompletableFuture());
  }

  private void unwatch(String namespace) {
    SharedIndexInformer<T> informer = informers.remove(namespace);
    synced.remove(namespace);
    if (informer != null) informer.stop();
  }

  /** Hands each change to every listener; one failing listener does not keep it from the others. */
  private final class Fanout implements ResourceEventHandler<T> {
    @Override
    public void onAdd(T obj) {
      for (ResourceEventHandler<T> l : listeners) safely(() -> l.onAdd(obj));
    }

    @Override
    public void onUpdate(T before, T now) {
      for (ResourceEventHandler<T> l : listeners) safely(() -> l.onUpdate(before, now));
    }

    @Override
    public void onDelete(T obj, boolean deletedFinalStateUnknown) {
      for (ResourceEventHandler<T> l : listeners) {
        safely(() -> l.onDelete(obj, deletedFinalStateUnknown));
      }
    }

    private void safely(Runnable r) {
      try {
        r.run();
      } catch (RuntimeException e) {
        LOG.errorf(e, "handling a change of a %s failed", type.getSimpleName());
      }
    }
  }
}
