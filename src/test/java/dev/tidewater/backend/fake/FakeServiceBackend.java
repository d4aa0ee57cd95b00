package dev.tidewater.backend.fake;

import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.backend.BackendFailure;
import dev.tidewater.backend.ResolvedCluster;
import dev.tidewater.backend.ServiceBackend;
import dev.tidewater.backend.ServiceObservation;
import dev.tidewater.backend.ServicePlan;
import dev.tidewater.backend.ServiceRemoval;
import dev.tidewater.model.CutOver;
import dev.tidewater.model.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * An in-memory Service backend for unit tests of reconcile decisions: it runs whatever revisions it
 * is told it has, answers {@code apply} with what the test scripts (an observation or a failure),
 * and records every plan it was asked to apply — the writes a real backend would make.
 */
public final class FakeServiceBackend implements ServiceBackend {

  private List<Integer> revisions = List.of();
  private Problem waitingFor;
  private Function<ServicePlan, ServiceObservation> onApply =
      plan -> FakeServiceBackend.running(plan.revision(), 2);
  private final List<ServicePlan> applied = new ArrayList<>();
  private boolean outsideKubernetes;
  private java.util.function.Supplier<ServiceRemoval> onRemove = ServiceRemoval::complete;
  private Optional<ServiceRemoval> lastSeen = Optional.empty();
  private int removals;
  private dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec registered;
  private CutOver.Side side = CutOver.Side.NONE;
  private final List<Integer> scaled = new ArrayList<>();
  private int sideRemovals;
  private BackendFailure sideFailure;

  /** A completed rollout of {@code revision} with {@code count} of {@code count} tasks running. */
  public static ServiceObservation running(int revision, int count) {
    return new ServiceObservation(
        count, count, 0, revision, ServiceObservation.RolloutState.COMPLETED, List.of(), List.of());
  }

  /** The revisions this backend can run, ascending. */
  public FakeServiceBackend withRevisions(Integer... revisions) {
    this.revisions = List.of(revisions);
    return this;
  }

  /** What every revision waits for before it can run (null: nothing). */
  public FakeServiceBackend waitingFor(Problem waitingFor) {
    this.waitingFor = waitingFor;
    return this;
  }

  /** What {@code apply} answers (an observation, or throws a {@link BackendFailure}). */
  public FakeServiceBackend onApply(Function<ServicePlan, ServiceObservation> onApply) {
    this.onApply = onApply;
    return this;
  }

  /** The spec every revision was registered with (ecs; null: the backend checks what it runs). */
  public FakeServiceBackend registeredAs(
      dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec registered) {
    this.registered = registered;
    return this;
  }

  /** What it runs lives outside Kubernetes (ecs): deleting a Service asks {@code remove}. */
  public FakeServiceBackend outsideKubernetes(
      java.util.function.Supplier<ServiceRemoval> onRemove) {
    this.outsideKubernetes = true;
    this.onRemove = onRemove;
    return this;
  }

  /** What it removes where a Service was last seen running on it (empty: it knows of none). */
  public FakeServiceBackend lastSeen(ServiceRemoval removal) {
    this.lastSeen = Optional.of(removal);
    return this;
  }

  /** How often it was asked to remove a Service (here or where last seen) and had something. */
  public int removals() {
    return removals;
  }

  /** What it runs for the Service as the other side of a migration. */
  public FakeServiceBackend withSide(CutOver.Side side) {
    this.side = side;
    return this;
  }

  /** Scaling and removing its side fail with {@code failure} (AWS failing, say). */
  public FakeServiceBackend failing(BackendFailure failure) {
    this.sideFailure = failure;
    return this;
  }

  /** The counts it was scaled to, in order. */
  public List<Integer> scaled() {
    return scaled;
  }

  /** How often the side it runs was removed while the Service stays (a migration). */
  public int sideRemovals() {
    return sideRemovals;
  }

  /** The plans applied, in order: what a real backend would have written. */
  public List<ServicePlan> applied() {
    return applied;
  }

  @Override
  public List<Integer> revisions(EcsService service, TaskDefinition taskDefinition, Caches caches) {
    return revisions;
  }

  @Override
  public Optional<Problem> waitingFor(
      EcsService service, TaskDefinition taskDefinition, int revision, Caches caches) {
    return Optional.ofNullable(waitingFor);
  }

  @Override
  public ServicePlan plan(
      EcsService service, TaskDefinition taskDefinition, int revision, Caches caches) {
    return new ServicePlan(revision, null, taskDefinition.getMetadata().getName(), null);
  }

  @Override
  public Optional<dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec> registeredSpec(
      EcsService service, ResolvedCluster cluster, ServicePlan plan, Caches caches) {
    return Optional.ofNullable(registered);
  }

  @Override
  public boolean needsFinalizer() {
    return outsideKubernetes;
  }

  @Override
  public ServiceRemoval remove(EcsService service, ResolvedCluster cluster, Caches caches) {
    removals++;
    return onRemove.get();
  }

  @Override
  public Optional<ServiceRemoval> removeWhereLastSeen(EcsService service) {
    lastSeen.ifPresent(r -> removals++);
    return lastSeen;
  }

  @Override
  public ServiceObservation apply(
      EcsService service, ResolvedCluster cluster, ServicePlan plan, Caches caches) {
    applied.add(plan);
    return onApply.apply(plan);
  }

  @Override
  public CutOver.Side observeSide(EcsService service, ResolvedCluster cluster, Caches caches) {
    return side;
  }

  @Override
  public void scaleTo(
      EcsService service,
      ResolvedCluster cluster,
      int count,
      boolean keepAutoscaling,
      Caches caches) {
    if (sideFailure != null) throw sideFailure;
    scaled.add(count);
    side = new CutOver.Side(side.exists(), count, Math.min(side.ready(), count), side.failed());
  }

  @Override
  public ServiceRemoval removeSide(EcsService service, ResolvedCluster cluster, Caches caches) {
    sideRemovals++;
    if (sideFailure != null) throw sideFailure;
    side = CutOver.Side.NONE;
    return ServiceRemoval.complete();
  }
}
