package dev.tidewater.model;

import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;

/**
 * A task definition in canonical form with its identity.
 *
 * @param spec the canonical spec (defaults filled, order-free lists sorted)
 * @param json its canonical JSON, stored in each revision
 * @param hash the content hash: equal hash, same revision
 */
public record CanonicalTaskDefinition(TaskDefinitionSpec spec, String json, String hash) {

  /** The canonical form of {@code spec}. */
  public static CanonicalTaskDefinition of(TaskDefinitionSpec spec) {
    TaskDefinitionCanonicalizer canonicalizer = new TaskDefinitionCanonicalizer();
    TaskDefinitionSpec canonical = canonicalizer.canonicalize(spec);
    return new CanonicalTaskDefinition(
        canonical, canonicalizer.canonicalJson(spec), canonicalizer.hash(spec));
  }
}
