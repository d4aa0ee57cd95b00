package dev.tidewater.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidewater.testing.ChartReleases;
import dev.tidewater.testing.Command;
import dev.tidewater.testing.TestGround;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code helm upgrade --reuse-values} from a released chart (helm/releases) to the chart in the
 * tree: Helm then renders the new templates with the old release's values, which lack every key
 * added since. Upgrades from the oldest and from the previous release, keeps the values set at
 * install, and leaves the new objects in place. Only Helm's answer and the objects are asserted:
 * the Deployment's image cannot run here (kwok marks its pod Running without running it).
 */
class HelmUpgradeIT {

  private final TestGround ground = TestGround.get();
  private final KubernetesClient admin = ground.admin();
  private String ns;
  private String release;
  private String fullName;

  /** The oldest and the newest release before the chart's version (one when they are the same). */
  static Stream<String> earlierReleases() {
    String current = ChartReleases.chartVersion();
    List<String> earlier =
        ChartReleases.packages().keySet().stream()
            .filter(v -> ChartReleases.compareVersions(v, current) < 0)
            .toList();
    assertThat(earlier).as("released charts before %s in helm/releases", current).isNotEmpty();
    Set<String> picked = new LinkedHashSet<>();
    picked.add(earlier.get(0));
    picked.add(earlier.get(earlier.size() - 1));
    return picked.stream();
  }

  @BeforeEach
  void namespace() {
    ns = ground.createNamespace("helm-upgrade");
    release = ns;
    fullName = release + "-tidewater";
  }

  @AfterEach
  void cleanUp() {
    Command.run(helmArgv("uninstall", release, "--namespace", ns));
    ground.deleteRelease(release, ns);
  }

  private List<String> helmArgv(String... args) {
    List<String> argv = new ArrayList<>(List.of(ground.helm().toString()));
    argv.addAll(List.of(args));
    argv.addAll(List.of("--kubeconfig", ground.adminKubeconfig().toString()));
    return argv;
  }

  private String helm(String... args) {
    return Command.ok(helmArgv(args));
  }

  @ParameterizedTest(name = "from {0}")
  @MethodSource("earlierReleases")
  void reuseValuesUpgradesAReleasedChartToTheChart(String previous) {
    Path pkg = ChartReleases.packages().get(previous);
    // CRDs are the test ground's (current) ones; Helm would skip them anyway
    assertThat(
            helm(
                "install",
                release,
                pkg.toString(),
                "--namespace",
                ns,
                "--skip-crds",
                "--set",
                "operator.logLevel=DEBUG",
                "--set",
                "aws.region=eu-west-1"))
        .contains("STATUS: deployed");
    assertThat(deployment().getMetadata().getLabels())
        .containsEntry("helm.sh/chart", "tidewater-" + previous);

    String upgraded =
        helm(
            "upgrade",
            release,
            ChartReleases.CHART.toString(),
            "--namespace",
            ns,
            "--reuse-values");
    assertThat(upgraded).contains("has been upgraded").contains("STATUS: deployed");

    String current = ChartReleases.chartVersion();
    Deployment d = deployment();
    assertThat(d.getMetadata().getLabels()).containsEntry("helm.sh/chart", "tidewater-" + current);
    assertThat(env(d))
        .as("values set at install, reused")
        .containsEntry("QUARKUS_LOG_LEVEL", "DEBUG")
        .containsEntry("TIDEWATER_AWS_REGION", "eu-west-1")
        .containsEntry("QUARKUS_OPERATOR_SDK_NAMESPACES", "JOSDK_ALL_NAMESPACES");
    Role lease = admin.rbac().roles().inNamespace(ns).withName(fullName + "-leader-election").get();
    assertThat(lease.getRules())
        .singleElement()
        .satisfies(r -> assertThat(r.getVerbs()).contains("get", "create", "update", "patch"));
    ClusterRole operatorRole = admin.rbac().clusterRoles().withName(fullName).get();
    assertThat(operatorRole.getRules())
        .as("the operator's role: namespaced kinds only")
        .noneSatisfy(r -> assertThat(r.getApiGroups()).contains("apiextensions.k8s.io"));
    ClusterRole crds = admin.rbac().clusterRoles().withName(fullName + "-crds").get();
    assertThat(crds.getRules())
        .as(
            "cluster-wide reads: the ExternalSecret CRD, the kube-system namespace (cluster id),"
                + " the TenancyPolicies")
        .hasSize(3)
        .anySatisfy(
            r ->
                assertThat(r.getResourceNames())
                    .containsExactly("externalsecrets.external-secrets.io"))
        .anySatisfy(
            r -> {
              assertThat(r.getResources()).containsExactly("namespaces");
              assertThat(r.getResourceNames()).containsExactly("kube-system");
              assertThat(r.getVerbs()).containsExactly("get");
            })
        .anySatisfy(
            r -> {
              assertThat(r.getResources()).containsExactly("tenancypolicies");
              assertThat(r.getVerbs()).containsExactly("get", "list", "watch");
            });
    assertThat(admin.rbac().clusterRoleBindings().withName(fullName + "-crds").get()).isNotNull();
    assertThat(admin.rbac().clusterRoleBindings().withName(fullName).get()).isNotNull();

    // the schema checks the reused values merged with new ones
    Command refused =
        Command.run(
            helmArgv(
                "upgrade",
                release,
                ChartReleases.CHART.toString(),
                "--namespace",
                ns,
                "--reuse-values",
                "--set",
                "operator.logFormat=JSON"));
    assertThat(refused.exitCode()).as("exit code of the refused upgrade").isNotZero();
    assertThat(refused.output()).contains("at '/operator/logFormat'");

    // and the namespace-scoped mode switched on by a later upgrade of the same release
    helm(
        "upgrade",
        release,
        ChartReleases.CHART.toString(),
        "--namespace",
        ns,
        "--reuse-values",
        "--set",
        "operator.watchNamespaces={" + ns + "}");
    assertThat(admin.rbac().clusterRoleBindings().withName(fullName).get())
        .as("cluster-wide binding of the operator's role")
        .isNull();
    assertThat(admin.rbac().roleBindings().inNamespace(ns).withName(fullName).get())
        .as("RoleBinding in the watched namespace")
        .isNotNull();
    assertThat(env(deployment()))
        .containsEntry("QUARKUS_OPERATOR_SDK_NAMESPACES", ns)
        .containsEntry("QUARKUS_LOG_LEVEL", "DEBUG");
    assertThat(helm("history", release, "--namespace", ns, "--max", "1"))
        .contains("deployed")
        .contains("tidewater-" + current);
  }

  private Deployment deployment() {
    return admin.apps().deployments().inNamespace(ns).withName(fullName).get();
  }

  private static Map<String, String> env(Deployment d) {
    return d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }
}
