package dev.tidewater.backend.kubernetes.children;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidewater.api.v1alpha1.service.TaskDefinitionRef;
import dev.tidewater.api.v1alpha1.task.ContainerOverride;
import dev.tidewater.api.v1alpha1.task.Task;
import dev.tidewater.api.v1alpha1.task.TaskOverride;
import dev.tidewater.api.v1alpha1.task.TaskRunStatus;
import dev.tidewater.api.v1alpha1.task.TaskSpec;
import dev.tidewater.api.v1alpha1.taskdefinition.ContainerDefinition;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import dev.tidewater.backend.TaskBackend;
import dev.tidewater.model.TaskValidator;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A Task's Job and its pods in ECS's words, as data. */
class TaskJobTest {

  private static ContainerDefinition container(String name, Boolean essential) {
    ContainerDefinition d = new ContainerDefinition();
    d.name = name;
    d.image = "registry.example/" + name;
    d.essential = essential;
    return d;
  }

  private static Task task(int count) {
    Task t = new Task();
    t.setMetadata(
        new ObjectMetaBuilder()
            .withName("nightly.report")
            .withNamespace("team")
            .withUid("3f1c9a1e-0000-4000-8000-000000000001")
            .build());
    t.setSpec(new TaskSpec());
    t.getSpec().taskDefinitionRef = new TaskDefinitionRef();
    t.getSpec().taskDefinitionRef.name = "report";
    t.getSpec().count = count;
    return t;
  }

  private static TaskBackend.Plan plan(ContainerDefinition... containers) {
    TaskDefinitionSpec td = new TaskDefinitionSpec();
    td.containerDefinitions = List.of(containers);
    return new TaskBackend.Plan(4, td, "report", null, null);
  }

