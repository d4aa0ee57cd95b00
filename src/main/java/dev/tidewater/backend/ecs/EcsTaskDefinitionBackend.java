package dev.tidewater.backend.ecs;

import dev.tidewater.api.v1alpha1.common.ObjectRef;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionRevision;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import dev.tidewater.api.v1alpha1.taskrole.TaskRole;
import dev.tidewater.aws.AwsClientFactory;
import dev.tidewater.aws.AwsContext;
import dev.tidewater.backend.BackendFailure;
import dev.tidewater.backend.InformerCaches;
import dev.tidewater.backend.ResolvedCluster;
import dev.tidewater.backend.RevisionState;
import dev.tidewater.backend.TaskDefinitionBackend;
import dev.tidewater.backend.aws.AwsFailures;
import dev.tidewater.backend.aws.AwsOwnership;
import dev.tidewater.backend.aws.ClusterAwsContexts;
import dev.tidewater.backend.kubernetes.FamilyNames;
import dev.tidewater.model.AwsIdentifiers;
import dev.tidewater.model.AwsNames;
import dev.tidewater.model.CanonicalTaskDefinition;
import dev.tidewater.model.PodSecurityGuardrails;
import dev.tidewater.model.Problem;
import dev.tidewater.model.TenancyCeiling;
import dev.tidewater.model.TenancyChecks;
import dev.tidewater.model.ValidationContext;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jboss.logging.Logger;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DescribeTaskDefinitionResponse;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;

/**
 * Revisions as ECS task definitions: one family per TaskDefinition ({@link FamilyNames}), a
 * RegisterTaskDefinition only when the canonical spec (or a resolved role ARN) differs from the
 * latest ACTIVE revision, each revision tagged with owner, uid and canonical hash so that a restart
 * or a crash between calls finds what was registered instead of registering it again.
 *
 * <p>Read budget (DESIGN.md rule 10): a full pass (one ListTaskDefinitions of the family, one
 * DescribeTaskDefinition of its latest revision, one more per revision not yet known) runs on a
 * generation, role ARN or in-use change, and otherwise once per drift period; resyncs in between
 * make no AWS call.
 */
public final class EcsTaskDefinitionBackend implements TaskDefinitionBackend {

  private static final Logger LOG = Logger.getLogger(EcsTaskDefinitionBackend.class);

  /** Tag carrying the canonical hash of the spec a revision was registered from. */
  public static final String HASH_TAG = "tidewater.dev/hash";

  /** ECS deletes at most this many task definitions per DeleteTaskDefinitions call. */
  private static final int DELETE_BATCH = 10;

  /** Looks up a TaskRole of the TaskDefinition's namespace by name. */
  @FunctionalInterface
  public interface TaskRoles {
    Optional<TaskRole> get(String name);
  }

  /** What a full pass found and decided, remembered until the next one is due. */
  private record Checked(
      long generation,
      String hash,
      RoleArns roles,
      Set<Integer> inUse,
      int limit,
      Instant at,
      RevisionState state) {}

  /** Role ARNs resolved from role references (null where the spec has no reference). */
  record RoleArns(String taskRoleArn, String executionRoleArn) {}

  /** The immutable facts of one registered revision. */
  private record Described(
      String arn,
      int revision,
      Map<String, String> tags,
      String taskRoleArn,
      String executionRoleArn,
      Instant registeredAt) {}

  /** A revision of the family that is ours (tagged with our owner). */
  private record Owned(int revision, String arn, String hash, String createdAt) {}

  private final AwsClientFactory aws;
  private final ClusterAwsContexts contexts;
  private final Duration driftPeriod;
  private final Clock clock;
  private final Map<String, Checked> checked = new ConcurrentHashMap<>();
  private final Map<String, Described> described = new ConcurrentHashMap<>();
  // The AWS context each TaskDefinition last used: its Cluster may be gone by the time it is
  // deleted (a namespace deletion removes both at once), its revisions must still go.
  private final Map<String, AwsContext> lastContexts = new ConcurrentHashMap<>();

  private final KubernetesClient client;

  /** For the entry points that take an AWS context (tests call them directly). */
  public EcsTaskDefinitionBackend(
      AwsClientFactory aws, ClusterAwsContexts contexts, Duration driftPeriod, Clock clock) {
    this(aws, contexts, driftPeriod, clock, null);
  }

