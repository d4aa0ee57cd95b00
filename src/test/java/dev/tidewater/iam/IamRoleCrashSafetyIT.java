package dev.tidewater.iam;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.common.Tag;
import dev.tidewater.api.v1alpha1.taskrole.InlinePolicy;
import dev.tidewater.api.v1alpha1.taskrole.TaskRole;
import dev.tidewater.api.v1alpha1.taskrole.TaskRoleSpec;
import dev.tidewater.aws.AwsClientFactory;
import dev.tidewater.aws.AwsContext;
import dev.tidewater.backend.aws.AwsOwnership;
import dev.tidewater.backend.aws.IamRoleBackend;
import dev.tidewater.model.DesiredIamRole;
import dev.tidewater.model.IamRolePlanner;
import dev.tidewater.model.ObservedIamRole;
import dev.tidewater.model.TrustPolicies;
import dev.tidewater.model.ValidationContext;
import dev.tidewater.testing.CrashAfterNthCall;
import dev.tidewater.testing.TestGround;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The ecs backend's IAM role path (CreateRole with tags, PutRolePolicy per inline policy,
 * AttachRolePolicy per managed policy) crashed right after each call took effect, then converged by
 * a fresh backend as a restarted operator would: the role is found as ours (not a NameConflict) and
 * ends with exactly the spec's policies and trust, with nothing left to do.
 */
class IamRoleCrashSafetyIT {

  private static final AwsContext MOTO = TestGround.get().motoContext();
  // the backend under test signs as the operator (deploy/iam-policy.json); MOTO is for look-ups
  private static final AwsContext OPERATOR = TestGround.get().operatorAwsContext();
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private record Scenario(TaskRole role, String name) {}

  private static Scenario scenario(int run) {
    TaskRole role = new TaskRole();
    String name = "crash-" + run + "-" + UUID.randomUUID().toString().substring(0, 8);
    role.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace("crash")
            .withUid(UUID.randomUUID().toString())
            .build());
    TaskRoleSpec spec = new TaskRoleSpec();
    spec.inlinePolicies =
        List.of(policy("read-assets", "s3:GetObject"), policy("send-mail", "ses:SendEmail"));
    spec.managedPolicyArns =
        List.of(
            "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
            "arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess");
    Tag team = new Tag();
    team.key = "team";
    team.value = "web";
    spec.tags = List.of(team);
    role.setSpec(spec);
    return new Scenario(role, name);
  }

  private static InlinePolicy policy(String name, String action) {
    InlinePolicy p = new InlinePolicy();
    p.name = name;
    p.document =
        JSON.convertValue(
            Map.of(
                "Version",
                "2012-10-17",
                "Statement",
                List.of(Map.of("Effect", "Allow", "Action", action, "Resource", "*"))),
            com.fasterxml.jackson.databind.JsonNode.class);
    return p;
  }

  private static DesiredIamRole desired(Scenario s) {
    ClusterSpec ecsCluster = new ClusterSpec();
    ecsCluster.backend = "ecs";
    ecsCluster.guardrails = new dev.tidewater.api.v1alpha1.cluster.Guardrails();
    ecsCluster.guardrails.rolePath = "/tidewater/";
    ecsCluster.guardrails.permissionsBoundaryArn = TaskRoleIamIT.BOUNDARY;
    return DesiredIamRole.of(
        s.role().getSpec(),
        ValidationContext.forCluster(ecsCluster),
        s.name(),
        TrustPolicies.document(TrustPolicies.principals(ecsCluster, true, "crash", s.name())),
        AwsOwnership.tags(s.role(), AwsOwnership.userTags(s.role().getSpec().tags)));
  }

  /** What the TaskRole reconciler does with IAM: observe, refuse a foreign role, plan, apply. */
  private static void converge(Scenario s, AwsClientFactory factory) {
    IamRoleBackend iam = new IamRoleBackend(factory);
    Optional<ObservedIamRole> observed = iam.observe(OPERATOR, s.name());
    if (observed.isPresent() && !AwsOwnership.claim(s.role(), observed.get().tags()).ours()) {
      throw new AssertionError("role " + s.name() + " looks foreign after a crash");
    }
    IamRolePlanner.Plan plan = IamRolePlanner.plan(desired(s), observed);
    iam.apply(OPERATOR, s.name(), plan.changes(), observed.map(ObservedIamRole::arn));
  }

  @Test
  void aCrashAfterAnyCallOfTheCreatePathConvergesToTheSpecsRole() {
    List<String> calls =
        CrashAfterNthCall.everyCallOf(
            IamRoleCrashSafetyIT::scenario,
            IamRoleCrashSafetyIT::converge,
            IamRoleCrashSafetyIT::converge,
            (s, tookEffect) -> {
              try (AwsClientFactory fresh = CrashAfterNthCall.recording().factory()) {
                IamRoleBackend iam = new IamRoleBackend(fresh);
                Optional<ObservedIamRole> observed = iam.observe(MOTO, s.name());
                assertThat(observed).as("the role exists").isPresent();
                assertThat(AwsOwnership.claim(s.role(), observed.get().tags()))
                    .isEqualTo(AwsOwnership.Claim.OURS);
                assertThat(IamRolePlanner.plan(desired(s), observed).changes())
                    .as("nothing left to do after converging")
                    .isEmpty();
                assertThat(tookEffect.stream().filter("Iam:CreateRole"::equals).count())
                    .as("CreateRole took effect once")
                    .isEqualTo(1);
                iam.delete(OPERATOR, observed.get(), s.name(), Optional.empty());
              }
            });
    assertThat(calls)
        .contains("Iam:CreateRole", "Iam:PutRolePolicy", "Iam:AttachRolePolicy", "Iam:GetRole");
  }
}
