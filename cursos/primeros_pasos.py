"""«Primeros pasos» de la encargada de un tenant nuevo (DESIGN.md §8).

Cada paso se calcula de los datos (nada se guarda): está hecho cuando existe lo que
ese paso crea. El orden es el del trabajo real: instituciones → unidades → dotación
→ nómina → invitaciones → inscripción.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from .models import Dotacion, Inscripcion, Institucion, Perfil, Unidad


@dataclass(frozen=True)
class Paso:
    clave: str
    titulo: str
    ayuda: str
    url: str
    hecho: bool


def primeros_pasos() -> list[Paso]:
    """Los pasos, en orden, con su enlace y si ya están hechos (schema activo)."""
    # Una persona de la nómina entró: creó su contraseña con la invitación o
    # ingresó con ClaveÚnica, que no crea contraseña (queda su último ingreso).
    invitadas = (
        get_user_model()
        .objects.filter(perfil__isnull=False)
        .filter(
            ~Q(password__startswith=UNUSABLE_PASSWORD_PREFIX)
            | Q(last_login__isnull=False)
        )
        .exists()
    )
    return [
        Paso(
            "instituciones",
            _("Crear la institución"),
            _("Vincúlela a su entrada del catálogo nacional."),
            reverse("wagtailsnippets_cursos_institucion:add"),
            Institucion.objects.exists(),
        ),
        Paso(
            "unidades",
            _("Crear las unidades"),
            _("Con su región: en ellas se cuenta a las personas capacitadas."),
            reverse("wagtailsnippets_cursos_unidad:add"),
            Unidad.objects.exists(),
        ),
        Paso(
            "dotacion",
            _("Informar la dotación"),
            _("Cuántas personas trabajan en cada unidad este año."),
            reverse("cursos:encargado_dotacion"),
            Dotacion.objects.exists(),
        ),
        Paso(
            "nomina",
            _("Importar la nómina"),
            _("Las personas de cada unidad, desde una planilla."),
            reverse("cursos:encargado_nomina_importar"),
            Perfil.objects.filter(unidad__isnull=False).exists(),
        ),
        Paso(
            "invitaciones",
            _("Invitar a las personas"),
            _("Reciben un enlace para crear su contraseña; se marca cuando una entra."),
            reverse("cursos:encargado_invitaciones"),
            invitadas,
        ),
        Paso(
            "inscripcion",
            _("Inscribir en cursos"),
            _("A personas o a unidades completas."),
            reverse("cursos:encargado_inscribir"),
            Inscripcion.objects.exists(),
        ),
    ]