  /**
   * @param client reads a Cluster's credentials Secret when its AWS context is built
   */
  public EcsTaskDefinitionBackend(
      AwsClientFactory aws,
      ClusterAwsContexts contexts,
      Duration driftPeriod,
      Clock clock,
      KubernetesClient client) {
    this.client = client;
    this.aws = aws;
    this.contexts = contexts;
    this.driftPeriod = driftPeriod;
    this.clock = clock;
  }

  @Override
  public RevisionState reconcile(
      TaskDefinition td,
      ResolvedCluster cluster,
      CanonicalTaskDefinition canonical,
      Set<Integer> inUse,
      InformerCaches caches) {
    AwsContext awsContext = awsContext(td, cluster);
    lastContexts.put(td.getMetadata().getUid(), awsContext);
    return AwsFailures.translated(
        () -> reconcile(td, awsContext, canonical, inUse, taskRoles(td, caches)));
  }

  @Override
  public boolean needsFinalizer() {
    return true;
  }

  @Override
  public String firstFamily(TaskDefinition td) {
    return FamilyNames.ecs(td);
  }

  @Override
  public TaskDefinitionSpec asRegistered(TaskDefinitionSpec spec, ValidationContext guardrails) {
    return PodSecurityGuardrails.hardenedForEcs(spec, guardrails);
  }

  @Override
  public void delete(TaskDefinition td, ResolvedCluster cluster) {
    AwsContext awsContext;
    try {
      awsContext = awsContext(td, cluster);
    } catch (BackendFailure e) {
      // never where the namespace's ceiling no longer lets it go (a withdrawn endpoint or role)
      if (TenancyCeiling.EXCEEDS.equals(e.reason())) throw e;
      // a namespace being deleted takes the credentials Secret with it: use what last worked
      awsContext = lastContext(td).orElseThrow(() -> e);
    }
    AwsContext in = awsContext;
    AwsFailures.translated(() -> delete(td, in));
  }

  @Override
  public boolean deleteWhereLastSeen(TaskDefinition td) {
    Optional<AwsContext> last = lastContext(td);
    last.ifPresent(c -> AwsFailures.translated(() -> delete(td, c)));
    return last.isPresent();
  }

  private AwsContext awsContext(TaskDefinition td, ResolvedCluster cluster) {
    try {
      return contexts.resolve(cluster, td.getMetadata().getNamespace(), client);
    } catch (ClusterAwsContexts.InvalidAwsContext e) {
      throw BackendFailure.degraded(
          e.reason(), "Cluster " + cluster.name() + ": " + e.getMessage(), e);
    }
  }

  /** TaskRoles from the reconciler's informer (the TaskRoles this TaskDefinition references). */
  private static TaskRoles taskRoles(TaskDefinition td, InformerCaches caches) {
    return name ->
        caches.of(TaskRole.class).stream()
            .filter(r -> name.equals(r.getMetadata().getName()))
            .filter(r -> td.getMetadata().getNamespace().equals(r.getMetadata().getNamespace()))
            .findFirst();
  }

  /**
   * Makes {@code canonical} the latest ACTIVE revision of the family in {@code awsContext} and
   * prunes beyond the history limit; the entry point crash-safety tests call directly.
   */
  public RevisionState reconcile(
      TaskDefinition td,
      AwsContext awsContext,
      CanonicalTaskDefinition canonical,
      Set<Integer> inUse,
      TaskRoles taskRoles) {
    RoleArns roles =
        new RoleArns(
            roleArn(td.getSpec().taskRoleRef, "spec.taskRoleRef", taskRoles),
            roleArn(td.getSpec().executionRoleRef, "spec.executionRoleRef", taskRoles));
    int limit =
        td.getSpec().revisionHistoryLimit == null
            ? DEFAULT_HISTORY_LIMIT
            : td.getSpec().revisionHistoryLimit;
    String uid = td.getMetadata().getUid();
    long generation = Objects.requireNonNullElse(td.getMetadata().getGeneration(), 0L);
    Instant now = clock.instant();
    Checked last = checked.get(uid);
    if (last != null
        && last.generation() == generation
        && last.hash().equals(canonical.hash())
        && last.roles().equals(roles)
        && last.inUse().equals(inUse)
        && last.limit() == limit
        && now.isBefore(last.at().plus(driftPeriod))) {
      return last.state();
    }
    checkRoleOwners(td, awsContext);
    RevisionState state =
        fullPass(td, aws.ecs(awsContext), canonical, roles, Set.copyOf(inUse), limit);
    checked.put(
        uid,
        new Checked(
            generation,
            canonical.hash(),
            roles,
            Set.copyOf(inUse),
            limit,
            now,
            new RevisionState(state.latest(), false, state.retained(), state.family())));
    return state;
  }

