"""The strict AWS layer: one process serving moto's app behind a WSGI middleware that validates
every AWS call against botocore's service models, authorises it with IAM's policy semantics for
the calling principal, and adds the AWS behaviours moto lacks (behaviours.py). Errors are AWS's.

    python strict_aws.py --host 127.0.0.1 --port P --operator-policy deploy/iam-policy.json

Admin API on the same port (JSON): POST /strict-api/reset, GET|POST /strict-api/config,
POST /strict-api/principals, GET /strict-api/refusals, GET|POST /strict-api/target-health.
moto's /moto-api/* passes through.
"""

import argparse
import io
import json
import logging
import os
import re
import sys
import threading
from dataclasses import dataclass, field

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import actions  # noqa: E402
import model  # noqa: E402
import moto_state  # noqa: E402
import policy  # noqa: E402
import protocol  # noqa: E402
from behaviours import Behaviours, Refusal, Respond  # noqa: E402

log = logging.getLogger("strict-aws")

ADMIN_KEY = "testing"
OPERATOR_KEY = "TIDEWATEROPERATOR"
OPERATOR_SECRET = "tidewater-operator-secret"
OPERATOR_ARN = f"arn:aws:iam::{moto_state.ACCOUNT}:user/tidewater-operator"

DEFAULT_CONFIG = {
    "throttleEvery": 0,
    "iamPropagationSeconds": 0,
    "enforcePolicies": True,
    # "service:Operation" -> error code: such calls of every principal but the admin fail with a
    # 500 of that code (AWS's "try again" kind), until the switch is set again
    "failOperations": {},
    "ecsScheduler": True,
}

# Calls whose behaviour checks read and then change state: one at a time.
_SERIAL = {
    ("ecs", "CreateService"),
    ("ecs", "UpdateService"),
    ("ecs", "DeleteService"),
    ("elbv2", "CreateRule"),
    ("elbv2", "SetRulePriorities"),
}


@dataclass
class Principal:
    name: str
    arn: str
    admin: bool = False
    identity: list = field(default_factory=list)
    boundary: dict | None = None
    role_arn: str | None = None  # for assumed-role sessions


class State:
    def __init__(self, operator_policy: dict):
        self.lock = threading.RLock()
        self.serial = threading.Lock()
        self.config = dict(DEFAULT_CONFIG)
        # calls per AWS service: throttleEvery counts each service on its own, so another client of
        # the layer (the Load Balancer Controller's ELBv2 calls) never shifts a test's ECS count
        self.calls: dict[str, int] = {}
        self.refusals: list[dict] = []
        self.principals: dict[str, Principal] = {}
        self.operator = Principal("operator", OPERATOR_ARN, identity=[operator_policy])
        self.behaviours = Behaviours(self)
        self.local = threading.local()

    def reset(self):
        with self.lock:
            self.config = dict(DEFAULT_CONFIG)
            self.calls = {}
            self.refusals.clear()
            self.principals.clear()
            self.behaviours.reset()

    MAX_REFUSALS = 20000

    def record(self, entry: dict):
        """Appends to the refusal log (bounded: a long benchmark run keeps the newest)."""
        with self.lock:
            self.refusals.append(entry)
            if len(self.refusals) > self.MAX_REFUSALS:
                del self.refusals[: len(self.refusals) - self.MAX_REFUSALS]

    def current_principal_arn(self) -> str:
        p = getattr(self.local, "principal", None)
        return p.arn if p else "anonymous"

    def principal(self, access_key: str | None) -> Principal | None:
        if access_key == ADMIN_KEY:
            return Principal("admin", f"arn:aws:iam::{moto_state.ACCOUNT}:root", admin=True)
        if access_key == OPERATOR_KEY:
            return self.operator
        with self.lock:
            p = self.principals.get(access_key)
        if p is not None:
            return p
        ar = moto_state.assumed_role(access_key or "")
        if ar is not None:
            role = moto_state.role_by_arn(ar.role_arn)
            ident = moto_state.role_policies(role) if role else []
            bound = moto_state.role_boundary(role) if role else None
            return Principal(f"session {ar.arn}", ar.arn, identity=ident, boundary=bound, role_arn=ar.role_arn)
        return None


