from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable


class Categoria(models.Model):
    nombre = models.CharField(_("nombre"), max_length=150, unique=True)

    class Meta:
        verbose_name = _("categoría de preguntas")
        verbose_name_plural = _("categorías de preguntas")
        ordering = ["nombre"]

    def __str__(self) -> str:
        return self.nombre


class Pregunta(ClusterableModel):
    class Tipo(models.TextChoices):
        UNICA = "unica", _("Selección única")
        MULTIPLE = "multiple", _("Respuesta múltiple")
        VERDADERO_FALSO = "vf", _("Verdadero o falso")
        PAREO = "pareo", _("Términos pareados")

    categoria = models.ForeignKey(
        Categoria,
        on_delete=models.PROTECT,
        related_name="preguntas",
        verbose_name=_("categoría"),
    )
    tipo = models.CharField(_("tipo"), max_length=10, choices=Tipo.choices)
    enunciado = models.TextField(_("enunciado"))
    retroalimentacion = models.TextField(_("retroalimentación general"), blank=True)
    # Código estable de la planilla de importación: reimportar no duplica.
    codigo = models.CharField(_("código"), max_length=60, unique=True)
    activa = models.BooleanField(_("activa"), default=True)

    panels = [
        FieldPanel("codigo"),
        FieldPanel("categoria"),
        FieldPanel("tipo"),
        FieldPanel("enunciado"),
        FieldPanel("retroalimentacion"),
        FieldPanel("activa"),
        InlinePanel("opciones", label=_("opciones"), min_num=2),
    ]

    class Meta:
        verbose_name = _("pregunta")
        verbose_name_plural = _("preguntas")
        ordering = ["categoria__nombre", "codigo"]

    def __str__(self) -> str:
        return f"{self.codigo}: {self.enunciado[:60]}"


