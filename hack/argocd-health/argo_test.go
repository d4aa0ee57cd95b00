package argocdhealth

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
	"github.com/argoproj/argo-cd/v3/util/lua"
	"github.com/argoproj/argo-cd/v3/util/settings"
	"github.com/argoproj/gitops-engine/pkg/health"
	log "github.com/sirupsen/logrus"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/kubernetes/fake"
	kjson "sigs.k8s.io/json"
	"sigs.k8s.io/yaml"
)

// Paths relative to this package.
const (
	repoRoot = "../.."
	// The script every kind runs, and the ConfigMap snippet hack/update-argocd.sh makes of it.
	healthScript = repoRoot + "/deploy/argocd/health.lua"
	configMap    = repoRoot + "/deploy/argocd/argocd-cm.yaml"
	// The app-of-apps example restores Argo CD's health check of Applications with this snippet.
	applicationHealthConfigMap = repoRoot + "/deploy/argocd/app-of-apps/argocd-cm-application-health.yaml"
)

// The namespace Argo CD runs in, as in the ConfigMap snippets.
const argoNamespace = "argocd"

// Every kind with a health check.
var kinds = []string{"Cluster", "TaskDefinition", "Service", "TaskRole", "LoadBalancerRoute", "Task", "ScheduledTask"}

// The kinds of the web app that the app-of-apps' workload child syncs (examples/ has no Task or
// ScheduledTask).
var webAppKinds = []string{"Cluster", "TaskDefinition", "Service", "TaskRole", "LoadBalancerRoute"}

func TestMain(m *testing.M) {
	// Argo CD's settings manager logs each informer start at info level.
	log.SetLevel(log.WarnLevel)
	os.Exit(m.Run())
}

// readConfigMap reads one of the argocd-cm snippets of deploy/argocd.
func readConfigMap(t *testing.T, path string) *corev1.ConfigMap {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cm := &corev1.ConfigMap{}
	decodeStrict(t, path, data, cm)
	return cm
}

// decodeStrict decodes a YAML manifest into a Go type with field names matched case-sensitively,
// as the API server matches them: a misspelt field (skipCRDs for skipCrds) fails here instead of
// being dropped there.
func decodeStrict(t *testing.T, path string, data []byte, into interface{}) {
	t.Helper()
	js, err := yaml.YAMLToJSON(data)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	strict, err := kjson.UnmarshalStrict(js, into, kjson.DisallowDuplicateFields, kjson.DisallowUnknownFields)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if len(strict) > 0 {
		t.Fatalf("%s: %v", path, strict)
	}
}

// loadOverrides merges the data of the given argocd-cm snippets into one argocd-cm, as a user does
// (kubectl patch --type merge), and has Argo CD's settings manager read it: the resource
// customizations Argo CD's application controller would use, parsed by its own code.
func loadOverrides(t *testing.T, paths ...string) map[string]v1alpha1.ResourceOverride {
	t.Helper()
	merged := &corev1.ConfigMap{Data: map[string]string{}}
	for _, path := range paths {
		cm := readConfigMap(t, path)
		if cm.Name != "argocd-cm" || cm.Namespace != argoNamespace {
			t.Fatalf("%s: %s/%s is not argocd/argocd-cm", path, cm.Namespace, cm.Name)
		}
		merged.ObjectMeta = cm.ObjectMeta
		for k, v := range cm.Data {
			merged.Data[k] = v
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	mgr := settings.NewSettingsManager(ctx, fake.NewClientset(merged), argoNamespace)
	overrides, err := mgr.GetResourceOverrides()
	if err != nil {
		t.Fatalf("Argo CD refuses the resource customizations: %v", err)
	}
	return overrides
}

// tidewaterOverrides is what Argo CD loads from deploy/argocd/argocd-cm.yaml.
func tidewaterOverrides(t *testing.T) lua.ResourceHealthOverrides {
	t.Helper()
	return lua.ResourceHealthOverrides(loadOverrides(t, configMap))
}

// argoHealth is the health Argo CD gives obj: gitops-engine's health.GetResourceHealth with the
// health overrides, the call its application controller makes for the app's health and its sync
// makes before moving to the next wave. nil means "no health" (a sync wave does not wait for it).
func argoHealth(t *testing.T, overrides lua.ResourceHealthOverrides, obj *unstructured.Unstructured) *health.HealthStatus {
	t.Helper()
	hs, err := health.GetResourceHealth(obj, overrides)
	if err != nil {
		t.Fatalf("%s %s: %v", obj.GetKind(), obj.GetName(), err)
	}
	return hs
}

// fixture reads testdata/<name>.json as the unstructured object Argo CD's cluster cache holds.
func fixture(t *testing.T, name string) *unstructured.Unstructured {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	obj := &unstructured.Unstructured{}
	if err := obj.UnmarshalJSON(data); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return obj
}
