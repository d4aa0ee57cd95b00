package dev.tidewater.backend.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tidewater.api.v1alpha1.taskrole.TaskRole;
import dev.tidewater.api.v1alpha1.taskrole.TaskRoleSpec;
import dev.tidewater.aws.AwsContext;
import dev.tidewater.testing.LoopbackAws;
import dev.tidewater.testing.RecordedAwsRequests;
import dev.tidewater.testing.RecordedAwsRequests.Answer;
import dev.tidewater.testing.RecordedAwsRequests.Request;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The EKS Pod Identity requests of a TaskRole at the SDK-request level (moto has no Pod Identity
 * API): what is listed, created, updated and deleted, with which fields.
 */
class PodIdentityAssociationsTest {

  private static final String ROLE = "arn:aws:iam::123456789012:role/tidewater/shop-web";
  private static final String OTHER_ROLE = "arn:aws:iam::123456789012:role/elsewhere";

  private LoopbackAws aws;
  private RecordedAwsRequests recorded;
  private AwsContext ctx;
  private PodIdentityAssociations associations;

  @BeforeEach
  void start() {
    // EKS speaks REST JSON; the loopback stub's answers are replaced by the recorder's canned ones
    aws = new LoopbackAws("eu-west-1", RecordedAwsRequests.restJson());
    recorded = aws.recorded;
    ctx = aws.context;
    associations = new PodIdentityAssociations(aws.clients);
  }

  @AfterEach
  void stop() {
    aws.close();
  }

  private static String list(String... ids) {
    StringBuilder items = new StringBuilder();
    for (String id : ids) {
      if (items.length() > 0) items.append(',');
      items.append(
          """
          {"clusterName":"prod","namespace":"shop","serviceAccount":"web","associationId":"%s",
           "associationArn":"arn:aws:eks:eu-west-1:123456789012:podidentityassociation/prod/%s"}"""
              .formatted(id, id));
    }
    return "{\"associations\":[" + items + "]}";
  }

  /** An association tagged for TaskRole shop/web. */
  private static String association(String id, String roleArn) {
    return association(
        id, roleArn, "\"tidewater.dev/owner\":\"TaskRole/shop/web\",\"tidewater.dev/uid\":\"u-1\"");
  }

  private static String association(String id, String roleArn, String tags) {
    return """
        {"association":{"clusterName":"prod","namespace":"shop","serviceAccount":"web",
         "roleArn":"%s","associationId":"%s","tags":{%s}}}"""
        .formatted(roleArn, id, tags);
  }

  private static TaskRole web(Boolean adopt) {
    TaskRole role = new TaskRole();
    role.setMetadata(
        new ObjectMetaBuilder().withName("web").withNamespace("shop").withUid("u-1").build());
    role.setSpec(new TaskRoleSpec());
    role.getSpec().adopt = adopt;
    return role;
  }

  @Test
  void aMissingAssociationIsListedThenCreatedForTheServiceAccountAndRole() {
    recorded
        .answer("ListPodIdentityAssociations", Answer.ok(list()))
        .answer("CreatePodIdentityAssociation", Answer.ok(association("a-1", ROLE)));

    String id = associations.ensure(ctx, "prod", "shop", "web", ROLE, web(null), null);

    assertThat(id).isEqualTo("a-1");
    List<Request> requests = recorded.requests();
    assertThat(requests)
        .extracting(Request::operation)
        .containsExactly("ListPodIdentityAssociations", "CreatePodIdentityAssociation");
    Request list = requests.get(0);
    assertThat(list.method()).isEqualTo("GET");
    assertThat(list.path()).isEqualTo("/clusters/prod/pod-identity-associations");
    assertThat(list.query())
        .containsEntry("namespace", List.of("shop"))
        .containsEntry("serviceAccount", List.of("web"));
    Request create = requests.get(1);
    assertThat(create.method()).isEqualTo("POST");
    assertThat(create.path()).isEqualTo("/clusters/prod/pod-identity-associations");
    JsonNode sent = create.json();
    assertThat(sent.get("namespace").asText()).isEqualTo("shop");
    assertThat(sent.get("serviceAccount").asText()).isEqualTo("web");
    assertThat(sent.get("roleArn").asText()).isEqualTo(ROLE);
    assertThat(sent.get("tags").get("tidewater.dev/owner").asText()).isEqualTo("TaskRole/shop/web");
    assertThat(sent.get("clientRequestToken").asText())
        .as("the SDK's idempotency token: a retried create makes no second association")
        .isNotBlank();
  }

