package dev.tidewater.controller;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tidewater.api.v1alpha1.cluster.Cluster;
import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.cluster.MigrationSettings;
import dev.tidewater.api.v1alpha1.cluster.RoutingSettings;
import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRoute;
import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRouteSpec;
import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.api.v1alpha1.service.EcsServiceSpec;
import dev.tidewater.api.v1alpha1.service.EcsServiceStatus;
import dev.tidewater.api.v1alpha1.service.MigrationStatus;
import dev.tidewater.api.v1alpha1.service.TaskDefinitionRef;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionStatus;
import dev.tidewater.backend.BackendFactory;
import dev.tidewater.backend.BackendKind;
import dev.tidewater.backend.Backends;
import dev.tidewater.backend.ServiceBackend;
import dev.tidewater.backend.fake.FakeContext;
import dev.tidewater.backend.fake.FakeServiceBackend;
import dev.tidewater.model.CutOver;
import dev.tidewater.model.TenancyCeiling;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Service controller's cut-over decisions as data, against two fake Service backends (ecs, the
 * old side, and kubernetes, the new one unless a row flips back): what each pass applies, scales
 * and removes on which side, the phase and backend it records, its condition and Events.
 */
class ServiceMigrationDecisionsTest {

  private static final YAMLMapper YAML = new YAMLMapper();
  private static final String NOW = Instant.now().toString();

  /**
   * One pass.
   *
   * @param inputs changes to the defaults (a Service of 2 tasks running on ecs, its Cluster now
   *     selecting kubernetes, revision 1 on both sides, nothing running on kubernetes yet)
   * @param phase status.migration.phase after it
   * @param backend status.backend after it
   * @param reason the reason of the True Ready/Progressing/Degraded condition
   * @param appliedNew revisions applied on kubernetes
   * @param appliedOld revisions applied on ecs
   * @param scaledOld counts ecs was scaled to
   * @param removed sides removed (ecs, kubernetes)
   * @param events Event reasons, in order
   */
  record Row(
      String name,
      Consumer<Inputs> inputs,
      String phase,
      String backend,
      String reason,
      List<Integer> appliedNew,
      List<Integer> appliedOld,
      List<Integer> scaledOld,
      List<Integer> removed,
      List<String> events) {

    @Override
    public String toString() {
      return name;
    }
  }

  static final class Inputs {
    EcsService service = service("web");
    Cluster cluster = cluster("kubernetes");
    FakeServiceBackend ecs =
        new FakeServiceBackend().withRevisions(1).withSide(new CutOver.Side(true, 2, 2, false));
    FakeServiceBackend kubernetes = new FakeServiceBackend().withRevisions(1);
    List<EcsService> peers = new ArrayList<>();
    List<LoadBalancerRoute> routes = new ArrayList<>();

    MigrationStatus migration(String phase) {
      MigrationStatus m = new MigrationStatus();
      m.from = "ecs";
      m.to = "kubernetes";
      m.phase = phase;
      m.startedAt = NOW;
      m.phaseSince = NOW;
      service.getStatus().migration = m;
      return m;
    }
  }

