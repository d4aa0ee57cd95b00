package dev.tidewater.backend.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.tidewater.aws.AwsCallCounter;
import dev.tidewater.aws.AwsClientFactory;
import dev.tidewater.aws.AwsClientOptions;
import dev.tidewater.aws.AwsContext;
import dev.tidewater.aws.AwsCredentialsSource;
import dev.tidewater.backend.aws.RecordedAwsRequests.Answer;
import dev.tidewater.backend.aws.RecordedAwsRequests.Request;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The EKS Pod Identity requests of a TaskRole at the SDK-request level (moto has no Pod Identity
 * API): what is listed, created, updated and deleted, with which fields.
 */
class PodIdentityAssociationsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ROLE = "arn:aws:iam::123456789012:role/tidewater/shop-web";
  private static final String OTHER_ROLE = "arn:aws:iam::123456789012:role/elsewhere";
  private static final Map<String, String> TAGS =
      Map.of("tidewater.dev/owner", "TaskRole/shop/web", "tidewater.dev/uid", "u-1");

  private HttpServer stub;
  private AwsClientFactory clients;
  private RecordedAwsRequests recorded;
  private AwsContext ctx;
  private PodIdentityAssociations associations;

  @BeforeEach
  void start() throws IOException {
    // the HTTP exchange needs a peer; its answers are replaced by the recorder's canned ones
    stub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    stub.createContext(
        "/",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          exchange.sendResponseHeaders(200, 2);
          exchange.getResponseBody().write("{}".getBytes());
          exchange.close();
        });
    stub.start();
    recorded = new RecordedAwsRequests();
    clients =
        new AwsClientFactory(
            new AwsClientOptions(
                1, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofMillis(5), 1000, 1000),
            new AwsCallCounter(),
            List.of(recorded));
    ctx =
        new AwsContext(
            "eu-west-1",
            Optional.of(URI.create("http://127.0.0.1:" + stub.getAddress().getPort())),
            new AwsCredentialsSource.Static("testing", "testing", Optional.empty()),
            Optional.empty(),
            Optional.empty());
    associations = new PodIdentityAssociations(clients);
  }

  @AfterEach
  void stop() {
    clients.close();
    stub.stop(0);
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

  private static String association(String id, String roleArn) {
    return """
        {"association":{"clusterName":"prod","namespace":"shop","serviceAccount":"web",
         "roleArn":"%s","associationId":"%s"}}"""
        .formatted(roleArn, id);
  }

  private static JsonNode body(Request r) throws IOException {
    return JSON.readTree(r.body());
  }

  @Test
  void aMissingAssociationIsListedThenCreatedForTheServiceAccountAndRole() throws IOException {
    recorded
        .answer("ListPodIdentityAssociations", Answer.ok(list()))
        .answer("CreatePodIdentityAssociation", Answer.ok(association("a-1", ROLE)));

    String id = associations.ensure(ctx, "prod", "shop", "web", ROLE, TAGS);

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
    JsonNode sent = body(create);
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

    assertThat(associations.ensure(ctx, "prod", "shop", "web", ROLE, TAGS)).isEqualTo("a-7");
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
  void anAssociationHandingOutAnotherRoleIsPointedAtOurs() throws IOException {
    recorded
        .answer("ListPodIdentityAssociations", Answer.ok(list("a-7")))
        .answer("DescribePodIdentityAssociation", Answer.ok(association("a-7", OTHER_ROLE)))
        .answer("UpdatePodIdentityAssociation", Answer.ok(association("a-7", ROLE)));

    assertThat(associations.ensure(ctx, "prod", "shop", "web", ROLE, TAGS)).isEqualTo("a-7");
    Request update = recorded.requests().get(2);
    assertThat(update.operation()).isEqualTo("UpdatePodIdentityAssociation");
    assertThat(update.method()).isEqualTo("POST");
    assertThat(update.path()).isEqualTo("/clusters/prod/pod-identity-associations/a-7");
    assertThat(body(update).get("roleArn").asText()).isEqualTo(ROLE);
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
