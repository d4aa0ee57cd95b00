package dev.tidewater.backend.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tidewater.api.v1alpha1.cluster.AwsSettings;
import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.tenancy.AwsGrants;
import dev.tidewater.api.v1alpha1.tenancy.TenancyPolicySpec;
import dev.tidewater.aws.AwsContext;
import dev.tidewater.backend.ResolvedCluster;
import dev.tidewater.model.AwsNames;
import dev.tidewater.model.TenancyCeiling;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A Cluster's assumeRoleArn: a session named after the Cluster, an external id across accounts; its
 * endpoint and role only as its namespace's tenancy ceiling grants them.
 */
class ClusterAwsContextsTest {

  private static final String OWN = "123456789012";
  private final List<AwsContext> lookups = new ArrayList<>();

  /** A ceiling granting every role to assume (the tests of session names and external ids). */
  private static TenancyCeiling anyRole(String namespace) {
    TenancyPolicySpec spec = new TenancyPolicySpec();
    spec.aws = new AwsGrants();
    spec.aws.allowedAssumeRoleArns = List.of("*");
    return new TenancyCeiling(namespace, List.of(new TenancyCeiling.Governing("roles", spec)));
  }

  private final ClusterAwsContexts contexts =
      new ClusterAwsContexts(
          new OperatorSettings(),
          ctx -> {
            lookups.add(ctx);
            return OWN;
          },
          ClusterAwsContextsTest::anyRole);

  private final ClusterAwsContexts builtIn =
      new ClusterAwsContexts(
          new OperatorSettings(),
          ctx -> {
            lookups.add(ctx);
            return OWN;
          },
          TenancyCeiling::builtIn);

  @Test
  void anEndpointOrRoleTheCeilingDoesNotGrantGetsNoContext() {
    ResolvedCluster endpoint = cluster("prod", null, null);
    endpoint.spec().aws.endpoint = "http://collector.example:8080";
    assertThatThrownBy(() -> builtIn.resolve(endpoint, "shop", null))
        .isInstanceOfSatisfying(
            ClusterAwsContexts.InvalidAwsContext.class,
            e -> {
              assertThat(e.reason()).isEqualTo(TenancyCeiling.EXCEEDS);
              assertThat(e.getMessage())
                  .startsWith("spec.aws.endpoint: ")
                  .contains("collector.example", TenancyCeiling.BUILT_IN);
            });
    assertThatThrownBy(
            () ->
                builtIn.resolve(
                    cluster("prod", "arn:aws:iam::" + OWN + ":role/deployer", null), "shop", null))
        .isInstanceOfSatisfying(
            ClusterAwsContexts.InvalidAwsContext.class,
            e -> assertThat(e.getMessage()).contains("spec.aws.assumeRoleArn"));
    assertThat(lookups).as("not even sts:GetCallerIdentity").isEmpty();
  }

  private static ResolvedCluster cluster(String name, String roleArn, String externalId) {
    ClusterSpec spec = new ClusterSpec();
    spec.aws = new AwsSettings();
    spec.aws.assumeRoleArn = roleArn;
    spec.aws.externalId = externalId;
    return new ResolvedCluster(name, spec, false);
  }

  @Test
  void theSessionIsNamedAfterTheClusterNotAFixedName() {
    AwsContext ctx =
        contexts.resolve(
            cluster("prod", "arn:aws:iam::" + OWN + ":role/deployer", null), "shop", null);
    assertThat(ctx.roleSessionName()).isEqualTo("shop@prod");
    assertThat(ctx.assumeRoleArn()).contains("arn:aws:iam::" + OWN + ":role/deployer");
    assertThat(lookups).as("one account look-up: same account, no external id needed").hasSize(1);
  }

  @Test
  void aRoleInAnotherAccountNeedsAnExternalId() {
    assertThatThrownBy(
            () ->
                contexts.resolve(
                    cluster("prod", "arn:aws:iam::210987654321:role/deployer", null), "shop", null))
        .isInstanceOfSatisfying(
            ClusterAwsContexts.InvalidAwsContext.class,
            e -> {
              assertThat(e.reason()).isEqualTo(ClusterAwsContexts.EXTERNAL_ID_REQUIRED);
              assertThat(e.getMessage())
                  .startsWith("spec.aws.externalId: ")
                  .contains("210987654321", OWN, "sts:ExternalId", "shop@prod");
            });
    lookups.clear();
    AwsContext ctx =
        contexts.resolve(
            cluster("prod", "arn:aws:iam::210987654321:role/deployer", "e-7f3a"), "shop", null);
    assertThat(ctx.externalId()).contains("e-7f3a");
    assertThat(lookups).as("no GetCallerIdentity with an external id").isEmpty();
  }

  @Test
  void sessionNamesFitStsAndNoTwoClustersShareOne() {
    assertThat(AwsNames.roleSessionName("team", "a-x"))
        .isNotEqualTo(AwsNames.roleSessionName("team-a", "x"));
    String longest = AwsNames.roleSessionName("n".repeat(63), "c".repeat(253));
    assertThat(longest).hasSize(64).matches("[\\w+=,.@-]+").startsWith("nnn");
    assertThat(AwsNames.roleSessionName("n".repeat(63), "c".repeat(252) + "d"))
        .isNotEqualTo(longest);
  }

  /** The operator-wide settings: nothing set. */
  private static final class OperatorSettings implements dev.tidewater.aws.AwsSettings {
    @Override
    public String region() {
      return "us-east-1";
    }

    @Override
    public Optional<URI> endpoint() {
      return Optional.empty();
    }

    @Override
    public Duration taskDefinitionDriftPeriod() {
      return Duration.ofHours(1);
    }

    @Override
    public Duration iamDriftPeriod() {
      return Duration.ofHours(1);
    }

    @Override
    public Retry retry() {
      throw new UnsupportedOperationException();
    }

    @Override
    public RateLimit rateLimit() {
      throw new UnsupportedOperationException();
    }
  }
}
