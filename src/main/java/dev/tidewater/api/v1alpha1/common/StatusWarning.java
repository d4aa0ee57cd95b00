package dev.tidewater.api.v1alpha1.common;

/**
 * Something the spec asks for that was accepted but cannot be honoured on the chosen backend.
 *
 * @param field the field path, e.g. {@code spec.containerDefinitions[web].links}
 * @param reason a machine-readable reason
 * @param message what happens instead
 */
public record StatusWarning(String field, String reason, String message) {}
