package argocdhealth

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/argoproj/argo-cd/v3/util/lua"
	"github.com/argoproj/gitops-engine/pkg/health"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// The states each kind has a captured fixture of (testdata/README.md says how each came about): a
// Task runs to completion, so it is running, succeeded or failed rather than progressing, healthy or
// degraded; a ScheduledTask's schedule is active or paused, or refused.
func statesOf(kind string) []string {
	switch kind {
	case "Task":
		return []string{"new", "running", "succeeded", "failed", "deleting"}
	case "ScheduledTask":
		return []string{"new", "active", "paused", "degraded", "deleting"}
	}
	return []string{"new", "healthy", "progressing", "degraded", "deleting"}
}

// healthyFixture is the kind's fixture whose health is Healthy, as the operator wrote it.
func healthyFixture(kind string) string {
	switch kind {
	case "Task":
		return "task-succeeded"
	case "ScheduledTask":
		return "scheduledtask-active"
	}
	return strings.ToLower(kind) + "-healthy"
}

// degradedFixture is the kind's fixture whose health is Degraded, as the operator wrote it.
func degradedFixture(kind string) string {
	if kind == "Task" {
		return "task-failed"
	}
	return strings.ToLower(kind) + "-degraded"
}

func TestFixtures(t *testing.T) {
	const (
		waiting         = "waiting for the operator"
		pendingDeletion = "Pending deletion" // gitops-engine's, before any health script runs
	)
	cases := []struct {
		fixture string
		status  health.HealthStatusCode
		message string // the whole expected message
	}{
		{"cluster-new", health.HealthStatusProgressing, waiting},
		{"cluster-healthy", health.HealthStatusHealthy, "workloads of this cluster run on the kubernetes backend"},
		{"cluster-progressing", health.HealthStatusProgressing, waiting},
		{"cluster-degraded", health.HealthStatusDegraded, "spec.ecs.clusterName: ECS cluster prod does not exist in us-east-1 (set spec.ecs.create: true to create it)"},
		{"cluster-deleting", health.HealthStatusProgressing, pendingDeletion},

		{"taskdefinition-new", health.HealthStatusProgressing, waiting},
		{"taskdefinition-healthy", health.HealthStatusHealthy, "revision 1 is the latest"},
		{"taskdefinition-progressing", health.HealthStatusProgressing, waiting},
		{"taskdefinition-degraded", health.HealthStatusDegraded, "spec.memory: Fargate task cpu 256 allows memory 512, 1024 or 2048 MiB, not 4096"},
		{"taskdefinition-deleting", health.HealthStatusProgressing, pendingDeletion},

		{"service-new", health.HealthStatusProgressing, waiting},
		{"service-healthy", health.HealthStatusHealthy, "2/2 tasks of revision 1 running"},
		{"service-progressing", health.HealthStatusProgressing, "TaskDefinition web does not exist (yet)"},
		{"service-stale", health.HealthStatusProgressing, waiting},
		{"service-degraded", health.HealthStatusDegraded, "revision 7 of TaskDefinition ok does not exist"},
		{"service-deleting", health.HealthStatusProgressing, pendingDeletion},

		{"taskrole-new", health.HealthStatusProgressing, waiting},
		{"taskrole-healthy", health.HealthStatusHealthy, "tasks run as ServiceAccount web"},
		{"taskrole-progressing", health.HealthStatusProgressing, waiting},
		{"taskrole-degraded", health.HealthStatusDegraded, "Cluster missing does not exist"},
		{"taskrole-deleting", health.HealthStatusProgressing, pendingDeletion},

		{"loadbalancerroute-new", health.HealthStatusProgressing, waiting},
		{"loadbalancerroute-healthy", health.HealthStatusHealthy, "2 ready endpoints behind Service web (ingress mode)"},
		{"loadbalancerroute-progressing", health.HealthStatusProgressing, "Service web has no ready endpoint yet: are the pods of Service web running and ready?"},
		{"loadbalancerroute-stale", health.HealthStatusProgressing, waiting},
		{"loadbalancerroute-degraded", health.HealthStatusDegraded, "spec.rules[0].priority 10 is already used on this listener by LoadBalancerRoute argo-healthy/web, which is older; choose another priority"},
		{"loadbalancerroute-deleting", health.HealthStatusProgressing, pendingDeletion},

		{"task-new", health.HealthStatusProgressing, waiting},
		{"task-running", health.HealthStatusProgressing, "2 of 2 tasks running"},
		{"task-succeeded", health.HealthStatusHealthy, "1 of 1 tasks stopped with their essential containers at exit 0"},
		{"task-failed", health.HealthStatusDegraded, "task migrate-43-0-rjpqn: container migrate exited with 1; Essential container in task exited"},
		{"task-deleting", health.HealthStatusProgressing, pendingDeletion},

		{"scheduledtask-new", health.HealthStatusProgressing, waiting},
		// with a warning (status.warnings: runs twice when clocks go back): still Healthy
		{"scheduledtask-active", health.HealthStatusHealthy, "next run 2026-12-08T01:00:00Z"},
		// Healthy, not Suspended: a Suspended resource holds its sync wave and its Application
		{"scheduledtask-paused", health.HealthStatusHealthy, "spec.paused: no run starts"},
		// the last run failed: the schedule itself is in place, the message says it
		{"scheduledtask-lastrunfailed", health.HealthStatusHealthy, "next run 2026-12-07T12:30:25Z; last run 2026-12-07T12:29:00Z: Failed"},
		{"scheduledtask-degraded", health.HealthStatusDegraded, "spec.scheduleExpression: cron day-of-month field \"L\": L (the last day of the month) has no Kubernetes cron equivalent (a CronJob names days of the month and of the week, and runs on either when both are set), and every approximation runs on days this schedule excludes; choose days a CronJob can name, or run it on a Cluster with the ecs backend"},
		{"scheduledtask-deleting", health.HealthStatusProgressing, pendingDeletion},
	}
	overrides := tidewaterOverrides(t)
	covered := map[string]bool{}
	for _, c := range cases {
		covered[c.fixture+".json"] = true
		t.Run(c.fixture, func(t *testing.T) {
			got := argoHealth(t, overrides, fixture(t, c.fixture))
			want := health.HealthStatus{Status: c.status, Message: c.message}
			if got == nil || *got != want {
				t.Errorf("got %+v, want %+v", got, want)
			}
		})
	}
	// Every fixture has a case, and every kind a fixture of every state.
	files, err := filepath.Glob("testdata/*.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if !covered[filepath.Base(f)] {
			t.Errorf("%s has no case", f)
		}
	}
	for _, kind := range kinds {
		for _, state := range statesOf(kind) {
			if name := strings.ToLower(kind) + "-" + state + ".json"; !covered[name] {
				t.Errorf("no case for testdata/%s", name)
			}
		}
	}
}

