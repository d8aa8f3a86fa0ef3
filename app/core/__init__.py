"""Shared pieces: model base, errors, e-mail, permissions, audit, jobs, pagination."""
