package dev.tidewater.backend.ecs;

import dev.tidewater.api.v1alpha1.cluster.Cluster;
import dev.tidewater.api.v1alpha1.common.StatusWarning;
import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRoute;
import dev.tidewater.api.v1alpha1.service.Autoscaling;
import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.api.v1alpha1.service.EcsServiceSpec;
import dev.tidewater.api.v1alpha1.service.EcsServiceStatus;
import dev.tidewater.api.v1alpha1.taskdefinition.ContainerDefinition;
import dev.tidewater.api.v1alpha1.taskdefinition.PortMapping;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionRevision;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import dev.tidewater.aws.AwsClientFactory;
import dev.tidewater.aws.AwsContext;
import dev.tidewater.aws.AwsErrors;
import dev.tidewater.backend.BackendFailure;
import dev.tidewater.backend.ResolvedCluster;
import dev.tidewater.backend.ServiceBackend;
import dev.tidewater.backend.ServiceBackend.Caches;
import dev.tidewater.backend.ServiceObservation;
import dev.tidewater.backend.ServicePlan;
import dev.tidewater.backend.ServiceRemoval;
import dev.tidewater.backend.aws.AwsOwnership;
import dev.tidewater.backend.aws.ClusterAwsContexts;
import dev.tidewater.backend.ecs.ServiceDescriptions.ClusterKey;
import dev.tidewater.model.AwsNames;
import dev.tidewater.model.CutOver;
import dev.tidewater.model.EcsServiceValidator;
import dev.tidewater.model.PodSecurityGuardrails;
import dev.tidewater.model.Problem;
import dev.tidewater.model.TenancyCeiling;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.applicationautoscaling.ApplicationAutoScalingClient;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableDimension;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableTarget;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalingPolicy;
import software.amazon.awssdk.services.applicationautoscaling.model.ServiceNamespace;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.CreateServiceRequest;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.LoadBalancer;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceField;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.UpdateServiceRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupNotFoundException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;

/**
 * A Service as an ECS service: CreateService / UpdateService / DeleteService with the followed
 * revision's task definition ARN, the load balancers of the LoadBalancerRoutes that target it, the
 * owner tags and a client token; Application Auto Scaling for autoscaling. Reads go through the
 * shared {@link ServiceDescriptions} (ten services per DescribeServices); a resync that finds
 * nothing changed writes nothing.
 */
public class EcsServiceBackend implements ServiceBackend {

  /** Event reason when a field changed outside Tidewater was put back. */
  public static final String DRIFT_CORRECTED = "DriftCorrected";

  /** Warning reason: ECS kept a field after an update that forced a new deployment. */
  public static final String NOT_HONOURED_BY_ECS = "NotHonouredByEcs";

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private final AwsClientFactory clients;
  private final ClusterAwsContexts contexts;
  private final ServiceDescriptions descriptions;
  private final Duration resyncPeriod;
  private final Duration slowPassPeriod;
  private final Duration rolloutPoll;
  // autoscaling last read back per resource id: what the spec asked then, and when (rule 10: the
  // scaler is read on change or on the slow pass only)
  private final Map<String, ScalingCheck> scalingChecks = new ConcurrentHashMap<>();

  private record ScalingCheck(String wanted, long atNanos) {}

  // Where each Service (by uid) last ran: a namespace deletion removes its Cluster (and maybe the
  // credentials Secret) together with it, and its ECS service must still go.
  private final Map<String, Place> lastPlaces = new ConcurrentHashMap<>();
  // registered revisions never change: one DescribeTaskDefinition per ARN for the guardrail check
  private final Map<String, TaskDefinitionSpec> registeredSpecs = new ConcurrentHashMap<>();

  private record Place(AwsContext aws, String clusterArn) {}

  /**
   * How long ECS's "unable to assume the role" is taken for a new role IAM has not propagated yet
   * (seconds, rarely a minute) before it is reported as Degraded.
   */
  static final Duration ROLE_PROPAGATION_WINDOW = Duration.ofMinutes(2);

  /** Reason of the Progressing condition while a new role propagates. */
  public static final String WAITING_FOR_ROLE_PROPAGATION = "WaitingForRolePropagation";

  // by Service uid: the role ECS could not assume, its first refusal and how often since (the
  // wait is bounded); gone with the next successful write or the Service's removal
  private final Map<String, RoleWait> roleWaits = new ConcurrentHashMap<>();

  /**
   * Per Service uid, the last UpdateService sent with {@code forceNewDeployment}: the same request
   * again means ECS did not take the change, and it is not forced a second time.
   */
  private final Map<String, String> lastForced = new ConcurrentHashMap<>();

  private record RoleWait(String role, long sinceNanos, int attempts) {}

  /** How many Services a role wait is held for (for tests: the bookkeeping does not leak). */
  int roleWaitsHeld() {
    return roleWaits.size();
  }

  /** CreateService tries at most this many tokens that ECS answers with a deleted service. */
  static final int MAX_REMEMBERED_TOKENS = 8;

  private final LongSupplier nanoClock;
  private final KubernetesClient client;

  public EcsServiceBackend(
      AwsClientFactory clients,
      ClusterAwsContexts contexts,
      Duration resyncPeriod,
      Duration slowPassPeriod,
      Duration rolloutPoll) {
    this(clients, contexts, resyncPeriod, slowPassPeriod, rolloutPoll, System::nanoTime, null);
  }

