"""API REST para sistemas de RR. HH. y SCIM 2.0 para proveedores de identidad.

Vive en la app ``cursos`` (DESIGN.md §4 y §8): los modelos se registran desde
cursos/models.py (``TokenAPI``) y las reglas son las de los servicios de cursos.
"""
