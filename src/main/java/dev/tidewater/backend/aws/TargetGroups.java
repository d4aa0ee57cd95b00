package dev.tidewater.backend.aws;

import dev.tidewater.api.v1alpha1.loadbalancerroute.TargetHealthCheck;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.CreateTargetGroupRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupNotFoundException;

/**
 * ELBv2 target groups of LoadBalancerRoutes (aws routing mode and the ecs backend alike): found by
 * ARN, else by name and owner tags, before one is created (DESIGN.md rule 4); health check drift is
 * corrected with ModifyTargetGroup; nothing is written when nothing differs.
 */
public final class TargetGroups {

  /**
   * The target group to have.
   *
   * @param name the name a new group gets (the unambiguous scheme)
   * @param targetType {@code ip} (awsvpc, Kubernetes pods) or {@code instance} (bridge / host); a
   *     group of the other type is replaced (the type of a target group cannot be changed)
   * @param legacyName the name an earlier version gave the group (docs/naming.md): a group under it
   *     is used only when its owner tags say it is this route's
   */
  public record Desired(
      String name,
      String protocol,
      int port,
      String targetType,
      TargetHealthCheck healthCheck,
      Integer deregistrationDelaySeconds,
      Map<String, String> tags,
      String legacyName) {}

  /**
   * The outcome: the group's ARN, or why a group under our name is not ours; {@code replaced} is
   * the known group of another target type this one replaces.
   */
  public record Result(String arn, Optional<String> nameConflict, Optional<String> replaced) {
    Result(String arn, Optional<String> nameConflict) {
      this(arn, nameConflict, Optional.empty());
    }

    static Result conflict(String message) {
      return new Result(null, Optional.of(message));
    }
  }

  private TargetGroups() {}

  /**
   * Finds (by {@code knownArn}, then by name and tags) or creates the group, and corrects its
   * health check.
   *
   * @param vpcId asked only when the group must be created (one DescribeLoadBalancers)
   */
  public static Result ensure(
      ElasticLoadBalancingV2Client elb,
      HasMetadata owner,
      Desired desired,
      String knownArn,
      boolean adopt,
      java.util.function.Supplier<String> vpcId) {
    Optional<TargetGroup> found = Optional.empty();
    Optional<String> replaced = Optional.empty();
    if (knownArn != null) {
      found = describe(elb, List.of(knownArn), null);
      if (found.isPresent() && !desired.targetType().equals(found.get().targetTypeAsString())) {
        replaced = Optional.of(knownArn);
        found = Optional.empty();
        knownArn = null;
      }
    }
    if (found.isPresent() && !CLUSTER_TAGGED.contains(found.get().targetGroupArn())) {
      // a group made before Tidewater tagged clusters gets this cluster's tag, once per process
      // (a resync of a tagged group reads its tags no more)
      String arn = found.get().targetGroupArn();
      Map<String, String> tags = tags(elb, arn);
      if (AwsOwnership.claim(owner, tags).ours()) {
        retag(elb, arn, owner, desired, tags);
      }
      rememberTagged(arn);
    }
    if (found.isEmpty()) {
      found = describe(elb, null, desired.name());
      if (found.isPresent()) {
        String arn = found.get().targetGroupArn();
        Map<String, String> tags = tags(elb, arn);
        AwsOwnership.Claim claim = AwsOwnership.claim(owner, tags);
        if (!claim.usable(adopt)) {
          return Result.conflict(
              "target group "
                  + desired.name()
                  + " exists and was not created by Tidewater for this LoadBalancerRoute"
                  + claim.conflictHint(tags));
        }
        // ours, an earlier incarnation's or claimed with adopt: true; nothing written when tagged
        retag(elb, arn, owner, desired, tags);
        rememberTagged(arn);
      }
    }
    if (found.isEmpty()
        && desired.legacyName() != null
        && !desired.legacyName().equals(desired.name())) {
      // an earlier version's group under the old name (a crash before status recorded its ARN,
      // or status lost): kept when ours, never taken by name alone, not even with adopt: true
      Optional<TargetGroup> old = describe(elb, null, desired.legacyName());
      if (old.isPresent() && desired.targetType().equals(old.get().targetTypeAsString())) {
        String arn = old.get().targetGroupArn();
        Map<String, String> tags = tags(elb, arn);
        if (AwsOwnership.claim(owner, tags).ours()) {
          retag(elb, arn, owner, desired, tags);
          rememberTagged(arn);
          found = old;
        }
      }
    }
    if (found.isEmpty()) {
      return new Result(create(elb, desired, vpcId.get()), Optional.empty(), replaced);
    }
    TargetGroup tg = found.get();
    if (knownArn == null && desired.deregistrationDelaySeconds() != null) {
      // found by name: maybe a crash came between CreateTargetGroup and its attributes
      setDelayIfDiffers(elb, tg.targetGroupArn(), desired.deregistrationDelaySeconds());
    }
    if (healthCheckDiffers(tg, desired.healthCheck())) {
      elb.modifyTargetGroup(
          r -> {
            r.targetGroupArn(tg.targetGroupArn());
            healthCheck(desired.healthCheck(), r);
          });
    }
    return new Result(tg.targetGroupArn(), Optional.empty(), replaced);
  }

