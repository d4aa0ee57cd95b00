package dev.tidewater.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidewater.api.v1alpha1.service.EcsService;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WithoutManagedFieldsTest {

  private static EcsService service(String rv) {
    EcsService s = new EcsService();
    s.setMetadata(
        new ObjectMetaBuilder()
            .withName("web")
            .withNamespace("team-a")
            .withResourceVersion(rv)
            .withLabels(Map.of("app", "web"))
            .withManagedFields(
                new ManagedFieldsEntryBuilder()
                    .withManager("kubectl")
                    .withOperation("Apply")
                    .withNewFieldsV1()
                    .addToAdditionalProperties("f:spec", Map.of("f:desiredCount", Map.of()))
                    .endFieldsV1()
                    .build())
            .build());
    return s;
  }

  @Test
  void anObjectIsStoredWithoutItsManagedFieldsAndWithEverythingElse() {
    WithoutManagedFields<EcsService> store = new WithoutManagedFields<>();
    EcsService s = service("7");
    String key = store.getKey(s);

    assertThat(key).isEqualTo("team-a/web");
    assertThat(store.put(key, s)).isNull();
    EcsService stored = store.get(key);
    assertThat(stored.getMetadata().getManagedFields()).isNullOrEmpty();
    assertThat(stored.getMetadata().getLabels()).containsEntry("app", "web");
    assertThat(stored.getMetadata().getResourceVersion()).isEqualTo("7");

    EcsService next = service("8");
    assertThat(store.put(key, next)).isSameAs(stored);
    assertThat(store.get(key).getMetadata().getManagedFields()).isNullOrEmpty();
    assertThat(store.size()).isEqualTo(1);
  }
}
