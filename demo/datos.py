"""Datos de la población de demostración (demo/poblacion.py).

Todo es ficticio: los apellidos son palabras («Muestra», «Boceto»…) para que nadie
los confunda con personas reales, y los RUT (válidos, módulo 11) están en el rango
45.000.000 y siguientes, que no corresponde a personas. Las instituciones y unidades
sí son las del catálogo nacional y de las semillas, para que el tablero MITP se lea
como el del país.

Cada tenant declara:
- ``instituciones``: (código del catálogo, nombre en el tenant, sigla);
- ``unidades``: (sigla, unidad, región, dotación 2024, personas en la nómina); la
  dotación de 2025 y 2026 crece un poco (``CRECIMIENTO``);
- ``trayectoria``: cursos en orden de prerrequisitos; cada persona completa un
  prefijo (ninguno, el primero, los dos primeros…), con fechas crecientes;
- ``jornadas``: (fecha, tema, acciones del plan, modalidad, asistentes, a quiénes:
  la sigla de una institución, el nombre de una unidad o "" para todas); las
  fechas ya pasaron.
"""

from __future__ import annotations

from datetime import date

# Crecimiento de la dotación respecto de 2024, por año.
CRECIMIENTO = {2024: 1.0, 2025: 1.04, 2026: 1.07}
ANIOS = tuple(CRECIMIENTO)

NOMBRES_F = ["Ana", "Carla", "Elena", "Gabriela", "Isidora", "Karina", "Marcela",
             "Olivia", "Rocío", "Tamara", "Valentina", "Paula", "Francisca",
             "Camila", "Josefa", "Daniela", "Constanza", "Antonia", "Javiera",
             "Catalina"]  # fmt: skip
NOMBRES_M = ["Bruno", "Diego", "Felipe", "Héctor", "Javier", "Luis", "Nicolás",
             "Pablo", "Sebastián", "Vicente", "Matías", "Tomás", "Benjamín",
             "Cristóbal", "Ignacio", "Joaquín", "Rodrigo", "Gonzalo", "Martín",
             "Andrés"]  # fmt: skip
# Apellidos que ninguna persona real lleva: palabras de borrador.
APELLIDOS = ["Muestra", "Ejemplo", "Prueba", "Ensayo", "Boceto", "Maqueta",
             "Borrador", "Plantilla", "Bosquejo", "Esbozo", "Simulacro",
             "Ficción"]  # fmt: skip

# Primer RUT de cada tenant (cuerpo); la persona i tiene el cuerpo base + i.
RUT_BASE = 45_000_000
RUT_PASO = 100_000

SIN_AREA = ""

