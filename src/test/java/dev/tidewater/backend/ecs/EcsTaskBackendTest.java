package dev.tidewater.backend.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.service.AwsVpcConfiguration;
import dev.tidewater.api.v1alpha1.service.NetworkConfiguration;
import dev.tidewater.api.v1alpha1.service.TaskDefinitionRef;
import dev.tidewater.api.v1alpha1.task.Task;
import dev.tidewater.api.v1alpha1.task.TaskRunStatus;
import dev.tidewater.api.v1alpha1.task.TaskSpec;
import dev.tidewater.api.v1alpha1.task.TaskStatus;
import dev.tidewater.backend.BackendFailure;
import dev.tidewater.backend.ResolvedCluster;
import dev.tidewater.backend.TaskBackend;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.EcsException;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;

/**
 * The ecs Task backend's calls and what it reports, against an in-memory ECS ({@link
 * FakeEcsTasks}): RunTask's failures, tasks found again after a lost status, MISSING tasks, client
 * errors, the ListTasks filters ECS accepts, the revision actually run, and a deletion while
 * RunTask is under way.
 */
class EcsTaskBackendTest {

  private static final String CLUSTER = "arn:aws:ecs:us-east-1:123456789012:cluster/c";
  private static final ContainerDefinition APP =
      ContainerDefinition.builder().name("app").essential(true).build();
  private static final ContainerDefinition SIDECAR =
      ContainerDefinition.builder().name("log-router").essential(false).build();

  private final EcsTaskBackend backend = new EcsTaskBackend(null, null, null);

