"""Importación del banco de preguntas desde xlsx (openpyxl en modo de solo lectura).

Una fila por pregunta. Reimportar el mismo archivo actualiza por «Código» y no duplica.
Todo o nada: si alguna fila tiene errores no se aplica ninguna y la planilla de errores
repite sus valores.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from content.trabajos import importable
from lib import planillas
from lib.planillas import ResultadoImportacion, filas_de_datos, texto, xlsx_abrir

from .models import Categoria, Opcion, Pregunta
from .reglas import opciones_errores

MAX_OPCIONES = 6
MAX_FILAS = 5000
COLUMNAS = (
    ["Código", "Categoría", "Tipo", "Enunciado", "Retroalimentación general"]
    + [f"Opción {n}" for n in range(1, MAX_OPCIONES + 1)]
    + ["Correctas"]
    + [f"Retroalimentación opción {n}" for n in range(1, MAX_OPCIONES + 1)]
)
TIPOS = {t.value for t in Pregunta.Tipo}


EJEMPLOS = [
    [
        "TP-001",
        "Conceptos",
        "unica",
        "¿Qué elemento NO exige la definición de "
        "trata cuando la víctima es menor de 18 años?",
        "En NNA basta acción y fin.",
        "La acción",
        "Los medios",
        "El fin de explotación",
        "",
        "",
        "",
        "2",
    ],
    [
        "TP-002",
        "Conceptos",
        "pareo",
        "Una cada institución con su rol.",
        "",
        "BRITRAP => PDI",
        "OS9 => Carabineros",
        "URAVIT => Fiscalía",
        "",
        "",
        "",
        "",
    ],
    [
        "TP-003",
        "Conceptos",
        "vf",
        "El consentimiento de una víctima adulta excluye la trata si hubo engaño.",
        "Con medios, el consentimiento es irrelevante.",
        "Verdadero",
        "Falso",
        "",
        "",
        "",
        "",
        "2",
    ],
]


def plantilla_xlsx() -> bytes:
    return planillas.plantilla_xlsx(
        titulo="Preguntas", columnas=COLUMNAS, ejemplos=EJEMPLOS
    )


def _fila_interpretar(celdas: list[Any]) -> dict[str, Any]:
    celdas = list(celdas) + [None] * (len(COLUMNAS) - len(celdas))
    codigo, categoria, tipo, enunciado, retro = (texto(c) for c in celdas[:5])
    opciones = [texto(c) for c in celdas[5 : 5 + MAX_OPCIONES]]
    correctas_txt = texto(celdas[5 + MAX_OPCIONES])
    retros = [texto(c) for c in celdas[6 + MAX_OPCIONES : 6 + 2 * MAX_OPCIONES]]
    errores = []
    if not codigo:
        errores.append(_("falta el código"))
    if not categoria:
        errores.append(_("falta la categoría"))
    tipo = tipo.lower()
    if tipo not in TIPOS:
        errores.append(
            _("tipo «%(tipo)s» desconocido (use unica, multiple, vf o pareo)")
            % {"tipo": tipo}
        )
    if not enunciado:
        errores.append(_("falta el enunciado"))
    usadas = [(n, o, retros[n - 1]) for n, o in enumerate(opciones, start=1) if o]
    if len(usadas) < 2:
        errores.append(_("necesita al menos dos opciones"))
    correctas: set[int] = set()
    if tipo == "pareo":
        if any("=>" not in o for _n, o, _r in usadas):
            errores.append(_("en pareo cada opción se escribe «término => pareja»"))
    else:
        try:
            correctas = {
                int(x) for x in correctas_txt.replace(";", ",").split(",") if x
            }
        except ValueError:
            errores.append(_("«Correctas» debe listar números de opción, p. ej. 1,3"))
        if not correctas and not errores:
            errores.append(_("indique en «Correctas» al menos una opción"))
        if correctas - {n for n, _o, _r in usadas}:
            errores.append(_("«Correctas» menciona una opción vacía"))
        if tipo in ("unica", "vf") and len(correctas) > 1:
            errores.append(_("este tipo admite una sola opción correcta"))
    if errores:
        raise ValidationError("; ".join(errores))
    opciones_datos: list[dict[str, Any]] = [
        {
            "texto": o.split("=>")[0].strip() if tipo == "pareo" else o,
            "pareja": o.split("=>", 1)[1].strip() if tipo == "pareo" else "",
            "es_correcta": tipo == "pareo" or n in correctas,
            "retroalimentacion": r,
        }
        for n, o, r in usadas
    ]
    # La misma regla que el administrador y el currículo (evaluaciones.reglas).
    errores = opciones_errores(tipo=tipo, opciones=opciones_datos)
    if errores:
        raise ValidationError("; ".join(errores))
    return {
        "codigo": codigo,
        "categoria": categoria,
        "tipo": tipo,
        "enunciado": enunciado,
        "retroalimentacion": retro,
        "opciones": opciones_datos,
    }


@transaction.atomic
def _pregunta_guardar(datos: dict[str, Any]) -> bool:
    categoria, _c = Categoria.objects.get_or_create(nombre=datos["categoria"])
    pregunta, creada = Pregunta.objects.update_or_create(
        codigo=datos["codigo"],
        defaults={
            "categoria": categoria,
            "tipo": datos["tipo"],
            "enunciado": datos["enunciado"],
            "retroalimentacion": datos["retroalimentacion"],
            "activa": True,
        },
    )
    # Las opciones se actualizan en su lugar, por posición: los intentos ya rendidos
    # guardan ids de opción y deben seguir apuntando a la misma.
    existentes = {o.sort_order: o for o in Opcion.objects.filter(pregunta=pregunta)}
    for i, op in enumerate(datos["opciones"]):
        opcion = existentes.pop(i, None) or Opcion(pregunta=pregunta, sort_order=i)
        for campo, valor in op.items():
            setattr(opcion, campo, valor)
        opcion.save()
    Opcion.objects.filter(pk__in=[o.pk for o in existentes.values()]).delete()
    return bool(creada)


@importable
def preguntas_importar(
    archivo: IO[bytes], al_avanzar: Callable[[int], None] | None = None
) -> ResultadoImportacion:
    """Importa el banco, todo o nada: si alguna fila tiene errores no se aplica
    ninguna y el resultado repite sus valores; si no, todas en una transacción."""
    resultado = ResultadoImportacion()
    libro = xlsx_abrir(archivo)
    hoja = libro.worksheets[0]
    vistos: set[str] = set()
    preguntas = []
    for numero, fila in filas_de_datos(hoja, resultado.errores, max_filas=MAX_FILAS):
        try:
            datos = _fila_interpretar(list(fila))
            if datos["codigo"] in vistos:
                raise ValidationError(_("código repetido en la planilla"))
            vistos.add(datos["codigo"])
        except ValidationError as exc:
            resultado.error_agregar(numero, " ".join(exc.messages), fila)
            continue
        preguntas.append(datos)
    libro.close()
    if resultado.errores:
        return resultado
    if al_avanzar:
        al_avanzar(50)
    with transaction.atomic():
        for datos in preguntas:
            if _pregunta_guardar(datos):
                resultado.creadas += 1
            else:
                resultado.actualizadas += 1
    return resultado