  @Test
  void countTasksRunOnceEachAndNonEssentialContainersStopWithThem() {
    TaskJob.Desired d =
        TaskJob.desired(
            new TaskJob.Inputs(
                task(3),
                null,
                plan(container("Report_Main", null), container("shipper", false)),
                false));

    assertThat(d.refusals()).isEmpty();
    Job job = d.job();
    assertThat(job.getMetadata().getName()).isEqualTo("nightly-report");
    assertThat(job.getMetadata().getOwnerReferences()).singleElement();
    assertThat(job.getSpec().getCompletions()).isEqualTo(3);
    assertThat(job.getSpec().getParallelism()).isEqualTo(3);
    assertThat(job.getSpec().getCompletionMode()).isEqualTo("Indexed");
    assertThat(job.getSpec().getBackoffLimitPerIndex()).isZero();
    var pod = job.getSpec().getTemplate().getSpec();
    assertThat(pod.getRestartPolicy()).isEqualTo("Never");
    assertThat(pod.getContainers()).extracting(c -> c.getName()).containsExactly("report-main");
    assertThat(pod.getInitContainers())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getName()).isEqualTo("shipper");
              assertThat(c.getRestartPolicy()).isEqualTo("Always");
            });
    assertThat(job.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry("tidewater.dev/task", "nightly.report");
    assertThat(job.getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry("tidewater.dev/task", "nightly.report")
        .containsEntry("tidewater.dev/revision", "4");
    assertThat(d.containerNames())
        .containsEntry("report-main", "Report_Main")
        .containsEntry("shipper", "shipper");
    // the renderer's NonEssentialRestarted warning does not apply: a Task's sidecar stops with it
    assertThat(d.warnings()).noneMatch(w -> w.reason().equals("NonEssentialRestarted"));
  }

  @Test
  void runTaskFieldsSharedWithCreateServiceMapAsForAServiceWithTheTasksPaths() {
    Task t = task(2);
    t.getSpec().enableExecuteCommand = true;
    dev.tidewater.api.v1alpha1.service.PlacementStrategy spread =
        new dev.tidewater.api.v1alpha1.service.PlacementStrategy();
    spread.type = "spread";
    spread.field = "attribute:ecs.availability-zone";
    t.getSpec().placementStrategy = List.of(spread);

    TaskJob.Desired d =
        TaskJob.desired(new TaskJob.Inputs(t, null, plan(container("app", true)), false));

    assertThat(d.warnings())
        .anySatisfy(w -> assertThat(w.field()).isEqualTo("enableExecuteCommand"));
    // spread over zones: the Task's pods, selected by their task label
    assertThat(d.job().getSpec().getTemplate().getSpec().getTopologySpreadConstraints())
        .singleElement()
        .satisfies(
            c ->
                assertThat(c.getLabelSelector().getMatchLabels())
                    .containsEntry("tidewater.dev/task", "nightly.report"));
  }

  @Test
  void overridesAreRenderedAndAnUnknownContainerRefusesTheJob() {
    Task t = task(1);
    t.getSpec().overrides = new TaskOverride();
    ContainerOverride o = new ContainerOverride();
    o.name = "app";
    o.command = List.of("migrate", "up");
    t.getSpec().overrides.containerOverrides = List.of(o);

    TaskJob.Desired ok =
        TaskJob.desired(new TaskJob.Inputs(t, null, plan(container("app", true)), false));
    assertThat(ok.job().getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
        .containsExactly("migrate", "up");

    o.name = "nope";
    TaskJob.Desired refused =
        TaskJob.desired(new TaskJob.Inputs(t, null, plan(container("app", true)), false));
    assertThat(refused.job()).isNull();
    assertThat(refused.refusals())
        .singleElement()
        .satisfies(p -> assertThat(p.reason()).isEqualTo(TaskValidator.UNKNOWN_CONTAINER));
  }

  private static Pod pod(String name, int index, String phase, Integer mainExit, boolean sidecar) {
    var status =
        new io.fabric8.kubernetes.api.model.PodStatusBuilder()
            .withPhase(phase)
            .withStartTime("2026-12-07T10:00:00Z")
            .addNewCondition()
            .withType("PodScheduled")
            .withStatus("True")
            .endCondition();
    var main = new ContainerStatusBuilder().withName("report-main");
    if (mainExit == null) {
      main.withNewState().withNewRunning().endRunning().endState();
    } else {
      main.withNewState()
          .withNewTerminated()
          .withExitCode(mainExit)
          .withReason(mainExit == 0 ? "Completed" : "Error")
          .withFinishedAt("2026-12-07T10:05:0" + index + "Z")
          .endTerminated()
          .endState();
    }
    status.withContainerStatuses(main.build());
    if (sidecar) {
      status.withInitContainerStatuses(
          new ContainerStatusBuilder()
              .withName("shipper")
              .withNewState()
              .withNewTerminated()
              .withExitCode(0)
              .withFinishedAt("2026-12-07T10:05:09Z")
              .endTerminated()
              .endState()
              .build());
    }
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withCreationTimestamp("2026-12-07T10:00:0" + index + "Z")
        .withAnnotations(Map.of("batch.kubernetes.io/job-completion-index", "" + index))
        .endMetadata()
        .withStatus(status.build())
        .build();
  }

  @Test
  void podsAreTasksInEcsWordsInTaskOrder() {
    Map<String, String> names = Map.of("report-main", "Report_Main", "shipper", "shipper");
    List<TaskRunStatus> tasks =
        TaskPods.tasks(
            List.of(
                pod("p2", 2, "Running", null, false),
                pod("p1", 1, "Failed", 1, true),
                pod("p0", 0, "Succeeded", 0, false)),
            names,
            Set.of("Report_Main"));

    assertThat(tasks).extracting(t -> t.taskArn).containsExactly("p0", "p1", "p2");
    assertThat(tasks.get(0).lastStatus).isEqualTo("STOPPED");
    assertThat(tasks.get(0).stopCode).isEqualTo(TaskPods.ESSENTIAL_CONTAINER_EXITED);
    assertThat(tasks.get(0).containers.get(0).exitCode).isZero();
    assertThat(tasks.get(1).stoppedReason).isEqualTo("Essential container in task exited");
    assertThat(tasks.get(1).stoppedAt).isEqualTo("2026-12-07T10:05:09Z");
    assertThat(tasks.get(1).containers)
        .extracting(c -> c.name, c -> c.lastStatus, c -> c.exitCode)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("shipper", "STOPPED", 0),
            org.assertj.core.groups.Tuple.tuple("Report_Main", "STOPPED", 1));
    assertThat(tasks.get(2).lastStatus).isEqualTo("RUNNING");
    assertThat(tasks.get(2).stopCode).isNull();
  }

  @Test
  void aPodThatFailedBeforeAnyContainerRanFailedToStart() {
    Pod p =
        new PodBuilder()
            .withNewMetadata()
            .withName("p")
            .withCreationTimestamp("2026-12-07T10:00:00Z")
            .endMetadata()
            .withNewStatus()
            .withPhase("Failed")
            .withReason("Evicted")
            .withMessage("The node was low on resource: memory.")
            .endStatus()
            .build();
    TaskRunStatus t = TaskPods.task(p, Map.of(), Set.of("app"));
    assertThat(t.lastStatus).isEqualTo("STOPPED");
    assertThat(t.stopCode).isEqualTo(TaskPods.TASK_FAILED_TO_START);
    assertThat(t.stoppedReason).isEqualTo("The node was low on resource: memory.");
  }

  private static Pod ownedBy(String name, String jobUid) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withCreationTimestamp("2026-12-07T10:00:00Z")
        .addNewOwnerReference()
        .withApiVersion("batch/v1")
        .withKind("Job")
        .withName("nightly-report")
        .withUid(jobUid)
        .withController(true)
        .endOwnerReference()
        .endMetadata()
        .build();
  }

  @Test
  void aTaskReadsOnlyThePodsOfItsOwnJobNotThoseOfAnEarlierTaskOfTheSameName() {
    Job job = new Job();
    job.setMetadata(new ObjectMetaBuilder().withName("nightly-report").withUid("job-2").build());
    // the pods of the Job of a Task deleted and made again under the same name carry the same
    // name label and annotation, but another Job's uid
    List<Pod> pods =
        List.of(ownedBy("old-0", "job-1"), ownedBy("new-0", "job-2"), ownedBy("old-1", "job-1"));

    assertThat(TaskPods.of(job, pods))
        .extracting(p -> p.getMetadata().getName())
        .containsExactly("new-0");
  }

  @Test
  void theJobCarriesTheEcsContainerNamesStartedByAndGroupAndWarnsOfPropagateTags() {
    Task t = task(1);
    t.getSpec().startedBy = "pipeline/42";
    t.getSpec().group = "family:migrations";
    t.getSpec().propagateTags = "TASK_DEFINITION";

    TaskJob.Desired d =
        TaskJob.desired(new TaskJob.Inputs(t, null, plan(container("Report_Main", null)), false));

    Job job = d.job();
    assertThat(TaskJob.containerNames(job))
        .containsExactly(Map.entry("report-main", "Report_Main"));
    assertThat(job.getMetadata().getAnnotations())
        .containsEntry(TaskJob.STARTED_BY_ANNOTATION, "pipeline/42")
        .containsEntry(TaskJob.GROUP_ANNOTATION, "family:migrations");
    assertThat(job.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry(TaskJob.STARTED_BY_ANNOTATION, "pipeline/42")
        .containsEntry(TaskJob.GROUP_ANNOTATION, "family:migrations");
    assertThat(d.warnings())
        .anySatisfy(
            w -> {
              assertThat(w.field()).isEqualTo("spec.propagateTags");
              assertThat(w.reason()).isEqualTo(TaskJob.PROPAGATE_TAGS_NOT_HONOURED);
            });
  }

  @Test
  void aJobDeletedByHandStopsWhatRanAndFailsWhatNeverStarted() {
    TaskRunStatus running = new TaskRunStatus();
    running.taskArn = "p0";
    running.lastStatus = "RUNNING";

    List<TaskRunStatus> after = TaskPods.jobDeleted(List.of(running), 2, "nightly-report");

    assertThat(after).hasSize(2).allSatisfy(x -> assertThat(x.lastStatus).isEqualTo("STOPPED"));
    assertThat(after.get(0).stopCode).isEqualTo(TaskPods.USER_INITIATED);
    assertThat(after.get(0).stoppedReason).contains("Job nightly-report was deleted");
    assertThat(after.get(1).stopCode).isEqualTo(TaskPods.TASK_FAILED_TO_START);
    assertThat(running.lastStatus).as("the status read is not changed").isEqualTo("RUNNING");
  }
}
