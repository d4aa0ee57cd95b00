package dev.tidewater.backend.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.api.v1alpha1.service.EcsServiceSpec;
import dev.tidewater.api.v1alpha1.service.TaskDefinitionRef;
import dev.tidewater.backend.BackendFailure;
import dev.tidewater.backend.ServiceObservation;
import dev.tidewater.backend.ServicePlan;
import dev.tidewater.backend.aws.AwsOwnership;
import dev.tidewater.testing.LoopbackAws;
import dev.tidewater.testing.RecordedAwsRequests;
import dev.tidewater.testing.RecordedAwsRequests.Answer;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Service;

/**
 * The ECS service backend's calls at the SDK-request level against a scripted peer: what real ECS
 * does and emulators do not (a client token remembered after its service was deleted, a new role
 * not yet assumable, paged scaling policies).
 */
class EcsServiceBackendTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CLUSTER = "arn:aws:ecs:us-east-1:123456789012:cluster/apps";
  private static final String TD1 = "arn:aws:ecs:us-east-1:123456789012:task-definition/web:1";
  private static final String SERVICE_ARN =
      "arn:aws:ecs:us-east-1:123456789012:service/apps/shop-web";
  private static final String ROLE = "arn:aws:iam::123456789012:role/tidewater/shop-web";

  private LoopbackAws aws;
  private RecordedAwsRequests peer;
  private final AtomicLong clock = new AtomicLong();

  @BeforeEach
  void start() {
    aws = new LoopbackAws("us-east-1", RecordedAwsRequests.awsJson());
    peer = aws.recorded;
  }

  @AfterEach
  void stop() {
    aws.close();
  }

  private EcsServiceBackend backend() {
    return new EcsServiceBackend(
        aws.clients,
        null,
        Duration.ofMinutes(5),
        Duration.ofHours(1),
        Duration.ofSeconds(5),
        clock::get,
        null);
  }

  private static EcsService service() {
    EcsService service = new EcsService();
    service.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace("shop")
            .withName("web")
            .withUid("6f1c2d7e-0000-4000-8000-000000000001")
            .withGeneration(3L)
            .build());
    EcsServiceSpec spec = new EcsServiceSpec();
    spec.taskDefinitionRef = new TaskDefinitionRef();
    spec.taskDefinitionRef.name = "web";
    spec.launchType = "FARGATE";
    spec.desiredCount = 2;
    service.setSpec(spec);
    return service;
  }

  private EcsServiceBackend.Inputs inputs() {
    return new EcsServiceBackend.Inputs(aws.context, CLUSTER, List.of(), Map.of(1, TD1));
  }

  private static ServicePlan plan() {
    return new ServicePlan(1, null, "web", null, TD1);
  }

  /** An ECS service as DescribeServices / CreateService show it, with our owner tags. */
  private static ObjectNode ecsService(String status, Instant createdAt) {
    ObjectNode s = JSON.createObjectNode();
    s.put("serviceName", EcsServiceBackend.serviceName(service()));
    s.put("serviceArn", SERVICE_ARN);
    s.put("status", status);
    s.put("createdAt", createdAt.getEpochSecond());
    s.put("taskDefinition", TD1);
    s.put("desiredCount", 2);
    s.put("runningCount", 2);
    s.put("pendingCount", 0);
    s.put("launchType", "FARGATE");
    ArrayNode tags = s.putArray("tags");
    AwsOwnership.tags(service(), Map.of())
        .forEach((k, v) -> tags.addObject().put("key", k).put("value", v));
    return s;
  }

  private static String described(ObjectNode... services) {
    ObjectNode out = JSON.createObjectNode();
    ArrayNode list = out.putArray("services");
    for (ObjectNode s : services) list.add(s);
    out.putArray("failures");
    return out.toString();
  }

  private static String created(ObjectNode service) {
    ObjectNode out = JSON.createObjectNode();
    out.set("service", service);
    return out.toString();
  }

  private static Service sdkService(String status, Instant createdAt) {
    return Service.builder().serviceArn(SERVICE_ARN).status(status).createdAt(createdAt).build();
  }

  private List<String> tokensSent() {
    return peer.bodies("CreateService").stream().map(r -> r.path("clientToken").asText()).toList();
  }

  // ---- forced deployments ---------------------------------------------------------------------

  @Test
  void anUpdateEcsDidNotTakeIsNotForcedOnEveryResync() {
    // spec.launchType FARGATE; ECS keeps the service on the cluster's default strategy
    ObjectNode onProviders = ecsService("ACTIVE", Instant.parse("2026-01-05T10:00:00Z"));
    onProviders.remove("launchType");
    onProviders
        .putArray("capacityProviderStrategy")
        .addObject()
        .put("capacityProvider", "FARGATE_SPOT")
        .put("weight", 1);
    for (int i = 0; i < 3; i++) {
      peer.answer("DescribeServices", described(onProviders.deepCopy()));
      peer.answer("UpdateService", created(onProviders.deepCopy()));
    }
    EcsServiceBackend backend = backend();

    backend.apply(service(), plan(), inputs());
    assertThat(peer.bodies("UpdateService")).hasSize(1);
    assertThat(peer.bodies("UpdateService").get(0).path("forceNewDeployment").asBoolean()).isTrue();
    assertThat(peer.bodies("UpdateService").get(0).path("capacityProviderStrategy").isEmpty())
        .isTrue();

    clock.addAndGet(Duration.ofHours(2).toMillis());
    ServiceObservation again = backend.apply(service(), plan(), inputs());
    assertThat(peer.bodies("UpdateService")).as("forced once, not on every resync").hasSize(1);
    assertThat(again.warnings())
        .anySatisfy(
            w -> {
              assertThat(w.reason()).isEqualTo(EcsServiceBackend.NOT_HONOURED_BY_ECS);
              assertThat(w.field()).isEqualTo("capacityProviderStrategy");
            });
  }

  // ---- client tokens ------------------------------------------------------------------------

  @Test
  void aServiceDeletedOutsideTidewaterIsCreatedAgainUnderAFreshToken() {
    Instant firstCreated = Instant.parse("2026-01-05T10:00:00Z");
    peer.answer("DescribeServices", described(ecsService("INACTIVE", firstCreated)));
    peer.answer(
        "CreateService", created(ecsService("ACTIVE", Instant.parse("2026-01-06T00:00:00Z"))));

    ServiceObservation seen = backend().apply(service(), plan(), inputs());

    assertThat(seen.serviceArn()).isEqualTo(SERVICE_ARN);
    String token = tokensSent().get(0);
    assertThat(token)
        .as("not the token ECS remembers for the deleted service")
        .isNotEqualTo(EcsServiceBackend.clientToken(service()))
        .isEqualTo(
            EcsServiceBackend.clientToken(
                service(), Optional.of(sdkService("INACTIVE", firstCreated))))
        .hasSizeLessThanOrEqualTo(36);

    // a crash after that CreateService: the restarted operator sees the same and sends the same
    peer.answer("DescribeServices", described(ecsService("INACTIVE", firstCreated)));
    peer.answer(
        "CreateService", created(ecsService("ACTIVE", Instant.parse("2026-01-06T00:00:00Z"))));
    backend().apply(service(), plan(), inputs());
    assertThat(tokensSent()).containsExactly(token, token);
  }

  @Test
  void aTokenEcsAnswersWithADeletedServiceIsFollowedByTheNextOne() {
    // the deleted service is no longer described, but ECS still remembers the first token
    Instant firstCreated = Instant.parse("2026-01-05T10:00:00Z");
    peer.answer("DescribeServices", described());
    peer.answer("CreateService", created(ecsService("INACTIVE", firstCreated)));
    peer.answer(
        "CreateService", created(ecsService("ACTIVE", Instant.parse("2026-01-06T00:00:00Z"))));

    ServiceObservation seen = backend().apply(service(), plan(), inputs());

    assertThat(seen.serviceArn()).isEqualTo(SERVICE_ARN);
    assertThat(tokensSent())
        .containsExactly(
            EcsServiceBackend.clientToken(service()),
            EcsServiceBackend.clientToken(
                service(), Optional.of(sdkService("INACTIVE", firstCreated))));
  }

  @Test
  void aServiceDeletedTwiceGetsAThirdTokenEvenWithoutCreationTimes() {
    // an endpoint that reports no createdAt (moto): the chain of tokens still moves on
    ObjectNode first = ecsService("INACTIVE", Instant.EPOCH);
    first.remove("createdAt");
    peer.answer("DescribeServices", described());
    peer.answer("CreateService", created(first));
    peer.answer("CreateService", created(first.deepCopy()));
    peer.answer("CreateService", created(ecsService("ACTIVE", Instant.EPOCH)));

    backend().apply(service(), plan(), inputs());

    assertThat(tokensSent()).hasSize(3).doesNotHaveDuplicates();
  }

  @Test
  void aCreateWhoseAnswerWasLostIsRetriedWithTheSameToken() {
    peer.answer("DescribeServices", described());
    peer.answer("CreateService", Answer.error(500, "ServerException", "lost"));
    EcsServiceBackend backend = backend();
    catchThrowableOfType(() -> backend.apply(service(), plan(), inputs()), BackendFailure.class);
    peer.answer("DescribeServices", described());
    peer.answer(
        "CreateService", created(ecsService("ACTIVE", Instant.parse("2026-01-06T00:00:00Z"))));

    backend().apply(service(), plan(), inputs());

    assertThat(tokensSent()).hasSize(2).containsOnly(EcsServiceBackend.clientToken(service()));
  }

  // ---- what the ecs backend refuses --------------------------------------------------------

  @Test
  void aCodeDeployServiceIsRefusedBeforeAnyCall() {
    EcsService service = service();
    service.getSpec().deploymentController =
        new dev.tidewater.api.v1alpha1.service.DeploymentController();
    service.getSpec().deploymentController.type = "CODE_DEPLOY";

    ServiceObservation seen = backend().apply(service, plan(), inputs());

    assertThat(seen.refusals())
        .singleElement()
        .satisfies(p -> assertThat(p.path()).isEqualTo("deploymentController.type"));
    assertThat(peer.operations()).isEmpty();
  }

  // ---- a new role ---------------------------------------------------------------------------

  private static Answer roleNotAssumable() {
    return Answer.error(
        400,
        "InvalidParameterException",
        "ECS was unable to assume the role '"
            + ROLE
            + "' that was provided for this task. Please verify that the role being passed has"
            + " the proper trust relationship and permissions and that your IAM user has"
            + " permissions to pass this role.");
  }

  @Test
  void aRoleEcsCannotAssumeYetIsWaitedForWithBackoffThenDegraded() {
    EcsServiceBackend backend = backend();

    peer.answer("CreateService", roleNotAssumable());
    BackendFailure first =
        catchThrowableOfType(
            () -> backend.apply(service(), plan(), inputs()), BackendFailure.class);
    assertThat(first.progressing()).isTrue();
    assertThat(first.reason()).isEqualTo(EcsServiceBackend.WAITING_FOR_ROLE_PROPAGATION);
    assertThat(first.getMessage()).contains(ROLE);
    assertThat(first.retryAfter()).contains(Duration.ofSeconds(5));

    clock.addAndGet(Duration.ofSeconds(30).toNanos());
    peer.answer("CreateService", roleNotAssumable());
    BackendFailure second =
        catchThrowableOfType(
            () -> backend.apply(service(), plan(), inputs()), BackendFailure.class);
    assertThat(second.progressing()).isTrue();
    assertThat(second.retryAfter()).contains(Duration.ofSeconds(10));

    clock.addAndGet(EcsServiceBackend.ROLE_PROPAGATION_WINDOW.toNanos());
    peer.answer("CreateService", roleNotAssumable());
    BackendFailure late =
        catchThrowableOfType(
            () -> backend.apply(service(), plan(), inputs()), BackendFailure.class);
    assertThat(late.progressing()).as("bounded: Degraded after the window").isFalse();
    assertThat(late.reason()).isEqualTo("InvalidParameter");
    assertThat(late.getMessage()).contains(ROLE).contains("trust policy");
  }

  /** Finding 20: the wait of a deleted Service does not stay in the operator's memory. */
  @Test
  void theRoleWaitOfARemovedServiceIsForgotten() {
    EcsServiceBackend backend = backend();
    peer.answer("CreateService", roleNotAssumable());
    catchThrowableOfType(() -> backend.apply(service(), plan(), inputs()), BackendFailure.class);
    assertThat(backend.roleWaitsHeld()).isEqualTo(1);

    EcsService deleted = service();
    deleted.getSpec().deletionPolicy = "Retain";
    backend.remove(deleted, aws.context, CLUSTER);

    assertThat(backend.roleWaitsHeld()).isZero();
  }

  @Test
  void anotherInvalidParameterIsDegradedAtOnce() {
    peer.answer(
        "CreateService",
        Answer.error(400, "InvalidParameterException", "Invalid subnet id subnet-0"));

    BackendFailure failure =
        catchThrowableOfType(
            () -> backend().apply(service(), plan(), inputs()), BackendFailure.class);

    assertThat(failure.progressing()).isFalse();
    assertThat(failure.reason()).isEqualTo("InvalidParameter");
  }

  // ---- paging -------------------------------------------------------------------------------

  @Test
  void scalingPoliciesOnALaterPageAreSeen() {
    String resourceId = "service/apps/" + EcsServiceBackend.serviceName(service());
    peer.answer("DescribeServices", described(ecsService("ACTIVE", Instant.now())));
    peer.answer(
        "DescribeScalableTargets",
        JSON.createObjectNode()
            .set(
                "ScalableTargets",
                JSON.createArrayNode()
                    .add(
                        JSON.createObjectNode()
                            .put("ServiceNamespace", "ecs")
                            .put("ResourceId", resourceId)
                            .put("ScalableDimension", "ecs:service:DesiredCount")
                            .put("MinCapacity", 1)
                            .put("MaxCapacity", 4)))
            .toString());
    peer.answer(
        "DescribeScalingPolicies",
        "{\"ScalingPolicies\":[{\"PolicyName\":\"someone-elses\",\"ResourceId\":\""
            + resourceId
            + "\"}],\"NextToken\":\"page-2\"}");
    peer.answer(
        "DescribeScalingPolicies",
        "{\"ScalingPolicies\":[{\"PolicyName\":\"tidewater-cpu\",\"ResourceId\":\""
            + resourceId
            + "\"}]}");

    // the spec has no autoscaling (any more): our policy goes, wherever it was listed
    backend().apply(service(), plan(), inputs());

    List<JsonNode> pages = peer.bodies("DescribeScalingPolicies");
    assertThat(pages).hasSize(2);
    assertThat(pages.get(1).path("NextToken").asText()).isEqualTo("page-2");
    assertThat(peer.bodies("DeleteScalingPolicy"))
        .extracting(r -> r.path("PolicyName").asText())
        .containsExactly("tidewater-cpu");
    assertThat(peer.operations()).contains("DeregisterScalableTarget");
  }
}
