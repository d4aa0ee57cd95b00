package dev.tidewater.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidewater.api.v1alpha1.cluster.Cluster;
import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.taskrole.TaskRole;
import dev.tidewater.api.v1alpha1.taskrole.TaskRoleSpec;
import dev.tidewater.api.v1alpha1.taskrole.TaskRoleStatus;
import dev.tidewater.backend.BackendFactory;
import dev.tidewater.backend.BackendKind;
import dev.tidewater.backend.Backends;
import dev.tidewater.backend.TaskRoleBackend.IamState;
import dev.tidewater.backend.TaskRoleBackend.IdentityClaim;
import dev.tidewater.backend.fake.FakeContext;
import dev.tidewater.backend.fake.FakeTaskRoleBackend;
import dev.tidewater.model.Problem;
import dev.tidewater.model.TenancyCeiling;
import dev.tidewater.model.TrustPolicies;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
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
 * TaskRoleReconciler's decisions as data, against fake TaskRole backends for both places: a refused
 * identity or AWS context asks nothing of IAM, the IRSA role ARN reaches the identity, IAM failures
 * keep what the backend reports, a Cluster without an identity mode makes no role.
 */
class TaskRoleReconcilerDecisionsTest {

  private static final String ARN = "arn:aws:iam::123456789012:role/app";

  /**
   * One reconcile.
   *
   * @param inputs changes to the defaults (a TaskRole on a kubernetes Cluster without AWS)
   * @param condition the True condition's type, {@code reason} its reason
   * @param roleArn {@code status.roleArn} after it
   * @param converges how many IAM converges were asked for
   * @param identities the IRSA ARN ("-" for none) of each identity applied
   * @param warnings the reasons of status warnings
   * @param events the reasons of the Events recorded, in order
   */
  record Row(
      String name,
      Consumer<Inputs> inputs,
      String condition,
      String reason,
      String roleArn,
      int converges,
      List<String> identities,
      List<String> warnings,
      List<String> events) {

    @Override
    public String toString() {
      return name;
    }
  }

  static final class Inputs {
    TaskRole role = role();
    Cluster cluster = cluster();
    FakeTaskRoleBackend kubernetes = new FakeTaskRoleBackend("app");
    FakeTaskRoleBackend ecs = new FakeTaskRoleBackend(null);
  }

