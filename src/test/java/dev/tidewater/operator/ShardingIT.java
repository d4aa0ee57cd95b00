package dev.tidewater.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.testing.AuditLog;
import dev.tidewater.testing.ChartEnvironment;
import dev.tidewater.testing.ChartInstall;
import dev.tidewater.testing.Command;
import dev.tidewater.testing.Crds;
import dev.tidewater.testing.OperatorProcess;
import dev.tidewater.testing.ReadyCondition;
import dev.tidewater.testing.Resources;
import dev.tidewater.testing.TestGround;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two shards as the Helm chart installs them ({@code shards: [a, b]}: a Deployment each, with the
 * release's ServiceAccount and RBAC and a Lease of its own), run as two operator processes with the
 * environment of their rendered Deployments. Each reconciles only the namespaces its selector
 * matches; a namespace matching neither is left alone; a namespace relabelled from a to b is
 * dropped by a and picked up by b, whose first pass over it writes nothing (the applied hashes and
 * the status are already right), and from then on b alone carries out its changes.
 */
class ShardingIT {

  private static final String SHARD_LABEL = "tidewater.dev/shard";

  private final TestGround ground = TestGround.get();
  private final KubernetesClient admin = ground.admin();
  private String release;
  private final List<String> namespaces = new ArrayList<>();

  @BeforeEach
  void install() {
    Crds.apply(admin);
    // the release namespace (ServiceAccount, Leases); cluster-scoped objects named after it
    release = ground.createNamespace("shards");
  }

  @AfterEach
  void cleanUp() {
    namespaces.forEach(ground::deleteNamespace);
    ground.deleteRelease(release, release);
  }

  /** A namespace of this test with the shard label {@code <release>-<value>}. */
  private String namespace(String prefix, String value) {
    String ns = ground.createNamespace(prefix);
    namespaces.add(ns);
    label(ns, value);
    return ns;
  }

  private void label(String ns, String value) {
    admin
        .namespaces()
        .withName(ns)
        .edit(
            n -> {
              n.getMetadata().getLabels().put(SHARD_LABEL, release + "-" + value);
              return n;
            });
  }

  /** Shards a and b of this release, each selecting its own value of the shard label. */
  private String rendered() {
    return Command.ok(
        List.of(
            ground.helm().toString(),
            "template",
            release,
            "helm/tidewater",
            "--namespace",
            release,
            "--set",
            "shards[0].name=a",
            "--set",
            "shards[0].namespaceSelector=" + SHARD_LABEL + "=" + release + "-a",
            "--set",
            "shards[1].name=b",
            "--set",
            "shards[1].namespaceSelector=" + SHARD_LABEL + " in (" + release + "-b)"));
  }

  private OperatorProcess shard(String rendered, Path kubeconfig, String shard) {
    Map<String, String> env =
        new HashMap<>(
            ChartEnvironment.operatorEnv(rendered, release, release + "-tidewater-" + shard));
    env.put("TIDEWATER_AWS_ENDPOINT", ground.motoEndpoint().toString());
    env.putAll(TestGround.operatorAwsKeys());
    return OperatorProcess.start(kubeconfig, env, List.of());
  }

  private void workload(String ns) {
    Resources.apply(admin, Resources.MINIMAL_TASK_DEFINITION, ns);
    Resources.apply(admin, Resources.service("web", 1), ns);
  }

  private void awaitReady(String ns, OperatorProcess owner) {
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () ->
                ReadyCondition.assertReady(
                    admin, EcsService.class, ns, "web", () -> "owner's log:\n" + owner.log()));
  }

  private static double reconciles(OperatorProcess op, String kind) {
    return op.counter("tidewater_reconciles_total", "kind=\"" + kind + "\"");
  }

  /** Waits until neither shard has reconciled a Service or TaskDefinition for two seconds. */
  private static void awaitQuiet(OperatorProcess... shards) {
    double[] last = new double[shards.length];
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              boolean same = true;
              for (int i = 0; i < shards.length; i++) {
                double now =
                    reconciles(shards[i], "Service") + reconciles(shards[i], "TaskDefinition");
                if (now != last[i]) same = false;
                last[i] = now;
              }
              return same;
            });
  }

  private static String withoutLines(String log, String containing) {
    return String.join("\n", log.lines().filter(l -> !l.contains(containing)).toList());
  }

  private String resourceVersion(Class<? extends HasMetadata> type, String ns, String name) {
    return admin
        .resources(type)
        .inNamespace(ns)
        .withName(name)
        .get()
        .getMetadata()
        .getResourceVersion();
  }

  private Map<String, String> versions(String ns) {
    Map<String, String> out = new HashMap<>();
    out.put("Service", resourceVersion(EcsService.class, ns, "web"));
    out.put("TaskDefinition", resourceVersion(TaskDefinition.class, ns, "app"));
    out.put(
        "Deployment",
        admin
            .apps()
            .deployments()
            .inNamespace(ns)
            .withName("web")
            .get()
            .getMetadata()
            .getResourceVersion());
    for (ControllerRevision r :
        admin.apps().controllerRevisions().inNamespace(ns).list().getItems()) {
      out.put(
          "ControllerRevision " + r.getMetadata().getName(), r.getMetadata().getResourceVersion());
    }
    return out;
  }

  @Test
  void eachShardReconcilesItsNamespacesAndAMovedNamespaceChangesOwnerWithoutWrites(
      @TempDir Path dir) throws IOException {
    String rendered = rendered();
    assertThat(rendered)
        .contains("kind: Deployment\nmetadata:\n  name: " + release + "-tidewater-a\n")
        .contains("kind: Deployment\nmetadata:\n  name: " + release + "-tidewater-b\n")
        .contains("name: " + release + "-tidewater-a-metrics\n")
        .contains("name: " + release + "-tidewater-b-metrics\n")
        .contains("- name: TIDEWATER_SHARD_NAME\n              value: \"a\"\n")
        .contains("resources: [namespaces]\n    verbs: [list, watch]\n");
    Path manifests = dir.resolve("chart.yaml");
    Files.writeString(manifests, ChartInstall.withoutDeployments(rendered));
    Command.ok(
        ground.kubectlArgv(
            "apply", "--server-side", "--force-conflicts", "-f", manifests.toString()));
    Path kubeconfig = dir.resolve("operator.kubeconfig");
    Files.writeString(
        kubeconfig, ChartInstall.kubeconfigFor(admin, release, release + "-tidewater"));

    String nsA = namespace("shard-a", "a");
    String nsB = namespace("shard-b", "b");
    String moved = namespace("shard-moved", "a");
    String nobody = namespace("shard-none", "c");
    for (String ns : List.of(nsA, nsB, moved, nobody)) workload(ns);

    AuditLog.Mark start = ground.auditLog().mark();
    try (OperatorProcess a = shard(rendered, kubeconfig, "a")) {
      awaitReady(nsA, a);
      awaitReady(moved, a);
      try (OperatorProcess b = shard(rendered, kubeconfig, "b")) {
        awaitReady(nsB, b);

        // each shard leads through its own Lease in the release namespace
        Lease leaseA = admin.leases().inNamespace(release).withName("tidewater-operator-a").get();
        Lease leaseB = admin.leases().inNamespace(release).withName("tidewater-operator-b").get();
        assertThat(leaseA).as("shard a's Lease").isNotNull();
        assertThat(leaseB).as("shard b's Lease").isNotNull();
        assertThat(leaseA.getSpec().getHolderIdentity())
            .isNotNull()
            .isNotEqualTo(leaseB.getSpec().getHolderIdentity());

        // a namespace neither selector matches is nobody's: no status, no Deployment
        assertThat(
                admin
                    .resources(EcsService.class)
                    .inNamespace(nobody)
                    .withName("web")
                    .get()
                    .getStatus())
            .as("status of the Service in the namespace no shard owns")
            .isNull();
        assertThat(admin.apps().deployments().inNamespace(nobody).list().getItems()).isEmpty();

        awaitQuiet(a, b);
        // a never wrote in b's namespaces, nor b in a's (the audit log of the shared
        // ServiceAccount)
        List<AuditLog.Write> writes =
            ground
                .auditLog()
                .writesSince(
                    start, "system:serviceaccount:" + release + ":" + release + "-tidewater");
        assertThat(writes).noneSatisfy(w -> assertThat(w.namespace()).isEqualTo(nobody));
        assertThat(writes).anySatisfy(w -> assertThat(w.namespace()).isEqualTo(nsB));
        // the namespace nobody owns is named by the first shard of the chart's list, in a warning
        // given once per set of such namespaces (other tests' namespaces on the ground may join
        // and leave the set meanwhile); nothing else in either log names another shard's namespace
        String unownedWarning = "namespaces with TaskDefinitions that no shard's selector matches";
        List<String> warnings = a.log().lines().filter(l -> l.contains(unownedWarning)).toList();
        assertThat(warnings)
            .isNotEmpty()
            .allSatisfy(
                w ->
                    assertThat(w)
                        .contains("WARN")
                        .contains(nobody)
                        .doesNotContain(nsA)
                        .doesNotContain(nsB)
                        .doesNotContain(moved));
        assertThat(warnings.stream().map(w -> w.substring(w.indexOf(unownedWarning))))
            .doesNotHaveDuplicates();
        assertThat(withoutLines(a.log(), unownedWarning))
            .doesNotContain(nsB)
            .doesNotContain(nobody);
        assertThat(b.log())
            .doesNotContain(unownedWarning)
            .doesNotContain(nsA)
            .doesNotContain(moved)
            .doesNotContain(nobody);

        // the move: relabel `moved` from a to b
        Map<String, String> before = versions(moved);
        double aServices = reconciles(a, "Service");
        double bServices = reconciles(b, "Service");
        double bTaskDefinitions = reconciles(b, "TaskDefinition");
        AuditLog.Mark beforeMove = ground.auditLog().mark();
        long relabelled = System.nanoTime();
        label(moved, "b");
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(50))
            .until(() -> reconciles(b, "Service") > bServices);
        long pickedUp = System.nanoTime();
        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> a.log().contains("dropped [" + moved + "]"));
        long dropped = System.nanoTime();
        awaitQuiet(a, b);
        System.out.printf(
            "sharding: namespace relabelled a -> b; the new owner's first Service reconcile after"
                + " %d ms, the old owner dropped it after %d ms%n",
            Duration.ofNanos(pickedUp - relabelled).toMillis(),
            Duration.ofNanos(dropped - relabelled).toMillis());

        assertThat(b.log()).contains("added [" + moved + "]");
        assertThat(reconciles(b, "TaskDefinition"))
            .as("b reconciled the moved TaskDefinition")
            .isGreaterThan(bTaskDefinitions);
        assertThat(versions(moved))
            .as("resourceVersions in the moved namespace: nothing written by the new owner")
            .isEqualTo(before);
        List<AuditLog.Write> duringMove =
            ground
                .auditLog()
                .writesSince(
                    beforeMove, "system:serviceaccount:" + release + ":" + release + "-tidewater");
        assertThat(duringMove)
            .as("writes in the moved namespace from its pick-up by the new owner")
            .noneSatisfy(w -> assertThat(w.namespace()).isEqualTo(moved));

        // from now on b carries out the moved namespace's changes, and a does not see them
        double aAfterMove = reconciles(a, "Service");
        Resources.apply(admin, Resources.service("web", 2), moved);
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(250))
            .untilAsserted(
                () -> {
                  EcsService s =
                      admin.resources(EcsService.class).inNamespace(moved).withName("web").get();
                  assertThat(s.getStatus().getObservedGeneration())
                      .isEqualTo(s.getMetadata().getGeneration());
                  assertThat(
                          admin
                              .apps()
                              .deployments()
                              .inNamespace(moved)
                              .withName("web")
                              .get()
                              .getSpec()
                              .getReplicas())
                      .isEqualTo(2);
                });
        assertThat(reconciles(a, "Service"))
            .as("a's Service reconciles after the move")
            .isEqualTo(aAfterMove)
            .isEqualTo(aServices);
      }
    }
  }

  /**
   * Changing a shard's namespaces must not stop its reconciles: the Operator SDK's {@code
   * changeNamespaces} of a controller stops its event processor meanwhile, and a reconcile that
   * ends then stays marked as running, so its resource is never reconciled again. A Service whose
   * spec keeps changing is reconciled over and over while namespaces are added to its shard; after
   * that, its last change must still be carried out.
   */
  @Test
  void aShardKeepsReconcilingWhileItsNamespacesChange(@TempDir Path dir) throws Exception {
    String rendered = rendered();
    Path manifests = dir.resolve("chart.yaml");
    Files.writeString(manifests, ChartInstall.withoutDeployments(rendered));
    Command.ok(
        ground.kubectlArgv(
            "apply", "--server-side", "--force-conflicts", "-f", manifests.toString()));
    Path kubeconfig = dir.resolve("operator.kubeconfig");
    Files.writeString(
        kubeconfig, ChartInstall.kubeconfigFor(admin, release, release + "-tidewater"));

    String busy = namespace("shard-busy", "a");
    workload(busy);
    try (OperatorProcess a = shard(rendered, kubeconfig, "a")) {
      awaitReady(busy, a);
      for (int round = 0; round < 4; round++) {
        final int r = round;
        // the Service's spec changes every 40 ms while a namespace joins the shard
        AtomicInteger count = new AtomicInteger();
        ScheduledExecutorService churner = Executors.newSingleThreadScheduledExecutor();
        churner.scheduleWithFixedDelay(
            () -> {
              int n = 1 + count.incrementAndGet() % 3;
              Resources.desiredCount(admin, busy, "web", n);
            },
            0,
            40,
            TimeUnit.MILLISECONDS);
        try {
          String joined = namespace("shard-join", "a");
          await()
              .atMost(Duration.ofSeconds(60))
              .pollInterval(Duration.ofMillis(100))
              .until(() -> a.log().contains("added [" + joined + "]"));
          // with the spec still changing, reconciles go on after the change of namespaces
          double after = reconciles(a, "Service");
          await()
              .atMost(Duration.ofSeconds(20))
              .pollInterval(Duration.ofMillis(100))
              .untilAsserted(
                  () ->
                      assertThat(reconciles(a, "Service"))
                          .as("round %d: Service reconciles after the namespace joined", r)
                          .isGreaterThan(after + 3));
        } finally {
          // shutdown, not shutdownNow: an interrupted edit is still sent by the client's own
          // threads and could land after the last edit below; this waits for it to be answered
          churner.shutdown();
          assertThat(churner.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        // the last change after the namespaces changed is carried out
        int last = 5 + round;
        Resources.desiredCount(admin, busy, "web", last);
        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(250))
            .untilAsserted(
                () -> {
                  EcsService s =
                      admin.resources(EcsService.class).inNamespace(busy).withName("web").get();
                  assertThat(s.getStatus().getObservedGeneration())
                      .as("round %d: the Service's last change reconciled", r)
                      .isEqualTo(s.getMetadata().getGeneration());
                  assertThat(
                          admin
                              .apps()
                              .deployments()
                              .inNamespace(busy)
                              .withName("web")
                              .get()
                              .getSpec()
                              .getReplicas())
                      .isEqualTo(last);
                });
      }
    }
  }
}