  /**
   * A literal taskRoleArn / executionRoleArn whose owner tags name another namespace's (or another
   * cluster's) TaskRole is refused before anything is registered: a namespace never hands ECS a
   * role Tidewater manages for another tenant. One GetRole per literal role, on the slow pass or a
   * change only (like every other full pass); a role that does not exist is ECS's to refuse.
   */
  private void checkRoleOwners(TaskDefinition td, AwsContext ctx) {
    checkRoleOwner(td, ctx, "spec.taskRoleArn", td.getSpec().taskRoleArn);
    checkRoleOwner(td, ctx, "spec.executionRoleArn", td.getSpec().executionRoleArn);
  }

  private void checkRoleOwner(TaskDefinition td, AwsContext ctx, String field, String arn) {
    if (arn == null || arn.isBlank() || AwsIdentifiers.placeholderIn(arn).isPresent()) return;
    String name = arn.substring(arn.lastIndexOf('/') + 1);
    Map<String, String> tags;
    try {
      tags =
          aws.iam(ctx).getRole(r -> r.roleName(name)).role().tags().stream()
              .collect(
                  java.util.stream.Collectors.toMap(
                      software.amazon.awssdk.services.iam.model.Tag::key,
                      software.amazon.awssdk.services.iam.model.Tag::value,
                      (a, b) -> a));
    } catch (software.amazon.awssdk.services.iam.model.NoSuchEntityException e) {
      return;
    }
    Optional<String> owner = AwsOwnership.namespaceOfOwner(tags);
    String namespace = td.getMetadata().getNamespace();
    boolean otherCluster =
        tags.containsKey(AwsOwnership.CLUSTER_TAG)
            && AwsOwnership.clusterId()
                .filter(id -> !id.equals(tags.get(AwsOwnership.CLUSTER_TAG)))
                .isPresent();
    if (owner.isPresent() && (!owner.get().equals(namespace) || otherCluster)) {
      Problem p =
          TenancyChecks.crossNamespaceRole(
              field.substring("spec.".length()),
              arn,
              owner.get() + (otherCluster ? " of another Kubernetes cluster" : ""));
      throw BackendFailure.degraded(p.reason(), field + ": " + p.message());
    }
  }

  private static String roleArn(ObjectRef ref, String field, TaskRoles taskRoles) {
    if (ref == null || ref.name == null) {
      return null;
    }
    TaskRole role =
        taskRoles
            .get(ref.name)
            .orElseThrow(
                () ->
                    BackendFailure.progressing(
                        "TaskRoleNotFound",
                        field + ".name: TaskRole " + ref.name + " does not exist"));
    if (role.getStatus() == null || role.getStatus().roleArn == null) {
      throw BackendFailure.progressing(
          "TaskRoleNotFound",
          field + ".name: TaskRole " + ref.name + " has no IAM role ARN yet (status.roleArn)");
    }
    return role.getStatus().roleArn;
  }

