package dev.tidewater.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.testing.AuditLog;
import dev.tidewater.testing.ChartEnvironment;
import dev.tidewater.testing.ChartInstall;
import dev.tidewater.testing.Command;
import dev.tidewater.testing.OperatorProcess;
import dev.tidewater.testing.ReadyCondition;
import dev.tidewater.testing.Resources;
import dev.tidewater.testing.TestGround;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Helm chart on the real API server: it lints and renders, its schema refuses bad values, its
 * objects are accepted, and its roles alone are enough for the packaged operator to turn the
 * examples into a Ready Service - bound cluster-wide, or with operator.watchNamespaces only in the
 * watched namespace. The operator runs with a token of this release's ServiceAccount and the
 * environment of its rendered Deployment.
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
    ground.deleteRelease(release, ns);
  }

  private String helm(String... args) {
    List<String> argv = new ArrayList<>(List.of(ground.helm().toString()));
    argv.addAll(List.of(args));
    return Command.ok(argv);
  }

  /**
   * The chart rendered into this test's namespace, CRDs included; with {@code namespaced} watching
   * this namespace only.
   */
  private String rendered(boolean namespaced) {
    List<String> argv =
        new ArrayList<>(
            List.of("template", release, CHART.toString(), "--namespace", ns, "--include-crds"));
    if (namespaced) argv.addAll(List.of("--set", "operator.watchNamespaces={" + ns + "}"));
    return helm(argv.toArray(String[]::new));
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
        .contains("kind: RoleBinding\nmetadata:\n  name: t-tidewater\n  namespace: team-a\n")
        .contains("kind: RoleBinding\nmetadata:\n  name: t-tidewater\n  namespace: team-b\n")
        .doesNotContain("kind: ClusterRoleBinding\nmetadata:\n  name: t-tidewater\n")
        .contains("kind: ClusterRoleBinding\nmetadata:\n  name: t-tidewater-crds\n")
        .contains("eks.amazonaws.com/role-arn: arn:aws:iam::123456789012:role/t")
        .contains("name: aws-credentials")
        .contains("readOnlyRootFilesystem: true");
    assertThat(helm("template", "t", CHART.toString()))
        .doesNotContain("kind: ServiceMonitor")
        .contains("image: \"tidewater/operator:0.3.0\"")
        .contains("value: \"JOSDK_ALL_NAMESPACES\"")
        .contains("kind: ClusterRoleBinding\nmetadata:\n  name: t-tidewater\n")
        .doesNotContain("kind: RoleBinding\nmetadata:\n  name: t-tidewater\n");
  }

  static Stream<Arguments> badValues() {
    return Stream.of(
        Arguments.of(
            List.of("operator.logFormat=JSON"),
            "at '/operator/logFormat': value must be one of 'text', 'json'"),
        Arguments.of(
            List.of("operator.shutdownTimeoutSeconds=abc"),
            "at '/operator/shutdownTimeoutSeconds': got string, want integer"),
        Arguments.of(
            List.of("operator.shutdownTimeoutSeconds=-5"),
            "at '/operator/shutdownTimeoutSeconds': minimum: got -5, want 0"),
        Arguments.of(
            List.of("replicaCount=3", "leaderElection.enabled=false"),
            "at '/replicaCount': maximum: got 3, want 1"),
        Arguments.of(
            List.of("operator.logFromat=json"),
            "at '/operator': additional properties 'logFromat' not allowed"),
        Arguments.of(List.of("replicaCount=two"), "at '/replicaCount': got string, want integer"),
        Arguments.of(
            List.of("operator.watchNamespaces={Team_A}"),
            "at '/operator/watchNamespaces/0': 'Team_A' does not match pattern"),
        Arguments.of(
            List.of("shards[0].name=Team_A", "shards[0].namespaceSelector=team=a"),
            "at '/shards/0/name': 'Team_A' does not match pattern"),
        Arguments.of(
            List.of("shards[0].name=a"), "at '/shards/0': missing property 'namespaceSelector'"),
        Arguments.of(
            List.of("shards[0].name=a", "shards[0].namespaceSelector="),
            "at '/shards/0/namespaceSelector': minLength: got 0, want 1"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badValues")
  void lintAndTemplateRefuseABadValueNamingIt(List<String> values, String message) {
    List<String> set = new ArrayList<>();
    values.forEach(v -> set.addAll(List.of("--set", v)));
    for (String command : List.of("lint --strict", "template t")) {
      List<String> argv = new ArrayList<>(List.of(ground.helm().toString()));
      argv.addAll(List.of(command.split(" ")));
      argv.add(CHART.toString());
      argv.addAll(set);
      Command result = Command.run(argv);
      assertThat(result.exitCode()).as("exit code of helm %s %s", command, values).isNotZero();
      assertThat(result.output())
          .as("helm %s %s", command, values)
          .contains("values don't meet the specifications of the schema")
          .contains(message);
    }
  }

  /**
   * Shards: a Deployment, Lease name and metrics Service each, list / watch on namespaces only
   * then; a name used twice, or shards beside operator.watchNamespaces, is refused naming why.
   */
  @Test
  void shardsRenderOneDeploymentEachAndRefuseDuplicatesAndWatchNamespaces() {
    List<String> shards =
        List.of(
            "--set",
            "shards[0].name=a",
            "--set",
            "shards[0].namespaceSelector=tidewater.dev/shard=a",
            "--set",
            "shards[1].name=rest",
            "--set",
            "shards[1].namespaceSelector=!tidewater.dev/shard");
    List<String> argv = new ArrayList<>(List.of("template", "t", CHART.toString()));
    argv.addAll(shards);
    argv.addAll(List.of("--set", "serviceMonitor.enabled=true"));
    String rendered = helm(argv.toArray(String[]::new));
    assertThat(rendered.split("\nkind: Deployment\n", -1)).hasSize(3);
    assertThat(rendered)
        .contains("kind: Deployment\nmetadata:\n  name: t-tidewater-a\n")
        .contains("kind: Deployment\nmetadata:\n  name: t-tidewater-rest\n")
        .doesNotContain("kind: Deployment\nmetadata:\n  name: t-tidewater\n")
        .contains("name: t-tidewater-a-metrics\n")
        .contains("name: t-tidewater-rest-metrics\n")
        .doesNotContain("name: t-tidewater-metrics\n")
        .contains("value: \"!tidewater.dev/shard\"")
        .contains("targetLabels: [tidewater.dev/shard]")
        .contains("resources: [namespaces]\n    verbs: [list, watch]");
    assertThat(helm("template", "t", CHART.toString()))
        .doesNotContain("tidewater.dev/shard")
        .doesNotContain("TIDEWATER_SHARD")
        .doesNotContain("resources: [namespaces]\n    verbs: [list, watch]");

    List<String> twice = new ArrayList<>(List.of(ground.helm().toString(), "template", "t"));
    twice.add(CHART.toString());
    twice.addAll(
        List.of(
            "--set",
            "shards[0].name=a",
            "--set",
            "shards[0].namespaceSelector=x=a",
            "--set",
            "shards[1].name=a",
            "--set",
            "shards[1].namespaceSelector=x=b"));
    Command duplicate = Command.run(twice);
    assertThat(duplicate.exitCode()).isNotZero();
    assertThat(duplicate.output()).contains("shards: the name \"a\" is used twice");

    List<String> withWatched = new ArrayList<>(List.of(ground.helm().toString(), "template", "t"));
    withWatched.add(CHART.toString());
    withWatched.addAll(shards);
    withWatched.addAll(List.of("--set", "operator.watchNamespaces={team-a}"));
    Command both = Command.run(withWatched);
    assertThat(both.exitCode()).isNotZero();
    assertThat(both.output()).contains("shards and operator.watchNamespaces exclude each other");
  }

  /**
   * Shard names YAML would read as a number or a boolean stay strings in the labels; the AWS rates
   * are the installation's, split between the shards; every shard is told every shard's selector; a
   * name that makes a metrics Service name longer than 63 characters is refused naming it.
   */
  @Test
  void shardsQuoteTheirLabelsSplitTheAwsRatesAndRefuseLongNames() {
    String rendered =
        helm(
            "template",
            "t",
            CHART.toString(),
            "--set-string",
            "shards[0].name=1",
            "--set",
            "shards[0].namespaceSelector=team=a",
            "--set-string",
            "shards[1].name=true",
            "--set",
            "shards[1].namespaceSelector=team in (b\\,c)",
            "--set-string",
            "shards[2].name=on",
            "--set",
            "shards[2].namespaceSelector=!team",
            "--set-json",
            "aws.rateLimit={\"share\":0.6,\"requestsPerSecond\":3,\"burst\":20}");
    // an unquoted 1, true or on would be read as a number or a boolean: a label value must be a
    // string, and the API server refuses the object
    for (String name : List.of("1", "true", "on")) {
      assertThat(rendered)
          .contains("kind: Deployment\nmetadata:\n  name: t-tidewater-" + name + "\n")
          .contains("tidewater.dev/shard: \"" + name + "\"\n")
          .doesNotContain("tidewater.dev/shard: " + name + "\n");
    }
    // three shards, three Deployments, each with a third of the rates
    assertThat(
            rendered.split(
                Pattern.quote(
                    "name: TIDEWATER_AWS_RATE_LIMIT_SHARE\n              value: \"0.2\"\n"),
                -1))
        .hasSize(4);
    assertThat(
            rendered.split(
                Pattern.quote(
                    "name: TIDEWATER_AWS_RATE_LIMIT_REQUESTS_PER_SECOND\n              value: \"1\"\n"),
                -1))
        .hasSize(4);
    assertThat(
            rendered.split(
                Pattern.quote(
                    "name: TIDEWATER_SHARD_PEERS\n              value: \"1:team=a;true:team in (b,c);on:!team\"\n"),
                -1))
        .hasSize(4);
    // without shards, the rates as given
    assertThat(
            helm(
                "template",
                "t",
                CHART.toString(),
                "--set-json",
                "aws.rateLimit={\"share\":0.6,\"requestsPerSecond\":3,\"burst\":20}"))
        .contains("name: TIDEWATER_AWS_RATE_LIMIT_SHARE\n              value: \"0.6\"\n")
        .contains(
            "name: TIDEWATER_AWS_RATE_LIMIT_REQUESTS_PER_SECOND\n              value: \"3\"\n")
        .doesNotContain("TIDEWATER_SHARD_PEERS");

    // "a-long-release-name-tidewater-" + 26 + "-metrics": 64 characters
    String name = "x".repeat(26);
    Command tooLong =
        Command.run(
            List.of(
                ground.helm().toString(),
                "template",
                "a-long-release-name",
                CHART.toString(),
                "--set",
                "shards[0].name=" + name,
                "--set",
                "shards[0].namespaceSelector=team=a"));
    assertThat(tooLong.exitCode()).isNotZero();
    assertThat(tooLong.output())
        .contains(
            "shards: the name \""
                + name
                + "\" makes the metrics Service name \"a-long-release-name-tidewater-"
                + name
                + "-metrics\", 64 characters: at most 63");
    assertThat(
            helm(
                "template",
                "a-long-release-name",
                CHART.toString(),
                "--set",
                "shards[0].name=" + name.substring(1),
                "--set",
                "shards[0].namespaceSelector=team=a"))
        .contains("name: a-long-release-name-tidewater-" + name.substring(1) + "-metrics\n");
  }

  /**
   * {@code helm upgrade --reuse-values} renders the chart with the previous release's values, which
   * lack every key added since: the chart renders with any value missing (set to null, which
   * removes the key) - each section at once, and each leaf of every section at once.
   */
  @Test
  void rendersWithMissingValuesAsReuseValuesHandsThemOver() throws IOException {
    JsonNode defaults = new YAMLMapper().readTree(CHART.resolve("values.yaml").toFile());
    List<String> sections = new ArrayList<>();
    List<String> leaves = new ArrayList<>();
    defaults
        .fields()
        .forEachRemaining(
            e -> {
              sections.add(e.getKey() + "=null");
              collectLeaves(e.getKey(), e.getValue(), leaves);
            });
    for (List<String> missing : List.of(sections, leaves)) {
      String rendered = helm("template", "t", CHART.toString(), "--set", String.join(",", missing));
      assertThat(rendered)
          .as("rendered without %s", missing)
          .contains("kind: Deployment")
          .contains("image: \"tidewater/operator:0.3.0\"")
          .contains("value: \"JOSDK_ALL_NAMESPACES\"")
          .contains("name: t-tidewater-leader-election")
          .contains("kind: ClusterRoleBinding");
    }
  }

  private static void collectLeaves(String path, JsonNode value, List<String> out) {
    if (value.isObject() && !value.isEmpty()) {
      value
          .fields()
          .forEachRemaining(
              e -> collectLeaves(path + "." + e.getKey().replace(".", "\\."), e.getValue(), out));
    } else {
      out.add(path + "=null");
    }
  }

  /**
   * All namespaces (a ClusterRoleBinding), or operator.watchNamespaces = this namespace (a
   * RoleBinding here, nothing elsewhere): either way the chart's roles are all the operator needs.
   */
  @ParameterizedTest(name = "namespaced={0}")
  @ValueSource(booleans = {false, true})
  void theChartsRolesAloneLetTheOperatorMakeTheExamplesReady(boolean namespaced, @TempDir Path dir)
      throws IOException {
    Path manifests = dir.resolve("chart.yaml");
    String rendered = rendered(namespaced);
    Files.writeString(manifests, ChartInstall.withoutDeployments(rendered));
    kubectlApply(manifests);

    String sa = release + "-tidewater";
    ClusterRoleBinding clusterWide =
        admin.rbac().clusterRoleBindings().withName(release + "-tidewater").get();
    RoleBinding inNamespace =
        admin.rbac().roleBindings().inNamespace(ns).withName(release + "-tidewater").get();
    RoleRef roleRef;
    List<Subject> subjects;
    if (namespaced) {
      assertThat(clusterWide).as("cluster-wide binding of the operator's role").isNull();
      roleRef = inNamespace.getRoleRef();
      subjects = inNamespace.getSubjects();
    } else {
      assertThat(inNamespace).as("RoleBinding of the operator's role").isNull();
      roleRef = clusterWide.getRoleRef();
      subjects = clusterWide.getSubjects();
    }
    assertThat(roleRef.getKind()).isEqualTo("ClusterRole");
    assertThat(roleRef.getName()).isEqualTo(release + "-tidewater");
    assertThat(subjects)
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getName()).isEqualTo(sa);
              assertThat(s.getNamespace()).isEqualTo(ns);
            });

    Path kubeconfig = dir.resolve("operator.kubeconfig");
    Files.writeString(kubeconfig, ChartInstall.kubeconfigFor(admin, ns, sa));
    try (KubernetesClient asOperator = client(kubeconfig)) {
      assertThat(allowed(asOperator, ns, "", "secrets", "get")).as("get secrets").isFalse();
      // a Task's status is its pods' container exit codes (the operator watches only the pods
      // labelled tidewater.dev/task); it never creates, changes or deletes a pod
      assertThat(allowed(asOperator, ns, "", "pods", "list")).as("list pods").isTrue();
      assertThat(allowed(asOperator, ns, "", "pods", "delete")).as("delete pods").isFalse();
      assertThat(allowed(asOperator, ns, "batch", "jobs", "create")).as("create jobs").isTrue();
      assertThat(allowed(asOperator, ns, "apps", "deployments", "create"))
          .as("create deployments in the watched namespace")
          .isTrue();
      assertThat(allowed(asOperator, "kube-system", "apps", "deployments", "create"))
          .as("create deployments in kube-system")
          .isEqualTo(!namespaced);
      assertThat(allowed(asOperator, null, "apps", "deployments", "list"))
          .as("list deployments in all namespaces")
          .isEqualTo(!namespaced);
      assertThat(
              allowed(
                  asOperator,
                  null,
                  "apiextensions.k8s.io",
                  "customresourcedefinitions",
                  "get",
                  "externalsecrets.external-secrets.io"))
          .as("get the ExternalSecret CRD")
          .isTrue();
      assertThat(
              allowed(
                  asOperator,
                  null,
                  "apiextensions.k8s.io",
                  "customresourcedefinitions",
                  "get",
                  "services.ecs.tidewater.dev"))
          .as("get its own CRD (not checked at start-up)")
          .isFalse();
      assertThat(
              allowed(
                  asOperator, null, "apiextensions.k8s.io", "customresourcedefinitions", "list"))
          .as("list CRDs")
          .isFalse();
    }

    // the environment of the chart's Deployment as rendered (profile cluster, leader election
    // with the Lease in this release namespace, the watched namespaces), plus moto
    Map<String, String> env = new HashMap<>(ChartEnvironment.operatorEnv(rendered, ns));
    env.put("TIDEWATER_AWS_ENDPOINT", ground.motoEndpoint().toString());
    env.put("AWS_ACCESS_KEY_ID", "testing");
    env.put("AWS_SECRET_ACCESS_KEY", "testing");
    AuditLog.Mark before = ground.auditLog().mark();
    try (OperatorProcess operator = OperatorProcess.start(kubeconfig, env, List.of())) {
      for (String example : EXAMPLES) {
        Resources.applyFile(admin, Path.of("examples", example), ns);
      }
      await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofSeconds(1))
          .untilAsserted(
              () ->
                  ReadyCondition.assertReady(
                      admin,
                      EcsService.class,
                      ns,
                      "web",
                      () -> "operator log:\n" + operator.log()));
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

  private static KubernetesClient client(Path kubeconfig) throws IOException {
    return new KubernetesClientBuilder()
        .withConfig(Config.fromKubeconfig(Files.readString(kubeconfig)))
        .build();
  }

  /** Whether {@code client} may do {@code verb}; {@code namespace} null: in all namespaces. */
  private static boolean allowed(
      KubernetesClient client, String namespace, String group, String resource, String verb) {
    return allowed(client, namespace, group, resource, verb, null);
  }

  private static boolean allowed(
      KubernetesClient client,
      String namespace,
      String group,
      String resource,
      String verb,
      String name) {
    return client
        .authorization()
        .v1()
        .selfSubjectAccessReview()
        .create(
            new SelfSubjectAccessReviewBuilder()
                .withNewSpec()
                .withNewResourceAttributes()
                .withNamespace(namespace)
                .withGroup(group)
                .withResource(resource)
                .withVerb(verb)
                .withName(name)
                .endResourceAttributes()
                .endSpec()
                .build())
        .getStatus()
        .getAllowed();
  }
}
