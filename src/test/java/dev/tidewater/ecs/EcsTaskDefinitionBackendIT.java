package dev.tidewater.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tidewater.api.v1alpha1.common.ObjectRef;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.api.v1alpha1.taskrole.TaskRole;
import dev.tidewater.api.v1alpha1.taskrole.TaskRoleStatus;
import dev.tidewater.aws.AwsCallCounter;
import dev.tidewater.aws.AwsClientFactory;
import dev.tidewater.backend.BackendFailure;
import dev.tidewater.backend.RevisionState;
import dev.tidewater.backend.aws.AwsOwnership;
import dev.tidewater.backend.ecs.EcsTaskDefinitionBackend;
import dev.tidewater.backend.kubernetes.FamilyNames;
import dev.tidewater.model.CanonicalTaskDefinition;
import dev.tidewater.model.TaskDefinitionValidator;
import dev.tidewater.testing.CrashAfterNthCall;
import dev.tidewater.testing.EcsCorpus;
import dev.tidewater.testing.TestGround;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.Tag;

/**
 * The ecs TaskDefinition backend called directly against moto: role references, foreign families,
 * the drift pass and its read budget, a recreated resource.
 */
class EcsTaskDefinitionBackendIT {

  /** A clock the test moves. */
  static final class MovableClock extends Clock {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final EcsWorld world = new EcsWorld();
  private final AwsCallCounter counter = new AwsCallCounter();
  private final AwsClientFactory factory = new AwsClientFactory(CrashAfterNthCall.FAST, counter);
  private final MovableClock clock = new MovableClock();
  private final EcsTaskDefinitionBackend backend =
      new EcsTaskDefinitionBackend(factory, null, Duration.ofHours(1), clock);
  private final Map<String, TaskRole> roles = new HashMap<>();

  @AfterEach
  void close() {
    factory.close();
  }

  private RevisionState reconcile(TaskDefinition td) {
    return reconcile(td, world.aws());
  }

  private RevisionState reconcile(TaskDefinition td, dev.tidewater.aws.AwsContext aws) {
    RevisionState state =
        backend.reconcile(
            td,
            aws,
            CanonicalTaskDefinition.of(td.getSpec()),
            Set.of(),
            EcsTaskDefinitionBackend.taskRoles(roles::get));
    EcsCrashSafetyIT.recordStatus(td, state);
    return state;
  }

  private long calls(String operation) {
    return counter.calls("Ecs", operation);
  }

  private static TaskRole role(String name, String arn) {
    TaskRole role = new TaskRole();
    role.getMetadata().setName(name);
    role.getMetadata().setNamespace("crash");
    if (arn != null) {
      role.setStatus(new TaskRoleStatus());
      role.getStatus().roleArn = arn;
    }
    return role;
  }

  @Test
  void roleReferencesWaitForTheRoleArnAndANewArnIsANewRevision() {
    TaskDefinition td = world.taskDefinition("roles", "nginx:1");
    td.getSpec().taskRoleRef = new ObjectRef();
    td.getSpec().taskRoleRef.name = "app";

    BackendFailure missing = catchThrowableOfType(BackendFailure.class, () -> reconcile(td));
    assertThat(missing.progressing()).isTrue();
    assertThat(missing.reason()).isEqualTo("TaskRoleNotFound");
    assertThat(missing.getMessage()).contains("spec.taskRoleRef.name", "app");

    roles.put("app", role("app", null));
    BackendFailure noArn = catchThrowableOfType(BackendFailure.class, () -> reconcile(td));
    assertThat(noArn.reason()).isEqualTo("TaskRoleNotFound");
    assertThat(noArn.getMessage()).contains("status.roleArn");
    assertThat(counter.totalCalls()).as("no AWS call before the role is known").isZero();

    String first = "arn:aws:iam::123456789012:role/tidewater/app";
    roles.put("app", role("app", first));
    RevisionState one = reconcile(td);
    assertThat(describeTaskRole(one)).isEqualTo(first);

    // the TaskRole's role was recreated under another ARN: same spec, new revision
    String second = "arn:aws:iam::123456789012:role/tidewater/app-2";
    roles.put("app", role("app", second));
    RevisionState two = reconcile(td);
    assertThat(two.latest()).isEqualTo(one.latest() + 1);
    assertThat(describeTaskRole(two)).isEqualTo(second);
    assertThat(calls("RegisterTaskDefinition")).isEqualTo(2);
  }

