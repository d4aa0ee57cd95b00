package dev.tidewater.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.tidewater.api.v1alpha1.common.StatusWarning;
import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.model.TidewaterLabels;
import dev.tidewater.testing.Crds;
import dev.tidewater.testing.OperatorProcess;
import dev.tidewater.testing.Resources;
import dev.tidewater.testing.TestGround;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SSM / Secrets Manager secrets on the real control plane: without the External Secrets Operator's
 * CRD a refusal (SecretsNeedExternalSecrets) that leaves the running revision alone, an
 * ExternalSecret and secretKeyRefs with it; never a value.
 */
class ExternalSecretsIT {

  private static final TestGround ground = TestGround.get();
  private static final KubernetesClient admin = ground.admin();
  private static final String CRD = "externalsecrets.external-secrets.io";
  private static final String SM_ARN =
      "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf";
  private static OperatorProcess operator;
  private String ns;

  @BeforeAll
  static void start() {
    Crds.apply(admin);
    ground.removeExternalSecretCrd();
    operator =
        OperatorProcess.start(
            ground,
            Map.of(),
            List.of(
                "-Dtidewater.resync-period=3s",
                "-Dtidewater.kubernetes.external-secrets-check-period=2s"));
  }

  @AfterAll
  static void stop() {
    if (operator != null) operator.close();
    // the ground's own: the real CRD of the External Secrets Operator, which other ITs expect
    ground.removeExternalSecretCrd();
    ground.installExternalSecretCrd();
  }

  @BeforeEach
  void namespace() {
    ns = ground.createNamespace("extsecret");
  }

  @AfterEach
  void cleanUp() {
    ground.deleteNamespace(ns);
  }

