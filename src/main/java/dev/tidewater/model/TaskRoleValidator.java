package dev.tidewater.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tidewater.api.v1alpha1.taskrole.InlinePolicy;
import dev.tidewater.api.v1alpha1.taskrole.TaskRoleSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a TaskRole spec for what the CRD schema does not express: policy ARNs, policy document
 * shapes and the Cluster's guardrails on managed policies. Returns every problem with its field
 * path, so nothing is half-applied: a refused spec makes no IAM call at all.
 */
public final class TaskRoleValidator {

  /** A managed policy the Cluster's guardrails.allowedManagedPolicyArns does not allow. */
  public static final String MANAGED_POLICY_NOT_ALLOWED = "ManagedPolicyNotAllowed";

  /** Not the ARN of an IAM policy. */
  public static final String INVALID_POLICY_ARN = "InvalidPolicyArn";

  /** The same managed policy listed twice. */
  public static final String DUPLICATE_MANAGED_POLICY = "DuplicateManagedPolicy";

  /** An inline policy document that is not an object with a Statement. */
  public static final String INVALID_POLICY_DOCUMENT = "InvalidPolicyDocument";

  /** The operator would manage an IAM role without a permissions boundary. */
  public static final String PERMISSIONS_BOUNDARY_REQUIRED = "PermissionsBoundaryRequired";

  /**
   * Where deploy/iam-policy.json lets boundaries live: IAM refuses the operator's role writes with
   * any other boundary (or none).
   */
  public static final String BOUNDARY_PATH = "arn:aws:iam::<account>:policy/tidewater/boundaries/";

  /** The Cluster's role path is outside the one the operator's IAM policy covers. */
  public static final String ROLE_PATH_NOT_ALLOWED = "RolePathNotAllowed";

  /** A permissions boundary the operator's IAM policy does not let it set. */
  public static final String PERMISSIONS_BOUNDARY_NOT_ALLOWED = "PermissionsBoundaryNotAllowed";

  private static final String BOUNDARY_OUTSIDE =
      " is not under "
          + BOUNDARY_PATH
          + ": the operator's IAM policy (deploy/iam-policy.json) allows role writes only with a"
          + " boundary there, so IAM would deny every call (docs/task-roles.md)";

  private static final Pattern BOUNDARY_ARN =
      Pattern.compile("^arn:aws[a-z-]*:iam::[0-9]{12}:policy/tidewater/boundaries/.+$");

  /** Whether {@code arn} is a boundary deploy/iam-policy.json lets the operator set. */
  public static boolean underBoundaryPath(String arn) {
    return BOUNDARY_ARN.matcher(arn).matches();
  }

  private static final Pattern POLICY_ARN =
      Pattern.compile("^arn:aws[a-z-]*:iam::(aws|[0-9]{12}):policy/.+$");