  private static Task task(int count) {
    Task t = new Task();
    t.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace("shop")
            .withName("nightly")
            .withUid("uid-1")
            .withGeneration(1L)
            .build());
    t.setSpec(new TaskSpec());
    t.getSpec().taskDefinitionRef = new TaskDefinitionRef();
    t.getSpec().taskDefinitionRef.name = "batch";
    t.getSpec().count = count;
    t.getSpec().launchType = "FARGATE";
    t.getSpec().networkConfiguration = new NetworkConfiguration();
    t.getSpec().networkConfiguration.awsvpcConfiguration = new AwsVpcConfiguration();
    t.getSpec().networkConfiguration.awsvpcConfiguration.subnets = List.of("subnet-1");
    return t;
  }

  private static FakeEcsTasks ecs() {
    return new FakeEcsTasks()
        .with(FakeEcsTasks.taskDefinition("batch", 3, "awsvpc", APP))
        .with(FakeEcsTasks.taskDefinition("batch", 5, "awsvpc", APP, SIDECAR));
  }

  /** Revision 5's plan, as the ecs backend makes it for a revision that is not the latest. */
  private static TaskBackend.Plan plan(int revision) {
    return new TaskBackend.Plan(revision, null, "batch", null, FakeEcsTasks.arn("batch", revision));
  }

  /** {@code task} as its status records {@code seen}, started on ecs in {@link #CLUSTER}. */
  private static Task started(Task task, List<TaskRunStatus> seen) {
    task.setStatus(new TaskStatus());
    task.getStatus().setBackend("ecs");
    task.getStatus().clusterArn = CLUSTER;
    task.getStatus().tasks = seen;
    return task;
  }

  @Test
  void tasksRunTaskCouldNotPlaceFailToStartWithEcsReasonAndAreNeverDescribed() {
    FakeEcsTasks ecs = ecs();
    ecs.runFailures =
        List.of(
            Failure.builder()
                .arn("arn:aws:ecs:us-east-1:123456789012:container-instance/c/abc")
                .reason("RESOURCE:CPU")
                .build());

    TaskBackend.Observation first = backend.run(task(3), plan(5), ecs, CLUSTER);

    assertThat(first.tasks()).hasSize(3);
    TaskRunStatus failed = first.tasks().get(2);
    assertThat(failed.taskArn).as("a failure's arn is no task").isNull();
    assertThat(failed.lastStatus).isEqualTo("STOPPED");
    assertThat(failed.stopCode).isEqualTo("TaskFailedToStart");
    assertThat(failed.stoppedReason).startsWith("RESOURCE:CPU");

    // the two placed tasks stop; looking again describes only them, and all three are stopped
    Task t = started(task(3), first.tasks());
    first.tasks().stream()
        .filter(r -> r.taskArn != null)
        .forEach(r -> ecs.status(r.taskArn, "STOPPED"));
    TaskBackend.Observation later = backend.observe(t, ecs, CLUSTER);
    assertThat(ecs.describes).singleElement().satisfies(d -> assertThat(d.tasks()).hasSize(2));
    assertThat(later.tasks())
        .hasSize(3)
        .allSatisfy(r -> assertThat(r.lastStatus).isEqualTo("STOPPED"));
    assertThat(later.recheckAfter()).isNull();
  }

  @Test
  void tasksFoundAgainAfterALostStatusWriteReportTheirOwnRevisionAndTheTasksNotPlaced() {
    FakeEcsTasks ecs = ecs();
    // a crash after RunTask of revision 3, which placed two of three; the latest is now 5
    ecs.existing("tidewater/uid-1", "uid-1", FakeEcsTasks.arn("batch", 3));
    ecs.existing("tidewater/uid-1", "uid-1", FakeEcsTasks.arn("batch", 3));
    ecs.existing("tidewater/uid-1", "someone-else", FakeEcsTasks.arn("batch", 3));

    TaskBackend.Observation seen = backend.run(task(3), plan(5), ecs, CLUSTER);

    assertThat(ecs.runs).as("nothing started twice").isEmpty();
    assertThat(seen.placement().revision()).isEqualTo(3);
    assertThat(seen.placement().taskDefinitionArn()).isEqualTo(FakeEcsTasks.arn("batch", 3));
    assertThat(seen.placement().essentialContainers()).containsExactly("app");
    assertThat(seen.tasks()).hasSize(3);
    assertThat(seen.tasks().get(2).stopCode).isEqualTo("TaskFailedToStart");
  }

  @Test
  void tasksEcsDoesNotListYetRightAfterRunTaskAreLookedForAgainNotFailed() {
    FakeEcsTasks ecs = ecs();
    // a crash right after RunTask of three: ECS lists two so far
    java.time.Instant justNow = java.time.Instant.now();
    ecs.existing("tidewater/uid-1", "uid-1", FakeEcsTasks.arn("batch", 5), justNow);
    ecs.existing("tidewater/uid-1", "uid-1", FakeEcsTasks.arn("batch", 5), justNow);

    assertThatThrownBy(() -> backend.run(task(3), plan(5), ecs, CLUSTER))
        .isInstanceOfSatisfying(
            BackendFailure.class,
            e -> {
              assertThat(e.reason()).isEqualTo("TasksNotListedYet");
              assertThat(e.progressing()).isTrue();
            });
    assertThat(ecs.runs).as("nothing started twice").isEmpty();

    // past the grace period, the missing one is taken as never started
    FakeEcsTasks later = ecs();
    java.time.Instant before = justNow.minus(EcsTaskStatuses.LISTING_GRACE).minusSeconds(1);
    later.existing("tidewater/uid-1", "uid-1", FakeEcsTasks.arn("batch", 5), before);
    later.existing("tidewater/uid-1", "uid-1", FakeEcsTasks.arn("batch", 5), before);
    TaskBackend.Observation seen = backend.run(task(3), plan(5), later, CLUSTER);
    assertThat(seen.tasks()).hasSize(3);
    assertThat(seen.tasks().get(2).stopCode).isEqualTo("TaskFailedToStart");
  }

  @Test
  void aSpecRunTaskWouldRefuseIsRefusedAgainWithoutAwsCallsUntilItsGenerationChanges() {
    FakeEcsTasks ecs = ecs();
    Task t = task(1);
    t.getSpec().networkConfiguration = null; // awsvpc without subnets

    TaskBackend.Observation first = backend.run(t, plan(5), ecs, CLUSTER);
    assertThat(first.refusals())
        .extracting(p -> p.path())
        .containsExactly("networkConfiguration.awsvpcConfiguration.subnets");
    int lists = ecs.lists.size();
    assertThat(lists).isPositive();

    TaskBackend.Observation again = backend.run(t, plan(5), ecs, CLUSTER);
    assertThat(again.refusals()).isEqualTo(first.refusals());
    assertThat(ecs.lists).as("the same generation: no AWS call").hasSize(lists);

    // the TaskDefinition's latest revision changed (same generation of the Task): looked at again
    backend.run(t, plan(3), ecs, CLUSTER);
    assertThat(ecs.lists.size()).as("another revision: looked at again").isGreaterThan(lists);
    lists = ecs.lists.size();

    t.getMetadata().setGeneration(2L);
    backend.run(t, plan(5), ecs, CLUSTER);
    assertThat(ecs.lists.size()).as("a new generation: looked at again").isGreaterThan(lists);
    assertThat(ecs.runs).isEmpty();
  }

  @Test
  void listTasksFiltersByStartedByAloneAsEcsRequires() {
    FakeEcsTasks ecs = ecs();

    backend.run(task(1), plan(5), ecs, CLUSTER);

    assertThat(ecs.lists).hasSize(2);
    assertThat(ecs.lists.get(0).startedBy()).isEqualTo("tidewater/uid-1");
    assertThat(ecs.lists.get(0).desiredStatus()).isNull();
    assertThat(ecs.lists.get(0).family()).isNull();
    assertThat(ecs.lists.get(1).startedBy()).isNull();
    assertThat(ecs.lists.get(1).family()).isEqualTo("batch");
    assertThat(ecs.lists.get(1).desiredStatusAsString()).isEqualTo("STOPPED");
    assertThat(ecs.runs).hasSize(1);
  }

  @Test
  void theEssentialContainersAreThoseOfTheRevisionRunNotOnlyOfTheLatest() {
    FakeEcsTasks ecs = ecs();

    TaskBackend.Observation seen = backend.run(task(1), plan(5), ecs, CLUSTER);

    assertThat(seen.placement().essentialContainers()).containsExactly("app");
    assertThat(seen.placement().revision()).isEqualTo(5);
    assertThat(seen.placement().clusterArn()).isEqualTo(CLUSTER);
  }

  @Test
  void aTaskDescribeTasksCallsMissingAfterItWasSeenStopsWithAnUnknownResult() {
    FakeEcsTasks ecs = ecs();
    TaskBackend.Observation first = backend.run(task(2), plan(5), ecs, CLUSTER);
    String seenRunning = first.tasks().get(0).taskArn;
    String neverSeen = first.tasks().get(1).taskArn;
    List<TaskRunStatus> recorded = new ArrayList<>(first.tasks());
    recorded.get(0).lastStatus = "RUNNING";
    ecs.missing.add(seenRunning);
    ecs.missing.add(neverSeen);

    TaskBackend.Observation later = backend.observe(started(task(2), recorded), ecs, CLUSTER);

    assertThat(later.tasks().get(0).lastStatus).isEqualTo("STOPPED");
    assertThat(later.tasks().get(0).stopCode).isEqualTo("TaskMissing");
    assertThat(later.tasks().get(0).stoppedReason).contains("MISSING");
    assertThat(later.tasks().get(1).lastStatus)
        .as("right after RunTask a task may not be described yet")
        .isEqualTo("PROVISIONING");
    assertThat(later.recheckAfter()).isEqualTo(EcsTaskBackend.POLL);
  }

  @Test
  void aClientErrorOfRunTaskIsTerminalAndThrottlingIsNot() {
    FakeEcsTasks ecs = ecs();
    ecs.runError =
        InvalidParameterException.builder()
            .awsErrorDetails(
                AwsErrorDetails.builder()
                    .errorCode("InvalidParameterException")
                    .errorMessage("subnet-1 not found")
                    .serviceName("Ecs")
                    .build())
            .statusCode(400)
            .build();
    BackendFailure refused =
        catchThrowableOfType(
            BackendFailure.class, () -> backend.run(task(1), plan(5), ecs, CLUSTER));
    assertThat(refused.terminal()).isTrue();
    assertThat(refused.reason()).isEqualTo("InvalidParameter");
    assertThat(refused.getMessage()).contains("RunTask").contains("subnet-1 not found");

    ecs.runError =
        EcsException.builder()
            .awsErrorDetails(
                AwsErrorDetails.builder()
                    .errorCode("ThrottlingException")
                    .errorMessage("slow")
                    .build())
            .statusCode(400)
            .build();
    BackendFailure throttled =
        catchThrowableOfType(
            BackendFailure.class, () -> backend.run(task(1), plan(5), ecs, CLUSTER));
    assertThat(throttled.terminal()).isFalse();
    assertThat(throttled.retryable()).isTrue();
    assertThat(throttled.reason()).isEqualTo("Throttled");
  }

  @Test
  void runTaskGetsGroupStartedByAndPropagateTags() {
    FakeEcsTasks ecs = ecs();
    Task t = task(1);
    t.getSpec().group = "family:migrations";
    t.getSpec().startedBy = "pipeline-42";
    t.getSpec().propagateTags = "TASK_DEFINITION";

    backend.run(t, plan(5), ecs, CLUSTER);

    assertThat(ecs.runs)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.group()).isEqualTo("family:migrations");
              assertThat(r.startedBy()).isEqualTo("pipeline-42");
              assertThat(r.propagateTagsAsString()).isEqualTo("TASK_DEFINITION");
            });
  }

  @Test
  void whatRunTaskRefusesOfTheNetworkIsRefusedWithItsFieldAndNothingStarts() {
    FakeEcsTasks ecs = ecs();
    Task t = task(1);
    t.getSpec().networkConfiguration = null;

    TaskBackend.Observation seen = backend.run(t, plan(5), ecs, CLUSTER);

    assertThat(seen.refusals())
        .singleElement()
        .satisfies(
            p ->
                assertThat(p.path()).isEqualTo("networkConfiguration.awsvpcConfiguration.subnets"));
    assertThat(ecs.runs).isEmpty();
  }

  @Test
  void aTaskDeletedWhileItsRunTaskIsUnderWayIsHeldUntilItsTasksAreKnownAndThenStopped() {
    FakeEcsTasks ecs = ecs();
    Task t = task(2);
    List<TaskBackend.Removal> duringRun = new ArrayList<>();
    // the cleanup runs while RunTask is under way (another controller, same process)
    ecs.duringRun =
        r ->
            duringRun.add(
                backend.stop(t, new ResolvedCluster("default", new ClusterSpec(), false), null));

    backend.run(t, plan(5), ecs, CLUSTER);

    assertThat(duringRun)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.finished()).as("the finalizer stays").isFalse();
              assertThat(r.retryAfter()).isEqualTo(EcsTaskBackend.STARTING_WAIT);
            });
    assertThat(backend.isStarting(t)).isFalse();

    // ECS does not list the new tasks yet and the status never recorded them: still stopped
    ecs.listLags = true;
    TaskBackend.Removal removal = backend.stop(t, ecs, CLUSTER);
    assertThat(removal.finished()).isTrue();
    assertThat(removal.stopped()).hasSize(2);
    assertThat(ecs.stops).hasSize(2);
  }
}
