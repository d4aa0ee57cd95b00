"""What IAM authorises for each API call: the action, the resource ARN, the request context keys
(iam:PermissionsBoundary, iam:PolicyARN, iam:PassedToService, iam:AWSServiceName,
aws:RequestTag/*, aws:TagKeys, aws:ResourceTag/*, ecs:cluster, sts:ExternalId), and the implicit
authorisations a call carries (iam:PassRole of a role it hands to a service, the CloudWatch alarm
actions of target tracking).

An operation missing here is unknown to the layer: denied for restricted principals, so a new SDK
call in the operator shows up in /strict-api/refusals instead of passing unchecked.
"""

from dataclasses import dataclass, field

import moto_state
from protocol import AwsRequest


@dataclass
class Authorization:
    action: str
    resource: str
    context: dict = field(default_factory=dict)


def _tags_ctx(tags: dict[str, str]) -> dict:
    ctx = {f"aws:RequestTag/{k}": v for k, v in tags.items()}
    if tags:
        ctx["aws:TagKeys"] = list(tags.keys())
    return ctx


def _resource_tag_ctx(arn: str, region: str) -> dict:
    return {f"aws:ResourceTag/{k}": v for k, v in moto_state.resource_tags(arn, region).items()}


def _kv_tags(tags, key="key", value="value") -> dict[str, str]:
    out = {}
    for t in tags or []:
        if isinstance(t, dict) and key in t:
            out[t[key]] = t.get(value, "")
    return out


# ------------------------------------------------------------------------------------- ECS

_ECS_STAR = {
    "RegisterTaskDefinition",
    "DeregisterTaskDefinition",
    "DeleteTaskDefinitions",
    "DescribeTaskDefinition",
    "ListTaskDefinitions",
    "ListTaskDefinitionFamilies",
    "ListClusters",
    "ListServices",
    "ListAccountSettings",
    "DescribeCapacityProviders",
}


def _ecs_cluster_arn(region, account, cluster):
    cluster = cluster or "default"
    if cluster.startswith("arn:"):
        return cluster
    return f"arn:aws:ecs:{region}:{account}:cluster/{cluster}"


def _ecs_service_arn(region, account, cluster, service):
    if service.startswith("arn:"):
        return service
    name = (cluster or "default").split("/")[-1]
    return f"arn:aws:ecs:{region}:{account}:service/{name}/{service}"


def _ecs_tag_on_create(op: str, arn: str, tags) -> list[Authorization]:
    """A create call with tags is also ecs:TagResource, with ecs:CreateAction (tag on create)."""
    kv = _kv_tags(tags)
    if not kv:
        return []
    return [Authorization("ecs:TagResource", arn, {**_tags_ctx(kv), "ecs:CreateAction": op})]


def _elbv2_tag_on_create(op: str, arn: str, tags) -> list[Authorization]:
    """A create call with tags is also elasticloadbalancing:AddTags, with its CreateAction."""
    kv = _kv_tags(tags, "Key", "Value")
    if not kv:
        return []
    return [
        Authorization(
            "elasticloadbalancing:AddTags",
            arn,
            {**_tags_ctx(kv), "elasticloadbalancing:CreateAction": op},
        )
    ]


