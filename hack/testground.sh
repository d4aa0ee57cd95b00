#!/usr/bin/env bash
# The Tidewater test ground: etcd, kube-apiserver (audit log, token users), kube-controller-manager,
# kube-scheduler and kwok with labelled fake nodes, plus moto behind the strict AWS layer
# (hack/strict-aws: TIDEWATER_MOTO_ENDPOINT; the operator's keys TIDEWATER_AWS_OPERATOR_* get only
# deploy/iam-policy.json); all on loopback, on free ports.
# `up` also builds helm (hack/build-helm.sh) and names it in the env file as TIDEWATER_HELM, and
# builds (hack/build-lbc.sh) and starts the AWS Load Balancer Controller, which registers the pods of
# TargetGroupBindings into the target groups in moto (start_lbc).
#   hack/testground.sh up      build what is missing, start everything, write $TIDEWATER_RUN/env
#   hack/testground.sh down    stop everything started by `up`
#   hack/testground.sh status  show what runs
#   hack/testground.sh env     print the env file (KUBECONFIG paths, audit log, moto endpoint)
#   hack/testground.sh stop etcd|kube-apiserver|aws-load-balancer-controller
#                              stop one (an outage: the fault ITs; no controller: nothing registers)
#   hack/testground.sh start etcd|kube-apiserver|aws-load-balancer-controller
#                              start it again as `up` did (same ports, data dir, certificates) and
#                              wait until it is healthy
# Set TIDEWATER_RUN to run several grounds side by side; TIDEWATER_KCM_QPS / TIDEWATER_KCM_BURST
# raise the controller-manager's and scheduler's API rate limits (benchmarks); TIDEWATER_LBC=0
# neither builds nor starts the Load Balancer Controller (benchmarks: it watches every pod and
# EndpointSlice, CPU the measured operator would share; routing/TargetRegistrationIT then fails).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

components=(aws-load-balancer-controller lbc-ec2 kwok kube-scheduler kube-controller-manager kube-apiserver etcd)
# The operator's identity: the chart released as "tidewater-it" into a namespace of that name (its
# ServiceAccount and ClusterRole take the release's name). Not deploy/'s "tidewater" in
# tidewater-system, which DeployManifestsIT applies and deletes again.
operator_namespace=tidewater-it
operator_service_account=tidewater-it

gen_pki() {
  local pki="$run_dir/pki"
  [ -f "$pki/sa.pub" ] && return 0
  mkdir -p "$pki"
  (
    cd "$pki"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 3650 \
      -subj /CN=tidewater-testground-ca 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -keyout apiserver.key -out apiserver.csr \
      -subj /CN=kube-apiserver 2>/dev/null
    printf 'subjectAltName=IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc\n' >san.ext
    openssl x509 -req -in apiserver.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out apiserver.crt \
      -days 3650 -extfile san.ext 2>/dev/null
    openssl genrsa -out sa.key 2048 2>/dev/null
    openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
  )
}

# Each peer gets its own token, so the audit log tells their requests apart. The peers are cluster
# admins (kcm runs every controller under its own credential here); the operator is not one of them:
# it runs as the Helm chart's ServiceAccount (install_operator_identity).
gen_tokens() {
  local f="$run_dir/pki/tokens.csv"
  [ -f "$f" ] && return 0
  {
    echo "$(openssl rand -hex 16),admin,admin,system:masters"
    echo "$(openssl rand -hex 16),system:kube-controller-manager,kcm,system:masters"
    echo "$(openssl rand -hex 16),system:kube-scheduler,scheduler,system:masters"
    echo "$(openssl rand -hex 16),kwok,kwok,system:masters"
  } >"$f"
}

# A user added to the peers after a run directory was made: its token is appended once.
add_token() { # user
  local f="$run_dir/pki/tokens.csv"
  awk -F, -v u="$1" '$2==u {found=1} END {exit !found}' "$f" || echo "$(openssl rand -hex 16),$1,$1,system:masters" >>"$f"
}

