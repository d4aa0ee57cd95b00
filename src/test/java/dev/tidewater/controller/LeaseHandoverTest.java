package dev.tidewater.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LeaseHandoverTest {

  /** Records what the handover did instead of touching a Lease or the JVM. */
  private static final class Recording extends LeaseHandover {
    final List<String> done = new ArrayList<>();

    Recording(List<Integer> exits) {
      super("lease", Optional.of("ops"), "replica-a", null, exits::add);
    }

    @Override
    void release() {
      done.add("release");
    }
  }

  @Test
  void onShutdownTheLeaseIsHandedOverAndNothingExits() {
    List<Integer> exits = new ArrayList<>();
    Recording handover = new Recording(exits);
    handover.onShutdown(null);

    handover.callbacks().onStopLeading();

    assertThat(handover.done).containsExactly("release");
    assertThat(exits).as("no exit from inside the shutdown hook (it deadlocks)").isEmpty();
  }

  @Test
  void leadershipLostWhileRunningExitsWithoutTouchingTheLease() {
    List<Integer> exits = new ArrayList<>();
    Recording handover = new Recording(exits);

    handover.callbacks().onStopLeading();

    assertThat(exits).containsExactly(1);
    assertThat(handover.done).as("the Lease is another replica's now").isEmpty();
  }

  @Test
  void theIdentityIsTheConfiguredOne() {
    assertThat(new Recording(new ArrayList<>()).identity()).isEqualTo("replica-a");
  }
}
