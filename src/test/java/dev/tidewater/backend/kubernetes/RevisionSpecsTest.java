package dev.tidewater.backend.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.cluster.Guardrails;
import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.api.v1alpha1.service.EcsServiceSpec;
import dev.tidewater.api.v1alpha1.service.TaskDefinitionRef;
import dev.tidewater.api.v1alpha1.task.Task;
import dev.tidewater.api.v1alpha1.task.TaskSpec;
import dev.tidewater.api.v1alpha1.taskdefinition.ContainerDefinition;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import dev.tidewater.backend.ServicePlan;
import dev.tidewater.backend.TaskBackend;
import dev.tidewater.backend.kubernetes.children.ServiceChildren;
import dev.tidewater.backend.kubernetes.children.TaskJob;
import dev.tidewater.model.CanonicalTaskDefinition;
import dev.tidewater.testing.EcsCorpus;
import dev.tidewater.testing.NeedsEcsCorpus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The parsed revisions: one parse per revision and resourceVersion, bounded, and shared safely —
 * nothing that runs a revision changes the spec it is given.
 */
class RevisionSpecsTest {

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private static TaskDefinitionSpec task(String image) {
    TaskDefinitionSpec t = new TaskDefinitionSpec();
    t.family = "web";
    ContainerDefinition c = new ContainerDefinition();
    c.name = "web";
    c.image = image;
    c.memory = 256;
    t.containerDefinitions = List.of(c);
    return t;
  }

  /** A revision as the API server returns it: the normal form as data, a uid and version. */
  private static ControllerRevision revision(
      String uid, String resourceVersion, TaskDefinitionSpec spec) {
    CanonicalTaskDefinition canonical = CanonicalTaskDefinition.of(spec);
    return new ControllerRevisionBuilder()
        .withNewMetadata()
        .withName("web-1")
        .withNamespace("team")
        .withUid(uid)
        .withResourceVersion(resourceVersion)
        .endMetadata()
        .withRevision(1L)
        .withData(Map.of("spec", JSON.unmarshal(canonical.json(), Map.class)))
        .build();
  }

  @Test
  void aRevisionIsParsedOnceAndItsSpecShared() {
    RevisionSpecs specs = new RevisionSpecs(8);
    ControllerRevision r = revision("uid-1", "10", task("nginx:1"));

    TaskDefinitionSpec first = specs.specOf(r);
    // the informer hands out a new object for every event: same uid and version, same spec
    TaskDefinitionSpec again = specs.specOf(JSON.clone(r));

    assertThat(first.containerDefinitions.get(0).image).isEqualTo("nginx:1");
    assertThat(again).isSameAs(first);
    assertThat(specs.size()).isOne();
  }

  @Test
  void aNewResourceVersionIsParsedAgainAndReplacesTheOld() {
    RevisionSpecs specs = new RevisionSpecs(8);
    TaskDefinitionSpec v10 = specs.specOf(revision("uid-1", "10", task("nginx:1")));

    // the same uid with other content can only come with another version (data is immutable in
    // Kubernetes; the version is checked anyway)
    TaskDefinitionSpec v11 = specs.specOf(revision("uid-1", "11", task("nginx:2")));

    assertThat(v11).isNotSameAs(v10);
    assertThat(v11.containerDefinitions.get(0).image).isEqualTo("nginx:2");
    assertThat(specs.size()).isOne();
    assertThat(specs.specOf(revision("uid-1", "11", task("nginx:2")))).isSameAs(v11);
  }

  @Test
  void theLeastRecentlyUsedRevisionGoesFirst() {
    RevisionSpecs specs = new RevisionSpecs(2);
    TaskDefinitionSpec a = specs.specOf(revision("a", "1", task("a")));
    TaskDefinitionSpec b = specs.specOf(revision("b", "1", task("b")));
    assertThat(specs.specOf(revision("a", "1", task("a")))).isSameAs(a); // a used after b

    specs.specOf(revision("c", "1", task("c")));

    assertThat(specs.size()).isEqualTo(2);
    assertThat(specs.specOf(revision("a", "1", task("a")))).isSameAs(a);
    assertThat(specs.specOf(revision("b", "1", task("b"))))
        .as("b was the least recently used, so it was parsed again")
        .isNotSameAs(b)
        .usingRecursiveComparison()
        .isEqualTo(b);
  }

  @Test
  void withoutUidOrVersionOrCapacityNothingIsKept() {
    RevisionSpecs none = new RevisionSpecs(0);
    ControllerRevision r = revision("uid-1", "10", task("nginx:1"));
    assertThat(none.specOf(r)).isNotSameAs(none.specOf(r));
    assertThat(none.size()).isZero();

    RevisionSpecs specs = new RevisionSpecs(8);
    ControllerRevision noVersion = revision("uid-1", null, task("nginx:1"));
    ControllerRevision noUid = revision(null, "10", task("nginx:1"));
    assertThat(specs.specOf(noVersion)).isNotSameAs(specs.specOf(noVersion));
    assertThat(specs.specOf(noUid)).isNotSameAs(specs.specOf(noUid));
    assertThat(specs.size()).isZero();

    assertThatThrownBy(() -> new RevisionSpecs(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  /** A Cluster that allows what the corpus asks for, so every file renders in full. */
  private static ClusterSpec permissive() {
    ClusterSpec c = new ClusterSpec();
    c.guardrails = new Guardrails();
    c.guardrails.allowPrivileged = true;
    c.guardrails.allowHostNetwork = true;
    c.guardrails.allowHostPath = true;
    return c;
  }

  static List<EcsCorpus.Entry> corpus() {
    return EcsCorpus.withoutPlaceholders();
  }

  /**
   * A shared spec must stay as parsed: a Service's objects and a Task's Job rendered from every
   * corpus file, under a permissive Cluster and with the External Secrets Operator, leave the spec
   * exactly as it was.
   */
  @NeedsEcsCorpus
  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void runningARevisionNeverChangesItsSpec(EcsCorpus.Entry e) {
    RevisionSpecs specs = new RevisionSpecs(8);
    ControllerRevision r = revision("uid-" + e.file(), "1", e.spec());
    TaskDefinitionSpec shared = specs.specOf(r);
    String before = JSON.asJson(shared);

    EcsService service = new EcsService();
    service.setMetadata(
        new ObjectMetaBuilder().withName("web").withNamespace("team").withUid("s-1").build());
    service.setSpec(new EcsServiceSpec());
    service.getSpec().taskDefinitionRef = new TaskDefinitionRef();
    service.getSpec().taskDefinitionRef.name = "web";
    for (boolean podLevel : List.of(false, true)) {
      ServiceChildren.desired(
          new ServiceChildren.Inputs(
              service,
              permissive(),
              new ServicePlan(1, shared, "web", "task-role"),
              podLevel,
              "external-secrets.io/v1",
              null));
    }
    Task task = new Task();
    task.setMetadata(
        new ObjectMetaBuilder().withName("once").withNamespace("team").withUid("t-1").build());
    task.setSpec(new TaskSpec());
    task.getSpec().taskDefinitionRef = new TaskDefinitionRef();
    task.getSpec().taskDefinitionRef.name = "web";
    TaskJob.desired(
        new TaskJob.Inputs(
            task, permissive(), new TaskBackend.Plan(1, shared, "web", "task-role", null), true));

    assertThat(JSON.asJson(shared)).as(e.file()).isEqualTo(before);
    assertThat(specs.specOf(r)).isSameAs(shared);
  }
}
