package dev.tidewater.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tidewater.api.v1alpha1.cluster.Cluster;
import dev.tidewater.api.v1alpha1.scheduledtask.ScheduledTask;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.aws.AwsCallCounter;
import dev.tidewater.aws.AwsClientFactory;
import dev.tidewater.aws.AwsContext;
import dev.tidewater.testing.CrashAfterNthCall;
import dev.tidewater.testing.OperatorOnGround;
import dev.tidewater.testing.Resources;
import dev.tidewater.testing.TestGround;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.scheduler.model.GetScheduleResponse;
import software.amazon.awssdk.services.scheduler.model.ResourceNotFoundException;

/**
 * ScheduledTasks on the ecs backend, end to end: the packaged operator (its IAM policy, through the
 * strict AWS layer, which routes EventBridge Scheduler) against moto's EventBridge Scheduler. moto
 * stores schedules but never fires them, so these tests prove the schedule and its role, not runs.
 */
class ScheduledTaskEcsIT {

  private static final TestGround ground = TestGround.get();
  private static final KubernetesClient admin = ground.admin();
  private static final AwsContext MOTO = ground.motoContext();
  private static final AwsClientFactory aws =
      new AwsClientFactory(CrashAfterNthCall.FAST, new AwsCallCounter());
  private static final String BOUNDARY =
      "arn:aws:iam::123456789012:policy/tidewater/boundaries/tasks";

  @RegisterExtension
  static final OperatorOnGround onGround =
      new OperatorOnGround("ecssched", Map.of(), List.of("-Dtidewater.resync-period=5s"));

  private String ns;
  private String subnet;
  private String securityGroup;

