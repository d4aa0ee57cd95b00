package dev.tidewater.backend.kubernetes.children;

import dev.tidewater.api.v1alpha1.taskrole.TaskRole;
import dev.tidewater.model.OwnerReferences;
import dev.tidewater.model.Problem;
import dev.tidewater.model.TenancyCeiling;
import dev.tidewater.model.TenancyChecks;
import dev.tidewater.model.TidewaterLabels;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The ServiceAccount a TaskRole's tasks run as, and whether the TaskRole may have it (pure). */
public final class TaskRoleServiceAccount {

  /** The ServiceAccount annotation that hands IRSA's role to the pods. */
  public static final String ROLE_ARN_ANNOTATION = "eks.amazonaws.com/role-arn";

  /** The reason of a ServiceAccount the TaskRole may not have. */
  public static final String NAME_CONFLICT = "NameConflict";

  /** The ServiceAccount every pod without one runs as: never a TaskRole's. */
  public static final String DEFAULT = "default";

  private TaskRoleServiceAccount() {}

  /**
   * What a TaskRole is to the ServiceAccount of its name: {@code problem} set when it may not have
   * it; else {@code adopted} when the ServiceAccount was made by someone else and {@code adopt:
   * true} (allowed by the ceiling) lets the TaskRole use it without owning it.
   */
  public record Claim(boolean adopted, Problem problem) {

    /** Whether the TaskRole may apply the ServiceAccount. */
    public boolean allowed() {
      return problem == null;
    }
  }

  /**
   * Whether {@code role} may have the ServiceAccount {@code name}, currently {@code existing}: a
   * missing one is made (and owned); one with this TaskRole's controller reference, or Tidewater's
   * label applied by Tidewater's field manager and no other controller, is ours (the label alone,
   * which anyone may set, is not); {@code default} never is; another controller's never is;
   * anything else (made by kubectl, a chart, another tool) is a NameConflict naming its manager,
   * unless {@code adopt: true} and the ceiling allows adoption — then it is used without an owner
   * reference (never garbage-collected with the TaskRole), and never when another manager holds its
   * IRSA role annotation.
   */
  public static Claim claim(
      TaskRole role, String name, Optional<ServiceAccount> existing, TenancyCeiling ceiling) {
    String field =
        role.getSpec() != null && role.getSpec().serviceAccountName != null
            ? "serviceAccountName"
            : "metadata.name";
    if (DEFAULT.equals(name)) {
      return refused(
          field,
          "ServiceAccount default is every pod's without a serviceAccountName: a TaskRole never"
              + " takes it, even with adopt: true; set spec.serviceAccountName");
    }
    if (existing.isEmpty()) return new Claim(false, null);
    ServiceAccount sa = existing.get();
    Optional<OwnerReference> controller =
        Optional.ofNullable(sa.getMetadata().getOwnerReferences()).orElse(List.of()).stream()
            .filter(r -> Boolean.TRUE.equals(r.getController()))
            .findFirst();
    if (controller.isPresent()) {
      if (Objects.equals(controller.get().getUid(), role.getMetadata().getUid())) {
        return new Claim(false, null);
      }
      return refused(
          field,
          "ServiceAccount "
              + name
              + " is controlled by "
              + controller.get().getKind()
              + " "
              + controller.get().getName()
              + ": a TaskRole never takes it");
    }
    if (TidewaterLabels.MANAGED_BY_VALUE.equals(labels(sa).get(TidewaterLabels.MANAGED_BY))
        && !fieldManagers(sa, "f:labels", TidewaterLabels.MANAGED_BY, true).isEmpty()) {
      // our field manager applied our label (its owner reference since removed): ours. The label
      // alone proves nothing: anyone who may write ServiceAccounts in the namespace can set it
      return new Claim(false, null);
    }
    String manager = managers(sa);
    if (!Boolean.TRUE.equals(role.getSpec() == null ? null : role.getSpec().adopt)) {
      return refused(
          field,
          "ServiceAccount "
              + name
              + " exists and was not made by Tidewater (managed by "
              + manager
              + "); set spec.adopt: true (where a TenancyPolicy allows adoption) to use it");
    }
    Optional<Problem> notAllowed = TenancyChecks.adopt(true, ceiling);
    if (notAllowed.isPresent()) return new Claim(false, notAllowed.get());
    List<String> annotationManagers = annotationManagers(sa, ROLE_ARN_ANNOTATION, false);
    boolean annotated =
        sa.getMetadata().getAnnotations() != null
            && sa.getMetadata().getAnnotations().containsKey(ROLE_ARN_ANNOTATION);
    if (annotated
        && annotationManagers(sa, ROLE_ARN_ANNOTATION, true).isEmpty()
        && annotationManagers.isEmpty()) {
      annotationManagers = List.of("an unknown manager");
    }
    if (!annotationManagers.isEmpty()) {
      return refused(
          field,
          "the annotation "
              + ROLE_ARN_ANNOTATION
              + " of ServiceAccount "
              + name
              + " is managed by "
              + String.join(", ", annotationManagers)
              + ": it is not overwritten");
    }
    return new Claim(true, null);
  }