  /**
   * Every problem of a TaskRole whose IAM role the operator manages (an AWS context: the ecs
   * backend, IRSA or Pod Identity): those of {@link #validate} plus a permissions boundary, which
   * IAM itself requires of the operator's role writes (DESIGN.md rule 13).
   *
   * @param cluster the Cluster's name, for the message
   */
  public List<Problem> validateManagedRole(
      TaskRoleSpec spec, ValidationContext context, String cluster) {
    List<Problem> problems = new ArrayList<>(validate(spec, context));
    String rolePath = context.rolePath();
    if (!rolePath.startsWith(ValidationContext.POLICY_ROLE_PATH)) {
      problems.add(
          new Problem(
              "clusterRef",
              ROLE_PATH_NOT_ALLOWED,
              "Cluster "
                  + cluster
                  + " spec.guardrails.rolePath "
                  + rolePath
                  + " is outside "
                  + ValidationContext.POLICY_ROLE_PATH
                  + ": the operator's IAM policy (deploy/iam-policy.json) lets it manage roles only"
                  + " under arn:aws:iam::<account>:role/tidewater/, so IAM would deny every call;"
                  + " use /tidewater/ or a path under it"));
    }
    Optional<String> enforced = context.enforcedPermissionsBoundary();
    if (enforced.isPresent() && !underBoundaryPath(enforced.get())) {
      problems.add(
          new Problem(
              "clusterRef",
              PERMISSIONS_BOUNDARY_NOT_ALLOWED,
              "Cluster "
                  + cluster
                  + " spec.guardrails.permissionsBoundaryArn "
                  + enforced.get()
                  + BOUNDARY_OUTSIDE));
    } else if (enforced.isEmpty()
        && spec.permissionsBoundary != null
        && POLICY_ARN.matcher(spec.permissionsBoundary).matches()
        && !underBoundaryPath(spec.permissionsBoundary)) {
      problems.add(
          new Problem(
              "permissionsBoundary",
              PERMISSIONS_BOUNDARY_NOT_ALLOWED,
              spec.permissionsBoundary + BOUNDARY_OUTSIDE));
    }
    if (context.enforcedPermissionsBoundary().isEmpty() && spec.permissionsBoundary == null) {
      problems.add(
          new Problem(
              "permissionsBoundary",
              PERMISSIONS_BOUNDARY_REQUIRED,
              "Cluster "
                  + cluster
                  + " sets no spec.guardrails.permissionsBoundaryArn and the TaskRole no"
                  + " spec.permissionsBoundary: Tidewater makes IAM roles only with a permissions"
                  + " boundary, a customer managed policy under "
                  + BOUNDARY_PATH
                  + " (docs/task-roles.md)"));
    }
    return problems;
  }

  /** Every problem of {@code spec} under the guardrails of {@code context}. */
  public List<Problem> validate(TaskRoleSpec spec, ValidationContext context) {
    List<Problem> problems = new ArrayList<>();
    if (spec.managedPolicyArns != null) {
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < spec.managedPolicyArns.size(); i++) {
        String arn = spec.managedPolicyArns.get(i);
        String path = "managedPolicyArns[" + i + "]";
        if (arn == null || !POLICY_ARN.matcher(arn).matches()) {
          problems.add(
              new Problem(
                  path,
                  INVALID_POLICY_ARN,
                  Messages.quote(arn)
                      + " is not an IAM policy ARN (arn:aws:iam::<account>:policy/...)"));
        } else if (!seen.add(arn)) {
          problems.add(new Problem(path, DUPLICATE_MANAGED_POLICY, arn + " is listed twice"));
        } else if (!context.allowsManagedPolicy(arn)) {
          problems.add(
              new Problem(
                  path,
                  MANAGED_POLICY_NOT_ALLOWED,
                  arn
                      + " is not allowed by "
                      + context
                          .ceiling()
                          .flatMap(c -> c.refusalOfManagedPolicy(arn))
                          .map(TenancyCeiling::policyName)
                          .orElse("the Cluster")
                      + " (guardrails.allowedManagedPolicyArns)"));
        }
      }
    }
    if (spec.permissionsBoundary != null
        && !POLICY_ARN.matcher(spec.permissionsBoundary).matches()) {
      problems.add(
          new Problem(
              "permissionsBoundary",
              INVALID_POLICY_ARN,
              Messages.quote(spec.permissionsBoundary) + " is not an IAM policy ARN"));
    }
    if (spec.inlinePolicies != null) {
      for (InlinePolicy policy : spec.inlinePolicies) {
        JsonNode doc = policy.document;
        if (doc == null || !doc.isObject() || !doc.has("Statement")) {
          problems.add(
              new Problem(
                  "inlinePolicies[" + policy.name + "].document",
                  INVALID_POLICY_DOCUMENT,
                  "a policy document is an object with a Statement"));
        }
      }
    }
    problems.addAll(AwsTagRules.validate(spec.tags, "tags"));
    return problems;
  }
}