  private String describeTaskRole(RevisionState state) {
    String arn = state.retained().get(state.retained().size() - 1).taskDefinitionArn;
    return world
        .ecs()
        .describeTaskDefinition(r -> r.taskDefinition(arn))
        .taskDefinition()
        .taskRoleArn();
  }

  @Test
  void revisionsOfOursTheStatusDoesNotListAreDescribedOnce() {
    // two revisions registered for this TaskDefinition (its owner tags) before a crash left the
    // status without them: the older is described too, through the cache describe itself fills
    TaskDefinition td = world.taskDefinition("unlisted", "nginx:1");
    String family = FamilyNames.ecs(td);
    for (String image : List.of("nginx:0.1", "nginx:0.2")) {
      world
          .ecs()
          .registerTaskDefinition(
              r ->
                  r.family(family)
                      .containerDefinitions(
                          ContainerDefinition.builder().name("x").image(image).memory(64).build())
                      .tags(
                          AwsOwnership.tags(td, Map.of()).entrySet().stream()
                              .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
                              .toList()));
    }

    RevisionState state = reconcile(td);

    assertThat(state.latest()).isEqualTo(3);
    assertThat(state.family()).isEqualTo(family);
    assertThat(calls("DescribeTaskDefinition")).isEqualTo(2);
  }

  @Test
  void aFamilyOfSomeoneElseIsNameConflictUntilAdopt() {
    TaskDefinition td = world.taskDefinition("foreign", "nginx:1");
    String family = FamilyNames.ecs(td);
    world
        .ecs()
        .registerTaskDefinition(
            r ->
                r.family(family)
                    .containerDefinitions(
                        ContainerDefinition.builder()
                            .name("x")
                            .image("busybox")
                            .memory(64)
                            .build()));

    BackendFailure conflict = catchThrowableOfType(BackendFailure.class, () -> reconcile(td));
    assertThat(conflict.progressing()).isFalse();
    assertThat(conflict.reason()).isEqualTo("NameConflict");
    assertThat(conflict.getMessage()).contains(family, "spec.adopt");
    assertThat(calls("RegisterTaskDefinition")).isZero();

    td.getSpec().adopt = true;
    td.getMetadata().setGeneration(2L);
    RevisionState adopted = reconcile(td);
    assertThat(adopted.latest()).isEqualTo(2);
    assertThat(adopted.retained()).extracting(r -> r.revision).containsExactly(2);
    assertThat(world.revisions(family, "ACTIVE")).hasSize(2);

    td.getMetadata().setGeneration(3L);
    reconcile(td);
    assertThat(calls("RegisterTaskDefinition")).isEqualTo(1);
  }

  @Test
  void resyncsWithinTheDriftPeriodReadNothingAndTheDriftPassRestoresADeregisteredRevision() {
    TaskDefinition td = world.taskDefinition("drift", "nginx:1");
    String family = FamilyNames.ecs(td);
    reconcile(td);
    long afterFirst = counter.totalCalls();

    clock.advance(Duration.ofMinutes(30));
    reconcile(td);
    assertThat(counter.totalCalls()).as("a resync inside the drift period").isEqualTo(afterFirst);

    clock.advance(Duration.ofMinutes(31));
    reconcile(td);
    // the first pass looked at the empty new family and the old-scheme one (docs/naming.md), the
    // drift pass at the family in use only
    assertThat(calls("ListTaskDefinitions")).isEqualTo(3);
    assertThat(calls("DescribeTaskDefinition")).isEqualTo(1);
    assertThat(calls("RegisterTaskDefinition")).isEqualTo(1);

    // someone deregisters the revision out of band: the next drift pass registers it again
    world.ecs().deregisterTaskDefinition(r -> r.taskDefinition(family + ":1"));
    clock.advance(Duration.ofHours(1));
    RevisionState restored = reconcile(td);
    assertThat(restored.created()).isTrue();
    assertThat(restored.latest()).isEqualTo(2);
    assertThat(world.revisions(family, "ACTIVE")).hasSize(1);
  }

