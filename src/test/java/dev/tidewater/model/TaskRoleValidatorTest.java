package dev.tidewater.model;

import static dev.tidewater.model.ProblemAssertions.assertOnly;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.cluster.Guardrails;
import dev.tidewater.api.v1alpha1.taskrole.InlinePolicy;
import dev.tidewater.api.v1alpha1.taskrole.TaskRoleSpec;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TaskRoleValidatorTest {

  private static final String READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess";
  private static final String ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess";
  private final TaskRoleValidator validator = new TaskRoleValidator();

  private static ValidationContext allowing(String... patterns) {
    ClusterSpec cluster = new ClusterSpec();
    cluster.guardrails = new Guardrails();
    cluster.guardrails.allowedManagedPolicyArns = List.of(patterns);
    return ValidationContext.forCluster(cluster);
  }

  private static TaskRoleSpec managed(String... arns) {
    TaskRoleSpec spec = new TaskRoleSpec();
    spec.managedPolicyArns = List.of(arns);
    return spec;
  }

  @Test
  void aManagedPolicyOutsideTheGuardrailsIsRefusedByItsIndex() {
    assertOnly(
        validator.validate(
            managed(READ_ONLY, ADMIN), allowing("arn:aws:iam::aws:policy/*ReadOnly*")),
        "managedPolicyArns[1]",
        TaskRoleValidator.MANAGED_POLICY_NOT_ALLOWED,
        ADMIN,
        "guardrails.allowedManagedPolicyArns");
  }

  @Test
  void withoutAnAllowListAClusterAllowsNoManagedPolicy() {
    assertOnly(
        validator.validate(managed(READ_ONLY), ValidationContext.forCluster(new ClusterSpec())),
        "managedPolicyArns[0]",
        TaskRoleValidator.MANAGED_POLICY_NOT_ALLOWED,
        READ_ONLY);
  }

  @Test
  void patternsMatchWholeArnsWithStarAsAnyRun() {
    ValidationContext ctx = allowing("arn:aws:iam::aws:policy/ReadOnlyAccess", "*:policy/team-*");
    assertThat(ctx.allowsManagedPolicy(READ_ONLY)).isTrue();
    assertThat(ctx.allowsManagedPolicy("arn:aws:iam::123456789012:policy/team-web")).isTrue();
    assertThat(ctx.allowsManagedPolicy(READ_ONLY + "2")).isFalse();
    assertThat(ctx.allowsManagedPolicy("arn:aws:iam::123456789012:policy/other")).isFalse();
    assertThat(allowing("arn:aws:iam::aws:policy/Read.nly*").allowsManagedPolicy(READ_ONLY))
        .as("only * is special")
        .isFalse();
  }

  @Test
  void withoutAClusterEveryValidArnPasses() {
    assertThat(validator.validate(managed(ADMIN), ValidationContext.NONE)).isEmpty();
  }

  @Test
  void arnsDuplicatesBoundaryAndDocumentsAreChecked() {
    assertOnly(
        validator.validate(managed("ReadOnlyAccess"), ValidationContext.NONE),
        "managedPolicyArns[0]",
        TaskRoleValidator.INVALID_POLICY_ARN,
        "\"ReadOnlyAccess\"");
    assertOnly(
        validator.validate(managed(READ_ONLY, READ_ONLY), ValidationContext.NONE),
        "managedPolicyArns[1]",
        TaskRoleValidator.DUPLICATE_MANAGED_POLICY,
        READ_ONLY);
    TaskRoleSpec boundary = new TaskRoleSpec();
    boundary.permissionsBoundary = "arn:aws:iam::123456789012:role/x";
    assertOnly(
        validator.validate(boundary, ValidationContext.NONE),
        "permissionsBoundary",
        TaskRoleValidator.INVALID_POLICY_ARN,
        "role/x");
    TaskRoleSpec inline = new TaskRoleSpec();
    InlinePolicy p = new InlinePolicy();
    p.name = "read";
    p.document = new ObjectMapper().createArrayNode();
    inline.inlinePolicies = List.of(p);
    assertOnly(
        validator.validate(inline, ValidationContext.NONE),
        "inlinePolicies[read].document",
        TaskRoleValidator.INVALID_POLICY_DOCUMENT,
        "Statement");
  }

  @Test
  void aManagedRoleNeedsABoundaryFromTheClusterOrTheTaskRole() {
    TaskRoleSpec spec = new TaskRoleSpec();
    assertOnly(
        validator.validateManagedRole(
            spec, ValidationContext.forCluster(new ClusterSpec()), "prod"),
        "permissionsBoundary",
        TaskRoleValidator.PERMISSIONS_BOUNDARY_REQUIRED,
        "Cluster prod",
        "spec.guardrails.permissionsBoundaryArn",
        "policy/tidewater/boundaries/");
    ClusterSpec bounded = new ClusterSpec();
    bounded.guardrails = new Guardrails();
    bounded.guardrails.permissionsBoundaryArn =
        "arn:aws:iam::123456789012:policy/tidewater/boundaries/tasks";
    assertThat(validator.validateManagedRole(spec, ValidationContext.forCluster(bounded), "prod"))
        .isEmpty();
    spec.permissionsBoundary = "arn:aws:iam::123456789012:policy/tidewater/boundaries/web";
    assertThat(
            validator.validateManagedRole(
                spec, ValidationContext.forCluster(new ClusterSpec()), "prod"))
        .isEmpty();
  }

  @Test
  void theClustersBoundaryAndPathApplyToTheRole() {
    ClusterSpec cluster = new ClusterSpec();
    cluster.guardrails = new Guardrails();
    cluster.guardrails.permissionsBoundaryArn = "arn:aws:iam::123456789012:policy/enforced";
    cluster.guardrails.rolePath = "/tidewater/";
    TaskRoleSpec spec = new TaskRoleSpec();
    spec.permissionsBoundary = "arn:aws:iam::123456789012:policy/mine";
    DesiredIamRole role =
        DesiredIamRole.of(
            spec,
            ValidationContext.forCluster(cluster),
            "ns-web",
            new ObjectMapper().createObjectNode(),
            java.util.Map.of("k", "v"));
    assertThat(role.permissionsBoundary()).contains("arn:aws:iam::123456789012:policy/enforced");
    assertThat(role.path()).isEqualTo("/tidewater/");
    assertThat(role.maxSessionDuration()).isEqualTo(3600);
    assertThat(role.description()).isEmpty();
    DesiredIamRole unguarded =
        DesiredIamRole.of(
            spec,
            ValidationContext.forCluster(new ClusterSpec()),
            "ns-web",
            new ObjectMapper().createObjectNode(),
            java.util.Map.of());
    assertThat(unguarded.permissionsBoundary())
        .isEqualTo(Optional.of("arn:aws:iam::123456789012:policy/mine"));
    // the only path deploy/iam-policy.json covers (role/tidewater/*), not IAM's "/"
    assertThat(unguarded.path()).isEqualTo("/tidewater/");
  }

  private static final String BOUNDED = "arn:aws:iam::123456789012:policy/tidewater/boundaries/web";

  /** Finding 7: a role path IAM would deny every call under is refused, naming the field. */
  @Test
  void aRolePathOutsideTheOperatorsPolicyIsRefused() {
    ClusterSpec cluster = new ClusterSpec();
    cluster.guardrails = new Guardrails();
    cluster.guardrails.rolePath = "/teams/";
    TaskRoleSpec spec = new TaskRoleSpec();
    spec.permissionsBoundary = BOUNDED;
    assertOnly(
        validator.validateManagedRole(spec, ValidationContext.forCluster(cluster), "prod"),
        "clusterRef",
        TaskRoleValidator.ROLE_PATH_NOT_ALLOWED,
        "Cluster prod",
        "spec.guardrails.rolePath /teams/",
        "deploy/iam-policy.json");
    cluster.guardrails.rolePath = "/tidewater/team-a/";
    assertThat(validator.validateManagedRole(spec, ValidationContext.forCluster(cluster), "prod"))
        .isEmpty();
  }

  /** Finding 7: a boundary IAM would deny the operator's role writes with is refused. */
  @Test
  void aBoundaryOutsideTheTidewaterBoundariesPathIsRefused() {
    TaskRoleSpec spec = new TaskRoleSpec();
    spec.permissionsBoundary = "arn:aws:iam::123456789012:policy/mine";
    assertOnly(
        validator.validateManagedRole(
            spec, ValidationContext.forCluster(new ClusterSpec()), "prod"),
        "permissionsBoundary",
        TaskRoleValidator.PERMISSIONS_BOUNDARY_NOT_ALLOWED,
        "policy/mine",
        "policy/tidewater/boundaries/",
        "deploy/iam-policy.json");

    ClusterSpec cluster = new ClusterSpec();
    cluster.guardrails = new Guardrails();
    cluster.guardrails.permissionsBoundaryArn = "arn:aws:iam::123456789012:policy/enforced";
    spec.permissionsBoundary = BOUNDED; // overridden by the Cluster's: that one counts
    assertOnly(
        validator.validateManagedRole(spec, ValidationContext.forCluster(cluster), "prod"),
        "clusterRef",
        TaskRoleValidator.PERMISSIONS_BOUNDARY_NOT_ALLOWED,
        "spec.guardrails.permissionsBoundaryArn",
        "deploy/iam-policy.json");
  }
}
