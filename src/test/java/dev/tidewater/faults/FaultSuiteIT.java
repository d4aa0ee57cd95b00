package dev.tidewater.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tidewater.api.v1alpha1.cluster.Cluster;
import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.aws.AwsCallCounter;
import dev.tidewater.aws.AwsClientFactory;
import dev.tidewater.aws.AwsClientOptions;
import dev.tidewater.aws.AwsContext;
import dev.tidewater.testing.Crds;
import dev.tidewater.testing.OperatorProcess;
import dev.tidewater.testing.Resources;
import dev.tidewater.testing.TestGround;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;

/**
 * The fault suite of issue 19: the operator as the chart runs it (its own JVM, the chart's RBAC and
 * profile, leader election) meets a {@code kill -9} mid-rollout of 20 kubernetes-backend Services
 * and mid-creation of 10 ECS services on the strict AWS layer, and 60-second outages of the API
 * server and of etcd during a rollout. Each converges unaided with no duplicate revision, ECS
 * service, cluster or family: after a kill the operator is started again (as Kubernetes restarts a
 * pod); through an outage nothing is done but what the kubelet would do — the leader that could not
 * renew its Lease exits and is started again. The operator's readiness is DOWN while it cannot
 * watch and UP after. The time to converge after each fault is printed as {@code FAULT-SUITE
 * <fault>: <seconds> s} (not asserted beyond a generous timeout). Crash safety call by call is
 * proven at the backend level by EcsServiceCrashSafetyIT, EcsCrashSafetyIT, IamRoleCrashSafetyIT
 * and ElbRoutesCrashIT (roles, target groups and listener rules); LeaderElectionIT kills a leader
 * in the middle of 200 Services.
 *
 * <p>The outages stop the ground's process and start it again with the same ports, data directory
 * and certificates ({@link TestGround#outage}); try-with-resources brings it back even when the
 * test fails, and the test waits until the ground's nodes are Ready again, for the ITs that run
 * after.
 */
