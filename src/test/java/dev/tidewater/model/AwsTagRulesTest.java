package dev.tidewater.model;

import static dev.tidewater.model.ProblemAssertions.assertOnly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.cluster.RoutingSettings;
import dev.tidewater.api.v1alpha1.common.Tag;
import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRouteSpec;
import dev.tidewater.api.v1alpha1.service.EcsServiceSpec;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import dev.tidewater.api.v1alpha1.taskrole.TaskRoleSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Tags as AWS takes them, Tidewater's own counted, in every validator of a tagged kind where the
 * tags go to AWS.
 */
class AwsTagRulesTest {

  private static Tag tag(String key, String value) {
    Tag t = new Tag();
    t.key = key;
    t.value = value;
    return t;
  }

  private static List<Tag> tags(int n) {
    return new ArrayList<>(IntStream.range(0, n).mapToObj(i -> tag("k" + i, "v")).toList());
  }

  private static ValidationContext on(String backend, String routing) {
    ClusterSpec c = new ClusterSpec();
    c.backend = backend;
    if (routing != null) {
      c.routing = new RoutingSettings();
      c.routing.mode = routing;
    }
    return ValidationContext.forCluster(c);
  }

  /**
   * Each tagged kind's validator where its tags go to AWS (the ecs backend), run on a spec with
   * only these tags, with Tidewater's tag count on that kind's objects.
   */
  private static final List<Function<List<Tag>, List<Problem>>> VALIDATORS =
      List.of(
          t -> {
            EcsServiceSpec s = new EcsServiceSpec();
            s.tags = t;
            List<Problem> all = new ArrayList<>(new EcsServiceValidator().validate(s));
            all.addAll(EcsServiceValidator.onEcsBackend(s));
            return all;
          },
          t -> {
            LoadBalancerRouteSpec s = new LoadBalancerRouteSpec();
            s.tags = t;
            return new LoadBalancerRouteValidator().validate(s, on("ecs", null));
          },
          t -> {
            TaskRoleSpec s = new TaskRoleSpec();
            s.tags = t;
            return new TaskRoleValidator().validate(s, ValidationContext.NONE);
          });

  private static List<Problem> tagProblems(List<Problem> all) {
    return all.stream().filter(p -> p.path().startsWith("tags")).toList();
  }

  @Test
  void fortySevenTagsFitWithOursFortyEightDoNot() {
    assertThat(AwsTagRules.validate(tags(47), "tags")).isEmpty();
    assertOnly(
        AwsTagRules.validate(tags(48), "tags"),
        "tags",
        AwsTagRules.TOO_MANY_TAGS,
        "48 tags plus Tidewater's 3",
        "at most 47");
  }

  @Test
  void reservedLongAndRepeatedKeysAreRefusedByIndex() {
    List<Tag> t =
        List.of(
            tag("team", "web"),
            tag("aws:cloudformation:stack-name", "x"),
            tag("AWS:Owner", "x"),
            tag("tidewater.dev/owner", "me"),
            tag("k".repeat(129), "x"),
            tag("long", "v".repeat(257)),
            tag("team", "again"));
    assertThat(AwsTagRules.validate(t, "tags"))
        .extracting(Problem::path, Problem::reason)
        .containsExactly(
            tuple("tags[1].key", AwsTagRules.INVALID_TAG),
            tuple("tags[2].key", AwsTagRules.INVALID_TAG),
            tuple("tags[3].key", AwsTagRules.INVALID_TAG),
            tuple("tags[4].key", AwsTagRules.INVALID_TAG),
            tuple("tags[5].value", AwsTagRules.INVALID_TAG),
            tuple("tags[6].key", AwsTagRules.INVALID_TAG));
    assertThat(AwsTagRules.validate(t, "tags").get(0).message()).contains("aws:");
  }

  @Test
  void everyTaggedKindsValidatorChecksItsTags() {
    for (var validator : VALIDATORS) {
      assertThat(tagProblems(validator.apply(tags(48))))
          .extracting(Problem::path, Problem::reason)
          .containsExactly(tuple("tags", AwsTagRules.TOO_MANY_TAGS));
      assertThat(tagProblems(validator.apply(List.of(tag("aws:x", "y")))))
          .extracting(Problem::path)
          .containsExactly("tags[0].key");
      assertThat(tagProblems(validator.apply(tags(47)))).isEmpty();
    }
  }

  /** A revision carries tidewater.dev/hash too: 47 user tags would be 51 (finding 5). */
  @Test
  void taskDefinitionsTakeFortySixTagsBecauseRevisionsCarryTheHashTag() {
    TaskDefinitionSpec s = new TaskDefinitionSpec();
    s.tags = tags(47);
    assertThat(tagProblems(new TaskDefinitionValidator().validate(s, on("ecs", null))))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.reason()).isEqualTo(AwsTagRules.TOO_MANY_TAGS);
              assertThat(p.message()).contains("47 tags plus Tidewater's 4", "hash", "at most 46");
            });
    s.tags = tags(46);
    assertThat(tagProblems(new TaskDefinitionValidator().validate(s, on("ecs", null)))).isEmpty();
    s.tags = List.of(tag("aws:x", "y"));
    assertThat(tagProblems(new TaskDefinitionValidator().validate(s)))
        .extracting(Problem::path)
        .containsExactly("tags[0].key");
  }

  /**
   * Where tags reach no AWS object (the kubernetes backend; a route in ingress or gateway mode),
   * AWS's rules refuse nothing: existing objects stay valid after an upgrade (finding 19).
   */
  @Test
  void tagsThatReachNoAwsObjectAreNotRefused() {
    List<Tag> bad = new ArrayList<>(tags(48));
    bad.add(tag("aws:x", "y"));
    TaskDefinitionSpec td = new TaskDefinitionSpec();
    td.tags = bad;
    assertThat(tagProblems(new TaskDefinitionValidator().validate(td, on("kubernetes", null))))
        .isEmpty();
    EcsServiceSpec service = new EcsServiceSpec();
    service.tags = bad;
    assertThat(tagProblems(new EcsServiceValidator().validate(service))).isEmpty();
    LoadBalancerRouteSpec route = new LoadBalancerRouteSpec();
    route.tags = bad;
    for (String mode : List.of("ingress", "gateway")) {
      assertThat(
              tagProblems(new LoadBalancerRouteValidator().validate(route, on("kubernetes", mode))))
          .as(mode)
          .isEmpty();
    }
    // the aws routing mode writes target groups and rules: AWS's rules apply
    assertThat(
            tagProblems(new LoadBalancerRouteValidator().validate(route, on("kubernetes", "aws"))))
        .isNotEmpty();
    // offline, without a Cluster: assume AWS
    assertThat(
            tagProblems(new LoadBalancerRouteValidator().validate(route, ValidationContext.NONE)))
        .isNotEmpty();
  }
}