  @BeforeEach
  void namespaceAndNetwork() {
    ns = onGround.namespace();
    Ec2Client ec2 = aws.ec2(MOTO);
    String vpc = ec2.createVpc(r -> r.cidrBlock("10.2.0.0/16")).vpc().vpcId();
    subnet =
        ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.2.1.0/24").availabilityZone("us-east-1a"))
            .subnet()
            .subnetId();
    securityGroup =
        ec2.createSecurityGroup(r -> r.vpcId(vpc).groupName(ns).description("tasks")).groupId();
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
          guardrails:
            permissionsBoundaryArn: %s
        ---
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: TaskDefinition
        metadata:
          name: report
        spec:
          requiresCompatibilities: [FARGATE]
          networkMode: awsvpc
          cpu: "256"
          memory: "512"
          executionRoleArn: arn:aws:iam::123456789012:role/ecsTaskExecutionRole
          containerDefinitions:
          - name: report
            image: registry.example/report:1
            memory: 512
        """
            .formatted(BOUNDARY));
  }

  private void apply(String yaml) {
    Resources.apply(admin, yaml, ns);
  }

  private void scheduled(int count, boolean paused) {
    scheduled(count, paused, null);
  }

  private void scheduled(int count, boolean paused, String schedulerRoleArn) {
    apply(
        """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: ScheduledTask
        metadata:
          name: nightly
        spec:
          scheduleExpression: rate(1 hour)
          paused: %s
          %s
          task:
            taskDefinitionRef:
              name: report
            count: %d
            launchType: FARGATE
            networkConfiguration:
              awsvpcConfiguration:
                subnets: [%s]
                securityGroups: [%s]
                assignPublicIp: DISABLED
        """
            .formatted(
                paused,
                schedulerRoleArn == null ? "" : "schedulerRoleArn: " + schedulerRoleArn,
                count,
                subnet,
                securityGroup));
  }

  private ScheduledTask get() {
    return admin.resources(ScheduledTask.class).inNamespace(ns).withName("nightly").get();
  }

  private static SchedulerClient scheduler() {
    return aws.scheduler(MOTO);
  }

  private Optional<GetScheduleResponse> schedule() {
    try {
      return Optional.of(
          scheduler().getSchedule(r -> r.groupName("tidewater").name(ns + "_nightly")));
    } catch (ResourceNotFoundException e) {
      return Optional.empty();
    }
  }

  private String clusterArn() {
    return admin
        .resources(Cluster.class)
        .inNamespace(ns)
        .withName("default")
        .get()
        .getStatus()
        .clusterArn;
  }

  private String taskDefinitionArn() {
    TaskDefinition td =
        admin.resources(TaskDefinition.class).inNamespace(ns).withName("report").get();
    return td.getStatus().revisions.stream()
        .filter(r -> r.revision.equals(td.getStatus().revision))
        .findFirst()
        .orElseThrow()
        .taskDefinitionArn;
  }

  private boolean roleExists(String name) {
    try {
      aws.iam(MOTO).getRole(r -> r.roleName(name));
      return true;
    } catch (NoSuchEntityException e) {
      return false;
    }
  }

  @Test
  void oneScheduleWithTheTaskAsTargetUpdatedInPlaceAndRemovedOnDelete() {
    scheduled(2, false);

    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreException(NullPointerException.class)
        .untilAsserted(
            () -> {
              ScheduledTask s = get();
              assertThat(s.getStatus().scheduleArn).isNotNull();
              assertThat(s.getStatus().scheduleState).isEqualTo("ENABLED");
              assertThat(s.getStatus().state).isEqualTo("Active");
              assertThat(s.getStatus().nextRunTime).isNotNull();
            });
    String arn = get().getStatus().scheduleArn;
    String roleArn = get().getStatus().schedulerRoleArn;
    GetScheduleResponse first = schedule().orElseThrow();
    assertThat(first.arn()).isEqualTo(arn);
    assertThat(first.scheduleExpression()).isEqualTo("rate(1 hour)");
    assertThat(first.stateAsString()).isEqualTo("ENABLED");
    assertThat(first.target().arn()).isEqualTo(clusterArn());
    assertThat(first.target().roleArn()).isEqualTo(roleArn);
    var ecs = first.target().ecsParameters();
    assertThat(ecs.taskDefinitionArn()).isEqualTo(taskDefinitionArn());
    assertThat(ecs.taskCount()).isEqualTo(2);
    assertThat(ecs.launchTypeAsString()).isEqualTo("FARGATE");
    assertThat(ecs.networkConfiguration().awsvpcConfiguration().subnets()).containsExactly(subnet);
    assertThat(ecs.networkConfiguration().awsvpcConfiguration().securityGroups())
        .containsExactly(securityGroup);
    assertThat(ecs.tags())
        .anySatisfy(
            t ->
                assertThat(t)
                    .containsExactlyInAnyOrderEntriesOf(
                        Map.of("key", "tidewater.dev/uid", "value", get().getMetadata().getUid())));
    // exactly one schedule of this namespace
    assertThat(
            scheduler()
                .listSchedules(r -> r.groupName("tidewater").namePrefix(ns + "_"))
                .schedules())
        .hasSize(1);
    // the managed role: under the Cluster's boundary, trusted by EventBridge Scheduler
    var role = aws.iam(MOTO).getRole(r -> r.roleName(ns + "_nightly_scheduler")).role();
    assertThat(role.arn()).isEqualTo(roleArn);
    assertThat(role.path()).isEqualTo("/tidewater/");
    assertThat(role.permissionsBoundary().permissionsBoundaryArn()).isEqualTo(BOUNDARY);
    assertThat(
            java.net.URLDecoder.decode(
                role.assumeRolePolicyDocument(), java.nio.charset.StandardCharsets.UTF_8))
        .contains("scheduler.amazonaws.com");

    // resyncs of an unchanged ScheduledTask write nothing: the schedule is not modified again
    Instant modified = first.lastModificationDate();
    await()
        .during(Duration.ofSeconds(12))
        .atMost(Duration.ofSeconds(20))
        .until(() -> schedule().orElseThrow().lastModificationDate().equals(modified));

    // changed in place: the same schedule, new parameters; paused is DISABLED
    scheduled(3, true);
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              GetScheduleResponse now = schedule().orElseThrow();
              assertThat(now.arn()).isEqualTo(arn);
              assertThat(now.target().ecsParameters().taskCount()).isEqualTo(3);
              assertThat(now.stateAsString()).isEqualTo("DISABLED");
              assertThat(get().getStatus().scheduleState).isEqualTo("DISABLED");
              assertThat(get().getStatus().state).isEqualTo("Paused");
            });
    assertThat(Resources.events(admin, ns, "nightly", "ScheduleUpdated")).isNotEmpty();
    assertThat(
            scheduler()
                .listSchedules(r -> r.groupName("tidewater").namePrefix(ns + "_"))
                .schedules())
        .hasSize(1);

    // a given role instead of the managed one: the schedule assumes it, the managed role goes —
    // only once the schedule uses the given role: while UpdateSchedule fails, it stays
    String given = "arn:aws:iam::123456789012:role/ecs-scheduler/" + ns + "-given";
    String managedArn = schedule().orElseThrow().target().roleArn();
    ground.strictConfig(
        java.util.Map.of(
            "failOperations",
            java.util.Map.of("scheduler:UpdateSchedule", "InternalServerException")));
    try {
      scheduled(3, true, given);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  ground.refusals().stream()
                      .anyMatch(
                          r ->
                              "UpdateSchedule".equals(r.operation())
                                  && "InternalServerException".equals(r.code())));
      assertThat(schedule().orElseThrow().target().roleArn()).isEqualTo(managedArn);
      assertThat(roleExists(ns + "_nightly_scheduler"))
          .as("the role the schedule still uses is kept")
          .isTrue();
    } finally {
      ground.strictConfig(java.util.Map.of("failOperations", java.util.Map.of()));
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(schedule().orElseThrow().target().roleArn()).isEqualTo(given);
              assertThat(roleExists(ns + "_nightly_scheduler"))
                  .as("managed role deleted")
                  .isFalse();
              assertThat(get().getStatus().schedulerRoleArn).isEqualTo(given);
            });
    assertThat(Resources.events(admin, ns, "nightly", "SchedulerRoleDeleted")).isNotEmpty();

    admin.resources(ScheduledTask.class).inNamespace(ns).withName("nightly").delete();
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(schedule()).isEmpty();
              assertThat(roleExists(ns + "_nightly_scheduler")).isFalse();
              assertThat(get()).isNull();
            });
  }

  @Test
  void aClusterMovedToKubernetesRemovesTheScheduleAndRoleAndThenMakesTheCronJob() {
    scheduled(1, false);
    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreException(NullPointerException.class)
        .untilAsserted(() -> assertThat(get().getStatus().scheduleArn).isNotNull());
    assertThat(get().getStatus().getBackend()).isEqualTo("ecs");

    // the operator writes the Cluster's status meanwhile: an edit may meet a 409 and is made again
    Resources.edit(admin, Cluster.class, ns, "default", c -> c.getSpec().backend = "kubernetes");

    await()
        .atMost(Duration.ofSeconds(90))
        .ignoreException(NullPointerException.class)
        .untilAsserted(
            () -> {
              assertThat(schedule()).as("the EventBridge schedule is gone").isEmpty();
              assertThat(roleExists(ns + "_nightly_scheduler")).isFalse();
              assertThat(admin.batch().v1().cronjobs().inNamespace(ns).withName("nightly").get())
                  .isNotNull();
              assertThat(get().getStatus().getBackend()).isEqualTo("kubernetes");
              assertThat(get().getStatus().scheduleArn).isNull();
            });
    assertThat(Resources.events(admin, ns, "nightly", "ScheduleMoved")).isNotEmpty();
  }

  @Test
  void theAwsLayerRefusesScheduleTagsThatAreNotRunTaskTags() {
    // what the operator sent before: {K: V} maps; Scheduler hands each to RunTask as a Tag
    var bad =
        software.amazon.awssdk.services.scheduler.model.CreateScheduleRequest.builder()
            .name(ns + "_badtags")
            .groupName("default")
            .scheduleExpression("rate(1 hour)")
            .flexibleTimeWindow(f -> f.mode("OFF"))
            .target(
                t ->
                    t.arn("arn:aws:ecs:us-east-1:123456789012:cluster/none")
                        .roleArn("arn:aws:iam::123456789012:role/ecs-scheduler/x")
                        .ecsParameters(
                            e ->
                                e.taskDefinitionArn(
                                        "arn:aws:ecs:us-east-1:123456789012:task-definition/x:1")
                                    .tags(List.of(Map.of("team", "data")))))
            .build();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> scheduler().createSchedule(bad))
        .isInstanceOf(software.amazon.awssdk.services.scheduler.model.ValidationException.class)
        .hasMessageContaining("Tags");
    var good =
        bad.toBuilder()
            .target(
                bad.target().toBuilder()
                    .ecsParameters(
                        bad.target().ecsParameters().toBuilder()
                            .tags(List.of(Map.of("key", "team", "value", "data")))
                            .build())
                    .build())
            .build();
    scheduler().createSchedule(good);
    scheduler().deleteSchedule(r -> r.groupName("default").name(ns + "_badtags"));
  }

  @Test
  void retainKeepsTheScheduleWhenTheResourceGoes() {
    apply(
        """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: ScheduledTask
        metadata:
          name: nightly
        spec:
          scheduleExpression: cron(0 2 * * ? *)
          scheduleExpressionTimezone: Europe/Paris
          deletionPolicy: Retain
          task:
            taskDefinitionRef:
              name: report
            launchType: FARGATE
            networkConfiguration:
              awsvpcConfiguration:
                subnets: [%s]
                securityGroups: [%s]
        """
            .formatted(subnet, securityGroup));
    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreException(NullPointerException.class)
        .untilAsserted(() -> assertThat(get().getStatus().scheduleArn).isNotNull());
    assertThat(schedule().orElseThrow().scheduleExpressionTimezone()).isEqualTo("Europe/Paris");

    admin.resources(ScheduledTask.class).inNamespace(ns).withName("nightly").delete();
    await().atMost(Duration.ofSeconds(60)).until(() -> get() == null);
    assertThat(schedule()).as("kept").isPresent();
    scheduler().deleteSchedule(r -> r.groupName("tidewater").name(ns + "_nightly"));
  }
}