def _json(start_response, status: int, obj) -> list[bytes]:
    body = json.dumps(obj).encode()
    start_response(
        f"{status} {'OK' if status < 300 else 'Error'}",
        [("Content-Type", "application/json"), ("Content-Length", str(len(body)))],
    )
    return [body]


class StrictLayer:
    def __init__(self, moto_app, state: State):
        self.moto = moto_app
        self.state = state

    # ------------------------------------------------------------------ WSGI entry

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path.startswith("/strict-api/"):
            return self.admin(environ, start_response, path)
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length > 0 else b""
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        if path.startswith("/moto-api/"):
            return self.moto(environ, start_response)
        try:
            req = protocol.decode(environ, body)
        except Exception:  # a form we cannot read: let moto answer it
            log.exception("could not decode a request to %s", path)
            req = None
        if req is None:
            return self.moto(environ, start_response)
        try:
            if (req.service, req.operation) in _SERIAL:
                with self.state.serial:
                    status, headers, out = self.handle(req, environ, body)
            else:
                status, headers, out = self.handle(req, environ, body)
        except Exception as e:  # a bug of the layer: say so, loudly, in the refusal log
            log.exception("strict layer failed on %s", req.action)
            status, headers, out = self.refuse(
                req, None, 500, "InternalFailure", f"strict AWS layer bug: {type(e).__name__}: {e}"
            )
        start_response(f"{status} {'OK' if status < 300 else 'Error'}", headers)
        return [out]

    def handle(self, req, environ, body):
        st = self.state
        principal = st.principal(req.access_key)
        st.local.principal = principal
        if principal is None:
            code = "UnrecognizedClientException" if req.protocol == "json" else "InvalidClientTokenId"
            return self.refuse(req, None, 403, code, "The security token included in the request is invalid.")
        with st.lock:
            n = st.calls[req.service] = st.calls.get(req.service, 0) + 1
            every = int(st.config.get("throttleEvery") or 0)
        if every > 0 and n % every == 0:
            code = protocol.THROTTLE_CODE.get(req.service, "Throttling")
            return self.refuse(req, principal, 400, code, "Rate exceeded")
        failing = (st.config.get("failOperations") or {}).get(f"{req.service}:{req.operation}")
        if failing and not principal.admin:
            return self.refuse(req, principal, 500, failing, "failed by the test (failOperations)")
        if req.operation == "Unknown":
            if principal.admin:
                return self.forward(req, environ)
            return self.refuse(
                req, principal, 400, "UnknownOperationException",
                f"The strict AWS layer does not know this {req.service} request.",
            )
        svc_model = model.service_model(req.service) if req.service in protocol.ACTION_PREFIX else None
        if svc_model is not None and model.has_operation(svc_model, req.operation):
            v = model.validate(svc_model, req.operation, req.params, req.protocol == "json")
            if v.messages:
                code = protocol.VALIDATION_CODE.get(req.service, "ValidationError")
                if v.type_error and req.protocol == "json":
                    code = "SerializationException"
                return self.refuse(req, principal, 400, code, v.message())
        if not principal.admin and st.config.get("enforcePolicies", True):
            denied = self.authorize(req, principal)
            if denied is not None:
                return denied
        try:
            outcome = st.behaviours.before(req, self.describe_service)
        except Refusal as r:
            return self.refuse(req, principal, r.status, r.code, r.message)
        if isinstance(outcome, Respond):
            out = json.dumps(outcome.body, default=str).encode()
            return 200, [("Content-Type", "application/x-amz-json-1.1"), ("Content-Length", str(len(out)))], out
        status, headers, out = self.forward(req, environ)
        if status >= 400:
            self.record_moto_error(req, principal, out)
        try:
            st.behaviours.after(req, status, out)
        except Exception:
            log.exception("behaviour bookkeeping failed for %s", req.action)
        return status, headers, out

    # ------------------------------------------------------------------ authorisation

    def authorize(self, req, principal: Principal):
        auths = actions.authorizations(req, moto_state.ACCOUNT)
        if auths is None:
            return self.refuse(
                req, principal, protocol.access_denied_status(req),
                protocol.ACCESS_DENIED_CODE.get(req.service, "AccessDenied"),
                f"User: {principal.arn} is not authorized to perform: {req.action}: the strict AWS "
                "layer does not know this operation (no action/resource mapping), so it is denied",
            )
        base_ctx = {
            "aws:PrincipalArn": principal.role_arn or principal.arn,
            "aws:username": principal.arn.split("/")[-1],
            "aws:RequestedRegion": req.region,
            "aws:SecureTransport": "false",
        }
        for a in auths:
            ctx = {**base_ctx, **a.context}
            d = policy.decide(principal.identity, principal.boundary, a.action, a.resource, ctx)
            if not d.allowed:
                return self.refuse(
                    req, principal, protocol.access_denied_status(req),
                    protocol.ACCESS_DENIED_CODE.get(req.service, "AccessDenied"),
                    f"User: {principal.arn} is not authorized to perform: {a.action} on resource: "
                    f"{a.resource} {d.reason}",
                )
        if req.service == "sts" and req.operation == "AssumeRole":
            role_arn = req.params.get("RoleArn", "")
            role = moto_state.role_by_arn(role_arn)
            trust = moto_state.parse_doc(role.assume_role_policy_document) if role else {}
            ctx = {**base_ctx, **auths[0].context}
            arns = [principal.arn] + ([principal.role_arn] if principal.role_arn else [])
            if role is None or not policy.resource_policy_allows(trust, arns, "sts:AssumeRole", ctx):
                return self.refuse(
                    req, principal, 403, "AccessDenied",
                    f"User: {principal.arn} is not authorized to perform: sts:AssumeRole on resource: {role_arn}",
                )
        return None

    # ------------------------------------------------------------------ moto

    def forward(self, req, environ):
        captured = {}

        def sr(status, headers, exc_info=None):
            captured["status"] = int(status.split(" ", 1)[0])
            captured["headers"] = headers
            return lambda data: None

        chunks = self.moto(environ, sr)
        try:
            out = b"".join(chunks)
        finally:
            if hasattr(chunks, "close"):
                chunks.close()
        headers = [(k, v) for k, v in captured["headers"] if k.lower() != "content-length"]
        headers.append(("Content-Length", str(len(out))))
        return captured["status"], headers, out

    def describe_service(self, req, cluster: str, name: str):
        """The service as ECS's DescribeServices shows it, asked of moto directly."""
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": "/",
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "0",
            "HTTP_HOST": "ecs.us-east-1.amazonaws.com",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
            "HTTP_AUTHORIZATION": f"AWS4-HMAC-SHA256 Credential={ADMIN_KEY}/20260101/{req.region}/ecs/aws4_request",
            "HTTP_X_AMZ_TARGET": "AmazonEC2ContainerServiceV20141113.DescribeServices",
            "CONTENT_TYPE": "application/x-amz-json-1.1",
        }
        body = json.dumps({"cluster": cluster, "services": [name]}).encode()
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        status, _, out = self.forward(req, environ)
        services = json.loads(out).get("services") or [] if status == 200 else []
        return services[0] if services else {}

    # ------------------------------------------------------------------ refusals

    def record_moto_error(self, req, principal, out: bytes):
        """moto's own error answers go into the refusal log too (marked by: moto)."""
        code, message = "", out[:500].decode("utf-8", "replace")
        try:
            doc = json.loads(out)
            code = str(doc.get("__type", "")).split("#")[-1]
            message = doc.get("message") or doc.get("Message") or message
        except ValueError:
            m = re.search(rb"<Code>(.*?)</Code>", out)
            code = m.group(1).decode() if m else ""
            m = re.search(rb"<Message>(.*?)</Message>", out, re.DOTALL)
            message = m.group(1).decode("utf-8", "replace") if m else message
        entry = {
            "service": req.service,
            "operation": req.operation,
            "principal": principal.name,
            "code": code,
            "message": message,
            "by": "moto",
        }
        self.state.record(entry)

    def refuse(self, req, principal, status, code, message):
        entry = {
            "service": req.service,
            "operation": req.operation,
            "principal": principal.name if principal else f"unknown key {req.access_key}",
            "code": code,
            "message": message,
            "by": "strict",
        }
        self.state.record(entry)
        log.info("refused %s %s for %s: %s %s", req.service, req.operation, entry["principal"], code, message)
        return protocol.error_response(req, status, code, message)

    # ------------------------------------------------------------------ admin API

    def admin(self, environ, start_response, path):
        method = environ.get("REQUEST_METHOD", "GET")
        length = int(environ.get("CONTENT_LENGTH") or 0)
        raw = environ["wsgi.input"].read(length) if length > 0 else b""
        try:
            data = json.loads(raw) if raw else {}
        except ValueError:
            return _json(start_response, 400, {"error": "body is not JSON"})
        st = self.state
        if path == "/strict-api/reset" and method == "POST":
            st.reset()
            reset = {
                "REQUEST_METHOD": "POST",
                "PATH_INFO": "/moto-api/reset",
                "QUERY_STRING": "",
                "SERVER_NAME": "127.0.0.1",
                "SERVER_PORT": "0",
                "HTTP_HOST": "localhost",
                "SERVER_PROTOCOL": "HTTP/1.1",
                "wsgi.url_scheme": "http",
                "wsgi.errors": sys.stderr,
                "wsgi.input": io.BytesIO(b""),
                "CONTENT_LENGTH": "0",
            }
            captured = {}
            chunks = self.moto(reset, lambda s, h, e=None: captured.update(status=s))
            b"".join(chunks)
            return _json(start_response, 200, {"reset": True, "moto": captured.get("status")})
        if path == "/strict-api/config":
            if method == "POST":
                if not isinstance(data, dict):
                    return _json(start_response, 400, {"error": "config must be an object"})
                unknown = set(data) - set(DEFAULT_CONFIG)
                if unknown:
                    return _json(start_response, 400, {"error": f"unknown switches {sorted(unknown)}"})
                with st.lock:
                    st.config.update(data)
            with st.lock:
                return _json(start_response, 200, dict(st.config))
        if path == "/strict-api/principals" and method == "POST":
            try:
                p = Principal(
                    data["name"],
                    f"arn:aws:iam::{moto_state.ACCOUNT}:user/{data['name']}",
                    identity=[d if isinstance(d, dict) else json.loads(d) for d in data.get("policies", [])],
                    boundary=data.get("boundary"),
                )
                key = data["accessKeyId"]
            except (KeyError, TypeError, ValueError) as e:
                return _json(start_response, 400, {"error": f"bad principal: {e}"})
            if key in (ADMIN_KEY, OPERATOR_KEY):
                return _json(start_response, 400, {"error": f"{key} is reserved"})
            with st.lock:
                st.principals[key] = p
            return _json(start_response, 200, {"name": p.name, "arn": p.arn})
        if path == "/strict-api/target-health":
            if method == "POST":
                from scheduler import HEALTH_STATES

                try:
                    arn, tid = data["targetGroupArn"], data["id"]
                    state = data.get("state")
                except (KeyError, TypeError) as e:
                    return _json(start_response, 400, {"error": f"bad pin: {e}"})
                if state is not None and state not in HEALTH_STATES:
                    return _json(
                        start_response, 400, {"error": f"state must be one of {sorted(HEALTH_STATES)} or null"}
                    )
                st.behaviours.scheduler.pin(arn, tid, data.get("port"), state)
            return _json(start_response, 200, st.behaviours.scheduler.pins_list())
        if path == "/strict-api/refusals" and method == "GET":
            with st.lock:
                return _json(start_response, 200, list(st.refusals))
        return _json(start_response, 404, {"error": f"no {method} {path}"})


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--operator-policy", required=True, help="deploy/iam-policy.json")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    os.environ.setdefault("MOTO_PORT", str(args.port))
    with open(args.operator_policy) as f:
        operator_policy = json.load(f)

    from moto.moto_server.werkzeug_app import (
        DomainDispatcherApplication,
        MotoRequestHandler,
        create_backend_app,
    )
    from werkzeug.serving import run_simple

    moto_app = DomainDispatcherApplication(create_backend_app)
    state = State(operator_policy)
    state.behaviours.scheduler.install_health_hook()
    app = StrictLayer(moto_app, state)
    log.info("strict AWS layer on http://%s:%d (operator policy %s)", args.host, args.port, args.operator_policy)
    run_simple(args.host, args.port, app, threaded=True, request_handler=MotoRequestHandler)


if __name__ == "__main__":
    main()
