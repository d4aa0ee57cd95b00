package dev.tidewater.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;

/**
 * An informer's store that keeps its objects without {@code metadata.managedFields}: the API
 * server's record of which field manager set which field, a tree as large as the object's own
 * fields for every manager that wrote it (a TaskDefinition applied by a user and given a status by
 * the operator carries two). The heap histogram of the benchmark (N = 1000) counted eleven of them
 * per workload, most on the custom resources and ControllerRevisions, which nothing in the operator
 * reads them from. The shared caches ({@link KindCache}) use it; the informers of rendered children
 * (Deployments, ServiceAccounts, ...) keep theirs, which the drift check reads ({@code
 * AppliedFields}).
 *
 * <p>One store serves one informer. Not the Operator SDK's {@code @Informer(itemStore = ...)} for a
 * controller's primaries: the SDK (5.3.2) hands the same instance to the informer of every
 * namespace it watches, and a relist of one would drop, and report deleted, the others' objects (a
 * sharded or namespace-scoped install watches several).
 *
 * <p>The object is stripped as the informer stores it, before any event handler sees it, so the
 * cache and the events agree.
 */
final class WithoutManagedFields<T extends HasMetadata> extends BasicItemStore<T> {

  WithoutManagedFields() {
    super(Cache::metaNamespaceKeyFunc);
  }

  @Override
  public T put(String key, T obj) {
    if (obj.getMetadata() != null) obj.getMetadata().setManagedFields(null);
    return super.put(key, obj);
  }
}