def _ecs(req: AwsRequest, account: str) -> list[Authorization] | None:
    p, op, region = req.params, req.operation, req.region
    a = f"ecs:{op}"
    cluster = p.get("cluster")
    cluster_ctx = {"ecs:cluster": _ecs_cluster_arn(region, account, cluster)}
    out: list[Authorization]
    if op in _ECS_STAR:
        ctx = _tags_ctx(_kv_tags(p.get("tags"))) if op == "RegisterTaskDefinition" else {}
        out = [Authorization(a, "*", ctx)]
        if op == "RegisterTaskDefinition":
            for key in ("taskRoleArn", "executionRoleArn"):
                if p.get(key):
                    out.append(_pass_role(p[key], "ecs-tasks.amazonaws.com"))
            family = f"arn:aws:ecs:{region}:{account}:task-definition/{p.get('family', '')}:*"
            out += _ecs_tag_on_create(op, family, p.get("tags"))
        return out
    if op == "CreateCluster":
        name = p.get("clusterName", "default")
        arn = _ecs_cluster_arn(region, account, name)
        return [Authorization(a, arn, _tags_ctx(_kv_tags(p.get("tags"))))] + _ecs_tag_on_create(
            op, arn, p.get("tags")
        )
    if op in ("DescribeClusters",):
        return [Authorization(a, "*")]
    if op in ("DeleteCluster", "UpdateCluster", "PutClusterCapacityProviders"):
        arn = _ecs_cluster_arn(region, account, cluster)
        return [Authorization(a, arn, _resource_tag_ctx(arn, region))]
    if op == "CreateService":
        arn = _ecs_service_arn(region, account, cluster, p.get("serviceName", ""))
        ctx = {**cluster_ctx, **_tags_ctx(_kv_tags(p.get("tags")))}
        out = [Authorization(a, arn, ctx)] + _ecs_tag_on_create(op, arn, p.get("tags"))
        if p.get("role"):
            out.append(_pass_role(p["role"], "ecs.amazonaws.com"))
        for vc in p.get("volumeConfigurations") or []:
            rarn = ((vc or {}).get("managedEBSVolume") or {}).get("roleArn")
            if rarn:
                out.append(_pass_role(rarn, "ecs.amazonaws.com"))
        return out
    if op in ("UpdateService", "DeleteService"):
        arn = _ecs_service_arn(region, account, cluster, p.get("service", ""))
        out = [Authorization(a, arn, {**cluster_ctx, **_resource_tag_ctx(arn, region)})]
        for vc in p.get("volumeConfigurations") or []:
            rarn = ((vc or {}).get("managedEBSVolume") or {}).get("roleArn")
            if rarn:
                out.append(_pass_role(rarn, "ecs.amazonaws.com"))
        return out
    if op == "DescribeServices":
        return [
            Authorization(a, _ecs_service_arn(region, account, cluster, s), cluster_ctx)
            for s in (p.get("services") or [])
        ] or [Authorization(a, "*", cluster_ctx)]
    if op in ("TagResource", "UntagResource", "ListTagsForResource"):
        arn = p.get("resourceArn", "*")
        ctx = _resource_tag_ctx(arn, region)
        if op == "TagResource":
            ctx.update(_tags_ctx(_kv_tags(p.get("tags"))))
        if op == "UntagResource" and p.get("tagKeys"):
            ctx["aws:TagKeys"] = list(p["tagKeys"])
        return [Authorization(a, arn, ctx)]
    if op in ("ListTasks", "DescribeTasks", "DescribeContainerInstances", "ListContainerInstances"):
        return [Authorization(a, "*", cluster_ctx)]
    if op == "RunTask":
        # the task definition is RunTask's resource; tags on the new tasks are also
        # ecs:TagResource with ecs:CreateAction RunTask (tag on create)
        td = p.get("taskDefinition", "")
        if not td.startswith("arn:"):
            td = f"arn:aws:ecs:{region}:{account}:task-definition/{td}"
        ctx = {**cluster_ctx, **_tags_ctx(_kv_tags(p.get("tags")))}
        tasks = f"arn:aws:ecs:{region}:{account}:task/*"
        return [Authorization(a, td, ctx)] + _ecs_tag_on_create(op, tasks, p.get("tags"))
    if op == "StopTask":
        arn = p.get("task", "*")
        return [Authorization(a, arn, {**cluster_ctx, **_resource_tag_ctx(arn, region)})]
    return None


# ------------------------------------------------------------------------------------- ELBv2