  private static Claim refused(String field, String message) {
    return new Claim(false, new Problem(field, NAME_CONFLICT, message));
  }

  /**
   * The ServiceAccount {@code name} of {@code role}, annotated with the IAM role for IRSA when
   * {@code irsaRoleArn} is given (render has none: the ARN holds the account AWS assigns), with a
   * controller reference once the TaskRole has a uid.
   */
  public static ServiceAccount desired(TaskRole role, String name, String irsaRoleArn) {
    return desired(role, name, irsaRoleArn, false);
  }

  /**
   * As {@link #desired(TaskRole, String, String)}; an {@code adopted} ServiceAccount gets only the
   * IRSA annotation: no label and no owner reference, so it is never deleted with the TaskRole.
   */
  public static ServiceAccount desired(
      TaskRole role, String name, String irsaRoleArn, boolean adopted) {
    var builder =
        new ServiceAccountBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(role.getMetadata().getNamespace())
            .endMetadata();
    if (!adopted) {
      builder
          .editMetadata()
          .addToLabels(TidewaterLabels.MANAGED_BY, TidewaterLabels.MANAGED_BY_VALUE)
          .endMetadata();
      if (role.getMetadata().getUid() != null) {
        builder
            .editMetadata()
            .addToOwnerReferences(OwnerReferences.controlledBy(role))
            .endMetadata();
      }
    }
    if (irsaRoleArn != null) {
      builder.editMetadata().addToAnnotations(ROLE_ARN_ANNOTATION, irsaRoleArn).endMetadata();
    }
    return builder.build();
  }

  /** Whether the TaskRole controls {@code sa} (it goes with the TaskRole). */
  public static boolean controlledBy(ServiceAccount sa, TaskRole role) {
    return OwnerReferences.isControlledBy(sa, role);
  }

  private static Map<String, String> labels(ServiceAccount sa) {
    return sa.getMetadata().getLabels() == null ? Map.of() : sa.getMetadata().getLabels();
  }

  /** The field managers of an object, for a message ("unknown" when the server kept none). */
  private static String managers(ServiceAccount sa) {
    List<String> names =
        Optional.ofNullable(sa.getMetadata().getManagedFields()).orElse(List.of()).stream()
            .map(ManagedFieldsEntry::getManager)
            .filter(Objects::nonNull)
            .distinct()
            .toList();
    return names.isEmpty() ? "an unknown manager" : String.join(", ", names);
  }

  /**
   * The managers that own annotation {@code key} of {@code sa}: Tidewater's own ({@code ours}) or
   * every other.
   */
  static List<String> annotationManagers(ServiceAccount sa, String key, boolean ours) {
    return fieldManagers(sa, "f:annotations", key, ours);
  }

  /**
   * The managers that own {@code metadata.<map>[key]} of {@code sa} ({@code map}: {@code f:labels}
   * or {@code f:annotations}): Tidewater's own ({@code ours}) or every other.
   */
  @SuppressWarnings("unchecked")
  static List<String> fieldManagers(ServiceAccount sa, String map, String key, boolean ours) {
    return Optional.ofNullable(sa.getMetadata().getManagedFields()).orElse(List.of()).stream()
        .filter(m -> ours == TidewaterLabels.FIELD_MANAGER.equals(m.getManager()))
        .filter(
            m -> {
              if (m.getFieldsV1() == null) return false;
              Object meta = m.getFieldsV1().getAdditionalProperties().get("f:metadata");
              if (!(meta instanceof Map<?, ?> metadata)) return false;
              Object entries = metadata.get(map);
              return entries instanceof Map<?, ?> a
                  && ((Map<String, Object>) a).containsKey("f:" + key);
            })
        .map(m -> Objects.requireNonNullElse(m.getManager(), "an unknown manager"))
        .distinct()
        .toList();
  }
}
