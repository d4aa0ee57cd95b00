package dev.tidewater.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tidewater.testing.Command;
import dev.tidewater.testing.TestGround;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart's ClusterRoles for people, as the API server authorises with them: a user bound to
 * Kubernetes' {@code edit} in a namespace may write its workloads but not its Clusters nor any
 * TenancyPolicy; {@code view} reads them; the platform role writes Clusters and TenancyPolicies.
 */
class UserRolesIT {

  private static final String RELEASE = "roles-it";
  private final TestGround ground = TestGround.get();
  private final KubernetesClient admin = ground.admin();
  private String ns;

  @BeforeEach
  void install(@TempDir Path dir) throws IOException {
    ground.applyChartTemplate(RELEASE, "templates/user-roles.yaml", dir);
    ns = ground.createNamespace("roles");
    admin
        .rbac()
        .roleBindings()
        .inNamespace(ns)
        .resource(
            new RoleBindingBuilder()
                .withNewMetadata()
                .withName("team")
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "edit")
                .addNewSubject()
                .withKind("User")
                .withName("developer")
                .withApiGroup("rbac.authorization.k8s.io")
                .endSubject()
                .build())
        .create();
    admin
        .rbac()
        .roleBindings()
        .inNamespace(ns)
        .resource(
            new RoleBindingBuilder()
                .withNewMetadata()
                .withName("audit")
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "view")
                .addNewSubject()
                .withKind("User")
                .withName("auditor")
                .withApiGroup("rbac.authorization.k8s.io")
                .endSubject()
                .build())
        .create();
    admin
        .rbac()
        .clusterRoleBindings()
        .resource(
            new ClusterRoleBindingBuilder()
                .withNewMetadata()
                .withName(RELEASE + "-platform")
                .endMetadata()
                .withNewRoleRef(
                    "rbac.authorization.k8s.io", "ClusterRole", RELEASE + "-tidewater-platform")
                .addNewSubject()
                .withKind("User")
                .withName("platform")
                .withApiGroup("rbac.authorization.k8s.io")
                .endSubject()
                .build())
        .create();
  }

  @AfterEach
  void uninstall() {
    admin.rbac().clusterRoleBindings().withName(RELEASE + "-platform").delete();
    Command.run(
        ground.kubectlArgv(
            "delete",
            "clusterrole",
            "-l",
            "app.kubernetes.io/instance=" + RELEASE,
            "--ignore-not-found"));
    ground.deleteNamespace(ns);
  }

  private boolean allowed(String user, String namespace, String resource, String verb) {
    SubjectAccessReview review =
        admin
            .authorization()
            .v1()
            .subjectAccessReview()
            .create(
                new SubjectAccessReviewBuilder()
                    .withNewSpec()
                    .withUser(user)
                    .withNewResourceAttributes()
                    .withNamespace(namespace)
                    .withGroup("ecs.tidewater.dev")
                    .withResource(resource)
                    .withVerb(verb)
                    .endResourceAttributes()
                    .endSpec()
                    .build());
    return review.getStatus().getAllowed();
  }

  @Test
  void editWritesWorkloadsOnlyViewReadsAndThePlatformWritesClustersAndPolicies() {
    // aggregation is the controller-manager's: until the edit role has picked the rules up
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> allowed("developer", ns, "taskdefinitions", "create"));
    for (String kind : List.of("taskdefinitions", "services", "taskroles", "loadbalancerroutes")) {
      assertThat(allowed("developer", ns, kind, "create")).as("edit: create " + kind).isTrue();
      assertThat(allowed("developer", ns, kind, "delete")).as("edit: delete " + kind).isTrue();
      assertThat(allowed("auditor", ns, kind, "list")).as("view: list " + kind).isTrue();
      assertThat(allowed("auditor", ns, kind, "create")).as("view: create " + kind).isFalse();
    }
    assertThat(allowed("developer", ns, "clusters", "get")).as("edit: get clusters").isTrue();
    assertThat(allowed("developer", ns, "clusters", "create"))
        .as("edit: create clusters")
        .isFalse();
    assertThat(allowed("developer", ns, "clusters", "patch")).as("edit: patch clusters").isFalse();
    assertThat(allowed("developer", null, "tenancypolicies", "create"))
        .as("edit: create tenancypolicies")
        .isFalse();
    assertThat(allowed("developer", null, "tenancypolicies", "list"))
        .as("edit: list tenancypolicies")
        .isFalse();
    assertThat(allowed("developer", "other", "taskdefinitions", "create"))
        .as("edit in another namespace")
        .isFalse();
    assertThat(allowed("platform", ns, "clusters", "create")).as("platform: clusters").isTrue();
    assertThat(allowed("platform", null, "tenancypolicies", "create"))
        .as("platform: tenancypolicies")
        .isTrue();
  }
}
