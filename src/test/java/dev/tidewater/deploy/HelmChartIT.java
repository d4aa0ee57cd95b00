package dev.tidewater.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.testing.AuditLog;
import dev.tidewater.testing.Command;
import dev.tidewater.testing.OperatorProcess;
import dev.tidewater.testing.Resources;
import dev.tidewater.testing.TestGround;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Helm chart on the real API server: it lints and renders, its objects are accepted, and its
 * ClusterRole alone is enough for the packaged operator to turn the examples into a Ready Service.
 * The test ground's own operator user is system:masters, so the proof runs the operator with a
 * token of the chart's ServiceAccount instead.
 */
class HelmChartIT {

  private static final Path CHART = Path.of("helm", "tidewater");
  private static final List<String> EXAMPLES =
      List.of("cluster.yaml", "taskrole.yaml", "taskdefinition.yaml", "service.yaml");

  private final TestGround ground = TestGround.get();
  private final KubernetesClient admin = ground.admin();
  private String ns;
  private String release;

  @BeforeEach
  void namespace() {
    ns = ground.createNamespace("helm");
    // cluster-scoped objects (ClusterRole, ClusterRoleBinding) are named after the release
    release = ns;
  }

  @AfterEach
  void cleanUp() {
    Command.run(
        ground.kubectlArgv(
            "delete",
            "clusterrole,clusterrolebinding",
            "-l",
            "app.kubernetes.io/instance=" + release,
            "--ignore-not-found"));
    ground.deleteNamespace(ns);
  }

  private String helm(String... args) {
    List<String> argv = new ArrayList<>(List.of(ground.helm().toString()));
    argv.addAll(List.of(args));
    return Command.ok(argv);
  }

  /** The chart rendered into this test's namespace, CRDs included, without its Deployment. */
  private String renderedWithoutDeployment() {
    String rendered =
        helm("template", release, CHART.toString(), "--namespace", ns, "--include-crds");
    List<String> kept = new ArrayList<>();
    for (String doc : rendered.split("(?m)^---\\s*$")) {
      if (doc.isBlank()) continue;
      // the Deployment needs the operator's image, which cannot be built here
      if (doc.contains("\nkind: Deployment\n")) continue;
      kept.add(doc);
    }
    return String.join("---\n", kept);
  }

  private void kubectlApply(Path file) {
    Command.ok(
        ground.kubectlArgv("apply", "--server-side", "--force-conflicts", "-f", file.toString()));
  }

  @Test
  void lintsAndRendersWithDefaultAndAllOptionalValues() {
    assertThat(helm("lint", "--strict", CHART.toString())).contains("0 chart(s) failed");
    String everything =
        helm(
            "template",
            "t",
            CHART.toString(),
            "--set",
            "serviceMonitor.enabled=true",
            "--set",
            "aws.region=eu-west-1",
            "--set",
            "aws.credentialsSecret=aws-credentials",
            "--set",
            "operator.watchNamespaces={team-a,team-b}",
            "--set",
            "serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn=arn:aws:iam::123456789012:role/t");
    assertThat(everything)
        .contains("kind: ServiceMonitor")
        .contains("value: \"team-a,team-b\"")
        .contains("eks.amazonaws.com/role-arn: arn:aws:iam::123456789012:role/t")
        .contains("name: aws-credentials")
        .contains("readOnlyRootFilesystem: true");
    assertThat(helm("template", "t", CHART.toString()))
        .doesNotContain("kind: ServiceMonitor")
        .contains("image: \"tidewater/operator:0.1.0\"")
        .contains("value: \"JOSDK_ALL_NAMESPACES\"");
  }

