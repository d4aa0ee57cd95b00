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

  @SuppressWarnings("unchecked") // a proxy of the interface asked for
  public static <P extends HasMetadata> Context<P> of(P primary, List<HasMetadata> secondaries) {
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
                  case "isNextReconciliationImminent" -> false;
                  default -> throw new UnsupportedOperationException(method.getName());
                });
  }

  private static List<?> of(Class<?> type, List<HasMetadata> secondaries) {
    return secondaries.stream().filter(type::isInstance).toList();
  }
}
