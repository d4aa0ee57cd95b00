"""ECS's service scheduler, which moto lacks: moto starts no task for a service (its runningCount is
MOTO_ECS_SERVICE_RUNNING, then desiredCount after an UpdateService) and registers nothing in the
service's target groups. After every CreateService / UpdateService / DeleteService that moto
accepted, the service's tasks are brought to what ECS would run:

* desiredCount tasks of the service's task definition (none once the service is deleted), in moto's
  own task table: group `service:NAME`, startedBy the PRIMARY deployment's id (`ecs-svc/...`),
  lastStatus / desiredStatus RUNNING (they stay there: moto's task lifecycle would walk a described
  task to STOPPED), the service's launch type and tags;
* awsvpc tasks get an ENI in the service's subnets (round robin) whose private IP is the lowest free
  address of the subnet's CIDR (AWS reserves the first four and the last), as moto's EC2 shows it;
* bridge / host tasks are placed round robin on the cluster's ACTIVE container instances, with
  networkBindings (host: the container port; bridge: the mapping's hostPort, else an ephemeral port
  from 32768); a cluster without container instances still runs them, on no instance and
  registered nowhere (the ground has no EC2 capacity unless a test registers some);
* a task of another task definition (UpdateService taskDefinition) is replaced: the new tasks start
  first, then the old ones stop;
* each RUNNING task is registered in every target group of the service's loadBalancers whose target
  type it fits (ip: the ENI's IP and the container port; instance: the EC2 instance id and the host
  port) and deregistered when it stops or its target group leaves the service;
* runningCount = the RUNNING tasks, pendingCount 0, the PRIMARY deployment's counts, task definition
  and rolloutState (COMPLETED once running = desired) follow.

Stopped tasks keep their row in moto (lastStatus STOPPED, stoppedReason) as ECS shows them for a
while. A target's health is moto's (every registered target healthy) unless pinned through
`POST /strict-api/target-health` (`pin`). `ecsScheduler: false` in /strict-api/config switches this
off (moto's own fixed counts).
"""

import copy
import ipaddress
import logging
import threading
import uuid

import moto_state

log = logging.getLogger("strict-aws.scheduler")

HEALTH_STATES = {
    "initial": ("Elb.RegistrationInProgress", "Target registration is in progress"),
    "healthy": (None, None),
    "unhealthy": ("Target.FailedHealthChecks", "Health checks failed"),
    "unused": ("Target.NotInUse", "Target group is not configured to receive traffic from the load balancer"),
    "draining": ("Target.DeregistrationInProgress", "Target deregistration is in progress"),
    "unavailable": ("Elb.InternalError", "Health checks could not be performed"),
}


def _cluster_name(cluster: str | None) -> str:
    return (cluster or "default").split("/")[-1]


def _service_name(service: str | None) -> str:
    return (service or "").split("/")[-1]


