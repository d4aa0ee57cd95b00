package dev.tidewater.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * Something the spec asks for that was accepted but cannot be honoured on the chosen backend.
 *
 * @param field the field path, e.g. {@code spec.containerDefinitions[web].links}
 * @param reason a machine-readable reason
 * @param message what happens instead
 */
public record StatusWarning(
    @JsonPropertyDescription("The spec field path, e.g. spec.containerDefinitions[web].links.")
        String field,
    @JsonPropertyDescription("A machine-readable reason (docs/kubernetes-mapping.md).")
        String reason,
    @JsonPropertyDescription("What happens instead.") String message) {}
