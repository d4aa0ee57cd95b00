package dev.tidewater.backend.kubernetes.children;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidewater.api.v1alpha1.taskrole.TaskRole;
import dev.tidewater.api.v1alpha1.taskrole.TaskRoleSpec;
import dev.tidewater.api.v1alpha1.tenancy.TenancyPolicySpec;
import dev.tidewater.model.OwnerReferences;
import dev.tidewater.model.TenancyCeiling;
import dev.tidewater.model.TidewaterLabels;
import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TaskRoleServiceAccountTest {

  private static final TenancyCeiling BUILT_IN = TenancyCeiling.builtIn("team-a");
  private static final TenancyCeiling ADOPTING = ceiling(true);

  private static TenancyCeiling ceiling(boolean allowAdopt) {
    TenancyPolicySpec spec = new TenancyPolicySpec();
    spec.allowAdopt = allowAdopt;
    return new TenancyCeiling("team-a", List.of(new TenancyCeiling.Governing("teams", spec)));
  }

  private static TaskRole role(String name, String serviceAccount, Boolean adopt) {
    TaskRole role = new TaskRole();
    role.setMetadata(
        new ObjectMetaBuilder().withName(name).withNamespace("team-a").withUid("uid-1").build());
    role.setSpec(new TaskRoleSpec());
    role.getSpec().serviceAccountName = serviceAccount;
    role.getSpec().adopt = adopt;
    return role;
  }

  private static ServiceAccount foreign(String name, Map<String, Object> fields) {
    FieldsV1 fieldsV1 = new FieldsV1();
    fields.forEach(fieldsV1::setAdditionalProperty);
    return new ServiceAccountBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("team-a")
        .withManagedFields(
            new ManagedFieldsEntryBuilder().withManager("helm").withFieldsV1(fieldsV1).build())
        .endMetadata()
        .build();
  }

  @Test
  void aMissingServiceAccountIsMadeAndOwned() {
    var claim =
        TaskRoleServiceAccount.claim(role("web", null, null), "web", Optional.empty(), BUILT_IN);
    assertThat(claim.allowed()).isTrue();
    assertThat(claim.adopted()).isFalse();
  }

  @Test
  void oneThisTaskRoleControlsIsOurs() {
    TaskRole role = role("web", null, null);
    role.setApiVersion("ecs.tidewater.dev/v1alpha1");
    ServiceAccount sa =
        new ServiceAccountBuilder()
            .withNewMetadata()
            .withName("web")
            .addToOwnerReferences(OwnerReferences.controlledBy(role))
            .endMetadata()
            .build();
    assertThat(TaskRoleServiceAccount.claim(role, "web", Optional.of(sa), BUILT_IN).allowed())
        .isTrue();
  }

  @Test
  void anotherControllersServiceAccountIsRefusedEvenWithAdopt() {
    TaskRole other = role("api", null, null);
    other.getMetadata().setUid("uid-2");
    ServiceAccount sa =
        new ServiceAccountBuilder()
            .withNewMetadata()
            .withName("web")
            .addToOwnerReferences(OwnerReferences.controlledBy(other))
            .endMetadata()
            .build();
    var claim =
        TaskRoleServiceAccount.claim(role("web", "web", true), "web", Optional.of(sa), ADOPTING);
    assertThat(claim.problem().reason()).isEqualTo("NameConflict");
    assertThat(claim.problem().path()).isEqualTo("serviceAccountName");
    assertThat(claim.problem().message()).contains("controlled by TaskRole api");
  }

  @Test
  void aForeignServiceAccountIsANameConflictNamingItsManager() {
    var claim =
        TaskRoleServiceAccount.claim(
            role("web", "shared", null),
            "shared",
            Optional.of(foreign("shared", Map.of())),
            ADOPTING);
    assertThat(claim.problem().reason()).isEqualTo("NameConflict");
    assertThat(claim.problem().message()).contains("ServiceAccount shared").contains("helm");
  }

  @Test
  void adoptNeedsThePolicyAndThenUsesTheServiceAccountUnowned() {
    ServiceAccount sa = foreign("shared", Map.of());
    var refused =
        TaskRoleServiceAccount.claim(
            role("web", "shared", true), "shared", Optional.of(sa), ceiling(false));
    assertThat(refused.problem().path()).isEqualTo("adopt");
    assertThat(refused.problem().message()).contains("TenancyPolicy teams");

    var adopted =
        TaskRoleServiceAccount.claim(
            role("web", "shared", true), "shared", Optional.of(sa), ADOPTING);
    assertThat(adopted.allowed()).isTrue();
    assertThat(adopted.adopted()).isTrue();
    ServiceAccount desired =
        TaskRoleServiceAccount.desired(role("web", "shared", true), "shared", "arn:r", true);
    assertThat(desired.getMetadata().getOwnerReferences()).isEmpty();
    assertThat(desired.getMetadata().getLabels()).isEmpty();
    assertThat(desired.getMetadata().getAnnotations())
        .containsEntry(TaskRoleServiceAccount.ROLE_ARN_ANNOTATION, "arn:r");
  }

  @Test
  void anIrsaAnnotationAnotherManagerHoldsIsNeverOverwritten() {
    ServiceAccount sa =
        foreign(
            "shared",
            Map.of(
                "f:metadata",
                Map.of("f:annotations", Map.of("f:eks.amazonaws.com/role-arn", Map.of()))));
    sa.getMetadata()
        .setAnnotations(Map.of(TaskRoleServiceAccount.ROLE_ARN_ANNOTATION, "arn:theirs"));
    var claim =
        TaskRoleServiceAccount.claim(
            role("web", "shared", true), "shared", Optional.of(sa), ADOPTING);
    assertThat(claim.problem().reason()).isEqualTo("NameConflict");
    assertThat(claim.problem().message())
        .contains("eks.amazonaws.com/role-arn")
        .contains("managed by helm");
  }

  @Test
  void theDefaultServiceAccountIsNeverTaken() {
    var claim =
        TaskRoleServiceAccount.claim(
            role("default", null, true), "default", Optional.empty(), ADOPTING);
    assertThat(claim.problem().path()).isEqualTo("metadata.name");
    assertThat(claim.problem().reason()).isEqualTo("NameConflict");
  }

  /** A ServiceAccount with Tidewater's label, applied by {@code manager}. */
  private static ServiceAccount labelledBy(String manager) {
    FieldsV1 fields = new FieldsV1();
    fields.setAdditionalProperty(
        "f:metadata", Map.of("f:labels", Map.of("f:" + TidewaterLabels.MANAGED_BY, Map.of())));
    return new ServiceAccountBuilder()
        .withNewMetadata()
        .withName("web")
        .withNamespace("team-a")
        .addToLabels(TidewaterLabels.MANAGED_BY, TidewaterLabels.MANAGED_BY_VALUE)
        .withManagedFields(
            new ManagedFieldsEntryBuilder().withManager(manager).withFieldsV1(fields).build())
        .endMetadata()
        .build();
  }

  @Test
  void ourLabelSetByAnotherManagerIsNoProofOfOwnership() {
    var claim =
        TaskRoleServiceAccount.claim(
            role("web", null, null), "web", Optional.of(labelledBy("kubectl")), ADOPTING);
    assertThat(claim.problem().reason()).isEqualTo("NameConflict");
    assertThat(claim.problem().path()).isEqualTo("metadata.name");
    assertThat(claim.problem().message()).contains("ServiceAccount web", "kubectl");
    // adopt: true still uses it, unowned
    var adopted =
        TaskRoleServiceAccount.claim(
            role("web", null, true), "web", Optional.of(labelledBy("kubectl")), ADOPTING);
    assertThat(adopted.allowed()).isTrue();
    assertThat(adopted.adopted()).isTrue();
  }

  @Test
  void ourLabelAppliedByOurFieldManagerIsOurs() {
    var claim =
        TaskRoleServiceAccount.claim(
            role("web", null, null),
            "web",
            Optional.of(labelledBy(TidewaterLabels.FIELD_MANAGER)),
            BUILT_IN);
    assertThat(claim.allowed()).isTrue();
    assertThat(claim.adopted()).isFalse();
  }
}
