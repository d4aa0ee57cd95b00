package dev.tidewater.backend.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tidewater.api.v1alpha1.cluster.Cluster;
import dev.tidewater.api.v1alpha1.scheduledtask.ScheduledTask;
import dev.tidewater.api.v1alpha1.task.TaskRunStatus;
import dev.tidewater.api.v1alpha1.taskdefinition.ContainerDefinition;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import dev.tidewater.aws.AwsClientFactory;
import dev.tidewater.aws.AwsContext;
import dev.tidewater.backend.BackendFailure;
import dev.tidewater.backend.ResolvedCluster;
import dev.tidewater.backend.ScheduledTaskBackend;
import dev.tidewater.backend.TaskBackend;
import dev.tidewater.backend.aws.AwsFailures;
import dev.tidewater.backend.aws.AwsOwnership;
import dev.tidewater.backend.aws.ClusterAwsContexts;
import dev.tidewater.backend.aws.IamRoleBackend;
import dev.tidewater.model.AwsNames;
import dev.tidewater.model.DesiredIamRole;
import dev.tidewater.model.EventBridgeSchedule;
import dev.tidewater.model.EventBridgeScheduleParser;
import dev.tidewater.model.IamRolePlanner;
import dev.tidewater.model.ObservedIamRole;
import dev.tidewater.model.Problem;
import dev.tidewater.model.ScheduleRuns;
import dev.tidewater.model.ScheduledTaskRuns;
import dev.tidewater.model.Sha256;
import dev.tidewater.model.TaskValidator;
import dev.tidewater.model.ValidationContext;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.TaskField;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.scheduler.model.GetScheduleResponse;
import software.amazon.awssdk.services.scheduler.model.ResourceNotFoundException;
import software.amazon.awssdk.services.scheduler.model.UpdateScheduleRequest;

/**
 * A ScheduledTask as one EventBridge Scheduler schedule in the group {@value
 * EcsScheduleRequests#GROUP} ({@link EcsScheduleRequests}), and the IAM role the scheduler assumes
 * (the spec's, or one Tidewater manages). GetSchedule by name before CreateSchedule (a crash after
 * the create finds it again; a client token too), UpdateSchedule only when a field differs, and
 * DeleteSchedule when the ScheduledTask goes (unless {@code deletionPolicy: Retain}). Schedules
 * carry no tags: the description names the owner and uid, and a schedule under our name without
 * them is a NameConflict. Scheduler reports no runs: the runs are the tasks ECS has of the task
 * definition's family with this ScheduledTask's uid tag (which every task gets), looked for only
 * when a run is due or one is still running.
 */
public final class EcsScheduledTaskBackend implements ScheduledTaskBackend {

  /** A schedule or role under our name that is not this ScheduledTask's. */
  public static final String NAME_CONFLICT = "NameConflict";

  /** How often a running run is described (ECS sends no events). */
  public static final Duration POLL = Duration.ofSeconds(15);

  /** The inline policy of the managed scheduler role. */
  static final String ROLE_POLICY = "run-task";

  private static final String SCHEDULER_PRINCIPAL = "scheduler.amazonaws.com";

  /** How long after a run was due its tasks are looked for (EventBridge may start them late). */
  static final Duration RUN_WINDOW = Duration.ofMinutes(5);

  /** How soon a cleanup that waits for an apply under way looks again. */
  static final Duration APPLYING_WAIT = Duration.ofSeconds(1);

  private final AwsClientFactory clients;
  private final ClusterAwsContexts contexts;
  private final KubernetesClient client;
  private final EcsTaskBackend tasks;
  private final IamRoleBackend roles;

  /** Whether a ScheduledTask is being deleted (or gone) as the API server says now. */
  private final Predicate<ScheduledTask> deleting;

  /** ScheduledTask uid → applies of it under way in this process (its cleanup waits for them). */
  private final Map<String, Integer> applying = new ConcurrentHashMap<>();

  /** Registered task definition ARN → what RunTask needs of it (a revision never changes). */
  private final Map<String, Registered> registered = new ConcurrentHashMap<>();

  /** A registered revision as RunTask reads it: its network mode, containers, essential ones. */
  record Registered(String networkMode, List<String> containers, List<String> essential) {}

