package dev.tidewater.model;

/**
 * One problem with an input: where it is (a field path relative to the spec, e.g. {@code
 * containerDefinitions[0].memory}), a machine-readable reason and a human message naming what is
 * wrong and why.
 */
public record Problem(String path, String reason, String message) {

  @Override
  public String toString() {
    return path + ": " + message;
  }
}