write_kubeconfig() { # user file port [token]
  local token=${4:-}
  [ -n "$token" ] || token=$(awk -F, -v u="$1" '$2==u {print $1}' "$run_dir/pki/tokens.csv")
  cat >"$2" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
- name: testground
  cluster:
    server: https://127.0.0.1:$3
    certificate-authority-data: $(base64 -w0 "$run_dir/pki/ca.crt")
users:
- name: $1
  user:
    token: $token
contexts:
- name: testground
  context: {cluster: testground, user: $1}
current-context: testground
KUBECONFIG
}

node_yaml() { # name os arch capacity-type extra-labels extra-capacity taints
  cat <<NODE
apiVersion: v1
kind: Node
metadata:
  name: $1
  annotations:
    kwok.x-k8s.io/node: fake
    node.alpha.kubernetes.io/ttl: "0"
  labels:
    type: kwok
    tidewater.dev/testground: "true"
    kubernetes.io/hostname: $1
    kubernetes.io/os: $2
    kubernetes.io/arch: $3
    $4
$5
spec:
  taints: $7
status:
  capacity:
    cpu: "64"
    memory: 256Gi
    pods: "1000"
$6
NODE
}

create_nodes() {
  local kubectl; kubectl=$(k8s_bin kubectl)
  {
    local zone
    for zone in a b c; do
      node_yaml "kwok-ec2-amd64-$zone" linux amd64 "eks.amazonaws.com/capacityType: ON_DEMAND" \
        "    node.kubernetes.io/instance-type: m6i.16xlarge
    topology.kubernetes.io/zone: us-east-1$zone" "" "[]"
      echo ---
    done
    node_yaml kwok-ec2-arm64-1 linux arm64 "eks.amazonaws.com/capacityType: ON_DEMAND" \
      "    node.kubernetes.io/instance-type: m7g.16xlarge" "" "[]"
    echo ---
    for i in 1 2; do
      node_yaml "kwok-fargate-$i" linux amd64 "eks.amazonaws.com/compute-type: fargate" "" "" \
        "[{key: eks.amazonaws.com/compute-type, value: fargate, effect: NoSchedule}]"
      echo ---
    done
    node_yaml kwok-windows-1 windows amd64 "eks.amazonaws.com/capacityType: ON_DEMAND" \
      "    node.kubernetes.io/instance-type: m6i.4xlarge" "" \
      "[{key: os, value: windows, effect: NoSchedule}]"
    echo ---
    node_yaml kwok-gpu-1 linux amd64 "eks.amazonaws.com/capacityType: ON_DEMAND" \
      "    node.kubernetes.io/instance-type: g5.12xlarge
    tidewater.dev/accelerator: nvidia" "    nvidia.com/gpu: \"4\"" \
      "[{key: nvidia.com/gpu, effect: NoSchedule}]"
  } >"$run_dir/nodes.yaml"
  "$kubectl" --kubeconfig "$run_dir/admin.kubeconfig" apply -f "$run_dir/nodes.yaml" >/dev/null
}

nodes_ready() {
  local kubectl; kubectl=$(k8s_bin kubectl)
  local n
  n=$("$kubectl" --kubeconfig "$run_dir/admin.kubeconfig" get nodes -l tidewater.dev/testground=true \
    -o jsonpath='{range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' | grep -c True)
  [ "$n" -ge 8 ]
}

# The chart's RBAC objects (ServiceAccount, ClusterRole(Binding), Role(Binding)) from a rendered chart
# on stdin; the Deployment and the rest need the operator's image, which cannot run here.
chart_rbac() {
  awk 'BEGIN { RS = "\n---" } { sub(/^-*\n/, "\n") } /\nkind: (ServiceAccount|ClusterRole|ClusterRoleBinding|Role|RoleBinding)\n/ { print "---" $0 }'
}

