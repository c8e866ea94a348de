from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Sin modelos: crear_demo, los constructores de la demo y los datos sintéticos.

    Es la capa más alta (docs/arquitectura.md): puede usar los servicios de todas las
    apps y ninguna la importa.
    """

    name = "demo"
    verbose_name = _("Demostración")
