"""AWS behaviours no emulator has, each as AWS documents it (the ECS / ELBv2 / IAM API
references, whose text botocore carries in the models' documentation strings):

* CreateService idempotency by clientToken (same token + same parameters: the same service;
  another token for an existing service: "Creation of service was not idempotent.").
* UpdateService: a capacityProviderStrategy change (or a launch type <-> capacity provider switch)
  needs forceNewDeployment; CODE_DEPLOY / EXTERNAL services accept only a few fields.
* Batch limits: DescribeServices <= 10 services, DescribeTasks <= 100 tasks, ELBv2 DescribeTags
  <= 20 resources.
* ListTasks: startedBy must be the only filter ("When you specify startedBy as the filter, it must
  be the only filter that you use"; ECS answers "cannot specify startedBy with other arguments").
* Tags: at most 50 per resource (counting the existing ones), no `aws:` keys.
* Target groups: target type ip needs the awsvpc network mode, instance needs bridge / host.
* ELBv2 priorities: CreateRule / SetRulePriorities at a priority another rule of the listener
  holds is PriorityInUse; a swap inside one SetRulePriorities call is fine (moto refuses it).
* IAM propagation: a role younger than iamPropagationSeconds cannot be assumed.
* EventBridge Scheduler EcsParameters.Tags: the model says a list of string maps; Scheduler hands
  each to RunTask as an ECS Tag, so each map is {"key": K, "value": V} (value optional), as AWS's
  own clients (Terraform, the CDK) send them; any other map (e.g. {K: V}) is a ValidationException.
* ECS's service scheduler (scheduler.py): a service's tasks run, registered in its target groups;
  ListTasks filters by serviceName.
"""

import json
from dataclasses import dataclass

import moto_state
from protocol import AwsRequest
from scheduler import ServiceScheduler


class Refusal(Exception):
    """An AWS error answer: code, message, HTTP status."""

    def __init__(self, code: str, message: str, status: int = 400):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


@dataclass
class Respond:
    """Answer the call without moto (a JSON body)."""

    body: dict


def _cluster_name(cluster: str | None) -> str:
    return (cluster or "default").split("/")[-1]


def _service_name(service: str | None) -> str:
    return (service or "").split("/")[-1]


def _norm_strategy(items) -> list:
    return sorted(
        (i.get("capacityProvider"), int(i.get("weight") or 0), int(i.get("base") or 0))
        for i in (items or [])
        if isinstance(i, dict)
    )


def _fingerprint(params: dict) -> str:
    return json.dumps({k: v for k, v in params.items() if k != "clientToken"}, sort_keys=True)


_ALLOWED_UPDATES = {
    "CODE_DEPLOY": {
        "desiredCount",
        "deploymentConfiguration",
        "healthCheckGracePeriodSeconds",
        "placementConstraints",
        "placementStrategy",
        "enableECSManagedTags",
        "propagateTags",
    },
    "EXTERNAL": {
        "desiredCount",
        "placementConstraints",
        "placementStrategy",
        "healthCheckGracePeriodSeconds",
        "enableECSManagedTags",
        "propagateTags",
    },
}