# The operator's identity as the Helm chart installs it with default values: its ServiceAccount and
# RBAC in the release namespace, and a kubeconfig with a token of that ServiceAccount. Every IT
# operator runs with it (no system:masters), so a permission the chart lacks fails a test.
install_operator_identity() { # helm api-port
  local kubectl; kubectl=$(k8s_bin kubectl)
  local ns=$operator_namespace
  local k=("$kubectl" --kubeconfig "$run_dir/admin.kubeconfig")
  "${k[@]}" create namespace "$ns" --dry-run=client -o yaml | "${k[@]}" apply -f - >/dev/null
  "$1" template "$operator_service_account" "$repo_dir/helm/tidewater" --namespace "$ns" | chart_rbac >"$run_dir/operator-rbac.yaml"
  "${k[@]}" apply --server-side --force-conflicts --field-manager testground -f "$run_dir/operator-rbac.yaml" >/dev/null
  local token; token=$("${k[@]}" -n "$ns" create token "$operator_service_account" --duration 8760h)
  write_kubeconfig "$operator_service_account" "$run_dir/tidewater-operator.kubeconfig" "$2" "$token"
}

# The External Secrets Operator's ExternalSecret CRD (its real schema, hack/external-crds.sh): the
# ground is a cluster where ESO is installed, so SSM / Secrets Manager secrets (the examples read
# them) become ExternalSecrets. Its controller does not run: kwok's pods start without the Secrets.
# ExternalSecretsIT removes the CRD to show the refusal without ESO, then puts it back.
install_external_secrets_crd() {
  local crds; crds=$("$hack_dir/external-crds.sh" | tail -n 1)
  local kubectl; kubectl=$(k8s_bin kubectl)
  "$kubectl" --kubeconfig "$run_dir/admin.kubeconfig" apply --server-side \
    -f "$crds/eso/external-secrets.io_externalsecrets.yaml" >/dev/null
  "$kubectl" --kubeconfig "$run_dir/admin.kubeconfig" wait --for condition=Established \
    --timeout 60s crd/externalsecrets.external-secrets.io >/dev/null
}

# start_saved NAME HEALTH CMD...: start_bg, remembering CMD and the HEALTH check (a shell command)
# so that `start NAME` brings it back exactly as it was after `stop NAME`.
start_saved() {
  local name=$1 health=$2; shift 2
  mkdir -p "$run_dir/cmd"
  printf '%q ' "$@" >"$run_dir/cmd/$name"
  printf '%s' "$health" >"$run_dir/cmd/$name.health"
  start_bg "$name" "$@"
}

restartable() { [ -f "$run_dir/cmd/$1" ] || die "$1 cannot be stopped and started (only etcd, kube-apiserver, aws-load-balancer-controller)"; }

stop_component() {
  restartable "$1"
  stop_bg "$1"
  log "$1 stopped"
}

start_component() {
  restartable "$1"
  if running "$1"; then log "$1 already running"; return 0; fi
  eval "start_bg $1 $(cat "$run_dir/cmd/$1")"
  wait_for 60 "$1" bash -c "$(cat "$run_dir/cmd/$1.health")"
  log "$1 started"
}

# The Load Balancer Controller's EC2 (start_lbc) starts beside the shared moto and start_lbc waits
# for it: the two boot in parallel.
start_lbc_ec2() { # port
  local ec2_port=$1
  start_bg lbc-ec2 "$(moto_venv)/bin/moto_server" -H 127.0.0.1 -p "$ec2_port"
  echo "http://127.0.0.1:$ec2_port" >"$run_dir/lbc-ec2.endpoint"
}