  /**
   * @param client reads a Cluster's credentials Secret when its AWS context is built
   */
  public EcsServiceBackend(
      AwsClientFactory clients,
      ClusterAwsContexts contexts,
      Duration resyncPeriod,
      Duration slowPassPeriod,
      Duration rolloutPoll,
      KubernetesClient client) {
    this(clients, contexts, resyncPeriod, slowPassPeriod, rolloutPoll, System::nanoTime, client);
  }

  EcsServiceBackend(
      AwsClientFactory clients,
      ClusterAwsContexts contexts,
      Duration resyncPeriod,
      Duration slowPassPeriod,
      Duration rolloutPoll,
      LongSupplier nanoClock,
      KubernetesClient client) {
    this.client = client;
    this.nanoClock = nanoClock;
    this.clients = clients;
    this.contexts = contexts;
    this.resyncPeriod = resyncPeriod;
    this.slowPassPeriod = slowPassPeriod;
    this.rolloutPoll = rolloutPoll;
    this.descriptions = new ServiceDescriptions(this::describeBatch);
  }

  private Map<String, Service> describeBatch(ClusterKey cluster, List<String> names) {
    Map<String, Service> found = new HashMap<>();
    clients
        .ecs(cluster.context())
        .describeServices(
            r -> r.cluster(cluster.cluster()).services(names).include(ServiceField.TAGS))
        .services()
        .forEach(s -> found.put(s.serviceName(), s));
    return found;
  }

  // ---- revisions ---------------------------------------------------------------------------

  @Override
  public List<Integer> revisions(EcsService service, TaskDefinition taskDefinition, Caches caches) {
    return registered(taskDefinition).keySet().stream().sorted().toList();
  }

  /** The registered revisions of a TaskDefinition (its status): number → task definition ARN. */
  static Map<Integer, String> registered(TaskDefinition taskDefinition) {
    Map<Integer, String> out = new HashMap<>();
    if (taskDefinition.getStatus() != null && taskDefinition.getStatus().revisions != null) {
      for (TaskDefinitionRevision r : taskDefinition.getStatus().revisions) {
        if (r.revision != null && r.taskDefinitionArn != null) {
          out.put(r.revision, r.taskDefinitionArn);
        }
      }
    }
    return out;
  }

  @Override
  public Optional<Problem> waitingFor(
      EcsService service, TaskDefinition taskDefinition, int revision, Caches caches) {
    if (clusterArn(caches).isEmpty()) {
      return Optional.of(
          new Problem(
              "clusterRef",
              "ClusterNotReady",
              "the Cluster has no ECS cluster ARN yet (it is being created or checked)"));
    }
    return Optional.empty();
  }

  @Override
  public ServicePlan plan(
      EcsService service, TaskDefinition taskDefinition, int revision, Caches caches) {
    return new ServicePlan(
        revision,
        null,
        taskDefinition.getMetadata().getName(),
        null,
        registered(taskDefinition).get(revision));
  }

  @Override
  public Optional<TaskDefinitionSpec> registeredSpec(
      EcsService service, ResolvedCluster cluster, ServicePlan plan, Caches caches) {
    String arn = plan.taskDefinitionArn();
    if (arn == null) {
      return Optional.empty();
    }
    TaskDefinitionSpec known = registeredSpecs.get(arn);
    if (known != null) {
      return Optional.of(known);
    }
    AwsContext aws = awsContext(service, cluster, caches);
    try {
      TaskDefinitionSpec spec =
          EcsRequests.specOf(
              clients.ecs(aws).describeTaskDefinition(r -> r.taskDefinition(arn)).taskDefinition());
      registeredSpecs.put(arn, spec);
      return Optional.of(spec);
    } catch (SdkException e) {
      throw failure(e);
    }
  }

  private static Optional<String> clusterArn(Caches caches) {
    return clusterArnOf(caches.one(Cluster.class));
  }

  /** The ECS cluster ARN the Cluster's status records (none before it has one). */
  static Optional<String> clusterArnOf(Optional<Cluster> cluster) {
    return cluster.map(c -> c.getStatus() == null ? null : c.getStatus().clusterArn);
  }

  // ---- apply -------------------------------------------------------------------------------

  /**
   * What applying a Service needs from Kubernetes, gathered from the reconcile context: the AWS
   * context, the ECS cluster, the target groups of the routes that target it, and the ARNs of its
   * TaskDefinition's registered revisions.
   */
  public record Inputs(
      AwsContext aws,
      String clusterArn,
      List<LoadBalancer> routeLoadBalancers,
      Map<Integer, String> revisionArns) {}

  private Inputs inputs(EcsService service, ResolvedCluster cluster, Caches caches) {
    AwsContext aws = awsContext(service, cluster, caches);
    String clusterArn =
        clusterArn(caches)
            .orElseThrow(
                () -> BackendFailure.progressing("ClusterNotReady", "the Cluster has no ARN yet"));
    lastPlaces.put(service.getMetadata().getUid(), new Place(aws, clusterArn));
    return new Inputs(
        aws,
        clusterArn,
        routeLoadBalancers(service, caches),
        caches.one(TaskDefinition.class).map(EcsServiceBackend::registered).orElse(Map.of()));
  }

  @Override
  public ServiceObservation apply(
      EcsService service, ResolvedCluster cluster, ServicePlan plan, Caches caches) {
    return apply(service, plan, inputs(service, cluster, caches));
  }

