"""Backend de django-tenants que conserva la caché de ContentType de cada schema."""

from django_tenants.postgresql_backend import base

from tenants.contenttypes import cache_conservada


class DatabaseWrapper(base.DatabaseWrapper):
    def set_tenant(self, tenant, include_public=True):
        with cache_conservada():
            super().set_tenant(tenant, include_public)
