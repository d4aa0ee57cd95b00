package argocdhealth

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
	"github.com/argoproj/argo-cd/v3/util/lua"
	"github.com/argoproj/gitops-engine/pkg/health"
	"github.com/argoproj/gitops-engine/pkg/sync/syncwaves"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"
)

const (
	appOfApps             = repoRoot + "/deploy/argocd/app-of-apps"
	standaloneApplication = repoRoot + "/deploy/argocd/application.yaml"
	placeholder           = "REPLACE-ME"
)

// readObject reads a one-document manifest as Argo CD sees it (unstructured), and, when into is
// not nil, strictly as that type too (decodeStrict).
func readObject(t *testing.T, path string, into interface{}) *unstructured.Unstructured {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	obj := &unstructured.Unstructured{}
	if err := yaml.Unmarshal(data, &obj.Object); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if into != nil {
		decodeStrict(t, path, data, into)
	}
	return obj
}

type childApp struct {
	app  v1alpha1.Application
	wave int
}

// children reads the Applications the root syncs, keyed by name.
func children(t *testing.T) (v1alpha1.Application, map[string]childApp) {
	t.Helper()
	var root v1alpha1.Application
	readObject(t, appOfApps+"/root.yaml", &root)
	if root.Spec.Source == nil {
		t.Fatal("root.yaml has no single source")
	}
	files, err := filepath.Glob(filepath.Join(repoRoot, root.Spec.Source.Path, "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("root.yaml's path %s has no manifests: %v", root.Spec.Source.Path, err)
	}
	apps := map[string]childApp{}
	for _, f := range files {
		var app v1alpha1.Application
		obj := readObject(t, f, &app)
		if obj.GetKind() != "Application" {
			t.Fatalf("%s is a %s, not an Application", f, obj.GetKind())
		}
		apps[app.Name] = childApp{app, syncwaves.Wave(obj)}
	}
	return root, apps
}

// The root syncs the CRDs, then the operator, then the workloads, all from the repository the
// user names once per file (the same placeholder everywhere), from paths that exist.
func TestAppOfAppsOrder(t *testing.T) {
	root, apps := children(t)
	var names []string
	for name := range apps {
		names = append(names, name)
	}
	sort.Slice(names, func(i, j int) bool { return apps[names[i]].wave < apps[names[j]].wave })
	want := []string{"tidewater-crds", "tidewater-operator", "tidewater-examples"}
	if !slices.Equal(names, want) {
		t.Fatalf("children in wave order: %v, want %v", names, want)
	}
	for i := 1; i < len(names); i++ {
		if apps[names[i-1]].wave == apps[names[i]].wave {
			t.Errorf("%s and %s share wave %d", names[i-1], names[i], apps[names[i]].wave)
		}
	}
	if !strings.Contains(root.Spec.Source.RepoURL, placeholder) {
		t.Errorf("root repoURL %q is not the placeholder", root.Spec.Source.RepoURL)
	}
	for name, c := range apps {
		src := c.app.Spec.Source
		if src == nil {
			t.Errorf("%s has no single source", name)
			continue
		}
		if src.RepoURL != root.Spec.Source.RepoURL {
			t.Errorf("%s: repoURL %q, root has %q", name, src.RepoURL, root.Spec.Source.RepoURL)
		}
		if _, err := os.Stat(filepath.Join(repoRoot, src.Path)); err != nil {
			t.Errorf("%s: path %s: %v", name, src.Path, err)
		}
		if c.app.Namespace != root.Spec.Destination.Namespace {
			t.Errorf("%s is in namespace %q, the root syncs into %q", name, c.app.Namespace, root.Spec.Destination.Namespace)
		}
		if c.app.Spec.SyncPolicy == nil || c.app.Spec.SyncPolicy.Automated == nil {
			t.Errorf("%s does not sync by itself: the root would wait for it forever", name)
		}
	}

	crds := apps["tidewater-crds"].app
	if crds.Spec.Source.Path != "crds" || crds.Spec.SyncPolicy.Automated.Prune == true || len(crds.Finalizers) > 0 {
		t.Errorf("tidewater-crds must sync crds/ and never delete a CRD (no prune, no resources-finalizer)")
	}
	operator := apps["tidewater-operator"].app
	if operator.Spec.Source.Path != "helm/tidewater" || operator.Spec.Source.Helm == nil || !operator.Spec.Source.Helm.SkipCrds {
		t.Errorf("tidewater-operator must install helm/tidewater with skipCrds (wave 1 owns the CRDs)")
	}
}

// deploy/argocd/application.yaml, for an operator installed another way, is the app-of-apps'
// workload child without the wave.
func TestStandaloneApplicationIsTheWorkloadChild(t *testing.T) {
	_, apps := children(t)
	var standalone v1alpha1.Application
	obj := readObject(t, standaloneApplication, &standalone)
	child := apps["tidewater-examples"].app
	if standalone.Name != child.Name || !reflect.DeepEqual(standalone.Spec, child.Spec) {
		t.Errorf("application.yaml and app-of-apps/apps/tidewater-workloads.yaml differ")
	}
	if _, ok := obj.GetAnnotations()["argocd.argoproj.io/sync-wave"]; ok {
		t.Errorf("application.yaml has a sync wave: it stands alone")
	}
}

// The workload app applies its Clusters in a wave of their own, after any CRD left in the default
// wave 0, and everything else after them; each resource has a health check, so each wave waits for
// the operator (a Cluster is Healthy only once the operator has seen it). The files are the web
// app of examples/ plus the wave.
func TestWorkloadWaves(t *testing.T) {
	_, apps := children(t)
	dir := filepath.Join(repoRoot, apps["tidewater-examples"].app.Spec.Source.Path)
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no manifests in %s: %v", dir, err)
	}
	overrides := tidewaterOverrides(t)
	maxClusterWave, minOtherWave := -1<<31, 1<<31-1
	seen := map[string]bool{}
	for _, f := range files {
		obj := readObject(t, f, nil)
		wave := syncwaves.Wave(obj)
		if _, ok := obj.GetAnnotations()["argocd.argoproj.io/sync-wave"]; !ok {
			t.Errorf("%s has no sync-wave annotation", f)
		}
		seen[obj.GetKind()] = true
		if obj.GetKind() == "Cluster" {
			maxClusterWave = max(maxClusterWave, wave)
			if wave <= 0 {
				t.Errorf("%s: Cluster in wave %d, not after the default wave 0 (CRDs)", f, wave)
			}
		} else {
			minOtherWave = min(minOtherWave, wave)
		}
		if script, _, err := (lua.VM{ResourceOverrides: overrides}).GetHealthScript(obj); err != nil || script == "" {
			t.Errorf("%s: Argo CD has no health check for a %s (%v): its wave would not wait", f, obj.GroupVersionKind(), err)
		}

		// The same resource as examples/<file>, but for the annotation.
		example := readObject(t, filepath.Join(repoRoot, "examples", filepath.Base(f)), nil)
		annotations := obj.GetAnnotations()
		delete(annotations, "argocd.argoproj.io/sync-wave")
		if len(annotations) == 0 {
			unstructured.RemoveNestedField(obj.Object, "metadata", "annotations")
		} else {
			obj.SetAnnotations(annotations)
		}
		if !reflect.DeepEqual(obj.Object, example.Object) {
			t.Errorf("%s is not examples/%s plus a sync wave", f, filepath.Base(f))
		}
	}
	if maxClusterWave >= minOtherWave {
		t.Errorf("a Cluster is in wave %d, another resource already in wave %d", maxClusterWave, minOtherWave)
	}
	for _, kind := range webAppKinds {
		if !seen[kind] {
			t.Errorf("the workload app has no %s", kind)
		}
	}
}

