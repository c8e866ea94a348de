"""Conecta la completitud de un curso con la emisión (plumbing, sin reglas)."""

from __future__ import annotations

from django.db import connection, transaction


def curso_completado_encolar(sender, inscripcion, **kwargs) -> None:
    from .tasks import certificado_encolar

    inscripcion_id = inscripcion.pk
    # El schema se fija ahora: el commit podría ocurrir fuera del contexto del tenant.
    schema_name = connection.schema_name
    transaction.on_commit(lambda: certificado_encolar(inscripcion_id, schema_name))


def version_publicada_superar(sender, version, **kwargs) -> None:
    from .services import certificados_version_superar

    certificados_version_superar(version=version)
