from __future__ import annotations

from django.db import connection


def tenant(request):
    current = getattr(request, "tenant", None) or getattr(connection, "tenant", None)
    es_publico = getattr(current, "schema_name", "public") == "public"
    return {
        "tenant": current,
        "es_sitio_publico": es_publico,
        "color_primario": getattr(current, "color_primario", "#1d4e89"),
    }