  public EcsScheduledTaskBackend(
      AwsClientFactory clients,
      ClusterAwsContexts contexts,
      KubernetesClient client,
      EcsTaskBackend tasks) {
    this(clients, contexts, client, tasks, beingDeleted(client));
  }

  EcsScheduledTaskBackend(
      AwsClientFactory clients,
      ClusterAwsContexts contexts,
      KubernetesClient client,
      EcsTaskBackend tasks,
      Predicate<ScheduledTask> deleting) {
    this.clients = clients;
    this.contexts = contexts;
    this.client = client;
    this.tasks = tasks;
    this.roles = clients == null ? null : new IamRoleBackend(clients);
    this.deleting = deleting;
  }

  private static Predicate<ScheduledTask> beingDeleted(KubernetesClient client) {
    return scheduled -> {
      if (client == null) return false;
      ScheduledTask now = client.resource(scheduled).get();
      return now == null
          || now.getMetadata().getDeletionTimestamp() != null
          || !scheduled.getMetadata().getUid().equals(now.getMetadata().getUid());
    };
  }

  /**
   * Refuses to make anything for a ScheduledTask deleted since this reconcile read it: its cleanup
   * may have found nothing yet and let it go (it waits only while an apply is under way).
   */
  private void notDeleting(ScheduledTask scheduled) {
    if (deleting.test(scheduled)) {
      throw BackendFailure.progressing(
          "Deleting", "the ScheduledTask is being deleted: no schedule or role is made");
    }
  }

  /** Whether an apply of {@code scheduled} is under way in this process. */
  public boolean isApplying(ScheduledTask scheduled) {
    return applying.containsKey(scheduled.getMetadata().getUid());
  }

  @Override
  public List<Integer> revisions(
      ScheduledTask scheduled, TaskDefinition taskDefinition, Caches caches) {
    return tasks.revisions(ScheduledTaskRuns.asTask(scheduled, true), taskDefinition, caches);
  }

  @Override
  public Optional<Problem> waitingFor(
      ScheduledTask scheduled, TaskDefinition taskDefinition, int revision, Caches caches) {
    return tasks.waitingFor(
        ScheduledTaskRuns.asTask(scheduled, true), taskDefinition, revision, caches);
  }

  @Override
  public TaskBackend.Plan plan(
      ScheduledTask scheduled, TaskDefinition taskDefinition, int revision, Caches caches) {
    return tasks.plan(ScheduledTaskRuns.asTask(scheduled, true), taskDefinition, revision, caches);
  }

  @Override
  public boolean needsFinalizer() {
    return true;
  }

  /** The schedule's name: {@code <namespace>_<name>}, shortened with a hash past 64. */
  public static String scheduleName(ScheduledTask scheduled) {
    return AwsNames.unambiguous(
        AwsNames.Kind.SCHEDULE,
        scheduled.getMetadata().getNamespace(),
        scheduled.getMetadata().getName());
  }

  /**
   * The suffix every managed scheduler role's name ends with (deploy/iam-policy.json's PassRole).
   */
  static final String ROLE_SUFFIX = "_scheduler";

  /**
   * The managed scheduler role's name: {@code <namespace>_<name>_scheduler}; past 64 characters
   * shortened with a hash before the suffix, which stays last so that the operator's policy can
   * pass exactly these roles to EventBridge Scheduler ({@code role/tidewater/*_scheduler}).
   */
  public static String roleName(ScheduledTask scheduled) {
    String name =
        AwsNames.unambiguous(
            AwsNames.Kind.IAM_ROLE,
            scheduled.getMetadata().getNamespace(),
            scheduled.getMetadata().getName(),
            "scheduler");
    if (name.endsWith(ROLE_SUFFIX)) return name;
    // <cut>+<hash>: cut further to make room for the suffix, the hash kept whole
    int hash = name.lastIndexOf('+');
    String head = name.substring(0, hash);
    String tail = name.substring(hash);
    int room = AwsNames.Kind.IAM_ROLE.maxLength() - tail.length() - ROLE_SUFFIX.length();
    return head.substring(0, Math.min(head.length(), room)) + tail + ROLE_SUFFIX;
  }