def _elbv2(req: AwsRequest, account: str) -> list[Authorization] | None:
    p, op, region = req.params, req.operation, req.region
    a = f"elasticloadbalancing:{op}"
    if op.startswith("Describe"):
        return [Authorization(a, "*")]
    if op == "CreateTargetGroup":
        arn = f"arn:aws:elasticloadbalancing:{region}:{account}:targetgroup/{p.get('Name', '')}/*"
        return [
            Authorization(a, arn, _tags_ctx(_kv_tags(p.get("Tags"), "Key", "Value")))
        ] + _elbv2_tag_on_create(op, arn, p.get("Tags"))
    if op in (
        "DeleteTargetGroup",
        "ModifyTargetGroup",
        "ModifyTargetGroupAttributes",
        "RegisterTargets",
        "DeregisterTargets",
    ):
        arn = p.get("TargetGroupArn", "*")
        return [Authorization(a, arn, _resource_tag_ctx(arn, region))]
    if op == "CreateRule":
        arn = p.get("ListenerArn", "*")
        ctx = {**_resource_tag_ctx(arn, region), **_tags_ctx(_kv_tags(p.get("Tags"), "Key", "Value"))}
        rules = f"arn:aws:elasticloadbalancing:{region}:{account}:listener-rule/*"
        return [Authorization(a, arn, ctx)] + _elbv2_tag_on_create(op, rules, p.get("Tags"))
    if op in ("DeleteRule", "ModifyRule"):
        arn = p.get("RuleArn", "*")
        return [Authorization(a, arn, _resource_tag_ctx(arn, region))]
    if op == "SetRulePriorities":
        return [
            Authorization(a, rp.get("RuleArn", "*"), _resource_tag_ctx(rp.get("RuleArn", ""), region))
            for rp in p.get("RulePriorities") or []
        ] or [Authorization(a, "*")]
    if op in ("AddTags", "RemoveTags"):
        out = []
        for arn in p.get("ResourceArns") or []:
            ctx = _resource_tag_ctx(arn, region)
            if op == "AddTags":
                ctx.update(_tags_ctx(_kv_tags(p.get("Tags"), "Key", "Value")))
            elif p.get("TagKeys"):
                ctx["aws:TagKeys"] = list(p["TagKeys"])
            out.append(Authorization(a, arn, ctx))
        return out or [Authorization(a, "*")]
    if op in ("CreateListener",):
        return [Authorization(a, p.get("LoadBalancerArn", "*"))]
    if op in ("ModifyListener", "DeleteListener"):
        return [Authorization(a, p.get("ListenerArn", "*"))]
    return None


# ------------------------------------------------------------------------------------- IAM

_ROLE_OPS = {
    "DeleteRole",
    "GetRole",
    "TagRole",
    "UntagRole",
    "PutRolePolicy",
    "DeleteRolePolicy",
    "ListRolePolicies",
    "AttachRolePolicy",
    "DetachRolePolicy",
    "ListAttachedRolePolicies",
    "UpdateAssumeRolePolicy",
    "PutRolePermissionsBoundary",
    "DeleteRolePermissionsBoundary",
    "GetRolePolicy",
    "UpdateRole",
    "UpdateRoleDescription",
    "ListRoleTags",
    "ListInstanceProfilesForRole",
}

# Roles whose permissions boundary is a context key of the call (the role's current one, except
# where the request itself sets a new boundary).
_BOUNDARY_CTX_OPS = {
    "AttachRolePolicy",
    "DetachRolePolicy",
    "PutRolePolicy",
    "DeleteRolePolicy",
    "DeleteRolePermissionsBoundary",
}

_SERVICE_LINKED_ROLE_NAMES = {
    "ecs.amazonaws.com": "AWSServiceRoleForECS",
    "ecs.application-autoscaling.amazonaws.com": "AWSServiceRoleForApplicationAutoScaling_ECSService",
    "elasticloadbalancing.amazonaws.com": "AWSServiceRoleForElasticLoadBalancing",
    "eks.amazonaws.com": "AWSServiceRoleForAmazonEKS",
}


