package dev.tidewater.model;

import static dev.tidewater.model.Messages.quote;

import dev.tidewater.api.v1alpha1.service.Autoscaling;
import dev.tidewater.api.v1alpha1.service.AwsVpcConfiguration;
import dev.tidewater.api.v1alpha1.service.CapacityProviderStrategyItem;
import dev.tidewater.api.v1alpha1.service.DeploymentConfiguration;
import dev.tidewater.api.v1alpha1.service.EcsServiceSpec;
import dev.tidewater.api.v1alpha1.taskdefinition.ContainerDefinition;
import dev.tidewater.api.v1alpha1.taskdefinition.ContainerDependency;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Checks a Service spec for the cross-field rules of ECS CreateService that the CRD schema and CEL
 * do not express (and repeats the CEL ones, so the CLI catches them without an API server): returns
 * every problem, each with its field path.
 */
public final class EcsServiceValidator {

  /** autoscaling.minTasks is above maxTasks. */
  public static final String INVALID_AUTOSCALING_RANGE = "InvalidAutoscalingRange";

  /** A volume configuration naming no volume of the task definition. */
  public static final String UNKNOWN_VOLUME = "UnknownVolume";

  /** A volume configuration naming a task volume that is not configuredAtLaunch. */
  public static final String VOLUME_NOT_CONFIGURED_AT_LAUNCH = "VolumeNotConfiguredAtLaunch";

  /** A managed EBS volume with neither sizeInGiB nor snapshotId. */
  public static final String EBS_VOLUME_SIZE_MISSING = "EbsVolumeSizeMissing";

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

  /**
   * A utilisation target on a resource that some long-running container of the task does not
   * request: the HorizontalPodAutoscaler could never compute the utilisation.
   */
  public static final String UTILIZATION_WITHOUT_REQUEST = "UtilizationWithoutRequest";

  /** A subnet is not a subnet id. */
  public static final String INVALID_SUBNET_ID = "InvalidSubnetId";

  /** A security group is not a security group id. */
  public static final String INVALID_SECURITY_GROUP_ID = "InvalidSecurityGroupId";

  /** A value still holds an unrendered template placeholder. */
  public static final String TEMPLATE_PLACEHOLDER = "TemplatePlaceholder";

  /** A deployment controller the ecs backend cannot drive yet (CODE_DEPLOY, EXTERNAL). */
  public static final String DEPLOYMENT_CONTROLLER_NOT_SUPPORTED =
      "DeploymentControllerNotSupported";

  /** A blue/green, linear or canary deployment without the traffic ECS shifts. */
  public static final String STRATEGY_NEEDS_TRAFFIC = "StrategyNeedsTraffic";

  private static final List<String> SHIFTING_STRATEGIES = List.of("BLUE_GREEN", "LINEAR", "CANARY");

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

