package dev.tidewater.backend.kubernetes;

import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.common.StatusWarning;
import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.backend.ServicePlan;
import dev.tidewater.backend.kubernetes.children.ServiceDeployment;
import dev.tidewater.model.Sha256;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the kubernetes backend's apply path last rendered for each Service, so that a reconcile with
 * the same inputs, whose children still carry those applied hashes and whose fields Tidewater still
 * owns unchanged, skips rendering: during a rollout a Service is reconciled on every change of its
 * Deployment's status, and rendering, hashing and the drift check were a third of the reconcile
 * threads' CPU in a profile of the benchmark (N = 300).
 *
 * <p>Nothing changes in what is applied or when: the render is a pure function of its inputs
 * ({@link #inputs}, a digest of every input of {@code ServiceChildren.desired}), so the same inputs
 * give the same objects and the same applied hashes; and whether an object drifted is a function of
 * that object and of the fields Tidewater's field manager owns on the live one ({@link
 * AppliedFields#ownedDigest}), so while both are unchanged the answer "no write" is the one the
 * full path would give. A child the pass wrote is checked, once the write shows in the cache,
 * against the JSON that was sent, exactly as the full pass checks the object it renders. A pass
 * that deletes, hands replicas over or touches ExternalSecrets keeps no entry. So a Service is
 * rendered once per change to its inputs or to the fields it owns (someone else's {@code kubectl
 * scale}, {@code edit}, ...), and never skipped into a stale write.
 *
 * <p>Bounded (least recently used first out): an entry is about 1.3 KiB (most of it the render's
 * warnings), and holds the JSON sent (a few KiB) from a write until the write shows; a Service
 * whose entry went renders again.
 */
final class RenderedServices {

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  /**
   * One child as a pass left it, applied with {@code appliedHash}: found so, with Tidewater's
   * fields on it digested as {@code owned}; or written by that pass and not seen since ({@code
   * owned} null), {@code sent} then being the JSON it sent (without the applied-hash annotation),
   * to compare with the fields Tidewater owns once the write shows in the cache, as the full pass
   * would.
   */
  record Child(String appliedHash, String owned, String sent) {

    static Child found(String appliedHash, String owned) {
      return new Child(appliedHash, owned, null);
    }

    static Child written(String appliedHash, String sent) {
      return new Child(appliedHash, null, sent);
    }
  }

  /**
   * What a Service's pass rendered and left.
   *
   * @param inputs the digest of its inputs
   * @param warnings the render's warnings
   * @param daemon whether the workload is a DaemonSet (else a Deployment)
   * @param workload the workload
   * @param autoscaler the HPA, null when the Service has none
   * @param disruptionBudget the PDB, null when the Service has none
   */
  record Entry(
      String inputs,
      List<StatusWarning> warnings,
      boolean daemon,
      Child workload,
      Child autoscaler,
      Child disruptionBudget) {}

  private final int capacity;
  private final Map<String, Entry> byUid;
  private final AtomicLong skipped = new AtomicLong();

  /**
   * @param capacity how many Services are remembered (0: none, every reconcile renders)
   */
  RenderedServices(int capacity) {
    if (capacity < 0) {
      throw new IllegalArgumentException("capacity must not be negative: " + capacity);
    }
    this.capacity = capacity;
    this.byUid =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > RenderedServices.this.capacity;
          }
        };
  }

  /**
   * The digest of everything {@code ServiceChildren.desired} reads, or null when the inputs cannot
   * be told apart from others (no uid or generation, a task without identity: a test, {@code
   * render}): such a Service is never remembered. The Service's spec is its generation (the API
   * server counts every spec change); its metadata is taken whole but for what the API server
   * changes on every write.
   */
  static String inputs(
      EcsService service,
      ClusterSpec cluster,
      ServicePlan plan,
      boolean podLevelResources,
      String externalSecretApiVersion,
      Integer observedReplicas) {
    var meta = service.getMetadata();
    if (meta.getUid() == null || meta.getGeneration() == null || plan.taskIdentity() == null) {
      return null;
    }
    MessageDigest d = Sha256.digest();
    Sha256.update(d, "service");
    Sha256.update(d, meta.getUid());
    Sha256.update(d, String.valueOf(meta.getGeneration()));
    Sha256.update(d, meta.getNamespace());
    Sha256.update(d, meta.getName());
    sorted(d, meta.getLabels());
    sorted(d, meta.getAnnotations());
    Sha256.update(d, "cluster");
    Sha256.update(d, cluster == null ? null : JSON.asJson(cluster));
    Sha256.update(d, "plan");
    Sha256.update(d, String.valueOf(plan.revision()));
    Sha256.update(d, plan.taskIdentity());
    Sha256.update(d, plan.taskDefinitionName());
    Sha256.update(d, plan.serviceAccountName());
    Sha256.update(d, plan.taskDefinitionArn());
    Sha256.update(d, String.valueOf(plan.createAllowed()));
    Sha256.update(d, "server");
    Sha256.update(d, String.valueOf(podLevelResources));
    Sha256.update(d, externalSecretApiVersion);
    // the replicas of the Deployment there count only where the render carries them
    Sha256.update(
        d, String.valueOf(ServiceDeployment.carriedReplicas(service.getSpec(), observedReplicas)));
    return HexFormat.of().formatHex(d.digest());
  }

  /** The entry of the Service with {@code uid} whose inputs had digest {@code inputs}, or null. */
  Entry get(String uid, String inputs) {
    synchronized (byUid) {
      Entry e = byUid.get(uid);
      return e != null && e.inputs().equals(inputs) ? e : null;
    }
  }

  void remember(String uid, Entry entry) {
    if (capacity == 0) return;
    synchronized (byUid) {
      byUid.put(uid, entry);
    }
  }

  void forget(String uid) {
    synchronized (byUid) {
      byUid.remove(uid);
    }
  }

  /** Counts a reconcile that used an entry instead of rendering. */
  void skippedRender() {
    skipped.incrementAndGet();
  }

  /** How many reconciles used an entry instead of rendering, since the start. */
  long skippedRenders() {
    return skipped.get();
  }

  /** How many Services are remembered now. */
  int size() {
    synchronized (byUid) {
      return byUid.size();
    }
  }

  private static void sorted(MessageDigest d, Map<String, String> map) {
    if (map == null) {
      Sha256.update(d, null);
      return;
    }
    Sha256.update(d, String.valueOf(map.size()));
    new TreeMap<>(map)
        .forEach(
            (k, v) -> {
              Sha256.update(d, k);
              Sha256.update(d, v);
            });
  }
}
