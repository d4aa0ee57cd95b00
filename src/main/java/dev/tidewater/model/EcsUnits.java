package dev.tidewater.model;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Converts ECS task cpu/memory values to CPU units and MiB, and those to Kubernetes quantities. */
public final class EcsUnits {

  /** CPU units in one vCPU, as ECS defines them. */
  public static final int UNITS_PER_VCPU = 1024;

  /** MiB in one GB: ECS means GiB when it says GB. */
  public static final int MIB_PER_GB = 1024;

  private static final String CPU_FORMS = "use CPU units (\"256\") or vCPU (\"0.25 vCPU\")";
  private static final String MEMORY_FORMS = "use MiB (\"512\", \"512 MiB\") or GB (\"0.5 GB\")";

  // Plain integers carry no sign: ECS has no use for one, and "-256" must not slip through.
  private static final Pattern INTEGER = Pattern.compile("\\d+");
  // "1", "1.", "0.25", ".5" followed by a unit word; the unit is matched case-insensitively.
  private static final Pattern NUMBER_WITH_UNIT =
      Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)\\s*([a-z]+)", Pattern.CASE_INSENSITIVE);

  private EcsUnits() {}

  /** Why a value was rejected, for callers that map it to a status reason. */
  public enum Reason {
    /** The value was null, empty or blank. */
    EMPTY,
    /** The value is not in any accepted form (garbage, a sign, a wrong unit). */
    MALFORMED,
    /** The value converts to a fraction of a CPU unit or MiB. */
    NOT_WHOLE,
    /** The value converts to zero. */
    NOT_POSITIVE,
    /** The value does not fit in an int. */
    TOO_LARGE
  }

  /** A cpu or memory value that is not in a form ECS accepts; the message names the forms. */
  public static final class InvalidUnitException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final Reason reason;
    private final String value;

    InvalidUnitException(Reason reason, String value, String message) {
      super(message);
      this.reason = reason;
      this.value = value;
    }

    /** Why the value was rejected. */
    public Reason reason() {
      return reason;
    }

    /** The rejected value as given (may be null). */
    public String value() {
      return value;
    }
  }

  /**
   * Parses an ECS task-level cpu value: CPU units ({@code "256"}) or vCPU ({@code "0.25 vCPU"},
   * {@code "2vcpu"}, {@code ".5 vCPU"}).
   *
   * @return CPU units, at least 1
   * @throws InvalidUnitException when the value is not one of those forms or is not a positive
   *     whole number of units
   */
  public static int parseTaskCpu(String value) {
    return parse(value, "CPU", CPU_FORMS, "CPU units", EcsUnits::cpuUnitFactor);
  }

  /**
   * Parses an ECS task-level memory value: MiB ({@code "512"}, {@code "512 MiB"}, {@code "512 MB"})
   * or GB ({@code "2 GB"}, {@code "0.5gb"}, {@code "1 GiB"}); GB means GiB, as in ECS.
   *
   * @return MiB, at least 1
   * @throws InvalidUnitException when the value is not one of those forms or is not a positive
   *     whole number of MiB
   */
  public static int parseTaskMemory(String value) {
    return parse(value, "memory", MEMORY_FORMS, "MiB", EcsUnits::memoryUnitFactor);
  }

  /** Millicores for CPU units, rounded up so a container never gets less than ECS would give it. */
  public static long unitsToMillicores(int units) {
    requireNonNegative(units, "CPU units");
    // ceil(units * 1000 / 1024) in exact integer arithmetic; the long keeps units * 1000 from
    // overflowing.
    return (units * 1000L + UNITS_PER_VCPU - 1) / UNITS_PER_VCPU;
  }

  /** Kubernetes cpu quantity for CPU units: {@code "250m"}, or {@code "2"} for whole CPUs. */
  public static String millicoresQuantity(int units) {
    return millicores(unitsToMillicores(units));
  }

  /** Kubernetes cpu quantity for millicores: {@code "250m"}, or {@code "2"} for whole CPUs. */
  public static String millicores(long millis) {
    if (millis < 0) {
      throw new IllegalArgumentException("millicores must not be negative, got " + millis);
    }
    return millis % 1000 == 0 ? Long.toString(millis / 1000) : millis + "m";
  }

  /** Kubernetes memory quantity for MiB: {@code "512Mi"}, or {@code "1Gi"} for whole GiB. */
  public static String mibQuantity(int mib) {
    requireNonNegative(mib, "MiB");
    return mib != 0 && mib % MIB_PER_GB == 0 ? (mib / MIB_PER_GB) + "Gi" : mib + "Mi";
  }

  /**
   * Whether two Kubernetes quantities denote the same amount ({@code "1"} and {@code "1000m"},
   * {@code "1Gi"} and {@code "1024Mi"}), so a spec the API server rewrote is not seen as drift. A
   * value that does not parse equals only the identical string.
   */
  public static boolean sameQuantity(String a, String b) {
    if (Objects.equals(a, b)) {
      return true;
    }
    if (a == null || b == null) {
      return false;
    }
    try {
      return Quantity.getAmountInBytes(new Quantity(a))
              .compareTo(Quantity.getAmountInBytes(new Quantity(b)))
          == 0;
    } catch (IllegalArgumentException | ArithmeticException e) {
      // fabric8 reports malformed quantities as IllegalArgumentException (NumberFormatException
      // included); a malformed value cannot be the same amount as a different string.
      return false;
    }
  }

  // Unit factors map a lower-case unit word to base units (CPU units or MiB), null if not accepted.
  private static Integer cpuUnitFactor(String unit) {
    return unit.equals("vcpu") ? UNITS_PER_VCPU : null;
  }

  private static Integer memoryUnitFactor(String unit) {
    switch (unit) {
      case "mib":
      case "mb":
        return 1;
      case "gib":
      case "gb":
        return MIB_PER_GB;
      default:
        return null;
    }
  }

  private static int parse(
      String value, String what, String forms, String baseUnit, Function<String, Integer> factors) {
    if (value == null || value.isBlank()) {
      throw new InvalidUnitException(
          Reason.EMPTY, value, "an empty " + what + " value is not allowed: " + forms);
    }
    String trimmed = value.strip();
    BigDecimal amount;
    if (INTEGER.matcher(trimmed).matches()) {
      amount = new BigDecimal(trimmed);
    } else {
      Matcher m = NUMBER_WITH_UNIT.matcher(trimmed);
      Integer factor = m.matches() ? factors.apply(m.group(2).toLowerCase(Locale.ROOT)) : null;
      if (factor == null) {
        throw new InvalidUnitException(
            Reason.MALFORMED, value, quote(value) + " is not a " + what + " value: " + forms);
      }
      amount = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(factor));
    }
    // BigDecimal keeps "1.3333 vCPU" exact, so a fraction of a unit is caught rather than rounded.
    BigDecimal whole = amount.stripTrailingZeros();
    if (whole.scale() > 0) {
      throw new InvalidUnitException(
          Reason.NOT_WHOLE,
          value,
          quote(value)
              + " is "
              + whole.toPlainString()
              + " "
              + baseUnit
              + ", not a whole number: "
              + forms);
    }
    if (whole.signum() == 0) {
      throw new InvalidUnitException(
          Reason.NOT_POSITIVE, value, quote(value) + " is zero " + baseUnit + ": " + forms);
    }
    if (whole.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
      throw new InvalidUnitException(
          Reason.TOO_LARGE, value, quote(value) + " is too large a " + what + " value");
    }
    return whole.intValueExact();
  }

  private static String quote(String value) {
    return "\"" + value + "\"";
  }

  private static void requireNonNegative(int amount, String what) {
    if (amount < 0) {
      throw new IllegalArgumentException(what + " must not be negative, got " + amount);
    }
  }
}
