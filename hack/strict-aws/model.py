"""botocore's service models: loading (lazily, once per service), shape-guided decoding of
query-protocol forms and rest-json paths, and validation of an input value against its shape
(required members, types, enums, lengths, ranges, list and map bounds, patterns)."""

import logging
import re
import threading
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl

import botocore.session

log = logging.getLogger("strict-aws")

_lock = threading.Lock()
_session = None


@lru_cache(maxsize=None)
def service_model(name: str):
    """The botocore ServiceModel of `name` (loaded on first use)."""
    global _session
    with _lock:
        if _session is None:
            _session = botocore.session.get_session()
        return _session.get_service_model(name)


def input_shape(svc_model, operation: str):
    try:
        return svc_model.operation_model(operation).input_shape
    except Exception:
        return None


def has_operation(svc_model, operation: str) -> bool:
    return operation in svc_model.operation_names


# ---------------------------------------------------------------- query-protocol decoding


def _member_wire_name(name: str, shape, protocol: str) -> str:
    ser = shape.serialization
    if protocol == "ec2":
        if ser.get("queryName"):
            return ser["queryName"]
        if ser.get("name"):
            return ser["name"][0].upper() + ser["name"][1:]
        return name
    return ser.get("name", name)


def _indices(form: dict[str, str], prefix: str) -> list[int]:
    out = set()
    plen = len(prefix)
    for k in form:
        if k.startswith(prefix):
            rest = k[plen:]
            num = rest.split(".", 1)[0]
            if num.isdigit():
                out.add(int(num))
    return sorted(out)


def _has_prefix(form: dict[str, str], prefix: str) -> bool:
    return prefix in form or any(k.startswith(prefix + ".") for k in form)


def _scalar(shape, raw: str):
    t = shape.type_name
    if t in ("integer", "long"):
        try:
            return int(raw)
        except ValueError:
            return raw
    if t in ("float", "double"):
        try:
            return float(raw)
        except ValueError:
            return raw
    if t == "boolean":
        return raw.lower() == "true" if raw.lower() in ("true", "false") else raw
    return raw


def _decode(shape, form: dict[str, str], prefix: str, protocol: str):
    t = shape.type_name
    if t == "structure":
        out = {}
        for name, member in shape.members.items():
            wire = _member_wire_name(name, member, protocol)
            p = f"{prefix}.{wire}" if prefix else wire
            if _has_prefix(form, p):
                out[name] = _decode(member, form, p, protocol)
        return out
    if t == "list":
        if form.get(prefix) == "" and not any(k.startswith(prefix + ".") for k in form):
            return []
        flattened = shape.serialization.get("flattened") or protocol == "ec2"
        if flattened:
            base = prefix + "."
        else:
            base = f"{prefix}.{shape.member.serialization.get('name', 'member')}."
        return [_decode(shape.member, form, f"{base}{i}", protocol) for i in _indices(form, base)]
    if t == "map":
        flattened = shape.serialization.get("flattened")
        base = prefix + "." if flattened else prefix + ".entry."
        kname = shape.key.serialization.get("name", "key")
        vname = shape.value.serialization.get("name", "value")
        out = {}
        for i in _indices(form, base):
            k = form.get(f"{base}{i}.{kname}")
            if k is not None:
                out[k] = _decode(shape.value, form, f"{base}{i}.{vname}", protocol)
        return out
    return _scalar(shape, form.get(prefix, ""))


def decode_query(svc_model, operation: str, form: dict[str, str], protocol: str) -> dict:
    """The input structure of a query / ec2 protocol form, guided by the operation's shape."""
    shape = input_shape(svc_model, operation)
    if shape is None:
        return {}
    return _decode(shape, form, "", protocol)


# ---------------------------------------------------------------- rest-json decoding


@lru_cache(maxsize=None)
def _rest_routes(service_name: str):
    svc = service_model(service_name)
    routes = []
    for op in svc.operation_names:
        http = svc.operation_model(op).http
        uri = http.get("requestUri", "/").split("?", 1)[0]
        names = []

        def repl(m):
            names.append(m.group(1).rstrip("+"))
            return "(.+)" if m.group(1).endswith("+") else "([^/]+)"

        rx = re.compile("^" + re.sub(r"\{([^}]+)\}", repl, uri.rstrip("/") or "/") + "/?$")
        routes.append((http.get("method", "POST"), rx, names, op, uri.count("{")))
    routes.sort(key=lambda r: r[4])  # literal paths before templated ones
    return routes


def match_rest_operation(svc_model, method: str, path: str):
    for m, rx, names, op, _ in _rest_routes(svc_model.service_name):
        if m != method:
            continue
        hit = rx.match(path)
        if hit:
            return op, dict(zip(names, hit.groups()))
    return None, {}


def merge_rest_params(svc_model, op: str, body: dict, uri_params: dict, query: str) -> dict:
    shape = input_shape(svc_model, op)
    if shape is None:
        return body
    out = dict(body) if isinstance(body, dict) else {}
    qs = dict(parse_qsl(query, keep_blank_values=True))
    for name, member in shape.members.items():
        loc = member.serialization.get("location")
        wire = member.serialization.get("name", name)
        if loc == "uri" and wire in uri_params:
            out[name] = _scalar(member, uri_params[wire])
        elif loc == "querystring" and wire in qs:
            out[name] = _scalar(member, qs[wire])
    return out