  /** The schedule's description: whose it is (schedules take no tags). */
  public static String description(ScheduledTask scheduled) {
    return "Tidewater "
        + AwsOwnership.owner(scheduled)
        + " uid "
        + scheduled.getMetadata().getUid()
        + AwsOwnership.clusterId().map(id -> " cluster " + id).orElse("");
  }

  private static boolean ours(ScheduledTask scheduled, GetScheduleResponse schedule) {
    return schedule.description() != null
        && schedule.description().contains(" uid " + scheduled.getMetadata().getUid());
  }

  private static Optional<String> clusterArn(Caches caches) {
    return EcsServiceBackend.clusterArnOf(caches.one(Cluster.class));
  }

  private AwsContext aws(ScheduledTask scheduled, ResolvedCluster cluster) {
    return contexts.resolveOrFail(cluster, scheduled.getMetadata().getNamespace(), client);
  }

  @Override
  public Observation apply(
      ScheduledTask scheduled, ResolvedCluster cluster, Desired desired, Caches caches) {
    String clusterArn =
        clusterArn(caches)
            .orElseThrow(
                () -> BackendFailure.progressing("ClusterNotReady", "the Cluster has no ARN yet"));
    if (desired.plan().taskDefinitionArn() == null) {
      throw BackendFailure.progressing(
          "RevisionPending",
          "revision " + desired.plan().revision() + " has no task definition ARN yet");
    }
    return apply(
        scheduled,
        aws(scheduled, cluster),
        ValidationContext.forCluster(cluster.spec()),
        clusterArn,
        desired);
  }

  /**
   * The schedule and its role on {@code clusterArn}; AWS calls only, from explicit inputs. While it
   * runs, a cleanup of the same ScheduledTask in this process waits ({@link #remove}), and nothing
   * is created for a ScheduledTask found being deleted just before.
   */
  public Observation apply(
      ScheduledTask scheduled,
      AwsContext aws,
      ValidationContext guardrails,
      String clusterArn,
      Desired desired) {
    return apply(
        scheduled, aws, guardrails, clusterArn, desired, clients.scheduler(aws), clients.ecs(aws));
  }

  /**
   * {@link #apply(ScheduledTask, AwsContext, ValidationContext, String, Desired)}, clients given.
   */
  Observation apply(
      ScheduledTask scheduled,
      AwsContext aws,
      ValidationContext guardrails,
      String clusterArn,
      Desired desired,
      SchedulerClient scheduler,
      EcsClient ecs) {
    String uid = scheduled.getMetadata().getUid();
    applying.merge(uid, 1, Integer::sum);
    try {
      return applyUnguarded(scheduled, aws, guardrails, clusterArn, desired, scheduler, ecs);
    } finally {
      applying.computeIfPresent(uid, (k, n) -> n <= 1 ? null : n - 1);
    }
  }

