from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = _("Contenido")

    def ready(self) -> None:
        from wagtail.models import PageViewRestriction, Site

        from tenants.signals import tenant_preparado

        from .cache import restricciones_olvidar, sitios_olvidar
        from .models import HomePage
        from .services import tenant_preparado_portada

        # Antes que cursos (INSTALLED_APPS): el currículo cuelga de la portada.
        tenant_preparado.connect(
            tenant_preparado_portada, dispatch_uid="content_portada"
        )

        for senal in (post_save, post_delete):
            senal.connect(sitios_olvidar, sender=Site, dispatch_uid=f"sitios-{senal}")
            # El Site en caché trae su portada (la raíz con la que se enruta).
            senal.connect(
                sitios_olvidar, sender=HomePage, dispatch_uid=f"sitios-portada-{senal}"
            )
            senal.connect(
                restricciones_olvidar,
                sender=PageViewRestriction,
                dispatch_uid=f"restricciones-{senal}",
            )
