package dev.tidewater.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.tidewater.api.v1alpha1.cluster.AwsSettings;
import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.cluster.Guardrails;
import dev.tidewater.api.v1alpha1.cluster.SecretsSettings;
import dev.tidewater.api.v1alpha1.tenancy.AwsGrants;
import dev.tidewater.api.v1alpha1.tenancy.SecretGrants;
import dev.tidewater.api.v1alpha1.tenancy.TenancyPolicy;
import dev.tidewater.api.v1alpha1.tenancy.TenancyPolicySpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A namespace's Cluster can only tighten its tenancy ceiling: the effective guardrails are the meet
 * of the Cluster's and every governing policy's, and a Cluster asking beyond is refused per field.
 */
class TenancyCeilingTest {

  private static final TaskDefinitionValidator VALIDATOR = new TaskDefinitionValidator();

  private static TenancyPolicy policy(String name, TenancyPolicySpec spec) {
    TenancyPolicy p = new TenancyPolicy();
    p.setMetadata(new ObjectMetaBuilder().withName(name).build());
    p.setSpec(spec);
    return p;
  }

  private static TenancyPolicySpec loose() {
    TenancyPolicySpec s = new TenancyPolicySpec();
    s.guardrails = new Guardrails();
    s.guardrails.allowPrivileged = true;
    s.guardrails.allowHostNetwork = true;
    s.guardrails.allowHostPath = true;
    s.guardrails.allowedManagedPolicyArns = List.of("*");
    s.aws = new AwsGrants();
    s.aws.allowedEndpoints = List.of("http://127.0.0.1:*");
    s.aws.allowedAssumeRoleArns = List.of("*");
    return s;
  }

  private static TenancyPolicySpec strict(String... namespaces) {
    TenancyPolicySpec s = new TenancyPolicySpec();
    s.namespaces = List.of(namespaces);
    return s;
  }

  private static ClusterSpec privileged() {
    ClusterSpec c = new ClusterSpec();
    c.guardrails = new Guardrails();
    c.guardrails.allowPrivileged = true;
    c.guardrails.allowHostNetwork = true;
    c.guardrails.allowHostPath = true;
    return c;
  }

  private static final String PRIVILEGED_TASK =
      """
      containerDefinitions:
        - {name: web, image: nginx, memory: 512, privileged: true}
      """;

  @Test
  void everyGoverningPolicyMustAllowAGuardrailTheClusterLoosens() {
    TenancyCeiling ceiling =
        TenancyCeiling.of(
            "team-a",
            List.of(policy("everyone", loose()), policy("team-a-strict", strict("team-a"))));
    Guardrails effective = ceiling.effectiveGuardrails(privileged().guardrails);
    assertThat(effective.allowPrivileged).isFalse();
    assertThat(effective.allowHostNetwork).isFalse();
    assertThat(effective.allowHostPath).isFalse();
    assertThat(ceiling.refusalsOf(privileged(), null))
        .extracting(Problem::path, Problem::reason)
        .containsExactly(
            tuple("guardrails.allowPrivileged", TenancyCeiling.EXCEEDS),
            tuple("guardrails.allowHostNetwork", TenancyCeiling.EXCEEDS),
            tuple("guardrails.allowHostPath", TenancyCeiling.EXCEEDS));
    assertThat(ceiling.refusalsOf(privileged(), null).get(0).message())
        .contains("TenancyPolicy team-a-strict");
    // the loose policy alone lets the Cluster decide
    TenancyCeiling other = TenancyCeiling.of("team-b", List.of(policy("everyone", loose())));
    assertThat(other.effectiveGuardrails(privileged().guardrails).allowPrivileged).isTrue();
    assertThat(other.refusalsOf(privileged(), null)).isEmpty();
  }

  @Test
  void aPrivilegedTaskIsRefusedUnderAPrivilegedClusterTheCeilingForbids() {
    ValidationContext refused =
        ValidationContext.forCluster(privileged(), TenancyCeiling.builtIn("team-a"));
    assertThat(refused.allowsPrivileged()).isFalse();
    assertThat(
            VALIDATOR.validate(TaskDefinitionValidatorTest.spec(PRIVILEGED_TASK), refused).stream()
                .map(Problem::path))
        .contains("containerDefinitions[0].privileged");
    ValidationContext allowed =
        ValidationContext.forCluster(
            privileged(), TenancyCeiling.of("team-a", List.of(policy("everyone", loose()))));
    assertThat(VALIDATOR.validate(TaskDefinitionValidatorTest.spec(PRIVILEGED_TASK), allowed))
        .isEmpty();
  }

