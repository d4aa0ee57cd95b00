package dev.tidewater.backend.kubernetes.render;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Exact shares of a task amount over containers, and their rounding to whole millicores or MiB.
 *
 * <p>Rounding each container on its own can make the containers add up to more than the task (two
 * containers of 224 and 32 CPU units round up to 219m + 32m = 251m, the task to 250m), which the
 * API server refuses under pod-level resources. Rounding by largest remainder keeps the sum equal
 * to the rounded-up exact sum, so it never passes the task, and each container within 1 of its
 * exact share.
 */
final class ResourceShares {

  private ResourceShares() {}

  /** Exact amounts {@code numerators[i] / denominator}, one per container (0 = none). */
  record Exact(long[] numerators, long denominator) {

    /** The same amounts times {@code multiplier / divisor} (CPU units to millicores). */
    Exact scaled(long multiplier, long divisor) {
      long[] n = new long[numerators.length];
      for (int i = 0; i < n.length; i++) {
        n[i] = Math.multiplyExact(numerators[i], multiplier);
      }
      return new Exact(n, Math.multiplyExact(denominator, divisor));
    }

    /** The sum, rounded up to a whole amount. */
    long ceilTotal() {
      long sum = 0;
      for (long n : numerators) {
        sum = Math.addExact(sum, n);
      }
      return Math.floorDiv(sum + denominator - 1, denominator);
    }
  }

  /** Whole amounts as they are: {@code values[i] / 1}. */
  static Exact whole(long[] values) {
    return new Exact(values.clone(), 1);
  }

  /**
   * What each of {@code members} gets of {@code total}: its own amount ({@code own[i] > 0}); the
   * members without one share what the others leave evenly; when every member has its own amount
   * and together they leave some of the total, the rest goes to them in proportion to their own
   * amounts, none above its {@code cap[i]} (what is left when all are capped stays unassigned).
   * Containers that are not members get 0.
   */
  static Exact fill(long total, long[] own, long[] cap, List<Integer> members) {
    int n = own.length;
    long used = 0;
    List<Integer> without = new ArrayList<>();
    for (int i : members) {
      if (own[i] > 0) {
        used += own[i];
      } else {
        without.add(i);
      }
    }
    long[] num = new long[n];
    if (members.isEmpty() || used >= total) {
      members.forEach(i -> num[i] = Math.max(own[i], 0));
      return new Exact(num, 1);
    }
    if (!without.isEmpty()) {
      long k = without.size();
      for (int i : members) {
        num[i] = own[i] > 0 ? own[i] * k : total - used;
      }
      return new Exact(num, k);
    }
    // Water-filling: a member whose proportional share would pass its cap is held at the cap, and
    // the others share the rest; the ratio pool / weight only grows as members are held.
    boolean[] held = new boolean[n];
    long pool;
    long weight;
    boolean changed;
    do {
      changed = false;
      pool = total;
      weight = 0;
      for (int i : members) {
        if (held[i]) {
          pool -= Math.max(cap[i], own[i]);
        } else {
          weight += own[i];
        }
      }
      for (int i : members) {
        if (!held[i] && weight > 0 && own[i] * pool > Math.max(cap[i], own[i]) * weight) {
          held[i] = true;
          changed = true;
        }
      }
    } while (changed);
    if (weight == 0) {
      members.forEach(i -> num[i] = Math.max(cap[i], own[i]));
      return new Exact(num, 1);
    }
    for (int i : members) {
      num[i] = held[i] ? Math.max(cap[i], own[i]) * weight : own[i] * pool;
    }
    return new Exact(num, weight);
  }

  /**
   * Whole amounts adding up to {@code total}, each the floor or the ceiling of its exact amount:
   * the floors, plus one for the largest remainders (ties to the first container). {@code total}
   * must lie between the sum of the floors and the sum of the ceilings, e.g. {@link
   * Exact#ceilTotal()}.
   */
  static long[] largestRemainder(Exact exact, long total) {
    long[] num = exact.numerators();
    long den = exact.denominator();
    long[] out = new long[num.length];
    long floors = 0;
    List<Integer> fractional = new ArrayList<>();
    for (int i = 0; i < num.length; i++) {
      out[i] = num[i] / den;
      floors += out[i];
      if (num[i] % den != 0) {
        fractional.add(i);
      }
    }
    long extra = total - floors;
    if (extra < 0 || extra > fractional.size()) {
      throw new IllegalArgumentException(
          "total " + total + " is not between the floors and the ceilings of the shares");
    }
    fractional.sort(
        Comparator.comparingLong((Integer i) -> -(num[i] % den)).thenComparingInt(i -> i));
    for (int k = 0; k < extra; k++) {
      out[fractional.get(k)]++;
    }
    return out;
  }

  /**
   * Gives every container that asked for some of the resource at least 1 (a request of 0 would be
   * no request), taking it from the largest amount above 1 (ties to the first); the sum stays.
   */
  static void atLeastOne(long[] amounts, boolean[] asked) {
    for (int i = 0; i < amounts.length; i++) {
      if (!asked[i] || amounts[i] > 0) {
        continue;
      }
      int largest = -1;
      for (int j = 0; j < amounts.length; j++) {
        if (amounts[j] > 1 && (largest < 0 || amounts[j] > amounts[largest])) {
          largest = j;
        }
      }
      if (largest >= 0) {
        amounts[largest]--;
      }
      amounts[i] = 1;
    }
  }
}