  /** Brings the ECS service of {@code service} to {@code plan}; AWS calls only. */
  public ServiceObservation apply(EcsService service, ServicePlan plan, Inputs inputs) {
    AwsContext aws = inputs.aws();
    String clusterArn = inputs.clusterArn();
    ClusterKey key = new ClusterKey(aws, clusterArn);
    EcsServiceSpec spec = service.getSpec();
    List<Problem> refused = EcsServiceValidator.onEcsBackend(spec);
    if (!refused.isEmpty()) {
      // before any call: ECS would accept the service and refuse each revision after the first
      return new ServiceObservation(null, null, null, plan.revision(), null, List.of(), refused);
    }
    AwsNames.Chosen<Service> chosen =
        chooseName(service, (n, together) -> describe(key, n, service, together));
    forgetUnchosen(key, service, chosen);
    String name = chosen.name();
    Map<String, String> tags = AwsOwnership.tags(service, AwsOwnership.userTags(spec.tags));
    EcsServiceRequests.Target target =
        new EcsServiceRequests.Target(
            clusterArn,
            name,
            plan.taskDefinitionArn(),
            inputs.routeLoadBalancers(),
            tags,
            clientToken(service));
    CreateServiceRequest desired = EcsServiceRequests.create(spec, target);
    EcsClient ecs = clients.ecs(aws);
    List<Problem> events = new ArrayList<>();
    List<StatusWarning> warnings = new ArrayList<>();

    Optional<Service> found = chosen.found();
    Service current;
    boolean created = false;
    if (found.isEmpty() || "INACTIVE".equals(found.get().status())) {
      if (!plan.createAllowed()) {
        // the revision it ran is refused now: it may keep running, but is never deployed anew
        throw BackendFailure.degraded(
            PodSecurityGuardrails.GUARDRAIL_VIOLATION,
            "ECS service " + name + " is gone and is not created again with that revision");
      }
      // find-before-create found nothing alive: create (the client token makes a retry after a
      // lost answer return the same service)
      current = withTags(create(key, name, service, desired, found), tags);
      descriptions.record(key, name, current);
      created = true;
      if (isDrift(service, plan)) {
        events.add(
            new Problem(
                "",
                DRIFT_CORRECTED,
                "ECS service " + name + " had been deleted outside Tidewater; created it again"));
      }
    } else if ("DRAINING".equals(found.get().status())) {
      throw BackendFailure.progressing(
          "ServiceDraining",
          "ECS service "
              + name
              + " is still draining after a deletion; it is created anew once it is gone");
    } else {
      current = found.get();
      Map<String, String> observedTags = EcsServiceRequests.tagsOf(current);
      AwsOwnership.Claim claim = AwsOwnership.claim(service, observedTags);
      if (!claim.usable(spec.adopt)) {
        return new ServiceObservation(
            null,
            null,
            null,
            plan.revision(),
            null,
            List.of(),
            List.of(
                new Problem(
                    "adopt",
                    "NameConflict",
                    "an ECS service named "
                        + name
                        + " already exists in the cluster and is not this Service's"
                        + claim.conflictHint(observedTags))));
      }
      // a claim (no owner tag yet) writes our tags before the user's: see AwsOwnership.tagWrites
      for (Map<String, String> missing : AwsOwnership.tagWrites(tags, observedTags)) {
        Service tagged = current;
        write(
            key,
            name,
            service,
            () -> {
              ecs.tagResource(
                  r -> r.resourceArn(tagged.serviceArn()).tags(EcsServiceRequests.tags(missing)));
              return null;
            });
        current =
            current.toBuilder()
                .tags(
                    EcsServiceRequests.tags(
                        mergedTags(EcsServiceRequests.tagsOf(current), missing)))
                .build();
        descriptions.record(key, name, current);
      }
      EcsRollouts.Reading before = EcsRollouts.read(current, plan.taskDefinitionArn());
      CreateServiceRequest compared =
          before.rolledBack()
              // rule 7: ECS rolled the planned revision back; its choice stands
              ? desired.toBuilder().taskDefinition(current.taskDefinition()).build()
              : desired;
      EcsServiceRequests.Difference difference =
          EcsServiceRequests.difference(compared, current, spec.autoscaling != null);
      warnings.addAll(difference.warnings());
      String uid = service.getMetadata().getUid();
      Optional<UpdateServiceRequest> forcedAgain =
          difference.update().filter(u -> u.toString().equals(lastForced.get(uid)));
      if (forcedAgain.isPresent()) {
        // ECS kept what the last forced update changed: forcing again would restart every task on
        // each resync (e.g. an empty strategy on a service ECS keeps on the cluster's default)
        warnings.add(
            new StatusWarning(
                String.join(",", difference.fields()),
                NOT_HONOURED_BY_ECS,
                "ECS service "
                    + name
                    + " still reports other "
                    + String.join(", ", difference.fields())
                    + " after an update with a new deployment; not forced again until the spec"
                    + " or the ECS service changes"));
      } else if (difference.update().isEmpty()) {
        lastForced.remove(uid);
      }
      if (difference.update().isPresent() && forcedAgain.isEmpty()) {
        UpdateServiceRequest update = difference.update().get();
        Map<String, String> known = EcsServiceRequests.tagsOf(current);
        current =
            withTags(write(key, name, service, () -> ecs.updateService(update).service()), known);
        if (Boolean.TRUE.equals(update.forceNewDeployment())) {
          // only once ECS took the call: a refused or throttled one is sent again as it was
          lastForced.put(uid, update.toString());
        }
        descriptions.record(key, name, current);
        if (isDrift(service, plan)) {
          events.add(
              new Problem(
                  String.join(",", difference.fields()),
                  DRIFT_CORRECTED,
                  "ECS service "
                      + name
                      + " had been changed outside Tidewater; restored "
                      + String.join(", ", difference.fields())));
        }
      }
    }
    scale(service, aws, clusterArn, name, created);
    EcsRollouts.Reading reading = EcsRollouts.read(current, plan.taskDefinitionArn());
    Integer revision = observedRevision(reading, plan, inputs.revisionArns());
    // ECS tells nobody when a rollout moves on: poll fast while one is in progress
    Duration recheck =
        reading.rollout() == ServiceObservation.RolloutState.IN_PROGRESS
            ? rolloutPoll
            : descriptions.untilNextSweep(key, resyncPeriod);
    return new ServiceObservation(
        reading.desired(),
        reading.running(),
        reading.pending(),
        revision,
        reading.rollout(),
        warnings,
        List.of(),
        current.serviceArn(),
        recheck,
        events);
  }