  private Observation applyUnguarded(
      ScheduledTask scheduled,
      AwsContext aws,
      ValidationContext guardrails,
      String clusterArn,
      Desired desired,
      SchedulerClient scheduler,
      EcsClient ecs) {
    // what RunTask will refuse of each run, checked on the revision as ECS registered it (any
    // revision, not only the latest): the same checks a Task gets, with the task. paths
    Registered revision = registered(ecs, desired.plan().taskDefinitionArn());
    List<Problem> refused = new ArrayList<>();
    refused.addAll(TaskValidator.withRevision(scheduled.getSpec().task, specOf(revision)));
    refused.addAll(TaskValidator.forEcs(scheduled.getSpec().task, revision.networkMode()));
    if (!refused.isEmpty()) {
      return Observation.refused(List.of(), ScheduledTaskRuns.taskPaths(refused));
    }
    List<String[]> events = new ArrayList<>();
    String roleArn;
    String roleHash = null;
    // switched from a managed role to a given one: the managed role goes (when it is ours), but
    // only once the schedule uses the given role (a failed update keeps the one it runs with)
    boolean dropManaged =
        scheduled.getSpec().schedulerRoleArn != null
            && scheduled.getStatus() != null
            && scheduled.getStatus().schedulerRoleHash != null;
    if (scheduled.getSpec().schedulerRoleArn != null) {
      roleArn = scheduled.getSpec().schedulerRoleArn;
    } else {
      RoleResult role = managedRole(scheduled, aws, guardrails, clusterArn, desired.plan(), ecs);
      if (role.refusal() != null) {
        return Observation.refused(List.of(), List.of(role.refusal()));
      }
      roleArn = role.arn();
      roleHash = role.hash();
    }
    String name = scheduleName(scheduled);
    EcsScheduleRequests.Inputs in =
        new EcsScheduleRequests.Inputs(
            scheduled.getSpec(),
            name,
            description(scheduled),
            clusterArn,
            desired.plan().taskDefinitionArn(),
            roleArn,
            AwsOwnership.tags(scheduled, AwsOwnership.userTags(scheduled.getSpec().task.tags)),
            desired.now(),
            created(scheduled));
    Optional<GetScheduleResponse> found = get(scheduler, name);
    String arn;
    String state;
    if (found.isEmpty()) {
      notDeleting(scheduled);
      ensureGroup(scheduler);
      arn =
          AwsFailures.translated(
                  () ->
                      scheduler.createSchedule(
                          EcsScheduleRequests.create(in, clientToken(scheduled, "create"))))
              .scheduleArn();
      state = Boolean.TRUE.equals(scheduled.getSpec().paused) ? "DISABLED" : "ENABLED";
      events.add(new String[] {"ScheduleCreated", "EventBridge schedule " + arn + " created"});
    } else {
      GetScheduleResponse schedule = found.get();
      if (!ours(scheduled, schedule)) {
        return Observation.refused(
            List.of(),
            List.of(
                new Problem(
                    "metadata.name",
                    NAME_CONFLICT,
                    "EventBridge schedule "
                        + EcsScheduleRequests.GROUP
                        + "/"
                        + name
                        + " exists and is not this ScheduledTask's (its description does not name"
                        + " its uid)")));
      }
      arn = schedule.arn();
      UpdateScheduleRequest update = EcsScheduleRequests.update(in, null);
      List<String> changed =
          EcsScheduleRequests.differences(
              update, schedule, scheduled.getSpec(), created(scheduled));
      state = schedule.stateAsString();
      if (!changed.isEmpty()) {
        String token = clientToken(scheduled, Sha256.hex(update.toString(), 16));
        AwsFailures.translated(
            () -> scheduler.updateSchedule(update.toBuilder().clientToken(token).build()));
        state = update.stateAsString();
        events.add(
            new String[] {
              "ScheduleUpdated",
              "EventBridge schedule " + arn + " updated in place: " + String.join(", ", changed)
            });
      }
    }
    if (dropManaged) {
      deleteManagedRole(scheduled, aws, guardrails, roleArn)
          .ifPresent(
              deleted ->
                  events.add(
                      new String[] {
                        "SchedulerRoleDeleted",
                        "managed role " + deleted + " deleted: spec.schedulerRoleArn is set"
                      }));
    }
    Looked looked = runs(scheduled, ecs, clusterArn, desired);
    List<Run> runs = looked.runs();
    boolean running =
        !runs.isEmpty()
            && runs.get(0).tasks().stream().anyMatch(t -> !"STOPPED".equals(t.lastStatus));
    return new Observation(
        null,
        null,
        null,
        arn,
        EcsScheduleRequests.GROUP + "/" + name,
        state,
        roleArn,
        roleHash,
        false,
        null,
        runs,
        List.of(),
        List.of(),
        events,
        running || looked.awaiting() ? POLL : null,
        revision.essential());
  }

  private static Instant created(ScheduledTask scheduled) {
    String c = scheduled.getMetadata().getCreationTimestamp();
    return c == null ? null : EcsScheduleRequests.instant(c).orElse(null);
  }

  /** The registered revision {@code arn}, one DescribeTaskDefinition per ARN and process. */
  private Registered registered(EcsClient ecs, String arn) {
    Registered known = registered.get(arn);
    if (known != null) return known;
    var td =
        AwsFailures.translated(() -> ecs.describeTaskDefinition(r -> r.taskDefinition(arn)))
            .taskDefinition();
    Registered r =
        new Registered(
            td.networkModeAsString(),
            td.containerDefinitions().stream()
                .map(software.amazon.awssdk.services.ecs.model.ContainerDefinition::name)
                .toList(),
            EcsTaskStatuses.essentialContainers(td.containerDefinitions()));
    registered.put(arn, r);
    return r;
  }