POBLACIONES: dict[str, dict] = {
    "policias": {
        "instituciones": [
            ("carabineros", "Carabineros de Chile", "Carabineros"),
            ("pdi", "Policía de Investigaciones de Chile", "PDI"),
        ],
        "unidades": [
            ("Carabineros", "Prefectura Arica", "arica", 120, 45),
            ("Carabineros", "Prefectura Tarapacá", "tarapaca", 90, 35),
            ("Carabineros", "Prefectura Santiago Central", "metropolitana", 160, 50),
            ("Carabineros", "Prefectura Valparaíso", "valparaiso", 110, 30),
            (
                "PDI",
                "Brigada de Trata de Personas (BITRAP)",
                "metropolitana",
                45,
                25,
            ),
            ("PDI", "Brigada de Migraciones Arica", "arica", 60, 25),
        ],
        "cargos": [
            "Sargento 2°",
            "Cabo 1°",
            "Teniente",
            "Suboficial",
            "Subcomisario",
            "Inspector",
            "Detective",
        ],
        "trayectoria": [
            "que-es-la-trata",
            "enfoques-transversales",
            "entrevista-centrada-victima",
        ],
        # Fracción de la nómina que completa 0, 1, 2… cursos de la trayectoria.
        "prefijos": [0.35, 0.40, 0.15, 0.10],
        "jornadas": [
            (
                date(2024, 6, 12),
                "Guía de fiscalización intersectorial",
                ["E3-A1.1"],
                "presencial",
                30,
                "Carabineros",
            ),
            (
                date(2024, 9, 4),
                "Investigación criminal de la trata",
                ["E3-A1.2"],
                "presencial",
                25,
                "PDI",
            ),
            (
                date(2025, 3, 19),
                "Guía de fiscalización: Arica",
                ["E3-A1.1"],
                "presencial",
                22,
                "Carabineros",
            ),
            (
                date(2025, 5, 14),
                "Guía de fiscalización: Tarapacá",
                ["E3-A1.1"],
                "presencial",
                20,
                "Carabineros",
            ),
            (
                date(2025, 8, 20),
                "Guía de fiscalización: Valparaíso",
                ["E3-A1.1"],
                "online",
                24,
                "Carabineros",
            ),
            (
                date(2025, 7, 2),
                "Guía de fiscalización: Alto Hospicio",
                ["E3-A1.1"],
                "presencial",
                18,
                "Prefectura Tarapacá",
            ),
            (
                date(2025, 10, 8),
                "Guía de fiscalización: Santiago",
                ["E3-A1.1"],
                "presencial",
                28,
                "Carabineros",
            ),
            (
                date(2026, 4, 15),
                "Guía de fiscalización: actualización",
                ["E3-A1.1"],
                "online",
                35,
                "Carabineros",
            ),
            (
                date(2026, 6, 24),
                "Trata y violencia de género",
                ["E1-A1.9"],
                "presencial",
                40,
                "",
            ),
            (
                date(2026, 9, 9),
                "Entrevista a víctimas e investigación",
                ["E3-A1.2"],
                "presencial",
                30,
                "PDI",
            ),
        ],
    },
    "fronteras": {
        "instituciones": [
            ("aduanas", "Servicio Nacional de Aduanas", "Aduanas"),
            ("sag", "Servicio Agrícola y Ganadero", "SAG"),
            ("pdi", "Policía de Investigaciones de Chile", "PDI"),
        ],
        # Cada complejo es una unidad de una sola institución: así «complejos
        # capacitados» cuenta complejos y no pares institución-complejo.
        "unidades": [
            ("Aduanas", "Complejo Chacalluta", "arica", 70, 40),
            ("Aduanas", "Complejo Los Libertadores", "valparaiso", 65, 35),
            ("SAG", "Complejo Colchane", "tarapaca", 40, 30),
            ("SAG", "Complejo Cardenal Samoré", "los_lagos", 35, 25),
            ("PDI", "Complejo Chungará", "arica", 45, 25),
            ("PDI", "Complejo Integración Austral", "magallanes", 30, 20),
        ],
        "cargos": [
            "Fiscalizador/a",
            "Inspector/a",
            "Técnico/a",
            "Detective",
            "Jefe/a de turno",
        ],
        "trayectoria": [
            "que-es-la-trata",
            "enfoques-transversales",
            "nna-no-acompanados-frontera",
        ],
        "prefijos": [0.40, 0.30, 0.15, 0.15],
        # Los cursos de E1-A2.3 se completan solo en estas unidades y años: así el
        # avance de «complejos capacitados» es el que se lee en el tablero.
        "complejos_curso": {
            2025: ["Complejo Los Libertadores", "Complejo Colchane"],
            2026: ["Complejo Chacalluta", "Complejo Cardenal Samoré"],
        },
        "jornadas": [
            (
                date(2024, 10, 16),
                "Detección de víctimas en frontera",
                ["E1-A2.3"],
                "presencial",
                25,
                "Complejo Chacalluta",
            ),
            (
                date(2025, 6, 11),
                "NNA no acompañados en frontera",
                ["E1-A2.3"],
                "presencial",
                18,
                "Complejo Chungará",
            ),
            (
                date(2026, 5, 20),
                "Control fronterizo: casos prácticos",
                ["E1-A2.3"],
                "online",
                20,
                "Complejo Colchane",
            ),
        ],
    },
    "turismo": {
        "instituciones": [
            ("sernatur", "Servicio Nacional de Turismo", "SERNATUR"),
            (
                "prestadores-turismo",
                "Prestadores de servicios turísticos",
                "Prestadores",
            ),
        ],
        "unidades": [
            ("SERNATUR", "Dirección Regional de Valparaíso", "valparaiso", 30, 20),
            ("SERNATUR", "Dirección Regional de Los Lagos", "los_lagos", 25, 15),
            ("SERNATUR", "Dirección Regional de Magallanes", "magallanes", 20, 12),
            (
                "Prestadores",
                "Alojamientos turísticos de Valparaíso",
                "valparaiso",
                140,
                60,
            ),
            ("Prestadores", "Agencias de viaje de Santiago", "metropolitana", 120, 50),
            ("Prestadores", "Guías de turismo de Magallanes", "magallanes", 60, 30),
        ],
        "cargos": [
            "Recepcionista",
            "Guía de turismo",
            "Agente de viajes",
            "Profesional",
            "Administrador/a",
        ],
        "trayectoria": [
            "que-es-la-trata",
            "esnna-viajes-turismo",
            "prestador-turistico-actua",
        ],
        "prefijos": [0.45, 0.30, 0.15, 0.10],
        # E1-A1.10: una capacitación mensual (se generan en demo.poblacion).
        "meses_e1_a1_10": {
            2024: [8, 10, 11],
            2025: list(range(1, 13)),
            2026: [1, 3, 4, 5, 6, 8, 9, 10, 11],
        },
        "jornadas": [],
    },
    "consulados": {
        "instituciones": [
            ("minrel", "Ministerio de Relaciones Exteriores", "MINREL"),
            (
                "academia-diplomatica",
                "Academia Diplomática de Chile Andrés Bello",
                "ACADE",
            ),
        ],
        "unidades": [
            (
                "MINREL",
                "DIGECONSU (Santiago)",
                "metropolitana",
                60,
                34,
            ),
            ("MINREL", "Consulado General en Buenos Aires", "extranjero", 25, 20),
            ("MINREL", "Consulado General en Lima", "extranjero", 22, 18),
            ("MINREL", "Consulado en Tacna", "extranjero", 12, 10),
            ("MINREL", "Consulado General en La Paz", "extranjero", 18, 14),
            ("MINREL", "Consulado General en Madrid", "extranjero", 20, 14),
            ("ACADE", "Alumnos de la Academia Diplomática", "metropolitana", 45, 40),
        ],
        "cargos": [
            "Cónsul",
            "Vicecónsul",
            "Oficial consular",
            "Analista",
            "Alumno/a",
        ],
        "trayectoria": [
            "que-es-la-trata",
            "protocolo-intersectorial",
            "connacionales-victimas-exterior",
            "retorno-asistido-minrel",
        ],
        "prefijos": [0.40, 0.28, 0.17, 0.09, 0.06],
        "jornadas": [
            (
                date(2025, 4, 9),
                "Atención consular a víctimas de trata",
                ["E2-A2.3"],
                "online",
                30,
                "MINREL",
            ),
            (
                date(2026, 7, 15),
                "Guía de actuación con connacionales",
                ["E2-A2.3"],
                "online",
                35,
                "",
            ),
        ],
    },
    "mejorninez": {
        "instituciones": [
            (
                "mejor-ninez",
                "Servicio Nacional de Protección Especializada a la Niñez y "
                "Adolescencia",
                "Mejor Niñez",
            ),
            (
                "organizaciones-sociedad-civil",
                "Organismos colaboradores acreditados (OCA)",
                "OCA",
            ),
        ],
        "unidades": [
            ("Mejor Niñez", "Dirección Regional Biobío", "biobio", 80, 40),
            (
                "Mejor Niñez",
                "Dirección Regional Metropolitana",
                "metropolitana",
                110,
                50,
            ),
            ("Mejor Niñez", "Residencias de Valparaíso", "valparaiso", 70, 35),
            (
                "OCA",
                "Programas de protección (OCA) Araucanía",
                "araucania",
                50,
                25,
            ),
            ("OCA", "Residencias familiares (OCA) Antofagasta", "antofagasta", 40, 20),
        ],
        "cargos": [
            "Educador/a de trato directo",
            "Psicólogo/a",
            "Trabajador/a social",
            "Director/a de residencia",
            "Profesional",
        ],
        "trayectoria": [
            "que-es-la-trata",
            "protocolo-b-ley-21057",
            "enfoques-transversales",
            "no-revictimizar-nna",
        ],
        "prefijos": [0.40, 0.30, 0.15, 0.09, 0.06],
        "jornadas": [
            (
                date(2024, 5, 22),
                "Trata de NNA: detección en residencias",
                ["E2-A2.2", "E2-A2.1"],
                "presencial",
                30,
                "Mejor Niñez",
            ),
            (
                date(2024, 11, 6),
                "Trata y violencia de género",
                ["E1-A1.9"],
                "presencial",
                35,
                "",
            ),
            (
                date(2025, 4, 23),
                "Protocolo Intersectorial: presentación",
                ["E1-A2.2", "E2-A2.1"],
                "presencial",
                40,
                "Mejor Niñez",
            ),
            (
                date(2025, 9, 17),
                "Protocolo B y entrevista a NNA",
                ["E2-A2.2"],
                "online",
                35,
                "Mejor Niñez",
            ),
            (
                date(2025, 11, 12),
                "Trata y violencia de género",
                ["E1-A1.9"],
                "online",
                30,
                "",
            ),
            (
                date(2026, 3, 18),
                "Acompañamiento de NNA víctimas: casos",
                ["E2-A2.1"],
                "presencial",
                25,
                "OCA",
            ),
        ],
    },
}

# Personas de la PDI que trabajan en complejos fronterizos y también están en la
# nómina de «policias» con el mismo RUT: el país las cuenta una vez.
# tenant → (tenant de origen, unidad de origen, unidad en este tenant, cuántas).
COMPARTIDAS = {
    "fronteras": ("policias", "Brigada de Migraciones Arica", "Complejo Chungará", 8)
}
