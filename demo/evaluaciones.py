"""Banco y evaluación final de demostración, escritos desde las semillas.

Se cargan en cada tenant de la demo (``crear_demo``), de forma idempotente: las
preguntas se identifican por su código y no se duplican. La evaluación final misma
viene del currículo; la demo solo suma estas preguntas a su banco.
"""

from __future__ import annotations

from cursos.models import CursoPage
from evaluaciones.models import Evaluacion, Intento, Opcion, Pregunta
from evaluaciones.services import intento_enviar, intento_iniciar

CURSO_DEMO = "deteccion-indicadores"

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
    """Suma las seis preguntas de la demo al banco de la evaluación final del curso.

    La evaluación final la crea el currículo (cursos/curriculo/evaluaciones/); la demo
    no crea otra, solo agrega sus preguntas a la misma categoría. Idempotente.
    """
    curso = CursoPage.objects.filter(slug=CURSO_DEMO).first()
    if curso is None:
        return None
    evaluacion = curso.evaluaciones.order_by("pk").first()
    if evaluacion is None:
        return None
    categoria = evaluacion.reglas.order_by("sort_order").first().categoria
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
    return evaluacion


def respuestas_correctas(intento: Intento) -> dict:
    """Las respuestas correctas de lo sorteado en ``intento`` (solo para la demo)."""
    ids = [p["pregunta"] for p in intento.preguntas]
    tipos = dict(Pregunta.objects.filter(pk__in=ids).values_list("pk", "tipo"))
    opciones = Opcion.objects.in_bulk(
        [o for p in intento.preguntas for o in p["opciones"]]
    )
    respuestas: dict = {}
    for item in intento.preguntas:
        lista = [opciones[o] for o in item["opciones"] if o in opciones]
        clave = str(item["pregunta"])
        if tipos.get(item["pregunta"]) == Pregunta.Tipo.PAREO:
            respuestas[clave] = {str(o.pk): o.pareja for o in lista}
        else:
            respuestas[clave] = [o.pk for o in lista if o.es_correcta]
    return respuestas


def curso_demo_aprobar(*, usuario, curso: CursoPage):
    """Recorre el curso por los servicios: lecciones y evaluación final aprobada.

    Para la demo y las pruebas: la completitud se gana como la ganaría una persona,
    con intentos calificados en el servidor, no marcando ``completado_at`` a mano.
    Devuelve la inscripción.
    """
    from cursos.models import LeccionPage
    from cursos.services import inscripcion_crear, leccion_completar
    from cursos.services.inscripciones import evaluaciones_finales_por_aprobar

    inscripcion, _creada = inscripcion_crear(usuario=usuario, curso=curso)
    obligatorias = LeccionPage.objects.live().child_of(curso).filter(obligatoria=True)
    for leccion in obligatorias.order_by("path"):
        leccion_completar(inscripcion=inscripcion, leccion=leccion)
    # En un ciclo nuevo (recertificación, versión mayor) hay que aprobar otra vez.
    por_aprobar = evaluaciones_finales_por_aprobar(inscripcion=inscripcion)
    for evaluacion in por_aprobar.order_by("pk"):
        intento = intento_iniciar(usuario=usuario, evaluacion=evaluacion)
        intento_enviar(
            intento_id=intento.pk,
            usuario=usuario,
            respuestas=respuestas_correctas(intento),
        )
    inscripcion.refresh_from_db()
    return inscripcion
