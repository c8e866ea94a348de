"""Producción exige una caché compartida (DESIGN.md §6).

Con la caché en memoria de cada proceso, 4 workers de gunicorn dieron 8 intentos de
ingreso fallidos antes del bloqueo en vez de 5: ``check --deploy`` debe fallar.
"""

from __future__ import annotations

from django.core.checks import run_checks
from django.test import SimpleTestCase, override_settings

from tenants.checks import cache_compartida_revisar


def _cache(backend: str, **opciones) -> dict:
    return {"default": {"BACKEND": backend, **opciones}}


LOCMEM = _cache("django.core.cache.backends.locmem.LocMemCache")
REDIS = _cache(
    "django.core.cache.backends.redis.RedisCache", LOCATION="redis://127.0.0.1:6379/1"
)


def _ids(errores) -> set[str]:
    return {e.id for e in errores}


class CacheCompartidaCheckTests(SimpleTestCase):
    def test_caches_por_proceso_sin_debug_son_error(self):
        for backend in (
            "django.core.cache.backends.locmem.LocMemCache",
            "django.core.cache.backends.dummy.DummyCache",
            "django.core.cache.backends.filebased.FileBasedCache",
        ):
            with self.subTest(backend=backend):
                opciones = (
                    {"LOCATION": "/tmp/capacita-cache"} if "file" in backend else {}
                )
                with override_settings(DEBUG=False, CACHES=_cache(backend, **opciones)):
                    errores = cache_compartida_revisar()
                self.assertEqual(_ids(errores), {"tenants.E001"})
                self.assertIn("REDIS_CACHE_URL", errores[0].hint)

    @override_settings(DEBUG=False, CACHES=REDIS)
    def test_redis_pasa(self):
        self.assertEqual(cache_compartida_revisar(), [])

    @override_settings(DEBUG=True, CACHES=LOCMEM)
    def test_en_desarrollo_no_se_exige(self):
        self.assertEqual(cache_compartida_revisar(), [])

    @override_settings(DEBUG=False, CACHES=LOCMEM)
    def test_registrada_solo_para_check_deploy(self):
        # Registrada en TenantsConfig.ready() con deploy=True.
        con_deploy = run_checks(include_deployment_checks=True, tags=["caches"])
        self.assertIn("tenants.E001", _ids(con_deploy))
        sin_deploy = run_checks(include_deployment_checks=False)
        self.assertNotIn("tenants.E001", _ids(sin_deploy))
