"""Banco y evaluación final de demostración, escritos desde las semillas.

Se cargan en cada tenant de la demo (``crear_demo``), de forma idempotente: las
preguntas se identifican por su código y no se duplican.
"""

from __future__ import annotations

from cursos.models import CursoPage

from .models import Categoria, Evaluacion, Opcion, Pregunta, ReglaSorteo

CURSO_DEMO = "deteccion-indicadores"
CATEGORIA_DEMO = "Conceptos básicos de trata de personas"
TITULO_DEMO = "Evaluación final: detección e indicadores"

# (código, tipo, enunciado, retroalimentación, [(texto, correcta, pareja)])
PREGUNTAS = [
    (
        "DEMO-LEY",
        Pregunta.Tipo.UNICA,
        "¿Qué ley tipificó en Chile el delito de trata de personas?",
        "La Ley 20.507 (2011) tipificó la trata de personas y el tráfico ilícito de "
        "migrantes en el Código Penal (arts. 411 bis y siguientes).",
        [
            ("Ley 20.507", True, ""),
            ("Ley 21.057", False, ""),
            ("Ley 21.325", False, ""),
        ],
    ),
    (
        "DEMO-FRONTERA",
        Pregunta.Tipo.VERDADERO_FALSO,
        "El tráfico ilícito de migrantes supone cruzar una frontera; la trata de "
        "personas puede ocurrir dentro del mismo país.",
        "Verdadero. La trata no exige cruzar fronteras: lo que la define es la "
        "explotación de la persona.",
        [("Verdadero", True, ""), ("Falso", False, "")],
    ),
    (
        "DEMO-INDICADORES",
        Pregunta.Tipo.MULTIPLE,
        "¿Cuáles de estas situaciones son indicadores de una posible trata?",
        "La retención de documentos, la deuda impuesta y la restricción de movimiento "
        "son indicadores; un contrato vigente, por sí solo, no lo es.",
        [
            ("El empleador retiene su pasaporte o documentos", True, ""),
            ("Tiene una deuda impuesta que no disminuye", True, ""),
            ("No puede salir libremente del lugar de trabajo o alojamiento", True, ""),
            ("Tiene un contrato de trabajo escrito y vigente", False, ""),
        ],
    ),
    (
        "DEMO-DENUNCIA",
        Pregunta.Tipo.UNICA,
        "Un funcionario público conoce, en el ejercicio de sus funciones, un posible "
        "delito de trata. ¿Qué debe hacer?",
        "Los funcionarios públicos están obligados a denunciar (art. 175 del Código "
        "Procesal Penal) dentro de las 24 horas siguientes (art. 176).",
        [
            ("Denunciarlo dentro de las 24 horas", True, ""),
            ("Esperar a que la víctima decida denunciar", False, ""),
            ("Informarlo solo si la víctima es extranjera", False, ""),
        ],
    ),
    (
        "DEMO-ELEMENTOS",
        Pregunta.Tipo.PAREO,
        "Una cada elemento del delito (Protocolo de Palermo) con lo que abarca.",
        "La trata combina una acción, un medio y un fin de explotación.",
        [
            ("Acción", True, "Captar, trasladar, acoger o recibir personas"),
            (
                "Medio",
                True,
                "Violencia, engaño o abuso de una situación de vulnerabilidad",
            ),
            ("Fin", True, "Explotación sexual, laboral o extracción de órganos"),
        ],
    ),
    (
        "DEMO-NNA",
        Pregunta.Tipo.VERDADERO_FALSO,
        "Si la víctima es menor de 18 años, no es necesario acreditar un medio "
        "(violencia, engaño…) para que exista trata.",
        "Verdadero. Con niños, niñas y adolescentes basta la acción con fines de "
        "explotación (Protocolo de Palermo, art. 3 c).",
        [("Verdadero", True, ""), ("Falso", False, "")],
    ),
]


def evaluacion_demo_asegurar() -> Evaluacion | None:
    """Banco de seis preguntas y evaluación final del curso de detección."""
    curso = CursoPage.objects.filter(slug=CURSO_DEMO).first()
    if curso is None:
        return None
    categoria, _c = Categoria.objects.get_or_create(nombre=CATEGORIA_DEMO)
    for codigo, tipo, enunciado, retro, opciones in PREGUNTAS:
        pregunta, creada = Pregunta.objects.get_or_create(
            codigo=codigo,
            defaults={
                "categoria": categoria,
                "tipo": tipo,
                "enunciado": enunciado,
                "retroalimentacion": retro,
            },
        )
        if creada:
            Opcion.objects.bulk_create(
                Opcion(
                    pregunta=pregunta,
                    sort_order=n,
                    texto=texto,
                    es_correcta=correcta,
                    pareja=pareja,
                )
                for n, (texto, correcta, pareja) in enumerate(opciones)
            )
    evaluacion, creada = Evaluacion.objects.get_or_create(
        titulo=TITULO_DEMO,
        defaults={
            "curso": curso,
            "instrucciones": "Cinco preguntas al azar del banco. Se aprueba con 70 %.",
            "tiempo_limite_min": 20,
            "intentos_max": 3,
            "nota_aprobacion": 70,
            "retroalimentacion": Evaluacion.Retroalimentacion.CADA_ENVIO,
        },
    )
    if creada:
        ReglaSorteo.objects.create(
            evaluacion=evaluacion, categoria=categoria, cantidad=5
        )
    return evaluacion