class ServiceScheduler:
    """The tasks of ECS services in moto, and the health pins of targets."""

    def __init__(self):
        self.lock = threading.RLock()
        # (target group ARN, target id, port as str or None) -> pinned state
        self.pins: dict[tuple, str] = {}
        # task ARN -> [(target group ARN, target id, port)] registered for it
        self.registered: dict[str, list[tuple]] = {}
        # container instance ARN -> the next ephemeral host port (bridge tasks without hostPort)
        self.dynamic: dict[str, int] = {}

    def reset(self):
        with self.lock:
            self.pins.clear()
            self.registered.clear()
            self.dynamic.clear()

    # ------------------------------------------------------------------ health pins

    def pin(self, target_group_arn: str, target_id: str, port, state: str | None):
        """Pins a target's health (state None or "healthy": moto's answer again)."""
        key = (target_group_arn, target_id, None if port is None else str(port))
        with self.lock:
            if state is None or state == "healthy":
                self.pins.pop(key, None)
            else:
                self.pins[key] = state

    def pinned(self, target_group_arn: str, target_id: str, port) -> str | None:
        with self.lock:
            return self.pins.get((target_group_arn, target_id, str(port))) or self.pins.get(
                (target_group_arn, target_id, None)
            )

    def pins_list(self) -> list[dict]:
        with self.lock:
            return [
                {"targetGroupArn": k[0], "id": k[1], "port": k[2], "state": v}
                for k, v in sorted(self.pins.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2] or ""))
            ]

    def install_health_hook(self):
        """moto answers "healthy" for every registered target: a pinned one answers its pin."""
        from moto.elbv2.models import FakeTargetGroup

        original = FakeTargetGroup.health_for
        scheduler = self

        def health_for(tg, target, ec2_backend):
            status = original(tg, target, ec2_backend)
            if status.status == "healthy":
                state = scheduler.pinned(tg.arn, status.instance_id, status.port)
                if state is not None:
                    status.status = state
                    status.reason, status.description = HEALTH_STATES[state]
            return status

        FakeTargetGroup.health_for = health_for

    # ------------------------------------------------------------------ ListTasks

    def list_tasks(self, region: str, params: dict) -> list[str] | None:
        """ListTasks with serviceName, which moto ignores: the ARNs, or None to let moto answer."""
        if not params.get("serviceName"):
            return None
        backend = moto_state.ecs(region)
        cluster = _cluster_name(params.get("cluster"))
        if cluster not in backend.clusters:
            return None
        group = f"service:{_service_name(params['serviceName'])}"
        out = []
        for task in backend.tasks.get(cluster, {}).values():
            if task.group != group:
                continue
            if params.get("desiredStatus", "RUNNING") != task.desired_status:
                continue
            if params.get("startedBy") and params["startedBy"] != task.started_by:
                continue
            if params.get("launchType") and params["launchType"] != task.launch_type:
                continue
            out.append(task.task_arn)
        return out

    # ------------------------------------------------------------------ the scheduler

    def converge(self, region: str, cluster: str | None, service: str | None):
        """Brings the service's tasks and registrations to what ECS would run now."""
        backend = moto_state.ecs(region)
        cluster_name = _cluster_name(cluster)
        svc = backend.services.get(f"{cluster_name}:{_service_name(service)}")
        if svc is None:
            return
        with self.lock:
            self._converge(backend, region, cluster_name, svc)

    def _converge(self, backend, region, cluster_name, svc):
        group = f"service:{svc.name}"
        table = backend.tasks.setdefault(cluster_name, {})
        tasks = [t for t in table.values() if t.group == group and t.desired_status == "RUNNING"]
        want = int(svc.desired_count or 0) if svc.status == "ACTIVE" else 0
        td = moto_state.task_definition(region, svc.task_definition) if svc.task_definition else None
        primary = next((d for d in svc.deployments if d.get("status") == "PRIMARY"), None)
        if primary is not None and td is not None and primary.get("taskDefinition") != td.arn:
            # a new task definition is a new deployment
            from moto.moto_api._internal import mock_random
            from moto.core.utils import utcnow

            primary["id"] = f"ecs-svc/{mock_random.randint(0, 32**12)}"
            primary["taskDefinition"] = td.arn
            primary["createdAt"] = primary["updatedAt"] = utcnow()
        current = [t for t in tasks if td is not None and t.task_definition_arn == td.arn]
        stale = [t for t in tasks if t not in current]
        started_by = primary["id"] if primary else ""
        cluster = backend.clusters[cluster_name]
        while td is not None and len(current) < want:
            task = self._start(backend, region, cluster, svc, td, started_by, len(current))
            if task is None:
                break
            table[task.task_arn] = task
            current.append(task)
        for task in stale + current[want:]:
            self._stop(region, task, "Scaling activity initiated by (deployment %s)" % started_by)
        running = current[:want]
        for task in running:
            self._register(region, svc, task)
        svc.running_count = len(running)
        svc.pending_count = 0
        if primary is not None:
            primary["desiredCount"] = svc.desired_count
            primary["runningCount"] = len(running)
            primary["pendingCount"] = 0
            if len(running) >= want and primary.get("rolloutState") == "IN_PROGRESS":
                primary["rolloutState"] = "COMPLETED"
                primary["rolloutStateReason"] = f"ECS deployment {primary['id']} completed."

    def _start(self, backend, region, cluster, svc, td, started_by, index):
        from moto.ecs.models import Task

        awsvpc = (td.network_mode or "bridge") == "awsvpc"
        net = None
        instance_arn = None
        if awsvpc:
            conf = (svc.network_configuration or {}).get("awsvpcConfiguration") or {}
            subnets = list(conf.get("subnets") or [])
            if not subnets:
                log.info("service %s: awsvpc without subnets, no task started", svc.name)
                return None
            chosen = subnets[index % len(subnets)]
            net = {
                "awsvpcConfiguration": {
                    **conf,
                    "subnets": [chosen] + [s for s in subnets if s != chosen],
                    "securityGroups": conf.get("securityGroups") or [],
                }
            }
        else:
            instances = sorted(
                (
                    ci
                    for ci in backend.container_instances.get(cluster.name, {}).values()
                    if ci.status == "ACTIVE"
                ),
                key=lambda ci: ci.container_instance_arn,
            )
            if instances:
                instance_arn = instances[index % len(instances)].container_instance_arn
        tags = svc.tags if getattr(svc, "propagate_tags", "NONE") == "SERVICE" else []
        # moto's own awsvpc path needs an ENI attribute moto 5.2.5 lacks (private_dns_name): the
        # task is made as if it had no network of its own, and gets its ENI here
        view = copy.copy(td)
        view.network_mode = "none" if awsvpc else td.network_mode
        task = Task(
            cluster,
            view,
            instance_arn,
            None,
            backend,
            group=f"service:{svc.name}",
            launch_type=svc.launch_type or "",
            started_by=started_by,
            tags=list(tags or []),
            platform_version=svc.platform_version,
        )
        # moto walks a described task through DEACTIVATING ... STOPPED; a service's task runs
        task._transitions = []
        for c in task.containers:
            c.last_status = "RUNNING"
        if awsvpc:
            task.network_configuration = net
            if not self._attach_eni(region, task, net["awsvpcConfiguration"]):
                return None
        else:
            task.containers[0].network_bindings = self._bindings(td, instance_arn)
        return task

    def _bindings(self, td, instance_arn) -> list[dict]:
        """host: the container port; bridge: the mapping's hostPort, else a port of the ephemeral
        range (from 32768, one per binding and container instance, as the ECS agent hands out)."""
        out = []
        first = td.container_definitions[0] if td.container_definitions else {}
        for m in first.get("portMappings") or []:
            if m.get("containerPort") is None:
                continue
            host = m["containerPort"] if td.network_mode == "host" else m.get("hostPort")
            if not host:
                n = self.dynamic.get(instance_arn, 32768)
                self.dynamic[instance_arn] = n + 1
                host = n
            out.append(
                {
                    "bindIP": "0.0.0.0",
                    "containerPort": m["containerPort"],
                    "hostPort": host,
                    "protocol": m.get("protocol", "tcp"),
                }
            )
        return out

    @staticmethod
    def _attach_eni(region, task, conf) -> bool:
        """An ENI in the first of the subnets, at the lowest free address of the subnet's CIDR."""
        from moto.ec2.models import ec2_backends

        ec2 = ec2_backends[moto_state.ACCOUNT][region]
        subnet = ec2.get_subnet(conf["subnets"][0])
        net = ipaddress.ip_network(subnet.cidr_block)
        used = {e.private_ip_address for e in ec2.enis.values() if e.subnet is subnet}
        hosts = list(net.hosts())
        # .0 is no host; AWS keeps .1 to .3 and the last address of every subnet
        ip = next((str(h) for h in hosts[3:-1] if str(h) not in used), None)
        if ip is None:
            log.info("subnet %s is full: no task started", subnet.id)
            return False
        eni = ec2.create_network_interface(
            subnet=subnet,
            private_ip_address=ip,
            group_ids=list(conf.get("securityGroups") or []),
            description=f"arn:aws:ecs:{region}:{moto_state.ACCOUNT}:attachment/{task.id}",
        )
        eni.status = "in-use"
        eni.device_index = 0
        task.attachments.append(
            {
                "id": str(uuid.uuid4()),
                "type": "ElasticNetworkInterface",
                "status": "ATTACHED",
                "details": [
                    {"name": "subnetId", "value": subnet.id},
                    {"name": "networkInterfaceId", "value": eni.id},
                    {"name": "macAddress", "value": eni.mac_address},
                    {"name": "privateDnsName", "value": "ip-" + ip.replace(".", "-") + ".ec2.internal"},
                    {"name": "privateIPv4Address", "value": ip},
                ],
            }
        )
        return True

    def _targets(self, region, svc, task) -> list[tuple]:
        """(target group, id, port) the task belongs in, by the groups' target types."""
        out = []
        ip = next(
            (
                d["value"]
                for a in task.attachments
                for d in a.get("details", [])
                if d.get("name") == "privateIPv4Address"
            ),
            None,
        )
        instance_id = None
        if task.container_instance_arn:
            backend = moto_state.ecs(region)
            ci = backend.container_instances.get(task.cluster_name, {}).get(
                task.container_instance_arn.split("/")[-1]
            )
            instance_id = ci.ec2_instance_id if ci else None
        bindings = getattr(task.containers[0], "network_bindings", None) or []
        for lb in svc.load_balancers or []:
            arn = (lb or {}).get("targetGroupArn")
            port = (lb or {}).get("containerPort")
            if not arn or port is None:
                continue
            tg = moto_state.target_group(region, arn)
            if tg is None:
                continue
            if tg.target_type == "ip" and ip:
                out.append((arn, ip, int(port)))
            elif tg.target_type == "instance" and instance_id:
                host = next((b["hostPort"] for b in bindings if b["containerPort"] == int(port)), None)
                if host is not None:
                    out.append((arn, instance_id, int(host)))
        return out

    def _register(self, region, svc, task):
        wanted = self._targets(region, svc, task)
        had = self.registered.get(task.task_arn, [])
        for arn, tid, port in had:
            if (arn, tid, port) not in wanted:
                self._deregister(region, arn, tid, port)
        for arn, tid, port in wanted:
            if (arn, tid, port) not in had:
                tg = moto_state.target_group(region, arn)
                try:
                    tg.register([{"Id": tid, "Port": port}])
                except Exception as e:  # an instance that is not running: ECS would not place there
                    log.info("could not register %s:%s in %s: %s", tid, port, arn, e)
                    continue
        self.registered[task.task_arn] = wanted

    @staticmethod
    def _deregister(region, arn, tid, port):
        tg = moto_state.target_group(region, arn)
        if tg is None:
            return
        t = tg.targets.get(tid)
        if t is not None and str(t.get("Port")) == str(port):
            try:
                tg.deregister([{"Id": tid, "Port": port}])
            except Exception:
                pass

    def _stop(self, region, task, reason):
        for arn, tid, port in self.registered.pop(task.task_arn, []):
            self._deregister(region, arn, tid, port)
        task.desired_status = "STOPPED"
        task.last_status = "STOPPED"
        task.stopped_reason = reason
        for c in task.containers:
            c.last_status = "STOPPED"
        for a in task.attachments:
            eni_id = next((d["value"] for d in a.get("details", []) if d["name"] == "networkInterfaceId"), None)
            if eni_id:
                from moto.ec2.models import ec2_backends

                try:
                    ec2_backends[moto_state.ACCOUNT][region].delete_network_interface(eni_id)
                except Exception:
                    pass