  static Stream<Row> rows() {
    return Stream.of(
        new Row(
            "a flip queues the migration: its first pass reads and starts nothing",
            in -> {},
            "Pending",
            "ecs",
            "MigrationPending",
            List.of(),
            List.of(),
            List.of(),
            List.of(0, 0),
            List.of("MigrationStarted")),
        new Row(
            "queued with a slot free: the new side starts",
            in -> in.migration("Pending"),
            "Verifying",
            "ecs",
            "MigrationVerifying",
            List.of(1),
            List.of(),
            List.of(),
            List.of(0, 0),
            List.of("MigrationVerifying")),
        new Row(
            "a failed migration of another Service holds no place in the queue",
            in -> {
              in.cluster.getSpec().migration.maxConcurrentServices = 1;
              in.migration("Pending");
              EcsService failed = service("a-failed");
              MigrationStatus m = new MigrationStatus();
              m.phase = "Failed";
              failed.getStatus().migration = m;
              in.peers.add(failed);
            },
            "Verifying",
            "ecs",
            "MigrationVerifying",
            List.of(1),
            List.of(),
            List.of(),
            List.of(0, 0),
            List.of("MigrationVerifying")),
        new Row(
            "the new side fell below the desired count mid-shift: the old side comes back up",
            in -> {
              in.migration("Shifting").oldTarget = 0;
              in.ecs.withSide(new CutOver.Side(true, 0, 0, false));
              in.kubernetes.withSide(new CutOver.Side(true, 2, 1, false));
            },
            "Verifying",
            "ecs",
            "MigrationVerifying",
            List.of(1),
            List.of(),
            List.of(1),
            List.of(0, 0),
            List.of("MigrationVerifying")),
        new Row(
            "five Services of the Cluster migrating: it waits in Pending, nothing applied",
            in -> {
              for (int i = 0; i < 5; i++) {
                EcsService busy = service("a" + i);
                MigrationStatus m = new MigrationStatus();
                m.phase = "Shifting";
                busy.getStatus().migration = m;
                in.peers.add(busy);
              }
            },
            "Pending",
            "ecs",
            "MigrationPending",
            List.of(),
            List.of(),
            List.of(),
            List.of(0, 0),
            List.of("MigrationStarted")),
        new Row(
            "paused: a flip starts nothing",
            in -> in.cluster.getSpec().migration.paused = true,
            "Pending",
            "ecs",
            "MigrationPending",
            List.of(),
            List.of(),
            List.of(),
            List.of(0, 0),
            List.of("MigrationStarted")),
        new Row(
            "the new side ready for the soak: the old side loses a step (25% of 2 = 1)",
            in -> {
              in.migration("Shifting").readySince = NOW;
              in.kubernetes.withSide(new CutOver.Side(true, 2, 2, false));
            },
            "Shifting",
            "ecs",
            "MigrationShifting",
            List.of(1),
            List.of(),
            List.of(1),
            List.of(0, 0),
            List.of()),
        new Row(
            "the old side at zero: removed, and the Service runs on kubernetes",
            in -> {
              in.migration("Shifting").oldTarget = 0;
              in.ecs.withSide(new CutOver.Side(true, 0, 0, false));
              in.kubernetes.withSide(new CutOver.Side(true, 2, 2, false));
            },
            "Completed",
            "kubernetes",
            "Running",
            List.of(1),
            List.of(),
            List.of(0),
            List.of(1, 0),
            List.of("MigrationCompleted")),
        new Row(
            "the new side's rollout failed: the old side is applied, the new one removed",
            in -> {
              in.migration("Verifying");
              in.kubernetes.withSide(new CutOver.Side(true, 2, 0, true));
            },
            "Failed",
            "ecs",
            ServiceMigration.MIGRATION_FAILED,
            List.of(),
            List.of(1),
            List.of(),
            List.of(0, 1),
            List.of(ServiceMigration.MIGRATION_FAILED)),
        new Row(
            "failed for this generation: it runs on the old side, still MigrationFailed",
            in -> {
              in.migration("Failed").failedAt = "1/1";
              // as the pass that failed it left it: its Warning Event was recorded then
              in.service
                  .getStatus()
                  .getConditions()
                  .add(
                      StatusConditions.condition(
                          "Degraded", true, ServiceMigration.MIGRATION_FAILED, "rolled back"));
            },
            "Failed",
            "ecs",
            ServiceMigration.MIGRATION_FAILED,
            List.of(),
            List.of(1),
            List.of(),
            List.of(0, 0),
            List.of()),
        new Row(
            "failed for this Service, Cluster and TaskDefinition generation: nothing retried",
            in -> {
              in.migration("Failed").failedAt = "1/1/1";
              in.service
                  .getStatus()
                  .getConditions()
                  .add(
                      StatusConditions.condition(
                          "Degraded", true, ServiceMigration.MIGRATION_FAILED, "rolled back"));
            },
            "Failed",
            "ecs",
            ServiceMigration.MIGRATION_FAILED,
            List.of(),
            List.of(1),
            List.of(),
            List.of(0, 0),
            List.of()),
        new Row(
            "a changed TaskDefinition (a fixed image, say) tries a failed migration again",
            in -> in.migration("Failed").failedAt = "1/1/0",
            "Pending",
            "ecs",
            "MigrationPending",
            List.of(),
            List.of(),
            List.of(),
            List.of(0, 0),
            List.of("MigrationStarted")),
        new Row(
            "a new generation of the Service tries a failed migration again",
            in -> in.migration("Failed").failedAt = "0/1",
            "Pending",
            "ecs",
            "MigrationPending",
            List.of(),
            List.of(),
            List.of(),
            List.of(0, 0),
            List.of("MigrationStarted")),
        new Row(
            "flipped back mid-shift: the old side back to full first, the new side kept",
            in -> {
              in.cluster.getSpec().backend = "ecs";
              in.migration("Shifting").oldTarget = 1;
              in.ecs.withSide(new CutOver.Side(true, 1, 1, false));
              in.kubernetes.withSide(new CutOver.Side(true, 2, 2, false));
            },
            "Reverting",
            "ecs",
            "MigrationReverting",
            List.of(),
            List.of(1),
            List.of(2),
            List.of(0, 0),
            List.of("MigrationReverting")),
        new Row(
            "a route in ingress mode holds the cut-over before Shift",
            in -> {
              in.migration("Verifying").readySince = "2026-01-01T00:00:00Z";
              in.kubernetes.withSide(new CutOver.Side(true, 2, 2, false));
              in.routes.add(route("web"));
            },
            "Verifying",
            "ecs",
            "MigrationVerifying",
            List.of(1),
            List.of(),
            List.of(),
            List.of(0, 0),
            List.of()),
        new Row(
            "the old side's last scale-down and removal failing: Finishing is recorded, with what"
                + " failed",
            in -> {
              in.migration("Shifting").oldTarget = 0;
              in.kubernetes.withSide(new CutOver.Side(true, 2, 2, false));
              in.ecs
                  .withSide(new CutOver.Side(true, 0, 0, false))
                  .failing(
                      dev.tidewater.backend.BackendFailure.progressing(
                          "AwsUnavailable", "ecs DeleteService: ServerException"));
            },
            "Finishing",
            "kubernetes",
            "AwsUnavailable",
            List.of(1),
            List.of(),
            List.of(),
            List.of(0, 0),
            List.of("MigrationFinishing")),
        new Row(
            "a rollback whose old side cannot be scaled back yet is recorded as RollingBack",
            in -> {
              in.migration("Verifying").phaseSince = "2026-01-01T00:00:00Z";
              in.kubernetes.withSide(new CutOver.Side(true, 2, 0, false));
              in.ecs
                  .withSide(new CutOver.Side(true, 1, 1, false))
                  .failing(
                      dev.tidewater.backend.BackendFailure.progressing(
                          "AwsUnavailable", "ecs UpdateService: ServerException"));
            },
            "RollingBack",
            "ecs",
            "AwsUnavailable",
            List.of(),
            List.of(),
            List.of(),
            List.of(0, 0),
            List.of("MigrationRollingBack")),
        new Row(
            "the same route in aws mode shares its target group: the cut-over goes on",
            in -> {
              in.migration("Verifying").readySince = "2026-01-01T00:00:00Z";
              in.kubernetes.withSide(new CutOver.Side(true, 2, 2, false));
              in.routes.add(route("web"));
              in.cluster.getSpec().routing = new RoutingSettings();
              in.cluster.getSpec().routing.mode = "aws";
            },
            "Shifting",
            "ecs",
            "MigrationShifting",
            List.of(1),
            List.of(),
            List.of(),
            List.of(0, 0),
            List.of("MigrationShifting")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void decides(Row row) {
    Inputs in = new Inputs();
    row.inputs().accept(in);
    in.kubernetes.onApply(plan -> FakeServiceBackend.running(plan.revision(), 2));
    in.ecs.onApply(plan -> FakeServiceBackend.running(plan.revision(), 2));
    List<String> events = new ArrayList<>();
    ServiceReconciler reconciler =
        new ServiceReconciler(
            new BackendFactory(
                Map.of(
                    BackendKind.KUBERNETES,
                    new Backends(null, null, in.kubernetes, null, null, null, null),
                    BackendKind.ECS,
                    new Backends(null, null, in.ecs, null, null, null, null))),
            new ReconcileMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)),
            new TenancyPolicies() {
              @Override
              public TenancyCeiling ceilingFor(String namespace) {
                return TenancyCeiling.builtIn(namespace);
              }
            },
            new SharedInformers(null)) {
          @Override
          EventRecorder events(Context<EcsService> c) {
            return Recording.into(events);
          }

          @Override
          ServiceBackend.Caches caches(Context<EcsService> context) {
            return new ServiceBackend.Caches() {
              @Override
              public <T extends HasMetadata> Set<T> of(Class<T> type) {
                return context.getSecondaryResources(type);
              }

              @Override
              public <T extends HasMetadata> Optional<T> one(Class<T> type) {
                return context.getSecondaryResource(type);
              }

              @Override
              public List<ControllerRevision> revisionsOf(String namespace, String label) {
                return List.of();
              }

              @Override
              public Optional<dev.tidewater.api.v1alpha1.taskrole.TaskRole> taskRole(
                  String namespace, String name) {
                return Optional.empty();
              }

              @Override
              public List<LoadBalancerRoute> routes(
                  String namespace, Predicate<LoadBalancerRoute> which) {
                return in.routes.stream().filter(which).toList();
              }
            };
          }
        };
    List<HasMetadata> secondaries = List.of(in.cluster, taskDefinition());
    List<EcsService> primaries = new ArrayList<>(in.peers);
    primaries.add(in.service);

    UpdateControl<EcsService> update =
        reconciler.converge(in.service, FakeContext.of(in.service, secondaries, primaries));

    EcsServiceStatus status = update.getResource().orElseThrow().getStatus();
    assertThat(status.migration.phase)
        .as("phase (%s)", status.migration.message)
        .isEqualTo(row.phase());
    assertThat(status.getBackend()).as("status.backend").isEqualTo(row.backend());
    assertThat(
            status.getConditions().stream()
                .filter(c -> "True".equals(c.getStatus()))
                .filter(c -> List.of("Ready", "Progressing", "Degraded").contains(c.getType()))
                .map(c -> c.getReason()))
        .as("reason")
        .containsExactly(row.reason());
    assertThat(in.kubernetes.applied().stream().map(p -> p.revision()).toList())
        .as("applied on kubernetes")
        .isEqualTo(row.appliedNew());
    assertThat(in.ecs.applied().stream().map(p -> p.revision()).toList())
        .as("applied on ecs")
        .isEqualTo(row.appliedOld());
    assertThat(in.ecs.scaled()).as("ecs scaled to").isEqualTo(row.scaledOld());
    assertThat(List.of(in.ecs.sideRemovals(), in.kubernetes.sideRemovals()))
        .as("sides removed (ecs, kubernetes)")
        .isEqualTo(row.removed());
    assertThat(events).as("events").isEqualTo(row.events());
    assertThat(
            status.getConditions().stream()
                .filter(c -> ServiceMigration.MIGRATING.equals(c.getType()))
                .map(c -> c.getStatus()))
        .as("Migrating condition")
        .containsExactly(CutOver.Phase.ofTitle(row.phase()).active() ? "True" : "False");
  }

  private static Cluster cluster(String backend) {
    Cluster c = new Cluster();
    c.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace("shop")
            .withName("default")
            .withGeneration(1L)
            .build());
    c.setSpec(new ClusterSpec());
    c.getSpec().backend = backend;
    c.getSpec().migration = new MigrationSettings();
    c.getSpec().migration.soakSeconds = 0;
    return c;
  }

