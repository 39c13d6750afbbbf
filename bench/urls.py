from django.http import HttpResponse
from django.urls import path

from newsroom.urls import handler404, handler500, urlpatterns  # noqa: F401


def hello(request):
    """The bare Django view that page throughput is compared with."""
    return HttpResponse("hello", content_type="text/plain")


urlpatterns = [path("bench/hello/", hello, name="bench_hello"), *urlpatterns]
