package dev.tidewater.model;

import static dev.tidewater.model.Messages.quote;

import dev.tidewater.api.v1alpha1.service.Autoscaling;
import dev.tidewater.api.v1alpha1.service.AwsVpcConfiguration;
import dev.tidewater.api.v1alpha1.service.CapacityProviderStrategyItem;
import dev.tidewater.api.v1alpha1.service.DeploymentConfiguration;
import dev.tidewater.api.v1alpha1.service.EcsServiceSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Checks a Service spec for the cross-field rules of ECS CreateService that the CRD schema and CEL
 * do not express (and repeats the CEL ones, so the CLI catches them without an API server): returns
 * every problem, each with its field path.
 */
public final class EcsServiceValidator {

  /** autoscaling.minTasks is above maxTasks. */
  public static final String INVALID_AUTOSCALING_RANGE = "InvalidAutoscalingRange";

  /** desiredCount lies outside autoscaling.minTasks..maxTasks. */
  public static final String DESIRED_COUNT_OUT_OF_RANGE = "DesiredCountOutOfRange";

  /** Two fields that exclude each other are both set. */
  public static final String CONFLICTING_FIELDS = "ConflictingFields";

  /** A field a DAEMON service cannot have is set. */
  public static final String NOT_SUPPORTED_FOR_DAEMON = "NotSupportedForDaemon";

  /** A field a Fargate service cannot have is set. */
  public static final String NOT_SUPPORTED_ON_FARGATE = "NotSupportedOnFargate";

  /** More than one capacity provider has a base. */
  public static final String MULTIPLE_CAPACITY_PROVIDER_BASES = "MultipleCapacityProviderBases";

  /** Fargate and Auto Scaling group capacity providers are mixed. */
  public static final String MIXED_CAPACITY_PROVIDERS = "MixedCapacityProviders";

  /** Several capacity providers, none with a weight above 0. */
  public static final String NO_CAPACITY_PROVIDER_WEIGHT = "NoCapacityProviderWeight";

  /** minimumHealthyPercent is above maximumPercent. */
  public static final String MINIMUM_HEALTHY_ABOVE_MAXIMUM = "MinimumHealthyAboveMaximum";

  /** minimumHealthyPercent and maximumPercent leave a rolling deployment no room. */
  public static final String DEPLOYMENT_CANNOT_PROGRESS = "DeploymentCannotProgress";

  /** A feature that works only with the ECS deployment controller is on with another. */
  public static final String REQUIRES_ECS_DEPLOYMENT_CONTROLLER = "RequiresEcsDeploymentController";

  /** A subnet is not a subnet id. */
  public static final String INVALID_SUBNET_ID = "InvalidSubnetId";

  /** A security group is not a security group id. */
  public static final String INVALID_SECURITY_GROUP_ID = "InvalidSecurityGroupId";

  /** A value still holds an unrendered template placeholder. */
  public static final String TEMPLATE_PLACEHOLDER = "TemplatePlaceholder";

  private static final String DAEMON = "DAEMON";
  private static final String FARGATE = "FARGATE";
  private static final List<String> FARGATE_PROVIDERS = List.of("FARGATE", "FARGATE_SPOT");

  /** Every problem of {@code spec}; empty when it is valid. */
  public List<Problem> validate(EcsServiceSpec spec) {
    Objects.requireNonNull(spec, "spec");
    List<Problem> problems = new ArrayList<>();
    boolean daemon = DAEMON.equals(spec.schedulingStrategy);
    List<CapacityProviderStrategyItem> providers = orEmpty(spec.capacityProviderStrategy);
    autoscaling(spec, problems);
    if (spec.launchType != null && !providers.isEmpty()) {
      problems.add(
          new Problem(
              "capacityProviderStrategy",
              CONFLICTING_FIELDS,
              "capacityProviderStrategy and launchType "
                  + spec.launchType
                  + " are both set; set one of them"));
    }
    if (daemon) {
      daemon(spec, problems);
    }
    fargate(spec, providers, problems);
    capacityProviders(providers, problems);
    deployment(spec, daemon, problems);
    network(spec, problems);
    return List.copyOf(problems);
  }

