package dev.tidewater.model;

import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;

/**
 * A task definition revision: what it runs and its identity.
 *
 * @param spec the spec in normal form (defaults filled, lists in the user's order): what a revision
 *     runs and registers, so containers, DNS servers and warning paths keep the user's order
 * @param json its normal form as JSON, stored in each revision
 * @param hash the content hash of the canonical form (order-free lists sorted): equal hash, same
 *     revision, so reordering containers or env vars alone never makes a new revision
 */
public record CanonicalTaskDefinition(TaskDefinitionSpec spec, String json, String hash) {

  /** The revision of {@code spec}. */
  public static CanonicalTaskDefinition of(TaskDefinitionSpec spec) {
    TaskDefinitionCanonicalizer canonicalizer = new TaskDefinitionCanonicalizer();
    TaskDefinitionSpec normal = canonicalizer.normalize(spec);
    // the JSON of the normal form just made (normalJson would make it again from the spec)
    return new CanonicalTaskDefinition(
        normal, TaskDefinitionCanonicalizer.json(normal), canonicalizer.hash(spec));
  }
}
