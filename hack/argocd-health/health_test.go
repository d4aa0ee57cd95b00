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

// The states every kind has a captured fixture of (testdata/README.md says how each came about).
var states = []string{"new", "healthy", "progressing", "degraded", "deleting"}

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
		for _, state := range states {
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
		for _, state := range states {
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
			healthy := strings.ToLower(kind) + "-healthy"
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
		for _, state := range []string{"healthy", "degraded"} {
			obj := fixture(t, strings.ToLower(kind)+"-"+state)
			now := metav1.Now()
			obj.SetDeletionTimestamp(&now)
			got := argoHealth(t, overrides, obj)
			want := health.HealthStatus{Status: health.HealthStatusProgressing, Message: "Pending deletion"}
			if *got != want {
				t.Errorf("%s %s being deleted: got %+v, want %+v", state, kind, got, want)
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

// Conditions the operator left all False (observed, neither ready nor failing) wait, they never
// claim Healthy; the message is the Ready condition's.
func TestAllConditionsFalseIsProgressing(t *testing.T) {
	overrides := tidewaterOverrides(t)
	for _, kind := range kinds {
		t.Run(kind, func(t *testing.T) {
			obj := fixture(t, strings.ToLower(kind)+"-degraded")
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
		obj := fixture(t, strings.ToLower(kind)+"-healthy")
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