  private static void autoscaling(EcsServiceSpec spec, List<Problem> problems) {
    Autoscaling a = spec.autoscaling;
    if (a == null || a.minTasks == null || a.maxTasks == null) {
      return;
    }
    if (a.minTasks > a.maxTasks) {
      problems.add(
          new Problem(
              "autoscaling.minTasks",
              INVALID_AUTOSCALING_RANGE,
              "autoscaling.minTasks " + a.minTasks + " is above maxTasks " + a.maxTasks));
      return;
    }
    if (spec.desiredCount != null
        && (spec.desiredCount < a.minTasks || spec.desiredCount > a.maxTasks)) {
      problems.add(
          new Problem(
              "desiredCount",
              DESIRED_COUNT_OUT_OF_RANGE,
              "desiredCount "
                  + spec.desiredCount
                  + " lies outside autoscaling.minTasks "
                  + a.minTasks
                  + " to maxTasks "
                  + a.maxTasks));
    }
  }

  private static void daemon(EcsServiceSpec spec, List<Problem> problems) {
    if (FARGATE.equals(spec.launchType)) {
      notForDaemon(problems, "launchType", "launchType FARGATE (Fargate has no instances)");
    }
    if (!orEmpty(spec.capacityProviderStrategy).isEmpty()) {
      notForDaemon(problems, "capacityProviderStrategy", "capacityProviderStrategy");
    }
    if (!orEmpty(spec.placementStrategy).isEmpty()) {
      notForDaemon(problems, "placementStrategy", "placementStrategy");
    }
    String controller = spec.deploymentController == null ? null : spec.deploymentController.type;
    if (controller != null && !controller.equals("ECS")) {
      notForDaemon(problems, "deploymentController.type", "deploymentController " + controller);
    }
    if (spec.desiredCount != null) {
      notForDaemon(
          problems,
          "desiredCount",
          "desiredCount " + spec.desiredCount + " (one task runs per instance)");
    }
    if (spec.autoscaling != null) {
      notForDaemon(problems, "autoscaling", "autoscaling (one task runs per instance)");
    }
  }

  private static void notForDaemon(List<Problem> problems, String path, String what) {
    problems.add(
        new Problem(
            path,
            NOT_SUPPORTED_FOR_DAEMON,
            what + " is not supported with schedulingStrategy DAEMON"));
  }

  private static void fargate(
      EcsServiceSpec spec, List<CapacityProviderStrategyItem> providers, List<Problem> problems) {
    boolean fargate =
        FARGATE.equals(spec.launchType)
            || providers.stream()
                .anyMatch(
                    p -> p != null && FARGATE_PROVIDERS.contains(orBlank(p.capacityProvider)));
    if (!fargate) {
      return;
    }
    if (!orEmpty(spec.placementStrategy).isEmpty()) {
      problems.add(
          new Problem(
              "placementStrategy",
              NOT_SUPPORTED_ON_FARGATE,
              "placementStrategy is not supported on Fargate (there are no instances to choose)"));
    }
    if (!orEmpty(spec.placementConstraints).isEmpty()) {
      problems.add(
          new Problem(
              "placementConstraints",
              NOT_SUPPORTED_ON_FARGATE,
              "placementConstraints are not supported on Fargate (there are no instances to"
                  + " choose)"));
    }
  }

  private static void capacityProviders(
      List<CapacityProviderStrategyItem> providers, List<Problem> problems) {
    String firstBase = null;
    boolean anyFargate = false;
    boolean anyOther = false;
    boolean anyWeight = false;
    for (int i = 0; i < providers.size(); i++) {
      CapacityProviderStrategyItem p = providers.get(i);
      if (p == null) {
        continue;
      }
      String path = "capacityProviderStrategy[" + i + "]";
      if (p.base != null && p.base > 0) {
        if (firstBase != null) {
          problems.add(
              new Problem(
                  path + ".base",
                  MULTIPLE_CAPACITY_PROVIDER_BASES,
                  "base "
                      + p.base
                      + " of capacity provider "
                      + quote(p.capacityProvider)
                      + " is a second base ("
                      + firstBase
                      + " has one); only one provider of a strategy may have a base"));
        } else {
          firstBase = quote(p.capacityProvider);
        }
      }
      if (FARGATE_PROVIDERS.contains(orBlank(p.capacityProvider))) {
        anyFargate = true;
      } else {
        anyOther = true;
      }
      anyWeight |= p.weight != null && p.weight > 0;
    }
    if (anyFargate && anyOther) {
      problems.add(
          new Problem(
              "capacityProviderStrategy",
              MIXED_CAPACITY_PROVIDERS,
              "capacityProviderStrategy mixes FARGATE / FARGATE_SPOT with Auto Scaling group"
                  + " providers; a strategy uses one kind"));
    }
    if (providers.size() > 1 && !anyWeight) {
      problems.add(
          new Problem(
              "capacityProviderStrategy",
              NO_CAPACITY_PROVIDER_WEIGHT,
              "no capacity provider of the strategy has a weight above 0 (absent means 0), so"
                  + " ECS cannot place tasks with it"));
    }
  }

