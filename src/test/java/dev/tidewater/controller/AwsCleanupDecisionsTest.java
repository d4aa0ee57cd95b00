package dev.tidewater.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidewater.api.v1alpha1.cluster.Cluster;
import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRoute;
import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRouteSpec;
import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRouteStatus;
import dev.tidewater.api.v1alpha1.taskrole.TaskRole;
import dev.tidewater.api.v1alpha1.taskrole.TaskRoleSpec;
import dev.tidewater.backend.BackendFactory;
import dev.tidewater.backend.BackendKind;
import dev.tidewater.backend.Backends;
import dev.tidewater.backend.TaskRoleBackend.IamRemoval;
import dev.tidewater.backend.fake.FakeContext;
import dev.tidewater.backend.fake.FakeRouteBackend;
import dev.tidewater.backend.fake.FakeTaskRoleBackend;
import dev.tidewater.model.Problem;
import dev.tidewater.model.TenancyCeiling;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The deletion decisions of the TaskRole and LoadBalancerRoute cleanup controllers as data, against
 * fake backends for both places: Retain asks nothing of AWS, the selected backend deletes, every
 * backend lets go of an adopted identity, a failure keeps the finalizer and says why.
 */
class AwsCleanupDecisionsTest {

  private static final String ARN = "arn:aws:iam::123456789012:role/app";

  /**
   * One deletion.
   *
   * @param inputs changes to the defaults (on a kubernetes Cluster)
   * @param released whether the finalizer goes
   * @param removals how often a backend deleted AWS objects
   * @param events the reasons of the Events recorded
   */
  record Row(
      String name, Consumer<Inputs> inputs, boolean released, int removals, List<String> events) {

    @Override
    public String toString() {
      return name;
    }
  }

  static final class Inputs {
    Cluster cluster = cluster();
    TaskRole role = role();
    LoadBalancerRoute route = route();
    FakeTaskRoleBackend kubernetesRoles = new FakeTaskRoleBackend("app");
    FakeTaskRoleBackend ecsRoles = new FakeTaskRoleBackend(null);
    FakeRouteBackend kubernetesRoutes = new FakeRouteBackend();
    FakeRouteBackend ecsRoutes = new FakeRouteBackend();
    List<String> recordedStatus = new ArrayList<>();
  }

  static Stream<Row> taskRoleRows() {
    return Stream.of(
        new Row(
            "the IAM role is deleted by the selected backend, with an Event",
            in -> in.kubernetesRoles.removing(new IamRemoval(ARN, null)),
            true,
            1,
            List.of("RoleDeleted")),
        new Row("a role that is not ours is left alone, quietly", in -> {}, true, 1, List.of()),
        new Row(
            "Retain keeps the role and asks no backend to delete",
            in -> in.role.getSpec().deletionPolicy = "Retain",
            true,
            0,
            List.of("RoleRetained")),
        new Row(
            "a failure keeps the finalizer, says why in status and an Event",
            in ->
                in.kubernetesRoles.removing(
                    new IamRemoval(
                        null, new Problem("spec", "AccessDenied", "deleting IAM role app: no"))),
            false,
            1,
            List.of("AccessDenied")));
  }

