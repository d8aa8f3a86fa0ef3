"""Domain errors raised by services; routes, the API and the CLI translate them."""

from __future__ import annotations


class DomainError(Exception):
    """Base of the errors a service raises on purpose."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message


class ValidationFailed(DomainError):
    """Input breaks a business rule; `field_errors` maps a field name to its messages."""

    def __init__(self, field_errors: dict[str, list[str] | str], message: str = "") -> None:
        normalised = {k: [v] if isinstance(v, str) else list(v) for k, v in field_errors.items()}
        super().__init__(message or "Please correct the marked fields.")
        self.field_errors: dict[str, list[str]] = normalised


class PermissionDenied(DomainError):
    """The acting user may not do this."""


class NotFound(DomainError):
    """The record does not exist, or not for this user."""


class Conflict(DomainError):
    """Someone else changed the record since it was read."""


def apply_to_form(form, error: ValidationFailed) -> None:
    """Show a service's field errors next to the matching form fields (the rest as form errors)."""
    leftovers: list[str] = []
    for name, messages in error.field_errors.items():
        field = getattr(form, name, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = list(field.errors) + messages
        else:
            leftovers.extend(messages)
    if leftovers:
        form.form_errors = list(getattr(form, "form_errors", [])) + leftovers