  @Test
  void theChartsClusterRoleAloneLetsTheOperatorMakeTheExamplesReady(@TempDir Path dir)
      throws IOException {
    Path manifests = dir.resolve("chart.yaml");
    Files.writeString(manifests, renderedWithoutDeployment());
    kubectlApply(manifests);

    String sa = release + "-tidewater";
    ClusterRoleBinding binding =
        admin.rbac().clusterRoleBindings().withName(release + "-tidewater").get();
    assertThat(binding.getRoleRef().getName()).isEqualTo(release + "-tidewater");
    assertThat(binding.getSubjects())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getName()).isEqualTo(sa);
              assertThat(s.getNamespace()).isEqualTo(ns);
            });

    Path kubeconfig = dir.resolve("operator.kubeconfig");
    Files.writeString(kubeconfig, kubeconfigFor(sa));
    try (KubernetesClient asOperator = client(kubeconfig)) {
      assertThat(allowed(asOperator, "", "secrets", "get")).as("get secrets").isFalse();
      assertThat(allowed(asOperator, "", "pods", "list")).as("list pods").isFalse();
      assertThat(allowed(asOperator, "apps", "deployments", "patch")).isTrue();
    }

    AuditLog.Mark before = ground.auditLog().mark();
    try (OperatorProcess operator =
        OperatorProcess.start(
            kubeconfig,
            Map.of(
                "TIDEWATER_AWS_ENDPOINT",
                ground.motoEndpoint().toString(),
                "AWS_ACCESS_KEY_ID",
                "testing",
                "AWS_SECRET_ACCESS_KEY",
                "testing"),
            List.of())) {
      for (String example : EXAMPLES) {
        Resources.applyFile(admin, Path.of("examples", example), ns);
      }
      await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofSeconds(1))
          .untilAsserted(
              () -> {
                EcsService web =
                    admin.resources(EcsService.class).inNamespace(ns).withName("web").get();
                assertThat(web.getStatus()).as("status of Service web").isNotNull();
                assertThat(web.getStatus().getConditions())
                    .as(() -> "conditions of Service web; operator log:\n" + operator.log())
                    .anySatisfy(
                        c -> {
                          assertThat(c.getType()).isEqualTo("Ready");
                          assertThat(c.getStatus()).isEqualTo("True");
                        });
              });
      assertThat(admin.serviceAccounts().inNamespace(ns).withName("web").get())
          .as("the TaskRole's ServiceAccount")
          .isNotNull();
      assertThat(admin.apps().deployments().inNamespace(ns).withName("web").get())
          .as("the Service's Deployment")
          .isNotNull();
      // RBAC denials only: other tests' namespaces may still be terminating ("forbidden: unable to
      // create new content"), which says nothing about the chart's role
      assertThat(operator.log())
          .as("operator log")
          .doesNotContainPattern("forbidden: User \"[^\"]+\" cannot");
    }
    // the writes came from the chart's ServiceAccount, not from another operator on the ground
    // (in this namespace: others' may be terminating, which refuses any write with a 403)
    List<AuditLog.Write> writes =
        ground.auditLog().writesSince(before, "system:serviceaccount:" + ns + ":" + sa).stream()
            .filter(w -> ns.equals(w.namespace()) || w.namespace() == null)
            .toList();
    assertThat(writes)
        .anySatisfy(
            w -> {
              assertThat(w.resource()).isEqualTo("deployments");
              assertThat(w.namespace()).isEqualTo(ns);
              assertThat(w.code()).isBetween(200, 201);
            })
        .anySatisfy(w -> assertThat(w.subresource()).isEqualTo("status"))
        .noneSatisfy(w -> assertThat(w.code()).isEqualTo(403));
  }

  private String kubeconfigFor(String serviceAccount) {
    String token =
        admin
            .serviceAccounts()
            .inNamespace(ns)
            .withName(serviceAccount)
            .tokenRequest(
                new TokenRequestBuilder()
                    .withNewSpec()
                    .withExpirationSeconds(3600L)
                    .endSpec()
                    .build())
            .getStatus()
            .getToken();
    Config adminConfig = admin.getConfiguration();
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: testground
          cluster:
            server: %s
            certificate-authority-data: %s
        users:
        - name: %s
          user:
            token: %s
        contexts:
        - name: testground
          context: {cluster: testground, user: %s}
        current-context: testground
        """
        .formatted(
            adminConfig.getMasterUrl(),
            adminConfig.getCaCertData(),
            serviceAccount,
            token,
            serviceAccount);
  }

  private static KubernetesClient client(Path kubeconfig) throws IOException {
    return new KubernetesClientBuilder()
        .withConfig(Config.fromKubeconfig(Files.readString(kubeconfig)))
        .build();
  }

  private static boolean allowed(
      KubernetesClient client, String group, String resource, String verb) {
    return client
        .authorization()
        .v1()
        .selfSubjectAccessReview()
        .create(
            new SelfSubjectAccessReviewBuilder()
                .withNewSpec()
                .withNewResourceAttributes()
                .withGroup(group)
                .withResource(resource)
                .withVerb(verb)
                .endResourceAttributes()
                .endSpec()
                .build())
        .getStatus()
        .getAllowed();
  }
}
