package dev.tidewater.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ClientRateLimiterTest {

  private long now = 0;
  private final List<Long> waits = new ArrayList<>();

  private ClientRateLimiter limiter(double rate, int burst) {
    return new ClientRateLimiter(
        rate,
        burst,
        () -> now,
        nanos -> {
          waits.add(nanos);
          now += nanos;
        });
  }

  @Test
  void burstPassesAtOnceThenCallsArePacedAtTheRate() {
    ClientRateLimiter l = limiter(10, 3);

    for (int i = 0; i < 3; i++) l.acquire();
    assertThat(waits).isEmpty();

    l.acquire();
    l.acquire();
    assertThat(waits)
        .containsExactly(TimeUnit.MILLISECONDS.toNanos(100), TimeUnit.MILLISECONDS.toNanos(100));
  }

  @Test
  void quietTimeRefillsTheBucketUpToTheBurstOnly() {
    ClientRateLimiter l = limiter(10, 2);
    l.acquire();
    l.acquire();

    now += TimeUnit.SECONDS.toNanos(60);
    l.acquire();
    l.acquire();
    assertThat(waits).isEmpty();
    l.acquire();
    assertThat(waits).containsExactly(TimeUnit.MILLISECONDS.toNanos(100));
  }

  @Test
  void rejectsNonsenseSettings() {
    assertThatThrownBy(() -> new ClientRateLimiter(0, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ClientRateLimiter(1, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
