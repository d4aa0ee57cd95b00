#!/usr/bin/env bash
# Checks the schedule translation against robfig/cron itself, the cron library of the CronJob
# controller: CronJobScheduleCrossCheckTest writes generated schedules with the runs the Java
# reference evaluators compute, and a small Go program (hack/cron-crosscheck) compares them with
# robfig/cron's Next. Two files: EventBridge-semantics runs of exact translations (the translation
# is right) and Kubernetes-reference runs outside the zones the translator flags (the reference
# models robfig/cron). Needs Go and robfig/cron v3.0.1 (the module cache or a Go proxy).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$repo_dir"
out=${TIDEWATER_RUN:-$cache/run/default}/cron-crosscheck
mkdir -p "$out"
mvn -B -q test -Dspotless.check.skip=true -Dtest=CronJobScheduleCrossCheckTest \
  -Dtidewater.cron.crosscheck="$out/cases" >/dev/null
(cd "$hack_dir/cron-crosscheck" && go build -o "$out/cron-crosscheck" .)
status=0
for f in cases.eventbridge cases.kubernetes; do
  if report=$("$out/cron-crosscheck" <"$out/$f"); then
    log "$f: ${report##*$'\n'}"
  else
    printf '%s\n' "$report"
    status=1
  fi
done
exit $status
