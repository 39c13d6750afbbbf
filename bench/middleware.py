from newsroom.page_cache import PageCacheMiddleware


class BypassablePageCacheMiddleware(PageCacheMiddleware):
    """The page cache, skipped for requests that carry `X-Bench-Bypass-Cache` (bench only)."""

    def __call__(self, request):
        if "HTTP_X_BENCH_BYPASS_CACHE" in request.META:
            return self.get_response(request)
        return super().__call__(request)
