package dev.tidewater.backend.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.cluster.Guardrails;
import dev.tidewater.api.v1alpha1.service.Autoscaling;
import dev.tidewater.api.v1alpha1.service.DeploymentConfiguration;
import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.api.v1alpha1.service.EcsServiceSpec;
import dev.tidewater.api.v1alpha1.service.TaskDefinitionRef;
import dev.tidewater.api.v1alpha1.taskdefinition.ContainerDefinition;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import dev.tidewater.backend.ServiceObservation;
import dev.tidewater.backend.ServicePlan;
import dev.tidewater.backend.kubernetes.children.ServiceChildren;
import dev.tidewater.backend.kubernetes.children.ServiceWorkload;
import dev.tidewater.model.CanonicalTaskDefinition;
import dev.tidewater.model.TidewaterLabels;
import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A Service whose inputs and children are unchanged is not rendered again, and that changes
 * nothing: every step below runs the apply path twice, with and without {@link RenderedServices},
 * against two copies of one simulated API server (server-side apply recording each manager's fields
 * as the API server does), and both must make the same writes, leave the same objects and report
 * the same observation — while the remembering side skips the renders the step allows.
 */
class RenderedServicesTest {

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  /** The API server as the apply path sees it: objects by kind, each manager's fields tracked. */
  static final class ApiServer implements ServiceChildStore {
    final Map<String, HasMetadata> objects = new LinkedHashMap<>();
    final List<String> writes = new ArrayList<>();
    private long version = 100;

    ApiServer copy() {
      ApiServer c = new ApiServer();
      objects.forEach((k, v) -> c.objects.put(k, JSON.clone(v)));
      c.version = version;
      return c;
    }

    @SuppressWarnings("unchecked")
    private <T extends HasMetadata> Optional<T> find(Class<T> type) {
      // a new object on every read, as the informer's cache holds what the last event decoded
      return Optional.ofNullable((T) objects.get(type.getSimpleName())).map(JSON::clone);
    }

    @Override
    public Optional<Deployment> deployment() {
      return find(Deployment.class);
    }

    @Override
    public Optional<DaemonSet> daemonSet() {
      return find(DaemonSet.class);
    }

    @Override
    public Optional<HorizontalPodAutoscaler> autoscaler() {
      return find(HorizontalPodAutoscaler.class);
    }

    @Override
    public Optional<PodDisruptionBudget> disruptionBudget() {
      return find(PodDisruptionBudget.class);
    }

    @Override
    public Optional<GenericKubernetesResource> externalSecret(
        String apiVersion, String namespace, String name) {
      return Optional.empty();
    }

    @Override
    public <T extends HasMetadata> Optional<T> uncached(
        Class<T> type, String namespace, String name) {
      return find(type);
    }

    @Override
    public void apply(HasMetadata desired) {
      writes.add("apply " + desired.getKind());
      HasMetadata sent = JSON.unmarshal(JSON.asJson(desired), desired.getClass());
      HasMetadata existing = objects.get(desired.getKind());
      List<ManagedFieldsEntry> others = new ArrayList<>();
      if (existing != null) {
        // what others own stays theirs (status, the hand-off's replicas) unless we set it now
        for (ManagedFieldsEntry e : existing.getMetadata().getManagedFields()) {
          if (!TidewaterLabels.FIELD_MANAGER.equals(e.getManager())) others.add(e);
        }
        if (existing instanceof Deployment old && sent instanceof Deployment d) {
          d.setStatus(old.getStatus());
          if (d.getSpec().getReplicas() == null)
            d.getSpec().setReplicas(old.getSpec().getReplicas());
        }
      }
      List<ManagedFieldsEntry> entries = new ArrayList<>();
      entries.add(entry(TidewaterLabels.FIELD_MANAGER, "Apply", null, owned(desired)));
      entries.addAll(others);
      store(sent, entries);
    }

    @Override
    public void replace(HasMetadata replacement) {
      writes.add("replace " + replacement.getKind());
    }

    @Override
    public void handOffReplicas(String namespace, String name, int replicas) {
      writes.add("handoff " + replicas);
      change(
          Deployment.class,
          InformerServiceChildStore.HANDOFF_MANAGER,
          "Apply",
          d -> d.getSpec().setReplicas(replicas),
          Map.of("f:spec", Map.of("f:replicas", Map.of())));
    }