  /**
   * Deletes a target group unless a listener or rule still forwards to it (ELBv2 answers
   * ResourceInUse then); gone already counts as deleted.
   *
   * @return whether it is gone
   */
  public static boolean deleteIfUnused(ElasticLoadBalancingV2Client elb, String arn) {
    try {
      delete(elb, arn);
      return true;
    } catch (
        software.amazon.awssdk.services.elasticloadbalancingv2.model.ResourceInUseException inUse) {
      return false;
    }
  }

  /** Deletes a target group; gone already is fine. */
  public static void delete(ElasticLoadBalancingV2Client elb, String arn) {
    try {
      elb.deleteTargetGroup(r -> r.targetGroupArn(arn));
    } catch (TargetGroupNotFoundException gone) {
      // deleted before (a crash after the call, or by hand)
    }
  }

  private static Optional<TargetGroup> describe(
      ElasticLoadBalancingV2Client elb, List<String> arns, String name) {
    try {
      String marker = null;
      do {
        String m = marker;
        var response =
            elb.describeTargetGroups(
                r -> {
                  if (arns != null) r.targetGroupArns(arns);
                  else r.names(name);
                  if (m != null) r.marker(m);
                });
        if (!response.targetGroups().isEmpty()) {
          return Optional.of(response.targetGroups().get(0));
        }
        marker = response.nextMarker();
      } while (marker != null);
      return Optional.empty();
    } catch (TargetGroupNotFoundException e) {
      return Optional.empty();
    }
  }

  static Map<String, String> tags(ElasticLoadBalancingV2Client elb, String arn) {
    return elb.describeTags(r -> r.resourceArns(arn)).tagDescriptions().stream()
        .flatMap(d -> d.tags().stream())
        .collect(Collectors.toMap(Tag::key, Tag::value, (a, b) -> b));
  }

  /**
   * Target groups whose ownership tags (this cluster's included) were seen complete or written by
   * this process: bounded by the groups it manages, cleared by {@link #forgetTagged} in tests.
   */
  private static final Set<String> CLUSTER_TAGGED = ConcurrentHashMap.newKeySet();

  private static final int MAX_REMEMBERED = 100_000;

  private static void rememberTagged(String arn) {
    if (CLUSTER_TAGGED.size() >= MAX_REMEMBERED) CLUSTER_TAGGED.clear();
    CLUSTER_TAGGED.add(arn);
  }

  /** For tests: the next ensure of every group reads its tags again. */
  static void forgetTagged() {
    CLUSTER_TAGGED.clear();
  }

  /** Adds the ownership (and user) tags {@code observed} lacks; writes nothing when none. */
  private static void retag(
      ElasticLoadBalancingV2Client elb,
      String arn,
      HasMetadata owner,
      Desired desired,
      Map<String, String> observed) {
    for (Map<String, String> write :
        AwsOwnership.tagWrites(AwsOwnership.tags(owner, desired.tags()), observed)) {
      elb.addTags(r -> r.resourceArns(arn).tags(sdkTags(write)));
    }
  }

  static List<Tag> sdkTags(Map<String, String> tags) {
    return tags.entrySet().stream()
        .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
        .toList();
  }