# ---------------------------------------------------------------- validation

_untranslatable: set[str] = set()


def _translate_java_regex(p: str) -> str:
    # Java's Unicode classes have no Python `re` equivalent; widen them to the nearest superset so
    # that a value AWS accepts is never refused (\w covers letters, numbers and '_').
    p = p.replace(r"\p{L}", r"\w").replace(r"\p{N}", r"\w").replace(r"\p{Z}", r"\s")
    p = p.replace(r"\p{Print}", r"[\x20-\x7E]")  # Java's \p{Print} is ASCII
    return p


@lru_cache(maxsize=None)
def _pattern(p: str):
    try:
        return re.compile(_translate_java_regex(p), re.DOTALL)
    except re.error as e:
        if p not in _untranslatable:
            _untranslatable.add(p)
            log.warning("pattern not checked (no Python translation): %r: %s", p, e)
        return None


def _show(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}={_show(v)}" for k, v in value.items()) + "}"
    return str(value)


def _lower_first(name: str) -> str:
    return name[:1].lower() + name[1:]


class Violations:
    def __init__(self):
        self.messages: list[str] = []
        self.type_error = False

    def add(self, value, path: str, constraint: str):
        shown = "null" if value is None else f"'{_show(value)}'"
        self.messages.append(
            f"Value {shown} at '{path}' failed to satisfy constraint: {constraint}"
        )

    def message(self) -> str:
        n = len(self.messages)
        head = f"{n} validation error{'s' if n > 1 else ''} detected: "
        return head + "; ".join(self.messages)


def _wrong_type(value, path, v, strict_types, what):
    """A value of the wrong JSON type: reported only when types are strict (JSON protocols)."""
    if strict_types:
        v.type_error = True
        v.add(value, path, f"Member must be {what}")


def _check(shape, value, path: str, v: Violations, strict_types: bool):
    t = shape.type_name
    meta = shape.metadata
    if t == "structure":
        if not isinstance(value, dict):
            if strict_types:
                v.type_error = True
                v.add(value, path, "Member must be a structure")
            return
        for req in shape.required_members:
            if value.get(req) is None:
                v.add(None, _join(path, req), "Member must not be null")
        for name, member in shape.members.items():
            if name in value and value[name] is not None:
                _check(member, value[name], _join(path, name), v, strict_types)
        return
    if t == "list":
        if not isinstance(value, list):
            _wrong_type(value, path, v, strict_types, "a list")
            return
        _bounds(len(value), meta, value, path, v, "length")
        for i, item in enumerate(value, 1):
            if item is None:
                continue
            _check(shape.member, item, f"{path}.{i}.member", v, strict_types)
        return
    if t == "map":
        if not isinstance(value, dict):
            _wrong_type(value, path, v, strict_types, "a map")
            return
        _bounds(len(value), meta, value, path, v, "length")
        for k, item in value.items():
            _check(shape.key, k, f"{path}.key", v, strict_types)
            if item is not None:
                _check(shape.value, item, f"{path}.{k}.value", v, strict_types)
        return
    if t == "string":
        if not isinstance(value, str):
            _wrong_type(value, path, v, strict_types, "a string")
            return
        _bounds(len(value), meta, value, path, v, "length")
        enum = shape.enum
        if enum and value not in enum:
            v.add(value, path, f"Member must satisfy enum value set: [{', '.join(enum)}]")
        pat = meta.get("pattern")
        if pat:
            rx = _pattern(pat)
            if rx is not None and rx.fullmatch(value) is None:
                v.add(value, path, f"Member must satisfy regular expression pattern: {pat}")
        return
    if t in ("integer", "long"):
        if isinstance(value, bool) or not isinstance(value, int):
            v.type_error = strict_types
            v.add(value, path, "Member must be a number")
            return
        _bounds(value, meta, value, path, v, "value")
        return
    if t in ("float", "double"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            v.type_error = strict_types
            v.add(value, path, "Member must be a number")
            return
        _bounds(value, meta, value, path, v, "value")
        return
    if t == "boolean":
        if not isinstance(value, bool):
            v.type_error = strict_types
            v.add(value, path, "Member must be a boolean")
        return


def _bounds(n, meta, value, path, v, what):
    lo, hi = meta.get("min"), meta.get("max")
    if lo is not None and n < lo:
        v.add(value, path, f"Member must have {what} greater than or equal to {_num(lo)}")
    if hi is not None and n > hi:
        v.add(value, path, f"Member must have {what} less than or equal to {_num(hi)}")


def _num(x):
    return int(x) if float(x).is_integer() else x


def _join(path: str, name: str) -> str:
    return f"{path}.{_lower_first(name)}" if path else _lower_first(name)


def validate(svc_model, operation: str, params: dict, strict_types: bool) -> Violations:
    """Every model constraint `params` breaks (empty when none)."""
    v = Violations()
    shape = input_shape(svc_model, operation)
    if shape is not None:
        _check(shape, params, "", v, strict_types)
    return v