# The AWS Load Balancer Controller (hack/build-lbc.sh, pinned AWS_LBC_VERSION), so that a
# TargetGroupBinding really registers its Service's ready pod IPs into the target group in moto and
# deregisters them when they go, as on EKS. Only its TargetGroupBinding controller has work: the
# Service controller and the Gateway controllers are off (feature gates), its Ingress controller
# finds no IngressClass of its own (the ground has none, and --ingress-class names a class nobody
# uses), WAF / Shield are off. Its webhooks are served (a self-signed certificate; on all
# interfaces, the controller has no flag for the address) but not registered with the API server:
# no pod readiness gates, no TargetGroupBinding defaulting.
# AWS: ELBv2 and STS through the strict layer with the admin keys (the controller is another
# principal than the operator, with its own IAM policy, which is not the operator's to prove; its
# requests are still checked against the service models). EC2 from a moto of its own ("lbc-ec2"),
# which holds the cluster's VPC (--aws-vpc-id, looked up on every registration): the ITs reset the
# shared moto, and with it every VPC, but never this one. The VPC's CIDR is kwok's pod CIDR, so pod
# IPs are VPC addresses as with the VPC CNI and register without AvailabilityZone "all".
start_lbc() { # lbc-dir moto-endpoint
  local kubectl; kubectl=$(k8s_bin kubectl)
  local k=("$kubectl" --kubeconfig "$run_dir/admin.kubeconfig")
  "${k[@]}" apply --server-side -f "$1/crds" >/dev/null
  "${k[@]}" wait --for condition=Established --timeout 60s crd/targetgroupbindings.elbv2.k8s.aws \
    crd/ingressclassparams.elbv2.k8s.aws crd/albtargetcontrolconfigs.elbv2.k8s.aws >/dev/null
  local ec2; ec2=$(cat "$run_dir/lbc-ec2.endpoint")
  wait_for 60 "the controller's EC2 ($ec2)" curl -fsS "$ec2/moto-api/data.json"
  # one CreateVpc by curl (a Python client costs a second of start-up); moto reads the region from
  # the credential scope and does not check the signature
  local vpc
  vpc=$(curl -fsS "$ec2/" \
    -H 'Authorization: AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=0' \
    --data 'Action=CreateVpc&Version=2016-11-15&CidrBlock=10.244.0.0/16&TagSpecification.1.ResourceType=vpc&TagSpecification.1.Tag.1.Key=Name&TagSpecification.1.Tag.1.Value=tidewater-testground' |
    sed -n 's:.*<vpcId>\(vpc-[0-9a-f]*\)</vpcId>.*:\1:p' | head -n 1)
  [ -n "$vpc" ] || die "the controller's EC2 made no VPC"
  local certs="$run_dir/pki/lbc-webhook"
  if [ ! -f "$certs/tls.crt" ]; then
    mkdir -p "$certs"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout "$certs/tls.key" -out "$certs/tls.crt" -days 3650 \
      -subj /CN=aws-load-balancer-controller -addext subjectAltName=IP:127.0.0.1 2>/dev/null
  fi
  local health_port webhook_port
  health_port=$(free_port); webhook_port=$(free_port)
  # Other AWS services the controller has clients for go to its own moto, so nothing leaves the
  # machine. A short backoff (default 16m40s) so that a binding whose target group appears late
  # (the operator writes both) registers within seconds.
  local endpoints="Elastic Load Balancing v2=$2,STS=$2,EC2=$ec2"
  local svc
  for svc in ACM "WAF Regional" WAFV2 Shield "Resource Groups Tagging API" "Global Accelerator" \
    ServiceDiscovery "App Mesh"; do
    endpoints="$endpoints,$svc=$ec2"
  done
  start_saved aws-load-balancer-controller "curl -fsS http://127.0.0.1:$health_port/readyz" \
    env AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_EC2_METADATA_DISABLED=true \
    "$1/controller" --kubeconfig "$run_dir/aws-load-balancer-controller.kubeconfig" \
    --cluster-name tidewater-testground --aws-region us-east-1 --aws-vpc-id "$vpc" \
    --aws-api-endpoints "$endpoints" \
    --enable-leader-election=false --metrics-bind-addr 0 \
    --health-probe-bind-addr "127.0.0.1:$health_port" \
    --webhook-bind-port "$webhook_port" --webhook-cert-dir "$certs" \
    --enable-shield=false --enable-waf=false --enable-wafv2=false \
    --ingress-class tidewater-testground-none \
    --feature-gates EnableServiceController=false,NLBGatewayAPI=false,ALBGatewayAPI=false \
    --targetgroupbinding-max-exponential-backoff-delay 10s
  wait_for 60 "the AWS Load Balancer Controller" curl -fsS "http://127.0.0.1:$health_port/readyz"
}

default_sa_exists() {
  "$(k8s_bin kubectl)" --kubeconfig "$run_dir/admin.kubeconfig" -n default get serviceaccount default
}