  private static void installExternalSecretCrd() {
    try (InputStream in =
        ExternalSecretsIT.class.getResourceAsStream("/crds/external-secret-minimal.yaml")) {
      CustomResourceDefinition crd = Serialization.unmarshal(in, CustomResourceDefinition.class);
      admin.resource(crd).serverSideApply();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              var c = admin.apiextensions().v1().customResourceDefinitions().withName(CRD).get();
              return c != null
                  && c.getStatus() != null
                  && c.getStatus().getConditions().stream()
                      .anyMatch(
                          x -> "Established".equals(x.getType()) && "True".equals(x.getStatus()));
            });
  }

  private void applyWorkload() {
    Resources.apply(
        admin,
        """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: TaskDefinition
        metadata:
          name: web
        spec:
          requiresCompatibilities: [EC2]
          networkMode: awsvpc
          cpu: "256"
          memory: "512"
          containerDefinitions:
          - name: web
            image: public.ecr.aws/nginx/nginx:1.27
            secrets:
            - {name: API_KEY, valueFrom: "arn:aws:ssm:us-east-1:123456789012:parameter/prod/api-key"}
            - {name: DB_URL, valueFrom: /prod/db-url}
        ---
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: TaskDefinition
        metadata:
          name: mixed
        spec:
          requiresCompatibilities: [EC2]
          networkMode: awsvpc
          cpu: "256"
          memory: "512"
          containerDefinitions:
          - name: app
            image: public.ecr.aws/nginx/nginx:1.27
            secrets:
            - {name: API_KEY, valueFrom: /prod/api-key}
            - {name: DB_PASSWORD, valueFrom: "%s:password::"}
        ---
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: Service
        metadata:
          name: web
        spec:
          taskDefinitionRef: {name: web}
          desiredCount: 1
        ---
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: Service
        metadata:
          name: mixed
        spec:
          taskDefinitionRef: {name: mixed}
          desiredCount: 1
        """
            .formatted(SM_ARN),
        ns);
  }

  private EcsService service(String name) {
    return admin.resources(EcsService.class).inNamespace(ns).withName(name).get();
  }

  private Deployment deployment(String name) {
    return admin.apps().deployments().inNamespace(ns).withName(name).get();
  }

  private List<GenericKubernetesResource> externalSecrets() {
    return admin
        .genericKubernetesResources("external-secrets.io/v1beta1", "ExternalSecret")
        .inNamespace(ns)
        .list()
        .getItems();
  }

  private GenericKubernetesResource externalSecret(String name) {
    return admin
        .genericKubernetesResources("external-secrets.io/v1beta1", "ExternalSecret")
        .inNamespace(ns)
        .withName(name)
        .get();
  }

  private static List<EnvVar> env(Deployment d) {
    return d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
  }

  @Test
  void withoutTheCrdSecretsAreRefusedAndTheRunningRevisionStays() {
    ground.removeExternalSecretCrd(); // whatever ran before
    Resources.apply(
        admin,
        """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: TaskDefinition
        metadata:
          name: web
        spec:
          requiresCompatibilities: [EC2]
          networkMode: awsvpc
          cpu: "256"
          memory: "512"
          containerDefinitions:
          - name: web
            image: public.ecr.aws/nginx/nginx:1.27
        ---
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: Service
        metadata:
          name: web
        spec:
          taskDefinitionRef: {name: web}
          desiredCount: 1
        """,
        ns);
    await()
        .ignoreException(NullPointerException.class)
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(() -> assertThat(revision(deployment("web"))).isEqualTo("1"));

    applyWorkload(); // revision 2 reads SSM: undeliverable without the operator
    await()
        .ignoreExceptions() // no status yet, or no Degraded condition yet
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () -> {
              Condition degraded =
                  service("web").getStatus().getConditions().stream()
                      .filter(c -> "Degraded".equals(c.getType()) && "True".equals(c.getStatus()))
                      .findFirst()
                      .orElseThrow();
              assertThat(degraded.getMessage())
                  .contains(
                      "containerDefinitions[web].secrets[0].valueFrom",
                      "containerDefinitions[web].secrets[1].valueFrom",
                      "External Secrets Operator")
                  .doesNotContain("/prod/api-key", "/prod/db-url");
            });
    assertThat(revision(deployment("web"))).isEqualTo("1");
    assertThat(env(deployment("web"))).isNullOrEmpty();
    assertThat(admin.apiextensions().v1().customResourceDefinitions().withName(CRD).get()).isNull();
  }

  private static String revision(Deployment d) {
    return d.getSpec().getTemplate().getMetadata().getLabels().get(TidewaterLabels.REVISION);
  }

  @Test
  void withTheCrdSecretsComeFromExternalSecrets() {
    installExternalSecretCrd();
    applyWorkload();
    await()
        .ignoreException(NullPointerException.class)
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () -> {
              GenericKubernetesResource es = externalSecret("web-ecs-secrets");
              assertThat(es).isNotNull();
              Map<String, Object> spec = spec(es);
              assertThat(spec.get("secretStoreRef"))
                  .isEqualTo(Map.of("kind", "ClusterSecretStore", "name", "aws-parameter-store"));
              assertThat(spec.get("target"))
                  .isEqualTo(Map.of("name", "web-ecs-secrets", "creationPolicy", "Owner"));
              assertThat(spec.get("data"))
                  .isEqualTo(
                      List.of(
                          Map.of(
                              "secretKey", "API_KEY", "remoteRef", Map.of("key", "/prod/api-key")),
                          Map.of(
                              "secretKey", "DB_URL", "remoteRef", Map.of("key", "/prod/db-url"))));
              assertThat(es.getMetadata().getLabels())
                  .containsEntry("app.kubernetes.io/managed-by", "tidewater");
              assertThat(es.getMetadata().getOwnerReferences())
                  .singleElement()
                  .satisfies(o -> assertThat(o.getKind()).isEqualTo("Service"));
              assertThat(env(deployment("web")))
                  .extracting(
                      EnvVar::getName,
                      e -> e.getValueFrom().getSecretKeyRef().getName(),
                      e -> e.getValueFrom().getSecretKeyRef().getKey())
                  .containsExactly(
                      tuple("API_KEY", "web-ecs-secrets", "API_KEY"),
                      tuple("DB_URL", "web-ecs-secrets", "DB_URL"));
              assertThat(service("web").getStatus().getWarnings())
                  .extracting(StatusWarning::reason)
                  .doesNotContain("SecretsNeedExternalSecrets");
            });
    await()
        .ignoreException(NullPointerException.class)
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(externalSecrets())
                  .extracting(e -> e.getMetadata().getName())
                  .containsExactlyInAnyOrder(
                      "web-ecs-secrets", "mixed-ecs-secrets-ssm", "mixed-ecs-secrets-sm");
              Map<String, Object> sm = spec(externalSecret("mixed-ecs-secrets-sm"));
              assertThat(sm.get("secretStoreRef"))
                  .isEqualTo(Map.of("kind", "ClusterSecretStore", "name", "aws-secrets-manager"));
              assertThat(sm.get("data"))
                  .isEqualTo(
                      List.of(
                          Map.of(
                              "secretKey",
                              "DB_PASSWORD",
                              "remoteRef",
                              Map.of("key", SM_ARN, "property", "password"))));
              assertThat(env(deployment("mixed")))
                  .extracting(e -> e.getValueFrom().getSecretKeyRef().getName())
                  .containsExactly("mixed-ecs-secrets-ssm", "mixed-ecs-secrets-sm");
            });
    // Tidewater writes references only: no env value, and it never makes the target Secret itself
    assertThat(env(deployment("web"))).allSatisfy(e -> assertThat(e.getValue()).isNull());
    assertThat(admin.secrets().inNamespace(ns).withName("web-ecs-secrets").get()).isNull();

    // a task without AWS secrets any more drops its ExternalSecret
    Resources.apply(
        admin,
        """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: TaskDefinition
        metadata:
          name: web
        spec:
          requiresCompatibilities: [EC2]
          networkMode: awsvpc
          cpu: "256"
          memory: "512"
          containerDefinitions:
          - name: web
            image: public.ecr.aws/nginx/nginx:1.27
        """,
        ns);
    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(() -> assertThat(externalSecret("web-ecs-secrets")).isNull());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(GenericKubernetesResource r) {
    return (Map<String, Object>) r.getAdditionalProperties().get("spec");
  }
}