class Behaviours:
    """The switches' state: client tokens, services' capacity settings, the call counter."""

    def __init__(self, state):
        self.state = state
        # (region, cluster name, token) -> (service name, fingerprint)
        self.tokens: dict[tuple, tuple[str, str]] = {}
        # (region, cluster name, service name) -> {"strategy": [...], "launchType": str|None}
        self.capacity: dict[tuple, dict] = {}
        # id(request) -> [(rule, priority)] of a SetRulePriorities in flight (parked rules)
        self.parked: dict[int, list] = {}
        self.scheduler = ServiceScheduler()

    def reset(self):
        self.tokens.clear()
        self.capacity.clear()
        self.scheduler.reset()

    def _scheduling(self) -> bool:
        return bool(self.state.config.get("ecsScheduler", True))

    # ---------------------------------------------------------------------- before moto

    def before(self, req: AwsRequest, describe_service):
        """Raises Refusal, returns Respond, or None to let moto answer."""
        fn = getattr(self, f"_{req.service.replace('-', '_')}_{req.operation}", None)
        self._tags(req)
        if fn is not None:
            return fn(req, describe_service)
        return None

    def _scheduler_CreateSchedule(self, req: AwsRequest, _):
        self._schedule_tags(req)

    def _scheduler_UpdateSchedule(self, req: AwsRequest, _):
        self._schedule_tags(req)

    def _schedule_tags(self, req: AwsRequest):
        """Each EcsParameters tag becomes a RunTask Tag: a map of "key" and an optional "value"."""
        ecs = ((req.params.get("Target") or {}).get("EcsParameters")) or {}
        for i, tag in enumerate(ecs.get("Tags") or [], 1):
            if not isinstance(tag, dict) or "key" not in tag or not set(tag) <= {"key", "value"}:
                raise Refusal(
                    "ValidationException",
                    f"Target.EcsParameters.Tags.{i}: each tag is a map of \"key\" and an optional"
                    f" \"value\" (a RunTask Tag), got {json.dumps(tag)}",
                )

    def _ecs_CreateService(self, req: AwsRequest, describe_service):
        p = req.params
        cluster = _cluster_name(p.get("cluster"))
        name = p.get("serviceName", "")
        token = p.get("clientToken")
        if token is not None and not (
            1 <= len(token) <= 36 and all(33 <= ord(c) <= 126 for c in token)
        ):
            raise Refusal(
                "InvalidParameterException",
                "clientToken: up to 36 ASCII characters in the range of 33-126 (inclusive) are allowed.",
            )
        existing = moto_state.service(req.region, cluster, name)
        if token is not None:
            remembered = self.tokens.get((req.region, cluster, token))
            if remembered is not None:
                if remembered == (name, _fingerprint(p)):
                    return Respond({"service": describe_service(req, cluster, name)})
                raise Refusal("InvalidParameterException", "Creation of service was not idempotent.")
        if existing is not None and existing.status in ("ACTIVE", "DRAINING"):
            raise Refusal("InvalidParameterException", "Creation of service was not idempotent.")
        self._target_types(req, p.get("taskDefinition"), p.get("loadBalancers"))
        self._young_task_role(req, p.get("taskDefinition"))
        return None

    def _ecs_UpdateService(self, req: AwsRequest, describe_service):
        p = req.params
        cluster = _cluster_name(p.get("cluster"))
        svc = moto_state.service(req.region, cluster, p.get("service", ""))
        if svc is None:
            return None  # moto answers ServiceNotFoundException
        controller = (svc.deployment_controller or {}).get("type", "ECS")
        allowed = _ALLOWED_UPDATES.get(controller)
        if allowed is not None:
            for field, value in p.items():
                if field in ("cluster", "service", "forceNewDeployment") or value is None:
                    continue
                if field not in allowed:
                    if field == "taskDefinition" and controller == "CODE_DEPLOY":
                        raise Refusal(
                            "InvalidParameterException",
                            "Unable to update task definition on services with a CODE_DEPLOY "
                            "deployment controller. Use AWS CodeDeploy to trigger a new deployment.",
                        )
                    if field == "taskDefinition":
                        raise Refusal(
                            "InvalidParameterException",
                            "Unable to update task definition on services with a EXTERNAL "
                            "deployment controller. Create a new task set instead.",
                        )
                    raise Refusal(
                        "InvalidParameterException",
                        f"Unable to update {field} on services with a {controller} deployment controller.",
                    )
        if "capacityProviderStrategy" in p and not p.get("forceNewDeployment"):
            key = (req.region, cluster, svc.name)
            current = self.capacity.get(key, {"strategy": [], "launchType": svc.launch_type})
            if _norm_strategy(p["capacityProviderStrategy"]) != _norm_strategy(current["strategy"]):
                raise Refusal(
                    "InvalidParameterException",
                    "When switching from launch type to capacity provider strategy on an existing "
                    "service, or making a change to a capacity provider strategy on a service that "
                    "is already using one, you must force a new deployment.",
                )
        td = p.get("taskDefinition") or svc.task_definition
        if p.get("loadBalancers") is not None or p.get("taskDefinition"):
            lbs = p.get("loadBalancers") if p.get("loadBalancers") is not None else svc.load_balancers
            self._target_types(req, td, lbs)
        if p.get("taskDefinition"):
            self._young_task_role(req, td)
        return None

    def _ecs_DescribeServices(self, req: AwsRequest, _):
        if len(req.params.get("services") or []) > 10:
            raise Refusal(
                "InvalidParameterException",
                "You may specify up to 10 services to describe in a single operation.",
            )
        return None

    def _ecs_DescribeTasks(self, req: AwsRequest, _):
        if len(req.params.get("tasks") or []) > 100:
            raise Refusal(
                "InvalidParameterException",
                "You may specify up to 100 tasks to describe in a single operation.",
            )
        return None

    def _ecs_ListTasks(self, req: AwsRequest, _):
        p = req.params
        others = ("containerInstance", "family", "serviceName", "desiredStatus", "launchType")
        if p.get("startedBy") and any(p.get(k) for k in others):
            raise Refusal(
                "InvalidParameterException", "cannot specify startedBy with other arguments"
            )
        if not self._scheduling():
            return None
        arns = self.scheduler.list_tasks(req.region, req.params)
        return None if arns is None else Respond({"taskArns": arns})

    def _elbv2_DescribeTags(self, req: AwsRequest, _):
        arns = req.params.get("ResourceArns") or []
        if len(arns) > 20:
            raise Refusal(
                "ValidationError",
                f"1 validation error detected: Value '[{', '.join(arns)}]' at 'resourceArns' failed "
                "to satisfy constraint: Member must have length less than or equal to 20",
            )
        return None

    def _elbv2_CreateRule(self, req: AwsRequest, _):
        p = req.params
        for r in moto_state.listener_rules(req.region, p.get("ListenerArn", "")):
            if str(r.priority) == str(p.get("Priority")):
                raise Refusal("PriorityInUse", f"Priority '{p.get('Priority')}' is currently in use")
        return None

    def _elbv2_SetRulePriorities(self, req: AwsRequest, _):
        items = req.params.get("RulePriorities") or []
        moving = {i.get("RuleArn") for i in items}
        found = []
        for i in items:
            listener, rule = moto_state.rule(req.region, i.get("RuleArn", ""))
            if rule is None:
                return None  # moto answers RuleNotFound
            for other in listener.rules.values():
                if other.arn not in moving and str(other.priority) == str(i.get("Priority")):
                    raise Refusal("PriorityInUse", f"Priority '{i.get('Priority')}' is currently in use")
            found.append(rule)
        targets = [str(i.get("Priority")) for i in items]
        if len(set(targets)) != len(targets):
            raise Refusal("PriorityInUse", "A priority is given to more than one rule")
        # moto checks each new priority against the listener's current ones, so a swap fails
        # there; park the moving rules on priorities no request can name first.
        # (put back in after() should moto refuse the call for another reason)
        self.parked[id(req)] = [(rule, rule.priority) for rule in found]
        for n, rule in enumerate(found, 1):
            rule.priority = -n
        return None

    def _sts_AssumeRole(self, req: AwsRequest, _):
        self._young_role_assumed(req.params.get("RoleArn", ""), sts=True)
        return None

    # ---------------------------------------------------------------------- rules shared

    def _target_types(self, req: AwsRequest, td_ref, load_balancers):
        if not td_ref:
            return
        td = moto_state.task_definition(req.region, td_ref)
        if td is None:
            return
        mode = td.network_mode or "bridge"
        for lb in load_balancers or []:
            arn = (lb or {}).get("targetGroupArn")
            if not arn:
                continue
            tg = moto_state.target_group(req.region, arn)
            if tg is None:
                continue
            tt = tg.target_type or "instance"
            if (tt == "ip" and mode != "awsvpc") or (tt == "instance" and mode not in ("bridge", "host")):
                raise Refusal(
                    "InvalidParameterException",
                    f"The provided target group {arn} has target type {tt}, which is incompatible "
                    f"with the {mode} network mode specified in the task definition.",
                )

    def _young_task_role(self, req: AwsRequest, td_ref):
        if not td_ref:
            return
        td = moto_state.task_definition(req.region, td_ref)
        role_arn = getattr(td, "task_role_arn", None) if td else None
        if role_arn:
            self._young_role_assumed(role_arn, sts=False)

    def _young_role_assumed(self, role_arn: str, sts: bool):
        seconds = int(self.state.config.get("iamPropagationSeconds") or 0)
        if seconds <= 0 or not role_arn:
            return
        r = moto_state.role_by_arn(role_arn)
        if r is None:
            return
        from moto.core.utils import utcnow

        age = (utcnow() - r.create_date).total_seconds()
        if age >= seconds:
            return
        if sts:
            raise Refusal(
                "AccessDenied",
                f"User: {self.state.current_principal_arn()} is not authorized to perform: "
                f"sts:AssumeRole on resource: {role_arn}",
                403,
            )
        raise Refusal(
            "InvalidParameterException",
            f"ECS was unable to assume the role '{role_arn}' that was provided for this task. "
            "Please verify that the role being passed has the proper trust relationship and "
            "permissions and that your IAM user has permissions to pass this role.",
        )

    def _tags(self, req: AwsRequest):
        """The 50-tag limit (with the resource's existing tags) and the reserved `aws:` prefix."""
        s, op, p = req.service, req.operation, req.params
        if s == "ecs" and op in ("CreateService", "RegisterTaskDefinition", "CreateCluster", "TagResource"):
            keys = [t.get("key") for t in p.get("tags") or [] if isinstance(t, dict)]
            existing = (
                set(moto_state.resource_tags(p.get("resourceArn", ""), req.region))
                if op == "TagResource"
                else set()
            )
            for k in keys:
                if isinstance(k, str) and k.lower().startswith("aws:"):
                    raise Refusal(
                        "InvalidParameterException",
                        f"Tag key '{k}' is invalid: the aws: prefix is reserved for AWS use.",
                    )
            if len(existing | set(keys)) > 50:
                raise Refusal(
                    "InvalidParameterException",
                    "The resource would have more than 50 tags; at most 50 tags are allowed per resource.",
                )
        if s == "elbv2" and op in ("CreateTargetGroup", "CreateRule", "CreateLoadBalancer", "CreateListener", "AddTags"):
            keys = [t.get("Key") for t in p.get("Tags") or [] if isinstance(t, dict)]
            for k in keys:
                if isinstance(k, str) and k.lower().startswith("aws:"):
                    raise Refusal("ValidationError", f"Tag key '{k}' cannot start with the reserved prefix 'aws:'")
            arns = p.get("ResourceArns") or [None] if op == "AddTags" else [None]
            for arn in arns:
                existing = set(moto_state.resource_tags(arn, req.region)) if arn else set()
                if len(existing | set(keys)) > 50:
                    raise Refusal(
                        "TooManyTags",
                        "The quota for the number of tags that can be assigned to a resource has been reached.",
                    )
        if s == "iam" and op in ("CreateRole", "TagRole"):
            keys = [t.get("Key") for t in p.get("Tags") or [] if isinstance(t, dict)]
            for k in keys:
                if isinstance(k, str) and k.lower().startswith("aws:"):
                    raise Refusal("InvalidInput", f"The tag key '{k}' cannot start with the reserved prefix 'aws:'.")
            existing = set()
            if op == "TagRole":
                r = moto_state.role(p.get("RoleName", ""))
                existing = set(moto_state.role_tags(r)) if r else set()
            if len(existing | set(keys)) > 50:
                raise Refusal("LimitExceeded", "The number of tags has reached the maximum limit.", 409)

    # ---------------------------------------------------------------------- after moto

    def after(self, req: AwsRequest, status: int, body: bytes):
        parked = self.parked.pop(id(req), [])
        if status >= 300:
            for rule, priority in parked:
                rule.priority = priority
        if status >= 300 or req.service != "ecs":
            return
        p = req.params
        cluster = _cluster_name(p.get("cluster"))
        if req.operation == "CreateService":
            name = p.get("serviceName", "")
            if p.get("clientToken"):
                self.tokens[(req.region, cluster, p["clientToken"])] = (name, _fingerprint(p))
            self.capacity[(req.region, cluster, name)] = {
                "strategy": p.get("capacityProviderStrategy") or [],
                "launchType": p.get("launchType"),
            }
        elif req.operation == "UpdateService" and "capacityProviderStrategy" in p:
            self.capacity[(req.region, cluster, _service_name(p.get("service")))] = {
                "strategy": p.get("capacityProviderStrategy") or [],
                "launchType": None,
            }
        if req.operation in ("CreateService", "UpdateService", "DeleteService") and self._scheduling():
            name = p.get("serviceName") if req.operation == "CreateService" else p.get("service")
            self.scheduler.converge(req.region, cluster, name)
