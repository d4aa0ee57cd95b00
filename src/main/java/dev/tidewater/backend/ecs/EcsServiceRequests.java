package dev.tidewater.backend.ecs;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tidewater.api.v1alpha1.common.StatusWarning;
import dev.tidewater.api.v1alpha1.service.EcsServiceSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.ecs.model.CreateServiceRequest;
import software.amazon.awssdk.services.ecs.model.LoadBalancer;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.UpdateServiceRequest;

/**
 * Pure translation of a Service spec into ECS requests: the CreateService request, and — against a
 * described ECS service — the UpdateService request restoring every field we set that differs
 * (fields we do not set are never compared, so ECS defaults and other tools' settings are left
 * alone).
 */
public final class EcsServiceRequests {

  /** Where the request's Tidewater-resolved parts come from. */
  public record Target(
      String cluster,
      String serviceName,
      String taskDefinitionArn,
      List<LoadBalancer> routeLoadBalancers,
      Map<String, String> tags,
      String clientToken) {}

  /**
   * Fields UpdateService can change, compared between the desired request and the described
   * service. {@code desiredCount} is compared only without autoscaling (the scaler owns it).
   */
  static final List<String> UPDATABLE =
      List.of(
          "taskDefinition",
          "desiredCount",
          "capacityProviderStrategy",
          "deploymentConfiguration",
          "availabilityZoneRebalancing",
          "networkConfiguration",
          "placementConstraints",
          "placementStrategy",
          "platformVersion",
          "healthCheckGracePeriodSeconds",
          "enableExecuteCommand",
          "enableECSManagedTags",
          "loadBalancers",
          "propagateTags",
          "serviceRegistries");

  /**
   * Fields ECS changes on the service without starting a deployment, although they matter only when
   * a task starts (the UpdateService documentation: "Only tasks launched after the update will
   * reflect the update", "This parameter doesn't trigger a new service deployment"): an update of
   * one of them carries {@code forceNewDeployment} so the running tasks get it too. ECS refuses a
   * changed capacity provider strategy without it.
   */
  static final List<String> NEED_NEW_DEPLOYMENT =
      List.of(
          "capacityProviderStrategy",
          "enableExecuteCommand",
          "enableECSManagedTags",
          "propagateTags",
          "placementConstraints",
          "placementStrategy");

  /** Fields only a new service can change: a difference is a warning, not an update. */
  static final List<String> IMMUTABLE = List.of("launchType", "schedulingStrategy", "role");

  /** Warning reason for a field ECS cannot change on an existing service. */
  public static final String REQUIRES_NEW_SERVICE = "RequiresNewService";

  // Strict: a spec field the SDK builder does not know is a mapping gap to fix here.
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(MapperFeature.CAN_OVERRIDE_ACCESS_MODIFIERS)
          .build();

  private EcsServiceRequests() {}

  /** The desired count of a new service: the spec's, else autoscaling's floor (at least 1). */
  public static Integer initialDesiredCount(EcsServiceSpec spec) {
    if ("DAEMON".equals(spec.schedulingStrategy)) {
      return null;
    }
    if (spec.desiredCount != null) {
      return spec.desiredCount;
    }
    return spec.autoscaling != null && spec.autoscaling.minTasks != null
        ? Math.max(1, spec.autoscaling.minTasks)
        : 1;
  }

  /** The CreateService request of {@code spec} on {@code target}. */
  public static CreateServiceRequest create(EcsServiceSpec spec, Target target) {
    ObjectNode json = MAPPER.valueToTree(spec);
    json.remove(EcsRequests.SERVICE_TIDEWATER_FIELDS);
    json.remove(List.of("tags", "loadBalancers", "desiredCount"));
    json.put("cluster", target.cluster());
    json.put("serviceName", target.serviceName());
    json.put("taskDefinition", target.taskDefinitionArn());
    Integer desired = initialDesiredCount(spec);
    if (desired != null) {
      json.put("desiredCount", desired);
    }
    ArrayNode loadBalancers = json.putArray("loadBalancers");
    if (spec.loadBalancers != null) {
      spec.loadBalancers.forEach(lb -> loadBalancers.add(MAPPER.valueToTree(lb)));
    }
    target.routeLoadBalancers().forEach(lb -> loadBalancers.add(EcsRequests.toJson(lb)));
    // always set, also empty: a route that goes must take its target group off the service
    if (target.clientToken() != null) {
      json.put("clientToken", target.clientToken());
    }
    CreateServiceRequest.Builder builder =
        read(json, CreateServiceRequest.serializableBuilderClass());
    return builder.tags(tags(target.tags())).build();
  }

  /** AWS tags of a map, in its order. */
  public static List<Tag> tags(Map<String, String> tags) {
    return tags.entrySet().stream()
        .map(e -> Tag.builder().key(e.getKey()).value(Objects.toString(e.getValue(), "")).build())
        .toList();
  }

  /** The tags of a described service as a map. */
  public static Map<String, String> tagsOf(Service service) {
    Map<String, String> map = new LinkedHashMap<>();
    if (service.hasTags()) {
      service.tags().forEach(t -> map.put(t.key(), t.value()));
    }
    return map;
  }

  /**
   * What it takes to bring {@code observed} to {@code desired}.
   *
   * @param update the UpdateService request, or empty when every field we set matches
   * @param fields the fields that differed (for the Event)
   * @param warnings fields that differ but only a new service can change
   */
  public record Difference(
      Optional<UpdateServiceRequest> update, List<String> fields, List<StatusWarning> warnings) {}

