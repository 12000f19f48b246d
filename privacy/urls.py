from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("settings/export.json", views.export_json, name="export_json"),
    path("settings/export.md", views.export_markdown, name="export_markdown"),
    path("settings/delete/", views.delete_account, name="delete_account"),
]
