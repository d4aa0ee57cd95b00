package dev.tidewater.backend.fake;

import dev.tidewater.api.v1alpha1.scheduledtask.ScheduledTask;
import dev.tidewater.api.v1alpha1.taskdefinition.ContainerDefinition;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import dev.tidewater.backend.ResolvedCluster;
import dev.tidewater.backend.ScheduledTaskBackend;
import dev.tidewater.backend.TaskBackend;
import dev.tidewater.model.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * An in-memory ScheduledTaskBackend: the revisions it has, what it waits for, whether it needs a
 * finalizer, and what an apply answers (by default: the schedule applied, no run seen); records
 * what it was asked to apply.
 */
public final class FakeScheduledTaskBackend implements ScheduledTaskBackend {

  private List<Integer> revisions = List.of();
  private Problem waiting;
  private boolean finalizer;
  private Function<Desired, Observation> onApply = d -> applied(List.of());
  private final List<Desired> applied = new ArrayList<>();
  private final List<String> calls = new ArrayList<>();
  private Removal onRetire = Removal.complete(List.of("schedule"));
  private boolean revisionSpec = true;

  private Removal onRemove = Removal.complete(List.of("schedule"));

  /** What remove answers (default: the schedule removed). */
  public FakeScheduledTaskBackend onRemove(Removal answer) {
    this.onRemove = answer;
    return this;
  }

  /** What retire answers (default: the schedule removed). */
  public FakeScheduledTaskBackend onRetire(Removal answer) {
    this.onRetire = answer;
    return this;
  }

  /** Plans carry no TaskDefinition spec (as ecs plans a revision that is not the latest). */
  public FakeScheduledTaskBackend withoutRevisionSpec() {
    this.revisionSpec = false;
    return this;
  }

  /** The calls that change the backend, in order: "apply", "retire", "remove". */
  public List<String> calls() {
    return calls;
  }

  public FakeScheduledTaskBackend withRevisions(Integer... revisions) {
    this.revisions = List.of(revisions);
    return this;
  }

  public FakeScheduledTaskBackend waitingFor(Problem problem) {
    this.waiting = problem;
    return this;
  }

  /** The schedule lives outside Kubernetes (as on ecs). */
  public FakeScheduledTaskBackend outsideKubernetes() {
    this.finalizer = true;
    return this;
  }

  public FakeScheduledTaskBackend onApply(Function<Desired, Observation> answer) {
    this.onApply = answer;
    return this;
  }

  /** What it was asked to apply, in order. */
  public List<Desired> applied() {
    return applied;
  }

  /** The schedule applied (a CronJob "nightly"), these runs seen. */
  public static Observation applied(List<Run> runs) {
    return new Observation(
        "nightly",
        "0 2 * * *",
        "UTC",
        null,
        null,
        null,
        null,
        null,
        false,
        null,
        runs,
        List.of(),
        List.of(),
        List.of(),
        null);
  }

  @Override
  public List<Integer> revisions(
      ScheduledTask scheduled, TaskDefinition taskDefinition, Caches caches) {
    return revisions;
  }

  @Override
  public Optional<Problem> waitingFor(
      ScheduledTask scheduled, TaskDefinition taskDefinition, int revision, Caches caches) {
    return Optional.ofNullable(waiting);
  }

  @Override
  public TaskBackend.Plan plan(
      ScheduledTask scheduled, TaskDefinition taskDefinition, int revision, Caches caches) {
    TaskDefinitionSpec spec = new TaskDefinitionSpec();
    ContainerDefinition app = new ContainerDefinition();
    app.name = "app";
    app.image = "registry.example/app";
    spec.containerDefinitions = List.of(app);
    return new TaskBackend.Plan(
        revision, revisionSpec ? spec : null, taskDefinition.getMetadata().getName(), null, null);
  }

  @Override
  public Observation apply(
      ScheduledTask scheduled, ResolvedCluster cluster, Desired desired, Caches caches) {
    applied.add(desired);
    calls.add("apply");
    return onApply.apply(desired);
  }

  @Override
  public Removal retire(ScheduledTask scheduled, ResolvedCluster cluster, Caches caches) {
    calls.add("retire");
    return onRetire;
  }

  @Override
  public Removal remove(ScheduledTask scheduled, ResolvedCluster cluster, Caches caches) {
    calls.add("remove");
    return onRemove;
  }

  @Override
  public boolean needsFinalizer() {
    return finalizer;
  }
}
