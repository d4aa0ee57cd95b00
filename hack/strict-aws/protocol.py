"""Request decoding and error rendering for the AWS wire protocols the operator speaks.

A request is named by the SigV4 credential scope (service) and either X-Amz-Target (JSON
protocol: ECS, Application Auto Scaling), Action= (query protocol: IAM, STS, ELBv2, EC2) or
the HTTP method and path (rest-json: EKS, EventBridge Scheduler).
"""

import json
import re
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, unquote

import model

# SigV4 signing name -> botocore service name.
SIGNING_TO_SERVICE = {
    "ecs": "ecs",
    "elasticloadbalancing": "elbv2",
    "iam": "iam",
    "sts": "sts",
    "ec2": "ec2",
    "application-autoscaling": "application-autoscaling",
    "eks": "eks",
    "monitoring": "cloudwatch",
    "scheduler": "scheduler",
}

# botocore service name -> IAM action prefix.
ACTION_PREFIX = {
    "ecs": "ecs",
    "elbv2": "elasticloadbalancing",
    "elb": "elasticloadbalancing",
    "iam": "iam",
    "sts": "sts",
    "ec2": "ec2",
    "application-autoscaling": "application-autoscaling",
    "eks": "eks",
    "cloudwatch": "cloudwatch",
    "scheduler": "scheduler",
}

_CREDENTIAL = re.compile(r"Credential=([^/,\s]+)/(\d{8})/([^/]+)/([^/]+)/aws4_request")


@dataclass
class AwsRequest:
    """One decoded AWS API call."""

    service: str  # botocore name: ecs, elbv2, iam, ...
    operation: str  # CreateService
    protocol: str  # json, query, ec2, rest-json
    access_key: str | None
    region: str
    params: dict[str, Any] = field(default_factory=dict)  # structured input shape value
    raw_params: dict[str, str] = field(default_factory=dict)  # query form (query protocols)

    @property
    def action(self) -> str:
        return f"{ACTION_PREFIX.get(self.service, self.service)}:{self.operation}"


def credential_scope(environ) -> tuple[str | None, str | None, str | None]:
    """(access key id, region, signing name) from the Authorization header, or Nones."""
    auth = environ.get("HTTP_AUTHORIZATION", "")
    m = _CREDENTIAL.search(auth)
    if m:
        return m.group(1), m.group(3), m.group(4)
    # presigned query string (not used by the SDK calls here, but cheap)
    qs = dict(parse_qsl(environ.get("QUERY_STRING", "")))
    cred = qs.get("X-Amz-Credential")
    if cred:
        parts = unquote(cred).split("/")
        if len(parts) >= 4:
            return parts[0], parts[2], parts[3]
    return None, None, None


def decode(environ, body: bytes) -> AwsRequest | None:
    """The request as an AwsRequest, or None when it is not an AWS API call we recognise."""
    access_key, region, signing = credential_scope(environ)
    if signing is None:
        return None
    service = SIGNING_TO_SERVICE.get(signing)
    if service is None:
        return AwsRequest(signing, "Unknown", "unknown", access_key, region or "us-east-1")
    region = region or "us-east-1"
    target = environ.get("HTTP_X_AMZ_TARGET")
    if target:
        op = target.split(".", 1)[-1]
        try:
            params = json.loads(body or b"{}") or {}
        except ValueError:
            params = {}
        return AwsRequest(service, op, "json", access_key, region, params)
    svc_model = model.service_model(service)
    protocol = svc_model.metadata.get("protocol")
    if protocol in ("query", "ec2"):
        form = dict(parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True))
        if body:
            form.update(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
        op = form.get("Action", "Unknown")
        if service == "elbv2" and form.get("Version") == "2012-06-01":
            service = "elb"
            svc_model = model.service_model(service)
        params = model.decode_query(svc_model, op, form, protocol)
        return AwsRequest(service, op, protocol, access_key, region, params, form)
    if protocol == "rest-json":
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        op, uri_params = model.match_rest_operation(svc_model, method, path)
        try:
            params = json.loads(body) if body else {}
        except ValueError:
            params = {}
        if op:
            params = model.merge_rest_params(
                svc_model, op, params, uri_params, environ.get("QUERY_STRING", "")
            )
        return AwsRequest(service, op or "Unknown", protocol, access_key, region, params)
    return AwsRequest(service, "Unknown", protocol or "unknown", access_key, region)


def _xml_escape(s: str) -> str:
    return (
        s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def error_response(req: AwsRequest, status: int, code: str, message: str, sender=True):
    """(status, headers, body bytes) of an AWS error in the request's protocol."""
    request_id = str(uuid.uuid4())
    if req.protocol in ("json",):
        body = json.dumps({"__type": code, "message": message}).encode()
        headers = [
            ("Content-Type", "application/x-amz-json-1.1"),
            ("x-amzn-RequestId", request_id),
        ]
    elif req.protocol == "rest-json":
        body = json.dumps({"message": message}).encode()
        headers = [
            ("Content-Type", "application/json"),
            ("x-amzn-ErrorType", code),
            ("x-amzn-RequestId", request_id),
        ]
    elif req.protocol == "ec2":
        body = (
            f"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>{code}</Code>"
            f"<Message>{_xml_escape(message)}</Message></Error></Errors>"
            f"<RequestID>{request_id}</RequestID></Response>"
        ).encode()
        headers = [("Content-Type", "text/xml")]
    else:
        kind = "Sender" if sender else "Receiver"
        body = (
            f"<ErrorResponse><Error><Type>{kind}</Type><Code>{code}</Code>"
            f"<Message>{_xml_escape(message)}</Message></Error>"
            f"<RequestId>{request_id}</RequestId></ErrorResponse>"
        ).encode()
        headers = [("Content-Type", "text/xml")]
    headers.append(("Content-Length", str(len(body))))
    return status, headers, body


# Model-violation error code per service (what AWS answers for a constraint its model states).
VALIDATION_CODE = {
    "ecs": "InvalidParameterException",
    "application-autoscaling": "ValidationException",
    "iam": "ValidationError",
    "elbv2": "ValidationError",
    "elb": "ValidationError",
    "sts": "ValidationError",
    "ec2": "InvalidParameterValue",
    "eks": "InvalidParameterException",
    "cloudwatch": "ValidationError",
    "scheduler": "ValidationException",
}

ACCESS_DENIED_CODE = {
    "ecs": "AccessDeniedException",
    "application-autoscaling": "AccessDeniedException",
    "eks": "AccessDeniedException",
    "scheduler": "AccessDeniedException",
    "ec2": "UnauthorizedOperation",
}

THROTTLE_CODE = {
    "ecs": "ThrottlingException",
    "application-autoscaling": "ThrottlingException",
    "eks": "ThrottlingException",
    "scheduler": "ThrottlingException",
    "ec2": "RequestLimitExceeded",
}


def access_denied_status(req: AwsRequest) -> int:
    return 400 if req.protocol == "json" else 403