  /**
   * A write's answer as the service's description: ECS leaves tags out of CreateService /
   * UpdateService answers, and the ownership check of the next pass needs them.
   */
  private static Service withTags(Service answer, Map<String, String> known) {
    return answer.hasTags() && !answer.tags().isEmpty()
        ? answer
        : answer.toBuilder().tags(EcsServiceRequests.tags(known)).build();
  }

  private static Map<String, String> mergedTags(
      Map<String, String> observed, Map<String, String> added) {
    Map<String, String> out = new java.util.LinkedHashMap<>(observed);
    out.putAll(added);
    return out;
  }

  /**
   * The cached description, or a fresh one while a rollout is in progress (the fast poll must see
   * ECS, not the cache).
   */
  private Optional<Service> describe(
      ClusterKey key, String name, EcsService service, List<String> together) {
    EcsServiceStatus status = service.getStatus();
    boolean rolling = status != null && "IN_PROGRESS".equals(status.rolloutState);
    Duration maxAge = rolling ? rolloutPoll.dividedBy(2) : resyncPeriod.dividedBy(2);
    try {
      return descriptions.describe(key, name, maxAge, together);
    } catch (SdkException e) {
      throw failure(e);
    }
  }

  /**
   * CreateService with a client token that ECS has not spent on a service deleted since. The token
   * of a Service's first ECS service derives from its uid and generation; once that service was
   * deleted (outside Tidewater) ECS still answers the token with the deleted, INACTIVE service, so
   * the next token derives from that service's creation time as well. Every token follows from what
   * ECS shows, so a retry after a lost answer or a crash sends the same token and never makes a
   * second service.
   */
  private Service create(
      ClusterKey key,
      String name,
      EcsService service,
      CreateServiceRequest desired,
      Optional<Service> found) {
    EcsClient ecs = clients.ecs(key.context());
    String token = clientToken(service, found.filter(s -> "INACTIVE".equals(s.status())));
    for (int attempt = 0; attempt < MAX_REMEMBERED_TOKENS; attempt++) {
      CreateServiceRequest request = desired.toBuilder().clientToken(token).build();
      Service answer = write(key, name, service, () -> ecs.createService(request).service());
      if (!"INACTIVE".equals(answer.status())) return answer;
      // ECS remembered this token from a service deleted since: derive the next one from it
      token = nextClientToken(service, token, answer);
    }
    descriptions.forget(key, name);
    throw BackendFailure.degraded(
        "ServiceNotCreated",
        "ECS answered CreateService of "
            + name
            + " with a deleted (INACTIVE) service for "
            + MAX_REMEMBERED_TOKENS
            + " client tokens in a row; it is tried again later");
  }

  /**
   * A write call; on failure the cached description goes (the write may have taken effect). ECS
   * refusing a role it cannot assume yet is a wait while the role may still be propagating.
   */
  private <T> T write(ClusterKey key, String name, EcsService service, Supplier<T> call) {
    String uid = service.getMetadata().getUid();
    T answer;
    try {
      answer = call.get();
    } catch (SdkException e) {
      descriptions.forget(key, name);
      Optional<String> role = AwsErrors.unassumableRole(e);
      if (role.isPresent()) throw roleNotAssumable(uid, role.get(), e);
      throw failure(e);
    }
    roleWaits.remove(uid);
    return answer;
  }

  /**
   * ECS could not assume {@code role}: Progressing with a growing retry delay (5 s doubling to 30
   * s) for {@link #ROLE_PROPAGATION_WINDOW} from the first refusal, then Degraded.
   */
  private BackendFailure roleNotAssumable(String uid, String role, SdkException e) {
    long now = nanoClock.getAsLong();
    RoleWait wait =
        roleWaits.merge(
            uid,
            new RoleWait(role, now, 1),
            (old, fresh) ->
                old.role().equals(role)
                    ? new RoleWait(role, old.sinceNanos(), old.attempts() + 1)
                    // another role (the TaskDefinition changed): its own wait
                    : fresh);
    Duration waited = Duration.ofNanos(now - wait.sinceNanos());
    if (waited.compareTo(ROLE_PROPAGATION_WINDOW) >= 0) {
      return BackendFailure.degraded(
          AwsErrors.reasonOf(e).name(),
          AwsErrors.messageOf(e)
              + " (still after "
              + ROLE_PROPAGATION_WINDOW.toMinutes()
              + " minutes: check the role's trust policy for ecs-tasks.amazonaws.com and the"
              + " operator's iam:PassRole on it)",
          e);
    }
    long seconds = Math.min(30, 5L << Math.min(3, wait.attempts() - 1));
    return BackendFailure.progressing(
        WAITING_FOR_ROLE_PROPAGATION,
        "ECS cannot assume role "
            + role
            + " yet; a new IAM role takes a while to reach every AWS service, so this is retried"
            + " for up to "
            + ROLE_PROPAGATION_WINDOW.toMinutes()
            + " minutes ("
            + AwsErrors.messageOf(e)
            + ")",
        Duration.ofSeconds(seconds));
  }