  private static String create(ElasticLoadBalancingV2Client elb, Desired d, String vpcId) {
    CreateTargetGroupRequest.Builder b =
        CreateTargetGroupRequest.builder()
            .name(d.name())
            .protocol(d.protocol())
            .port(d.port())
            .targetType(d.targetType())
            .vpcId(vpcId)
            .tags(sdkTags(d.tags()));
    healthCheckCreate(d.healthCheck(), b);
    String arn = elb.createTargetGroup(b.build()).targetGroups().get(0).targetGroupArn();
    if (d.deregistrationDelaySeconds() != null) {
      setDelay(elb, arn, d.deregistrationDelaySeconds());
    }
    return arn;
  }

  private static final String DELAY = "deregistration_delay.timeout_seconds";

  private static void setDelay(ElasticLoadBalancingV2Client elb, String arn, int seconds) {
    elb.modifyTargetGroupAttributes(
        r -> r.targetGroupArn(arn).attributes(a -> a.key(DELAY).value(String.valueOf(seconds))));
  }

  private static void setDelayIfDiffers(ElasticLoadBalancingV2Client elb, String arn, int seconds) {
    String current =
        elb.describeTargetGroupAttributes(r -> r.targetGroupArn(arn)).attributes().stream()
            .filter(a -> DELAY.equals(a.key()))
            .map(a -> a.value())
            .findFirst()
            .orElse(null);
    if (!String.valueOf(seconds).equals(current)) {
      setDelay(elb, arn, seconds);
    }
  }

  private static void healthCheckCreate(TargetHealthCheck h, CreateTargetGroupRequest.Builder b) {
    if (h == null) return;
    if (h.path != null) b.healthCheckPath(h.path);
    if (h.protocol != null) b.healthCheckProtocol(h.protocol);
    if (h.port != null) b.healthCheckPort(h.port);
    if (h.matcher != null) b.matcher(m -> m.httpCode(h.matcher));
    if (h.intervalSeconds != null) b.healthCheckIntervalSeconds(h.intervalSeconds);
    if (h.timeoutSeconds != null) b.healthCheckTimeoutSeconds(h.timeoutSeconds);
    if (h.healthyThresholdCount != null) b.healthyThresholdCount(h.healthyThresholdCount);
    if (h.unhealthyThresholdCount != null) b.unhealthyThresholdCount(h.unhealthyThresholdCount);
  }

  private static void healthCheck(
      TargetHealthCheck h,
      software.amazon.awssdk.services.elasticloadbalancingv2.model.ModifyTargetGroupRequest.Builder
          b) {
    if (h.path != null) b.healthCheckPath(h.path);
    if (h.protocol != null) b.healthCheckProtocol(h.protocol);
    if (h.port != null) b.healthCheckPort(h.port);
    if (h.matcher != null) b.matcher(m -> m.httpCode(h.matcher));
    if (h.intervalSeconds != null) b.healthCheckIntervalSeconds(h.intervalSeconds);
    if (h.timeoutSeconds != null) b.healthCheckTimeoutSeconds(h.timeoutSeconds);
    if (h.healthyThresholdCount != null) b.healthyThresholdCount(h.healthyThresholdCount);
    if (h.unhealthyThresholdCount != null) b.unhealthyThresholdCount(h.unhealthyThresholdCount);
  }

  /** Only the fields the spec sets are compared: unset ones are AWS's defaults, not drift. */
  static boolean healthCheckDiffers(TargetGroup tg, TargetHealthCheck h) {
    if (h == null) return false;
    return differs(h.path, tg.healthCheckPath())
        || differs(h.protocol, tg.healthCheckProtocolAsString())
        || differs(h.port, tg.healthCheckPort())
        || differs(h.matcher, tg.matcher() == null ? null : tg.matcher().httpCode())
        || differs(h.intervalSeconds, tg.healthCheckIntervalSeconds())
        || differs(h.timeoutSeconds, tg.healthCheckTimeoutSeconds())
        || differs(h.healthyThresholdCount, tg.healthyThresholdCount())
        || differs(h.unhealthyThresholdCount, tg.unhealthyThresholdCount());
  }

  private static boolean differs(Object wanted, Object observed) {
    return wanted != null && !wanted.equals(observed);
  }
}
