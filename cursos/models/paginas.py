"""Páginas del aprendizaje: RutaPage → CursoPage → LeccionPage."""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from content.cache import RestriccionesEnCacheMixin

from ..blocks import LeccionStreamBlock
from ..choices import Modalidad


class RutaPage(RestriccionesEnCacheMixin, Page):
    """Ruta formativa (track) para una audiencia dentro del tenant."""

    descripcion = RichTextField(_("descripción"), blank=True)
    audiencia = models.CharField(_("audiencia"), max_length=200, blank=True)
    clave_curriculo = models.CharField(
        _("clave del currículo"), max_length=120, blank=True, editable=False
    )
    version_curriculo = models.PositiveIntegerField(
        _("versión del currículo"), default=0, editable=False
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("audiencia"),
        FieldPanel("descripcion"),
    ]
    parent_page_types = ["content.HomePage"]
    subpage_types = ["cursos.CursoPage"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["cursos"] = CursoPage.objects.live().child_of(self)
        return context

    class Meta:
        verbose_name = _("ruta")
        verbose_name_plural = _("rutas")


class CursoPage(RestriccionesEnCacheMixin, Page):
    resumen = models.TextField(_("resumen"), blank=True)
    objetivos = RichTextField(_("objetivos"), blank=True)
    horas = models.DecimalField(_("horas"), max_digits=5, decimal_places=1, default=1)
    modalidad = models.CharField(
        _("modalidad"),
        max_length=20,
        choices=Modalidad.choices,
        default=Modalidad.ONLINE,
    )
    acciones_plan = ArrayField(
        models.CharField(max_length=20),
        verbose_name=_("acciones del plan"),
        default=list,
        blank=True,
        help_text=_("Códigos de acción del Plan 2023-2026, p. ej. E1-A2.3"),
    )
    version = models.CharField(_("versión"), max_length=20, default="1.0")
    vigencia_meses = models.PositiveSmallIntegerField(
        _("vigencia del certificado (meses)"), default=24
    )
    prerrequisitos = ParentalManyToManyField(
        "cursos.CursoPage",
        blank=True,
        related_name="habilita",
        verbose_name=_("prerrequisitos"),
    )
    clave_curriculo = models.CharField(
        _("clave del currículo"), max_length=120, blank=True, editable=False
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("resumen"),
        FieldPanel("objetivos"),
        MultiFieldPanel(
            [
                FieldPanel("horas"),
                FieldPanel("modalidad"),
                FieldPanel("acciones_plan"),
                # Se cambia publicando una versión (botón «Versiones» del curso).
                FieldPanel("version", read_only=True),
                FieldPanel("vigencia_meses"),
                FieldPanel("prerrequisitos"),
            ],
            heading=_("Datos del curso"),
        ),
    ]
    parent_page_types = ["cursos.RutaPage"]
    subpage_types = ["cursos.LeccionPage"]

    class Meta:
        verbose_name = _("curso")
        verbose_name_plural = _("cursos")

    def get_context(self, request, *args, **kwargs):
        from ..selectors import avances, inscripcion_vigente, lecciones_de_cursos
        from ..services import prerrequisitos_pendientes

        context = super().get_context(request, *args, **kwargs)
        lecciones = lecciones_de_cursos([self]).get(self.pk, [])
        context["lecciones"] = lecciones
        # Las lecciones son hijas directas: su URL es la del curso más su slug. Una
        # `{% pageurl %}` por lección recalculaba la raíz del sitio 20 veces.
        context["url_curso"] = self.get_url(request)
        context["minutos_totales"] = sum(x.minutos for x in lecciones)
        inscripcion = inscripcion_vigente(usuario=request.user, curso=self)
        context["inscripcion"] = inscripcion
        context["evaluacion_final"] = self.evaluaciones.order_by("pk").first()
        if inscripcion is not None:
            inscripcion.curso = self
            context["avance"] = avances([inscripcion], lecciones={self.pk: lecciones})[
                0
            ]
        elif request.user.is_authenticated:
            context["pendientes"] = prerrequisitos_pendientes(
                usuario=request.user, curso=self
            )
        return context


class LeccionPage(RestriccionesEnCacheMixin, Page):
    cuerpo = StreamField(LeccionStreamBlock(), verbose_name=_("cuerpo"), blank=True)
    minutos = models.PositiveSmallIntegerField(_("minutos estimados"), default=10)
    obligatoria = models.BooleanField(
        _("obligatoria"),
        default=True,
        help_text=_("Cuenta para completar el curso."),
    )
    clave_curriculo = models.CharField(
        _("clave del currículo"), max_length=120, blank=True, editable=False
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("minutos"),
        FieldPanel("obligatoria"),
        FieldPanel("cuerpo"),
    ]
    parent_page_types = ["cursos.CursoPage"]
    subpage_types: list[str] = []

    def serve(self, request, *args, **kwargs):
        from django.contrib import messages
        from django.contrib.auth.views import redirect_to_login
        from django.http import Http404
        from django.shortcuts import redirect

        from ..selectors import inscripcion_de_leccion

        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        # Lo habitual (inscrita o inscrito) cuesta una consulta: inscripción, curso
        # y progreso juntos. Solo sin inscripción se busca el curso aparte.
        inscripcion = inscripcion_de_leccion(usuario=request.user, leccion=self)
        if inscripcion is None:
            curso = CursoPage.objects.live().parent_of(self).first()
            if curso is None:
                raise Http404
            messages.info(request, _("Inscríbase en el curso para ver sus lecciones."))
            return redirect(curso.url)
        request.inscripcion = inscripcion
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from ..selectors import avances
        from ..services import leccion_visitar

        context = super().get_context(request, *args, **kwargs)
        inscripcion = request.inscripcion
        avance = avances([inscripcion])[0]
        orden = [x.pk for x in avance.lecciones]
        posicion = orden.index(self.pk) if self.pk in orden else 0
        context.update(
            curso=inscripcion.curso,
            inscripcion=inscripcion,
            avance=avance,
            anterior=avance.lecciones[posicion - 1] if posicion > 0 else None,
            siguiente=(
                avance.lecciones[posicion + 1]
                if posicion + 1 < len(avance.lecciones)
                else None
            ),
            completada=self.pk in avance.completadas,
            posicion=posicion + 1,
        )
        leccion_visitar(inscripcion=inscripcion, leccion=self)
        return context

    class Meta:
        verbose_name = _("lección")
        verbose_name_plural = _("lecciones")
