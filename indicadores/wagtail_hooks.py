"""Wagtail de indicadores: las exportaciones quedan en la bitácora del tenant."""

from __future__ import annotations

from wagtail import hooks


@hooks.register("register_log_actions")
def auditoria_exportaciones(actions):
    from content.models import RegistroAuditoria

    from .models import Exportacion

    actions.register_model(Exportacion, RegistroAuditoria)
