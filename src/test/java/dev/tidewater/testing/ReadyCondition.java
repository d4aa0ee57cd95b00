package dev.tidewater.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidewater.api.v1alpha1.common.TidewaterStatus;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.function.Supplier;

/** The assertion most ITs wait on: a Tidewater resource whose status has {@code Ready=True}. */
public final class ReadyCondition {

  private ReadyCondition() {}

  /**
   * Asserts that {@code status} (of the resource {@code what}) says Ready=True; {@code context} is
   * added to the failure (e.g. the operator's log).
   */
  public static void assertReady(String what, TidewaterStatus status, Supplier<String> context) {
    assertThat(status).as(() -> "status of " + what).isNotNull();
    assertThat(status.getConditions())
        .as(() -> "conditions of " + what + "; " + context.get())
        .anySatisfy(
            c -> {
              assertThat(c.getType()).isEqualTo("Ready");
              assertThat(c.getStatus()).isEqualTo("True");
            });
  }

  /** Asserts that the resource of {@code type} named {@code name} in {@code namespace} is Ready. */
  public static <T extends CustomResource<?, ? extends TidewaterStatus>> void assertReady(
      KubernetesClient client,
      Class<T> type,
      String namespace,
      String name,
      Supplier<String> context) {
    T resource = client.resources(type).inNamespace(namespace).withName(name).get();
    assertThat(resource).as(() -> type.getSimpleName() + " " + name).isNotNull();
    assertReady(type.getSimpleName() + " " + name, resource.getStatus(), context);
  }
}