  private static BackendFailure failure(SdkException e) {
    return BackendFailure.degraded(AwsErrors.reasonOf(e).name(), AwsErrors.messageOf(e), e);
  }

  /**
   * Whether a difference found now is drift (someone changed the ECS service) rather than a spec,
   * revision or route change this reconcile is applying: the spec generation was already applied
   * and the revision is the one the status reports.
   */
  private static boolean isDrift(EcsService service, ServicePlan plan) {
    EcsServiceStatus status = service.getStatus();
    return status != null
        && Objects.equals(status.getObservedGeneration(), service.getMetadata().getGeneration())
        && Objects.equals(status.revision, plan.revision())
        && status.serviceArn != null;
  }

  /**
   * The revision a reading reports: the planned one when ECS rolled it back (so the controller
   * remembers it, rule 7), else the revision whose ARN the service runs.
   */
  static Integer observedRevision(
      EcsRollouts.Reading reading, ServicePlan plan, Map<Integer, String> arns) {
    return reading.rolledBack()
        ? Integer.valueOf(plan.revision())
        : revisionOf(arns, plan, reading.taskDefinitionArn());
  }

  private static Integer revisionOf(Map<Integer, String> arns, ServicePlan plan, String arn) {
    if (arn == null) return null;
    if (arn.equals(plan.taskDefinitionArn())) return plan.revision();
    return arns.entrySet().stream()
        .filter(e -> arn.equals(e.getValue()))
        .map(Map.Entry::getKey)
        .findFirst()
        .orElse(null);
  }

  private AwsContext awsContext(EcsService service, ResolvedCluster cluster, Caches caches) {
    return contexts.resolveOrFail(cluster, service.getMetadata().getNamespace(), client);
  }

  /** The ECS service name of a Service in the unambiguous scheme: what a new ECS service gets. */
  public static String serviceName(EcsService service) {
    return AwsNames.unambiguous(
        AwsNames.Kind.ECS_SERVICE,
        service.getMetadata().getNamespace(),
        service.getMetadata().getName());
  }

  /** The ECS service name of a Service in the old scheme, which earlier versions gave it. */
  public static String legacyServiceName(EcsService service) {
    return AwsNames.of(
        AwsNames.Kind.ECS_SERVICE,
        service.getMetadata().getNamespace(),
        service.getMetadata().getName());
  }

  /**
   * The name of a Service's ECS service (docs/naming.md, migration): the one status records, else
   * the new one when a service is there, else the old one when a live service under it carries this
   * Service's owner tags, else the new one.
   */
  static AwsNames.Chosen<Service> chooseName(
      EcsService service, BiFunction<String, List<String>, Optional<Service>> describe) {
    Optional<String> recorded = recordedName(service);
    String current = serviceName(service);
    String legacy = legacyServiceName(service);
    // nothing recorded: the old name may be looked at next, so it shares the new name's call
    List<String> together =
        recorded.isEmpty() && !legacy.equals(current) ? List.of(legacy) : List.of();
    return AwsNames.choose(
        recorded,
        current,
        legacy,
        n -> describe.apply(n, n.equals(current) ? together : List.of()),
        s ->
            "ACTIVE".equals(s.status())
                && AwsOwnership.claim(service, EcsServiceRequests.tagsOf(s)).ours());
  }

  /** The name not chosen leaves the batched descriptions: no sweep describes it again. */
  private void forgetUnchosen(ClusterKey key, EcsService service, AwsNames.Chosen<Service> chosen) {
    String current = serviceName(service);
    String legacy = legacyServiceName(service);
    if (!legacy.equals(current)) {
      descriptions.remove(key, chosen.name().equals(current) ? legacy : current);
    }
  }

  /** The ECS service name in {@code status.serviceArn} (its last segment), if recorded. */
  static Optional<String> recordedName(EcsService service) {
    EcsServiceStatus status = service.getStatus();
    if (status == null || status.serviceArn == null) return Optional.empty();
    String arn = status.serviceArn;
    return Optional.of(arn.substring(arn.lastIndexOf('/') + 1));
  }

  /**
   * The CreateService client token of a Service's first ECS service: stable for one incarnation and
   * generation, so a create retried after a lost answer is the same request.
   */
  static String clientToken(EcsService service) {
    return AwsNames.of(
        AwsNames.Kind.CLIENT_TOKEN,
        service.getMetadata().getUid(),
        String.valueOf(service.getMetadata().getGeneration()));
  }

  /**
   * The CreateService client token when {@code replaced}, a deleted (INACTIVE) ECS service of this
   * Service, is still described: ECS keeps answering the first token with it, so the token is the
   * one after it.
   */
  static String clientToken(EcsService service, Optional<Service> replaced) {
    String first = clientToken(service);
    return replaced.map(gone -> nextClientToken(service, first, gone)).orElse(first);
  }

  /**
   * The token after {@code previous}, which ECS answered with the deleted service {@code gone}:
   * derived from both (and from the deleted service's creation time, where ECS reports it), so the
   * same observations always give the same token and a chain of deletions gives a chain of tokens.
   */
  static String nextClientToken(EcsService service, String previous, Service gone) {
    String created =
        gone.createdAt() == null ? "" : String.valueOf(gone.createdAt().toEpochMilli());
    return AwsNames.of(
        AwsNames.Kind.CLIENT_TOKEN,
        service.getMetadata().getUid(),
        service.getMetadata().getGeneration() + "/after/" + previous + "/" + created);
  }

  // ---- load balancers from routes ---------------------------------------------------------