up() {
  local t0; t0=$(date +%s.%N)
  "$hack_dir/build-control-plane.sh"
  local helm; helm=$("$hack_dir/build-helm.sh")
  local lbc=
  [ "${TIDEWATER_LBC:-1}" = 0 ] || lbc=$("$hack_dir/build-lbc.sh")
  local tb; tb=$(date +%s.%N)
  if running kube-apiserver; then log "test ground already running ($run_dir)"; return 0; fi
  down_quiet
  mkdir -p "$run_dir"
  rm -rf "$run_dir/etcd" "$run_dir/logs"
  gen_pki
  gen_tokens
  add_token aws-load-balancer-controller
  local etcd_port etcd_peer api_port kcm_port sched_port
  etcd_port=$(free_port); etcd_peer=$(free_port); api_port=$(free_port)
  kcm_port=$(free_port); sched_port=$(free_port)

  start_saved etcd "curl -fsS http://127.0.0.1:$etcd_port/health" "$(etcd_bin)" --data-dir "$run_dir/etcd" --name testground \
    --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
    --listen-peer-urls "http://127.0.0.1:$etcd_peer" --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer" \
    --initial-cluster "testground=http://127.0.0.1:$etcd_peer" --unsafe-no-fsync --quota-backend-bytes 8589934592
  wait_for 30 etcd curl -fsS "http://127.0.0.1:$etcd_port/health"

  : >"$run_dir/audit.log"
  local pki="$run_dir/pki"
  start_saved kube-apiserver \
    "$(printf '%q' "$(k8s_bin kubectl)") --kubeconfig $(printf '%q' "$run_dir/admin.kubeconfig") get --raw /readyz" \
    "$(k8s_bin kube-apiserver)" \
    --etcd-servers "http://127.0.0.1:$etcd_port" \
    --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$api_port" \
    --tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key" \
    --client-ca-file "$pki/ca.crt" --token-auth-file "$pki/tokens.csv" \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-account-key-file "$pki/sa.pub" --service-account-signing-key-file "$pki/sa.key" \
    --service-cluster-ip-range 10.96.0.0/16 --authorization-mode RBAC --allow-privileged=true \
    --audit-policy-file "$hack_dir/testground/audit-policy.yaml" --audit-log-path "$run_dir/audit.log" \
    --audit-log-maxsize 1000000 --audit-log-format json --audit-log-mode blocking \
    --max-requests-inflight 1000 --max-mutating-requests-inflight 500 --profiling=false
  for u in admin system:kube-controller-manager system:kube-scheduler kwok aws-load-balancer-controller; do
    write_kubeconfig "$u" "$run_dir/${u#system:}.kubeconfig" "$api_port"
  done
  wait_for 60 kube-apiserver "$(k8s_bin kubectl)" --kubeconfig "$run_dir/admin.kubeconfig" get --raw /readyz

  local qps=${TIDEWATER_KCM_QPS:-100} burst=${TIDEWATER_KCM_BURST:-200}
  # --node-monitor-grace-period 180s: kwok cannot renew its node leases while the API server or etcd
  # is down (the fault ITs' 60 s outages); with the default grace the node controller then marks
  # every node and pod NotReady, and kwok never makes those pods ready again.
  start_bg kube-controller-manager "$(k8s_bin kube-controller-manager)" \
    --kubeconfig "$run_dir/kube-controller-manager.kubeconfig" \
    --authentication-kubeconfig "$run_dir/kube-controller-manager.kubeconfig" \
    --authorization-kubeconfig "$run_dir/kube-controller-manager.kubeconfig" \
    --bind-address 127.0.0.1 --secure-port "$kcm_port" --leader-elect=false \
    --service-account-private-key-file "$pki/sa.key" --root-ca-file "$pki/ca.crt" \
    --cluster-signing-cert-file "$pki/ca.crt" --cluster-signing-key-file "$pki/ca.key" \
    --use-service-account-credentials=false --kube-api-qps "$qps" --kube-api-burst "$burst" \
    --node-monitor-grace-period 180s \
    --controllers '*,-nodeipam,-cloud-node-lifecycle,-service-lb-controller,-node-route-controller'
  start_bg kube-scheduler "$(k8s_bin kube-scheduler)" \
    --kubeconfig "$run_dir/kube-scheduler.kubeconfig" \
    --authentication-kubeconfig "$run_dir/kube-scheduler.kubeconfig" \
    --authorization-kubeconfig "$run_dir/kube-scheduler.kubeconfig" \
    --bind-address 127.0.0.1 --secure-port "$sched_port" --leader-elect=false \
    --kube-api-qps "$qps" --kube-api-burst "$burst"
  start_bg kwok "$(kwok_bin)" --kubeconfig "$run_dir/kwok.kubeconfig" \
    --config "$hack_dir/testground/stages.yaml" \
    --manage-all-nodes=false --manage-nodes-with-annotation-selector kwok.x-k8s.io/node=fake \
    --node-lease-duration-seconds 40 --cidr 10.244.0.0/16 --node-ip 10.0.0.1
  create_nodes
  wait_for 60 "kwok nodes Ready" nodes_ready
  wait_for 60 "the default ServiceAccount" default_sa_exists
  install_operator_identity "$helm" "$api_port"
  install_external_secrets_crd


  "$hack_dir/moto.sh" install
  # two ports chosen together: moto and the controller's EC2 start side by side, and two separate
  # picks of a free port could return the same one before either server has bound it
  local ports; mapfile -t ports < <(free_ports 2)
  [ -z "$lbc" ] || start_lbc_ec2 "${ports[1]}"
  local moto; moto=$(TIDEWATER_MOTO_PORT=${ports[0]} "$hack_dir/moto.sh" start)
  [ -z "$lbc" ] || start_lbc "$lbc" "$moto"
  cat >"$run_dir/env" <<ENV
TIDEWATER_RUN=$run_dir
TIDEWATER_KUBECONFIG=$run_dir/admin.kubeconfig
TIDEWATER_OPERATOR_KUBECONFIG=$run_dir/tidewater-operator.kubeconfig
TIDEWATER_OPERATOR_USER=system:serviceaccount:$operator_namespace:$operator_service_account
TIDEWATER_OPERATOR_NAMESPACE=$operator_namespace
TIDEWATER_AUDIT_LOG=$run_dir/audit.log
TIDEWATER_KUBECTL=$(k8s_bin kubectl)
TIDEWATER_MOTO_ENDPOINT=$moto
TIDEWATER_AWS_OPERATOR_ACCESS_KEY_ID=TIDEWATEROPERATOR
TIDEWATER_AWS_OPERATOR_SECRET_ACCESS_KEY=tidewater-operator-secret
TIDEWATER_HELM=$helm
ENV
  [ -z "$lbc" ] || echo "TIDEWATER_LBC_LOG=$run_dir/logs/aws-load-balancer-controller.log" >>"$run_dir/env"
  local t1; t1=$(date +%s.%N)
  log "test ground up in $(printf '%.1f' "$(echo "$t1 - $tb" | bc)") s (binaries checked/built in $(printf '%.1f' "$(echo "$tb - $t0" | bc)") s); env: $run_dir/env"
}

down_quiet() {
  # the controller first: it would log failed calls to a moto that is gone
  stop_bg aws-load-balancer-controller
  "$hack_dir/moto.sh" stop >/dev/null 2>&1 || true
  for c in "${components[@]}"; do stop_bg "$c"; done
}

down() {
  down_quiet
  rm -rf "$run_dir/etcd"
  log "test ground stopped"
}

status() {
  for c in "${components[@]}" moto; do
    if running "$c"; then echo "$c: running (pid $(cat "$run_dir/pids/$c.pid"))"; else echo "$c: stopped"; fi
  done
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  env) cat "$run_dir/env" ;;
  stop) stop_component "${2:?which component}" ;;
  start) start_component "${2:?which component}" ;;
  *) echo "usage: $0 up|down|status|env|stop COMPONENT|start COMPONENT" >&2; exit 2 ;;
esac
