from django.http import HttpResponse
from django.urls import path

from newsroom.urls import (  # noqa: F401
    handler400,
    handler403,
    handler404,
    handler500,
    urlpatterns,
)


def hello(request):
    """The bare Django view that page throughput is compared with."""
    return HttpResponse("hello", content_type="text/plain")


urlpatterns = [path("bench/hello/", hello, name="bench_hello"), *urlpatterns]