  @Test
  void aRecreatedTaskDefinitionReusesTheRevisionOfItsEarlierIncarnation() {
    TaskDefinition td = world.taskDefinition("again", "nginx:1");
    reconcile(td);

    TaskDefinition recreated = world.taskDefinition("unused", "nginx:1");
    recreated.getMetadata().setName(td.getMetadata().getName());
    recreated.getMetadata().setUid(UUID.randomUUID().toString());
    RevisionState state = reconcile(recreated);

    assertThat(state.created()).isFalse();
    assertThat(state.latest()).isEqualTo(1);
    assertThat(calls("RegisterTaskDefinition")).isEqualTo(1);
  }

  @Test
  void everyValidCorpusTaskDefinitionRegistersOnceAndThenNothing() throws Exception {
    // The corpus names task and execution roles of its authors' accounts, which the shipped
    // policy may not pass (only role/tidewater/*, ecsTaskExecutionRole, ecs-execution/*): real
    // AWS would answer AccessDenied. A platform team running such definitions adds their ARNs to
    // the PassRole statements (docs/install.md); the corpus has too many authors' roles to list,
    // so this test's operator gets role/* for ecs-tasks on top of the policy (a test only: the
    // docs say why never in production).
    String passAnyTaskRole =
        """
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:PassRole",
         "Resource": "arn:aws:iam::*:role/*",
         "Condition": {"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}}}]}
        """;
    TestGround ground = TestGround.get();
    ground.strictPrincipal(
        "operator-passing-any-task-role",
        "TIDEWATEROPERATORPASSANY",
        "tidewater-operator-pass-any",
        List.of(Files.readString(Path.of("deploy", "iam-policy.json")), passAnyTaskRole));
    var adapted = ground.awsContext("TIDEWATEROPERATORPASSANY", "tidewater-operator-pass-any");
    TaskDefinitionValidator validator = new TaskDefinitionValidator();
    List<String> registered = new ArrayList<>();
    for (EcsCorpus.Entry entry : EcsCorpus.withoutPlaceholders()) {
      if (!validator.validate(entry.spec()).isEmpty() || motoRefuses(entry)) continue;
      TaskDefinition td = world.taskDefinition("corpus", "unused");
      td.setSpec(entry.spec());
      td.getSpec().family = null; // derived from the unique name: corpus families repeat
      RevisionState first;
      try {
        first = reconcile(td, adapted);
      } catch (RuntimeException e) {
        throw new AssertionError(entry.file() + ": " + e.getMessage(), e);
      }
      assertThat(first.created()).as(entry.file()).isTrue();
      td.getMetadata().setGeneration(2L); // a new generation forces a full pass
      assertThat(reconcile(td, adapted).created()).as(entry.file() + " again").isFalse();
      registered.add(entry.file());
    }
    assertThat(registered).hasSizeGreaterThan(10);
    assertThat(calls("RegisterTaskDefinition")).isEqualTo(registered.size());
  }

  /**
   * moto 5.2.5 wants a hard {@code memory} on every container of an EC2-compatible definition
   * without task memory; AWS accepts {@code memoryReservation} alone (and EC2 is the canonical
   * default compatibility).
   */
  private static boolean motoRefuses(EcsCorpus.Entry entry) {
    var canonical = CanonicalTaskDefinition.of(entry.spec()).spec();
    return canonical.memory == null
        && canonical.requiresCompatibilities.contains("EC2")
        && canonical.containerDefinitions.stream().anyMatch(c -> c.memory == null);
  }
}
