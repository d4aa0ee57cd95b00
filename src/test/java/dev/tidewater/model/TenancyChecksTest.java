package dev.tidewater.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidewater.api.v1alpha1.common.LogConfiguration;
import dev.tidewater.api.v1alpha1.common.Secret;
import dev.tidewater.api.v1alpha1.taskdefinition.ContainerDefinition;
import dev.tidewater.api.v1alpha1.taskdefinition.RepositoryCredentials;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import dev.tidewater.api.v1alpha1.tenancy.AwsGrants;
import dev.tidewater.api.v1alpha1.tenancy.SecretGrants;
import dev.tidewater.api.v1alpha1.tenancy.TenancyPolicySpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The ceiling's refusals of a namespace's own resources (issue 19), each naming field and policy.
 */
class TenancyChecksTest {

  private static final String ACCOUNT = "arn:aws:iam::123456789012:role";

  private static TenancyCeiling ceiling(TenancyPolicySpec spec) {
    return new TenancyCeiling("team-a", List.of(new TenancyCeiling.Governing("teams", spec)));
  }

  private static TaskDefinitionSpec spec() {
    TaskDefinitionSpec spec = new TaskDefinitionSpec();
    ContainerDefinition c = new ContainerDefinition();
    c.name = "app";
    spec.containerDefinitions = List.of(c);
    return spec;
  }

  private static Secret secret(String valueFrom) {
    Secret s = new Secret();
    s.name = "X";
    s.valueFrom = valueFrom;
    return s;
  }