// The fixtures are the kinds they are named after, in the API group the ConfigMap keys name:
// Argo CD picks the script by group and kind, so a fixture of another group would get none.
func TestFixturesAreTidewaterKinds(t *testing.T) {
	for _, kind := range kinds {
		for _, state := range statesOf(kind) {
			obj := fixture(t, strings.ToLower(kind)+"-"+state)
			if gvk := obj.GroupVersionKind(); gvk.Group != "ecs.tidewater.dev" || gvk.Kind != kind {
				t.Errorf("%s-%s is a %s", strings.ToLower(kind), state, gvk)
			}
		}
	}
}

// A healthy resource the operator has not seen since its last edit is Progressing, whatever its
// old conditions say; so is one without any status or without observedGeneration.
func TestStaleOrMissingStatusIsProgressing(t *testing.T) {
	overrides := tidewaterOverrides(t)
	want := health.HealthStatus{Status: health.HealthStatusProgressing, Message: "waiting for the operator"}
	for _, kind := range kinds {
		t.Run(kind, func(t *testing.T) {
			healthy := healthyFixture(kind)
			if got := argoHealth(t, overrides, fixture(t, healthy)); got.Status != health.HealthStatusHealthy {
				t.Fatalf("%s is %+v, not Healthy: nothing to derive from", healthy, got)
			}

			stale := fixture(t, healthy)
			observed, _, err := unstructured.NestedInt64(stale.Object, "status", "observedGeneration")
			if err != nil || observed == 0 {
				t.Fatalf("%s has no status.observedGeneration: %v", healthy, err)
			}
			stale.SetGeneration(observed + 1)
			if got := argoHealth(t, overrides, stale); *got != want {
				t.Errorf("stale: got %+v, want %+v", got, want)
			}

			missing := fixture(t, healthy)
			unstructured.RemoveNestedField(missing.Object, "status")
			if got := argoHealth(t, overrides, missing); *got != want {
				t.Errorf("no status: got %+v, want %+v", got, want)
			}

			noGeneration := fixture(t, healthy)
			unstructured.RemoveNestedField(noGeneration.Object, "status", "observedGeneration")
			if got := argoHealth(t, overrides, noGeneration); *got != want {
				t.Errorf("no observedGeneration: got %+v, want %+v", got, want)
			}
		})
	}
}