  /** The container names of a registered revision, as the shape TaskValidator reads. */
  private static TaskDefinitionSpec specOf(Registered revision) {
    TaskDefinitionSpec spec = new TaskDefinitionSpec();
    spec.containerDefinitions = new ArrayList<>();
    for (String name : revision.containers()) {
      ContainerDefinition c = new ContainerDefinition();
      c.name = name;
      spec.containerDefinitions.add(c);
    }
    return spec;
  }

  private static String clientToken(ScheduledTask scheduled, String what) {
    return AwsNames.unambiguous(
        AwsNames.Kind.CLIENT_TOKEN,
        scheduled.getMetadata().getNamespace(),
        scheduled.getMetadata().getUid(),
        what);
  }

  private static Optional<GetScheduleResponse> get(SchedulerClient scheduler, String name) {
    return AwsFailures.translated(
        () -> {
          try {
            return Optional.of(
                scheduler.getSchedule(r -> r.name(name).groupName(EcsScheduleRequests.GROUP)));
          } catch (ResourceNotFoundException e) {
            return Optional.<GetScheduleResponse>empty();
          }
        });
  }

  private static void ensureGroup(SchedulerClient scheduler) {
    AwsFailures.translated(
        () -> {
          try {
            scheduler.getScheduleGroup(r -> r.name(EcsScheduleRequests.GROUP));
          } catch (ResourceNotFoundException e) {
            scheduler.createScheduleGroup(r -> r.name(EcsScheduleRequests.GROUP));
          }
        });
  }

  /** The role's ARN and what it was made from, or why it cannot be. */
  record RoleResult(String arn, String hash, Problem refusal) {}

  private RoleResult managedRole(
      ScheduledTask scheduled,
      AwsContext aws,
      ValidationContext guardrails,
      String clusterArn,
      TaskBackend.Plan plan,
      EcsClient ecs) {
    String name = roleName(scheduled);
    String hash =
        Sha256.hex(
            String.join(
                "|",
                name,
                guardrails.rolePath(),
                guardrails.enforcedPermissionsBoundary().orElse(""),
                clusterArn,
                plan.taskDefinitionArn()),
            16);
    var status = scheduled.getStatus();
    if (status != null
        && hash.equals(status.schedulerRoleHash)
        && status.schedulerRoleArn != null) {
      // made from the same inputs before: no IAM call (IAM drift is not checked on every resync)
      return new RoleResult(status.schedulerRoleArn, hash, null);
    }
    var td =
        AwsFailures.translated(
                () -> ecs.describeTaskDefinition(r -> r.taskDefinition(plan.taskDefinitionArn())))
            .taskDefinition();
    List<String> passed = new ArrayList<>();
    if (td.taskRoleArn() != null) passed.add(td.taskRoleArn());
    if (td.executionRoleArn() != null) passed.add(td.executionRoleArn());
    DesiredIamRole desired =
        desiredRole(scheduled, name, guardrails, clusterArn, td.family(), passed);
    Optional<ObservedIamRole> observed = AwsFailures.translated(() -> roles.observe(aws, name));
    if (observed.isPresent()) {
      var claim = AwsOwnership.claim(scheduled, observed.get().tags());
      if (claim != AwsOwnership.Claim.OURS && claim != AwsOwnership.Claim.PREVIOUS_INCARNATION) {
        return new RoleResult(
            null,
            null,
            new Problem(
                "schedulerRoleArn",
                NAME_CONFLICT,
                "IAM role "
                    + name
                    + " exists and is not this ScheduledTask's; set spec.schedulerRoleArn or"
                    + " delete the role"));
      }
    }
    var changes = IamRolePlanner.plan(desired, observed).changes();
    if (observed.isEmpty()) {
      notDeleting(scheduled);
    }
    String arn =
        AwsFailures.translated(
            () -> roles.apply(aws, name, changes, observed.map(ObservedIamRole::arn)));
    return new RoleResult(arn, hash, null);
  }

