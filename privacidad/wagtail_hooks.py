"""La bitácora de privacidad se ve en Informes → Historial del sitio del tenant."""

from wagtail import hooks


@hooks.register("register_log_actions")
def auditoria_privacidad(actions):
    from django.contrib.auth import get_user_model

    from content.models import RegistroAuditoria

    from .models import SolicitudRectificacion
    from .services import ACCIONES

    for accion, (etiqueta, mensaje) in ACCIONES.items():
        actions.register_action(accion, etiqueta, mensaje)
    actions.register_model(get_user_model(), RegistroAuditoria)
    actions.register_model(SolicitudRectificacion, RegistroAuditoria)
