package dev.tidewater.controller;

import dev.tidewater.api.v1alpha1.taskrole.TaskRole;
import dev.tidewater.aws.AwsSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each TaskRole's IAM role was last fully compared with IAM, so resyncs in between skip the
 * IAM reads (DESIGN.md rule 10: IAM drift on a slower pass, or on change). A check stays fresh for
 * the drift period while the TaskRole's generation, its Cluster's spec and the role ARN in its
 * status are the ones checked; an operator restart starts with every check due.
 */
@ApplicationScoped
public class IamDriftChecks {

  private record Check(long generation, String clusterHash, String roleArn, Instant at) {}

  private final Map<String, Check> checks = new ConcurrentHashMap<>();
  private final Duration period;
  private final Clock clock;

  @Inject
  public IamDriftChecks(AwsSettings settings) {
    this(settings.iamDriftPeriod(), Clock.systemUTC());
  }

  IamDriftChecks(Duration period, Clock clock) {
    this.period = period;
    this.clock = clock;
  }

  /** Whether the role of {@code role} must be read from IAM now. */
  boolean due(TaskRole role, String clusterHash) {
    Check last = checks.get(role.getMetadata().getUid());
    String statusArn = role.getStatus() == null ? null : role.getStatus().roleArn;
    return last == null
        || last.generation() != generation(role)
        || !last.clusterHash().equals(clusterHash)
        || !Objects.equals(last.roleArn(), statusArn)
        || !clock.instant().isBefore(last.at().plus(period));
  }

  /** The role of {@code role} matches IAM as of now. */
  void checked(TaskRole role, String clusterHash, String roleArn) {
    checks.put(
        role.getMetadata().getUid(),
        new Check(generation(role), clusterHash, roleArn, clock.instant()));
  }

  /** The next reconcile of {@code role} reads IAM again (a failure, a deletion). */
  void forget(TaskRole role) {
    checks.remove(role.getMetadata().getUid());
  }

  private static long generation(TaskRole role) {
    Long g = role.getMetadata().getGeneration();
    return g == null ? 0 : g;
  }
}