  /**
   * Compares the fields {@code desired} sets with {@code observed}. A field the described service
   * does not report at all is not compared (ECS reports every field it was given; some emulators do
   * not).
   *
   * @param scaled whether autoscaling owns desiredCount (then it is never compared or sent)
   */
  public static Difference difference(
      CreateServiceRequest desired, Service observed, boolean scaled) {
    JsonNode want = EcsRequests.toJson(desired);
    JsonNode have = EcsRequests.toJson(observed);
    List<String> fields = new ArrayList<>();
    ObjectNode update = MAPPER.createObjectNode();
    for (String field : UPDATABLE) {
      if (scaled && field.equals("desiredCount")) continue;
      if (field.equals("capacityProviderStrategy")) {
        capacityProviders(want, have).ifPresent(w -> update.set(field, w));
        if (update.has(field)) fields.add(field);
        continue;
      }
      JsonNode w = want.get(field);
      JsonNode h = have.get(field);
      if (w == null || w.isNull() || h == null || h.isNull()) {
        if (field.equals("taskDefinition") || field.equals("desiredCount")) {
          // always reported by ECS: a missing value is a difference
          if (w != null && !w.isNull() && (h == null || h.isNull())) {
            fields.add(field);
            update.set(field, w);
          }
        }
        continue;
      }
      if (!covers(h, w)) {
        fields.add(field);
        update.set(field, w);
      }
    }
    List<StatusWarning> warnings = new ArrayList<>();
    for (String field : IMMUTABLE) {
      JsonNode w = want.get(field);
      JsonNode h = have.get(field.equals("role") ? "roleArn" : field);
      if (w != null && !w.isNull() && h != null && !h.isNull() && !sameRole(field, w, h)) {
        warnings.add(
            new StatusWarning(
                field,
                REQUIRES_NEW_SERVICE,
                "the ECS service has "
                    + field
                    + " "
                    + h.asText()
                    + ", spec."
                    + field
                    + " asks for "
                    + w.asText()
                    + "; ECS changes it only on a new service (delete and re-create the Service)"));
      }
    }
    if (fields.isEmpty()) {
      return new Difference(Optional.empty(), fields, warnings);
    }
    if (fields.stream().anyMatch(NEED_NEW_DEPLOYMENT::contains)) {
      update.put("forceNewDeployment", true);
    }
    update.put("cluster", desired.cluster());
    update.put("service", desired.serviceName());
    return new Difference(
        Optional.of(read(update, UpdateServiceRequest.serializableBuilderClass()).build()),
        fields,
        warnings);
  }

  /**
   * The capacity provider strategy UpdateService has to send, if any. A service moves between a
   * launch type and capacity providers only through this field: to capacity providers with the
   * strategy, back to a launch type with an empty strategy (the transition the UpdateService
   * documentation lists; ECS then reports the launch type, and a launch type other than the spec's
   * is the {@link #REQUIRES_NEW_SERVICE} warning). A spec with neither leaves the cluster's default
   * strategy alone; a description reporting neither (an emulator) is not compared.
   */
  private static Optional<JsonNode> capacityProviders(JsonNode want, JsonNode have) {
    JsonNode w = want.get("capacityProviderStrategy");
    JsonNode h = have.get("capacityProviderStrategy");
    boolean wants = w != null && w.isArray() && !w.isEmpty();
    boolean has = h != null && h.isArray() && !h.isEmpty();
    if (wants) {
      if (has) return covers(h, w) ? Optional.empty() : Optional.of(w);
      // a launch type service (or one ECS reports with an empty strategy) switches to providers
      boolean reported = h != null && h.isArray() || present(have.get("launchType"));
      return reported ? Optional.of(w) : Optional.empty();
    }
    if (present(want.get("launchType")) && has) {
      return Optional.of(MAPPER.createArrayNode());
    }
    return Optional.empty();
  }

  private static boolean present(JsonNode node) {
    return node != null && !node.isNull();
  }

  private static boolean sameRole(String field, JsonNode want, JsonNode have) {
    if (!field.equals("role")) return want.equals(have);
    // ECS reports the full ARN of a role given by name
    return have.asText().equals(want.asText()) || have.asText().endsWith("/" + want.asText());
  }

  /**
   * Whether {@code have} holds everything {@code want} says: objects by the keys {@code want} sets
   * (ECS adds defaults), arrays of the same size whose elements are matched regardless of order
   * (ECS may reorder subnets and security groups), scalars by value.
   */
  static boolean covers(JsonNode have, JsonNode want) {
    if (want.isObject()) {
      if (!have.isObject()) return false;
      for (Iterator<Map.Entry<String, JsonNode>> it = want.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getValue().isNull()) continue;
        JsonNode h = have.get(e.getKey());
        if (h == null || h.isNull() || !covers(h, e.getValue())) return false;
      }
      return true;
    }
    if (want.isArray()) {
      if (!have.isArray() || have.size() != want.size()) return false;
      List<JsonNode> unmatched = new ArrayList<>();
      have.forEach(unmatched::add);
      for (JsonNode w : want) {
        Optional<JsonNode> match = unmatched.stream().filter(h -> covers(h, w)).findFirst();
        if (match.isEmpty()) return false;
        unmatched.remove(match.get());
      }
      return true;
    }
    if (want.isNumber() && have.isNumber()) {
      return want.decimalValue().compareTo(have.decimalValue()) == 0;
    }
    return want.equals(have);
  }

  private static <B> B read(JsonNode json, Class<B> builderClass) {
    try {
      return MAPPER.treeToValue(json, builderClass);
    } catch (IOException e) {
      // only a spec field the SDK does not know gets here: a bug in the API classes
      throw new UncheckedIOException("cannot map the Service spec to an ECS request", e);
    }
  }
}
