"""The desk's two-factor pages, under /admin/two-factor/ (before Django's admin URLs)."""

from django.urls import path

from articles.desk.two_factor import views

urlpatterns = [
    path("", views.overview, name="two_factor_overview"),
    path("set-up/", views.setup, name="two_factor_setup"),
    path("verify/", views.verify, name="two_factor_verify"),
    path("backup-codes/", views.backup_codes, name="two_factor_backup_codes"),
    path("backup-codes/new/", views.regenerate_backup_codes, name="two_factor_new_backup_codes"),
    path("turn-off/", views.turn_off, name="two_factor_turn_off"),
]