def _iam(req: AwsRequest, account: str) -> list[Authorization] | None:
    p, op = req.params, req.operation
    a = f"iam:{op}"
    if op == "CreateRole":
        path = p.get("Path") or "/"
        arn = f"arn:aws:iam::{account}:role{path}{p.get('RoleName', '')}"
        ctx = _tags_ctx(_kv_tags(p.get("Tags"), "Key", "Value"))
        if p.get("PermissionsBoundary"):
            ctx["iam:PermissionsBoundary"] = p["PermissionsBoundary"]
        out = [Authorization(a, arn, ctx)]
        tags = _kv_tags(p.get("Tags"), "Key", "Value")
        if tags:
            # tagging a role on create also needs iam:TagRole
            out.append(Authorization("iam:TagRole", arn, _tags_ctx(tags)))
        return out
    if op in _ROLE_OPS:
        name = p.get("RoleName", "")
        arn = moto_state.role_arn_for(name, account)
        ctx = _resource_tag_ctx(arn, req.region)
        if op == "PutRolePermissionsBoundary" and p.get("PermissionsBoundary"):
            ctx["iam:PermissionsBoundary"] = p["PermissionsBoundary"]
        elif op in _BOUNDARY_CTX_OPS:
            r = moto_state.role(name)
            if r is not None and getattr(r, "permissions_boundary_arn", None):
                ctx["iam:PermissionsBoundary"] = r.permissions_boundary_arn
        if op in ("AttachRolePolicy", "DetachRolePolicy") and p.get("PolicyArn"):
            ctx["iam:PolicyARN"] = p["PolicyArn"]
        if op == "TagRole":
            ctx.update(_tags_ctx(_kv_tags(p.get("Tags"), "Key", "Value")))
        if op == "UntagRole" and p.get("TagKeys"):
            ctx["aws:TagKeys"] = list(p["TagKeys"])
        return [Authorization(a, arn, ctx)]
    if op == "CreateServiceLinkedRole":
        svc = p.get("AWSServiceName", "")
        name = _SERVICE_LINKED_ROLE_NAMES.get(svc, f"AWSServiceRoleFor{svc.split('.')[0].upper()}")
        arn = f"arn:aws:iam::{account}:role/aws-service-role/{svc}/{name}"
        return [Authorization(a, arn, {"iam:AWSServiceName": svc})]
    if op in ("ListRoles", "ListPolicies", "GetAccountSummary"):
        return [Authorization(a, "*")]
    if op in ("GetPolicy", "GetPolicyVersion", "ListPolicyVersions", "ListEntitiesForPolicy"):
        return [Authorization(a, p.get("PolicyArn", "*"))]
    if op in ("CreateUser", "DeleteUser", "GetUser", "CreateAccessKey"):
        return [Authorization(a, f"arn:aws:iam::{account}:user/{p.get('UserName', '')}")]
    if op == "CreatePolicy":
        return [Authorization(a, f"arn:aws:iam::{account}:policy{p.get('Path') or '/'}{p.get('PolicyName', '')}")]
    return None


def _pass_role(role_arn: str, service: str) -> Authorization:
    return Authorization("iam:PassRole", role_arn, {"iam:PassedToService": service})


# ------------------------------------------------------------------------------------- others


def _sts(req: AwsRequest, account: str) -> list[Authorization] | None:
    p, op = req.params, req.operation
    if op == "AssumeRole":
        ctx = {}
        if p.get("ExternalId") is not None:
            ctx["sts:ExternalId"] = p["ExternalId"]
        if p.get("RoleSessionName"):
            ctx["sts:RoleSessionName"] = p["RoleSessionName"]
        return [Authorization("sts:AssumeRole", p.get("RoleArn", "*"), ctx)]
    if op == "GetCallerIdentity":
        return []  # always allowed: needs no permission
    return None


def _autoscaling(req: AwsRequest, account: str) -> list[Authorization] | None:
    p, op, region = req.params, req.operation, req.region
    a = f"application-autoscaling:{op}"
    known = {
        "RegisterScalableTarget",
        "DeregisterScalableTarget",
        "DescribeScalableTargets",
        "PutScalingPolicy",
        "DeleteScalingPolicy",
        "DescribeScalingPolicies",
        "DescribeScalingActivities",
        "TagResource",
        "UntagResource",
        "ListTagsForResource",
    }
    if op not in known:
        return None
    ctx = _tags_ctx(p.get("Tags") or {}) if op == "RegisterScalableTarget" else {}
    out = [Authorization(a, "*", ctx)]
    alarms = f"arn:aws:cloudwatch:{region}:{account}:alarm:TargetTracking-{p.get('ResourceId', '')}-*"
    if op == "PutScalingPolicy" and p.get("PolicyType", "StepScaling") == "TargetTrackingScaling":
        out.append(Authorization("cloudwatch:PutMetricAlarm", alarms))
        out.append(Authorization("cloudwatch:DescribeAlarms", "*"))
    if op == "DeleteScalingPolicy":
        out.append(Authorization("cloudwatch:DeleteAlarms", alarms))
        out.append(Authorization("cloudwatch:DescribeAlarms", "*"))
    return out


