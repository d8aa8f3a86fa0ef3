"""Every kind of e-mail in the code declares its purpose, and the purpose is a known one."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from app.core.mail import Outgoing, render_email

APP = Path(__file__).resolve().parents[2] / "app"
TEMPLATES = APP / "templates" / "email"


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _message_calls():
    """(file, call) of every place that builds a message: render_email(...), Outgoing(...)
    and any subclass of Outgoing the module defines."""
    for path in sorted(APP.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        makers = {"render_email", "Outgoing"} | {
            node.name for node in ast.walk(tree) if isinstance(node, ast.ClassDef)
            and any(_name(base) == "Outgoing" for base in node.bases)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _name(node.func) in makers:
                yield path.relative_to(APP.parent), node


def _purpose(call: ast.Call) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == "purpose"), None)


def test_every_message_in_the_code_declares_its_purpose(app):
    from app.mailings.gate import mail_purposes

    calls = list(_message_calls())
    assert len(calls) >= 12  # the walk finds the call sites (it fails if it finds none)
    missing = [f"{path}:{call.lineno}" for path, call in calls if _purpose(call) is None]
    assert missing == [], f"messages without a declared purpose: {missing}"
    known = set(mail_purposes())
    unknown = [f"{path}:{call.lineno} {value.value!r}" for path, call in calls
               if isinstance(value := _purpose(call), ast.Constant) and value.value not in known]
    assert unknown == []


def _template_names() -> set[str]:
    """The template names render_email is called with (an f-string counts by its prefix)."""
    names = set()
    for _, call in _message_calls():
        if _name(call.func) != "render_email" or not call.args:
            continue
        first = call.args[0]
        if isinstance(first, ast.Constant):
            names.add(first.value)
        elif isinstance(first, ast.JoinedStr) and isinstance(first.values[0], ast.Constant):
            names.add(first.values[0].value + "*")
    return names


def test_every_email_template_is_sent_by_a_call_that_declares_its_purpose():
    names = _template_names()
    templates = {p.stem for p in TEMPLATES.glob("*.txt")}
    assert len(templates) >= 12
    orphans = [t for t in templates if t not in names
               and not any(n.endswith("*") and t.startswith(n[:-1]) for n in names)]
    assert orphans == [], f"e-mail templates no call sends (with a purpose): {orphans}"


def test_a_message_without_a_purpose_cannot_be_made(app):
    with pytest.raises(TypeError):
        Outgoing("a@example.org", "Hello", "Text")  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="purpose"):
        Outgoing("a@example.org", "Hello", "Text", purpose=" ")
    with app.test_request_context(), pytest.raises(TypeError):
        render_email("password_reset", "a@example.org", "Reset")  # type: ignore[call-arg]
