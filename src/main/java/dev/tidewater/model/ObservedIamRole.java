package dev.tidewater.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An IAM role as IAM reports it: GetRole, its inline policies and its attached managed policies.
 *
 * @param arn the role ARN
 * @param path the role path
 * @param description the description, {@code ""} for none
 * @param maxSessionDuration seconds
 * @param trustPolicy the assume-role policy document (decoded)
 * @param inlinePolicies inline policy documents by name (decoded)
 * @param managedPolicyArns attached managed policies
 * @param permissionsBoundary the boundary, if any
 * @param tags the role's tags
 */
public record ObservedIamRole(
    String arn,
    String path,
    String description,
    int maxSessionDuration,
    JsonNode trustPolicy,
    Map<String, JsonNode> inlinePolicies,
    Set<String> managedPolicyArns,
    Optional<String> permissionsBoundary,
    Map<String, String> tags) {}
