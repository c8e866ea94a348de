"""Evaluación final de cada curso del currículo, desde su banco versionado en YAML.

Cada curso de ``cursos/curriculo/*.yaml`` tiene un archivo hermano
``cursos/curriculo/evaluaciones/<slug del curso>.yaml`` con el banco y la
configuración. El código de cada pregunta es ``<slug>-NN`` por su posición: las
preguntas nuevas se agregan al final, así reimportar no cambia los códigos.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from .models import Categoria, Evaluacion, Opcion, Pregunta, ReglaSorteo
from .reglas import opciones_errores

TIPOS = {t.value for t in Pregunta.Tipo}
PREGUNTAS_POR_INTENTO = 5
NOTA_APROBACION = 70
INTENTOS_MAX = 3


def banco_codigo(curso_slug: str, numero: int) -> str:
    return f"{curso_slug}-{numero:02d}"


def banco_categoria_nombre(curso_slug: str) -> str:
    return f"Evaluación final · {curso_slug}"


def pregunta_opciones(datos: dict) -> list[dict]:
    """Opciones (texto, es_correcta, pareja) de una pregunta escrita en el YAML."""
    tipo = datos.get("tipo")
    if tipo == "vf":
        verdadero = bool(datos.get("verdadero"))
        return [
            {"texto": "Verdadero", "es_correcta": verdadero, "pareja": ""},
            {"texto": "Falso", "es_correcta": not verdadero, "pareja": ""},
        ]
    if tipo == "pareo":
        return [
            {"texto": str(a), "es_correcta": True, "pareja": str(b)}
            for a, b in datos.get("pares", [])
        ]
    return [
        *(
            {"texto": str(t), "es_correcta": True, "pareja": ""}
            for t in datos.get("correctas", [])
        ),
        *(
            {"texto": str(t), "es_correcta": False, "pareja": ""}
            for t in datos.get("incorrectas", [])
        ),
    ]


def banco_errores(*, curso: dict, banco: dict | None) -> list[str]:
    """Lo que impide cargar la evaluación final de ``curso`` (dict del YAML)."""
    slug = curso["slug"]
    if banco is None:
        return [
            _(
                "Curso «%(curso)s»: falta su evaluación final "
                "(evaluaciones/%(curso)s.yaml)."
            )
            % {"curso": slug}
        ]
    errores = []
    preguntas = banco.get("preguntas") or []
    sorteadas = banco.get("preguntas_por_intento", PREGUNTAS_POR_INTENTO)
    if len(preguntas) < 2 * sorteadas:
        errores.append(
            _(
                "Curso «%(curso)s»: el banco tiene %(n)s preguntas y debe tener al "
                "menos el doble de las %(s)s que se sortean."
            )
            % {"curso": slug, "n": len(preguntas), "s": sorteadas}
        )
    if not banco.get("tiempo_limite_min"):
        errores.append(
            _("Curso «%(curso)s»: la evaluación final necesita un tiempo límite.")
            % {"curso": slug}
        )
    for numero, datos in enumerate(preguntas, start=1):
        codigo = banco_codigo(slug, numero)
        if datos.get("tipo") not in TIPOS:
            errores.append(
                _("Pregunta %(codigo)s: tipo «%(tipo)s» desconocido.")
                % {"codigo": codigo, "tipo": datos.get("tipo")}
            )
            continue
        if not (datos.get("enunciado") or "").strip():
            errores.append(
                _("Pregunta %(codigo)s: falta el enunciado.") % {"codigo": codigo}
            )
        for error in opciones_errores(
            tipo=datos["tipo"], opciones=pregunta_opciones(datos)
        ):
            errores.append(f"{_('Pregunta')} {codigo}: {error}")
    return errores


def minutos_curso(*, curso: dict, banco: dict) -> int:
    """Minutos que el curso declara en horas: lecciones más la evaluación final."""
    lecciones = sum(int(x["minutos"]) for x in curso["lecciones"])
    return lecciones + int(banco.get("tiempo_limite_min") or 0)


def horas_errores(*, curso: dict, banco: dict) -> list[str]:
    declarados = Decimal(str(curso["horas"])) * 60
    lecciones = sum(int(x["minutos"]) for x in curso["lecciones"])
    evaluacion = int(banco.get("tiempo_limite_min") or 0)
    if declarados == lecciones + evaluacion:
        return []
    return [
        _(
            "Curso «%(curso)s»: declara %(horas)s h (%(declarados)s min), pero sus "
            "lecciones suman %(lecciones)s min y la evaluación final %(evaluacion)s "
            "min (%(total)s min). Corrija «horas» o los minutos de las lecciones."
        )
        % {
            "curso": curso["slug"],
            "horas": curso["horas"],
            "declarados": int(declarados)
            if declarados == declarados.to_integral_value()
            else declarados,
            "lecciones": lecciones,
            "evaluacion": evaluacion,
            "total": lecciones + evaluacion,
        }
    ]


def _opciones_sincronizar(pregunta: Pregunta, opciones: list[dict]) -> None:
    # Por posición y en su lugar, como la importación: los intentos ya rendidos
    # guardan ids de opción y deben seguir apuntando a la misma.
    existentes = {o.sort_order: o for o in Opcion.objects.filter(pregunta=pregunta)}
    for i, datos in enumerate(opciones):
        opcion = existentes.pop(i, None) or Opcion(pregunta=pregunta, sort_order=i)
        if (
            any(getattr(opcion, k, None) != v for k, v in datos.items())
            or not opcion.pk
        ):
            for campo, valor in datos.items():
                setattr(opcion, campo, valor)
            opcion.save()
    Opcion.objects.filter(pk__in=[o.pk for o in existentes.values()]).delete()


def evaluacion_final_cargar(*, curso, datos_curso: dict, banco: dict) -> Evaluacion:
    """Crea o actualiza la evaluación final de ``curso`` y su banco. Idempotente."""
    slug = datos_curso["slug"]
    categoria, _c = Categoria.objects.get_or_create(nombre=banco_categoria_nombre(slug))
    codigos = []
    for numero, datos in enumerate(banco["preguntas"], start=1):
        codigo = banco_codigo(slug, numero)
        codigos.append(codigo)
        pregunta, _creada = Pregunta.objects.update_or_create(
            codigo=codigo,
            defaults={
                "categoria": categoria,
                "tipo": datos["tipo"],
                "enunciado": datos["enunciado"].strip(),
                "retroalimentacion": (datos.get("retroalimentacion") or "").strip(),
                "activa": True,
            },
        )
        _opciones_sincronizar(pregunta, pregunta_opciones(datos))
    # Las que salieron del banco quedan inactivas (no se borran: hay intentos).
    Pregunta.objects.filter(codigo__startswith=f"{slug}-", categoria=categoria).exclude(
        codigo__in=codigos
    ).update(activa=False)
    sorteadas = banco.get("preguntas_por_intento", PREGUNTAS_POR_INTENTO)
    campos = {
        "titulo": banco.get("titulo")
        or _("Evaluación final: %(curso)s") % {"curso": datos_curso["titulo"]},
        "instrucciones": _(
            "%(n)s preguntas al azar de un banco de %(total)s. Tiempo límite: "
            "%(min)s minutos. Se aprueba con %(nota)s %%; tiene %(intentos)s intentos."
        )
        % {
            "n": sorteadas,
            "total": len(banco["preguntas"]),
            "min": banco["tiempo_limite_min"],
            "nota": banco.get("nota_aprobacion", NOTA_APROBACION),
            "intentos": banco.get("intentos_max", INTENTOS_MAX),
        },
        "tiempo_limite_min": banco["tiempo_limite_min"],
        "intentos_max": banco.get("intentos_max", INTENTOS_MAX),
        "nota_aprobacion": banco.get("nota_aprobacion", NOTA_APROBACION),
        "retroalimentacion": Evaluacion.Retroalimentacion.ULTIMO_INTENTO,
    }
    evaluacion = (
        Evaluacion.objects.filter(curso=curso, reglas__categoria=categoria)
        .distinct()
        .first()
    )
    if evaluacion is None:
        evaluacion = Evaluacion.objects.create(curso=curso, **campos)
    else:
        for campo, valor in campos.items():
            setattr(evaluacion, campo, valor)
        evaluacion.save()
    ReglaSorteo.objects.update_or_create(
        evaluacion=evaluacion, categoria=categoria, defaults={"cantidad": sorteadas}
    )
    return evaluacion
