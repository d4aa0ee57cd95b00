"""An IAM policy evaluator: explicit Deny beats Allow beats the implicit deny; Action/NotAction,
Resource/NotResource with wildcards; the condition operators (String*, Arn*, Numeric*, Bool,
Null) with IfExists and the ForAnyValue: / ForAllValues: set qualifiers; permissions boundaries.
"""

import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

log = logging.getLogger("strict-aws")


@lru_cache(maxsize=4096)
def _wildcard(pattern: str, ignore_case: bool):
    rx = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile(rx, (re.IGNORECASE if ignore_case else 0) | re.DOTALL)


def wildcard_match(pattern: str, value: str, ignore_case=False) -> bool:
    return _wildcard(pattern, ignore_case).fullmatch(value) is not None


def _as_list(x) -> list:
    if x is None:
        return []
    return x if isinstance(x, list) else [x]


_VAR = re.compile(r"\$\{([^}]+)\}")


def _substitute(value: str, ctx: dict) -> str:
    def repl(m):
        key = m.group(1)
        if key in ("*", "?", "$"):
            return key
        v = ctx.get(key.lower())
        return v if isinstance(v, str) else m.group(0)

    return _VAR.sub(repl, value) if "${" in value else value


def _str(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def _num(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


_NEGATED = {
    "StringNotEquals",
    "StringNotEqualsIgnoreCase",
    "StringNotLike",
    "ArnNotEquals",
    "ArnNotLike",
    "NumericNotEquals",
}

_unknown_ops: set[str] = set()


def _single(op: str, actual, wanted: list, ctx: dict) -> bool:
    """Whether one context value satisfies `op` against the policy's values (before negation)."""
    a = _str(actual)
    base = op
    if base in ("StringEquals", "StringNotEquals"):
        return any(a == _substitute(_str(w), ctx) for w in wanted)
    if base in ("StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase"):
        return any(a.lower() == _substitute(_str(w), ctx).lower() for w in wanted)
    if base in ("StringLike", "StringNotLike", "ArnLike", "ArnNotLike", "ArnEquals", "ArnNotEquals"):
        return any(wildcard_match(_substitute(_str(w), ctx), a) for w in wanted)
    if base.startswith("Numeric"):
        x = _num(actual)
        if x is None:
            return False
        for w in wanted:
            y = _num(w)
            if y is None:
                continue
            if base in ("NumericEquals", "NumericNotEquals") and x == y:
                return True
            if base == "NumericLessThan" and x < y:
                return True
            if base == "NumericLessThanEquals" and x <= y:
                return True
            if base == "NumericGreaterThan" and x > y:
                return True
            if base == "NumericGreaterThanEquals" and x >= y:
                return True
        return False
    if base == "Bool":
        return any(a.lower() == _str(w).lower() for w in wanted)
    if op not in _unknown_ops:
        _unknown_ops.add(op)
        log.warning("condition operator %s not evaluated (treated as not met)", op)
    return False


def condition_met(op_full: str, key: str, wanted, ctx: dict) -> bool:
    qualifier = None
    op = op_full
    if ":" in op:
        qualifier, op = op.split(":", 1)
    if_exists = op.endswith("IfExists")
    if if_exists:
        op = op[: -len("IfExists")]
    wanted = _as_list(wanted)
    present = key.lower() in ctx
    actual = ctx.get(key.lower())

    if op == "Null":
        want_missing = any(_str(w).lower() == "true" for w in wanted)
        # an empty string (a tag with an empty value) is present: only an absent key is null
        missing = not present or actual is None or actual == []
        return missing == want_missing

    negated = op in _NEGATED
    if not present:
        if qualifier == "ForAllValues":
            return True
        if qualifier == "ForAnyValue":
            return False
        return if_exists or negated
    values = actual if isinstance(actual, list) else [actual]
    if qualifier == "ForAllValues":
        results = [(not _single(op, v, wanted, ctx)) if negated else _single(op, v, wanted, ctx) for v in values]
        return all(results)
    if qualifier == "ForAnyValue":
        results = [(not _single(op, v, wanted, ctx)) if negated else _single(op, v, wanted, ctx) for v in values]
        return any(results)
    hit = any(_single(op, v, wanted, ctx) for v in values)
    return not hit if negated else hit


def _conditions_met(cond: dict | None, ctx: dict) -> bool:
    if not cond:
        return True
    for op, keys in cond.items():
        if not isinstance(keys, dict):
            return False
        for key, wanted in keys.items():
            if not condition_met(op, key, wanted, ctx):
                return False
    return True


def _statement_applies(st: dict, action: str, resource: str, ctx: dict) -> bool:
    if "Action" in st:
        if not any(wildcard_match(a, action, True) for a in _as_list(st["Action"])):
            return False
    elif "NotAction" in st:
        if any(wildcard_match(a, action, True) for a in _as_list(st["NotAction"])):
            return False
    else:
        return False
    if "Resource" in st:
        if not any(wildcard_match(_substitute(r, ctx), resource) for r in _as_list(st["Resource"])):
            return False
    elif "NotResource" in st:
        if any(wildcard_match(_substitute(r, ctx), resource) for r in _as_list(st["NotResource"])):
            return False
    return _conditions_met(st.get("Condition"), ctx)


def _statements(doc: dict) -> list[dict]:
    return [s for s in _as_list(doc.get("Statement")) if isinstance(s, dict)]


def effect_of(docs: list[dict], action: str, resource: str, ctx: dict) -> str:
    """'Deny' (an explicit deny), 'Allow', or 'None' (nothing applies)."""
    allowed = False
    for doc in docs:
        for st in _statements(doc):
            if _statement_applies(st, action, resource, ctx):
                if st.get("Effect") == "Deny":
                    return "Deny"
                if st.get("Effect") == "Allow":
                    allowed = True
    return "Allow" if allowed else "None"


@dataclass
class Decision:
    allowed: bool
    reason: str  # AWS's "because ..." clause (empty when allowed)


def decide(identity: list[dict], boundary: dict | None, action: str, resource: str, ctx: dict) -> Decision:
    """IAM's evaluation of an identity's policies (and its permissions boundary) for one request."""
    ctx = {k.lower(): v for k, v in ctx.items()}
    ident = effect_of(identity, action, resource, ctx)
    bound = effect_of([boundary], action, resource, ctx) if boundary is not None else "Allow"
    if ident == "Deny":
        return Decision(False, "with an explicit deny in an identity-based policy")
    if bound == "Deny":
        return Decision(False, "with an explicit deny in a permissions boundary")
    if ident != "Allow":
        return Decision(False, f"because no identity-based policy allows the {action} action")
    if bound != "Allow":
        return Decision(False, f"because no permissions boundary allows the {action} action")
    return Decision(True, "")


def resource_policy_allows(doc: dict, principal_arns: list[str], action: str, ctx: dict) -> bool:
    """Whether a resource policy (a role's trust policy) allows one of `principal_arns` `action`
    (explicit denies win)."""
    ctx = {k.lower(): v for k, v in ctx.items()}
    allowed = False
    for st in _statements(doc):
        if not _principal_matches(st, principal_arns):
            continue
        if "Action" in st and not any(wildcard_match(a, action, True) for a in _as_list(st["Action"])):
            continue
        if "NotAction" in st and any(wildcard_match(a, action, True) for a in _as_list(st["NotAction"])):
            continue
        if not _conditions_met(st.get("Condition"), ctx):
            continue
        if st.get("Effect") == "Deny":
            return False
        if st.get("Effect") == "Allow":
            allowed = True
    return allowed


def _principal_matches(st: dict, principal_arns: list[str]) -> bool:
    p = st.get("Principal")
    if p == "*":
        return True
    if not isinstance(p, dict):
        return False
    for v in _as_list(p.get("AWS")):
        if v == "*":
            return True
        for arn in principal_arns:
            if v == arn:
                return True
            # an account root or bare account id trusts every identity of that account
            acct = arn.split(":")[4] if arn.count(":") >= 5 else ""
            if v in (f"arn:aws:iam::{acct}:root", acct):
                return True
    return False
