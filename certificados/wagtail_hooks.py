from wagtail import hooks
from wagtail.snippets.models import register_snippet

from .models import CursoActualizacion

register_snippet(CursoActualizacion)


@hooks.register("register_log_actions")
def auditoria_certificados(actions):
    """Las revocaciones quedan en la bitácora del tenant (content.RegistroAuditoria)."""
    from content.models import RegistroAuditoria

    from .models import Certificado

    actions.register_model(Certificado, RegistroAuditoria)
