// Package argocdhealth runs the Argo CD health scripts of deploy/argocd/health with the Lua engine
// Argo CD embeds (gopher-lua, Lua 5.1) against status objects captured from a real operator run.
package argocdhealth
