// Package argocdhealth tests the Argo CD side of Tidewater with Argo CD's own code (the Go module
// github.com/argoproj/argo-cd/v3 and its gitops-engine): the health checks of
// deploy/argocd/argocd-cm.yaml, loaded by Argo CD's settings manager and run by its util/lua engine
// against resources captured from a real API server and operator (testdata), and the app-of-apps
// example of deploy/argocd/app-of-apps. The package has no code of its own; see the tests.
package argocdhealth