  @Test
  void anExistingAssociationForTheRoleIsKeptWithoutWrites() {
    recorded
        .answer("ListPodIdentityAssociations", Answer.ok(list("a-7")))
        .answer("DescribePodIdentityAssociation", Answer.ok(association("a-7", ROLE)));

    assertThat(associations.ensure(ctx, "prod", "shop", "web", ROLE, web(null), null))
        .isEqualTo("a-7");
    assertThat(recorded.requests())
        .extracting(Request::operation, Request::method, Request::path)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "ListPodIdentityAssociations", "GET", "/clusters/prod/pod-identity-associations"),
            org.assertj.core.groups.Tuple.tuple(
                "DescribePodIdentityAssociation",
                "GET",
                "/clusters/prod/pod-identity-associations/a-7"));
  }

  @Test
  void anAssociationHandingOutAnotherRoleIsPointedAtOurs() {
    recorded
        .answer("ListPodIdentityAssociations", Answer.ok(list("a-7")))
        .answer("DescribePodIdentityAssociation", Answer.ok(association("a-7", OTHER_ROLE)))
        .answer("UpdatePodIdentityAssociation", Answer.ok(association("a-7", ROLE)));

    assertThat(associations.ensure(ctx, "prod", "shop", "web", ROLE, web(null), null))
        .isEqualTo("a-7");
    Request update = recorded.requests().get(2);
    assertThat(update.operation()).isEqualTo("UpdatePodIdentityAssociation");
    assertThat(update.method()).isEqualTo("POST");
    assertThat(update.path()).isEqualTo("/clusters/prod/pod-identity-associations/a-7");
    assertThat(update.json().get("roleArn").asText()).isEqualTo(ROLE);
  }

  /**
   * Issue 19: an association of the ServiceAccount that Tidewater did not make for this TaskRole is
   * not pointed at its role (a NameConflict naming the association); with adopt: true an untagged
   * one is, never one tagged for another namespace's TaskRole.
   */
  @Test
  void anAssociationNotMadeForThisTaskRoleIsLeftAloneUnlessUntaggedAndAdopted() {
    recorded
        .answer("ListPodIdentityAssociations", Answer.ok(list("a-7")))
        .answer("DescribePodIdentityAssociation", Answer.ok(association("a-7", OTHER_ROLE, "")));
    assertThatThrownBy(() -> associations.ensure(ctx, "prod", "shop", "web", ROLE, web(null), null))
        .isInstanceOf(PodIdentityAssociations.ForeignAssociation.class)
        .hasMessageContaining("association a-7")
        .hasMessageContaining("ServiceAccount shop/web")
        .hasMessageContaining("adopt: true");
    assertThat(recorded.requests())
        .extracting(Request::operation)
        .doesNotContain("UpdatePodIdentityAssociation");

    recorded
        .answer("ListPodIdentityAssociations", Answer.ok(list("a-7")))
        .answer(
            "DescribePodIdentityAssociation",
            Answer.ok(
                association(
                    "a-7",
                    OTHER_ROLE,
                    "\"tidewater.dev/owner\":\"TaskRole/shop-web/x\",\"tidewater.dev/uid\":\"u-9\"")));
    assertThatThrownBy(() -> associations.ensure(ctx, "prod", "shop", "web", ROLE, web(true), true))
        .isInstanceOf(PodIdentityAssociations.ForeignAssociation.class)
        .hasMessageContaining("TaskRole/shop-web/x");

    recorded
        .answer("ListPodIdentityAssociations", Answer.ok(list("a-7")))
        .answer("DescribePodIdentityAssociation", Answer.ok(association("a-7", OTHER_ROLE, "")))
        .answer("UpdatePodIdentityAssociation", Answer.ok(association("a-7", ROLE)));
    assertThat(associations.ensure(ctx, "prod", "shop", "web", ROLE, web(true), true))
        .isEqualTo("a-7");
  }

  @Test
  void deleteSendsTheAssociationIdAndAnAlreadyDeletedOneIsFine() {
    recorded
        .answer("DeletePodIdentityAssociation", Answer.ok(association("a-7", ROLE)))
        .answer("DeletePodIdentityAssociation", Answer.error(404, "ResourceNotFoundException"));

    associations.delete(ctx, "prod", "a-7");
    associations.delete(ctx, "prod", "a-7");

    assertThat(recorded.requests())
        .extracting(Request::operation, Request::method, Request::path)
        .containsOnly(
            org.assertj.core.groups.Tuple.tuple(
                "DeletePodIdentityAssociation",
                "DELETE",
                "/clusters/prod/pod-identity-associations/a-7"))
        .hasSize(2);
  }
}
