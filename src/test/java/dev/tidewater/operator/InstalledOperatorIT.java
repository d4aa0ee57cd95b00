package dev.tidewater.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.testing.Crds;
import dev.tidewater.testing.OperatorProcess;
import dev.tidewater.testing.ReadyCondition;
import dev.tidewater.testing.Resources;
import dev.tidewater.testing.TestGround;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator exactly as the chart installs it with default values (its ServiceAccount and RBAC,
 * its environment, leader election on, no test overrides) stays up for minutes: it keeps leading,
 * stays ready, and reconciles the top-level examples without a single RBAC denial (checked when it
 * is closed). The bug this guards against: a lease Role without {@code patch} ended the operator
 * about 12 s after start while readiness still said UP.
 */
class InstalledOperatorIT {

  private static final List<String> EXAMPLES =
      List.of(
          "cluster.yaml",
          "taskrole.yaml",
          "taskdefinition.yaml",
          "service.yaml",
          "loadbalancerroute.yaml");

  private final TestGround ground = TestGround.get();
  private String ns;
  private String leaseName;

  @BeforeEach
  void namespace() {
    Crds.apply(ground.admin());
    ns = ground.createNamespace("installed");
    leaseName = "tidewater-" + ns;
  }

  @AfterEach
  void cleanUp() {
    ground.deleteNamespace(ns);
    ground.deleteOperatorLease(leaseName);
  }

  private Lease lease() {
    return ground
        .admin()
        .leases()
        .inNamespace(ground.operatorNamespace())
        .withName(leaseName)
        .get();
  }

  @Test
  void staysUpLeadingAndReadyForMinutesAndMakesTheExamplesReady() {
    try (OperatorProcess operator =
        OperatorProcess.start(
            ground, Map.of("TIDEWATER_LEADER_ELECTION_LEASE_NAME", leaseName), List.of())) {
      await().atMost(Duration.ofSeconds(30)).until(() -> lease() != null);
      String leader = lease().getSpec().getHolderIdentity();
      assertThat(leader).as("the operator leads").isNotBlank();

      for (String example : EXAMPLES) {
        Resources.applyFile(ground.admin(), Path.of("examples", example), ns);
      }
      await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofSeconds(1))
          .untilAsserted(
              () ->
                  ReadyCondition.assertReady(
                      ground.admin(),
                      EcsService.class,
                      ns,
                      "web",
                      () -> "operator log:\n" + operator.log()));

      // several lease durations (15 s) and renewals: alive, ready and leading the whole time
      ZonedDateTime renewedBefore = lease().getSpec().getRenewTime();
      await()
          .during(Duration.ofMinutes(2))
          .atMost(Duration.ofMinutes(2).plusSeconds(30))
          .pollInterval(Duration.ofSeconds(2))
          .until(
              () ->
                  operator.process().isAlive()
                      && operator.health("ready").statusCode() == 200
                      && leader.equals(lease().getSpec().getHolderIdentity()));
      assertThat(lease().getSpec().getRenewTime())
          .as("the Lease is renewed")
          .isAfter(renewedBefore);
    }
  }
}
