package dev.tidewater.backend.ecs;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.DescribeTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.DescribeTaskDefinitionResponse;
import software.amazon.awssdk.services.ecs.model.DescribeTasksRequest;
import software.amazon.awssdk.services.ecs.model.DescribeTasksResponse;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.ListTasksRequest;
import software.amazon.awssdk.services.ecs.model.ListTasksResponse;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.StopTaskRequest;
import software.amazon.awssdk.services.ecs.model.StopTaskResponse;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskField;

/**
 * An in-memory ECS for the task calls of {@link EcsTaskBackend}: ListTasks (refusing startedBy with
 * any other filter, as ECS does), DescribeTasks (MISSING for what it does not know), RunTask
 * (placing {@code count} minus the failures given), StopTask, DescribeTaskDefinition. Records every
 * request.
 */
final class FakeEcsTasks implements EcsClient {

  final Map<String, software.amazon.awssdk.services.ecs.model.Task> tasks = new LinkedHashMap<>();
  final Map<String, TaskDefinition> taskDefinitions = new LinkedHashMap<>();
  final List<ListTasksRequest> lists = new ArrayList<>();
  final List<RunTaskRequest> runs = new ArrayList<>();
  final List<StopTaskRequest> stops = new ArrayList<>();
  final List<DescribeTasksRequest> describes = new ArrayList<>();

  /** Failures the next RunTask answers with (each one task fewer placed). */
  List<Failure> runFailures = List.of();

  /** Thrown by RunTask instead of answering. */
  RuntimeException runError;

  /** Tasks DescribeTasks answers MISSING for. */
  final Set<String> missing = new HashSet<>();

  /** ListTasks does not list tasks yet (ECS is eventually consistent right after RunTask). */
  boolean listLags;

  /** Runs while RunTask is under way (before it answers). */
  Consumer<RunTaskRequest> duringRun = r -> {};

  private int next;

  static TaskDefinition taskDefinition(
      String family, int revision, String networkMode, ContainerDefinition... containers) {
    return TaskDefinition.builder()
        .taskDefinitionArn(arn(family, revision))
        .family(family)
        .revision(revision)
        .networkMode(networkMode)
        .containerDefinitions(containers)
        .build();
  }

  static String arn(String family, int revision) {
    return "arn:aws:ecs:us-east-1:123456789012:task-definition/" + family + ":" + revision;
  }

  FakeEcsTasks with(TaskDefinition td) {
    taskDefinitions.put(td.taskDefinitionArn(), td);
    return this;
  }

  /** A task already in ECS (started before a crash), RUNNING. */
  software.amazon.awssdk.services.ecs.model.Task existing(
      String startedBy, String uid, String taskDefinitionArn) {
    return existing(startedBy, uid, taskDefinitionArn, null);
  }

  /** A task already in ECS (started before a crash) created at {@code createdAt}, RUNNING. */
  software.amazon.awssdk.services.ecs.model.Task existing(
      String startedBy, String uid, String taskDefinitionArn, java.time.Instant createdAt) {
    String arn = "arn:aws:ecs:us-east-1:123456789012:task/c/" + (++next);
    var t =
        software.amazon.awssdk.services.ecs.model.Task.builder()
            .taskArn(arn)
            .createdAt(createdAt)
            .startedBy(startedBy)
            .taskDefinitionArn(taskDefinitionArn)
            .lastStatus("RUNNING")
            .desiredStatus("RUNNING")
            .tags(Tag.builder().key("tidewater.dev/uid").value(uid).build())
            .build();
    tasks.put(arn, t);
    return t;
  }

  @Override
  public ListTasksResponse listTasks(ListTasksRequest r) {
    lists.add(r);
    if (r.startedBy() != null
        && (r.family() != null
            || r.desiredStatus() != null
            || r.launchType() != null
            || r.serviceName() != null
            || r.containerInstance() != null)) {
      throw InvalidParameterException.builder()
          .message("cannot specify startedBy with other arguments")
          .build();
    }
    if (listLags) return ListTasksResponse.builder().build();
    String desired = r.desiredStatusAsString() == null ? "RUNNING" : r.desiredStatusAsString();
    List<String> arns =
        tasks.values().stream()
            .filter(t -> desired.equals(t.desiredStatus()))
            .filter(t -> r.startedBy() == null || r.startedBy().equals(t.startedBy()))
            .filter(
                t -> r.family() == null || t.taskDefinitionArn().contains("/" + r.family() + ":"))
            .map(software.amazon.awssdk.services.ecs.model.Task::taskArn)
            .toList();
    return ListTasksResponse.builder().taskArns(arns).build();
  }

  @Override
  public DescribeTasksResponse describeTasks(DescribeTasksRequest r) {
    describes.add(r);
    if (r.tasks().size() > 100) {
      throw InvalidParameterException.builder().message("at most 100 tasks").build();
    }
    var out = DescribeTasksResponse.builder();
    List<software.amazon.awssdk.services.ecs.model.Task> found = new ArrayList<>();
    List<Failure> failures = new ArrayList<>();
    for (String arn : r.tasks()) {
      var t = tasks.get(arn);
      if (t == null || missing.contains(arn)) {
        failures.add(Failure.builder().arn(arn).reason("MISSING").build());
      } else {
        found.add(r.include().contains(TaskField.TAGS) ? t : t.toBuilder().tags(List.of()).build());
      }
    }
    return out.tasks(found).failures(failures).build();
  }

  @Override
  public RunTaskResponse runTask(RunTaskRequest r) {
    runs.add(r);
    duringRun.accept(r);
    if (runError != null) throw runError;
    List<software.amazon.awssdk.services.ecs.model.Task> started = new ArrayList<>();
    int count = r.count() == null ? 1 : r.count();
    for (int i = 0; i < count - runFailures.size(); i++) {
      String arn = "arn:aws:ecs:us-east-1:123456789012:task/c/" + (++next);
      var t =
          software.amazon.awssdk.services.ecs.model.Task.builder()
              .taskArn(arn)
              .startedBy(r.startedBy())
              .group(r.group())
              .taskDefinitionArn(r.taskDefinition())
              .lastStatus("PROVISIONING")
              .desiredStatus("RUNNING")
              .tags(r.tags())
              .build();
      tasks.put(arn, t);
      started.add(t);
    }
    return RunTaskResponse.builder().tasks(started).failures(runFailures).build();
  }

  @Override
  public StopTaskResponse stopTask(StopTaskRequest r) {
    stops.add(r);
    var t = tasks.get(r.task());
    if (t != null) tasks.put(r.task(), t.toBuilder().desiredStatus("STOPPED").build());
    return StopTaskResponse.builder().build();
  }

  @Override
  public DescribeTaskDefinitionResponse describeTaskDefinition(DescribeTaskDefinitionRequest r) {
    TaskDefinition td = taskDefinitions.get(r.taskDefinition());
    if (td == null) {
      throw InvalidParameterException.builder()
          .message("Unable to describe task definition.")
          .build();
    }
    return DescribeTaskDefinitionResponse.builder().taskDefinition(td).build();
  }

  /** Sets {@code arn}'s lastStatus (ECS moving it along). */
  void status(String arn, String lastStatus) {
    tasks.put(arn, tasks.get(arn).toBuilder().lastStatus(lastStatus).build());
  }

  @Override
  public String serviceName() {
    return "ecs";
  }

  @Override
  public void close() {}
}