    @Override
    public void delete(HasMetadata observed) {
      writes.add("delete " + observed.getKind());
      objects.remove(observed.getKind());
    }

    @Override
    public void deleteExternalSecret(String apiVersion, String namespace, String name) {
      writes.add("delete ExternalSecret");
    }

    /**
     * Someone else's write of {@code type}: {@code edit} changes the object, and {@code manager}
     * takes the fields in {@code fields} (from Tidewater too, unless it is a status write).
     */
    @SuppressWarnings("unchecked")
    <T extends HasMetadata> void change(
        Class<T> type,
        String manager,
        String operation,
        Consumer<T> edit,
        Map<String, Object> fields) {
      T o = (T) objects.get(type.getSimpleName());
      edit.accept(o);
      boolean status = fields.containsKey("f:status");
      List<ManagedFieldsEntry> entries = new ArrayList<>();
      for (ManagedFieldsEntry e : o.getMetadata().getManagedFields()) {
        if (e.getManager().equals(manager)) continue;
        if (!status && e.getFieldsV1() != null) {
          Map<String, Object> kept = deepCopy(e.getFieldsV1().getAdditionalProperties());
          remove(kept, fields);
          e = entry(e.getManager(), e.getOperation(), e.getSubresource(), kept);
        }
        entries.add(e);
      }
      entries.add(entry(manager, operation, status ? "status" : null, fields));
      store(o, entries);
    }

    private void store(HasMetadata o, List<ManagedFieldsEntry> entries) {
      o.getMetadata().setManagedFields(entries);
      o.getMetadata().setGeneration(1L);
      o.getMetadata().setUid("uid-" + o.getKind());
      o.getMetadata().setResourceVersion(String.valueOf(++version));
      objects.put(o.getKind(), o);
    }
  }

  private static ManagedFieldsEntry entry(
      String manager, String operation, String subresource, Map<String, Object> fields) {
    FieldsV1 f = new FieldsV1();
    fields.forEach(f::setAdditionalProperty);
    return new ManagedFieldsEntryBuilder()
        .withManager(manager)
        .withOperation(operation)
        .withSubresource(subresource)
        .withApiVersion("v1")
        .withFieldsType("FieldsV1")
        .withFieldsV1(f)
        .build();
  }

  /** The field set of {@code applied}: objects by field, lists and scalars owned whole. */
  private static Map<String, Object> owned(HasMetadata applied) {
    Map<String, Object> fields = fieldSet(JSON.convertValue(applied, JsonNode.class));
    fields.remove("f:apiVersion");
    fields.remove("f:kind");
    return fields;
  }

  private static Map<String, Object> fieldSet(JsonNode node) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        out.put("f:" + f.getKey(), fieldSet(f.getValue()));
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> deepCopy(Map<String, Object> m) {
    Map<String, Object> out = new LinkedHashMap<>();
    m.forEach(
        (k, v) -> out.put(k, v instanceof Map<?, ?> sub ? deepCopy((Map<String, Object>) sub) : v));
    return out;
  }

  /** Removes the leaves of {@code taken} from {@code from} (the fields another manager took). */
  @SuppressWarnings("unchecked")
  private static void remove(Map<String, Object> from, Map<String, Object> taken) {
    for (Map.Entry<String, Object> t : taken.entrySet()) {
      Object mine = from.get(t.getKey());
      Map<String, Object> sub = (Map<String, Object>) t.getValue();
      if (sub.isEmpty()) {
        from.remove(t.getKey());
      } else if (mine instanceof Map<?, ?> m) {
        remove((Map<String, Object>) m, sub);
      }
    }
  }

  /** The two sides of every step: the same API server, with and without remembering. */
  static final class Sides {
    final RenderedServices memo = new RenderedServices(16);
    final ApiServer remembering = new ApiServer();
    ApiServer plain = new ApiServer();
    EcsService service;
    ClusterSpec cluster = new ClusterSpec();
    ServicePlan plan;

    Sides(EcsService service, ServicePlan plan) {
      this.service = service;
      this.plan = plan;
    }

    /** Whether the last reconcile of the remembering side rendered. */
    boolean rendered;

