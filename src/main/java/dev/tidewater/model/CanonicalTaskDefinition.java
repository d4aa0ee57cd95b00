package dev.tidewater.model;

import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;

/**
 * A task definition revision: what it runs and its identity. The identity is made at once; the
 * normal form only when asked for, since a reconcile that finds its revision already there (most of
 * them) compares the hash alone. So the spec given to {@link #of} must not change while the
 * revision is in use (a reconcile's own copy of the resource, or a spec made for it).
 */
public final class CanonicalTaskDefinition {

  private final TaskDefinitionSpec source;
  private final String hash;
  private TaskDefinitionSpec spec;
  private String json;

  private CanonicalTaskDefinition(TaskDefinitionSpec source, String hash) {
    this.source = source;
    this.hash = hash;
  }

  /** The revision of {@code spec}. */
  public static CanonicalTaskDefinition of(TaskDefinitionSpec spec) {
    return new CanonicalTaskDefinition(spec, new TaskDefinitionCanonicalizer().hash(spec));
  }

  /**
   * The content hash of the canonical form (order-free lists sorted): equal hash, same revision, so
   * reordering containers or env vars alone never makes a new revision.
   */
  public String hash() {
    return hash;
  }

  /**
   * The spec in normal form (defaults filled, lists in the user's order): what a revision runs and
   * registers, so containers, DNS servers and warning paths keep the user's order.
   */
  public synchronized TaskDefinitionSpec spec() {
    if (spec == null) {
      spec = new TaskDefinitionCanonicalizer().normalize(source);
    }
    return spec;
  }

  /** The normal form as JSON, stored in each revision. */
  public synchronized String json() {
    if (json == null) {
      json = TaskDefinitionCanonicalizer.json(spec());
    }
    return json;
  }

  @Override
  public String toString() {
    return "CanonicalTaskDefinition[hash=" + hash + "]";
  }
}
