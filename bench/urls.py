from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns


def constant(request):
    """The baseline: a Django view through the same middleware, returning a constant string."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/constant/", constant), *project_urlpatterns]
