"""Cómo se cuenta: el texto que acompaña las cifras (hoja «Metodología» del libro del
Plan). Es la única redacción de las definiciones; el código que las implementa está en
indicadores/selectors.py."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

DEFINICION_CAPACITADO = _(
    "Una persona está capacitada en el año Y si en Y completó un curso (aprobando "
    "su evaluación final cuando la tiene) o asistió a una jornada. % capacitado "
    "(fórmula del plan 2013-2014) = personas capacitadas en el año en unidades con "
    "dotación informada para ese año (o la última informada antes) ÷ la dotación de "
    "esas unidades × 100. La unidad es la de la persona al momento de capacitarse. "
    "Quienes se capacitaron en unidades sin dotación (o sin unidad) se informan en "
    "su propia línea, «sin dotación informada», y nunca entran al numerador."
)

METODOLOGIA = [
    (
        _("Funcionarios capacitados"),
        _(
            "Personas distintas con al menos un curso completado o una "
            "asistencia a jornada en el periodo."
        ),
    ),
    (
        _("Unidad al momento de la capacitación"),
        _(
            "Cada hecho guarda la unidad, la institución y la región de la "
            "persona cuando se capacitó. Si después cambia de unidad, lo ya "
            "contado no se mueve: cuenta para la unidad donde estaba."
        ),
    ),
    (
        _("Atribución a las acciones"),
        _(
            "Un hecho cuenta para una acción solo si la institución del "
            "catálogo nacional de la persona es destinataria de la acción (por "
            "sector, por tipo o nombrada), la modalidad está permitida (curso "
            "autoinstruccional, jornada presencial, jornada en línea en vivo) y "
            "la actividad es pertinente: la jornada declara la acción o el curso"
            " la lleva entre sus acciones. Cada acción declara sus destinatarios"
            " junto a la frase del plan que lo justifica."
        ),
    ),
    (
        _("Meses distintos"),
        _(
            "E1-A1.10 cuenta meses del calendario con al menos una capacitación:"
            " doce sesiones el mismo día son un mes."
        ),
    ),
    (
        _("Instituciones nombradas"),
        _(
            "E1-A2.2 cuenta cada una de las cuatro instituciones que nombra la "
            "meta una vez en el periodo del plan."
        ),
    ),
    (
        _("% capacitado nacional"),
        _(
            "Por año, sector, grupo destinatario, institución, región y sexo, "
            "con la misma población. Por sexo, el denominador es la dotación de"
            " mujeres (u hombres) de las unidades que la informaron. «Dotación "
            "informada» = unidades con dotación ÷ todas las unidades."
        ),
    ),
    (
        _("Regla de deduplicación"),
        _(
            "Cada persona se identifica por una clave seudónima (HMAC-SHA256 "
            "del RUT con un secreto del servidor): cuenta una vez aunque se "
            "capacite en varios cursos o en varios sitios. Sin RUT registrado, "
            "la clave sale de su cuenta y solo deduplica dentro de su sitio. "
            "Los desgloses no se suman: una persona puede aparecer en dos "
            "categorías."
        ),
    ),
    (
        _("Capacitaciones implementadas"),
        _(
            "Jornadas realizadas (con al menos una asistencia) más cursos en "
            "línea dictados, cada curso una vez por año en que alguien lo "
            "completó."
        ),
    ),
    (
        _("Instituciones capacitadas"),
        _(
            "Instituciones distintas del catálogo nacional con al menos una "
            "persona capacitada, una vez en el país. Una persona sin unidad ni "
            "institución no cuenta como institución."
        ),
    ),
    (
        _("Complejos fronterizos capacitados"),
        _(
            "Unidades distintas del sitio de complejos fronterizos con al menos"
            " una persona capacitada."
        ),
    ),
    (
        _("Asistencia"),
        _(
            "Una asistencia registrada (QR dentro de la ventana de la jornada, "
            "o planilla de la encargada) cuenta como capacitación; no hay "
            "asistencia parcial."
        ),
    ),
    (
        _("% capacitado"),
        _(
            "Capacitados del año en unidades con dotación ÷ la dotación de esas "
            "unidades (la del año o la última informada antes) × 100."
        ),
    ),
    (
        _("Estado de la meta"),
        _(
            "Cumplida: lo logrado alcanza la meta. No cumplida: venció el plazo"
            " sin alcanzarla. En curso: va al ritmo lineal esperado entre el "
            "inicio y el plazo. En riesgo: va por debajo de ese ritmo."
        ),
    ),
    (
        _("Metas sí/no"),
        _(
            "Las metas que la plataforma no puede contar (guías, seminario, "
            "programa diseñado, informes de avance) las registra la "
            "coordinación MITP en el sitio público, con la evidencia adjunta."
        ),
    ),
]
