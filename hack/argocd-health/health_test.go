package argocdhealth

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"
)

// healthScript is the script under test (the same for every kind), relative to this package.
const healthScript = "../../deploy/argocd/health.lua"

var kinds = []string{"Cluster", "TaskDefinition", "Service", "TaskRole", "LoadBalancerRoute"}

// The statuses Argo CD accepts from a health script.
var argoStatuses = map[string]bool{
	"Healthy": true, "Progressing": true, "Degraded": true, "Suspended": true, "Missing": true, "Unknown": true,
}

type health struct {
	Status  string
	Message string
}

// decodeValue turns a decoded JSON value into a Lua value the way Argo CD's util/lua does for an
// unstructured object: objects and arrays become tables (arrays 1-based), null becomes nil.
func decodeValue(L *lua.LState, value interface{}) lua.LValue {
	switch v := value.(type) {
	case nil:
		return lua.LNil
	case bool:
		return lua.LBool(v)
	case string:
		return lua.LString(v)
	case json.Number:
		f, err := v.Float64()
		if err != nil {
			panic(fmt.Sprintf("number %q: %v", v, err))
		}
		return lua.LNumber(f)
	case float64:
		return lua.LNumber(v)
	case map[string]interface{}:
		t := L.CreateTable(0, len(v))
		for key, item := range v {
			t.RawSetString(key, decodeValue(L, item))
		}
		return t
	case []interface{}:
		t := L.CreateTable(len(v), 0)
		for i, item := range v {
			t.RawSetInt(i+1, decodeValue(L, item))
		}
		return t
	default:
		panic(fmt.Sprintf("unexpected JSON value %T", value))
	}
}

func parseJSON(t *testing.T, data []byte) map[string]interface{} {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var obj map[string]interface{}
	if err := dec.Decode(&obj); err != nil {
		t.Fatalf("parse: %v", err)
	}
	return obj
}

// runHealth runs a script as Argo CD's util/lua does for a resource.customizations.health entry: a
// fresh state with only the package, base and table libraries (no string, math or io: scripts that
// need them fail here as they would there; Argo CD's safe os subset is left out, no script uses
// it), the resource as the global obj, and the returned table read as {status, message}.
func runHealth(t *testing.T, kind string, obj map[string]interface{}) health {
	t.Helper()
	script, err := os.ReadFile(healthScript)
	if err != nil {
		t.Fatal(err)
	}
	L := lua.NewState(lua.Options{SkipOpenLibs: true})
	defer L.Close()
	for _, lib := range []struct {
		name string
		open lua.LGFunction
	}{
		{lua.LoadLibName, lua.OpenPackage},
		{lua.BaseLibName, lua.OpenBase},
		{lua.TabLibName, lua.OpenTable},
	} {
		L.Push(L.NewFunction(lib.open))
		L.Push(lua.LString(lib.name))
		L.Call(1, 0)
	}
	L.SetGlobal("obj", decodeValue(L, obj))
	if err := L.DoString(string(script)); err != nil {
		t.Fatalf("%s.lua: %v", kind, err)
	}
	ret, ok := L.Get(-1).(*lua.LTable)
	if !ok {
		t.Fatalf("%s.lua returned %s, not a table", kind, L.Get(-1).Type())
	}
	h := health{Status: lua.LVAsString(ret.RawGetString("status")), Message: lua.LVAsString(ret.RawGetString("message"))}
	if !argoStatuses[h.Status] {
		t.Fatalf("%s.lua returned status %q, which Argo CD does not know", kind, h.Status)
	}
	return h
}

func fixture(t *testing.T, name string) map[string]interface{} {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	return parseJSON(t, data)
}

func TestFixtures(t *testing.T) {
	cases := []struct {
		fixture string
		kind    string
		status  string
		message string // a part of the expected message
	}{
		{"cluster-healthy", "Cluster", "Healthy", "workloads of this cluster run on the kubernetes backend"},
		{"cluster-progressing", "Cluster", "Progressing", "waiting for the operator"},
		{"cluster-degraded", "Cluster", "Degraded", "spec.ecs.clusterName: ECS cluster prod does not exist in us-east-1"},
		{"taskdefinition-healthy", "TaskDefinition", "Healthy", "revision 1 is the latest"},
		{"taskdefinition-progressing", "TaskDefinition", "Progressing", "waiting for the operator"},
		{"taskdefinition-degraded", "TaskDefinition", "Degraded", "spec.memory: Fargate task cpu 256 allows memory 512, 1024 or 2048 MiB, not 4096"},
		{"service-healthy", "Service", "Healthy", "2/2 tasks of revision 1 running"},
		{"service-progressing", "Service", "Progressing", "TaskDefinition web does not exist (yet)"},
		{"service-degraded", "Service", "Degraded", "revision 7 of TaskDefinition ok does not exist"},
		{"taskrole-healthy", "TaskRole", "Healthy", "tasks run as ServiceAccount web"},
		{"taskrole-progressing", "TaskRole", "Progressing", "waiting for the operator"},
		{"taskrole-degraded", "TaskRole", "Degraded", "Cluster missing does not exist"},
		{"loadbalancerroute-healthy", "LoadBalancerRoute", "Healthy", "2 ready endpoints behind Service web (ingress mode)"},
		{"loadbalancerroute-progressing", "LoadBalancerRoute", "Progressing", "Service web has no ready endpoint yet"},
		{"loadbalancerroute-degraded", "LoadBalancerRoute", "Degraded", "spec.rules[0].priority 10 is already used on this listener by LoadBalancerRoute argo-healthy/web"},
	}
	for _, c := range cases {
		t.Run(c.fixture, func(t *testing.T) {
			got := runHealth(t, c.kind, fixture(t, c.fixture))
			if got.Status != c.status || !strings.Contains(got.Message, c.message) {
				t.Errorf("got %+v, want status %q with message containing %q", got, c.status, c.message)
			}
		})
	}
}

