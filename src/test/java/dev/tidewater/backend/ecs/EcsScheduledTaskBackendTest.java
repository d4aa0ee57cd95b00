package dev.tidewater.backend.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.scheduledtask.ScheduledTask;
import dev.tidewater.api.v1alpha1.scheduledtask.ScheduledTaskSpec;
import dev.tidewater.api.v1alpha1.service.AwsVpcConfiguration;
import dev.tidewater.api.v1alpha1.service.NetworkConfiguration;
import dev.tidewater.api.v1alpha1.service.TaskDefinitionRef;
import dev.tidewater.api.v1alpha1.task.ContainerOverride;
import dev.tidewater.api.v1alpha1.task.TaskOverride;
import dev.tidewater.api.v1alpha1.task.TaskTemplate;
import dev.tidewater.aws.AwsContext;
import dev.tidewater.backend.BackendFailure;
import dev.tidewater.backend.ScheduledTaskBackend;
import dev.tidewater.backend.TaskBackend;
import dev.tidewater.model.ValidationContext;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.scheduler.model.CreateScheduleGroupRequest;
import software.amazon.awssdk.services.scheduler.model.CreateScheduleGroupResponse;
import software.amazon.awssdk.services.scheduler.model.CreateScheduleRequest;
import software.amazon.awssdk.services.scheduler.model.CreateScheduleResponse;
import software.amazon.awssdk.services.scheduler.model.GetScheduleGroupRequest;
import software.amazon.awssdk.services.scheduler.model.GetScheduleGroupResponse;
import software.amazon.awssdk.services.scheduler.model.GetScheduleRequest;
import software.amazon.awssdk.services.scheduler.model.GetScheduleResponse;
import software.amazon.awssdk.services.scheduler.model.ResourceNotFoundException;

/**
 * EcsScheduledTaskBackend against in-memory EventBridge Scheduler and ECS: the guard between an
 * apply and a cleanup of the same ScheduledTask, the RunTask checks on the registered revision, and
 * how ECS tasks become runs.
 */
class EcsScheduledTaskBackendTest {

  private static final String CLUSTER = "arn:aws:ecs:us-east-1:123456789012:cluster/c";
  private static final String ROLE = "arn:aws:iam::123456789012:role/ecs-scheduler/given";
  private static final Instant NOW = Instant.parse("2026-12-07T10:10:30Z");

  private static final ContainerDefinition APP =
      ContainerDefinition.builder().name("app").essential(true).build();
  private static final ContainerDefinition SIDECAR =
      ContainerDefinition.builder().name("log-router").essential(false).build();

  /** An in-memory Scheduler: no schedule until one is created; GetSchedule may wait on a latch. */
  static final class FakeScheduler implements SchedulerClient {
    final List<CreateScheduleRequest> creates = new ArrayList<>();
    final CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(0);

    @Override
    public GetScheduleResponse getSchedule(GetScheduleRequest r) {
      entered.countDown();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      throw ResourceNotFoundException.builder().message("no schedule").build();
    }

    @Override
    public GetScheduleGroupResponse getScheduleGroup(GetScheduleGroupRequest r) {
      return GetScheduleGroupResponse.builder().name(r.name()).build();
    }

    @Override
    public CreateScheduleGroupResponse createScheduleGroup(CreateScheduleGroupRequest r) {
      return CreateScheduleGroupResponse.builder().build();
    }

    @Override
    public CreateScheduleResponse createSchedule(CreateScheduleRequest r) {
      creates.add(r);
      return CreateScheduleResponse.builder()
          .scheduleArn("arn:aws:scheduler:us-east-1:123456789012:schedule/tidewater/" + r.name())
          .build();
    }

    @Override
    public String serviceName() {
      return "scheduler";
    }

    @Override
    public void close() {}
  }