  private RevisionState fullPass(
      TaskDefinition td,
      EcsClient ecs,
      CanonicalTaskDefinition canonical,
      RoleArns roles,
      Set<Integer> inUse,
      int limit) {
    Map<Integer, TaskDefinitionRevision> known = knownRevisions(td);
    Family chosen = family(ecs, td, known);
    String family = chosen.name();
    Map<Integer, String> active = chosen.active();
    List<Owned> ours = new ArrayList<>();
    Described latest = null;
    AwsOwnership.Claim latestClaim = null;
    int latestNumber = active.keySet().stream().max(Integer::compare).orElse(0);
    for (Map.Entry<Integer, String> e : active.entrySet()) {
      int number = e.getKey();
      String arn = e.getValue();
      TaskDefinitionRevision k = known.get(number);
      boolean isLatest = number == latestNumber;
      if (k != null && arn.equals(k.taskDefinitionArn) && !isLatest) {
        ours.add(new Owned(number, arn, k.hash, k.createdAt));
        continue;
      }
      // the latest is always described: its tags and role ARNs decide whether to register
      Described d = isLatest ? describe(ecs, arn) : cachedDescribe(ecs, arn);
      AwsOwnership.Claim claim = AwsOwnership.claim(td, d.tags());
      if (claim == AwsOwnership.Claim.OTHER_OWNER || claim == AwsOwnership.Claim.OTHER_CLUSTER) {
        // a family another resource (another namespace's) registers in is never written to,
        // whichever of its revisions says so and whatever adopt says
        throw BackendFailure.degraded(
            "NameConflict",
            "family "
                + family
                + ": revision "
                + d.revision()
                + " is not this TaskDefinition's"
                + claim.conflictHint(d.tags()));
      }
      if (claim.ours()) {
        d = withOwnershipTags(ecs, td, d);
        ours.add(
            new Owned(
                number,
                arn,
                d.tags().get(HASH_TAG),
                d.registeredAt() == null ? null : d.registeredAt().toString()));
      }
      if (isLatest) {
        latest = d;
        latestClaim = claim;
      }
    }
    if (latest != null && !latestClaim.usable(td.getSpec().adopt)) {
      throw BackendFailure.degraded(
          "NameConflict",
          "family "
              + family
              + ": its latest revision "
              + latest.revision()
              + " is not tagged "
              + AwsOwnership.OWNER_TAG
              + "="
              + AwsOwnership.owner(td)
              + latestClaim.conflictHint(latest.tags()));
    }
    boolean current =
        latest != null
            && latestClaim.ours()
            && canonical.hash().equals(latest.tags().get(HASH_TAG))
            && (roles.taskRoleArn() == null || roles.taskRoleArn().equals(latest.taskRoleArn()))
            && (roles.executionRoleArn() == null
                || roles.executionRoleArn().equals(latest.executionRoleArn()));
    Owned head;
    boolean created = false;
    if (current) {
      head = ours.stream().filter(o -> o.revision() == latestNumber).findFirst().orElseThrow();
    } else {
      head = register(ecs, td, family, canonical, roles);
      ours.add(head);
      created = true;
    }
    ours.sort(Comparator.comparingInt(Owned::revision));
    List<Owned> retained = prune(ecs, ours, head, inUse, limit);
    return new RevisionState(
        head.revision(),
        created,
        retained.stream().map(EcsTaskDefinitionBackend::status).toList(),
        family);
  }

  /**
   * A revision of ours lacking an ownership tag (made before Tidewater 0.4 tagged clusters, or by
   * an earlier incarnation) gets it with one TagResource; a tagged one is returned as it is.
   */
  private Described withOwnershipTags(EcsClient ecs, TaskDefinition td, Described d) {
    List<Map<String, String>> writes =
        AwsOwnership.tagWrites(AwsOwnership.tags(td, Map.of()), d.tags());
    if (writes.isEmpty()) return d;
    Map<String, String> tags = new HashMap<>(d.tags());
    for (Map<String, String> write : writes) {
      ecs.tagResource(
          r ->
              r.resourceArn(d.arn())
                  .tags(
                      write.entrySet().stream()
                          .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
                          .toList()));
      tags.putAll(write);
    }
    Described tagged =
        new Described(
            d.arn(),
            d.revision(),
            Map.copyOf(tags),
            d.taskRoleArn(),
            d.executionRoleArn(),
            d.registeredAt());
    described.put(d.arn(), tagged);
    return tagged;
  }

  /** A family and its ACTIVE revisions (revision number → ARN). */
  private record Family(String name, Map<Integer, String> active) {}

  /**
   * The family this TaskDefinition's revisions are in (docs/naming.md, migration): {@code
   * spec.family}; else the derived family its status's ARN names; else the unambiguous name when
   * revisions are there (judged by owner tags as before); else the old {@code <namespace>-<name>}
   * family when its revisions are this TaskDefinition's (an earlier version registered them and
   * stopped before its status said so); else the unambiguous name. One ListTaskDefinitions in
   * steady state, as before.
   */
  private Family family(
      EcsClient ecs, TaskDefinition td, Map<Integer, TaskDefinitionRevision> known) {
    if (td.getSpec().family != null) {
      return new Family(td.getSpec().family, activeRevisions(ecs, td.getSpec().family));
    }
    Optional<String> recorded =
        Optional.ofNullable(td.getStatus())
            .map(s -> s.taskDefinitionArn)
            .flatMap(EcsTaskDefinitionBackend::familyRevision)
            .map(Map.Entry::getKey);
    Set<String> knownArns = new HashSet<>();
    known.values().forEach(r -> knownArns.add(r.taskDefinitionArn));
    AwsNames.Chosen<Map<Integer, String>> chosen =
        AwsNames.choose(
            recorded,
            FamilyNames.ecs(td),
            FamilyNames.legacy(td),
            name -> {
              Map<Integer, String> active = activeRevisions(ecs, name);
              return active.isEmpty() ? Optional.empty() : Optional.of(active);
            },
            active ->
                active.values().stream().anyMatch(knownArns::contains)
                    || latestIsOurs(ecs, td, active));
    return new Family(chosen.name(), chosen.found().orElse(Map.of()));
  }

