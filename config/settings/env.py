"""Lectura del entorno con helpers que fallan en voz alta (como healthchecks)."""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

_VERDADEROS = {"1", "true", "yes", "si", "sí", "on"}
_FALSOS = {"0", "false", "no", "off", ""}


def envstr(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"Falta la variable de entorno {name}")
        return default
    return value


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    normalised = value.strip().lower()
    if normalised in _VERDADEROS:
        return True
    if normalised in _FALSOS:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} no es un booleano válido")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={value!r} no es un entero") from exc


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in envstr(name, default).split(",") if item.strip()]


def envsecret(name: str) -> str:
    """Un secreto obligatorio: sin valor por defecto y con un largo mínimo."""
    value = envstr(name)
    if len(value) < 32:
        raise ImproperlyConfigured(f"{name} debe tener al menos 32 caracteres")
    return value