  static Stream<Row> rows() {
    return Stream.of(
        new Row(
            "without AWS the tasks run as the ServiceAccount alone",
            in -> {},
            "Ready",
            "ServiceAccountReady",
            null,
            0,
            List.of("-"),
            List.of(),
            List.of()),
        new Row(
            "an identity the TaskRole may not have is refused before any IAM call",
            in ->
                in.kubernetes
                    .wantingIamRole(new TrustPolicies.PodIdentity())
                    .claiming(
                        new IdentityClaim(
                            false, new Problem("metadata.name", "NameConflict", "someone else's"))),
            "Degraded",
            "NameConflict",
            null,
            0,
            List.of(),
            List.of(),
            List.of("NameConflict")),
        new Row(
            "an AWS context without an identity mode makes no role and says so",
            in -> in.kubernetes.wantingIamRole(),
            "Ready",
            "ServiceAccountReady",
            null,
            0,
            List.of("-"),
            List.of("IdentityModeNotSet"),
            List.of()),
        new Row(
            "IRSA hands the role's ARN to the ServiceAccount",
            in ->
                in.kubernetes.wantingIamRole(
                    new TrustPolicies.Irsa(
                        "arn:aws:iam::123456789012:oidc-provider/oidc.example/id/X",
                        "shop",
                        "app")),
            "Ready",
            "RoleReady",
            ARN,
            1,
            List.of(ARN),
            List.of(),
            List.of()),
        new Row(
            "on ecs the role is trusted by ECS tasks and there is no ServiceAccount",
            in -> {
              in.cluster.getSpec().backend = "ecs";
              in.ecs
                  .wantingIamRole(new TrustPolicies.EcsTasks())
                  .onConverge(
                      r ->
                          new IamState(
                              ARN,
                              null,
                              List.of(),
                              null,
                              List.of(new Problem(null, "RoleCreated", "created " + ARN))));
            },
            "Ready",
            "RoleReady",
            ARN,
            1,
            List.of("-"),
            List.of(),
            List.of("RoleCreated")),
        new Row(
            "an AWS context that cannot be used asks nothing of IAM",
            in ->
                in.kubernetes
                    .wantingIamRole(new TrustPolicies.PodIdentity())
                    .withAwsContextProblem(
                        new Problem("spec.clusterRef", "CredentialsSecretNotFound", "no Secret")),
            "Degraded",
            "CredentialsSecretNotFound",
            null,
            0,
            List.of("-"),
            List.of(),
            List.of("CredentialsSecretNotFound")),
        new Row(
            "a role without a permissions boundary is refused before any IAM call",
            in -> {
              in.role.getSpec().permissionsBoundary = null;
              in.kubernetes.wantingIamRole(new TrustPolicies.PodIdentity());
            },
            "Degraded",
            "PermissionsBoundaryRequired",
            null,
            0,
            List.of("-"),
            List.of(),
            List.of("PermissionsBoundaryRequired")),
        new Row(
            "an IAM failure is Degraded with what the backend kept",
            in ->
                in.kubernetes
                    .wantingIamRole(new TrustPolicies.PodIdentity())
                    .onConverge(
                        r ->
                            new IamState(
                                ARN,
                                null,
                                r.warnings(),
                                new Problem("spec", "AccessDenied", "Pod Identity association: no"),
                                List.of())),
            "Degraded",
            "AccessDenied",
            ARN,
            1,
            List.of("-"),
            List.of(),
            List.of("AccessDenied")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void decides(Row row) {
    Inputs in = new Inputs();
    row.inputs().accept(in);
    List<String> events = new ArrayList<>();
    TaskRoleReconciler reconciler =
        new TaskRoleReconciler(
            new ReconcileMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)),
            new BackendFactory(
                Map.of(
                    BackendKind.KUBERNETES,
                    new Backends(null, null, null, in.kubernetes, null, null, null),
                    BackendKind.ECS,
                    new Backends(null, null, null, in.ecs, null, null, null))),
            new IamDriftChecks(Duration.ofHours(1), Clock.systemUTC()),
            new TaskRoleIamLocks(),
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
        };

    UpdateControl<TaskRole> update =
        reconciler.converge(in.role, FakeContext.of(in.role, List.<HasMetadata>of(in.cluster)));

    TaskRoleStatus status = update.getResource().orElseThrow().getStatus();
    assertThat(
            status.getConditions().stream()
                .filter(c -> "True".equals(c.getStatus()) && c.getType().equals(row.condition()))
                .map(c -> c.getReason()))
        .as("conditions %s", status.getConditions())
        .containsExactly(row.reason());
    assertThat(status.roleArn).as("roleArn").isEqualTo(row.roleArn());
    assertThat(in.kubernetes.converged().size() + in.ecs.converged().size())
        .as("IAM converges")
        .isEqualTo(row.converges());
    List<String> identities = new ArrayList<>(in.kubernetes.applied());
    identities.addAll(in.ecs.applied());
    assertThat(identities).as("identities applied").isEqualTo(row.identities());
    assertThat(status.getWarnings().stream().map(w -> w.reason()).toList())
        .as("warnings")
        .isEqualTo(row.warnings());
    assertThat(events).as("events").isEqualTo(row.events());
  }

  private static TaskRole role() {
    TaskRole r = new TaskRole();
    r.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace("shop")
            .withName("app")
            .withUid("uid-app")
            .withGeneration(1L)
            .build());
    r.setSpec(new TaskRoleSpec());
    r.getSpec().permissionsBoundary =
        "arn:aws:iam::123456789012:policy/tidewater/boundaries/tenant";
    return r;
  }

  private static Cluster cluster() {
    Cluster c = new Cluster();
    c.setMetadata(new ObjectMetaBuilder().withNamespace("shop").withName("default").build());
    c.setSpec(new ClusterSpec());
    return c;
  }
}