  /**
   * The target groups of the LoadBalancerRoutes that send traffic to this Service and have one
   * (their status), sorted by ARN so the order never looks like a change.
   */
  static List<LoadBalancer> routeLoadBalancers(EcsService service, Caches caches) {
    String name = service.getMetadata().getName();
    Optional<TaskDefinition> td = caches.one(TaskDefinition.class);
    return caches
        .routes(
            service.getMetadata().getNamespace(),
            r ->
                r.getSpec() != null
                    && r.getSpec().target != null
                    && r.getSpec().target.serviceRef != null
                    && name.equals(r.getSpec().target.serviceRef.name)
                    && r.getStatus() != null
                    && r.getStatus().targetGroupArn != null)
        .stream()
        .map(r -> routeLoadBalancer(r, td))
        .sorted(Comparator.comparing(LoadBalancer::targetGroupArn))
        .toList();
  }

  static LoadBalancer routeLoadBalancer(LoadBalancerRoute route, Optional<TaskDefinition> td) {
    Integer port = route.getSpec().target.containerPort;
    String container =
        route.getSpec().target.containerName != null
            ? route.getSpec().target.containerName
            : td.map(t -> containerExposing(t, port)).orElse(null);
    return LoadBalancer.builder()
        .targetGroupArn(route.getStatus().targetGroupArn)
        .containerName(container)
        .containerPort(port)
        .build();
  }

  /** The container of a TaskDefinition that maps {@code port}, or the first container. */
  static String containerExposing(TaskDefinition td, Integer port) {
    if (td.getSpec() == null || td.getSpec().containerDefinitions == null) return null;
    for (ContainerDefinition c : td.getSpec().containerDefinitions) {
      if (c.portMappings != null) {
        for (PortMapping p : c.portMappings) {
          if (Objects.equals(p.containerPort, port)) return c.name;
        }
      }
    }
    return td.getSpec().containerDefinitions.isEmpty()
        ? null
        : td.getSpec().containerDefinitions.get(0).name;
  }

  // ---- autoscaling -------------------------------------------------------------------------

  private void scale(
      EcsService service, AwsContext aws, String clusterArn, String name, boolean created) {
    Autoscaling autoscaling =
        "DAEMON".equals(service.getSpec().schedulingStrategy)
            ? null
            : service.getSpec().autoscaling;
    String resourceId =
        EcsServiceScaling.resourceId(EcsServiceScaling.clusterName(clusterArn), name);
    String wanted = autoscaling == null ? "none" : JSON.asJson(autoscaling);
    ScalingCheck last = scalingChecks.get(resourceId);
    long now = System.nanoTime();
    if (!created
        && last != null
        && last.wanted().equals(wanted)
        && now - last.atNanos() < slowPassPeriod.toNanos()) {
      return;
    }
    ApplicationAutoScalingClient scaler = clients.autoScaling(aws);
    try {
      Optional<ScalableTarget> registered = Optional.empty();
      List<ScalingPolicy> policies = List.of();
      // a service just created has no target and no policy: nothing to read
      if (!created) {
        registered = scalableTarget(scaler, resourceId);
        if (registered.isPresent()) {
          policies = scalingPolicies(scaler, resourceId);
        }
      }
      EcsServiceScaling.Plan plan =
          EcsServiceScaling.plan(autoscaling, resourceId, registered, policies);
      plan.register().ifPresent(scaler::registerScalableTarget);
      plan.put().forEach(scaler::putScalingPolicy);
      deletePolicies(scaler, resourceId, plan.delete());
      if (plan.deregister()) {
        scaler.deregisterScalableTarget(
            r ->
                r.serviceNamespace(ServiceNamespace.ECS)
                    .scalableDimension(ScalableDimension.ECS_SERVICE_DESIRED_COUNT)
                    .resourceId(resourceId));
      }
      scalingChecks.put(resourceId, new ScalingCheck(wanted, now));
    } catch (SdkException e) {
      scalingChecks.remove(resourceId);
      throw failure(e);
    }
  }

  private static void deletePolicies(
      ApplicationAutoScalingClient scaler, String resourceId, List<String> names) {
    for (String policy : names) {
      scaler.deleteScalingPolicy(
          r ->
              r.serviceNamespace(ServiceNamespace.ECS)
                  .scalableDimension(ScalableDimension.ECS_SERVICE_DESIRED_COUNT)
                  .resourceId(resourceId)
                  .policyName(policy));
    }
  }

  // ---- deletion ----------------------------------------------------------------------------

  @Override
  public boolean needsFinalizer() {
    return true;
  }

  @Override
  public ServiceRemoval remove(EcsService service, ResolvedCluster cluster, Caches caches) {
    Optional<String> arn = clusterArn(caches);
    AwsContext aws;
    try {
      aws = awsContext(service, cluster, caches);
    } catch (BackendFailure e) {
      // never where the namespace's ceiling no longer lets it go (a withdrawn endpoint or role)
      if (TenancyCeiling.EXCEEDS.equals(e.reason())) throw e;
      // the credentials Secret may go with the namespace: where the service last ran still works
      Optional<ServiceRemoval> removed = removeWhereLastSeen(service);
      if (removed.isPresent()) return removed.get();
      throw e;
    }
    if (arn.isEmpty()) {
      // no ECS cluster known now: where it last ran, if it ever did
      return removeWhereLastSeen(service).orElse(ServiceRemoval.complete());
    }
    return remove(service, aws, arn.get());
  }