  private static void deployment(EcsServiceSpec spec, boolean daemon, List<Problem> problems) {
    DeploymentConfiguration d = spec.deploymentConfiguration;
    if (d == null) {
      return;
    }
    String controller =
        spec.deploymentController == null || spec.deploymentController.type == null
            ? "ECS"
            : spec.deploymentController.type;
    // ECS defaults: REPLICA 100 / 200, DAEMON 0 / 100.
    int min = d.minimumHealthyPercent != null ? d.minimumHealthyPercent : daemon ? 0 : 100;
    int max = d.maximumPercent != null ? d.maximumPercent : daemon ? 100 : 200;
    String minText = percent("minimumHealthyPercent", d.minimumHealthyPercent, min);
    String maxText = percent("maximumPercent", d.maximumPercent, max);
    if (min > max) {
      problems.add(
          new Problem(
              "deploymentConfiguration."
                  + (d.minimumHealthyPercent != null ? "minimumHealthyPercent" : "maximumPercent"),
              MINIMUM_HEALTHY_ABOVE_MAXIMUM,
              minText + " is above " + maxText));
    } else if (controller.equals("ECS") && min == 100 && max == 100) {
      problems.add(
          new Problem(
              "deploymentConfiguration."
                  + (d.maximumPercent != null ? "maximumPercent" : "minimumHealthyPercent"),
              DEPLOYMENT_CANNOT_PROGRESS,
              minText
                  + " with "
                  + maxText
                  + " lets a deployment neither stop an old task nor start a new one; lower"
                  + " minimumHealthyPercent or raise maximumPercent"));
    }
    if (!controller.equals("ECS")) {
      if (d.deploymentCircuitBreaker != null
          && Boolean.TRUE.equals(d.deploymentCircuitBreaker.enable)) {
        problems.add(
            new Problem(
                "deploymentConfiguration.deploymentCircuitBreaker.enable",
                REQUIRES_ECS_DEPLOYMENT_CONTROLLER,
                "deploymentCircuitBreaker works only with deploymentController ECS, not "
                    + controller));
      }
      if (d.alarms != null && Boolean.TRUE.equals(d.alarms.enable)) {
        problems.add(
            new Problem(
                "deploymentConfiguration.alarms.enable",
                REQUIRES_ECS_DEPLOYMENT_CONTROLLER,
                "deployment alarms work only with deploymentController ECS, not " + controller));
      }
    }
  }

  private static String percent(String field, Integer given, int effective) {
    return field + " " + effective + (given == null ? " (the default)" : "");
  }

  private static void network(EcsServiceSpec spec, List<Problem> problems) {
    if (spec.networkConfiguration == null
        || spec.networkConfiguration.awsvpcConfiguration == null) {
      return;
    }
    AwsVpcConfiguration v = spec.networkConfiguration.awsvpcConfiguration;
    String base = "networkConfiguration.awsvpcConfiguration.";
    ids(
        problems,
        base + "subnets",
        v.subnets,
        "subnet",
        INVALID_SUBNET_ID,
        AwsIdentifiers::subnetIdViolation);
    ids(
        problems,
        base + "securityGroups",
        v.securityGroups,
        "security group",
        INVALID_SECURITY_GROUP_ID,
        AwsIdentifiers::securityGroupIdViolation);
  }

  private static void ids(
      List<Problem> problems,
      String path,
      List<String> values,
      String what,
      String reason,
      Function<String, Optional<String>> check) {
    List<String> list = orEmpty(values);
    for (int i = 0; i < list.size(); i++) {
      String value = list.get(i);
      String p = path + "[" + i + "]";
      Optional<String> placeholder = AwsIdentifiers.placeholderIn(value);
      if (placeholder.isPresent()) {
        problems.add(
            new Problem(
                p,
                TEMPLATE_PLACEHOLDER,
                what
                    + " "
                    + quote(value)
                    + " still holds the template placeholder "
                    + quote(placeholder.get())
                    + "; render the template before applying"));
        continue;
      }
      check
          .apply(value)
          .ifPresent(
              v -> problems.add(new Problem(p, reason, what + " " + quote(value) + " " + v)));
    }
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }

  private static String orBlank(String s) {
    return s == null ? "" : s;
  }
}