  /**
   * The managed role (pure): trusted by EventBridge Scheduler from this account only, allowed to
   * RunTask the task definition's family on this cluster, tag the tasks it starts, and pass the
   * task's roles to ECS tasks; under the Cluster's role path and boundary, with owner tags.
   */
  static DesiredIamRole desiredRole(
      ScheduledTask scheduled,
      String name,
      ValidationContext guardrails,
      String clusterArn,
      String family,
      List<String> passedRoles) {
    String[] arn = clusterArn.split(":");
    String partition = arn[1];
    String region = arn[3];
    String account = arn[4];
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode trust = f.objectNode().put("Version", "2012-10-17");
    ObjectNode assume = trust.putArray("Statement").addObject();
    assume.put("Effect", "Allow");
    assume.putObject("Principal").put("Service", SCHEDULER_PRINCIPAL);
    assume.put("Action", "sts:AssumeRole");
    assume.putObject("Condition").putObject("StringEquals").put("aws:SourceAccount", account);
    ObjectNode policy = f.objectNode().put("Version", "2012-10-17");
    ArrayNode statements = policy.putArray("Statement");
    ObjectNode run = statements.addObject();
    run.put("Effect", "Allow");
    run.put("Action", "ecs:RunTask");
    run.put(
        "Resource",
        "arn:"
            + partition
            + ":ecs:"
            + region
            + ":"
            + account
            + ":task-definition/"
            + family
            + ":*");
    run.putObject("Condition").putObject("ArnEquals").put("ecs:cluster", clusterArn);
    ObjectNode tag = statements.addObject();
    tag.put("Effect", "Allow");
    tag.put("Action", "ecs:TagResource");
    tag.put("Resource", "*");
    tag.putObject("Condition").putObject("StringEquals").put("ecs:CreateAction", "RunTask");
    if (!passedRoles.isEmpty()) {
      ObjectNode pass = statements.addObject();
      pass.put("Effect", "Allow");
      pass.put("Action", "iam:PassRole");
      ArrayNode resources = pass.putArray("Resource");
      new TreeSet<>(passedRoles).forEach(resources::add);
      pass.putObject("Condition")
          .putObject("StringEquals")
          .put("iam:PassedToService", "ecs-tasks.amazonaws.com");
    }
    TreeMap<String, JsonNode> inline = new TreeMap<>();
    inline.put(ROLE_POLICY, policy);
    Map<String, String> tags = new TreeMap<>(AwsOwnership.tags(scheduled, Map.of()));
    return new DesiredIamRole(
        name,
        guardrails.rolePath(),
        "EventBridge Scheduler runs " + family + " for " + AwsOwnership.owner(scheduled),
        DesiredIamRole.DEFAULT_MAX_SESSION_DURATION,
        trust,
        inline,
        new TreeSet<>(),
        guardrails.enforcedPermissionsBoundary(),
        tags);
  }

  /** The runs seen, and whether a run that was due is still awaited (looked for again soon). */
  record Looked(List<Run> runs, boolean awaiting) {}