def _ec2(req: AwsRequest, account: str) -> list[Authorization] | None:
    if req.operation.startswith("Describe"):
        return [Authorization(f"ec2:{req.operation}", "*")]
    return None


def _eks(req: AwsRequest, account: str) -> list[Authorization] | None:
    p, op, region = req.params, req.operation, req.region
    a = f"eks:{op}"
    cluster = f"arn:aws:eks:{region}:{account}:cluster/{p.get('clusterName', '')}"
    if op == "CreatePodIdentityAssociation":
        out = [Authorization(a, cluster, _tags_ctx(p.get("tags") or {}))]
        if p.get("roleArn"):
            out.append(_pass_role(p["roleArn"], "pods.eks.amazonaws.com"))
        return out
    if op == "UpdatePodIdentityAssociation":
        out = [Authorization(a, "*")]
        if p.get("roleArn"):
            out.append(_pass_role(p["roleArn"], "pods.eks.amazonaws.com"))
        return out
    if op in ("DeletePodIdentityAssociation", "DescribePodIdentityAssociation"):
        return [Authorization(a, "*")]
    if op in ("ListPodIdentityAssociations", "DescribeCluster"):
        return [Authorization(a, cluster)]
    return None


def _scheduler(req: AwsRequest, account: str) -> list[Authorization] | None:
    """EventBridge Scheduler: schedules are resources of their group (schedules take no tags; groups
    do); a schedule's target role is passed to scheduler.amazonaws.com."""
    p, op, region = req.params, req.operation, req.region
    a = f"scheduler:{op}"
    base = f"arn:aws:scheduler:{region}:{account}"
    if op in ("CreateSchedule", "UpdateSchedule", "GetSchedule", "DeleteSchedule"):
        arn = f"{base}:schedule/{p.get('GroupName') or 'default'}/{p.get('Name', '')}"
        out = [Authorization(a, arn)]
        role = (p.get("Target") or {}).get("RoleArn")
        if op in ("CreateSchedule", "UpdateSchedule") and role:
            out.append(_pass_role(role, "scheduler.amazonaws.com"))
        return out
    if op in ("CreateScheduleGroup", "GetScheduleGroup", "DeleteScheduleGroup"):
        arn = f"{base}:schedule-group/{p.get('Name', '')}"
        ctx = _tags_ctx(_kv_tags(p.get("Tags"), "Key", "Value")) if op == "CreateScheduleGroup" else {}
        return [Authorization(a, arn, ctx)]
    if op in ("ListSchedules", "ListScheduleGroups"):
        return [Authorization(a, "*")]
    if op in ("TagResource", "UntagResource", "ListTagsForResource"):
        arn = p.get("ResourceArn", "*")
        ctx = _tags_ctx(_kv_tags(p.get("Tags"), "Key", "Value")) if op == "TagResource" else {}
        return [Authorization(a, arn, ctx)]
    return None


_BY_SERVICE = {
    "ecs": _ecs,
    "elbv2": _elbv2,
    "iam": _iam,
    "sts": _sts,
    "application-autoscaling": _autoscaling,
    "ec2": _ec2,
    "eks": _eks,
    "scheduler": _scheduler,
}


def authorizations(req: AwsRequest, account: str) -> list[Authorization] | None:
    """Everything IAM checks for `req` (the call's own action first), or None when unknown."""
    fn = _BY_SERVICE.get(req.service)
    return fn(req, account) if fn else None