// With the Application health check of argocd-cm-application-health.yaml the root waits for a
// child until its own health is Healthy; without it a child has no health and the root syncs the
// next wave at once.
func TestApplicationHealth(t *testing.T) {
	app := func(status string) *unstructured.Unstructured {
		obj := &unstructured.Unstructured{Object: map[string]interface{}{
			"apiVersion": "argoproj.io/v1alpha1",
			"kind":       "Application",
			"metadata":   map[string]interface{}{"name": "tidewater-operator", "namespace": argoNamespace},
			"spec":       map[string]interface{}{},
		}}
		if status != "" {
			obj.Object["status"] = map[string]interface{}{
				"health": map[string]interface{}{"status": status, "message": status + " children"},
				"sync":   map[string]interface{}{"status": "Synced"},
			}
		}
		return obj
	}
	both := lua.ResourceHealthOverrides(loadOverrides(t, configMap, applicationHealthConfigMap))
	cases := []struct {
		status string
		want   health.HealthStatus
	}{
		{"", health.HealthStatus{Status: health.HealthStatusProgressing}},
		{"Missing", health.HealthStatus{Status: health.HealthStatusMissing, Message: "Missing children"}},
		{"Progressing", health.HealthStatus{Status: health.HealthStatusProgressing, Message: "Progressing children"}},
		{"Degraded", health.HealthStatus{Status: health.HealthStatusDegraded, Message: "Degraded children"}},
		{"Healthy", health.HealthStatus{Status: health.HealthStatusHealthy, Message: "Healthy children"}},
	}
	for _, c := range cases {
		if got := argoHealth(t, both, app(c.status)); got == nil || *got != c.want {
			t.Errorf("child with health %q: got %+v, want %+v", c.status, got, c.want)
		}
	}
	if got := argoHealth(t, tidewaterOverrides(t), app("Progressing")); got != nil {
		t.Errorf("without the snippet Argo CD has a health for Applications: %+v", got)
	}
	// Merged, the two snippets still give the Tidewater kinds their health.
	if got := argoHealth(t, both, fixture(t, "cluster-new")); got == nil || got.Status != health.HealthStatusProgressing {
		t.Errorf("a new Cluster with both snippets: %+v, want Progressing", got)
	}
}
