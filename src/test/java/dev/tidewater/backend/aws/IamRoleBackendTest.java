package dev.tidewater.backend.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tidewater.model.ObservedIamRole;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What deleting a role must do first for the operator's IAM policy to allow it (finding 6). */
class IamRoleBackendTest {

  private static final String BOUNDARY =
      "arn:aws:iam::123456789012:policy/tidewater/boundaries/tasks";

  private static ObservedIamRole role(Optional<String> boundary, Set<String> managed) {
    return new ObservedIamRole(
        "arn:aws:iam::123456789012:role/tidewater/shop-web",
        "/tidewater/",
        "",
        3600,
        new ObjectMapper().createObjectNode(),
        Map.of(),
        managed,
        boundary,
        Map.of());
  }

  @Test
  void aRoleWithoutABoundaryGetsTheClustersBeforeItsPoliciesGo() {
    ObservedIamRole unbounded = role(Optional.empty(), Set.of("arn:aws:iam::aws:policy/X"));
    assertThat(IamRoleBackend.boundaryForDeletion(unbounded, Optional.of(BOUNDARY)))
        .contains(BOUNDARY);
    // another boundary than the policy allows counts as none
    ObservedIamRole elsewhere =
        role(
            Optional.of("arn:aws:iam::123456789012:policy/old"),
            Set.of("arn:aws:iam::aws:policy/X"));
    assertThat(IamRoleBackend.boundaryForDeletion(elsewhere, Optional.of(BOUNDARY)))
        .contains(BOUNDARY);
  }

  @Test
  void nothingIsPutOnABoundedOrEmptyRole() {
    assertThat(
            IamRoleBackend.boundaryForDeletion(
                role(Optional.of(BOUNDARY), Set.of("arn:aws:iam::aws:policy/X")), Optional.empty()))
        .isEmpty();
    assertThat(
            IamRoleBackend.boundaryForDeletion(role(Optional.empty(), Set.of()), Optional.empty()))
        .isEmpty();
  }

  @Test
  void withoutAnAllowedBoundaryTheDeletionIsRefusedNamingTheFields() {
    ObservedIamRole unbounded = role(Optional.empty(), Set.of("arn:aws:iam::aws:policy/X"));
    assertThatThrownBy(
            () ->
                IamRoleBackend.boundaryForDeletion(
                    unbounded, Optional.of("arn:aws:iam::123456789012:policy/mine")))
        .isInstanceOf(IamRoleBackend.BoundaryRequired.class)
        .hasMessageContaining("spec.guardrails.permissionsBoundaryArn")
        .hasMessageContaining("spec.permissionsBoundary")
        .hasMessageContaining("deploy/iam-policy.json");
  }
}
