from wagtail.snippets.models import register_snippet

from .models import CursoActualizacion

register_snippet(CursoActualizacion)