    /** One reconcile on both sides; both must agree. Returns what the remembering side wrote. */
    List<String> reconcile() {
      int before = remembering.writes.size();
      long skipped = memo.skippedRenders();
      // the SDK hands every reconcile its own copy of the Service
      ServiceObservation a =
          KubernetesServiceBackend.apply(
              JSON.clone(service), cluster, plan, true, null, remembering, memo);
      ServiceObservation b =
          KubernetesServiceBackend.apply(JSON.clone(service), cluster, plan, true, null, plain);
      assertThat(a).isEqualTo(b);
      assertThat(remembering.writes).isEqualTo(plain.writes);
      assertThat(json(remembering)).isEqualTo(json(plain));
      rendered = memo.skippedRenders() == skipped;
      return List.copyOf(remembering.writes.subList(before, remembering.writes.size()));
    }

    /** Someone else's change, made on both sides. */
    void onBoth(Consumer<ApiServer> change) {
      change.accept(remembering);
      change.accept(plain);
    }

    private static Map<String, String> json(ApiServer s) {
      Map<String, String> out = new LinkedHashMap<>();
      s.objects.forEach((k, v) -> out.put(k, JSON.asJson(v)));
      return out;
    }
  }

  private static EcsService service(Consumer<EcsServiceSpec> spec) {
    EcsService s = new EcsService();
    s.getMetadata().setName("web");
    s.getMetadata().setNamespace("team");
    s.getMetadata().setUid("svc-uid");
    s.getMetadata().setGeneration(1L);
    s.setSpec(new EcsServiceSpec());
    s.getSpec().taskDefinitionRef = new TaskDefinitionRef();
    s.getSpec().taskDefinitionRef.name = "web";
    spec.accept(s.getSpec());
    return s;
  }

  private static ServicePlan plan(int revision, String image) {
    TaskDefinitionSpec t = new TaskDefinitionSpec();
    t.family = "web";
    ContainerDefinition c = new ContainerDefinition();
    c.name = "web";
    c.image = image;
    c.memory = 256;
    t.containerDefinitions = List.of(c);
    return new ServicePlan(
        revision,
        CanonicalTaskDefinition.of(t).spec(),
        "web",
        null,
        null,
        true,
        "rev-uid-" + revision + "/1");
  }

  private static void status(ApiServer s, int ready) {
    s.change(
        Deployment.class,
        "kube-controller-manager",
        "Update",
        d ->
            d.setStatus(
                new DeploymentStatusBuilder()
                    .withObservedGeneration(d.getMetadata().getGeneration())
                    .withReplicas(d.getSpec().getReplicas())
                    .withUpdatedReplicas(d.getSpec().getReplicas())
                    .withReadyReplicas(ready)
                    .withAvailableReplicas(ready)
                    .build()),
        Map.of("f:status", Map.of("f:readyReplicas", Map.of())));
  }

  private static final Map<String, Object> CONTAINERS =
      Map.of("f:spec", Map.of("f:template", Map.of("f:spec", Map.of("f:containers", Map.of()))));

  /** Someone's {@code kubectl edit} of the first container's image: the containers are theirs. */
  private static <T extends HasMetadata> void editImage(ApiServer s, Class<T> type) {
    s.change(
        type,
        "kubectl-edit",
        "Update",
        o -> {
          var template =
              o instanceof Deployment d
                  ? d.getSpec().getTemplate()
                  : ((DaemonSet) o).getSpec().getTemplate();
          template.getSpec().getContainers().get(0).setImage("evil");
        },
        CONTAINERS);
  }