  private boolean latestIsOurs(EcsClient ecs, TaskDefinition td, Map<Integer, String> active) {
    String latest = active.get(active.keySet().stream().max(Integer::compare).orElseThrow());
    Described d = cachedDescribe(ecs, latest);
    return AwsOwnership.claim(td, d.tags()).ours();
  }

  /** Revision number → ARN of every ACTIVE revision of exactly {@code family}. */
  private static Map<Integer, String> activeRevisions(EcsClient ecs, String family) {
    Map<Integer, String> out = new HashMap<>();
    // familyPrefix matches by prefix: "web" lists "web-admin" too, so the family is checked
    for (String arn :
        ecs.listTaskDefinitionsPaginator(
                r -> r.familyPrefix(family).status(TaskDefinitionStatus.ACTIVE))
            .taskDefinitionArns()) {
      familyRevision(arn)
          .filter(fr -> fr.getKey().equals(family))
          .ifPresent(fr -> out.put(fr.getValue(), arn));
    }
    return out;
  }

  /** {@code arn:...:task-definition/<family>:<revision>} → (family, revision). */
  static Optional<Map.Entry<String, Integer>> familyRevision(String arn) {
    int slash = arn.lastIndexOf('/');
    int colon = arn.lastIndexOf(':');
    if (slash < 0 || colon < slash) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          Map.entry(arn.substring(slash + 1, colon), Integer.parseInt(arn.substring(colon + 1))));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Revisions the status lists with their ARN: ours, hash known, no need to describe them. */
  private static Map<Integer, TaskDefinitionRevision> knownRevisions(TaskDefinition td) {
    Map<Integer, TaskDefinitionRevision> known = new HashMap<>();
    if (td.getStatus() != null && td.getStatus().revisions != null) {
      for (TaskDefinitionRevision r : td.getStatus().revisions) {
        if (r.revision != null && r.taskDefinitionArn != null && r.hash != null) {
          known.put(r.revision, r);
        }
      }
    }
    return known;
  }

  /**
   * The revision as last described, else described now. (Not computeIfAbsent: {@link #describe}
   * writes the cache itself, which a ConcurrentHashMap refuses inside its own compute.)
   */
  private Described cachedDescribe(EcsClient ecs, String arn) {
    Described d = described.get(arn);
    return d != null ? d : describe(ecs, arn);
  }

  private Described describe(EcsClient ecs, String arn) {
    DescribeTaskDefinitionResponse response =
        ecs.describeTaskDefinition(r -> r.taskDefinition(arn).include(TaskDefinitionField.TAGS));
    Map<String, String> tags = new LinkedHashMap<>();
    response.tags().forEach(t -> tags.put(t.key(), t.value()));
    var d = response.taskDefinition();
    Described out =
        new Described(
            d.taskDefinitionArn(),
            d.revision(),
            tags,
            d.taskRoleArn(),
            d.executionRoleArn(),
            d.registeredAt());
    described.put(arn, out);
    return out;
  }

  private Owned register(
      EcsClient ecs,
      TaskDefinition td,
      String family,
      CanonicalTaskDefinition canonical,
      RoleArns roles) {
    RegisterTaskDefinitionRequest request = registerRequest(td, family, canonical, roles);
    var registered = ecs.registerTaskDefinition(request).taskDefinition();
    LOG.infof(
        "registered %s for TaskDefinition %s/%s (%s)",
        registered.taskDefinitionArn(),
        td.getMetadata().getNamespace(),
        td.getMetadata().getName(),
        canonical.hash());
    return new Owned(
        registered.revision(),
        registered.taskDefinitionArn(),
        canonical.hash(),
        (registered.registeredAt() == null ? clock.instant() : registered.registeredAt())
            .toString());
  }