  /**
   * What only the ecs backend refuses (the kubernetes backend rolls pods out itself and warns about
   * these fields instead): a CODE_DEPLOY or EXTERNAL deployment controller, with which ECS refuses
   * UpdateService {@code taskDefinition} (a CodeDeploy deployment or a task set has to roll each
   * revision out, which Tidewater does not drive yet), and a BLUE_GREEN, LINEAR or CANARY
   * deployment strategy without the traffic ECS shifts between the blue and green revisions (a load
   * balancer with its {@code advancedConfiguration}, or Service Connect), and tags ECS refuses
   * (AWS's tag rules, {@link AwsTagRules}).
   */
  public static List<Problem> onEcsBackend(EcsServiceSpec spec) {
    Objects.requireNonNull(spec, "spec");
    List<Problem> problems = new ArrayList<>();
    String controller = spec.deploymentController == null ? null : spec.deploymentController.type;
    if ("CODE_DEPLOY".equals(controller) || "EXTERNAL".equals(controller)) {
      problems.add(
          new Problem(
              "deploymentController.type",
              DEPLOYMENT_CONTROLLER_NOT_SUPPORTED,
              "deploymentController.type "
                  + controller
                  + " is not supported on the ecs backend yet: ECS refuses UpdateService"
                  + " taskDefinition for it ("
                  + ("CODE_DEPLOY".equals(controller)
                      ? "a CodeDeploy deployment has to roll each revision out"
                      : "a task set has to roll each revision out")
                  + "), so every new revision would fail; use ECS (with"
                  + " deploymentConfiguration.strategy BLUE_GREEN for blue/green)"));
    }
    String strategy =
        spec.deploymentConfiguration == null ? null : spec.deploymentConfiguration.strategy;
    if (strategy != null && SHIFTING_STRATEGIES.contains(strategy)) {
      boolean serviceConnect =
          spec.serviceConnectConfiguration != null
              && Boolean.TRUE.equals(spec.serviceConnectConfiguration.enabled);
      var balancers = orEmpty(spec.loadBalancers);
      if (balancers.isEmpty() && !serviceConnect) {
        problems.add(
            new Problem(
                "deploymentConfiguration.strategy",
                STRATEGY_NEEDS_TRAFFIC,
                "deploymentConfiguration.strategy "
                    + strategy
                    + " shifts traffic between two revisions, so ECS needs spec.loadBalancers"
                    + " (with advancedConfiguration) or serviceConnectConfiguration; this Service"
                    + " has neither (a LoadBalancerRoute's target group is not enough)"));
      }
      for (int i = 0; i < balancers.size(); i++) {
        var lb = balancers.get(i);
        if (lb != null && lb.targetGroupArn != null && lb.advancedConfiguration == null) {
          problems.add(
              new Problem(
                  "loadBalancers[" + i + "].advancedConfiguration",
                  STRATEGY_NEEDS_TRAFFIC,
                  "deploymentConfiguration.strategy "
                      + strategy
                      + " needs the alternate target group, production listener rule and role"
                      + " ECS shifts traffic with (advancedConfiguration) on every target group"));
        }
      }
    }
    // the tags go to ECS only here: on the kubernetes backend they label nothing in AWS
    problems.addAll(AwsTagRules.validate(spec.tags, "tags"));
    return List.copyOf(problems);
  }

  /**
   * Every problem of {@code spec} running {@code task} (the spec of the revision it runs): those of
   * {@link #validate(EcsServiceSpec)} and {@link #withRevision}.
   */
  public List<Problem> validate(EcsServiceSpec spec, TaskDefinitionSpec task) {
    List<Problem> problems = new ArrayList<>(validate(spec));
    problems.addAll(withRevision(spec, task));
    return List.copyOf(problems);
  }

  /**
   * The problems only the revision a Service runs can show: {@link #volumeConfigurations} and, for
   * the kubernetes backend's HPA, utilisation targets without requests (see {@code
   * utilizationTargets}).
   */
  public static List<Problem> withRevision(EcsServiceSpec spec, TaskDefinitionSpec task) {
    List<Problem> problems = new ArrayList<>(utilizationTargets(spec, task));
    problems.addAll(volumeConfigurations(spec, task));
    return List.copyOf(problems);
  }

