"""Read-only look-ups in moto's in-process backends: what the policy evaluator and the behaviour
switches need to know about existing resources (roles, tags, task definitions, target groups)."""

import json
from urllib.parse import unquote

from moto.core.models import DEFAULT_ACCOUNT_ID

ACCOUNT = DEFAULT_ACCOUNT_ID


def _iam(account=ACCOUNT):
    from moto.iam.models import iam_backends

    return iam_backends[account]["aws"]


def _sts(account=ACCOUNT):
    from moto.sts.models import sts_backends

    return sts_backends[account]["aws"]


def ecs(region, account=ACCOUNT):
    from moto.ecs.models import ecs_backends

    return ecs_backends[account][region]


def elbv2(region, account=ACCOUNT):
    from moto.elbv2.models import elbv2_backends

    return elbv2_backends[account][region]


def parse_doc(doc) -> dict:
    if isinstance(doc, dict):
        return doc
    if not doc:
        return {}
    try:
        return json.loads(doc)
    except ValueError:
        try:
            return json.loads(unquote(doc))
        except ValueError:
            return {}


# ------------------------------------------------------------------ IAM


def role(name: str):
    try:
        return _iam().get_role(name)
    except Exception:
        return None


def role_by_arn(arn: str):
    try:
        return _iam().get_role_by_arn(arn)
    except Exception:
        return None


def role_arn_for(name: str, account=ACCOUNT) -> str:
    """The ARN IAM authorises an action on role `name` against: with the role's path when the
    role exists, else the path-less ARN (IAM cannot know a path it was not given)."""
    r = role(name)
    if r is not None:
        return r.arn
    return f"arn:aws:iam::{account}:role/{name}"


def managed_policy_document(arn: str) -> dict | None:
    try:
        p = _iam().get_policy(arn)
    except Exception:
        return None
    for v in p.versions:
        if v.version_id == p.default_version_id:
            return parse_doc(v.document)
    return None


def role_policies(r) -> list[dict]:
    docs = [parse_doc(d) for d in r.policies.values()]
    for arn, mp in r.managed_policies.items():
        d = managed_policy_document(arn)
        if d:
            docs.append(d)
    return docs


def role_boundary(r) -> dict | None:
    arn = getattr(r, "permissions_boundary_arn", None)
    if not arn:
        return None
    return managed_policy_document(arn) or {}


def role_tags(r) -> dict[str, str]:
    tags = r.tags or {}
    items = tags.values() if isinstance(tags, dict) else tags
    return {v["Key"]: v.get("Value", "") for v in items if isinstance(v, dict) and "Key" in v}


def assumed_role(access_key: str):
    """moto's AssumedRole whose session has `access_key`, or None."""
    try:
        for ar in _sts().assumed_roles:
            if ar.access_key_id == access_key:
                return ar
    except Exception:
        return None
    return None


# ------------------------------------------------------------------ tags of resources


def resource_tags(arn: str, region: str) -> dict[str, str]:
    """The tags of an ECS, ELBv2 or IAM resource by ARN ({} when unknown)."""
    try:
        parts = arn.split(":")
        service = parts[2]
        region = parts[3] or region
        if service == "elasticloadbalancing":
            return dict(elbv2(region).tagging_service.get_tag_dict_for_resource(arn))
        if service == "ecs":
            return {t["key"]: t["value"] for t in ecs(region).list_tags_for_resource(arn)}
        if service == "iam" and ":role/" in arn:
            r = role_by_arn(arn)
            return role_tags(r) if r else {}
    except Exception:
        return {}
    return {}


# ------------------------------------------------------------------ ECS / ELBv2


def task_definition(region: str, ref: str):
    try:
        return ecs(region).describe_task_definition(ref)
    except Exception:
        return None


def service(region: str, cluster: str | None, name_or_arn: str):
    try:
        services, _ = ecs(region).describe_services(cluster or "default", [name_or_arn])
        return services[0] if services else None
    except Exception:
        return None


def target_group(region: str, arn: str):
    try:
        return elbv2(region).target_groups.get(arn)
    except Exception:
        return None


def listener_rules(region: str, listener_arn: str) -> list:
    try:
        b = elbv2(region)
        for lb in b.load_balancers.values():
            if listener_arn in lb.listeners:
                return list(lb.listeners[listener_arn].rules.values())
    except Exception:
        return []
    return []


def rule(region: str, rule_arn: str):
    try:
        b = elbv2(region)
        for lb in b.load_balancers.values():
            for listener in lb.listeners.values():
                if rule_arn in listener.rules:
                    return listener, listener.rules[rule_arn]
    except Exception:
        return None, None
    return None, None
