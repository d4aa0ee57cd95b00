package dev.tidewater.backend.kubernetes;

import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The TaskDefinition spec each ControllerRevision holds, parsed once: a bounded map from a
 * revision's uid to its spec, least recently used first out, an entry valid while the revision's
 * resourceVersion is the one it was parsed from (a new resourceVersion parses again and replaces
 * it). A Service reconcile on the kubernetes backend needs its revision's spec every time (what it
 * waits for, the plan), and turning a revision's data into a spec is two Jackson conversions.
 *
 * <p>The specs it hands out are shared by every reconcile that runs the revision, so they are read
 * only: the renderers and {@code TaskOverrides} copy before they change anything (RevisionSpecsTest
 * renders every corpus file and checks that the spec is unchanged). Without a uid or
 * resourceVersion (a revision made in a test or by {@code render}) nothing is cached.
 */
public final class RevisionSpecs {

  /** One parsed revision: the resourceVersion it was parsed from, and its spec. */
  private record Parsed(String resourceVersion, TaskDefinitionSpec spec) {}

  private final int capacity;
  private final Map<String, Parsed> byUid;

  /**
   * @param capacity how many revisions are kept (0: none, every look-up parses)
   */
  public RevisionSpecs(int capacity) {
    if (capacity < 0) {
      throw new IllegalArgumentException("capacity must not be negative: " + capacity);
    }
    this.capacity = capacity;
    this.byUid =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Parsed> eldest) {
            return size() > RevisionSpecs.this.capacity;
          }
        };
  }

  /** The spec {@code revision} holds (shared: read only). */
  public TaskDefinitionSpec specOf(ControllerRevision revision) {
    String uid = revision.getMetadata().getUid();
    String version = revision.getMetadata().getResourceVersion();
    if (capacity == 0 || uid == null || version == null) {
      return KubernetesTaskDefinitionBackend.specOf(revision);
    }
    synchronized (byUid) {
      Parsed known = byUid.get(uid);
      if (known != null && known.resourceVersion().equals(version)) {
        return known.spec();
      }
    }
    // parsed outside the lock: two reconciles of one new revision may both parse it, and the
    // specs they get are equal
    TaskDefinitionSpec spec = KubernetesTaskDefinitionBackend.specOf(revision);
    synchronized (byUid) {
      byUid.put(uid, new Parsed(version, spec));
    }
    return spec;
  }

  /** How many revisions are kept now. */
  public int size() {
    synchronized (byUid) {
      return byUid.size();
    }
  }
}
