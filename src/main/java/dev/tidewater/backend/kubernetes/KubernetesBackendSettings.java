package dev.tidewater.backend.kubernetes;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Operator-wide settings of the kubernetes backend ({@code tidewater.kubernetes.*}). */
@ConfigMapping(prefix = "tidewater.kubernetes")
public interface KubernetesBackendSettings {

  /**
   * How long the answer to "is the External Secrets Operator's ExternalSecret CRD installed?" is
   * reused before the CRD is read again.
   */
  @WithDefault("2m")
  Duration externalSecretsCheckPeriod();

  /**
   * How many ControllerRevisions the kubernetes backend keeps parsed into task definition specs
   * (least recently used first out; 1.6 KiB each for the benchmark's two-container definitions): a
   * Service or Task reconcile needs its revision's spec every time. 0 parses on every use.
   */
  @WithDefault("4096")
  int parsedRevisions();

  /**
   * How many Services' last render the kubernetes backend remembers (least recently used first out;
   * about 1.3 KiB each), so that a reconcile whose inputs and children are unchanged skips
   * rendering. 0 renders on every reconcile.
   */
  @WithDefault("20000")
  int rememberedServices();
}
