from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = _("Instituciones (tenants)")

    def ready(self) -> None:
        from django.core.checks import Tags, register

        from . import signals  # noqa: F401
        from .checks import cache_compartida_revisar
        from .contenttypes import cache_instalar
        from .enlaces import wagtail_base_url_instalar

        cache_instalar()
        wagtail_base_url_instalar()
        register(cache_compartida_revisar, Tags.caches, Tags.security, deploy=True)