// A resource being deleted is Progressing whatever its status says: gitops-engine decides that
// before the script runs, so a Degraded resource that is going away does not fail a sync.
func TestDeletionTimestampIsProgressing(t *testing.T) {
	overrides := tidewaterOverrides(t)
	for _, kind := range kinds {
		for _, name := range []string{healthyFixture(kind), degradedFixture(kind)} {
			obj := fixture(t, name)
			now := metav1.Now()
			obj.SetDeletionTimestamp(&now)
			got := argoHealth(t, overrides, obj)
			want := health.HealthStatus{Status: health.HealthStatusProgressing, Message: "Pending deletion"}
			if *got != want {
				t.Errorf("%s being deleted: got %+v, want %+v", name, got, want)
			}
		}
	}
}

// A circuit breaker's FAILED rollout is Degraded even while the rolled-back revision is Ready.
func TestServiceFailedRolloutIsDegraded(t *testing.T) {
	svc := fixture(t, "service-healthy")
	if err := unstructured.SetNestedField(svc.Object, "FAILED", "status", "rolloutState"); err != nil {
		t.Fatal(err)
	}
	if err := unstructured.SetNestedSlice(svc.Object, []interface{}{int64(2)}, "status", "rolledBackRevisions"); err != nil {
		t.Fatal(err)
	}
	got := argoHealth(t, tidewaterOverrides(t), svc)
	want := health.HealthStatus{Status: health.HealthStatusDegraded, Message: "rollout of revision 1 failed"}
	if *got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

// A Task's Failed condition is final (a Task runs once) and Degraded even without a Degraded
// condition next to it, as Argo CD's Job health reads a Job's Failed condition: a sync wave never
// moves on past a failed migration.
func TestTaskFailedIsDegradedOnItsOwn(t *testing.T) {
	obj := fixture(t, "task-failed")
	conditions, _, err := unstructured.NestedSlice(obj.Object, "status", "conditions")
	if err != nil {
		t.Fatal(err)
	}
	failedMessage := ""
	for _, c := range conditions {
		c := c.(map[string]interface{})
		switch c["type"] {
		case "Degraded":
			c["status"], c["reason"], c["message"] = "False", "Healthy", "no problem found"
		case "Failed":
			failedMessage, _ = c["message"].(string)
		}
	}
	if err := unstructured.SetNestedSlice(obj.Object, conditions, "status", "conditions"); err != nil {
		t.Fatal(err)
	}
	got := argoHealth(t, tidewaterOverrides(t), obj)
	want := health.HealthStatus{Status: health.HealthStatusDegraded, Message: failedMessage}
	if failedMessage == "" || *got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

// A paused ScheduledTask is Healthy, not Suspended, because Argo CD's own check of the CronJob it
// becomes on the kubernetes backend (suspend: true) says Healthy: a Suspended resource would hold
// its sync wave forever and make its Application Suspended (argoproj/argo-cd#24428, #19126). If an
// Argo CD upgrade shows suspended CronJobs as Suspended again, this fails and the choice is due
// again.
func TestPausedIsHealthyAsArgoCDShowsASuspendedCronJob(t *testing.T) {
	cronJob := &unstructured.Unstructured{Object: map[string]interface{}{
		"apiVersion": "batch/v1",
		"kind":       "CronJob",
		"metadata":   map[string]interface{}{"name": "weekly-cleanup", "namespace": "argo-healthy"},
		"spec":       map[string]interface{}{"schedule": "0 3 * * 0", "suspend": true},
	}}
	if got := argoHealth(t, lua.ResourceHealthOverrides{}, cronJob); got == nil || got.Status != health.HealthStatusHealthy {
		t.Errorf("Argo CD's own health of a suspended CronJob: %+v, not Healthy", got)
	}
	if got := argoHealth(t, tidewaterOverrides(t), fixture(t, "scheduledtask-paused")); got.Status != health.HealthStatusHealthy {
		t.Errorf("a paused ScheduledTask: %+v, not Healthy", got)
	}
}

// Conditions the operator left all False (observed, neither ready nor failing) wait, they never
// claim Healthy; the message is the Ready condition's.
func TestAllConditionsFalseIsProgressing(t *testing.T) {
	overrides := tidewaterOverrides(t)
	for _, kind := range kinds {
		t.Run(kind, func(t *testing.T) {
			obj := fixture(t, degradedFixture(kind))
			conditions, _, err := unstructured.NestedSlice(obj.Object, "status", "conditions")
			if err != nil || len(conditions) == 0 {
				t.Fatalf("no conditions: %v", err)
			}
			readyMessage := ""
			for _, c := range conditions {
				c := c.(map[string]interface{})
				c["status"] = "False"
				if c["type"] == "Ready" {
					readyMessage, _ = c["message"].(string)
				}
			}
			if err := unstructured.SetNestedSlice(obj.Object, conditions, "status", "conditions"); err != nil {
				t.Fatal(err)
			}
			unstructured.RemoveNestedField(obj.Object, "status", "rolloutState")
			got := argoHealth(t, overrides, obj)
			want := health.HealthStatus{Status: health.HealthStatusProgressing, Message: readyMessage}
			if readyMessage == "" || *got != want {
				t.Errorf("got %+v, want %+v", got, want)
			}
		})
	}
}

// The argocd-cm snippet carries exactly deploy/argocd/health.lua under each kind's key, and Argo CD
// reads it as that kind's health check, with useOpenLibs off: only the base, package and table
// libraries and a safe part of os, as Argo CD runs ConfigMap health checks.
func TestConfigMapIsWhatArgoCDLoads(t *testing.T) {
	script, err := os.ReadFile(healthScript)
	if err != nil {
		t.Fatal(err)
	}
	overrides := tidewaterOverrides(t)
	for _, kind := range kinds {
		key := "ecs.tidewater.dev/" + kind
		o, ok := overrides[key]
		if !ok {
			t.Errorf("Argo CD loads no customization for %s", key)
			continue
		}
		if o.HealthLua != string(script) {
			t.Errorf("%s: the health script Argo CD loads differs from deploy/argocd/health.lua", key)
		}
		if o.UseOpenLibs {
			t.Errorf("%s: useOpenLibs is set; the script must run with the libraries Argo CD opens by default", key)
		}
		// The lookup Argo CD makes for a live object of this kind finds that script.
		obj := fixture(t, healthyFixture(kind))
		found, openLibs, err := lua.VM{ResourceOverrides: overrides}.GetHealthScript(obj)
		if err != nil || found != string(script) || openLibs {
			t.Errorf("%s: Argo CD's lookup for a live object found another script (err %v)", key, err)
		}
	}
	for key, o := range overrides {
		if strings.HasPrefix(key, "ecs.tidewater.dev/") && o.HealthLua != "" && !contains(kinds, strings.TrimPrefix(key, "ecs.tidewater.dev/")) {
			t.Errorf("%s: a health check for a kind Tidewater does not have", key)
		}
	}
}

// Without the health checks Argo CD has no health for a Tidewater resource, so a sync wave does
// not wait for it: a Cluster the operator has not even seen would let the next wave start.
func TestWithoutTheHealthChecksThereIsNoHealth(t *testing.T) {
	for _, kind := range kinds {
		if got := argoHealth(t, lua.ResourceHealthOverrides{}, fixture(t, strings.ToLower(kind)+"-new")); got != nil {
			t.Errorf("%s: Argo CD has a health of its own: %+v", kind, got)
		}
	}
}

// deploy/argocd/argocd-cm.yaml is what hack/update-argocd.sh makes of the current script.
func TestConfigMapSnippetIsCurrent(t *testing.T) {
	want, err := exec.Command("bash", "../update-argocd.sh", "--print").Output()
	if err != nil {
		t.Fatalf("hack/update-argocd.sh --print: %v", err)
	}
	got, err := os.ReadFile(configMap)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("deploy/argocd/argocd-cm.yaml is stale: run hack/update-argocd.sh")
	}
}

func contains(list []string, s string) bool {
	for _, item := range list {
		if item == s {
			return true
		}
	}
	return false
}
