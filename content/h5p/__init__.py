"""Paquetes H5P: validación, desempaque seguro y resultados xAPI.

Se re-exporta aquí lo que usan vistas, admin, bloques y pruebas.
"""

from .almacen import (
    archivos_eliminar_al_confirmar,
    carpeta_eliminar,
    paquete_cargar,
    paquete_crear,
    paquete_desempacar,
    paquete_eliminar,
)
from .validacion import EXTENSIONES_PERMITIDAS, paquete_validar
from .xapi import (
    VERBOS_FINALES,
    actividad_iri,
    bloques_h5p,
    declaracion_interpretar,
    paquete_aprobado,
    resultado_mejor,
    resultado_registrar,
)

__all__ = [
    "EXTENSIONES_PERMITIDAS",
    "VERBOS_FINALES",
    "actividad_iri",
    "archivos_eliminar_al_confirmar",
    "bloques_h5p",
    "carpeta_eliminar",
    "declaracion_interpretar",
    "paquete_aprobado",
    "paquete_cargar",
    "paquete_crear",
    "paquete_desempacar",
    "paquete_eliminar",
    "paquete_validar",
    "resultado_mejor",
    "resultado_registrar",
]