  /**
   * The runs ECS has of this schedule, newest first: its tasks (the task definition's family,
   * running and stopped, with this ScheduledTask's uid tag) grouped by the due time they were
   * started for ({@link #group}). Looked for while a run that was due is awaited — from its due
   * time until its tasks are seen, the next run is due or {@link #RUN_WINDOW} passed — and while
   * the last one still runs; otherwise what status holds stands.
   */
  private Looked runs(ScheduledTask scheduled, EcsClient ecs, String clusterArn, Desired desired) {
    var status = scheduled.getStatus();
    Instant now = desired.now();
    Optional<Instant> lastDue = lastDue(scheduled, now, RUN_WINDOW);
    // a paused schedule starts nothing: no run is awaited (one already running is still read)
    boolean paused = Boolean.TRUE.equals(scheduled.getSpec().paused);
    boolean awaited =
        !paused
            && lastDue.isPresent()
            && (status == null
                || status.lastRunTime == null
                || Instant.parse(status.lastRunTime).isBefore(lastDue.get()));
    boolean due =
        status != null
            && status.nextRunTime != null
            && !Instant.parse(status.nextRunTime).isAfter(now);
    boolean running =
        status != null
            && status.lastRunTasks != null
            && status.lastRunTasks.stream().anyMatch(t -> !"STOPPED".equals(t.lastStatus));
    if (!due && !running && !awaited) {
      return new Looked(List.of(), false);
    }
    String family = family(desired.plan().taskDefinitionArn());
    List<String> arns = new ArrayList<>();
    for (DesiredStatus s : List.of(DesiredStatus.RUNNING, DesiredStatus.STOPPED)) {
      AwsFailures.translated(
          () ->
              ecs.listTasksPaginator(r -> r.cluster(clusterArn).family(family).desiredStatus(s))
                  .taskArns()
                  .forEach(
                      a -> {
                        if (!arns.contains(a)) arns.add(a);
                      }));
    }
    List<software.amazon.awssdk.services.ecs.model.Task> ours = new ArrayList<>();
    for (int i = 0; i < arns.size(); i += EcsTaskBackend.DESCRIBE_BATCH) {
      List<String> batch =
          arns.subList(i, Math.min(arns.size(), i + EcsTaskBackend.DESCRIBE_BATCH));
      var described =
          AwsFailures.translated(
              () ->
                  ecs.describeTasks(
                      r -> r.cluster(clusterArn).tasks(batch).include(TaskField.TAGS)));
      described.tasks().stream()
          .filter(
              t ->
                  t.tags().stream()
                      .anyMatch(
                          tag ->
                              AwsOwnership.UID_TAG.equals(tag.key())
                                  && scheduled.getMetadata().getUid().equals(tag.value())))
          .forEach(ours::add);
    }
    List<Run> runs = group(ours, created -> lastDue(scheduled, created, RUN_WINDOW));
    boolean seen =
        lastDue.isPresent() && runs.stream().anyMatch(r -> !r.startedAt().isBefore(lastDue.get()));
    return new Looked(runs, lastDue.isPresent() && !seen);
  }

  /**
   * The due time of this schedule at or before {@code at}, no older than {@code window}, as the
   * status reads the schedule (a rate counts from startDate, else from the creation, as sent).
   */
  private static Optional<Instant> lastDue(ScheduledTask scheduled, Instant at, Duration window) {
    var spec = scheduled.getSpec();
    Optional<EventBridgeSchedule> parsed =
        EventBridgeScheduleParser.parse(
            spec.scheduleExpression, "scheduleExpression", new ArrayList<>());
    Optional<ZoneId> zone =
        EventBridgeScheduleParser.zone(
            spec.scheduleExpressionTimezone, "scheduleExpressionTimezone", new ArrayList<>());
    if (parsed.isEmpty() || zone.isEmpty()) return Optional.empty();
    Instant created = created(scheduled);
    return ScheduleRuns.latest(
        parsed.get(),
        zone.get(),
        EcsScheduleRequests.instant(spec.startDate),
        EcsScheduleRequests.instant(spec.endDate),
        created == null ? at : created,
        at,
        window);
  }

  /**
   * ECS tasks as runs (pure), newest first: each task belongs to the run due at or just before it
   * was created ({@code dueFor}; tasks of one run created across a minute stay one run), else (none
   * due in the window: started by hand or very late) to the minute it was created; a run is named
   * after its first task ARN.
   */
  static List<Run> group(
      List<software.amazon.awssdk.services.ecs.model.Task> tasks,
      Function<Instant, Optional<Instant>> dueFor) {
    Map<Instant, List<TaskRunStatus>> byDue = new LinkedHashMap<>();
    for (var t : tasks) {
      Instant created = t.createdAt() == null ? Instant.EPOCH : t.createdAt();
      Instant due = dueFor.apply(created).orElse(created.truncatedTo(ChronoUnit.MINUTES));
      byDue.computeIfAbsent(due, k -> new ArrayList<>()).add(EcsTaskStatuses.of(t));
    }
    List<Run> runs = new ArrayList<>();
    byDue.forEach(
        (due, list) ->
            runs.add(
                new Run(
                    list.stream().map(t -> t.taskArn).min(String::compareTo).orElse(""),
                    due,
                    list)));
    runs.sort(Comparator.comparing(Run::startedAt).reversed());
    return runs;
  }

  /** {@code family} of {@code arn:...:task-definition/family:3}. */
  static String family(String taskDefinitionArn) {
    String tail = taskDefinitionArn.substring(taskDefinitionArn.lastIndexOf('/') + 1);
    int colon = tail.lastIndexOf(':');
    return colon < 0 ? tail : tail.substring(0, colon);
  }