// Every kind has a fixture for each health; none is left without a case.
func TestEveryKindHasEveryFixture(t *testing.T) {
	for _, kind := range kinds {
		for _, state := range []string{"healthy", "progressing", "degraded"} {
			name := strings.ToLower(kind) + "-" + state + ".json"
			if _, err := os.Stat(filepath.Join("testdata", name)); err != nil {
				t.Errorf("missing fixture %s", name)
			}
		}
	}
}

// A healthy resource the operator has not seen since its last edit is Progressing, whatever its
// old conditions say; so is one without any status.
func TestStaleOrMissingStatusIsProgressing(t *testing.T) {
	for _, kind := range kinds {
		t.Run(kind, func(t *testing.T) {
			stale := fixture(t, strings.ToLower(kind)+"-healthy")
			meta := stale["metadata"].(map[string]interface{})
			status, _ := stale["status"].(map[string]interface{})
			if status == nil {
				t.Skip("the healthy fixture has no status to make stale")
			}
			meta["generation"] = json.Number(fmt.Sprint(asInt(t, status["observedGeneration"]) + 1))
			want := health{Status: "Progressing", Message: "waiting for the operator"}
			if got := runHealth(t, kind, stale); got != want {
				t.Errorf("stale: got %+v, want %+v", got, want)
			}

			missing := fixture(t, strings.ToLower(kind)+"-healthy")
			delete(missing, "status")
			if got := runHealth(t, kind, missing); got != want {
				t.Errorf("no status: got %+v, want %+v", got, want)
			}

			noGeneration := fixture(t, strings.ToLower(kind)+"-healthy")
			delete(noGeneration["status"].(map[string]interface{}), "observedGeneration")
			if got := runHealth(t, kind, noGeneration); got != want {
				t.Errorf("no observedGeneration: got %+v, want %+v", got, want)
			}
		})
	}
}

// A circuit breaker's FAILED rollout is Degraded even while the rolled-back revision is Ready.
func TestServiceFailedRolloutIsDegraded(t *testing.T) {
	svc := fixture(t, "service-healthy")
	status := svc["status"].(map[string]interface{})
	status["rolloutState"] = "FAILED"
	status["rolledBackRevisions"] = []interface{}{json.Number("2")}
	got := runHealth(t, "Service", svc)
	if got.Status != "Degraded" || !strings.Contains(got.Message, "failed") {
		t.Errorf("got %+v, want Degraded naming the failed rollout", got)
	}
}

// Conditions the operator left all False (observed, neither ready nor failing) wait, they never
// claim Healthy.
func TestAllConditionsFalseIsProgressing(t *testing.T) {
	for _, kind := range kinds {
		t.Run(kind, func(t *testing.T) {
			obj := fixture(t, strings.ToLower(kind)+"-degraded")
			for _, c := range obj["status"].(map[string]interface{})["conditions"].([]interface{}) {
				c.(map[string]interface{})["status"] = "False"
			}
			delete(obj["status"].(map[string]interface{}), "rolloutState")
			if got := runHealth(t, kind, obj); got.Status != "Progressing" {
				t.Errorf("got %+v, want Progressing", got)
			}
		})
	}
}

// The JSON -> Lua conversion keeps types and 1-based arrays, and null is nil.
func TestDecodeValue(t *testing.T) {
	L := lua.NewState()
	defer L.Close()
	obj := parseJSON(t, []byte(`{"a":[10,"x",true,{"b":null}],"n":1.5,"s":"str","z":null}`))
	L.SetGlobal("obj", decodeValue(L, obj))
	script := `return #obj.a, obj.a[1], obj.a[2], obj.a[3], obj.a[4].b == nil, obj.n, obj.s, obj.z == nil, obj.a[0] == nil`
	if err := L.DoString(script); err != nil {
		t.Fatal(err)
	}
	var got []string
	for i := 1; i <= L.GetTop(); i++ {
		got = append(got, L.Get(i).String())
	}
	want := "4 10 x true true 1.5 str true true"
	if strings.Join(got, " ") != want {
		t.Errorf("got %q, want %q", strings.Join(got, " "), want)
	}
}

// deploy/argocd/argocd-cm.yaml is what hack/update-argocd.sh makes of the current scripts.
func TestConfigMapSnippetIsCurrent(t *testing.T) {
	want, err := exec.Command("bash", "../update-argocd.sh", "--print").Output()
	if err != nil {
		t.Fatalf("hack/update-argocd.sh --print: %v", err)
	}
	got, err := os.ReadFile("../../deploy/argocd/argocd-cm.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("deploy/argocd/argocd-cm.yaml is stale: run hack/update-argocd.sh")
	}
	for _, kind := range kinds {
		key := "  resource.customizations.health.ecs.tidewater.dev_" + kind + ": |\n"
		if !bytes.Contains(got, []byte(key)) {
			t.Errorf("argocd-cm.yaml has no key for %s", kind)
		}
	}
}

func asInt(t *testing.T, v interface{}) int64 {
	t.Helper()
	n, ok := v.(json.Number)
	if !ok {
		t.Fatalf("not a number: %v", v)
	}
	i, err := n.Int64()
	if err != nil {
		t.Fatal(err)
	}
	return i
}