  /**
   * Removes the ECS service of a deleted Service whose Cluster is gone (a namespace deletion) from
   * where this operator last saw it run; empty when it never saw it (e.g. after a restart).
   */
  @Override
  public Optional<ServiceRemoval> removeWhereLastSeen(EcsService service) {
    Place place = lastPlaces.get(service.getMetadata().getUid());
    if (place == null) return Optional.empty();
    ServiceRemoval removal = remove(service, place.aws(), place.clusterArn());
    if (removal.finished()) lastPlaces.remove(service.getMetadata().getUid());
    return Optional.of(removal);
  }

  /** Removes the ECS service of a deleted {@code service} (unless Retain); AWS calls only. */
  public ServiceRemoval remove(EcsService service, AwsContext aws, String clusterArn) {
    roleWaits.remove(service.getMetadata().getUid());
    ClusterKey key = new ClusterKey(aws, clusterArn);
    lastForced.remove(service.getMetadata().getUid());
    if ("Retain".equals(service.getSpec().deletionPolicy)) {
      descriptions.remove(key, serviceName(service));
      descriptions.remove(key, legacyServiceName(service));
      return ServiceRemoval.complete();
    }
    EcsClient ecs = clients.ecs(aws);
    AwsNames.Chosen<Service> chosen;
    try {
      chosen =
          chooseName(
              service, (n, together) -> descriptions.describe(key, n, Duration.ZERO, together));
    } catch (SdkException e) {
      throw failure(e);
    }
    forgetUnchosen(key, service, chosen);
    String name = chosen.name();
    Optional<Service> found = chosen.found();
    if (found.isEmpty()
        || !"ACTIVE".equals(found.get().status())
        || !AwsOwnership.claim(service, EcsServiceRequests.tagsOf(found.get())).ours()) {
      // gone, already being deleted, or never ours (a NameConflict we did not adopt)
      descriptions.remove(key, name);
      return ServiceRemoval.complete();
    }
    Service current = found.get();
    // the scaler would scale the service back up; and its target outlives the service otherwise
    try {
      dropScaling(aws, clusterArn, name);
      if (!"DAEMON".equals(current.schedulingStrategyAsString())
          && current.desiredCount() != null
          && current.desiredCount() > 0) {
        ecs.updateService(r -> r.cluster(clusterArn).service(name).desiredCount(0));
      }
      ecs.deleteService(r -> r.cluster(clusterArn).service(name));
    } catch (SdkException e) {
      descriptions.forget(key, name);
      throw failure(e);
    }
    descriptions.remove(key, name);
    return ServiceRemoval.complete();
  }

  @Override
  public CutOver.Side observeSide(EcsService service, ResolvedCluster cluster, Caches caches) {
    Optional<Found> found = find(service, cluster, caches);
    if (found.isEmpty()) return CutOver.Side.NONE;
    Service current = found.get().service();
    EcsRollouts.Reading reading = EcsRollouts.read(current, current.taskDefinition());
    List<LoadBalancer> groups =
        current.loadBalancers().stream().filter(lb -> lb.targetGroupArn() != null).toList();
    // behind a target group a task is ready once its target is healthy there (a task that runs
    // but fails its health checks serves nothing); without one, running is ready
    Integer ready = groups.isEmpty() ? reading.running() : healthyTasks(found.get(), groups);
    return CutOver.Side.running(
        reading.desired(), ready, reading.rollout() == ServiceObservation.RolloutState.FAILED);
  }

  /** Tasks are described in batches of this many (the API's limit for both calls). */
  static final int TASK_BATCH = 100;

  /**
   * The service's RUNNING tasks whose target is healthy in every one of {@code groups} (see {@link
   * EcsTaskTargets}). Read only while a migration is under way (observeSide): per call ceil(n/100)
   * ListTasks and DescribeTasks for n tasks, ceil(m/100) DescribeContainerInstances for m tasks on
   * container instances without an ENI of their own (bridge / host), and one DescribeTargetHealth
   * per target group; one ListTasks when nothing runs.
   */
  private int healthyTasks(Found found, List<LoadBalancer> groups) {
    String clusterArn = found.key().cluster();
    String name = found.service().serviceName();
    EcsClient ecs = clients.ecs(found.key().context());
    try {
      List<String> arns =
          ecs
              .listTasksPaginator(
                  r ->
                      r.cluster(clusterArn)
                          .serviceName(name)
                          .desiredStatus(DesiredStatus.RUNNING)
                          .maxResults(TASK_BATCH))
              .taskArns()
              .stream()
              .toList();
      if (arns.isEmpty()) return 0;
      List<Task> tasks = new ArrayList<>();
      for (List<String> batch : batches(arns)) {
        tasks.addAll(ecs.describeTasks(r -> r.cluster(clusterArn).tasks(batch)).tasks());
      }
      List<String> instances =
          tasks.stream()
              .filter(EcsTaskTargets::needsInstanceId)
              .map(Task::containerInstanceArn)
              .distinct()
              .toList();
      Map<String, String> instanceIds = new HashMap<>();
      for (List<String> batch : batches(instances)) {
        ecs.describeContainerInstances(r -> r.cluster(clusterArn).containerInstances(batch))
            .containerInstances()
            .forEach(ci -> instanceIds.put(ci.containerInstanceArn(), ci.ec2InstanceId()));
      }
      ElasticLoadBalancingV2Client elb = clients.elbv2(found.key().context());
      Map<String, List<TargetHealthDescription>> health = new HashMap<>();
      for (String group : groups.stream().map(LoadBalancer::targetGroupArn).distinct().toList()) {
        try {
          health.put(
              group,
              elb.describeTargetHealth(r -> r.targetGroupArn(group)).targetHealthDescriptions());
        } catch (TargetGroupNotFoundException e) {
          // a target group gone (its route deleted): nothing is healthy behind it
          health.put(group, List.of());
        }
      }
      return EcsTaskTargets.ready(tasks, instanceIds, groups, health);
    } catch (SdkException e) {
      throw failure(e);
    }
  }