  @Test
  void podSecurityIsTheStricterAndTheBoundaryAndRolePathThePolicys() {
    TenancyPolicySpec s = loose();
    s.guardrails.podSecurity = "restricted";
    s.guardrails.permissionsBoundaryArn = "arn:aws:iam::123456789012:policy/tidewater/b/tasks";
    s.guardrails.rolePath = "/tidewater/team-a/";
    TenancyCeiling ceiling = TenancyCeiling.of("team-a", List.of(policy("p", s)));
    Guardrails own = new Guardrails();
    own.podSecurity = "baseline";
    own.permissionsBoundaryArn = "arn:aws:iam::123456789012:policy/tidewater/b/other";
    own.rolePath = "/tidewater/";
    Guardrails effective = ceiling.effectiveGuardrails(own);
    assertThat(effective.podSecurity).isEqualTo("restricted");
    assertThat(effective.permissionsBoundaryArn).isEqualTo(s.guardrails.permissionsBoundaryArn);
    assertThat(effective.rolePath).isEqualTo("/tidewater/team-a/");
    ClusterSpec c = new ClusterSpec();
    c.guardrails = own;
    assertThat(ceiling.refusalsOf(c, null))
        .extracting(Problem::path)
        .containsExactly("guardrails.permissionsBoundaryArn", "guardrails.rolePath");
    own.rolePath = "/tidewater/team-a/web/";
    assertThat(ceiling.effectiveGuardrails(own).rolePath).isEqualTo("/tidewater/team-a/web/");
  }

  @Test
  void aManagedPolicyNeedsTheClustersListAndEveryPolicys() {
    TenancyPolicySpec narrow = loose();
    narrow.guardrails.allowedManagedPolicyArns = List.of("arn:aws:iam::aws:policy/ReadOnly*");
    TenancyCeiling ceiling =
        TenancyCeiling.of("team-a", List.of(policy("a", loose()), policy("b", narrow)));
    ClusterSpec c = new ClusterSpec();
    c.guardrails = new Guardrails();
    c.guardrails.allowedManagedPolicyArns = List.of("*");
    ValidationContext ctx = ValidationContext.forCluster(c, ceiling);
    assertThat(ctx.allowsManagedPolicy("arn:aws:iam::aws:policy/ReadOnlyAccess")).isTrue();
    assertThat(ctx.allowsManagedPolicy("arn:aws:iam::aws:policy/AdministratorAccess")).isFalse();
    assertThat(
            ValidationContext.forCluster(c, TenancyCeiling.builtIn("team-a"))
                .allowsManagedPolicy("arn:aws:iam::aws:policy/ReadOnlyAccess"))
        .as("the built-in ceiling allows no managed policy")
        .isFalse();
  }

  @Test
  void awsSettingsAndSecretStoresMustBeGranted() {
    TenancyPolicySpec s = loose();
    s.aws.allowedAccounts = List.of("111111111111");
    s.aws.allowedEcsClusters = List.of("{namespace}-*");
    s.secrets = new SecretGrants();
    s.secrets.allowedSecretStores = List.of("{namespace}-ssm");
    TenancyCeiling ceiling = TenancyCeiling.of("team-a", List.of(policy("grants", s)));
    ClusterSpec c = new ClusterSpec();
    c.aws = new AwsSettings();
    c.aws.endpoint = "http://collector.example:8080";
    c.aws.assumeRoleArn = "arn:aws:iam::222222222222:role/deployer";
    c.secrets = new SecretsSettings();
    c.secrets.parameterStore = "team-b-ssm";
    c.secrets.secretsManager = "team-a-ssm";
    assertThat(ceiling.refusalsOf(c, "team-b-web"))
        .extracting(Problem::path)
        .containsExactly(
            "aws.endpoint", "aws.assumeRoleArn", "ecs.clusterName", "secrets.parameterStore");
    assertThat(ceiling.refusalsOf(c, "team-b-web").get(0).message())
        .contains("TenancyPolicy grants", "allowedEndpoints");
    c.aws.endpoint = "http://127.0.0.1:5000";
    c.aws.assumeRoleArn = "arn:aws:iam::111111111111:role/deployer";
    c.secrets.parameterStore = null;
    assertThat(ceiling.refusalsOf(c, "team-a-web")).isEmpty();
    // the built-in ceiling grants no endpoint and no role to assume
    assertThat(TenancyCeiling.builtIn("team-a").refusalsOf(c, "team-a-web"))
        .extracting(Problem::path)
        .containsExactly("aws.endpoint", "aws.assumeRoleArn");
  }

  @Test
  void aPolicyWithoutASpecGovernsEveryNamespaceWithTheStrictDefaults() {
    dev.tidewater.api.v1alpha1.tenancy.TenancyPolicy bare =
        new dev.tidewater.api.v1alpha1.tenancy.TenancyPolicy();
    bare.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("bare").build());
    TenancyCeiling ceiling = TenancyCeiling.of("team", java.util.List.of(bare));
    org.assertj.core.api.Assertions.assertThat(ceiling.refusalOfAdopt()).contains("bare");
    org.assertj.core.api.Assertions.assertThat(ceiling.refusalOfEndpoint("http://127.0.0.1:1"))
        .contains("bare");
    org.assertj.core.api.Assertions.assertThat(ceiling.refusalOfListener("arn:x")).isEmpty();
    org.assertj.core.api.Assertions.assertThat(ceiling.effectiveGuardrails(null).allowPrivileged)
        .isNotEqualTo(Boolean.TRUE);
  }
}