class Opcion(Orderable):
    pregunta = ParentalKey(Pregunta, on_delete=models.CASCADE, related_name="opciones")
    texto = models.CharField(_("texto"), max_length=500)
    es_correcta = models.BooleanField(_("es correcta"), default=False)
    # Solo en preguntas de pareo: el término que corresponde a este texto.
    pareja = models.CharField(_("pareja (pareo)"), max_length=500, blank=True)
    retroalimentacion = models.CharField(
        _("retroalimentación de la opción"), max_length=500, blank=True
    )

    panels = [
        FieldPanel("texto"),
        FieldPanel("es_correcta"),
        FieldPanel("pareja"),
        FieldPanel("retroalimentacion"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("opción")
        verbose_name_plural = _("opciones")

    def __str__(self) -> str:
        return self.texto


class Evaluacion(ClusterableModel):
    class Retroalimentacion(models.TextChoices):
        CADA_ENVIO = "cada_envio", _("Después de cada envío")
        ULTIMO_INTENTO = "ultimo_intento", _("Después del último intento")
        NUNCA = "nunca", _("Nunca")

    titulo = models.CharField(_("título"), max_length=200)
    instrucciones = models.TextField(_("instrucciones"), blank=True)
    curso = models.ForeignKey(
        "cursos.CursoPage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="evaluaciones",
        verbose_name=_("curso (evaluación final)"),
        help_text=_("Si se indica, aprobarla es requisito para completar el curso."),
    )
    preguntas_aleatorias = models.BooleanField(_("barajar preguntas"), default=True)
    opciones_aleatorias = models.BooleanField(_("barajar opciones"), default=True)
    tiempo_limite_min = models.PositiveSmallIntegerField(
        _("tiempo límite (minutos)"), null=True, blank=True
    )
    intentos_max = models.PositiveSmallIntegerField(_("intentos máximos"), default=3)
    nota_aprobacion = models.PositiveSmallIntegerField(
        _("porcentaje de aprobación"), default=70
    )
    espera_min = models.PositiveSmallIntegerField(
        _("espera entre intentos (minutos)"), default=0
    )
    retroalimentacion = models.CharField(
        _("política de retroalimentación"),
        max_length=20,
        choices=Retroalimentacion.choices,
        default=Retroalimentacion.CADA_ENVIO,
    )

    panels = [
        FieldPanel("titulo"),
        FieldPanel("instrucciones"),
        FieldPanel("curso"),
        InlinePanel("reglas", label=_("reglas de sorteo"), min_num=1),
        MultiFieldPanel(
            [
                FieldPanel("preguntas_aleatorias"),
                FieldPanel("opciones_aleatorias"),
                FieldPanel("tiempo_limite_min"),
                FieldPanel("intentos_max"),
                FieldPanel("nota_aprobacion"),
                FieldPanel("espera_min"),
                FieldPanel("retroalimentacion"),
            ],
            heading=_("Configuración"),
        ),
    ]

    class Meta:
        verbose_name = _("evaluación")
        verbose_name_plural = _("evaluaciones")

    def __str__(self) -> str:
        return self.titulo


class ReglaSorteo(Orderable):
    evaluacion = ParentalKey(
        Evaluacion, on_delete=models.CASCADE, related_name="reglas"
    )
    categoria = models.ForeignKey(
        Categoria, on_delete=models.PROTECT, verbose_name=_("categoría")
    )
    cantidad = models.PositiveSmallIntegerField(_("cantidad de preguntas"), default=5)

    panels = [FieldPanel("categoria"), FieldPanel("cantidad")]

    class Meta(Orderable.Meta):
        verbose_name = _("regla de sorteo")
        verbose_name_plural = _("reglas de sorteo")

    def __str__(self) -> str:
        return f"{self.cantidad} × {self.categoria}"


class Intento(models.Model):
    class Estado(models.TextChoices):
        ABIERTO = "abierto", _("Abierto")
        CALIFICADO = "calificado", _("Calificado")

    evaluacion = models.ForeignKey(
        Evaluacion, on_delete=models.CASCADE, related_name="intentos"
    )
    usuario = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="intentos"
    )
    numero = models.PositiveSmallIntegerField(_("número"))
    # Lección desde la que se rindió (quiz dentro de una lección), si aplica.
    leccion = models.ForeignKey(
        "cursos.LeccionPage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lección"),
    )
    semilla = models.BigIntegerField(_("semilla del sorteo"))
    # [{"pregunta": id, "opciones": [ids en el orden mostrado]}, ...]
    preguntas = models.JSONField(_("preguntas sorteadas"), default=list)
    # {"<pregunta>": [opcion, ...]}; en pareo {"<pregunta>": {"<opcion>": "pareja"}}
    respuestas = models.JSONField(_("respuestas"), default=dict, blank=True)
    estado = models.CharField(
        _("estado"), max_length=12, choices=Estado.choices, default=Estado.ABIERTO
    )
    iniciado_at = models.DateTimeField(_("iniciado el"), auto_now_add=True)
    vence_at = models.DateTimeField(_("vence el"), null=True, blank=True)
    calificado_at = models.DateTimeField(_("calificado el"), null=True, blank=True)
    puntaje = models.DecimalField(
        _("puntaje (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    aprobado = models.BooleanField(_("aprobado"), default=False)
    # {"<pregunta_id>": puntaje 0..1} para la revisión.
    detalle = models.JSONField(
        _("detalle de la calificación"), default=dict, blank=True
    )

    class Meta:
        verbose_name = _("intento")
        verbose_name_plural = _("intentos")
        ordering = ["-iniciado_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluacion", "usuario", "numero"],
                name="evaluaciones_intento_numero_unico",
            ),
            models.UniqueConstraint(
                fields=["evaluacion", "usuario"],
                condition=models.Q(estado="abierto"),
                name="evaluaciones_intento_un_abierto",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.evaluacion} · {self.usuario} · #{self.numero}"