  private static List<List<String>> batches(List<String> all) {
    List<List<String>> out = new ArrayList<>();
    for (int i = 0; i < all.size(); i += TASK_BATCH) {
      out.add(all.subList(i, Math.min(all.size(), i + TASK_BATCH)));
    }
    return out;
  }

  @Override
  public void scaleTo(
      EcsService service,
      ResolvedCluster cluster,
      int count,
      boolean keepAutoscaling,
      Caches caches) {
    Optional<Found> found = find(service, cluster, caches);
    if (found.isEmpty()) return;
    scaleTo(service, found.get(), count, keepAutoscaling);
  }

  private void scaleTo(EcsService service, Found found, int count, boolean keepAutoscaling) {
    Service current = found.service();
    if ("DAEMON".equals(current.schedulingStrategyAsString())) return;
    String clusterArn = found.key().cluster();
    String name = current.serviceName();
    try {
      // the scaler would scale it back up; an apply registers it again
      if (!keepAutoscaling) dropScaling(found.key().context(), clusterArn, name);
      if (!Integer.valueOf(count).equals(current.desiredCount())) {
        Service answer =
            write(
                found.key(),
                name,
                service,
                () ->
                    clients
                        .ecs(found.key().context())
                        .updateService(r -> r.cluster(clusterArn).service(name).desiredCount(count))
                        .service());
        descriptions.record(
            found.key(), name, withTags(answer, EcsServiceRequests.tagsOf(current)));
      }
    } catch (SdkException e) {
      descriptions.forget(found.key(), name);
      throw failure(e);
    }
  }

  @Override
  public ServiceRemoval removeSide(EcsService service, ResolvedCluster cluster, Caches caches) {
    if (clusterArn(caches).isEmpty()) {
      throw unknownPlace();
    }
    if ("Retain".equals(service.getSpec().deletionPolicy)) {
      find(service, cluster, caches).ifPresent(f -> scaleTo(service, f, 0, false));
      return ServiceRemoval.complete();
    }
    return remove(service, cluster, caches);
  }

  /** The Service's live ECS service, if it is this Service's, and where it is. */
  private record Found(ClusterKey key, Service service) {}

  /** Not knowing the ECS cluster is not knowing what runs: a migration never guesses "nothing". */
  private static BackendFailure unknownPlace() {
    return BackendFailure.progressing(
        "ClusterNotReady",
        "the Cluster has no ECS cluster ARN (yet): what the Service runs on ECS cannot be read");
  }

  private Optional<Found> find(EcsService service, ResolvedCluster cluster, Caches caches) {
    Optional<String> arn = clusterArn(caches);
    if (arn.isEmpty()) throw unknownPlace();
    ClusterKey key = new ClusterKey(awsContext(service, cluster, caches), arn.get());
    AwsNames.Chosen<Service> chosen;
    try {
      // a migration watches the other side closely: at most half a rollout poll old
      chosen =
          chooseName(
              service,
              (n, together) -> descriptions.describe(key, n, rolloutPoll.dividedBy(2), together));
    } catch (SdkException e) {
      throw failure(e);
    }
    return chosen
        .found()
        .filter(s -> "ACTIVE".equals(s.status()))
        .filter(s -> AwsOwnership.claim(service, EcsServiceRequests.tagsOf(s)).ours())
        .map(s -> new Found(key, s));
  }

  /** Deletes the scaling policies Tidewater made and deregisters the service's scalable target. */
  private void dropScaling(AwsContext aws, String clusterArn, String name) {
    String resourceId =
        EcsServiceScaling.resourceId(EcsServiceScaling.clusterName(clusterArn), name);
    ApplicationAutoScalingClient scaler = clients.autoScaling(aws);
    if (scalableTarget(scaler, resourceId).isPresent()) {
      List<String> ours =
          EcsServiceScaling.plan(
                  null, resourceId, Optional.empty(), scalingPolicies(scaler, resourceId))
              .delete();
      deletePolicies(scaler, resourceId, ours);
      scaler.deregisterScalableTarget(
          r ->
              r.serviceNamespace(ServiceNamespace.ECS)
                  .scalableDimension(ScalableDimension.ECS_SERVICE_DESIRED_COUNT)
                  .resourceId(resourceId));
    }
    scalingChecks.remove(resourceId);
  }

  /**
   * The scalable target of a service's desired count, by exact resource id (moto matches loosely).
   */
  private static Optional<ScalableTarget> scalableTarget(
      ApplicationAutoScalingClient scaler, String resourceId) {
    return scaler
        .describeScalableTargetsPaginator(
            r ->
                r.serviceNamespace(ServiceNamespace.ECS)
                    .scalableDimension(ScalableDimension.ECS_SERVICE_DESIRED_COUNT)
                    .resourceIds(resourceId))
        .scalableTargets()
        .stream()
        .filter(t -> resourceId.equals(t.resourceId()))
        .findFirst();
  }

  /** Every scaling policy of a service's desired count, all pages (NextToken) of them. */
  private static List<ScalingPolicy> scalingPolicies(
      ApplicationAutoScalingClient scaler, String resourceId) {
    return scaler
        .describeScalingPoliciesPaginator(
            r ->
                r.serviceNamespace(ServiceNamespace.ECS)
                    .scalableDimension(ScalableDimension.ECS_SERVICE_DESIRED_COUNT)
                    .resourceId(resourceId))
        .scalingPolicies()
        .stream()
        .toList();
  }
}
