from django.urls import path

from articles.desk import preview
from articles.live import feeds as live_feeds
from articles.live import views as live
from articles.site import feeds, views
from newsroom.page_cache import cache_for_readers

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("news/<int:pk>/", views.article_detail, name="detail_noslug"),
    path("news/<int:pk>/<str:slug>/", views.article_detail, name="detail"),
    path("section/<str:slug>/", views.section_list, name="section"),
    path("tag/<str:slug>/", views.tag_list, name="tag"),
    path("source/<str:slug>/", views.source_list, name="source"),
    path("author/<str:slug>/", views.author_list, name="author"),
    path("archive/<int:year>/<int:month>/<int:day>/", views.day_archive, name="day_archive"),
    path("search/", views.search, name="search"),
    path("preview/<str:token>/", preview.preview_article, name="preview"),
    path("feeds/latest/", cache_for_readers(feeds.LatestFeed()), name="feed_latest"),
    path("feeds/section/<str:slug>/", cache_for_readers(feeds.SectionFeed()), name="feed_section"),
    path("feeds/tag/<str:slug>/", cache_for_readers(feeds.TagFeed()), name="feed_tag"),
    path("corrections/", live.corrections, name="corrections"),
    path(
        "feeds/corrections/",
        cache_for_readers(live_feeds.CorrectionsFeed()),
        name="feed_corrections",
    ),
    path("live/<int:pk>/poll/", live.poll, name="live_poll"),
    path("live/<int:pk>/after/<str:cursor>/", live.more, name="live_more"),
]