  private static ScheduledTask scheduled(String expression) {
    ScheduledTask s = new ScheduledTask();
    s.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace("shop")
            .withName("nightly")
            .withUid("uid-sched")
            .withGeneration(1L)
            .withCreationTimestamp("2026-12-01T00:00:00Z")
            .build());
    s.setSpec(new ScheduledTaskSpec());
    s.getSpec().scheduleExpression = expression;
    s.getSpec().schedulerRoleArn = ROLE;
    s.getSpec().task = new TaskTemplate();
    s.getSpec().task.taskDefinitionRef = new TaskDefinitionRef();
    s.getSpec().task.taskDefinitionRef.name = "batch";
    s.getSpec().task.launchType = "FARGATE";
    s.getSpec().task.networkConfiguration = new NetworkConfiguration();
    s.getSpec().task.networkConfiguration.awsvpcConfiguration = new AwsVpcConfiguration();
    s.getSpec().task.networkConfiguration.awsvpcConfiguration.subnets = List.of("subnet-1");
    return s;
  }

  private static FakeEcsTasks ecs() {
    return new FakeEcsTasks()
        .with(FakeEcsTasks.taskDefinition("batch", 3, "bridge", APP))
        .with(FakeEcsTasks.taskDefinition("batch", 5, "awsvpc", APP, SIDECAR));
  }

  private static ScheduledTaskBackend.Desired desired(int revision) {
    return new ScheduledTaskBackend.Desired(
        new TaskBackend.Plan(revision, null, "batch", null, FakeEcsTasks.arn("batch", revision)),
        NOW);
  }

  private static ScheduledTaskBackend.Observation apply(
      EcsScheduledTaskBackend backend,
      ScheduledTask s,
      int revision,
      FakeScheduler scheduler,
      FakeEcsTasks ecs) {
    return backend.apply(
        s,
        null,
        ValidationContext.forCluster(new ClusterSpec()),
        CLUSTER,
        desired(revision),
        scheduler,
        ecs);
  }

  @Test
  void aCleanupDuringTheFirstApplyWaitsForItAndNothingIsMadeForADeletedOne() throws Exception {
    FakeScheduler scheduler = new FakeScheduler();
    scheduler.release = new CountDownLatch(1);
    boolean[] deleting = {false};
    EcsScheduledTaskBackend backend =
        new EcsScheduledTaskBackend(null, null, null, null, s -> deleting[0]);
    ScheduledTask s = scheduled("rate(1 hour)");

    CompletableFuture<Throwable> applying =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                apply(backend, s, 5, scheduler, ecs());
                return null;
              } catch (RuntimeException e) {
                return e;
              }
            });
    assertThat(scheduler.entered.await(10, TimeUnit.SECONDS)).isTrue();

    // the cleanup runs while the apply is under way: it waits (it would find nothing yet)
    ScheduledTaskBackend.Removal removal =
        backend.remove(s, (dev.tidewater.backend.ResolvedCluster) null, null);
    assertThat(removal.finished()).isFalse();
    assertThat(removal.retryAfter()).isEqualTo(EcsScheduledTaskBackend.APPLYING_WAIT);

    // the ScheduledTask is being deleted by the time the apply would create the schedule
    deleting[0] = true;
    scheduler.release.countDown();
    Throwable failed = applying.get(10, TimeUnit.SECONDS);
    assertThat(failed)
        .isInstanceOfSatisfying(
            BackendFailure.class, e -> assertThat(e.reason()).isEqualTo("Deleting"));
    assertThat(scheduler.creates).as("no schedule made for a deleted ScheduledTask").isEmpty();
    assertThat(backend.isApplying(s)).isFalse();
  }

  @Test
  void whatRunTaskRefusesOfTheRegisteredRevisionIsRefusedWithTaskPathsAndNothingIsMade() {
    FakeScheduler scheduler = new FakeScheduler();
    EcsScheduledTaskBackend backend =
        new EcsScheduledTaskBackend(null, null, null, null, s -> false);
    ScheduledTask s = scheduled("rate(1 hour)");
    s.getSpec().task.overrides = new TaskOverride();
    ContainerOverride o = new ContainerOverride();
    o.name = "ap";
    s.getSpec().task.overrides.containerOverrides = List.of(o);

    // revision 3 (not the latest) is bridge: Fargate refuses it; it has no container "ap"
    ScheduledTaskBackend.Observation refused = apply(backend, s, 3, scheduler, ecs());

    assertThat(refused.refusals())
        .extracting(p -> p.path() + "/" + p.reason())
        .containsExactlyInAnyOrder(
            "task.overrides.containerOverrides[0].name/UnknownContainer",
            "task.launchType/InvalidNetworkConfiguration",
            "task.networkConfiguration/InvalidNetworkConfiguration");
    assertThat(scheduler.creates).isEmpty();
  }

  @Test
  void theScheduleIsMadeWithTheEssentialContainersOfTheRegisteredRevision() {
    FakeScheduler scheduler = new FakeScheduler();
    EcsScheduledTaskBackend backend =
        new EcsScheduledTaskBackend(null, null, null, null, s -> false);

    ScheduledTaskBackend.Observation made =
        apply(backend, scheduled("rate(1 hour)"), 5, scheduler, ecs());

    assertThat(made.refusals()).isEmpty();
    assertThat(scheduler.creates).hasSize(1);
    assertThat(made.essentialContainers()).containsExactly("app");
  }

  private static software.amazon.awssdk.services.ecs.model.Task task(String arn, String created) {
    return software.amazon.awssdk.services.ecs.model.Task.builder()
        .taskArn(arn)
        .lastStatus("RUNNING")
        .createdAt(Instant.parse(created))
        .tags(Tag.builder().key("tidewater.dev/uid").value("uid-sched").build())
        .build();
  }

  @Test
  void tasksOfOneRunCreatedAcrossAMinuteAreOneRunAtItsDueTime() {
    // a run of three due at 02:00, placed from 02:00:50 to 02:01:10; the next one due at 02:05
    List<ScheduledTaskBackend.Run> runs =
        EcsScheduledTaskBackend.group(
            List.of(
                task("arn:t/1", "2026-12-07T02:00:50Z"),
                task("arn:t/2", "2026-12-07T02:01:10Z"),
                task("arn:t/3", "2026-12-07T02:00:59Z"),
                task("arn:t/4", "2026-12-07T02:05:02Z")),
            created ->
                Optional.of(
                    created.isBefore(Instant.parse("2026-12-07T02:05:00Z"))
                        ? Instant.parse("2026-12-07T02:00:00Z")
                        : Instant.parse("2026-12-07T02:05:00Z")));

    assertThat(runs).hasSize(2);
    assertThat(runs.get(0).startedAt()).isEqualTo(Instant.parse("2026-12-07T02:05:00Z"));
    assertThat(runs.get(1).startedAt()).isEqualTo(Instant.parse("2026-12-07T02:00:00Z"));
    assertThat(runs.get(1).tasks()).hasSize(3);
    assertThat(runs.get(1).name()).isEqualTo("arn:t/1");
  }

  @Test
  void aTaskNoRunWasDueForIsItsOwnRunAtItsMinute() {
    List<ScheduledTaskBackend.Run> runs =
        EcsScheduledTaskBackend.group(
            List.of(task("arn:t/9", "2026-12-07T03:17:42Z")), created -> Optional.empty());
    assertThat(runs)
        .singleElement()
        .satisfies(r -> assertThat(r.startedAt()).isEqualTo(Instant.parse("2026-12-07T03:17:00Z")));
  }

  @Test
  void aRunDueIsLookedForAgainUntilItsTasksAreSeen() {
    // rate(1 hour) from 2026-12-01T00:00: due 10:00; at 10:10:30 nothing seen yet
    FakeScheduler scheduler = new FakeScheduler();
    EcsScheduledTaskBackend backend =
        new EcsScheduledTaskBackend(null, null, null, null, s -> false);
    ScheduledTask s = scheduled("rate(1 hour)");
    var o =
        backend.apply(
            s,
            null,
            ValidationContext.forCluster(new ClusterSpec()),
            CLUSTER,
            new ScheduledTaskBackend.Desired(
                desired(5).plan(), Instant.parse("2026-12-07T10:01:30Z")),
            scheduler,
            ecs());
    assertThat(o.runs()).isEmpty();
    assertThat(o.recheckAfter())
        .as("looked for again soon")
        .isEqualTo(EcsScheduledTaskBackend.POLL);

    // past the window, with nothing seen: no more looking until the next due time
    var later =
        backend.apply(
            s,
            null,
            ValidationContext.forCluster(new ClusterSpec()),
            CLUSTER,
            new ScheduledTaskBackend.Desired(
                desired(5).plan(), Instant.parse("2026-12-07T10:30:00Z")),
            scheduler,
            ecs());
    assertThat(later.recheckAfter()).isNull();
  }

  @Test
  void aScheduleRecordedInAnotherRegionIsNotTakenForGone() {
    ScheduledTask s = scheduled("rate(1 hour)");
    s.setStatus(new dev.tidewater.api.v1alpha1.scheduledtask.ScheduledTaskStatus());
    s.getStatus().scheduleArn =
        "arn:aws:scheduler:eu-west-1:123456789012:schedule/tidewater/shop_nightly";
    AwsContext here =
        new AwsContext(
            "us-east-1",
            java.util.Optional.empty(),
            dev.tidewater.aws.AwsCredentialsSource.DEFAULT_CHAIN,
            java.util.Optional.empty(),
            java.util.Optional.empty(),
            AwsContext.DEFAULT_SESSION_NAME);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> EcsScheduledTaskBackend.leftBehindElsewhere(s, here))
        .isInstanceOf(dev.tidewater.backend.BackendFailure.class)
        .hasMessageContaining("eu-west-1")
        .extracting(e -> ((dev.tidewater.backend.BackendFailure) e).reason())
        .isEqualTo("ScheduleLeftBehind");

    s.getStatus().scheduleArn =
        "arn:aws:scheduler:us-east-1:123456789012:schedule/tidewater/shop_nightly";
    EcsScheduledTaskBackend.leftBehindElsewhere(s, here); // same Region: not found is gone
  }

  @Test
  void aPausedScheduleLooksForNoRun() {
    // rate(1 hour) from 2026-12-01T00:00: 10:00 was due, but the schedule is paused
    FakeScheduler scheduler = new FakeScheduler();
    FakeEcsTasks ecs = ecs();
    EcsScheduledTaskBackend backend =
        new EcsScheduledTaskBackend(null, null, null, null, s -> false);
    ScheduledTask s = scheduled("rate(1 hour)");
    s.getSpec().paused = true;
    var o =
        backend.apply(
            s,
            null,
            ValidationContext.forCluster(new ClusterSpec()),
            CLUSTER,
            new ScheduledTaskBackend.Desired(
                desired(5).plan(), Instant.parse("2026-12-07T10:01:30Z")),
            scheduler,
            ecs);
    assertThat(ecs.lists).as("no ListTasks for a paused schedule").isEmpty();
    assertThat(o.recheckAfter()).as("not looked for again").isNull();
  }

  @Test
  void theRemovalOfAScheduleNotBeingAppliedIsNotHeld() {
    EcsScheduledTaskBackend backend =
        new EcsScheduledTaskBackend(null, null, null, null, s -> false);
    ScheduledTask s = scheduled("rate(1 hour)");
    s.getSpec().deletionPolicy = "Retain";
    assertThat(backend.remove(s, (dev.tidewater.backend.ResolvedCluster) null, null).finished())
        .isTrue();
  }

  @Test
  void theManagedRoleNameEndsWithTheSuffixThePolicyPassesEvenWhenShortened() {
    ScheduledTask s = scheduled("rate(1 hour)");
    assertThat(EcsScheduledTaskBackend.roleName(s)).isEqualTo("shop_nightly_scheduler");
    s.getMetadata().setName("a-very-long-scheduled-task-name-that-goes-past-the-iam-role-limit");
    String shortened = EcsScheduledTaskBackend.roleName(s);
    assertThat(shortened).endsWith("_scheduler").hasSizeLessThanOrEqualTo(64).contains("+");
    ScheduledTask other = scheduled("rate(1 hour)");
    other.getMetadata().setName(s.getMetadata().getName() + "-2");
    assertThat(EcsScheduledTaskBackend.roleName(other)).isNotEqualTo(shortened);
  }

  @Test
  void aDeletedScheduledTaskIsNotCreated() {
    FakeScheduler scheduler = new FakeScheduler();
    EcsScheduledTaskBackend backend =
        new EcsScheduledTaskBackend(null, null, null, null, s -> true);
    assertThatThrownBy(() -> apply(backend, scheduled("rate(1 hour)"), 5, scheduler, ecs()))
        .isInstanceOf(BackendFailure.class);
    assertThat(scheduler.creates).isEmpty();
  }
}
