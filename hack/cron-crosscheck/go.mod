module tidewater.dev/cron-crosscheck

go 1.21

// The version kube-controller-manager's CronJob controller vendors (k8s.io/kubernetes go.mod).
require github.com/robfig/cron/v3 v3.0.1
