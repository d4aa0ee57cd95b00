package dev.tidewater.backend.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tidewater.api.v1alpha1.taskrole.TaskRole;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AwsOwnershipTest {

  private static final String HERE = "0b5c6f2e-9a51-4e0e-8d3c-1f7b6a2c9e10";
  private static final String THERE = "7d0e4b1a-2c3f-4a5b-9c8d-6e7f8a9b0c1d";

  @AfterEach
  void forget() {
    AwsOwnership.forgetClusterId();
  }

  private static TaskRole role(String namespace, String name, String uid) {
    TaskRole r = new TaskRole();
    r.setMetadata(
        new ObjectMetaBuilder().withNamespace(namespace).withName(name).withUid(uid).build());
    return r;
  }

  @Test
  void everyObjectIsTaggedWithTheClusterAndAnotherClustersObjectIsForeign() {
    AwsOwnership.useClusterId(HERE);
    TaskRole web = role("shop", "web", "u1");
    Map<String, String> ours = AwsOwnership.tags(web, Map.of("team", "a"));
    assertThat(ours)
        .containsEntry(AwsOwnership.OWNER_TAG, "TaskRole/shop/web")
        .containsEntry(AwsOwnership.UID_TAG, "u1")
        .containsEntry(AwsOwnership.CLUSTER_TAG, HERE)
        .containsEntry("team", "a")
        .hasSize(1 + AwsOwnership.OWN_TAG_COUNT);
    assertThat(AwsOwnership.claim(web, ours)).isEqualTo(AwsOwnership.Claim.OURS);

    // the same namespace/name/uid made by the Tidewater of another Kubernetes cluster
    Map<String, String> theirs = new HashMap<>(ours);
    theirs.put(AwsOwnership.CLUSTER_TAG, THERE);
    assertThat(AwsOwnership.claim(web, theirs)).isEqualTo(AwsOwnership.Claim.OTHER_CLUSTER);
    theirs.put(AwsOwnership.UID_TAG, "u0");
    assertThat(AwsOwnership.claim(web, theirs)).isEqualTo(AwsOwnership.Claim.OTHER_CLUSTER);
    // never usable, not even with adopt: true; a plain foreign object is, with adopt
    assertThat(AwsOwnership.Claim.OTHER_CLUSTER.usable(true)).isFalse();
    assertThat(AwsOwnership.Claim.OTHER_CLUSTER.ours()).isFalse();
    assertThat(AwsOwnership.Claim.FOREIGN.usable(true)).isTrue();
    assertThat(AwsOwnership.Claim.FOREIGN.usable(null)).isFalse();
    assertThat(AwsOwnership.Claim.OTHER_CLUSTER.conflictHint()).doesNotContain("adopt: true");
    // an earlier incarnation made here is ours to reuse
    theirs.put(AwsOwnership.CLUSTER_TAG, HERE);
    assertThat(AwsOwnership.claim(web, theirs)).isEqualTo(AwsOwnership.Claim.PREVIOUS_INCARNATION);
  }

  @Test
  void anObjectFromBeforeClusterTagsIsOursOnlyWithThisUid() {
    AwsOwnership.useClusterId(HERE);
    TaskRole web = role("shop", "web", "u1");
    Map<String, String> legacy =
        Map.of(AwsOwnership.OWNER_TAG, "TaskRole/shop/web", AwsOwnership.UID_TAG, "u1");
    assertThat(AwsOwnership.claim(web, legacy)).isEqualTo(AwsOwnership.Claim.OURS);
    assertThat(
            AwsOwnership.claim(
                web,
                Map.of(AwsOwnership.OWNER_TAG, "TaskRole/shop/web", AwsOwnership.UID_TAG, "u0")))
        // without a cluster tag, another uid may be another cluster's TaskRole shop/web
        .isEqualTo(AwsOwnership.Claim.FOREIGN);
    assertThat(AwsOwnership.claim(web, Map.of("team", "a"))).isEqualTo(AwsOwnership.Claim.FOREIGN);
  }

  /**
   * Issue 19: an object another namespace's resource tagged (a colliding name, a squat) is never
   * adopted — adopt: true takes only untagged objects — and the conflict names its owner.
   */
  @Test
  void anObjectTaggedForAnotherNamespaceIsNeverAdopted() {
    AwsOwnership.useClusterId(HERE);
    TaskRole web = role("a-b", "c", "u1");
    Map<String, String> theirs = AwsOwnership.tags(role("a", "b-c", "u9"), Map.of());
    AwsOwnership.Claim claim = AwsOwnership.claim(web, theirs);
    assertThat(claim).isEqualTo(AwsOwnership.Claim.OTHER_OWNER);
    assertThat(claim.usable(true)).isFalse();
    assertThat(claim.ours()).isFalse();
    assertThat(claim.conflictHint(theirs)).contains("TaskRole/a/b-c").doesNotContain("adopt: true");
    // without a cluster tag (made before 0.4) it is still another resource's
    assertThat(
            AwsOwnership.claim(
                web, Map.of(AwsOwnership.OWNER_TAG, "TaskRole/a/b-c", AwsOwnership.UID_TAG, "u9")))
        .isEqualTo(AwsOwnership.Claim.OTHER_OWNER);
  }

  @Test
  void anOwnerLongerThanATagValueIsShortenedDeterministically() {
    String name = "n".repeat(253);
    String owner = AwsOwnership.owner(role("a".repeat(63), name, "u"));
    assertThat(owner).hasSizeLessThanOrEqualTo(256).startsWith("TaskRole/aaa");
    assertThat(AwsOwnership.owner(role("a".repeat(63), name, "u2"))).isEqualTo(owner);
    assertThat(AwsOwnership.owner(role("a".repeat(63), name.substring(1) + "m", "u")))
        .isNotEqualTo(owner)
        .hasSize(owner.length());
    assertThat(
            AwsOwnership.claim(
                role("a".repeat(63), name, "u"),
                AwsOwnership.tags(role("a".repeat(63), name, "u"), Map.of())))
        .isEqualTo(AwsOwnership.Claim.OURS);
  }

  @Test
  void aClusterIdMustBeAValidTagValue() {
    assertThatThrownBy(() -> AwsOwnership.useClusterId(""))
        .hasMessageContaining("tidewater.cluster-id");
    assertThatThrownBy(() -> AwsOwnership.useClusterId("a".repeat(129)))
        .hasMessageContaining("128");
    assertThatThrownBy(() -> AwsOwnership.useClusterId("prod*")).hasMessageContaining("prod*");
    AwsOwnership.useClusterId("eks-prod/eu-west-1");
    assertThat(AwsOwnership.clusterId()).contains("eks-prod/eu-west-1");
  }

  /**
   * Finding 4: a claim writes Tidewater's tags first (the only keys deploy/iam-policy.json lets the
   * operator put on an object without an owner tag), the user's after; a tagged object needs none.
   */
  @Test
  void aClaimTagsOursFirstAndATaggedObjectNeedsNoWrite() {
    AwsOwnership.useClusterId(HERE);
    TaskRole web = role("shop", "web", "u1");
    Map<String, String> wanted = AwsOwnership.tags(web, Map.of("team", "a"));

    assertThat(AwsOwnership.tagWrites(wanted, Map.of("team", "b")))
        .containsExactly(
            Map.of(
                AwsOwnership.OWNER_TAG, "TaskRole/shop/web",
                AwsOwnership.UID_TAG, "u1",
                AwsOwnership.CLUSTER_TAG, HERE),
            Map.of("team", "a"));
    assertThat(AwsOwnership.tagWrites(wanted, wanted)).isEmpty();

    // made before clusters were tagged (finding 14): only the cluster tag, in one write
    Map<String, String> old = new HashMap<>(wanted);
    old.remove(AwsOwnership.CLUSTER_TAG);
    assertThat(AwsOwnership.tagWrites(wanted, old))
        .containsExactly(Map.of(AwsOwnership.CLUSTER_TAG, HERE));
  }

  @Test
  void missingTagsAreTheOnesAbsentOrDifferent() {
    assertThat(
            AwsOwnership.tagWrites(
                Map.of("a", "1", "b", "2"), Map.of("a", "1", "b", "x", "foreign", "y")))
        .containsExactly(Map.of("b", "2"));
  }
}
