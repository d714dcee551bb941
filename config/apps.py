from django.contrib.admin.apps import AdminConfig


class VettedAdminConfig(AdminConfig):
    default_site = "config.admin.VettedAdminSite"