  static Stream<Row> routeRows() {
    return Stream.of(
        new Row(
            "ELBv2 objects are deleted by the selected backend, with an Event",
            in -> in.route.getStatus().targetGroupArn = "arn:tg",
            true,
            1,
            List.of("Deleted")),
        new Row("a route without ELBv2 objects goes at once", in -> {}, true, 0, List.of()),
        new Row(
            "Retain keeps the ELBv2 objects",
            in -> {
              in.route.getStatus().targetGroupArn = "arn:tg";
              in.route.getSpec().deletionPolicy = "Retain";
            },
            true,
            0,
            List.of()),
        new Row(
            "a failure keeps the finalizer and says why",
            in -> {
              in.cluster.getSpec().backend = "ecs";
              in.route.getStatus().targetGroupArn = "arn:tg";
              in.ecsRoutes.failingRemoval(new Problem("spec", "Throttled", "slow down"));
            },
            false,
            1,
            List.of("Throttled")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("taskRoleRows")
  void taskRoleCleanupDecides(Row row) {
    Inputs in = new Inputs();
    row.inputs().accept(in);
    List<String> events = new ArrayList<>();
    TaskRoleCleanupReconciler cleanup =
        new TaskRoleCleanupReconciler(
            registry(in),
            new IamDriftChecks(Duration.ofHours(1), Clock.systemUTC()),
            new TaskRoleIamLocks(),
            new ReconcileMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)),
            new TenancyPolicies() {
              @Override
              public TenancyCeiling ceilingFor(String namespace) {
                return TenancyCeiling.builtIn(namespace);
              }
            },
            new SharedInformers(null)) {
          @Override
          EventRecorder events(Context<TaskRole> context) {
            return Recording.into(events);
          }

          @Override
          void recordStatus(TaskRole role, Outcome outcome, Context<TaskRole> context) {
            in.recordedStatus.add(outcome.reason());
          }
        };

    DeleteControl control =
        cleanup.cleanup(in.role, FakeContext.of(in.role, List.<HasMetadata>of(in.cluster)));

    assertThat(control.isRemoveFinalizer()).as("finalizer released").isEqualTo(row.released());
    assertThat(in.kubernetesRoles.removals() + in.ecsRoles.removals())
        .as("removals")
        .isEqualTo(row.removals());
    assertThat(in.kubernetesRoles.releases() + in.ecsRoles.releases())
        .as("every backend lets go of an adopted identity")
        .isEqualTo(2);
    assertThat(events).as("events").isEqualTo(row.events());
    assertThat(in.recordedStatus)
        .as("status says why")
        .isEqualTo(row.released() ? List.of() : row.events());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("routeRows")
  void routeCleanupDecides(Row row) {
    Inputs in = new Inputs();
    row.inputs().accept(in);
    List<String> events = new ArrayList<>();
    LoadBalancerRouteCleanupReconciler cleanup =
        new LoadBalancerRouteCleanupReconciler(registry(in), new SharedInformers(null)) {
          @Override
          EventRecorder events(Context<LoadBalancerRoute> context) {
            return Recording.into(events);
          }
        };

    DeleteControl control =
        cleanup.cleanup(in.route, FakeContext.of(in.route, List.<HasMetadata>of(in.cluster)));

    assertThat(control.isRemoveFinalizer()).as("finalizer released").isEqualTo(row.released());
    assertThat(in.kubernetesRoutes.removals() + in.ecsRoutes.removals())
        .as("removals")
        .isEqualTo(row.removals());
    assertThat(events).as("events").isEqualTo(row.events());
  }

  private static BackendFactory registry(Inputs in) {
    return new BackendFactory(
        Map.of(
            BackendKind.KUBERNETES,
            new Backends(null, null, null, in.kubernetesRoles, in.kubernetesRoutes, null, null),
            BackendKind.ECS,
            new Backends(null, null, null, in.ecsRoles, in.ecsRoutes, null, null)));
  }

  private static Cluster cluster() {
    Cluster c = new Cluster();
    c.setMetadata(new ObjectMetaBuilder().withNamespace("shop").withName("default").build());
    c.setSpec(new ClusterSpec());
    return c;
  }

  private static TaskRole role() {
    TaskRole r = new TaskRole();
    r.setMetadata(
        new ObjectMetaBuilder().withNamespace("shop").withName("app").withUid("uid-app").build());
    r.setSpec(new TaskRoleSpec());
    return r;
  }

  private static LoadBalancerRoute route() {
    LoadBalancerRoute r = new LoadBalancerRoute();
    r.setMetadata(
        new ObjectMetaBuilder().withNamespace("shop").withName("web").withUid("uid-web").build());
    r.setSpec(new LoadBalancerRouteSpec());
    r.setStatus(new LoadBalancerRouteStatus());
    return r;
  }
}
