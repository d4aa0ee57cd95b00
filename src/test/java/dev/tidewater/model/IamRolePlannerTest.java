package dev.tidewater.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tidewater.model.IamRoleChange.AttachRolePolicy;
import dev.tidewater.model.IamRoleChange.CreateRole;
import dev.tidewater.model.IamRoleChange.DeleteRolePolicy;
import dev.tidewater.model.IamRoleChange.DetachRolePolicy;
import dev.tidewater.model.IamRoleChange.PutRolePermissionsBoundary;
import dev.tidewater.model.IamRoleChange.PutRolePolicy;
import dev.tidewater.model.IamRoleChange.TagRole;
import dev.tidewater.model.IamRoleChange.UntagRole;
import dev.tidewater.model.IamRoleChange.UpdateAssumeRolePolicy;
import dev.tidewater.model.IamRoleChange.UpdateRole;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class IamRolePlannerTest {

  private static final String READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess";
  private static final String S3_READ = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess";
  private static final String BOUNDARY = "arn:aws:iam::123456789012:policy/boundary";
  private static final JsonNode TRUST =
      TrustPolicies.document(List.of(new TrustPolicies.EcsTasks()));
  private static final JsonNode ASSETS =
      PolicyDocuments.parse(
          "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
              + "\"Action\":[\"s3:GetObject\"],\"Resource\":[\"arn:aws:s3:::assets/*\"]}]}");
  private static final JsonNode QUEUE =
      PolicyDocuments.parse(
          "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\","
              + "\"Action\":\"sqs:SendMessage\",\"Resource\":\"*\"}}");

  private static DesiredIamRole desired() {
    return new DesiredIamRole(
        "shop-web",
        "/tidewater/",
        "web tasks",
        3600,
        TRUST,
        new TreeMap<>(Map.of("assets", ASSETS, "queue", QUEUE)),
        new TreeSet<>(Set.of(READ_ONLY, S3_READ)),
        Optional.of(BOUNDARY),
        Map.of("tidewater.dev/owner", "TaskRole/shop/web", "team", "web"));
  }

  /** The desired role as IAM reports it back: URL-encoded, single values, other order. */
  private static ObservedIamRole converged() {
    return new ObservedIamRole(
        "arn:aws:iam::123456789012:role/tidewater/shop-web",
        "/tidewater/",
        "web tasks",
        3600,
        PolicyDocuments.parse(
            URLEncoder.encode(PolicyDocuments.text(TRUST), StandardCharsets.UTF_8)),
        Map.of(
            "queue",
            PolicyDocuments.parse(
                "{\"Statement\":[{\"Resource\":[\"*\"],\"Action\":[\"sqs:SendMessage\"],"
                    + "\"Effect\":\"Allow\"}],\"Version\":\"2012-10-17\"}"),
            "assets",
            PolicyDocuments.parse(
                URLEncoder.encode(PolicyDocuments.text(ASSETS), StandardCharsets.UTF_8))),
        Set.of(S3_READ, READ_ONLY),
        Optional.of(BOUNDARY),
        Map.of("team", "web", "tidewater.dev/owner", "TaskRole/shop/web"));
  }

  private static ObservedIamRole with(
      ObservedIamRole o,
      JsonNode trust,
      Map<String, JsonNode> inline,
      Set<String> managed,
      Optional<String> boundary,
      Map<String, String> tags) {
    return new ObservedIamRole(
        o.arn(),
        o.path(),
        o.description(),
        o.maxSessionDuration(),
        trust,
        inline,
        managed,
        boundary,
        tags);
  }

  @Test
  void aMissingRoleIsCreatedWithEverythingThenItsPolicies() {
    var plan = IamRolePlanner.plan(desired(), Optional.empty());
    assertThat(plan.changes())
        .containsExactly(
            new CreateRole(desired()),
            new PutRolePolicy("assets", ASSETS),
            new PutRolePolicy("queue", QUEUE),
            new AttachRolePolicy(S3_READ),
            new AttachRolePolicy(READ_ONLY));
  }

  @Test
  void aConvergedRoleAsIamReturnsItPlansNothing() {
    var plan = IamRolePlanner.plan(desired(), Optional.of(converged()));
    assertThat(plan.changes()).isEmpty();
    assertThat(plan.warnings()).isEmpty();
  }

  @Test
  void removedPoliciesAreDeletedAndDetached() {
    DesiredIamRole d = desired();
    DesiredIamRole fewer =
        new DesiredIamRole(
            d.name(),
            d.path(),
            d.description(),
            d.maxSessionDuration(),
            d.trustPolicy(),
            new TreeMap<>(Map.of("assets", ASSETS)),
            new TreeSet<>(Set.of(S3_READ)),
            d.permissionsBoundary(),
            d.tags());
    assertThat(IamRolePlanner.plan(fewer, Optional.of(converged())).changes())
        .containsExactly(new DeleteRolePolicy("queue"), new DetachRolePolicy(READ_ONLY));
  }

  @Test
  void aChangedInlinePolicyIsPutAgain() {
    ObservedIamRole o = converged();
    Map<String, JsonNode> inline = new HashMap<>(o.inlinePolicies());
    inline.put("queue", PolicyDocuments.parse(PolicyDocuments.text(QUEUE).replace("*", "arn:x")));
    assertThat(
            IamRolePlanner.plan(
                    desired(),
                    Optional.of(
                        with(
                            o,
                            o.trustPolicy(),
                            inline,
                            o.managedPolicyArns(),
                            o.permissionsBoundary(),
                            o.tags())))
                .changes())
        .containsExactly(new PutRolePolicy("queue", QUEUE));
  }

  @Test
  void anotherTrustPolicyIsReplaced() {
    ObservedIamRole o = converged();
    JsonNode podIdentity = TrustPolicies.document(List.of(new TrustPolicies.PodIdentity()));
    assertThat(
            IamRolePlanner.plan(
                    desired(),
                    Optional.of(
                        with(
                            o,
                            podIdentity,
                            o.inlinePolicies(),
                            o.managedPolicyArns(),
                            o.permissionsBoundary(),
                            o.tags())))
                .changes())
        .containsExactly(new UpdateAssumeRolePolicy(TRUST));
  }

  @Test
  void tagsAreAddedChangedAndRemovedButAwsTagsStay() {
    ObservedIamRole o = converged();
    Map<String, String> tags =
        Map.of("team", "ops", "old", "x", "aws:cloudformation:stack-name", "s");
    assertThat(
            IamRolePlanner.plan(
                    desired(),
                    Optional.of(
                        with(
                            o,
                            o.trustPolicy(),
                            o.inlinePolicies(),
                            o.managedPolicyArns(),
                            o.permissionsBoundary(),
                            tags)))
                .changes())
        .containsExactly(
            new TagRole(Map.of("team", "web", "tidewater.dev/owner", "TaskRole/shop/web")),
            new UntagRole(Set.of("old")));
  }

  @Test
  void boundaryIsPutWhenDifferentAndNeverRemoved() {
    ObservedIamRole o = converged();
    assertThat(
            IamRolePlanner.plan(
                    desired(),
                    Optional.of(
                        with(
                            o,
                            o.trustPolicy(),
                            o.inlinePolicies(),
                            o.managedPolicyArns(),
                            Optional.empty(),
                            o.tags())))
                .changes())
        .containsExactly(new PutRolePermissionsBoundary(BOUNDARY));
    DesiredIamRole d = desired();
    DesiredIamRole unbounded =
        new DesiredIamRole(
            d.name(),
            d.path(),
            d.description(),
            d.maxSessionDuration(),
            d.trustPolicy(),
            d.inlinePolicies(),
            d.managedPolicyArns(),
            Optional.empty(),
            d.tags());
    // the operator's IAM policy allows no DeleteRolePermissionsBoundary: a boundary only changes
    assertThat(IamRolePlanner.plan(unbounded, Optional.of(o)).changes()).isEmpty();
  }

  @Test
  void descriptionAndSessionDurationGoInOneUpdateRole() {
    DesiredIamRole d = desired();
    DesiredIamRole longer =
        new DesiredIamRole(
            d.name(),
            d.path(),
            "",
            7200,
            d.trustPolicy(),
            d.inlinePolicies(),
            d.managedPolicyArns(),
            d.permissionsBoundary(),
            d.tags());
    assertThat(IamRolePlanner.plan(longer, Optional.of(converged())).changes())
        .containsExactly(new UpdateRole("", 7200));
  }

  @Test
  void anotherPathIsAWarningNotACall() {
    ObservedIamRole o = converged();
    ObservedIamRole elsewhere =
        new ObservedIamRole(
            o.arn(),
            "/",
            o.description(),
            o.maxSessionDuration(),
            o.trustPolicy(),
            o.inlinePolicies(),
            o.managedPolicyArns(),
            o.permissionsBoundary(),
            o.tags());
    var plan = IamRolePlanner.plan(desired(), Optional.of(elsewhere));
    assertThat(plan.changes()).isEmpty();
    assertThat(plan.warnings())
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.reason()).isEqualTo(IamRolePlanner.ROLE_PATH_IMMUTABLE);
              assertThat(w.message()).contains("/tidewater/");
            });
  }
}