@Tag("fault-suite")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultSuiteIT {

  private static final TestGround ground = TestGround.get();
  private static final KubernetesClient admin = ground.admin();
  private static final Duration OUTAGE = Duration.ofSeconds(60);
  private static final Duration CONVERGE = Duration.ofSeconds(240);
  private static final AwsContext MOTO = ground.motoContext();
  private static final AwsClientFactory aws =
      new AwsClientFactory(
          new AwsClientOptions(
              3, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofMillis(5), 1000, 1000),
          new AwsCallCounter());

  private OperatorProcess operator;
  private String ns;

  @BeforeAll
  static void crds() {
    Crds.apply(admin);
  }

  @AfterAll
  static void closeAws() {
    aws.close();
  }

  @BeforeEach
  void start() {
    ns = ground.createNamespace("fault");
    operator = OperatorProcess.start(ground, Map.of(), List.of());
  }

  @AfterEach
  void stop() {
    try {
      // while the operator runs: the ECS services go with their finalizers
      ground.deleteNamespace(ns);
      await()
          .atMost(Duration.ofSeconds(120))
          .until(() -> admin.namespaces().withName(ns).get() == null);
    } finally {
      if (operator != null) operator.close();
    }
  }

  // ---- kill -9 ---------------------------------------------------------------------------------

  @Test
  @Order(1)
  void killNineMidRolloutOfTwentyKubernetesServicesConvergesWithoutDuplicates() {
    int n = 20;
    apply(taskDefinition("public.ecr.aws/nginx/nginx:1.26"));
    apply(services(n, ""));
    awaitKubernetesServices(n, 1, Duration.ofSeconds(180));

    // mid-rollout: killed the moment the first Deployment moves to revision 2
    try (var kill =
        killOnFirst(
            Deployment.class,
            d -> "2".equals(d.getSpec().getTemplate().getMetadata().getLabels().get(REVISION)))) {
      apply(taskDefinition("public.ecr.aws/nginx/nginx:1.27"));
      kill.await();
    }
    int alreadyRolled = servicesAtRevision(n, 2);

    long t0 = System.nanoTime();
    operator = OperatorProcess.start(ground, Map.of(), List.of());
    awaitKubernetesServices(n, 2, CONVERGE);
    report("converge-after-kill9-mid-rollout-20-kubernetes-services", t0);
    System.out.println(
        "FAULT-SUITE kill9-kubernetes-rollout: " + alreadyRolled + "/" + n + " rolled at the kill");

    assertThat(revisionNumbers()).as("one ControllerRevision per revision").containsExactly(1, 2);
    assertThat(admin.apps().deployments().inNamespace(ns).list().getItems())
        .as("one Deployment per Service")
        .hasSize(n);
  }

  @Test
  @Order(2)
  void killNineMidCreationOfTenEcsServicesConvergesWithoutDuplicates() {
    int n = 10;
    String network = ecsNetwork();
    apply(
        """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: Cluster
        metadata:
          name: default
        spec:
          backend: ecs
          ecs:
            create: true
        """);
    apply(
        """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: TaskDefinition
        metadata:
          name: app
        spec:
          requiresCompatibilities: [FARGATE]
          networkMode: awsvpc
          cpu: "256"
          memory: "512"
          containerDefinitions:
          - name: web
            image: nginx:1.27
            essential: true
            portMappings:
            - containerPort: 8080
        """);
    // mid-creation: killed the moment half the Services hold their finalizer, which the operator
    // puts on right before the call that creates the ECS service (the first ones have theirs)
    Set<String> holding = ConcurrentHashMap.newKeySet();
    try (var kill =
        killOnFirst(
            EcsService.class,
            s -> {
              if (!s.getMetadata().getFinalizers().isEmpty())
                holding.add(s.getMetadata().getName());
              return holding.size() >= n / 2;
            })) {
      apply(
          services(
              n,
              """
                launchType: FARGATE
                networkConfiguration:
                  awsvpcConfiguration: %s
              """
                  .formatted(network)));
      kill.await();
    }
    int created = ecsServices().size();

    long t0 = System.nanoTime();
    operator = OperatorProcess.start(ground, Map.of(), List.of());
    await()
        .atMost(CONVERGE)
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> IntStream.range(0, n).allMatch(i -> ready(service("web-" + i), null)));
    report("converge-after-kill9-mid-creation-10-ecs-services", t0);
    System.out.println(
        "FAULT-SUITE kill9-ecs-creation: "
            + created
            + "/"
            + n
            + " ECS services existed at the kill");

    List<Service> services = ecsServices();
    assertThat(services).as("one ECS service per Service").hasSize(n);
    assertThat(services.stream().map(Service::serviceName).distinct()).hasSize(n);
    assertThat(services).allSatisfy(s -> assertThat(s.status()).isEqualTo("ACTIVE"));
    for (int i = 0; i < n; i++) {
      assertThat(service("web-" + i).getStatus().serviceArn)
          .isIn(services.stream().map(Service::serviceArn).toList());
    }
    TaskDefinition td = admin.resources(TaskDefinition.class).inNamespace(ns).withName("app").get();
    String arn = td.getStatus().revisions.get(0).taskDefinitionArn;
    String family = arn.substring(arn.lastIndexOf('/') + 1, arn.lastIndexOf(':'));
    assertThat(td.getStatus().revisions).as("one revision in status").hasSize(1);
    assertThat(
            ecs()
                .listTaskDefinitionsPaginator(
                    r -> r.familyPrefix(family).status(TaskDefinitionStatus.ACTIVE))
                .taskDefinitionArns()
                .stream()
                .filter(a -> a.substring(a.lastIndexOf('/') + 1).startsWith(family + ":"))
                .toList())
        .as("one registered revision in family %s", family)
        .hasSize(1);
    assertThat(ecs().listClusters().clusterArns().stream().filter(c -> c.contains(ns)))
        .as("one ECS cluster")
        .hasSize(1);
  }

  // ---- outages ---------------------------------------------------------------------------------

  @Test
  @Order(3)
  void anApiServerOutageOfSixtySecondsDuringARolloutConvergesUnaided() {
    outageDuringRollout("kube-apiserver");
  }

  @Test
  @Order(4)
  void anEtcdOutageOfSixtySecondsDuringARolloutConvergesUnaided() {
    outageDuringRollout("etcd");
  }

  /**
   * Readiness follows the watches, seen without leader election (a single instance, whose process
   * survives any outage): DOWN while the API server is away, UP again once the informers list, with
   * the same process, which then converges a change made right after the outage.
   */
  @Test
  @Order(5)
  void readinessIsDownWhileTheWatchesAreLostAndUpAfterWithoutARestart() {
    operator.close();
    operator = OperatorProcess.start(ground, Map.of("QUARKUS_PROFILE", "prod"), List.of());
    Process before = operator.process();
    apply(taskDefinition("public.ecr.aws/nginx/nginx:1.26"));
    apply(services(1, ""));
    awaitKubernetesServices(1, 1, Duration.ofSeconds(120));

    try (TestGround.Outage outage = ground.outage("kube-apiserver")) {
      await().atMost(Duration.ofSeconds(60)).until(() -> !operator.isReady());
    } finally {
      awaitGroundHealthy();
    }
    long t0 = System.nanoTime();
    await().atMost(Duration.ofSeconds(120)).until(operator::isReady);
    report("readiness-up-after-apiserver-outage", t0);
    apply(taskDefinition("public.ecr.aws/nginx/nginx:1.27"));
    awaitKubernetesServices(1, 2, CONVERGE);

    assertThat(operator.process()).isSameAs(before);
    assertThat(before.isAlive()).as("no restart").isTrue();
  }

  /**
   * A 60-second outage of {@code component} during a rollout of 3 Services. As the chart runs it
   * (leader election on), the operator cannot renew its Lease while the API server or etcd is away
   * and exits after 10 s with code 1 (controller/LeaseHandover: a leader that lost its Lease must
   * not reconcile beside a new one); the test then does what the kubelet does for the chart's pod —
   * starts it again, at once — and counts it. Nothing else is done by hand.
   */
  private void outageDuringRollout(String component) {
    int n = 3;
    apply(taskDefinition("public.ecr.aws/nginx/nginx:1.26"));
    apply(services(n, ""));
    awaitKubernetesServices(n, 1, Duration.ofSeconds(120));

    apply(taskDefinition("public.ecr.aws/nginx/nginx:1.27"));
    await().atMost(Duration.ofSeconds(60)).until(() -> revisionNumbers().contains(2));
    boolean[] sawDown = {false};
    List<String> exits = new ArrayList<>();
    try (TestGround.Outage outage = ground.outage(component)) {
      long start = System.nanoTime();
      // hold the outage for 60 s, looking at the operator's readiness once a second
      await()
          .atMost(OUTAGE.plusSeconds(30))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () -> {
                superviseLikeTheKubelet(exits);
                if (!operator.isReady()) sawDown[0] = true;
                return System.nanoTime() - start >= OUTAGE.toNanos();
              });
    } finally {
      awaitGroundHealthy();
    }
    long t0 = System.nanoTime();
    await()
        .atMost(CONVERGE)
        .pollInterval(Duration.ofSeconds(1))
        .ignoreExceptions()
        .until(
            () -> {
              superviseLikeTheKubelet(exits);
              return operator.isReady() && kubernetesServicesAt(n, 2);
            });
    report("converge-after-" + component + "-outage-60s", t0);
    System.out.println(
        "FAULT-SUITE "
            + component
            + "-outage operator exits (restarted as the kubelet would): "
            + exits);

    assertThat(sawDown[0]).as("readiness DOWN while the %s was down", component).isTrue();
    // the leader exits when it loses its Lease; an operator (re)started while the API server or
    // etcd is still away exits at start-up, unable to read its cluster identity: the kubelet
    // restarts both (with a growing back-off), and no other exit is expected
    assertThat(exits)
        .allSatisfy(
            e ->
                assertThat(e)
                    .isIn("exit 1, lost the Lease", "exit 1, no cluster identity at start-up"));
    assertThat(revisionNumbers()).containsExactly(1, 2);
  }

  /** Starts the operator again if it exited, as the kubelet restarts the chart's pod. */
  private void superviseLikeTheKubelet(List<String> exits) {
    Process p = operator.process();
    if (p.isAlive()) return;
    String log = operator.log();
    String why =
        log.contains("lost the Lease")
            ? "lost the Lease"
            : log.contains("cannot read namespace kube-system")
                ? "no cluster identity at start-up"
                : "see " + log.lines().filter(l -> l.contains("ERROR")).findFirst().orElse("log");
    exits.add("exit " + p.exitValue() + ", " + why);
    // not close(): its RBAC check would count the 403s of an API server whose authorizer is still
    // loading right after its restart, which are not a permission the chart lacks
    operator = OperatorProcess.launch(ground, Map.of(), List.of());
  }

  /** Until the API server answers and every node of the ground is Ready again. */
  private void awaitGroundHealthy() {
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofSeconds(1))
        .ignoreExceptions()
        .until(
            () ->
                admin.nodes().list().getItems().stream()
                    .allMatch(
                        node ->
                            node.getStatus().getConditions().stream()
                                .anyMatch(
                                    c ->
                                        "Ready".equals(c.getType())
                                            && "True".equals(c.getStatus()))));
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private static final String REVISION = "tidewater.dev/revision";

  /** A watch that kills the operator with SIGKILL on the first object matching a condition. */
  private final class KillOnFirst<T extends HasMetadata> implements AutoCloseable {
    private final Watch watch;
    private final AtomicBoolean killed = new AtomicBoolean();

    KillOnFirst(Class<T> type, Predicate<T> first) {
      watch =
          admin
              .resources(type)
              .inNamespace(ns)
              .watch(
                  new Watcher<T>() {
                    @Override
                    public void eventReceived(Action action, T resource) {
                      if (action != Action.DELETED
                          && first.test(resource)
                          && killed.compareAndSet(false, true)) {
                        operator.process().destroyForcibly(); // SIGKILL
                      }
                    }

                    @Override
                    public void onClose(WatcherException cause) {}
                  });
    }

    /** Until the operator was killed and its process is gone. */
    void await() {
      Awaitility.await().atMost(Duration.ofSeconds(180)).untilTrue(killed);
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !operator.process().isAlive());
      operator.close();
    }

    @Override
    public void close() {
      watch.close();
    }
  }

  private <T extends HasMetadata> KillOnFirst<T> killOnFirst(Class<T> type, Predicate<T> first) {
    return new KillOnFirst<>(type, first);
  }

  private static void report(String fault, long startNanos) {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    System.out.printf("FAULT-SUITE %s: %.1f s%n", fault, seconds);
  }

  private void apply(String yaml) {
    Resources.apply(admin, yaml, ns);
  }

  private static String taskDefinition(String image) {
    return """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: TaskDefinition
        metadata:
          name: app
        spec:
          requiresCompatibilities: [EC2]
          cpu: "256"
          memory: "512"
          containerDefinitions:
          - name: web
            image: %s
            portMappings:
            - containerPort: 8080
        """
        .formatted(image);
  }

  /** {@code n} Services web-0 .. web-(n-1) of TaskDefinition app, desiredCount 1. */
  private static String services(int n, String extra) {
    StringBuilder yaml = new StringBuilder();
    for (int i = 0; i < n; i++) {
      yaml.append(
          """
          apiVersion: ecs.tidewater.dev/v1alpha1
          kind: Service
          metadata:
            name: web-%d
          spec:
            taskDefinitionRef: {name: app}
            desiredCount: 1
          %s---
          """
              .formatted(i, extra));
    }
    return yaml.toString();
  }

  private EcsService service(String name) {
    return admin.resources(EcsService.class).inNamespace(ns).withName(name).get();
  }

  private static boolean ready(EcsService s, Integer revision) {
    return s != null
        && s.getStatus() != null
        && (revision == null || revision.equals(s.getStatus().revision))
        && s.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private List<Integer> revisionNumbers() {
    return admin
        .resources(ControllerRevision.class)
        .inNamespace(ns)
        .withLabel("tidewater.dev/taskdefinition", "app")
        .list()
        .getItems()
        .stream()
        .map(r -> r.getRevision().intValue())
        .sorted()
        .toList();
  }

  private String deploymentRevision(String name) {
    Deployment d = admin.apps().deployments().inNamespace(ns).withName(name).get();
    return d == null ? null : d.getSpec().getTemplate().getMetadata().getLabels().get(REVISION);
  }

  private int servicesAtRevision(int n, int revision) {
    return (int)
        IntStream.range(0, n)
            .filter(i -> String.valueOf(revision).equals(deploymentRevision("web-" + i)))
            .count();
  }

  /**
   * Until every Service reports {@code revision}, Ready, with all its tasks running, and its
   * Deployment runs that revision: the status says what runs.
   */
  private void awaitKubernetesServices(int n, int revision, Duration atMost) {
    await()
        .atMost(atMost)
        .pollInterval(Duration.ofSeconds(1))
        .ignoreExceptions()
        .until(() -> kubernetesServicesAt(n, revision));
  }

  private boolean kubernetesServicesAt(int n, int revision) {
    return IntStream.range(0, n)
        .allMatch(
            i -> {
              EcsService s = service("web-" + i);
              return ready(s, revision)
                  && "COMPLETED".equals(s.getStatus().rolloutState)
                  && s.getStatus().runningCount == 1
                  && String.valueOf(revision).equals(deploymentRevision("web-" + i));
            });
  }

  private EcsClient ecs() {
    return aws.ecs(MOTO);
  }

  private String clusterArn() {
    Cluster c = admin.resources(Cluster.class).inNamespace(ns).withName("default").get();
    return c == null || c.getStatus() == null ? null : c.getStatus().clusterArn;
  }

  /** The ECS services of this namespace's ECS cluster, described. */
  private List<Service> ecsServices() {
    String cluster = clusterArn();
    if (cluster == null) return List.of();
    List<String> arns = ecs().listServices(r -> r.cluster(cluster)).serviceArns();
    List<Service> out = new ArrayList<>();
    for (int i = 0; i < arns.size(); i += 10) {
      List<String> batch = arns.subList(i, Math.min(arns.size(), i + 10));
      out.addAll(ecs().describeServices(r -> r.cluster(cluster).services(batch)).services());
    }
    return out;
  }

  /** A VPC with two subnets and a security group in moto: the awsvpc configuration as YAML. */
  private String ecsNetwork() {
    Ec2Client ec2 = aws.ec2(MOTO);
    String vpc = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
    List<String> subnets = new ArrayList<>();
    for (String zone : List.of("a", "b")) {
      String cidr = "10.0." + (zone.equals("a") ? 1 : 2) + ".0/24";
      subnets.add(
          ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock(cidr).availabilityZone("us-east-1" + zone))
              .subnet()
              .subnetId());
    }
    String sg =
        ec2.createSecurityGroup(r -> r.vpcId(vpc).groupName(ns).description("tasks")).groupId();
    return "{subnets: [%s], securityGroups: [%s], assignPublicIp: DISABLED}"
        .formatted(String.join(", ", subnets), sg);
  }
}