  /**
   * Each {@code volumeConfigurations} entry names a volume of the task definition that is {@code
   * configuredAtLaunch}, and a managed EBS volume has a size or a snapshot: what ECS CreateService
   * refuses otherwise, checked on both backends.
   */
  public static List<Problem> volumeConfigurations(EcsServiceSpec spec, TaskDefinitionSpec task) {
    if (spec.volumeConfigurations == null || task == null) {
      return List.of();
    }
    List<Problem> problems = new ArrayList<>();
    List<dev.tidewater.api.v1alpha1.taskdefinition.Volume> volumes =
        task.volumes == null ? List.of() : task.volumes;
    for (int i = 0; i < spec.volumeConfigurations.size(); i++) {
      var vc = spec.volumeConfigurations.get(i);
      if (vc == null) continue;
      String path = "volumeConfigurations[" + i + "]";
      var volume =
          volumes.stream().filter(v -> v != null && Objects.equals(v.name, vc.name)).findFirst();
      if (volume.isEmpty()) {
        problems.add(
            new Problem(
                path + ".name",
                UNKNOWN_VOLUME,
                "the task definition has no volume named " + quote(vc.name)));
      } else if (!Boolean.TRUE.equals(volume.get().configuredAtLaunch)) {
        problems.add(
            new Problem(
                path + ".name",
                VOLUME_NOT_CONFIGURED_AT_LAUNCH,
                "volume "
                    + quote(vc.name)
                    + " is not configuredAtLaunch in the task definition; ECS refuses to"
                    + " configure it"));
      } else if (vc.managedEBSVolume != null
          && vc.managedEBSVolume.sizeInGiB == null
          && isBlank(vc.managedEBSVolume.snapshotId)) {
        problems.add(
            new Problem(
                path + ".managedEBSVolume.sizeInGiB",
                EBS_VOLUME_SIZE_MISSING,
                "a managed EBS volume needs sizeInGiB unless it is created from a snapshot"));
      }
    }
    return problems;
  }

  /**
   * A CPU (memory) utilisation target needs a CPU (memory) request in every long-running container
   * of the pod: the HorizontalPodAutoscaler divides usage by the sum of the requests and gives up
   * on a pod with a container that has none. A container has one when the task sets {@code cpu}
   * ({@code memory}: shared out over the containers, or pod-level resources) or when it sets its
   * own {@code cpu} ({@code memoryReservation} or {@code memory}). Containers that others wait for
   * with SUCCESS or COMPLETE run to completion before the pod starts and do not count.
   */
  private static List<Problem> utilizationTargets(EcsServiceSpec spec, TaskDefinitionSpec task) {
    Autoscaling a = spec.autoscaling;
    if (a == null || task == null || DAEMON.equals(spec.schedulingStrategy)) {
      return List.of();
    }
    List<Problem> problems = new ArrayList<>();
    if (a.targetCpuUtilization != null && isBlank(task.cpu)) {
      unrequested(task, c -> positive(c.cpu))
          .ifPresent(c -> problems.add(withoutRequest("targetCpuUtilization", "cpu", "cpu", c)));
    }
    if (a.targetMemoryUtilization != null && isBlank(task.memory)) {
      unrequested(task, c -> positive(c.memoryReservation) || positive(c.memory))
          .ifPresent(
              c ->
                  problems.add(
                      withoutRequest(
                          "targetMemoryUtilization", "memory", "memory or memoryReservation", c)));
    }
    return problems;
  }

  private static Problem withoutRequest(
      String field, String resource, String containerFields, String container) {
    return new Problem(
        "autoscaling." + field,
        UTILIZATION_WITHOUT_REQUEST,
        "autoscaling."
            + field
            + " needs a "
            + resource
            + " request in every container, and container "
            + quote(container)
            + " has none: set the task's "
            + resource
            + " or the container's "
            + containerFields
            + " (a HorizontalPodAutoscaler cannot compute "
            + resource
            + " utilisation otherwise)");
  }

  /** The first long-running container without the resource, if any. */
  private static Optional<String> unrequested(
      TaskDefinitionSpec task, Function<ContainerDefinition, Boolean> requests) {
    List<ContainerDefinition> containers = orEmpty(task.containerDefinitions);
    Set<String> runToCompletion = new HashSet<>();
    for (ContainerDefinition c : containers) {
      for (ContainerDependency d : orEmpty(c.dependsOn)) {
        String condition = d.condition == null ? "" : d.condition.toUpperCase(Locale.ROOT);
        if (condition.equals("SUCCESS") || condition.equals("COMPLETE")) {
          runToCompletion.add(d.containerName);
        }
      }
    }
    return containers.stream()
        .filter(c -> !runToCompletion.contains(c.name) && !requests.apply(c))
        .map(c -> c.name)
        .findFirst();
  }

  private static boolean positive(Integer value) {
    return value != null && value > 0;
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
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
