package dev.tidewater.model;

import static dev.tidewater.model.ProblemAssertions.assertOnly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

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

/** Tags as AWS takes them, Tidewater's three counted, in every validator of a tagged kind. */
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

  /** Each tagged kind's validator, run on a spec with only these tags. */
  private static final List<Function<List<Tag>, List<Problem>>> VALIDATORS =
      List.of(
          t -> {
            TaskDefinitionSpec s = new TaskDefinitionSpec();
            s.tags = t;
            return new TaskDefinitionValidator().validate(s);
          },
          t -> {
            EcsServiceSpec s = new EcsServiceSpec();
            s.tags = t;
            return new EcsServiceValidator().validate(s);
          },
          t -> {
            LoadBalancerRouteSpec s = new LoadBalancerRouteSpec();
            s.tags = t;
            return new LoadBalancerRouteValidator().validate(s);
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
}
