"""Datos de demostración: instituciones y roles de las semillas, no personas."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tenants.models import Tenant
from tenants.roles import Rol

CLAVE_DEMO = "capacita-demo-2026"

TENANTS_DEMO = [
    {
        "schema_name": "policias",
        "nombre": _("Policías: Carabineros de Chile y PDI"),
        "grupo": Tenant.Grupo.POLICIAS,
        "color_primario": "#14532d",
    },
    {
        "schema_name": "fronteras",
        "nombre": _("Complejos fronterizos"),
        "grupo": Tenant.Grupo.FRONTERAS,
        "color_primario": "#7c2d12",
    },
    {
        "schema_name": "turismo",
        "nombre": _("Prestadores de servicios turísticos"),
        "grupo": Tenant.Grupo.TURISMO,
        "color_primario": "#0e7490",
    },
    {
        "schema_name": "consulados",
        "nombre": _("Consulados de Chile (MINREL)"),
        "grupo": Tenant.Grupo.CONSULADOS,
        "color_primario": "#1e3a8a",
    },
    {
        "schema_name": "mejorninez",
        "nombre": _("Mejor Niñez: Servicio de Protección Especializada"),
        "grupo": Tenant.Grupo.MEJORNINEZ,
        "color_primario": "#6b21a8",
    },
]

USUARIOS_DEMO = [
    ("funcionario", Rol.FUNCIONARIO, _("Funcionaria"), _("de prueba")),
    ("encargado", Rol.ENCARGADO, _("Encargado"), _("de capacitación")),
    ("editor", Rol.EDITOR, _("Editora"), _("de contenidos")),
]
