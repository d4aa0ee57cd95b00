package dev.tidewater.backend.fake;

import dev.tidewater.api.v1alpha1.task.ContainerRunStatus;
import dev.tidewater.api.v1alpha1.task.Task;
import dev.tidewater.api.v1alpha1.task.TaskRunStatus;
import dev.tidewater.api.v1alpha1.taskdefinition.ContainerDefinition;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import dev.tidewater.backend.ResolvedCluster;
import dev.tidewater.backend.TaskBackend;
import dev.tidewater.model.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * An in-memory TaskBackend: the revisions it has, what it waits for, and what a run answers (by
 * default: every task stopped, its one essential container "app" at exit 0); records the plans it
 * was asked to run.
 */
public final class FakeTaskBackend implements TaskBackend {

  private List<Integer> revisions = List.of();
  private Problem waiting;
  private Function<Plan, Observation> onRun = plan -> finished(1, 0);
  private final List<Plan> runs = new ArrayList<>();
  private Function<Task, Observation> onObserve = task -> finished(1, 0);
  private final List<String> observed = new ArrayList<>();
  private boolean planWithoutSpec;

  /** The backend has these revisions. */
  public FakeTaskBackend withRevisions(Integer... revisions) {
    this.revisions = List.of(revisions);
    return this;
  }

  /** Every revision waits for {@code problem}. */
  public FakeTaskBackend waitingFor(Problem problem) {
    this.waiting = problem;
    return this;
  }

  /** What a run answers (or throws). */
  public FakeTaskBackend onRun(Function<Plan, Observation> answer) {
    this.onRun = answer;
    return this;
  }

  /** What observing a started Task answers (or throws). */
  public FakeTaskBackend onObserve(Function<Task, Observation> answer) {
    this.onObserve = answer;
    return this;
  }

  /** Plans carry no revision spec (as the ecs backend's for a revision other than the latest). */
  public FakeTaskBackend planWithoutSpec() {
    this.planWithoutSpec = true;
    return this;
  }

  /** The names of the Tasks observed as started, in order. */
  public List<String> observed() {
    return observed;
  }

  /** The plans run, in order. */
  public List<Plan> runs() {
    return runs;
  }

  /** {@code count} stopped tasks whose container "app" exited with {@code exitCode}. */
  public static Observation finished(int count, int exitCode) {
    List<TaskRunStatus> tasks = new ArrayList<>();
    for (int i = 0; i < count; i++) tasks.add(task("t" + i, "STOPPED", exitCode));
    return new Observation(tasks, true, "job", null, List.of(), List.of(), null);
  }

  /** One task {@code arn} in {@code lastStatus}, its container "app" at {@code exitCode}. */
  public static TaskRunStatus task(String arn, String lastStatus, Integer exitCode) {
    TaskRunStatus t = new TaskRunStatus();
    t.taskArn = arn;
    t.lastStatus = lastStatus;
    ContainerRunStatus c = new ContainerRunStatus();
    c.name = "app";
    c.lastStatus = lastStatus;
    if ("STOPPED".equals(lastStatus)) {
      c.exitCode = exitCode;
      t.stopCode = "EssentialContainerExited";
      t.stoppedReason = "Essential container in task exited";
      t.stoppedAt = "2026-12-07T10:00:00Z";
    }
    t.containers = List.of(c);
    return t;
  }

  @Override
  public List<Integer> revisions(Task task, TaskDefinition taskDefinition, Caches caches) {
    return revisions;
  }

  @Override
  public Optional<Problem> waitingFor(
      Task task, TaskDefinition taskDefinition, int revision, Caches caches) {
    return Optional.ofNullable(waiting);
  }

  @Override
  public Plan plan(Task task, TaskDefinition taskDefinition, int revision, Caches caches) {
    TaskDefinitionSpec spec = new TaskDefinitionSpec();
    ContainerDefinition app = new ContainerDefinition();
    app.name = "app";
    app.image = "registry.example/app";
    spec.containerDefinitions = List.of(app);
    return new Plan(
        revision,
        planWithoutSpec ? null : spec,
        taskDefinition.getMetadata().getName(),
        null,
        null);
  }

  @Override
  public Observation run(Task task, ResolvedCluster cluster, Plan plan, Caches caches) {
    runs.add(plan);
    return onRun.apply(plan);
  }

  @Override
  public Observation observe(Task task, ResolvedCluster cluster, Caches caches) {
    observed.add(task.getMetadata().getName());
    return onObserve.apply(task);
  }
}
