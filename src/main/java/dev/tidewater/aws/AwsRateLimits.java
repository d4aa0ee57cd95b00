package dev.tidewater.aws;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * AWS's request throttling per action, as data: the token buckets (burst = bucket size, refill =
 * sustained requests per second) AWS applies per account and Region, so the operator paces each
 * action below its own bucket instead of one flat rate per service.
 *
 * <p>Sources (docs/install.md, "AWS request rates"): ECS and ELBv2 document token buckets per group
 * of actions ("Request throttling for the Amazon ECS API", "Request throttling for the ELB API");
 * the values marked {@code documented} are quoted from them, the others are assumptions — ECS's
 * other groups set at or below its documented cluster-read bucket, ELBv2's mutating actions at half
 * its documented Describe bucket; IAM, Application Auto Scaling and EKS publish no per-action
 * rates, STS documents an account-wide request quota far above what is used here.
 */
public final class AwsRateLimits {

  /**
   * One token bucket.
   *
   * @param name the group, e.g. {@code service-write}
   * @param burst bucket size: calls allowed at once after a quiet period
   * @param perSecond refill: sustained calls per second
   * @param documented quoted from AWS's documentation (else an assumption, see the class comment)
   * @param operations the SDK operation names in this bucket
   */
  public record Bucket(
      String name, int burst, double perSecond, boolean documented, Set<String> operations) {}

  /**
   * The buckets of one service, and the one for its operations none names.
   *
   * @param service the AwsClientFactory's service key ({@code ecs}, {@code elbv2}, ...)
   */
  public record ServiceLimits(String service, List<Bucket> buckets, Bucket others) {

    /** The bucket {@code operation} (an SDK operation name such as {@code CreateService}) uses. */
    public Bucket bucketOf(String operation) {
      for (Bucket b : buckets) {
        if (b.operations().contains(operation)) {
          return b;
        }
      }
      return others;
    }
  }

  private static Bucket bucket(
      String name, int burst, double perSecond, boolean documented, String... operations) {
    return new Bucket(name, burst, perSecond, documented, Set.of(operations));
  }

  private static final boolean DOCUMENTED = true;
  private static final boolean ASSUMED = false;

  /** Per AwsClientFactory service key. */
  public static final Map<String, ServiceLimits> SERVICES =
      Map.of(
          "ecs",
          new ServiceLimits(
              "ecs",
              List.of(
                  bucket("cluster-read", 50, 20, DOCUMENTED, "DescribeClusters", "ListClusters"),
                  bucket(
                      "cluster-write",
                      20,
                      1,
                      ASSUMED,
                      "CreateCluster",
                      "DeleteCluster",
                      "UpdateCluster",
                      "PutClusterCapacityProviders"),
                  bucket("service-read", 50, 20, ASSUMED, "DescribeServices", "ListServices"),
                  bucket(
                      "service-write",
                      50,
                      5,
                      ASSUMED,
                      "CreateService",
                      "UpdateService",
                      "DeleteService"),
                  bucket(
                      "task-definition-read",
                      50,
                      20,
                      ASSUMED,
                      "DescribeTaskDefinition",
                      "ListTaskDefinitions",
                      "ListTaskDefinitionFamilies"),
                  bucket(
                      "task-definition-write",
                      20,
                      5,
                      ASSUMED,
                      "RegisterTaskDefinition",
                      "DeregisterTaskDefinition",
                      "DeleteTaskDefinitions"),
                  // a Task's tasks (described only while they run), a migrating Service's tasks
                  bucket(
                      "task-read",
                      50,
                      20,
                      ASSUMED,
                      "DescribeTasks",
                      "ListTasks",
                      "DescribeContainerInstances"),
                  bucket("task-write", 20, 5, ASSUMED, "RunTask", "StopTask"),
                  bucket(
                      "tags",
                      20,
                      5,
                      ASSUMED,
                      "TagResource",
                      "UntagResource",
                      "ListTagsForResource")),
              bucket("other", 20, 5, ASSUMED)),
          "elbv2",
          new ServiceLimits(
              "elbv2",
              List.of(
                  bucket(
                      "describe",
                      40,
                      10,
                      DOCUMENTED,
                      "DescribeListeners",
                      "DescribeLoadBalancers",
                      "DescribeRules",
                      "DescribeTags",
                      "DescribeTargetGroupAttributes",
                      "DescribeTargetGroups",
                      "DescribeTargetHealth")),
              // mutating actions: CreateRule, ModifyRule, SetRulePriorities, CreateTargetGroup...
              bucket("mutating", 20, 5, ASSUMED)),
          "iam",
          new ServiceLimits(
              "iam",
              List.of(
                  bucket(
                      "read",
                      20,
                      10,
                      ASSUMED,
                      "GetRole",
                      "GetRolePolicy",
                      "ListRolePolicies",
                      "ListAttachedRolePolicies")),
              bucket("write", 10, 2, ASSUMED)),
          "autoscaling",
          new ServiceLimits(
              "autoscaling",
              List.of(
                  bucket(
                      "describe",
                      20,
                      10,
                      ASSUMED,
                      "DescribeScalableTargets",
                      "DescribeScalingPolicies")),
              bucket("write", 10, 2, ASSUMED)),
          "eks",
          new ServiceLimits("eks", List.of(), bucket("all", 10, 5, ASSUMED)),
          "sts",
          new ServiceLimits("sts", List.of(), bucket("all", 50, 20, ASSUMED)),
          "ec2",
          new ServiceLimits("ec2", List.of(), bucket("all", 20, 5, ASSUMED)),
          "scheduler",
          new ServiceLimits(
              "scheduler",
              List.of(
                  bucket(
                      "read", 50, 20, ASSUMED, "GetSchedule", "GetScheduleGroup", "ListSchedules")),
              bucket("write", 10, 5, ASSUMED)));

  private AwsRateLimits() {}

  /** The limits of the AwsClientFactory service {@code service}. */
  public static ServiceLimits of(String service) {
    ServiceLimits limits = SERVICES.get(service);
    if (limits == null) {
      throw new IllegalArgumentException("no rate limits for AWS service " + service);
    }
    return limits;
  }
}
