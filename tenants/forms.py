from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Tenant
from .services import tenant_validar


class TenantCrearForm(forms.ModelForm):
    """Alta de un tenant en el admin de la MITP; lo crea ``tenant_crear``.

    Es ModelForm solo para heredar etiquetas y validadores del modelo: no se guarda
    con ``save()``. El schema y el dominio no son campos del modelo aquí, porque los
    valida el servicio (con mensajes en español) y no el validador de django-tenants.
    """

    schema_name = forms.CharField(
        label=_("Nombre del schema"),
        max_length=40,
        help_text=_(
            "Identificador interno del sitio: letras minúsculas, números o guiones "
            "bajos, comenzando con una letra (p. ej. policias). No se puede cambiar "
            "después."
        ),
    )
    dominio = forms.CharField(
        label=_("Dominio"),
        max_length=253,
        help_text=_("Dirección del sitio, p. ej. policias.capacita.cl."),
    )
    correo_encargado = forms.EmailField(
        label=_("Correo del primer encargado/a"),
        required=False,
        help_text=_(
            "Recibirá un enlace para crear su contraseña en el sitio nuevo; desde ahí "
            "crea instituciones, unidades y dotación, e invita a las demás personas."
        ),
    )

    class Meta:
        model = Tenant
        fields = ["nombre", "grupo", "pais", "color_primario"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # El grupo MITP es el del sitio público: no se da a un sitio institucional.
        self.fields["grupo"].choices = [
            (valor, etiqueta)
            for valor, etiqueta in self.fields["grupo"].choices
            if valor != Tenant.Grupo.MITP
        ]

    def clean_schema_name(self) -> str:
        return self.cleaned_data["schema_name"].strip().lower()

    def clean_dominio(self) -> str:
        return self.cleaned_data["dominio"].strip().lower()

    def clean(self):
        datos = super().clean()
        if "schema_name" in datos and "dominio" in datos:
            # Las mismas reglas que tenant_crear, para mostrarlas junto a los demás
            # errores del formulario; el servicio las vuelve a revisar al crear.
            try:
                tenant_validar(
                    schema_name=datos["schema_name"], dominio=datos["dominio"]
                )
            except ValidationError as exc:
                self.add_error(None, exc)
        return datos