  @Override
  public Removal remove(ScheduledTask scheduled, ResolvedCluster cluster, Caches caches) {
    if (isApplying(scheduled)) {
      // an apply of this ScheduledTask is under way in this process: what it makes is removed
      // once it is done
      return new Removal(false, APPLYING_WAIT, List.of());
    }
    if ("Retain".equals(scheduled.getSpec().deletionPolicy)) {
      return Removal.complete(List.of());
    }
    return remove(scheduled, aws(scheduled, cluster), ValidationContext.forCluster(cluster.spec()));
  }

  /**
   * The Cluster moved to another backend: the schedule and managed role go, whatever the policy.
   */
  @Override
  public Removal retire(ScheduledTask scheduled, ResolvedCluster cluster, Caches caches) {
    return remove(scheduled, aws(scheduled, cluster), ValidationContext.forCluster(cluster.spec()));
  }

  /**
   * Deletes the schedule and the managed role, when they are this ScheduledTask's; the role is
   * looked up by its name whatever the spec says now (a ScheduledTask switched to a given
   * schedulerRoleArn may have left it).
   */
  public Removal remove(ScheduledTask scheduled, AwsContext aws, ValidationContext guardrails) {
    List<String> removed = new ArrayList<>();
    SchedulerClient scheduler = clients.scheduler(aws);
    String name = scheduleName(scheduled);
    Optional<GetScheduleResponse> found = get(scheduler, name);
    if (found.isEmpty()) {
      leftBehindElsewhere(scheduled, aws);
    }
    if (found.isPresent() && ours(scheduled, found.get())) {
      AwsFailures.translated(
          () -> {
            try {
              scheduler.deleteSchedule(r -> r.name(name).groupName(EcsScheduleRequests.GROUP));
            } catch (ResourceNotFoundException gone) {
              // deleted before (a retried delete after a crash)
            }
          });
      removed.add(found.get().arn());
    }
    deleteManagedRole(scheduled, aws, guardrails).ifPresent(removed::add);
    return Removal.complete(removed);
  }

  /**
   * A schedule status records in another Region than the Cluster's AWS context now (its region
   * changed with a move or an edit): not found here is not gone, and nothing is forgotten.
   */
  static void leftBehindElsewhere(ScheduledTask scheduled, AwsContext aws) {
    String recorded = scheduled.getStatus() == null ? null : scheduled.getStatus().scheduleArn;
    String[] parts = recorded == null ? new String[0] : recorded.split(":", 6);
    if (parts.length < 6 || parts[3].isEmpty() || parts[3].equals(aws.region())) return;
    throw BackendFailure.degraded(
        "ScheduleLeftBehind",
        "EventBridge schedule "
            + recorded
            + " is in "
            + parts[3]
            + ", but the Cluster's AWS context is in "
            + aws.region()
            + " now: set the Cluster's region back to remove it, or delete the schedule there by"
            + " hand and clear status");
  }

  /** Deletes the managed scheduler role when its owner tags say it is this ScheduledTask's. */
  private Optional<String> deleteManagedRole(
      ScheduledTask scheduled, AwsContext aws, ValidationContext guardrails) {
    return deleteManagedRole(scheduled, aws, guardrails, null);
  }

  /** As above, but never the role the schedule is to use ({@code keep}, a given role's ARN). */
  private Optional<String> deleteManagedRole(
      ScheduledTask scheduled, AwsContext aws, ValidationContext guardrails, String keep) {
    String role = roleName(scheduled);
    Optional<ObservedIamRole> observed = AwsFailures.translated(() -> roles.observe(aws, role));
    if (observed.isEmpty() || observed.get().arn().equals(keep)) return Optional.empty();
    var claim = AwsOwnership.claim(scheduled, observed.get().tags());
    if (claim != AwsOwnership.Claim.OURS && claim != AwsOwnership.Claim.PREVIOUS_INCARNATION) {
      return Optional.empty();
    }
    try {
      AwsFailures.translated(
          () -> roles.delete(aws, observed.get(), role, guardrails.enforcedPermissionsBoundary()));
    } catch (IamRoleBackend.BoundaryRequired e) {
      throw BackendFailure.degraded("BoundaryRequired", e.getMessage());
    }
    return Optional.of(observed.get().arn());
  }
}
