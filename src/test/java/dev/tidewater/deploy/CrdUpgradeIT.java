package dev.tidewater.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tidewater.testing.Command;
import dev.tidewater.testing.Crds;
import dev.tidewater.testing.Resources;
import dev.tidewater.testing.TestGround;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The documented CRD upgrade path (docs/install.md): Helm never upgrades crds/, so an installation
 * whose CRDs are older is upgraded with {@code kubectl apply --server-side --force-conflicts -f
 * crds/}; existing resources survive and the new fields are kept from then on.
 */
class CrdUpgradeIT {

  private static final String CRD = "taskroles.ecs.tidewater.dev";
  private static final String NEW_FIELD = "maxSessionDurationSeconds";

  private final TestGround ground = TestGround.get();
  private final KubernetesClient admin = ground.admin();
  private String ns;

  @BeforeEach
  void namespace() {
    ns = ground.createNamespace("crd-upgrade");
  }

  @AfterEach
  void restore() {
    ground.deleteNamespace(ns);
    Crds.apply(admin); // whatever happened, later tests see the current CRDs
  }

  private GenericKubernetesResource role(String name) {
    return admin
        .genericKubernetesResources("ecs.tidewater.dev/v1alpha1", "TaskRole")
        .inNamespace(ns)
        .withName(name)
        .get();
  }

  private static String roleYaml(String name, boolean withNewField) {
    return """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: TaskRole
        metadata:
          name: %s
        spec:
          description: upgrade test
        %s"""
        .formatted(name, withNewField ? "  " + NEW_FIELD + ": 7200\n" : "");
  }

  @SuppressWarnings("unchecked")
  private static java.util.Map<String, Object> spec(GenericKubernetesResource r) {
    return (java.util.Map<String, Object>) r.getAdditionalProperties().get("spec");
  }

  @Test
  void applyingCrdsServerSideUpgradesAnOlderInstallation() throws Exception {
    // an "older release": the TaskRole CRD without one field, installed by another manager (helm)
    CustomResourceDefinition older =
        admin
            .apiextensions()
            .v1()
            .customResourceDefinitions()
            .load(Files.newInputStream(Crds.DIR.resolve(CRD + "-v1.yml")))
            .item();
    older
        .getSpec()
        .getVersions()
        .get(0)
        .getSchema()
        .getOpenAPIV3Schema()
        .getProperties()
        .get("spec")
        .getProperties()
        .remove(NEW_FIELD);
    older.getMetadata().setManagedFields(null);
    admin.resource(older).fieldManager("helm").forceConflicts().serverSideApply();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThatThrownBy(() -> Resources.apply(admin, roleYaml("early", true), ns))
                    .as("the old schema does not know the field")
                    .hasMessageContaining(NEW_FIELD + ": field not declared in schema"));
    Resources.apply(admin, roleYaml("before", false), ns);

    Command.ok(
        ground.kubectlArgv(
            "apply", "--server-side", "--force-conflicts", "-f", Path.of("crds").toString()));

    assertThat(role("before")).as("existing resources survive the upgrade").isNotNull();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              Resources.apply(admin, roleYaml("after", true), ns);
              assertThat(spec(role("after"))).containsEntry(NEW_FIELD, 7200);
            });
  }
}