  private static String image(ApiServer s) {
    return ((Deployment) s.objects.get("Deployment"))
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0)
        .getImage();
  }

  @Test
  void anUnchangedServiceIsNotRenderedAgainAndDriftIsStillCorrected() {
    Sides sides =
        new Sides(
            service(
                s -> {
                  s.desiredCount = 2;
                  s.deploymentConfiguration = new DeploymentConfiguration();
                  s.deploymentConfiguration.minimumHealthyPercent = 50;
                }),
            plan(1, "nginx:1"));

    // the first reconcile renders and makes the Deployment and its PDB
    assertThat(sides.reconcile()).containsExactly("apply Deployment", "apply PodDisruptionBudget");
    assertThat(sides.rendered).isTrue();
    assertThat(sides.memo.size()).isOne();

    // the next finds them as they were sent, without rendering; and so on while nothing changes
    assertThat(sides.reconcile()).isEmpty();
    assertThat(sides.rendered).isFalse();
    assertThat(sides.reconcile()).isEmpty();
    assertThat(sides.rendered).isFalse();

    // the Deployment controller's status writes (a rollout's counts) change nothing of ours
    sides.onBoth(s -> status(s, 1));
    assertThat(sides.reconcile()).isEmpty();
    assertThat(sides.rendered).isFalse();
    sides.onBoth(s -> status(s, 2));
    assertThat(sides.reconcile()).isEmpty();
    assertThat(sides.rendered).isFalse();

    // kubectl scale: our replicas taken by another manager, restored at once
    sides.onBoth(
        s ->
            s.change(
                Deployment.class,
                "kubectl",
                "Update",
                d -> d.getSpec().setReplicas(5),
                Map.of("f:spec", Map.of("f:replicas", Map.of()))));
    assertThat(sides.reconcile()).containsExactly("apply Deployment");
    assertThat(sides.rendered).isTrue();
    assertThat(((Deployment) sides.remembering.objects.get("Deployment")).getSpec().getReplicas())
        .isEqualTo(2);
    assertThat(sides.reconcile()).isEmpty();
    assertThat(sides.rendered).isFalse();

    // kubectl edit of a container image (another manager takes the containers): restored
    sides.onBoth(s -> editImage(s, Deployment.class));
    assertThat(sides.reconcile()).containsExactly("apply Deployment");
    assertThat(sides.rendered).isTrue();
    assertThat(image(sides.remembering)).isEqualTo("nginx:1");
    assertThat(sides.reconcile()).isEmpty();
    assertThat(sides.rendered).isFalse();

    // the PDB deleted by someone: made again
    sides.onBoth(s -> s.objects.remove("PodDisruptionBudget"));
    assertThat(sides.reconcile()).containsExactly("apply PodDisruptionBudget");
    assertThat(sides.rendered).isTrue();
    assertThat(sides.reconcile()).isEmpty();
    assertThat(sides.rendered).isFalse();
  }

  @Test
  void aChangeBeforeOurWriteWasSeenIsCorrectedToo() {
    Sides sides = new Sides(service(s -> s.desiredCount = 1), plan(1, "nginx:1"));
    assertThat(sides.reconcile()).containsExactly("apply Deployment");

    // someone edits the Deployment before the reconcile that first sees our write
    sides.onBoth(s -> editImage(s, Deployment.class));
    assertThat(sides.reconcile()).containsExactly("apply Deployment");
    assertThat(sides.rendered).isTrue();
    assertThat(image(sides.remembering)).isEqualTo("nginx:1");

    // and a write of ours that another apply undid at once (its hash annotation gone)
    sides.onBoth(
        s ->
            s.change(
                Deployment.class,
                "other",
                "Apply",
                d -> d.getMetadata().getAnnotations().remove(TidewaterLabels.APPLIED_HASH),
                Map.of(
                    "f:metadata",
                    Map.of(
                        "f:annotations", Map.of("f:" + TidewaterLabels.APPLIED_HASH, Map.of())))));
    assertThat(sides.reconcile()).containsExactly("apply Deployment");
    assertThat(sides.rendered).isTrue();
    assertThat(sides.reconcile()).isEmpty();
    assertThat(sides.rendered).isFalse();
  }

  @Test
  void everyInputOfTheRenderRendersAgain() {
    Sides sides = new Sides(service(s -> s.desiredCount = 2), plan(1, "nginx:1"));
    Runnable settled =
        () -> {
          assertThat(sides.reconcile()).isEmpty();
          assertThat(sides.rendered).isFalse();
        };
    sides.reconcile();
    settled.run();

    // the Service's spec (a new generation)
    sides.service.getSpec().desiredCount = 3;
    sides.service.getMetadata().setGeneration(2L);
    assertThat(sides.reconcile()).containsExactly("apply Deployment");
    assertThat(sides.rendered).isTrue();
    settled.run();

    // an annotation the render reads, changed without a new generation
    sides
        .service
        .getMetadata()
        .setAnnotations(
            new LinkedHashMap<>(Map.of(ServiceWorkload.PROGRESS_DEADLINE_ANNOTATION, "120")));
    assertThat(sides.reconcile()).containsExactly("apply Deployment");
    assertThat(sides.rendered).isTrue();
    assertThat(
            ((Deployment) sides.remembering.objects.get("Deployment"))
                .getSpec()
                .getProgressDeadlineSeconds())
        .isEqualTo(120);
    settled.run();

    // the Cluster (its guardrails, placement, ...): rendered, here to the same objects
    sides.cluster = new ClusterSpec();
    sides.cluster.guardrails = new Guardrails();
    sides.cluster.guardrails.allowPrivileged = true;
    assertThat(sides.reconcile()).isEmpty();
    assertThat(sides.rendered).isTrue();
    settled.run();

    // another revision of the TaskDefinition
    sides.plan = plan(2, "nginx:2");
    assertThat(sides.reconcile()).containsExactly("apply Deployment");
    assertThat(sides.rendered).isTrue();
    settled.run();
  }

  @Test
  void anAutoscaledServiceHandsItsReplicasOverBeforeItIsRemembered() {
    Sides sides =
        new Sides(
            service(
                s -> {
                  s.autoscaling = new Autoscaling();
                  s.autoscaling.minTasks = 2;
                  s.autoscaling.maxTasks = 4;
                  s.autoscaling.targetMemoryUtilization = 50;
                }),
            plan(1, "nginx:1"));

    // a pass that hands replicas over keeps nothing: the next renders, then none
    assertThat(sides.reconcile())
        .containsExactly("apply Deployment", "handoff 2", "apply HorizontalPodAutoscaler");
    assertThat(sides.memo.size()).isZero();
    assertThat(sides.reconcile()).isEmpty();
    assertThat(sides.rendered).isTrue();
    assertThat(sides.reconcile()).isEmpty();
    assertThat(sides.rendered).isFalse();

    // the HPA scales: the hand-off manager's replicas change, none of our fields: nothing to do
    sides.onBoth(
        s ->
            s.change(
                Deployment.class,
                InformerServiceChildStore.HANDOFF_MANAGER,
                "Apply",
                d -> d.getSpec().setReplicas(4),
                Map.of("f:spec", Map.of("f:replicas", Map.of()))));
    assertThat(sides.reconcile()).isEmpty();
    assertThat(sides.rendered).isFalse();
  }

  @Test
  void aServiceWithoutACountKeepsTheCountOfItsDeployment() {
    Sides sides = new Sides(service(s -> {}), plan(1, "nginx:1"));
    assertThat(sides.reconcile()).containsExactly("apply Deployment");
    assertThat(sides.reconcile()).isEmpty();
    assertThat(sides.rendered).isTrue(); // the count it carries is the one now there (1)
    assertThat(sides.reconcile()).isEmpty();
    assertThat(sides.rendered).isFalse();

    // kubectl scale: the count is carried, so rendered again (and applied with that count)
    sides.onBoth(
        s ->
            s.change(
                Deployment.class,
                "kubectl",
                "Update",
                d -> d.getSpec().setReplicas(3),
                Map.of("f:spec", Map.of("f:replicas", Map.of()))));
    assertThat(sides.reconcile()).containsExactly("apply Deployment");
    assertThat(sides.rendered).isTrue();
    assertThat(((Deployment) sides.remembering.objects.get("Deployment")).getSpec().getReplicas())
        .isEqualTo(3);
    assertThat(sides.reconcile()).isEmpty();
    assertThat(sides.rendered).isFalse();
  }

  @Test
  void aDaemonServiceIsRememberedToo() {
    Sides sides = new Sides(service(s -> s.schedulingStrategy = "DAEMON"), plan(1, "nginx:1"));
    assertThat(sides.reconcile()).containsExactly("apply DaemonSet");
    assertThat(sides.reconcile()).isEmpty();
    assertThat(sides.rendered).isFalse();

    sides.onBoth(s -> editImage(s, DaemonSet.class));
    assertThat(sides.reconcile()).containsExactly("apply DaemonSet");
    assertThat(sides.rendered).isTrue();
  }

  @Test
  void withoutAnIdentityNothingIsRemembered() {
    ServicePlan anonymous = new ServicePlan(1, plan(1, "nginx:1").task(), "web", null);
    Sides sides = new Sides(service(s -> s.desiredCount = 1), anonymous);
    sides.reconcile();
    sides.reconcile();
    assertThat(sides.rendered).isTrue();
    assertThat(sides.memo.size()).isZero();
    assertThat(sides.memo.skippedRenders()).isZero();

    EcsService noGeneration = service(s -> s.desiredCount = 1);
    noGeneration.getMetadata().setGeneration(null);
    assertThat(RenderedServices.inputs(noGeneration, null, plan(1, "x"), true, null, null))
        .isNull();
  }

  @Test
  void aBoundedNumberOfServicesIsRemembered() {
    RenderedServices memo = new RenderedServices(2);
    RenderedServices.Child v = RenderedServices.Child.found("h", "o");
    for (String uid : List.of("a", "b", "c")) {
      memo.remember(uid, new RenderedServices.Entry("in-" + uid, List.of(), false, v, null, null));
    }
    assertThat(memo.size()).isEqualTo(2);
    assertThat(memo.get("a", "in-a")).isNull();
    assertThat(memo.get("c", "in-c")).isNotNull();
    assertThat(memo.get("c", "other inputs")).isNull();
  }

  /**
   * The digest covers every input of the render: a new input of {@code ServiceChildren.Inputs} or
   * {@code ServicePlan} must be added to {@link RenderedServices#inputs} (and here), or a Service
   * would be skipped with a stale render.
   */
  @Test
  void theDigestKnowsEveryInputOfTheRender() {
    assertThat(components(ServiceChildren.Inputs.class))
        .containsExactly(
            "service",
            "cluster",
            "plan",
            "podLevelResources",
            "externalSecretApiVersion",
            "observedReplicas");
    assertThat(components(ServicePlan.class))
        .containsExactly(
            "revision",
            "task",
            "taskDefinitionName",
            "serviceAccountName",
            "taskDefinitionArn",
            "createAllowed",
            "taskIdentity");

    EcsService s = service(x -> x.desiredCount = 1);
    ServicePlan p = plan(1, "nginx:1");
    String base = RenderedServices.inputs(s, null, p, true, null, null);
    assertThat(RenderedServices.inputs(JSON.clone(s), null, p, true, null, null)).isEqualTo(base);
    List<String> others = new ArrayList<>();
    EcsService renamed = JSON.clone(s);
    renamed.getMetadata().setName("other");
    others.add(RenderedServices.inputs(renamed, null, p, true, null, null));
    EcsService labelled = JSON.clone(s);
    labelled.getMetadata().setLabels(Map.of("a", "b"));
    others.add(RenderedServices.inputs(labelled, null, p, true, null, null));
    EcsService next = JSON.clone(s);
    next.getMetadata().setGeneration(2L);
    others.add(RenderedServices.inputs(next, null, p, true, null, null));
    others.add(RenderedServices.inputs(s, new ClusterSpec(), p, true, null, null));
    others.add(RenderedServices.inputs(s, null, plan(2, "nginx:1"), true, null, null));
    others.add(
        RenderedServices.inputs(
            s,
            null,
            new ServicePlan(1, p.task(), "web", "sa", null, true, p.taskIdentity()),
            true,
            null,
            null));
    others.add(
        RenderedServices.inputs(
            s,
            null,
            new ServicePlan(1, p.task(), "web2", null, null, true, p.taskIdentity()),
            true,
            null,
            null));
    others.add(RenderedServices.inputs(s, null, p.keepingOnly(), true, null, null));
    others.add(RenderedServices.inputs(s, null, p, false, null, null));
    others.add(RenderedServices.inputs(s, null, p, true, "external-secrets.io/v1", null));
    assertThat(others).doesNotContain(base).doesNotHaveDuplicates();

    // the Deployment's replicas where the render carries them (no desiredCount, no autoscaling)
    assertThat(RenderedServices.inputs(s, null, p, true, null, 3)).isEqualTo(base);
    EcsService carrying = service(x -> {});
    assertThat(RenderedServices.inputs(carrying, null, p, true, null, 3))
        .isNotEqualTo(RenderedServices.inputs(carrying, null, p, true, null, 2))
        .isNotEqualTo(RenderedServices.inputs(carrying, null, p, true, null, null));
  }

  private static List<String> components(Class<? extends Record> type) {
    return Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList();
  }
}
