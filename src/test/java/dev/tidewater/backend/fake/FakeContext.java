package dev.tidewater.backend.fake;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A reconcile's Context for unit tests: the secondary resources given, no client, no retry, and
 * event sources that have all listed. Anything else a reconciler asks of it fails the test.
 */
public final class FakeContext {

  private FakeContext() {}

  /** A Context whose primary cache holds {@code primary} alone. */
  public static <P extends HasMetadata> Context<P> of(P primary, List<HasMetadata> secondaries) {
    return of(primary, secondaries, List.of(primary));
  }

  /** A Context whose primary cache holds {@code primaries} (peers a reconciler plans with). */
  @SuppressWarnings("unchecked") // proxies of the interfaces asked for
  public static <P extends HasMetadata> Context<P> of(
      P primary, List<HasMetadata> secondaries, List<P> primaries) {
    Object primaryCache =
        Proxy.newProxyInstance(
            FakeContext.class.getClassLoader(),
            new Class<?>[] {io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache.class},
            (proxy, method, args) -> {
              if (method.getName().equals("list") && args.length == 1) {
                if (args[0] instanceof String namespace) {
                  return primaries.stream()
                      .filter(r -> namespace.equals(r.getMetadata().getNamespace()));
                }
                return primaries.stream().filter((java.util.function.Predicate<P>) args[0]);
              }
              if (method.getName().equals("get")
                  && args.length == 1
                  && args[0]
                      instanceof io.javaoperatorsdk.operator.processing.event.ResourceID id) {
                return primaries.stream()
                    .filter(
                        r ->
                            id.equals(
                                io.javaoperatorsdk.operator.processing.event.ResourceID
                                    .fromResource(r)))
                    .findFirst();
              }
              throw new UnsupportedOperationException(method.getName());
            });
    Object retriever =
        Proxy.newProxyInstance(
            FakeContext.class.getClassLoader(),
            new Class<?>[] {
              io.javaoperatorsdk.operator.processing.event.EventSourceRetriever.class
            },
            (proxy, method, args) -> {
              if (method.getName().equals("getEventSourcesFor")) return List.of();
              throw new UnsupportedOperationException(method.getName());
            });
    return (Context<P>)
        Proxy.newProxyInstance(
            FakeContext.class.getClassLoader(),
            new Class<?>[] {Context.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "getSecondaryResources" -> Set.copyOf(of((Class<?>) args[0], secondaries));
                  case "getSecondaryResourcesAsStream" ->
                      of((Class<?>) args[0], secondaries).stream();
                  case "getSecondaryResource" ->
                      of((Class<?>) args[0], secondaries).stream().findFirst();
                  case "getRetryInfo" -> Optional.empty();
                  case "getPrimaryResource" -> primary;
                  case "eventSourceRetriever" -> retriever;
                  case "getClient" -> null;
                  case "getPrimaryCache" -> primaryCache;
                  case "isNextReconciliationImminent" -> false;
                  default -> throw new UnsupportedOperationException(method.getName());
                });
  }

  private static List<?> of(Class<?> type, List<HasMetadata> secondaries) {
    return secondaries.stream().filter(type::isInstance).toList();
  }
}
