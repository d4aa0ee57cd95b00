package dev.tidewater.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tidewater.api.v1alpha1.common.TidewaterStatus;
import dev.tidewater.api.v1alpha1.taskrole.TaskRole;
import dev.tidewater.api.v1alpha1.tenancy.TenancyPolicy;
import dev.tidewater.testing.Crds;
import dev.tidewater.testing.OperatorProcess;
import dev.tidewater.testing.Resources;
import dev.tidewater.testing.TestGround;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What one namespace's resources may not reach, by the packaged operator: ServiceAccounts it did
 * not make, adoption the namespace's TenancyPolicy does not allow (issue 19, "no reach across
 * namespaces").
 */
class CrossNamespaceIT {

  private static final TestGround ground = TestGround.get();
  private static final KubernetesClient admin = ground.admin();
  private static final KubernetesSerialization YAML = new KubernetesSerialization();

  private static OperatorProcess operator;
  private String ns;
  private final List<String> policies = new ArrayList<>();

  @BeforeAll
  static void start() {
    Crds.apply(admin);
    operator = OperatorProcess.start(ground, Map.of(), List.of("-Dtidewater.resync-period=3s"));
  }

  @AfterAll
  static void stop() {
    if (operator != null) operator.close();
  }

  @BeforeEach
  void namespace() {
    ns = ground.createNamespace("xns");
  }

  @AfterEach
  void cleanUp() {
    policies.forEach(p -> admin.resources(TenancyPolicy.class).withName(p).delete());
    ground.deleteNamespace(ns);
  }

  // --- helpers --------------------------------------------------------------------------------

  private void apply(String yaml) {
    Resources.apply(admin, yaml, ns);
  }

  /** A TenancyPolicy governing this test's namespace alone, with {@code spec} (YAML lines). */
  private void policy(String spec) {
    String name = ns + "-policy";
    TenancyPolicy policy =
        YAML.unmarshal(
            """
            apiVersion: ecs.tidewater.dev/v1alpha1
            kind: TenancyPolicy
            metadata:
              name: %s
            spec:
              namespaces: [%s]
            %s
            """
                .formatted(name, ns, spec.indent(2)),
            TenancyPolicy.class);
    admin.resource(policy).fieldManager("tidewater-tests").forceConflicts().serverSideApply();
    policies.add(name);
  }

  private TaskRole taskRole(String name) {
    return admin.resources(TaskRole.class).inNamespace(ns).withName(name).get();
  }

  private ServiceAccount serviceAccount(String name) {
    return admin.serviceAccounts().inNamespace(ns).withName(name).get();
  }

  private static Optional<Condition> condition(TidewaterStatus status, String type) {
    return status == null
        ? Optional.empty()
        : status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  private Condition awaitDegraded(String name, String reason) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> condition(taskRole(name).getStatus(), "Degraded").orElse(null),
            c -> c != null && "True".equals(c.getStatus()) && reason.equals(c.getReason()));
  }

  private void awaitReady(String name) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                condition(taskRole(name).getStatus(), "Ready")
                    .map(c -> "True".equals(c.getStatus()))
                    .orElse(false));
  }

  private static String taskRole(String name, String spec) {
    return """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: TaskRole
        metadata:
          name: %s
        spec:
        %s
        """
        .formatted(name, spec.indent(2));
  }

  /** A ServiceAccount another tool made (kubectl, a chart): labelled and annotated by it. */
  private void foreignServiceAccount(String name) {
    admin
        .resource(
            new ServiceAccountBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(ns)
                .addToLabels("app.kubernetes.io/managed-by", "Helm")
                .endMetadata()
                .build())
        .fieldManager("helm")
        .serverSideApply();
  }

  // --- ServiceAccounts ------------------------------------------------------------------------

  @Test
  void aServiceAccountTheTaskRoleDidNotMakeIsANameConflictAndOutlivesTheTaskRole() {
    foreignServiceAccount("shared");
    apply(taskRole("web", "serviceAccountName: shared"));

    Condition degraded = awaitDegraded("web", "NameConflict");
    assertThat(degraded.getMessage())
        .contains("spec.serviceAccountName")
        .contains("ServiceAccount shared")
        .contains("helm");
    assertThat(Resources.events(admin, ns, "web", "NameConflict")).isNotEmpty();
    ServiceAccount sa = serviceAccount("shared");
    assertThat(sa.getMetadata().getOwnerReferences()).as("not taken over").isNullOrEmpty();
    assertThat(sa.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "Helm");

    admin.resources(TaskRole.class).inNamespace(ns).withName("web").delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> taskRole("web") == null);
    // garbage collection would have taken an owned one by now; give it a resync's time
    await()
        .during(Duration.ofSeconds(4))
        .atMost(Duration.ofSeconds(10))
        .until(() -> serviceAccount("shared") != null);
  }

  @Test
  void theDefaultServiceAccountIsNeverATaskRolesEvenWithAdopt() {
    policy("allowAdopt: true");
    apply(taskRole("default", "adopt: true"));

    Condition degraded = awaitDegraded("default", "NameConflict");
    assertThat(degraded.getMessage()).contains("metadata.name").contains("default");
    await().atMost(Duration.ofSeconds(10)).until(() -> serviceAccount("default") != null);
    assertThat(serviceAccount("default").getMetadata().getOwnerReferences()).isNullOrEmpty();
    assertThat(serviceAccount("default").getMetadata().getLabels()).isNullOrEmpty();
  }

  @Test
  void adoptIsRefusedUnlessTheNamespacesPolicyAllowsItAndAnAdoptedServiceAccountStays() {
    foreignServiceAccount("shared");
    apply(taskRole("web", "serviceAccountName: shared\nadopt: true"));

    Condition refused = awaitDegraded("web", "ForbiddenByTenancyPolicy");
    assertThat(refused.getMessage()).contains("spec.adopt").contains("built-in tenancy ceiling");
    assertThat(serviceAccount("shared").getMetadata().getOwnerReferences()).isNullOrEmpty();

    policy("allowAdopt: true");
    awaitReady("web");
    ServiceAccount sa = serviceAccount("shared");
    assertThat(sa.getMetadata().getOwnerReferences())
        .as("adopted, not owned: never garbage-collected with the TaskRole")
        .isNullOrEmpty();
    assertThat(sa.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "Helm");

    admin.resources(TaskRole.class).inNamespace(ns).withName("web").delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> taskRole("web") == null);
    await()
        .during(Duration.ofSeconds(4))
        .atMost(Duration.ofSeconds(10))
        .until(() -> serviceAccount("shared") != null);
  }
}