  private static EcsService service(String name) {
    EcsService s = new EcsService();
    s.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace("shop")
            .withName(name)
            .withUid("uid-" + name)
            .withGeneration(1L)
            .build());
    s.setSpec(new EcsServiceSpec());
    s.getSpec().taskDefinitionRef = new TaskDefinitionRef();
    s.getSpec().taskDefinitionRef.name = "web";
    s.getSpec().desiredCount = 2;
    s.setStatus(new EcsServiceStatus());
    s.getStatus().setBackend("ecs");
    s.getStatus().taskDefinitionUid = "uid-td";
    return s;
  }

  private static LoadBalancerRoute route(String target) {
    LoadBalancerRoute r = new LoadBalancerRoute();
    r.setMetadata(new ObjectMetaBuilder().withNamespace("shop").withName(target).build());
    try {
      r.setSpec(
          YAML.readValue(
              "target: {serviceRef: {name: " + target + "}, containerPort: 8080}",
              LoadBalancerRouteSpec.class));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    return r;
  }

  private static TaskDefinition taskDefinition() {
    TaskDefinition td = new TaskDefinition();
    td.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace("shop")
            .withName("web")
            .withUid("uid-td")
            .withGeneration(1L)
            .build());
    try {
      td.setSpec(
          YAML.readValue(
              "containerDefinitions:\n  - {name: app, image: nginx, memory: 256}\n",
              TaskDefinitionSpec.class));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    td.setStatus(new TaskDefinitionStatus());
    td.getStatus().setObservedGeneration(1L);
    return td;
  }
}
