package dev.tidewater.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tidewater.deploy.IamPolicyTest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Per-action rate limits as data, and the limiter that applies them. */
class AwsRateLimitsTest {

  @ParameterizedTest(name = "{0} {1}: bucket {2}, burst {3}, {4}/s")
  @CsvSource({
    // ECS: documented ("cluster read actions, e.g. DescribeClusters: 50 tokens, 20 per second")
    "ecs, DescribeClusters, cluster-read, 50, 20, true",
    "ecs, CreateCluster, cluster-write, 20, 1, false",
    "ecs, DescribeServices, service-read, 50, 20, false",
    "ecs, CreateService, service-write, 50, 5, false",
    "ecs, UpdateService, service-write, 50, 5, false",
    "ecs, DeleteService, service-write, 50, 5, false",
    "ecs, ListTaskDefinitions, task-definition-read, 50, 20, false",
    "ecs, DescribeTasks, task-read, 50, 20, false",
    "ecs, RunTask, task-write, 20, 5, false",
    "ecs, RegisterTaskDefinition, task-definition-write, 20, 5, false",
    "ecs, TagResource, tags, 20, 5, false",
    // ELBv2: documented ("non-mutating API actions: 40 tokens, 10 per second")
    "elbv2, DescribeRules, describe, 40, 10, true",
    "elbv2, DescribeTags, describe, 40, 10, true",
    "elbv2, CreateRule, mutating, 20, 5, false",
    "elbv2, SetRulePriorities, mutating, 20, 5, false",
    "iam, GetRole, read, 20, 10, false",
    "iam, PutRolePolicy, write, 10, 2, false",
    "autoscaling, DescribeScalingPolicies, describe, 20, 10, false",
    "autoscaling, PutScalingPolicy, write, 10, 2, false",
    "eks, CreatePodIdentityAssociation, all, 10, 5, false",
    "sts, AssumeRole, all, 50, 20, false",
  })
  void eachActionHasItsBucket(
      String service,
      String operation,
      String bucket,
      int burst,
      double perSecond,
      boolean documented) {
    AwsRateLimits.Bucket b = AwsRateLimits.of(service).bucketOf(operation);
    assertThat(b.name()).isEqualTo(bucket);
    assertThat(b.burst()).isEqualTo(burst);
    assertThat(b.perSecond()).isEqualTo(perSecond);
    assertThat(b.documented()).isEqualTo(documented);
  }

  @Test
  void everyEcsElbAndIamReadTheCodeMakesIsInANamedBucket() throws IOException {
    Map<String, String> services =
        Map.of(
            "ecs", "ecs",
            "elasticloadbalancing", "elbv2",
            "iam", "iam",
            "application-autoscaling", "autoscaling");
    List<String> unnamed = new ArrayList<>();
    for (String action : IamPolicyTest.calledActions()) {
      String[] parts = action.split(":");
      String service = services.get(parts[0]);
      if (service == null) continue;
      AwsRateLimits.ServiceLimits limits = AwsRateLimits.of(service);
      boolean read =
          parts[1].startsWith("Describe")
              || parts[1].startsWith("List")
              || parts[1].startsWith("Get");
      // ECS has a bucket per group for everything; elsewhere reads are named, writes share one
      if ((service.equals("ecs") || read) && limits.bucketOf(parts[1]) == limits.others()) {
        unnamed.add(action);
      }
    }
    assertThat(unnamed).isEmpty();
  }

  private long now;
  private final Map<String, List<Long>> waits = new HashMap<>();

  private ActionRateLimiter limiter(String service, double share) {
    return new ActionRateLimiter(
        AwsRateLimits.of(service),
        b ->
            new ClientRateLimiter(
                b.perSecond() * share,
                Math.max(1, (int) (b.burst() * share)),
                () -> now,
                nanos -> {
                  waits.computeIfAbsent(b.name(), k -> new ArrayList<>()).add(nanos);
                  now += nanos;
                }),
        Optional.empty(),
        share);
  }

  @Test
  void actionsOfOneGroupShareABucketOtherGroupsAreNotSlowedByIt() {
    ActionRateLimiter ecs = limiter("ecs", 1.0);
    for (int i = 0; i < 50; i++) ecs.acquire(i % 2 == 0 ? "CreateService" : "UpdateService");
    assertThat(waits).isEmpty();
    ecs.acquire("DeleteService");
    // service-write refills at 5 per second: 200 ms for the 51st
    assertThat(waits.get("service-write")).containsExactly(TimeUnit.MILLISECONDS.toNanos(200));
    for (int i = 0; i < 50; i++) ecs.acquire("DescribeServices");
    assertThat(waits).doesNotContainKey("service-read");
  }

  @Test
  void theShareScalesRateAndBurst() {
    ActionRateLimiter elb = limiter("elbv2", 0.5);
    for (int i = 0; i < 20; i++) elb.acquire("DescribeRules");
    assertThat(waits).isEmpty();
    elb.acquire("DescribeTargetGroups");
    assertThat(waits.get("describe")).containsExactly(TimeUnit.MILLISECONDS.toNanos(200));
    assertThatThrownBy(() -> limiter("ecs", 0)).hasMessageContaining("share");
    assertThatThrownBy(() -> AwsRateLimits.of("s3")).hasMessageContaining("s3");
  }
}
