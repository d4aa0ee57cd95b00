package dev.tidewater.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tidewater.api.v1alpha1.taskrole.InlinePolicy;
import dev.tidewater.api.v1alpha1.taskrole.TaskRoleSpec;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The IAM role a TaskRole calls for, with the Cluster's guardrails already applied (path, enforced
 * boundary) and every default filled in.
 *
 * @param name the role name (from {@link AwsNames.Kind#IAM_ROLE})
 * @param path the role path ({@code /} unless the Cluster's guardrails set one)
 * @param description the description, {@code ""} for none
 * @param maxSessionDuration seconds (IAM's default 3600 when the spec names none)
 * @param trustPolicy the assume-role policy document
 * @param inlinePolicies inline policy documents by name
 * @param managedPolicyArns attached managed policies
 * @param permissionsBoundary the boundary, if any
 * @param tags every tag of the role, ownership tags included
 */
public record DesiredIamRole(
    String name,
    String path,
    String description,
    int maxSessionDuration,
    JsonNode trustPolicy,
    SortedMap<String, JsonNode> inlinePolicies,
    SortedSet<String> managedPolicyArns,
    Optional<String> permissionsBoundary,
    Map<String, String> tags) {

  /** IAM's maximum session duration when none is given. */
  public static final int DEFAULT_MAX_SESSION_DURATION = 3600;

  /**
   * The role of a (valid, see {@link TaskRoleValidator}) TaskRole spec: the Cluster's enforced
   * boundary wins over the spec's, its role path applies.
   *
   * @param name the role name
   * @param trustPolicy the trust policy (see {@link TrustPolicies})
   * @param tags every tag, ownership tags included
   */
  public static DesiredIamRole of(
      TaskRoleSpec spec,
      ValidationContext context,
      String name,
      JsonNode trustPolicy,
      Map<String, String> tags) {
    SortedMap<String, JsonNode> inline = new TreeMap<>();
    if (spec.inlinePolicies != null) {
      for (InlinePolicy p : spec.inlinePolicies) {
        inline.put(p.name, p.document);
      }
    }
    SortedSet<String> managed =
        spec.managedPolicyArns == null ? new TreeSet<>() : new TreeSet<>(spec.managedPolicyArns);
    Optional<String> boundary =
        context
            .enforcedPermissionsBoundary()
            .or(() -> Optional.ofNullable(spec.permissionsBoundary));
    return new DesiredIamRole(
        name,
        context.rolePath(),
        spec.description == null ? "" : spec.description,
        spec.maxSessionDurationSeconds == null
            ? DEFAULT_MAX_SESSION_DURATION
            : spec.maxSessionDurationSeconds,
        trustPolicy,
        inline,
        managed,
        boundary,
        withoutNulls(tags));
  }

  // a tag without a value is the empty value to IAM
  private static Map<String, String> withoutNulls(Map<String, String> tags) {
    Map<String, String> out = new TreeMap<>();
    tags.forEach((k, v) -> out.put(k, v == null ? "" : v));
    return java.util.Collections.unmodifiableMap(out);
  }
}