  /**
   * The RegisterTaskDefinition request of a TaskDefinition: its spec in normal form (defaults
   * filled, the user's order; the hash tag is order-free, so a reordered spec registers nothing
   * new), the family, resolved role ARNs, and the user's tags plus owner, uid and hash tags (one
   * call: a revision never exists untagged).
   */
  static RegisterTaskDefinitionRequest registerRequest(
      TaskDefinition td, String family, CanonicalTaskDefinition canonical, RoleArns roles) {
    RegisterTaskDefinitionRequest base =
        EcsRequests.registerRequest(
            canonical.spec(), roles.taskRoleArn(), roles.executionRoleArn());
    Map<String, String> tags = AwsOwnership.tags(td, AwsOwnership.userTags(canonical.spec().tags));
    tags.put(HASH_TAG, canonical.hash());
    return base.toBuilder()
        .family(family)
        .tags(
            tags.entrySet().stream()
                .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
                .toList())
        .build();
  }

  /** Keeps the head, revisions in use and the {@code limit} newest others; deregisters the rest. */
  private List<Owned> prune(
      EcsClient ecs, List<Owned> ours, Owned head, Set<Integer> inUse, int limit) {
    List<Owned> kept = new ArrayList<>();
    int spare = limit;
    for (int i = ours.size() - 1; i >= 0; i--) {
      Owned o = ours.get(i);
      if (o.revision() == head.revision() || inUse.contains(o.revision())) {
        kept.add(0, o);
      } else if (spare > 0) {
        spare--;
        kept.add(0, o);
      } else {
        ecs.deregisterTaskDefinition(r -> r.taskDefinition(o.arn()));
        described.remove(o.arn());
        LOG.infof("deregistered %s (beyond revisionHistoryLimit, not in use)", o.arn());
      }
    }
    return kept;
  }

  private static TaskDefinitionRevision status(Owned o) {
    TaskDefinitionRevision r = new TaskDefinitionRevision();
    r.revision = o.revision();
    r.hash = o.hash();
    r.taskDefinitionArn = o.arn();
    r.createdAt = o.createdAt();
    return r;
  }

  /**
   * Deregisters every ACTIVE revision of the family tagged with this TaskDefinition's owner (any
   * uid: earlier incarnations too), then asks ECS to delete them; revisions of others are left.
   *
   * @return the ARNs deregistered
   */
  public List<String> delete(TaskDefinition td, AwsContext awsContext) {
    EcsClient ecs = aws.ecs(awsContext);
    List<String> deregistered = new ArrayList<>();
    for (String arn : family(ecs, td, knownRevisions(td)).active().values()) {
      Described d = described.containsKey(arn) ? described.get(arn) : describe(ecs, arn);
      if (AwsOwnership.claim(td, d.tags()).ours()) {
        ecs.deregisterTaskDefinition(r -> r.taskDefinition(arn));
        described.remove(arn);
        deregistered.add(arn);
      }
    }
    deleteInactive(ecs, deregistered);
    checked.remove(td.getMetadata().getUid());
    lastContexts.remove(td.getMetadata().getUid());
    return deregistered;
  }

  /**
   * DeleteTaskDefinitions of deregistered revisions, best effort: ECS keeps INACTIVE revisions
   * otherwise (harmless, but visible); an endpoint or policy without the call leaves them INACTIVE,
   * which is still not running anything.
   */
  private static void deleteInactive(EcsClient ecs, List<String> arns) {
    for (int i = 0; i < arns.size(); i += DELETE_BATCH) {
      List<String> batch = arns.subList(i, Math.min(arns.size(), i + DELETE_BATCH));
      try {
        ecs.deleteTaskDefinitions(r -> r.taskDefinitions(batch));
      } catch (AwsServiceException e) {
        LOG.infof(
            "DeleteTaskDefinitions of %s failed (%s); they stay INACTIVE",
            batch, e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorCode());
      }
    }
  }

  /**
   * The AWS context a TaskDefinition's revisions were last reconciled in, for deleting them when
   * its Cluster no longer says ecs (or is gone); empty after an operator restart.
   */
  public Optional<AwsContext> lastContext(TaskDefinition td) {
    return Optional.ofNullable(lastContexts.get(td.getMetadata().getUid()));
  }

  /** {@code name → TaskRole} over a fixed function (tests, other callers). */
  public static TaskRoles taskRoles(Function<String, TaskRole> lookup) {
    return name -> Optional.ofNullable(lookup.apply(name));
  }
}
