package dev.tidewater.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;

/** An EventRecorder for unit tests of reconcile decisions: the reasons, in order, not written. */
final class Recording {

  private Recording() {}

  static EventRecorder into(List<String> reasons) {
    return new EventRecorder(null) {
      @Override
      public void normal(HasMetadata on, String reason, String message) {
        reasons.add(reason);
      }

      @Override
      public void warning(HasMetadata on, String reason, String message) {
        reasons.add(reason);
      }
    };
  }
}
