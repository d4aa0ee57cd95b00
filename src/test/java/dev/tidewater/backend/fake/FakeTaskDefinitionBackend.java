package dev.tidewater.backend.fake;

import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionRevision;
import dev.tidewater.backend.InformerCaches;
import dev.tidewater.backend.ResolvedCluster;
import dev.tidewater.backend.RevisionState;
import dev.tidewater.backend.TaskDefinitionBackend;
import dev.tidewater.model.CanonicalTaskDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * An in-memory TaskDefinition backend for unit tests: one revision per distinct hash, like the real
 * ones, unless the test scripts another answer (or a {@code BackendFailure}); it records the hash
 * and the revisions in use of every call.
 */
public final class FakeTaskDefinitionBackend implements TaskDefinitionBackend {

  /** One call: the hash asked for and the revisions the reconciler said are in use. */
  public record Call(String hash, Set<Integer> inUse) {}

  private final List<String> hashes = new ArrayList<>();
  private final List<Call> calls = new ArrayList<>();
  private Function<CanonicalTaskDefinition, RevisionState> onReconcile = this::revision;
  private boolean outsideKubernetes;
  private Runnable onDelete = () -> {};
  private boolean lastSeen;
  private int deletions;

  /** Revisions the backend already holds, by hash, oldest first. */
  public FakeTaskDefinitionBackend holding(String... hashes) {
    this.hashes.addAll(List.of(hashes));
    return this;
  }

  /** What {@code reconcile} answers instead (or throws). */
  public FakeTaskDefinitionBackend onReconcile(
      Function<CanonicalTaskDefinition, RevisionState> onReconcile) {
    this.onReconcile = onReconcile;
    return this;
  }

  /** Its revisions live outside Kubernetes (ecs): deleting asks {@code delete}, which runs this. */
  public FakeTaskDefinitionBackend outsideKubernetes(Runnable onDelete) {
    this.outsideKubernetes = true;
    this.onDelete = onDelete;
    return this;
  }

  /** It knows where a TaskDefinition's revisions were last registered. */
  public FakeTaskDefinitionBackend lastSeen() {
    this.lastSeen = true;
    return this;
  }

  /** How often it deleted revisions (here or where last seen). */
  public int deletions() {
    return deletions;
  }

  public List<Call> calls() {
    return calls;
  }

  @Override
  public RevisionState reconcile(
      TaskDefinition taskDefinition,
      ResolvedCluster cluster,
      CanonicalTaskDefinition canonical,
      Set<Integer> inUse,
      InformerCaches caches) {
    calls.add(new Call(canonical.hash(), Set.copyOf(inUse)));
    return onReconcile.apply(canonical);
  }

  @Override
  public String firstFamily(TaskDefinition taskDefinition) {
    return taskDefinition.getMetadata().getName();
  }

  @Override
  public boolean needsFinalizer() {
    return outsideKubernetes;
  }

  @Override
  public void delete(TaskDefinition taskDefinition, ResolvedCluster cluster) {
    deletions++;
    onDelete.run();
  }

  @Override
  public boolean deleteWhereLastSeen(TaskDefinition taskDefinition) {
    if (lastSeen) deletions++;
    return lastSeen;
  }

  private RevisionState revision(CanonicalTaskDefinition canonical) {
    boolean created = hashes.isEmpty() || !hashes.get(hashes.size() - 1).equals(canonical.hash());
    if (created) hashes.add(canonical.hash());
    List<TaskDefinitionRevision> retained = new ArrayList<>();
    for (int i = 0; i < hashes.size(); i++) {
      TaskDefinitionRevision r = new TaskDefinitionRevision();
      r.revision = i + 1;
      retained.add(r);
    }
    return new RevisionState(hashes.size(), created, retained, "web");
  }
}
