package dev.tidewater.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.cluster.EcsClusterSettings;
import dev.tidewater.api.v1alpha1.cluster.EksSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrustPoliciesTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String OIDC =
      "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC123";
  private static final String ISSUER = "oidc.eks.eu-west-1.amazonaws.com/id/ABC123";

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text);
  }

  private static ClusterSpec cluster(String backend, String identity, boolean ecsSection) {
    ClusterSpec spec = new ClusterSpec();
    spec.backend = backend;
    if (identity != null) {
      spec.eks = new EksSettings();
      spec.eks.identity = identity;
      spec.eks.oidcProviderArn = OIDC;
      spec.eks.clusterName = "prod";
    }
    if (ecsSection) spec.ecs = new EcsClusterSettings();
    return spec;
  }

  @Test
  void theIssuerIsWhatFollowsOidcProvider() {
    assertThat(TrustPolicies.issuer(OIDC)).isEqualTo(ISSUER);
  }

  @Test
  void irsaTrustsExactlyTheServiceAccountWithTheStsAudience() throws Exception {
    JsonNode doc = TrustPolicies.document(List.of(new TrustPolicies.Irsa(OIDC, "shop", "web")));
    assertThat(doc)
        .isEqualTo(
            json(
                """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
                 "Principal":{"Federated":"%s"},
                 "Action":"sts:AssumeRoleWithWebIdentity",
                 "Condition":{"StringEquals":{
                   "%s:sub":"system:serviceaccount:shop:web",
                   "%s:aud":"sts.amazonaws.com"}}}]}"""
                    .formatted(OIDC, ISSUER, ISSUER)));
  }

  @Test
  void podIdentityTrustsTheEksPodsPrincipalToAssumeAndTagSessions() throws Exception {
    assertThat(TrustPolicies.document(List.of(new TrustPolicies.PodIdentity())))
        .isEqualTo(
            json(
                """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
                 "Principal":{"Service":"pods.eks.amazonaws.com"},
                 "Action":["sts:AssumeRole","sts:TagSession"]}]}"""));
  }

  @Test
  void ecsTrustsEcsTasks() throws Exception {
    assertThat(TrustPolicies.document(List.of(new TrustPolicies.EcsTasks())))
        .isEqualTo(
            json(
                """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
                 "Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}"""));
  }

  @Test
  void principalsFollowTheBackendAndTheIdentityMode() {
    assertThat(TrustPolicies.principals(cluster("kubernetes", "irsa", false), false, "ns", "sa"))
        .containsExactly(new TrustPolicies.Irsa(OIDC, "ns", "sa"));
    assertThat(
            TrustPolicies.principals(
                cluster("kubernetes", "podIdentity", false), false, "ns", "sa"))
        .containsExactly(new TrustPolicies.PodIdentity());
    assertThat(TrustPolicies.principals(cluster("ecs", null, false), true, "ns", "sa"))
        .containsExactly(new TrustPolicies.EcsTasks());
    assertThat(TrustPolicies.principals(cluster("kubernetes", null, false), false, "ns", "sa"))
        .as("kubernetes backend without an identity mode")
        .isEmpty();
  }

  @Test
  void aClusterWithAnEcsSectionAndAnIdentityModeTrustsBoth() {
    // a workload moving between backends: either side can assume the role during the move
    assertThat(TrustPolicies.principals(cluster("kubernetes", "irsa", true), false, "ns", "sa"))
        .containsExactly(new TrustPolicies.EcsTasks(), new TrustPolicies.Irsa(OIDC, "ns", "sa"));
    assertThat(TrustPolicies.principals(cluster("ecs", "podIdentity", true), true, "ns", "sa"))
        .containsExactly(new TrustPolicies.EcsTasks(), new TrustPolicies.PodIdentity());
    JsonNode both =
        TrustPolicies.document(
            List.of(new TrustPolicies.EcsTasks(), new TrustPolicies.PodIdentity()));
    assertThat(both.get("Statement")).hasSize(2);
  }
}
