package dev.tidewater.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tidewater.api.v1alpha1.cluster.Cluster;
import dev.tidewater.api.v1alpha1.tenancy.TenancyPolicy;
import dev.tidewater.testing.Command;
import dev.tidewater.testing.Crds;
import dev.tidewater.testing.Resources;
import dev.tidewater.testing.TestGround;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart's ValidatingAdmissionPolicy, as the API server runs it (its CEL compiled and evaluated
 * by kube-apiserver): a Cluster that loosens a governing TenancyPolicy is refused at create with
 * the field and the policy named; one within it is accepted; with no TenancyPolicy at all every
 * Cluster is admitted (the operator's built-in ceiling refuses it instead).
 */
class TenancyAdmissionIT {

  private static final String RELEASE = "admission-it";
  private final TestGround ground = TestGround.get();
  private final KubernetesClient admin = ground.admin();
  private String ns;

  @BeforeEach
  void install(@TempDir Path dir) throws IOException {
    Crds.apply(admin);
    ground.applyChartTemplate(RELEASE, "templates/admission.yaml", dir);
    ns = ground.createNamespace("admission");
  }

  @AfterEach
  void uninstall() {
    Command.run(
        ground.kubectlArgv(
            "delete",
            "validatingadmissionpolicy,validatingadmissionpolicybinding",
            "-l",
            "app.kubernetes.io/instance=" + RELEASE,
            "--ignore-not-found"));
    admin.resources(TenancyPolicy.class).withName(ns).delete();
    ground.deleteNamespace(ns);
    Crds.apply(admin); // the ground's policy, whatever a test removed
  }

  private void policy(String spec) {
    Resources.apply(
        admin,
        """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: TenancyPolicy
        metadata:
          name: %s
        spec:
          namespaces: [%s]
        %s
        """
            .formatted(ns, ns, spec.indent(2)),
        null);
  }

  private Cluster cluster(String name, String spec) {
    return Resources.fromYaml(
        """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: Cluster
        metadata: {name: %s, namespace: %s}
        spec:
        %s
        """
            .formatted(name, ns, spec.indent(2)),
        Cluster.class);
  }

  private void create(Cluster c) {
    admin.resource(c).create();
  }

  @Test
  void aClusterLooseningItsPolicyIsRefusedAtCreateWithTheFieldAndThePolicy() {
    // this namespace's policy alone (the ground's grants loopback endpoints only; put back after)
    admin.resources(TenancyPolicy.class).withName("testground").delete();
    policy(
        """
        guardrails: {allowHostNetwork: true}
        aws:
          allowedEndpoints: ["https://vpce-{namespace}.example.internal*"]
          allowedAssumeRoleArns: ["arn:aws:iam::111111111111:role/tidewater/*"]
        """);
    Cluster privileged = cluster("privileged", "guardrails: {allowPrivileged: true}");
    // a binding takes effect within a second or so: until the first refusal
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThatThrownBy(() -> create(privileged))
                    .isInstanceOfSatisfying(
                        KubernetesClientException.class,
                        e ->
                            assertThat(e.getMessage())
                                .contains(
                                    "spec.guardrails.allowPrivileged",
                                    "TenancyPolicy " + ns,
                                    "privileged containers")));
    assertThatThrownBy(
            () ->
                create(
                    cluster("collector", "aws: {endpoint: \"http://collector.example.com:8080\"}")))
        .hasMessageContaining("spec.aws.endpoint: http://collector.example.com:8080")
        .hasMessageContaining("is not granted by TenancyPolicy " + ns);
    assertThatThrownBy(
            () ->
                create(
                    cluster(
                        "other-account",
                        "aws: {assumeRoleArn: \"arn:aws:iam::222222222222:role/tidewater/x\"}")))
        .hasMessageContaining("spec.aws.assumeRoleArn")
        .hasMessageContaining("TenancyPolicy " + ns);
    assertThatThrownBy(() -> create(cluster("hostpath", "guardrails: {allowHostPath: true}")))
        .hasMessageContaining("spec.guardrails.allowHostPath");

    create(
        cluster(
            "within",
            """
            guardrails: {allowHostNetwork: true}
            aws:
              endpoint: "https://vpce-%s.example.internal/ecs"
              assumeRoleArn: "arn:aws:iam::111111111111:role/tidewater/deployer"
            """
                .formatted(ns)));
    assertThat(admin.resources(Cluster.class).inNamespace(ns).withName("within").get()).isNotNull();
    // an update that loosens is refused as well
    Cluster within = admin.resources(Cluster.class).inNamespace(ns).withName("within").get();
    within.getSpec().guardrails.allowPrivileged = true;
    assertThatThrownBy(() -> admin.resource(within).update())
        .hasMessageContaining("spec.guardrails.allowPrivileged");
  }

  @Test
  void withNoTenancyPolicyAtAllClustersAreAdmittedForTheOperatorToRefuse() {
    admin.resources(TenancyPolicy.class).delete();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> admin.resources(TenancyPolicy.class).list().getItems().isEmpty());
    create(cluster("privileged", "guardrails: {allowPrivileged: true}"));
    assertThat(admin.resources(Cluster.class).inNamespace(ns).withName("privileged").get())
        .isNotNull();
  }
}
