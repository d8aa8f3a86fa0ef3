"""Turning domain errors into CLI messages and exit codes."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

import click

from app.core.errors import DomainError, ValidationFailed


def domain_errors_to_exit(func: Callable[..., Any]) -> Callable[..., Any]:
    """Roll back and print a domain error as a message with a non-zero exit."""

    @wraps(func)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        from app.extensions import db

        try:
            return func(*args, **kwargs)
        except ValidationFailed as exc:
            db.session.rollback()
            for field, messages in exc.field_errors.items():
                for message in messages:
                    click.echo(f"Error: {field}: {message}", err=True)
            raise SystemExit(2) from exc
        except DomainError as exc:
            db.session.rollback()
            click.echo(f"Error: {exc.message}", err=True)
            raise SystemExit(2) from exc

    return wrapped