  @Test
  void adoptAndFamilyNeedAPolicyThatAllowsThem() {
    TaskDefinitionSpec spec = spec();
    spec.adopt = true;
    spec.family = "payments";
    List<Problem> builtIn = TenancyChecks.taskDefinition(spec, TenancyCeiling.builtIn("team-a"));
    assertThat(builtIn).extracting(Problem::path).containsExactly("adopt", "family");
    assertThat(builtIn)
        .allSatisfy(p -> assertThat(p.reason()).isEqualTo("ForbiddenByTenancyPolicy"));
    assertThat(builtIn.get(1).message()).contains("payments").contains("built-in tenancy ceiling");

    TenancyPolicySpec allowing = new TenancyPolicySpec();
    allowing.allowAdopt = true;
    allowing.allowFamily = true;
    assertThat(TenancyChecks.taskDefinition(spec, ceiling(allowing))).isEmpty();
    TenancyPolicySpec adoptOnly = new TenancyPolicySpec();
    adoptOnly.allowAdopt = true;
    assertThat(TenancyChecks.taskDefinition(spec, ceiling(adoptOnly)))
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("TenancyPolicy teams"));
  }

  @Test
  void aChosenFamilyNeverTakesTheFormOfAnotherNamespacesDerivedFamilies() {
    TenancyPolicySpec allowing = new TenancyPolicySpec();
    allowing.allowFamily = true;
    TaskDefinitionSpec spec = spec();
    // team-b's TaskDefinition web derives team-b_web: team-a may not take it first
    spec.family = "team-b_web";
    assertThat(TenancyChecks.taskDefinition(spec, ceiling(allowing)))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.path()).isEqualTo("family");
              assertThat(p.reason()).isEqualTo("ReservedFamily");
              assertThat(p.message()).contains("team-b_web", "namespace team-b");
            });
    // a shortened derived name tells no namespace: refused as well
    spec.family = "team-b_a-very-long-name__0123456789abcdef";
    assertThat(TenancyChecks.taskDefinition(spec, ceiling(allowing)))
        .extracting(Problem::reason)
        .containsExactly("ReservedFamily");
    // the namespace's own form and names without it are the policy's to decide
    for (String own : List.of("team-a_web", "payments", "Payments_API", "web-api")) {
      spec.family = own;
      assertThat(TenancyChecks.taskDefinition(spec, ceiling(allowing))).as(own).isEmpty();
    }
  }

  @Test
  void aRoleTidewaterNamesForAnotherNamespaceIsRefusedWhateverThePolicy() {
    TaskDefinitionSpec spec = spec();
    spec.taskRoleArn = ACCOUNT + "/tidewater/team-b_web";
    spec.executionRoleArn = ACCOUNT + "/tidewater/team-a_web";
    TenancyPolicySpec any = new TenancyPolicySpec();
    any.aws = new AwsGrants();
    any.aws.allowedRoleArns = List.of("*");
    assertThat(TenancyChecks.taskDefinition(spec, ceiling(any)))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.path()).isEqualTo("taskRoleArn");
              assertThat(p.reason()).isEqualTo("CrossNamespaceRole");
              assertThat(p.message()).contains("namespace team-b");
            });
  }

  @Test
  void anyOtherRoleIsAsTheAllowedRoleArnsSay() {
    TaskDefinitionSpec spec = spec();
    spec.taskRoleArn = ACCOUNT + "/shared/reader";
    assertThat(TenancyChecks.taskDefinition(spec, TenancyCeiling.builtIn("team-a"))).isEmpty();
    TenancyPolicySpec own = new TenancyPolicySpec();
    own.aws = new AwsGrants();
    own.aws.allowedRoleArns = List.of(ACCOUNT + "/{namespace}/*");
    assertThat(TenancyChecks.taskDefinition(spec, ceiling(own)))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.path()).isEqualTo("taskRoleArn");
              assertThat(p.message()).contains("allowedRoleArns of TenancyPolicy teams");
            });
    spec.taskRoleArn = ACCOUNT + "/team-a/reader";
    assertThat(TenancyChecks.taskDefinition(spec, ceiling(own))).isEmpty();
  }

  @Test
  void everySecretReadIsCheckedAgainstTheAllowedPrefixesNamingItsField() {
    TaskDefinitionSpec spec = spec();
    ContainerDefinition c = spec.containerDefinitions.get(0);
    String ours = "arn:aws:secretsmanager:us-east-1:123456789012:secret:team-a/db";
    String theirs = "arn:aws:secretsmanager:us-east-1:123456789012:secret:team-b/db";
    c.secrets = List.of(secret(ours), secret(theirs));
    c.logConfiguration = new LogConfiguration();
    c.logConfiguration.secretOptions = List.of(secret(theirs));
    c.repositoryCredentials = new RepositoryCredentials();
    c.repositoryCredentials.credentialsParameter = theirs;
    assertThat(TenancyChecks.secretArns(spec, TenancyCeiling.builtIn("team-a"))).isEmpty();

    TenancyPolicySpec prefixes = new TenancyPolicySpec();
    prefixes.secrets = new SecretGrants();
    prefixes.secrets.allowedSecretArnPrefixes =
        List.of("arn:aws:secretsmanager:us-east-1:123456789012:secret:{namespace}/");
    assertThat(TenancyChecks.secretArns(spec, ceiling(prefixes)))
        .extracting(Problem::path)
        .containsExactly(
            "containerDefinitions[0].secrets[1].valueFrom",
            "containerDefinitions[0].logConfiguration.secretOptions[0].valueFrom",
            "containerDefinitions[0].repositoryCredentials.credentialsParameter");
    assertThat(TenancyChecks.secretArns(spec, ceiling(prefixes)).get(0).message())
        .contains(theirs)
        .contains("TenancyPolicy teams");
  }

  @Test
  void secretsReadThroughTheSharedDefaultStoreNeedThePolicyToAllowIt() {
    TaskDefinitionSpec spec = spec();
    spec.containerDefinitions.get(0).secrets =
        List.of(
            secret("arn:aws:ssm:eu-west-1:123456789012:parameter/team-a/db"),
            secret("arn:aws:secretsmanager:eu-west-1:123456789012:secret:team-a/api-AbCdEf"));
    TenancyPolicySpec stores = new TenancyPolicySpec();
    stores.secrets = new SecretGrants();
    stores.secrets.allowedSecretStores = List.of("{namespace}-ssm");

    // no store named in the Cluster: both would be read through the shared defaults
    List<Problem> refused = TenancyChecks.secretStores(spec, null, ceiling(stores));
    assertThat(refused)
        .extracting(Problem::path)
        .containsExactly(
            "containerDefinitions[0].secrets[0].valueFrom",
            "containerDefinitions[0].secrets[1].valueFrom");
    assertThat(refused.get(0).message()).contains("aws-parameter-store").contains("teams");
    assertThat(refused.get(1).message()).contains("aws-secrets-manager");

    // the namespace's own store for SSM, granted; Secrets Manager still through the default
    dev.tidewater.api.v1alpha1.cluster.SecretsSettings named =
        new dev.tidewater.api.v1alpha1.cluster.SecretsSettings();
    named.parameterStore = "team-a-ssm";
    assertThat(TenancyChecks.secretStores(spec, named, ceiling(stores)))
        .extracting(Problem::path)
        .containsExactly("containerDefinitions[0].secrets[1].valueFrom");
    // no list: any store
    assertThat(TenancyChecks.secretStores(spec, null, ceiling(new TenancyPolicySpec()))).isEmpty();
  }
}
